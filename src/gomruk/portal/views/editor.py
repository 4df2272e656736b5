"""The five sections of the editor, a goods item's page, the autosave and the goods import."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gomruk.core.errors import GomrukError
from gomruk.core.i18n import is_english
from gomruk.customs.selectors import return_reasons
from gomruk.declarations.attachments import attachment_list, attachments_by_line
from gomruk.declarations.completion import awaiting_goods, draft_recompute
from gomruk.declarations.goods_import import COLUMNS, goods_import, template_csv, template_xlsx
from gomruk.declarations.models import Declaration
from gomruk.declarations.portal_input import declaration_input_save, declaration_row_remove
from gomruk.declarations.selectors import declaration_get, declaration_read
from gomruk.declarations.states import document_editable
from gomruk.declarations.validation import declaration_errors
from gomruk.portal import errors as shown_errors
from gomruk.portal.choices import commodity_datalist, commodity_search, picker_datalists
from gomruk.portal.computed import mark_computed
from gomruk.portal.fields import (
    MAX_GOODS,
    SECTIONS,
    BoxGroup,
    GridCell,
    Input,
    cell_inputs,
    dom_id,
    grid_columns,
    grid_rows,
    item_groups,
    section_groups,
    section_title,
)
from gomruk.portal.views.common import current_user, error_list, show_error, trader_required
from gomruk.portal.views.saved import picker as saved_picker
from gomruk.rules.profiles import GOODS_BOXES
from gomruk.rules.sections import SECTION_BOXES


def posted_values(request: HttpRequest) -> dict[str, str]:
    """The typed fields of a form: their names are JSON Pointers."""
    return {key: request.POST.get(key, "") for key in request.POST if key.startswith("/")}


def _reasons(request: HttpRequest, declaration: Declaration) -> list[Any]:
    if not document_editable(declaration.state):
        return []

    return return_reasons(user=current_user(request), declaration_id=declaration.pk)


def _place_reasons(groups: Iterable[BoxGroup], reasons: Iterable[Any], item: int | None = None) -> None:
    by_box: dict[str, list[Any]] = defaultdict(list)
    for reason in reasons:
        if item is None or reason.item in (None, item):
            by_box[reason.box].append(reason)
    for group in groups:
        if group.box in by_box:
            group.reasons = by_box[group.box]


def _all_inputs(groups: Iterable[BoxGroup], rows: Iterable[list[GridCell]] = ()) -> list[Input]:
    found: list[Input] = []
    for group in groups:
        found.extend(group.inputs)
        for table in group.tables:
            for line in table.rows:
                found.extend(line)
    for row in rows:
        found.extend(cell_inputs(row))
    return found


def _neighbours(section: str) -> tuple[str | None, str | None]:
    index = SECTIONS.index(section)
    return (SECTIONS[index - 1] if index else None, SECTIONS[index + 1] if index + 1 < len(SECTIONS) else None)


def _nav(language: str | None) -> list[tuple[str, int, str]]:
    return [(s, n, section_title(s, language)) for n, s in enumerate(SECTIONS, start=1)]


def _render_section(
    request: HttpRequest,
    declaration: Declaration,
    section: str,
    errors: list[Any] | None = None,
    leaving_to: str | None = None,
    status: int = 200,
) -> HttpResponse:
    data, pending = declaration.document, declaration.pending_input or {}
    groups = section_groups(section, data, pending)
    rows = grid_rows(data, pending) if section == "goods" else []
    mark_computed(groups, declaration.computed_values, rows)
    inputs = _all_inputs(groups, rows)
    reasons = _reasons(request, declaration)
    _place_reasons(groups, reasons)
    shown = shown_errors.shown(declaration.pk, errors or [])
    shown_errors.place(shown, groups, inputs)
    previous, following = _neighbours(section)
    language = request.LANGUAGE_CODE
    context = {
        "declaration": declaration,
        "section": section,
        "section_number": SECTIONS.index(section) + 1,
        "section_title": section_title(section, language),
        "sections": _nav(language),
        "previous": previous,
        "following": following,
        "groups": groups,
        "grid_columns": grid_columns() if section == "goods" else [],
        "grid_rows": rows,
        "item_errors": shown_errors.by_item(shown) if section == "goods" else {},
        "item_reasons": _item_reasons(reasons) if section == "goods" else {},
        "datalists": picker_datalists(inputs, data),
        "errors": shown,
        "checked": errors is not None,
        "leaving_to": leaving_to,
        "editable": document_editable(declaration.state),
        "max_goods": MAX_GOODS,
        "goods_count": len(rows),
        "saved_picker": saved_picker(request, declaration, section),
    }
    return render(request, "portal/section.html", context, status=status)


def _item_reasons(reasons: Iterable[Any]) -> dict[int, list[Any]]:
    rows: dict[int, list[Any]] = defaultdict(list)
    for reason in reasons:
        if reason.item:
            rows[reason.item].append(reason)
    return dict(rows)


def _section_or_404(section: str) -> str:
    if section not in SECTIONS:
        raise Http404
    return section


def _check(declaration: Declaration, section: str) -> list[Any]:
    errors = declaration_errors(declaration=declaration, boxes=SECTION_BOXES[section])
    return errors if section == "goods" else awaiting_goods(errors, declaration.document)


@require_http_methods(["GET", "POST"])
@trader_required
def section_view(request: HttpRequest, declaration_id: Any, section: str) -> HttpResponse:
    """GET shows a section; POST saves it, runs its rules and moves on when they pass."""
    section = _section_or_404(section)
    if section == "summary":
        return redirect("portal:summary", declaration_id=declaration_id)
    user = current_user(request)
    declaration = declaration_read(user=user, declaration_id=declaration_id)
    if request.method == "GET":
        errors = _check(declaration, section) if request.GET.get("check") else None
        return _render_section(request, declaration, section, errors)
    target = request.POST.get("go") or section
    if target not in SECTIONS:
        target = section
    try:
        declaration = declaration_input_save(user=user, declaration_id=declaration.pk, values=posted_values(request)).declaration
        declaration = draft_recompute(user=user, declaration=declaration)
    except GomrukError as error:
        show_error(request, error)
        return _render_section(request, declaration, section, status=error.status)
    errors = _check(declaration, section)
    if errors and target != section:
        return _render_section(request, declaration, section, errors, leaving_to=target)
    if target == section:
        return _render_section(request, declaration, section, errors)
    if target == "summary":
        return redirect("portal:summary", declaration_id=declaration.pk)
    return redirect("portal:section", declaration_id=declaration.pk, section=target)


@require_POST
@trader_required
def autosave(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """htmx posts each field when it changes; the answer is the save status (and, for a value
    that could not be read, the reason beside the field). Nothing typed is dropped."""
    values = posted_values(request)
    try:
        result = declaration_input_save(user=current_user(request), declaration_id=declaration_id, values=values)
    except GomrukError as error:
        return render(request, "portal/partials/saved.html", {"error": error.message(), "fields": []}, status=200)
    fields = [{"dom_id": "m" + dom_id(p), "pending": result.pending.get(p)} for p in values]
    return render(request, "portal/partials/saved.html", {"saved_at": timezone.localtime(), "fields": fields})


@require_http_methods(["GET", "POST"])
@trader_required
def item_view(request: HttpRequest, declaration_id: Any, item: int) -> HttpResponse:
    """One goods item with all its boxes (31–47), including box 44 lines and box 47 lines."""
    user = current_user(request)
    declaration = declaration_read(user=user, declaration_id=declaration_id)
    count = len(declaration.document.get("goods") or [])
    if not 1 <= item <= max(count, 1) or count == 0:
        raise Http404
    errors: list[Any] | None = None
    if request.method == "POST":
        try:
            declaration = declaration_input_save(user=user, declaration_id=declaration.pk, values=posted_values(request)).declaration
            declaration = draft_recompute(user=user, declaration=declaration)
        except GomrukError as error:
            show_error(request, error)
        go = request.POST.get("go", "")
        errors = [e for e in declaration_errors(declaration=declaration, boxes=GOODS_BOXES) if e.item == item]
        if not errors and go in ("goods", "previous", "next"):
            if go == "goods":
                return redirect(reverse("portal:section", args=[declaration.pk, "goods"]) + f"#item-{item}")
            target = item - 1 if go == "previous" else item + 1
            if 1 <= target <= count:
                return redirect("portal:item", declaration_id=declaration.pk, item=target)
    elif request.GET.get("check"):
        errors = [e for e in declaration_errors(declaration=declaration, boxes=GOODS_BOXES) if e.item == item]
    groups = item_groups(item - 1, declaration.document, declaration.pending_input or {})
    mark_computed(groups, declaration.computed_values)
    inputs = _all_inputs(groups)
    commodity_search(inputs, reverse("portal:commodity_codes", args=[declaration.pk]), timezone.localdate())
    reasons = _reasons(request, declaration)
    _place_reasons(groups, [r for r in reasons if r.item == item], item)
    shown = shown_errors.shown(declaration.pk, errors or [])
    shown_errors.place(shown, groups, inputs, item)
    by_line = attachments_by_line(declaration.document, attachment_list(user=user, declaration_id=declaration.pk))
    lines = declaration.document["goods"][item - 1].get("documents") or []
    return render(
        request,
        "portal/item.html",
        {
            "declaration": declaration,
            "item": item,
            "count": count,
            "groups": groups,
            "datalists": picker_datalists(inputs, declaration.document),
            "errors": shown,
            "checked": errors is not None,
            "editable": document_editable(declaration.state),
            "sections": _nav(request.LANGUAGE_CODE),
            "section": "goods",
            "copies": [(index, line, by_line.get((item, index), [])) for index, line in enumerate(lines, start=1)],
            "saved_picker": saved_picker(request, declaration, "goods", item),
        },
    )


@require_GET
@trader_required
def commodity_codes(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """Box 33 as one types (htmx): the matching nomenclature codes as the input's datalist."""
    declaration_get(user=current_user(request), declaration_id=declaration_id)  # scoped: 404 for others
    path = next((key for key in request.GET if key.startswith("/")), "")
    found = commodity_datalist(f"dl-s{dom_id(path)}", request.GET.get(path, ""), timezone.localdate())
    return HttpResponse(found.html)


