"""The customs officer's pages: the office's queue and the work on one declaration."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from gomruk.core.errors import GomrukError
from gomruk.core.i18n import is_english
from gomruk.customs import services as customs
from gomruk.customs.models import Channel
from gomruk.customs.selectors import declaration_for_officer, recorded_return_reasons
from gomruk.declarations.amendments import amendments_of
from gomruk.declarations.attachments import attachment_list
from gomruk.declarations.cancellation import cancellations_of
from gomruk.declarations.lifecycle import declaration_events
from gomruk.declarations.selectors import OFFICER_VISIBLE_STATES
from gomruk.declarations.states import Actor, allowed_transitions
from gomruk.declarations.validation import declaration_errors
from gomruk.document.boxes import box_ids
from gomruk.portal import errors as shown_errors
from gomruk.portal.choices import label_of
from gomruk.portal.fields import SECTIONS, item_groups, section_groups, section_title
from gomruk.portal.views.common import current_user, date_param, officer_required, show_error
from gomruk.risk.criteria import describe
from gomruk.risk.selectors import assessment_for_officer, matched_versions
from gomruk.workbench.presenters import queue_row, queue_xlsx
from gomruk.workbench.selectors import QueueFilters, queue_entry
from gomruk.workbench.selectors import queue as officer_queue
from gomruk.workbench.services import declaration_assign, office_officers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _queue_filters(request: HttpRequest) -> QueueFilters:
    get = request.GET
    score = get.get("min_score", "").strip()
    return QueueFilters(
        q=get.get("q", "").strip(), state=get.get("state") or None, channel=get.get("channel") or None,
        assigned=get.get("assigned") or None, min_score=int(score) if score.isdigit() else None,
        sort=get.get("sort") or "age", sent_from=date_param(request, "from"), sent_to=date_param(request, "to"),
    )


@require_GET
@officer_required
def queue(request: HttpRequest) -> HttpResponse:
    officer = current_user(request)
    filters = _queue_filters(request)
    try:
        rows = officer_queue(officer=officer, filters=filters)
    except GomrukError as error:
        show_error(request, error)
        filters, rows = QueueFilters(), officer_queue(officer=officer, filters=QueueFilters())
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/officer/queue.html",
        {
            "page": page,
            "rows": [queue_row(d, now) for d in page],
            "filters": filters,
            "query": query.urlencode(),
            "states": [(s.value, s.label) for s in OFFICER_VISIBLE_STATES],
            "channels": Channel.choices,
            "sorts": SORT_LABELS,
            "office_name": label_of("customs-offices", officer.office_code),
        },
    )


SORT_LABELS = [
    ("age", _lazy("Ən köhnə əvvəl")), ("-age", _lazy("Ən yeni əvvəl")), ("-score", _lazy("Risk balı (yüksək)")),
    ("-value", _lazy("Dəyər (böyük)")), ("value", _lazy("Dəyər (kiçik)")), ("trader", _lazy("XİFİ")),
    ("number", _lazy("Nömrə")),
]


@require_GET
@officer_required
def queue_export(request: HttpRequest) -> HttpResponse:
    rows = officer_queue(officer=current_user(request), filters=_queue_filters(request))
    response = HttpResponse(queue_xlsx(rows), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="queue.xlsx"'
    return response


@require_POST
@officer_required
def assign(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    target = request.POST.get("officer", "").strip()
    try:
        declaration_assign(actor=current_user(request), declaration_id=declaration_id,
                           officer_id=int(target) if target.isdigit() else None)
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, _("İcraçı dəyişdirildi."))
    return redirect("portal:officer_declaration", declaration_id=declaration_id)


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
            "reasons": recorded_return_reasons(declaration),
            "allowed": allowed,
            "control_open": declaration.state in customs.CONTROL_STATES,
            "channels": Channel.choices,
            "sections": _read_only_sections(declaration, request.LANGUAGE_CODE),
            "control": declaration.document.get("customs_control") or {},
            "notes": declaration.document.get("customs_notes") or "",
            "boxes": box_ids(),
            "type_name": label_of("declaration-types", declaration.declaration_type),
            "assessment": _assessment(officer, declaration, request.LANGUAGE_CODE),
            "assignment": queue_entry(officer=officer, declaration_id=declaration.pk),
            "officers": office_officers(officer=officer) if officer.is_supervisor else [],
            "amendments": amendments_of(user=officer, declaration=declaration),
            "cancellations": cancellations_of(declaration=declaration),
        },
    )


def _assessment(officer: Any, declaration: Any, language: str | None) -> dict[str, Any] | None:
    """The engine's proposal with its matched criteria: officers of the office only."""
    assessment = assessment_for_officer(officer=officer, declaration=declaration)
    if assessment is None:
        return None
    english = is_english(language)
    versions = matched_versions(assessment)
    matched = []
    for m in assessment.matched:
        version = versions.get(m["version_id"])
        stored = version.criteria[m["criterion"]] if version and m["criterion"] < len(version.criteria) else m
        matched.append({**m, "text": describe(stored, english)})
    labels = dict(Channel.choices)
    return {"row": assessment, "matched": matched, "proposed_label": labels.get(assessment.proposed_channel, ""),
            "decided_label": labels.get(assessment.decided_channel, "")}


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
