"""Saved parties, routes and goods lines in the portal (issue 16 item 6): the picker on a
section or goods item, "Save for later" from it, and the page that lists, renames and deletes
them. Filling goes through ``saved.services.saved_apply``: the section save's input service."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gomruk.core.errors import GomrukError
from gomruk.declarations.models import Declaration
from gomruk.declarations.states import document_editable
from gomruk.document.boxes import SECTIONS
from gomruk.portal.boxes import box_name
from gomruk.portal.views.common import current_user, show_error, trader_required
from gomruk.saved import kinds
from gomruk.saved.models import Kind
from gomruk.saved.selectors import saved_list
from gomruk.saved.services import saved_apply, saved_create_from, saved_delete, saved_update

#: Which kind of entry a section offers.
SECTION_KIND = {"participants": Kind.PARTIES, "general": Kind.ROUTES, "transport": Kind.ROUTES, "goods": Kind.GOODS}


def party_targets() -> list[tuple[str, str]]:
    return [(name, f"{box} — {box_name(box)}") for name, box in kinds.PARTY_BOXES.items()]


def picker(request: HttpRequest, declaration: Declaration, section: str, item: int | None = None) -> dict[str, Any] | None:
    """What the section's (or the item's) saved-entries box shows: the declaration trader's
    entries of the kind the section holds."""
    kind = SECTION_KIND.get(section)
    if kind is None or not document_editable(declaration.state):
        return None
    return {
        "kind": kind.value,
        "entries": list(saved_list(user=current_user(request), kind=kind, voen=declaration.trader_voen)),
        "targets": party_targets() if kind == Kind.PARTIES else [],
        "back": section,
        "item": item,
        # A goods line is saved from its item's page, where its boxes are; the others from the section.
        "can_save": kind != Kind.GOODS or item is not None,
    }


def _go(request: HttpRequest, to: str, *args: Any) -> HttpResponse:
    """A redirect; for htmx, the page is fetched into ``#main`` and its address pushed to the
    history (HX-Location), so the filled fields appear without reloading the page."""
    url = reverse(to, args=args)
    if request.headers.get("HX-Request") == "true":
        location = {"path": url, "target": "#main", "select": "#main", "swap": "outerHTML"}
        return HttpResponse(status=200, headers={"HX-Location": json.dumps(location)})
    return redirect(url)


def _back(declaration_id: Any, request: HttpRequest) -> HttpResponse:
    back = request.POST.get("back", "")
    item = request.POST.get("item", "")
    if item.isdigit():
        return _go(request, "portal:item", declaration_id, int(item))
    return _go(request, "portal:section", declaration_id, back if back in SECTIONS else "general")


def _item(request: HttpRequest) -> int | None:
    value = request.POST.get("item", "")
    return int(value) if value.isdigit() else None


@require_POST
@trader_required
def apply_view(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """Fill the section's boxes (or the goods item) from a saved entry, then back to the page."""
    try:
        applied = saved_apply(
            user=current_user(request), declaration_id=declaration_id, entry_id=request.POST.get("entry", ""),
            target=request.POST.get("target", ""), item=_item(request),
        )
    except GomrukError as error:
        if error.status == 404 and error.details.get("id") == str(declaration_id):
            raise  # the declaration itself: the portal's "not found" page
        show_error(request, error)
        return _back(declaration_id, request)
    if applied.pending:
        messages.warning(request, _("Saxlanmış qeyddən bəzi dəyərlər qəbul olunmadı; onlar sahələrin yanında göstərilir."))
    else:
        messages.success(request, _("Saxlanmış qeyd yazıldı."))
    if request.POST.get("back") == "goods" and applied.item and _item(request) is None:
        return _go(request, "portal:item", declaration_id, applied.item)
    return _back(declaration_id, request)


@require_POST
@trader_required
def save_view(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """"Save for later": the section's party box or route, or this goods item, under a name."""
    try:
        kind = kinds.kind_of(request.POST.get("kind", ""))
        entry = saved_create_from(
            user=current_user(request), declaration_id=declaration_id, kind=kind,
            name=request.POST.get("name", ""), target=request.POST.get("target", ""), item=_item(request),
            with_shipment=request.POST.get("with_shipment") == "1",
        )
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, _("“%(name)s” sonra üçün saxlanıldı.") % {"name": entry.name})
    return _back(declaration_id, request)


@require_GET
@trader_required
def list_view(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("kind", "")
    kind = Kind(wanted) if wanted in Kind.values else None
    rows = [
        {"entry": entry, "summary": kinds.summary(entry.kind, entry.data)}
        for entry in saved_list(user=current_user(request), kind=kind)
    ]
    return render(request, "portal/saved_entries.html", {"rows": rows, "kind": kind, "kinds": Kind.choices})


def _to_list(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind_filter", "")
    response = redirect("portal:saved")
    if kind in Kind.values:
        response["Location"] += f"?kind={kind}"
    return response


@require_POST
@trader_required
def rename_view(request: HttpRequest, entry_id: Any) -> HttpResponse:
    try:
        saved_update(user=current_user(request), entry_id=entry_id, name=request.POST.get("name", ""))
    except GomrukError as error:
        if error.status == 404:
            raise
        show_error(request, error)
    else:
        messages.success(request, _("Ad dəyişdirildi."))
    return _to_list(request)


@require_POST
@trader_required
def delete_view(request: HttpRequest, entry_id: Any) -> HttpResponse:
    saved_delete(user=current_user(request), entry_id=entry_id)
    messages.success(request, _("Saxlanmış qeyd silindi."))
    return _to_list(request)
