"""The holding office's pages for the declarant's requests after sending: the list waiting,
an amendment's differences box by box with accept / refuse (a reason per box), a cancellation
with accept / refuse."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gomruk.core.errors import GomrukError
from gomruk.customs import requests as decisions
from gomruk.declarations.amendments import amendment_changes, amendment_get
from gomruk.declarations.models import RequestStatus
from gomruk.declarations.selectors import request_decisions
from gomruk.document.boxes import box_ids
from gomruk.portal.views.common import current_user, officer_required, show_error
from gomruk.portal.views.officer import return_reasons_posted


@require_GET
@officer_required
def waiting(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/officer/requests.html", {"rows": decisions.requests_waiting(officer=current_user(request))})


@require_http_methods(["GET", "POST"])
@officer_required
def amendment(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    officer = current_user(request)
    if request.method == "POST":
        action = request.POST.get("decision")
        try:
            if action == "accept":
                decisions.amendment_accept(
                    officer=officer, declaration_id=declaration_id, number=number, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Düzəliş qəbul edildi: yeni versiya qüvvədədir."))
            elif action == "refuse":
                decisions.amendment_refuse(
                    officer=officer, declaration_id=declaration_id, number=number,
                    reasons=return_reasons_posted(request), reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("Düzəliş sorğusu rədd edildi."))
            else:
                raise Http404
        except GomrukError as error:
            show_error(request, error)
        return redirect("portal:officer_amendment", declaration_id=declaration_id, number=number)
    try:
        found = amendment_get(user=officer, declaration_id=declaration_id, number=number)
    except GomrukError:
        return render(request, "portal/not_found.html", status=404)
    return render(
        request,
        "portal/officer/amendment.html",
        {
            "declaration": found.declaration,
            "amendment": found,
            "pending": found.status == RequestStatus.REQUESTED,
            "changes": amendment_changes(found),
            "decisions": request_decisions(found),
            "boxes": box_ids(),
        },
    )


@require_POST
@officer_required
def cancellation(request: HttpRequest, declaration_id: Any, number: int) -> HttpResponse:
    officer = current_user(request)
    action = request.POST.get("decision")
    try:
        if action == "accept":
            decisions.cancellation_accept(
                officer=officer, declaration_id=declaration_id, number=number, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Bəyannamə ləğv edildi."))
        elif action == "refuse":
            decisions.cancellation_refuse(
                officer=officer, declaration_id=declaration_id, number=number, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Ləğv sorğusu rədd edildi."))
        else:
            raise Http404
    except GomrukError as error:
        show_error(request, error)
    return redirect("portal:officer_declaration", declaration_id=declaration_id)
