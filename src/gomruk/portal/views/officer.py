"""The customs officer's pages: the office's queue and the work on one declaration."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gomruk.core.errors import GomrukError
from gomruk.customs import services as customs
from gomruk.customs.models import Channel, ReturnReason
from gomruk.customs.selectors import declaration_for_officer, officer_queue
from gomruk.declarations.amendments import amendments_of
from gomruk.declarations.attachments import attachment_list
from gomruk.declarations.cancellation import cancellations_of
from gomruk.declarations.lifecycle import declaration_events
from gomruk.declarations.selectors import OFFICER_VISIBLE_STATES
from gomruk.declarations.states import Actor, allowed_transitions
from gomruk.declarations.validation import declaration_errors
from gomruk.portal import errors as shown_errors
from gomruk.portal.boxes import BOX_NAMES, box_sort_key
from gomruk.portal.choices import label_of
from gomruk.portal.fields import SECTIONS, item_groups, section_groups, section_title
from gomruk.portal.views.common import current_user, officer_required, show_error


@require_GET
@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state") or None
    if state not in OFFICER_VISIBLE_STATES:
        state = None
    officer = current_user(request)
    rows = officer_queue(officer=officer, state=state).only(
        "id", "declaration_type", "direction", "procedure", "registration_number", "trader_voen", "state",
        "sent_at", "updated_at",
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/officer/queue.html",
        {
            "page": page,
            "state": state,
            "states": [(s.value, s.label) for s in OFFICER_VISIBLE_STATES],
            "office_name": label_of("customs-offices", officer.office_code),
        },
    )


def _read_only_sections(declaration: Any, language: str | None) -> list[dict[str, Any]]:
    data: dict[str, Any] = declaration.document
    pending: dict[str, Any] = {}
    sections = []
    for section in SECTIONS[:3]:
        sections.append({"title": section_title(section, language), "groups": section_groups(section, data, pending)})
    goods = data.get("goods") or []
    items = [{"number": n, "groups": item_groups(n - 1, data, pending)} for n in range(1, len(goods) + 1)]
    return sections + [{"title": section_title("goods", language), "items": items, "groups": section_groups("goods", data, pending)}]


@require_GET
@officer_required
def declaration_view(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    officer = current_user(request)
    declaration = declaration_for_officer(officer=officer, declaration_id=declaration_id)
    errors = shown_errors.shown(declaration.pk, declaration_errors(declaration=declaration, customs_view=True))
    allowed = allowed_transitions(declaration.state, Actor.OFFICER)
    return render(
        request,
        "portal/officer/declaration.html",
        {
            "declaration": declaration,
            "errors": errors,
            "attachments": attachment_list(user=officer, declaration_id=declaration.pk),
            "events": declaration_events(user=officer, declaration_id=declaration.pk),
            "reasons": ReturnReason.objects.filter(declaration=declaration).order_by("-created_at", "id")[:100],
            "allowed": allowed,
            "control_open": declaration.state in customs.CONTROL_STATES,
            "channels": Channel.choices,
            "sections": _read_only_sections(declaration, request.LANGUAGE_CODE),
            "control": declaration.document.get("customs_control") or {},
            "notes": declaration.document.get("customs_notes") or "",
            "boxes": sorted(BOX_NAMES, key=box_sort_key),
            "type_name": label_of("declaration-types", declaration.declaration_type),
            "amendments": amendments_of(user=officer, declaration=declaration),
            "cancellations": cancellations_of(declaration=declaration),
        },
    )


_REASON_ROW = re.compile(r"^reason_box_(\d+)$")


def return_reasons_posted(request: HttpRequest) -> dict[str, str]:
    """Rows of (box, goods item, text) from the form as the service's ``{"33/2": text}``."""
    reasons: dict[str, str] = {}
    for key in request.POST:
        match = _REASON_ROW.match(key)
        if not match:
            continue
        index = match.group(1)
        box = request.POST.get(key, "").strip()
        text = request.POST.get(f"reason_text_{index}", "").strip()
        item = request.POST.get(f"reason_item_{index}", "").strip()
        if box or text:
            reasons[f"{box}/{item}" if item else box] = text
    return reasons


@require_POST
@officer_required
def action(request: HttpRequest, declaration_id: Any, name: str) -> HttpResponse:
    officer = current_user(request)
    post = request.POST
    done = {
        "register": _("Bəyannamə qeydiyyata alındı."),
        "channel": _("Nəzarət dəhlizi təyin edildi."),
        "control": _("C və D qrafaları yazıldı."),
        "release": _("Mallar buraxıldı."),
        "refuse": _("Buraxılışdan imtina edildi."),
        "return": _("Bəyannamə düzəliş üçün qaytarıldı."),
    }
    if name not in done:
        raise Http404
    try:
        if name == "register":
            customs.declaration_register(officer=officer, declaration_id=declaration_id)
        elif name == "channel":
            customs.declaration_assign_channel(
                officer=officer, declaration_id=declaration_id, channel=post.get("channel", ""), reason=post.get("reason", "")
            )
        elif name == "control":
            box_d = {k: post.get(f"d_{k}", "").strip() for k in ("result", "seals", "conformity", "date", "officer")}
            customs.declaration_record_control(
                officer=officer,
                declaration_id=declaration_id,
                box_c=post.get("box_c") if "box_c" in post else None,
                box_d={k: v for k, v in box_d.items() if v},
            )
        elif name == "release":
            customs.declaration_release(officer=officer, declaration_id=declaration_id, reason=post.get("reason", ""))
        elif name == "refuse":
            customs.declaration_refuse(officer=officer, declaration_id=declaration_id, reason=post.get("reason", ""))
        else:
            customs.declaration_return(
                officer=officer, declaration_id=declaration_id, reasons=return_reasons_posted(request), reason=post.get("reason", "")
            )
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, done[name])
    return redirect("portal:officer_declaration", declaration_id=declaration_id)
