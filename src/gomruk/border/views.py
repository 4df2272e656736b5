"""Portal pages of the border service. Thin: they parse, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from gomruk.accounts.selectors import officer_office, trader_names
from gomruk.border import declaring, services
from gomruk.border.inputs import FLAT_COLUMNS, arrival_from_flat
from gomruk.border.presenters import empty_message, named
from gomruk.border.schemas import FIELD_LABELS
from gomruk.border.selectors import arrivals_of_office, posts_governed
from gomruk.core.errors import GomrukError
from gomruk.core.i18n import is_english
from gomruk.reference.snapshot import current_reference


def _message(error: GomrukError | dict[str, Any]) -> str:
    english = is_english()
    if isinstance(error, GomrukError):
        return error.message_en if english else error.message_az
    return str(error["message_en"] if english else error["message_az"])


@never_cache
@login_required
def goods(request: HttpRequest) -> HttpResponse:
    """"Sərhəddə qeydə alınmış mallar": no VÖEN field exists on this page (FR-I-02)."""
    try:
        page = services.goods_query(user=request.user, cursor=request.GET.get("cursor"), channel="portal")  # type: ignore[arg-type]
    except GomrukError as exc:
        messages.error(request, _message(exc))
        return redirect("border:goods")
    return render(
        request,
        "border/goods.html",
        {
            "page": page,
            "rows": [(a, page.traders.get(a.consignee_voen) or a.consignee_name) for a in page.items],
            "empty_message": empty_message(page),
            # A representative sees several traders' goods: each row says whose they are.
            "show_trader": len(page.voens) > 1,
        },
    )


@require_POST
@login_required
def declare(request: HttpRequest, arrival_id: str) -> HttpResponse:
    try:
        declaration = declaring.arrival_declare(user=request.user, arrival_id=arrival_id)  # type: ignore[arg-type]
    except GomrukError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(
            request,
            _("Qaralama bəyannamə yaradıldı: %(id)s") % {"id": declaration.pk},
        )
    return redirect("border:goods")


def _form_context(request: HttpRequest, values: dict[str, str], errors: dict[str, list[str]]) -> dict[str, Any]:
    reference = current_reference()
    english = is_english()
    posts = sorted(posts_governed(officer_office(request.user)))  # type: ignore[arg-type]

    def named(name: str, code: str) -> str:
        entry = reference.lookup(name, code)
        label = (entry.name_en if english else entry.name_az) if entry else ""
        return f"{code} — {label}" if label else code

    return {
        "fields": [
            {"name": n, "label": FIELD_LABELS[n], "value": values.get(n, ""), "errors": errors.get(n, [])}
            for n in FLAT_COLUMNS
        ],
        "posts": [(code, named("customs-offices", code)) for code in posts],
        "modes": [(e.code, named("transport-modes", e.code)) for e in reference.entries("transport-modes")],
        "general_errors": errors.get("__all__", []),
        "recent": arrival_rows(list(arrivals_of_office(officer=request.user)[:20])),  # type: ignore[arg-type]
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """The border post officer registers goods that arrived."""
    if officer_office(request.user) is None:  # type: ignore[arg-type]
        raise DjangoPermissionDenied(_("Bu səhifə yalnız gömrük əməkdaşları üçündür."))
    values: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in FLAT_COLUMNS}
        try:
            arrival = services.arrival_register(officer=request.user, data=arrival_from_flat(values))  # type: ignore[arg-type]
        except GomrukError as exc:
            for item in exc.details.get("errors", []):
                errors.setdefault(item["field"], []).append(_message(item))
            if not errors:
                errors["__all__"] = [_message(exc)]
            status = exc.status if exc.status in (403, 422) else 400
        else:
            messages.success(request, _("Mal qeydə alındı: %(id)s") % {"id": arrival.pk})
            return redirect("border:register")
    return render(request, "border/register.html", _form_context(request, values, errors), status=status)


def arrival_rows(arrivals: list[Any]) -> list[dict[str, Any]]:
    """Arrivals with names beside their codes (post, countries, transport mode, trader)."""
    reference = current_reference()
    traders = trader_names({a.consignee_voen for a in arrivals})
    return [
        {
            "arrival": a,
            "post": named("customs-offices", a.post_code, reference),
            "mode": named("transport-modes", a.transport_mode, reference),
            "transport_country": named("countries", a.transport_country, reference),
            "consignor_country": named("countries", a.consignor_country, reference),
            "trader": traders.get(a.consignee_voen) or a.consignee_name,
        }
        for a in arrivals
    ]


@never_cache
@login_required
def arrivals(request: HttpRequest) -> HttpResponse:
    """The officer's list of goods registered at its posts."""
    if officer_office(request.user) is None:  # type: ignore[arg-type]
        raise DjangoPermissionDenied(_("Bu səhifə yalnız gömrük əməkdaşları üçündür."))
    page = Paginator(arrivals_of_office(officer=request.user), 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    return render(request, "border/arrivals.html", {"page": page, "rows": arrival_rows(list(page))})
