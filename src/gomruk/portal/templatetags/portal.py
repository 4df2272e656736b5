"""Small template helpers of the portal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from gomruk.core import numbers
from gomruk.core.i18n import is_english
from gomruk.portal import labels
from gomruk.portal.boxes import CHOICE_LABELS, box_title

register = template.Library()

#: Steps of a declaration's history that keep its state (or say more than the new state).
STEP_TITLES = {
    "request_amendment": gettext_lazy("Düzəliş sorğusu göndərildi"),
    "amend": gettext_lazy("Düzəliş qəbul edildi: yeni versiya qüvvədədir"),
    "amend_after_release": gettext_lazy("Buraxılışdan sonrakı düzəliş qəbul edildi"),
    "refuse_amendment": gettext_lazy("Düzəliş sorğusu rədd edildi"),
    "request_cancellation": gettext_lazy("Ləğv sorğusu göndərildi"),
    "cancel": gettext_lazy("Bəyannamə ləğv edildi"),
    "refuse_cancellation": gettext_lazy("Ləğv sorğusu rədd edildi"),
    "complain": gettext_lazy("Şikayət verildi"),
    "reopen": gettext_lazy("Şikayət təmin edildi: bəyannaməyə yenidən baxılır"),
    "reassign_channel": gettext_lazy("Şikayət üzrə nəzarət dəhlizi dəyişdirildi"),
}


@register.filter
def event_title(event: Any) -> str:
    """What a status event records: the step's name for the steps of issue 19, else the state
    the declaration moved to."""
    title = STEP_TITLES.get(str((getattr(event, "details", None) or {}).get("action", "")))
    if title is not None:
        return str(title)
    return labels.state_label(event.to_state)


@register.filter
def state_label(code: Any) -> str:
    return labels.state_label(code)


@register.filter
def channel_label(code: Any) -> str:
    return labels.channel_label(code)


@register.filter
def choices(field: Any) -> tuple[str, ...]:
    """Values of a select: the field's literal choices, or yes/no for a flag."""
    if field.kind.kind == "bool":
        return ("true", "false")
    return tuple(field.kind.choices)


@register.filter
def choice_label(value: str) -> str:
    label = CHOICE_LABELS.get(value)
    return str(label) if label is not None else value


@register.filter
def box_label(box: str | None) -> str:
    return box_title(box)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def tr(text: Any) -> str:
    """A value with ``az`` and ``en`` (attributes or keys) in the active language."""
    key = "en" if is_english() else "az"
    if isinstance(text, dict):
        return str(text.get(key) or text.get("az") or "")
    return str(getattr(text, key, "") or getattr(text, "az", "") or "")


def _pending_text(field: Any) -> str:
    from django.utils.translation import gettext

    reason = field.pending.get("en" if is_english() else "az", "")
    return f"{reason} {gettext('Yazdığınız saxlanılıb.')}"


@register.simple_tag
def field_input(field: Any, editable: bool) -> str:
    """One labelled input of the editor. Built in Python: a section has a hundred of them and
    an included template per input would cost most of the page's time."""
    from django.utils.html import format_html, format_html_join
    from django.utils.safestring import mark_safe

    kind = field.kind.kind
    invalid = bool(field.errors or field.pending)
    dom = field.dom_id
    classes = "field" + (" invalid" if invalid else "")
    if kind == "text" and (field.kind.max_length or 0) > 100:
        classes += " wide"
    extra = mark_safe(' aria-invalid="true"' if invalid else "")  # noqa: S308 - constant text
    if field.read_only or not editable:
        control = format_html(
            '<output id="{}" class="readonly{}"{}>{}</output>',
            dom,
            " computed" if field.computed else "",
            format_html(' title="{}"', field.formula) if field.formula else "",
            field.value or "—",
        )
    elif kind in ("choice", "bool"):
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, mark_safe(" selected") if v == field.value else "", choice_label(v)) for v in choices(field)),  # noqa: S308
        )
        control = format_html(
            '<select id="{}" name="{}" aria-describedby="m{}"{}><option value="">—</option>{}</select>',
            dom, field.path, dom, extra, options,
        )
    else:
        attrs = ' type="date"' if kind == "date" and not field.pending else ' type="text"'
        if kind == "decimal":
            attrs += ' inputmode="decimal"'
        elif kind == "int":
            attrs += ' inputmode="numeric"'
        search = ""
        if field.search_url:  # box 33: the nomenclature is searched as one types (htmx)
            search = format_html(
                ' list="dl-s{}" autocomplete="off" hx-get="{}" hx-trigger="input changed delay:300ms"'
                ' hx-target="#dl-s{}" hx-swap="outerHTML" hx-sync="this:replace"',
                dom, field.search_url, dom,
            )
        if not classes.endswith(" wide"):
            attrs += f' size="{int(field.size)}"'
        control = format_html(
            '<input id="{}" name="{}" value="{}"{}{}{}{} aria-describedby="m{}"{}>{}',
            dom,
            field.path,
            field.value,
            mark_safe(attrs),  # noqa: S308 - built from constants and an int above
            format_html(' list="{}" autocomplete="off"', field.list_id) if field.list_id else "",
            format_html(' maxlength="{}"', field.kind.max_length) if field.kind.max_length else "",
            search,
            dom,
            extra,
            format_html('<datalist id="dl-s{}"></datalist>', dom) if field.search_url else "",
        )
    pending = format_html('<span class="error">{}</span>', _pending_text(field)) if field.pending else ""
    errors = format_html_join(
        "", '<span class="error {}">{} <span class="rule">{}</span></span>', ((e.severity, e.message, e.rule) for e in field.errors)
    )
    messages = format_html("{}{}{}", _computed_note(field), pending, errors)
    return format_html(
        '<div class="{}"><label for="{}">{}</label>{}<div id="m{}" class="field-msg">{}</div></div>',
        classes, dom, field.label, control, dom, messages,
    )