@require_POST
@trader_required
def goods_add(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """Save the grid, then add empty goods items (numbered, box 32) up to the limit of 100."""
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    count = len(declaration.document.get("goods") or [])  # only where to scroll to
    try:
        wanted = max(1, min(int(request.POST.get("count") or 1), MAX_GOODS))
    except ValueError:
        wanted = 1
    try:
        declaration_input_save(
            user=user, declaration_id=declaration.pk, values=posted_values(request), add_items=wanted, max_items=MAX_GOODS
        )
    except GomrukError as error:
        show_error(request, error)
    return redirect(reverse("portal:section", args=[declaration.pk, "goods"]) + f"#item-{min(count + 1, MAX_GOODS)}")


@require_POST
@trader_required
def row_remove(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    """Save the form, then remove one row (a goods item, a box 44 line …)."""
    user = current_user(request)
    path = request.GET.get("path", "")
    back = request.GET.get("back") or reverse("portal:section", args=[declaration_id, "goods"])
    if not back.startswith("/"):
        back = "/"
    try:
        index = int(request.GET.get("index", ""))
        declaration_input_save(user=user, declaration_id=declaration_id, values=posted_values(request))
        declaration_row_remove(user=user, declaration_id=declaration_id, path=path, index=index)
    except ValueError:
        raise Http404
    except GomrukError as error:
        show_error(request, error)
    return redirect(back)


@require_http_methods(["GET", "POST"])
@trader_required
def goods_import_view(request: HttpRequest, declaration_id: Any) -> HttpResponse:
    user = current_user(request)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    problems: list[dict[str, Any]] = []
    failure = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            from django.utils.translation import gettext as _

            failure = _("Faylı seçin.")
        else:
            try:
                declaration, added = goods_import(
                    user=user,
                    declaration_id=declaration.pk,
                    content=upload.read(),
                    filename=upload.name or "",
                    replace=request.POST.get("replace") == "1",
                )
            except GomrukError as error:
                failure = error.message()
                problems = error_list(error)
            else:
                from django.contrib import messages
                from django.utils.translation import ngettext

                messages.success(
                    request, ngettext("%(n)d mal əlavə edildi.", "%(n)d mal əlavə edildi.", added) % {"n": added}
                )
                return redirect("portal:section", declaration_id=declaration.pk, section="goods")
    english = is_english(request.LANGUAGE_CODE)
    for row in problems:
        message = row.get("message") or {}
        row["text"] = message.get("en" if english else "az", "")
    return render(
        request,
        "portal/goods_import.html",
        {
            "declaration": declaration,
            "columns": COLUMNS,
            "failure": failure,
            "problems": problems,
            "english": english,
            "sections": _nav(request.LANGUAGE_CODE),
            "section": "goods",
        },
        status=422 if failure else 200,
    )


@require_GET
def goods_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="gomruk-mallar.{fmt}"'
    return response