def _computed_note(field: Any) -> str:
    """How a computed box follows (issue 16.1), below the field; an override is marked."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    if field.hint:
        return format_html('<span class="formula">{}</span>', field.hint)
    if not field.computed or not field.formula:
        return ""
    if field.computed == "overridden":
        return format_html(
            '<span class="override">{} {}</span>', _("Öz dəyəriniz saxlanılıb; sistemin hesabı:"), field.formula
        )
    if field.computed == "overridable":
        return format_html('<span class="formula">{} {}</span>', _("Sistem hesablayır:"), field.formula)
    return format_html('<span class="formula">{} {}</span>', _("Hesablanıb:"), field.formula)


@register.simple_tag
def goods_rows(rows: Any, declaration_id: Any, editable: bool, item_errors: Any, item_reasons: Any, width: int) -> str:
    """The rows of the goods grid (up to 100 items × 20 columns, box 44 and 47 lines inside).
    Built with f-strings and the standard library's escape: Django's lazy-aware escaping costs
    more than the rest of the page at 2,000 inputs. Every dynamic value goes through ``esc``."""
    from html import escape

    from django.urls import reverse
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    from gomruk.portal.fields import GridList

    def esc(value: Any) -> str:
        return escape(str(value), quote=True)

    def messages_of(f: Any) -> str:
        messages = f'<span class="error">{esc(_pending_text(f))}</span>' if f.pending else ""
        return messages + "".join(f'<span class="error">{esc(e.message)}</span>' for e in f.errors)

    def control_of(f: Any, number: int, name: str = "", placeholder: str = "") -> str:
        dom = esc(f.dom_id)
        if f.read_only and f.computed:  # computed by the system (issue 16.1): formula on hover
            return f'<output id="{dom}" class="readonly computed" title="{esc(f.formula)}">{esc(f.value or "—")}</output>'
        if not editable:
            return esc(f.value or "—")
        if f.read_only:  # follows from another cell (box 34's numeric code)
            return f'<output id="{dom}" class="readonly">{esc(f.value or "—")}</output>'
        extra = f' list="{esc(f.list_id)}" autocomplete="off"' if f.list_id else ""
        if f.kind.kind == "decimal":
            extra += ' inputmode="decimal"'
        if placeholder:
            extra += f' placeholder="{esc(placeholder)}"'
        if f.errors or f.pending:
            extra += ' aria-invalid="true"'
        # A line's input is named by text (the column and row headers name the cell, not it).
        label = f'aria-label="{esc(name)}"' if name else f'aria-labelledby="{esc(f.header_id)} row-{number}"'
        return (f'<input id="{dom}" name="{esc(f.path)}" value="{esc(f.value)}" type="text" size="{int(f.size)}" '
                f'{label} aria-describedby="m{dom}"{extra}>')

    def list_cell(cell: Any, number: int) -> str:
        lines = []
        last = len(cell.rows) - 1
        for position, line in enumerate(cell.rows):
            parts = []
            for f in line:
                name = f"{f.box} · {f.label} {position + 1 if position < last else new_word} — {item_text} {number}"
                parts.append(f'{control_of(f, number, name, str(f.label))}'
                             f'<span id="m{esc(f.dom_id)}" class="field-msg">{messages_of(f)}</span>')
            if position == last and not editable:
                continue
            lines.append(f'<div class="grid-line">{"".join(parts)}</div>')
        formula = f'<p class="formula">{esc(cell.formula)}</p>' if cell.formula else ""
        return "".join(lines) + formula

    item_base = esc(reverse("portal:item", args=[declaration_id, 1])[: -len("1/")])
    remove = esc(reverse("portal:row_remove", args=[declaration_id]) + "?path=/goods&index=")
    more, delete, item_word = esc(gettext("Ətraflı")), esc(gettext("Sil")), esc(gettext("mal"))
    new_word, item_text = gettext("yeni sətir"), gettext("mal")
    reason_word, box_word = esc(gettext("Gömrüyün qaytarma səbəbi")), esc(gettext("qrafa"))
    out: list[str] = []
    for number, row in enumerate(rows, start=1):
        problems = (item_errors or {}).get(number) or []
        reasons = (item_reasons or {}).get(number) or []
        row_class = ' class="invalid"' if problems or reasons else ""
        out.append(f'<tr id="item-{number}"{row_class}><th scope="row" id="row-{number}">{number}</th>')
        for f in row:
            if isinstance(f, GridList):
                invalid = any(i.errors or i.pending for i in f.inputs)
                out.append(f'<td class="lines{" invalid" if invalid else ""}" id="{esc(f.dom_id)}">{list_cell(f, number)}</td>')
                continue
            invalid = bool(f.errors or f.pending)
            dom = esc(f.dom_id)
            cell_class = ' class="invalid"' if invalid else ""
            out.append(f'<td{cell_class}>{control_of(f, number)}<div id="m{dom}" class="field-msg">{messages_of(f)}</div></td>')
        actions = f'<a href="{item_base}{number}/">{more}<span class="visually-hidden"> — {item_word} {number}</span></a>'
        if editable:
            actions += (f' <button type="submit" class="secondary small" formaction="{remove}{number - 1}">{delete}'
                        f'<span class="visually-hidden"> — {item_word} {number}</span></button>')
        out.append(f'<td class="row-actions">{actions}</td></tr>')
        if problems or reasons:
            notes = "".join(f'<p class="reason"><strong>{reason_word} ({box_word} {esc(r.box)}):</strong> {esc(r.text)}</p>' for r in reasons)
            notes += "".join(
                f'<p class="error {esc(e.severity)}"><a href="{esc(e.href)}">{esc(e.where)}</a>: {esc(e.message)} '
                f'<span class="rule">{esc(e.rule)}</span></p>'
                for e in problems
            )
            out.append(f'<tr class="item-problems"><td colspan="{int(width)}">{notes}</td></tr>')
    return mark_safe("".join(out))  # noqa: S308 - every dynamic value above is escaped


@register.simple_tag(takes_context=True)
def figure_rows(context: template.Context, table: Any) -> str:
    """The body rows of a dashboard figure's table: the first cell a row header (a day as
    dd.mm.yyyy), the others numbers, none as "—". Written here rather than as nested template
    loops: a year of the whole service is ~2,500 cells per page, and the template engine's
    per-node cost made the table the slowest part of the page (ADR 0016-dashboard-daily-summaries)."""
    if not table.rows:
        return format_html('<tr><td colspan="{}">{}</td></tr>', len(table.columns), gettext("Məlumat yoxdur."))
    cells = []
    for row in table.rows:
        head = date_filter(row[0], "d.m.Y") or row[0]
        cells.append(f'<tr><th scope="row">{render_value_in_context(head, context)}</th>')
        for value in row[1:]:
            if value is None:
                shown = "—"
            elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                shown = numbers.format_number(value)  # the one number format (issue 16.8)
            else:
                shown = render_value_in_context(value, context)
            cells.append(f'<td class="num">{shown}</td>')
        cells.append("</tr>")
    return mark_safe("".join(cells))  # noqa: S308 — every value went through render_value_in_context


# --- Numbers and dates (issue 16.8): the one format of gomruk.core.numbers ---------------------


@register.filter
def number(value: Any) -> str:
    """A figure with the digits it has, in the active language's format (az 21 250,5)."""
    return numbers.format_number(value)


@register.filter
def money(value: Any) -> str:
    """An amount to the qəpik, half-up (az 21 250,00; en 21,250.00)."""
    return numbers.format_money(value)


@register.filter
def rate(value: Any) -> str:
    """An exchange rate with its meaningful digits (az 1,7000)."""
    return numbers.format_rate(value)


@register.filter
def dmy(value: Any) -> str:
    return numbers.format_date(value) if value else ""


@register.filter
def figures(text: Any) -> str:
    """A duties formula with its figures in the active language's format."""
    return numbers.localize_figures(str(text or ""))
