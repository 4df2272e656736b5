"""Risk analysts' pages: the profiles, a new profile or a new version of one, and the
random-selection rate of each office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gomruk.core.errors import GomrukError
from gomruk.core.i18n import is_english
from gomruk.portal.views.common import analyst_required, current_user, show_error
from gomruk.risk import selectors, services
from gomruk.risk.criteria import CHANNELS, KINDS, describe
from gomruk.risk.errors import ERRORS

CRITERION_ROWS = 6


def _kinds(english: bool) -> list[tuple[str, str]]:
    return [(name, kind.label_en if english else kind.label_az) for name, kind in KINDS.items()]


@require_GET
@analyst_required
def profiles(request: HttpRequest) -> HttpResponse:
    analyst = current_user(request)
    english = is_english(request.LANGUAGE_CODE)
    rows = []
    for profile in selectors.profiles(analyst=analyst):
        current = next((v for v in profile.versions.all() if v.number == profile.current_version), None)
        rows.append({"profile": profile, "version": current,
                     "criteria": [describe(c, english) for c in (current.criteria if current else [])]})
    return render(request, "portal/risk/profiles.html", {
        "rows": rows, "rates": selectors.random_selections(analyst=analyst), "channels": CHANNELS,
    })


def _criteria_from(post: Any) -> list[dict[str, Any]]:
    criteria = []
    for index in range(CRITERION_ROWS):
        kind = post.get(f"kind_{index}", "").strip()
        if not kind:
            continue
        value = post.get(f"value_{index}", "").strip()
        extra = post.get(f"prefix_{index}", "").strip()
        params: dict[str, Any] = {}
        fields = KINDS[kind].params if kind in KINDS else ()
        if fields:
            params[fields[0]] = value
        if len(fields) > 1 and extra:
            params[fields[1]] = extra
        criteria.append({"kind": kind, "params": params, "weight": post.get(f"weight_{index}", "0") or 0,
                         "channel": post.get(f"channel_{index}", "")})
    return criteria


def _form_rows(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for index in range(CRITERION_ROWS):
        c = criteria[index] if index < len(criteria) else {}
        params = list((c.get("params") or {}).values())
        rows.append({"index": index, "kind": c.get("kind", ""), "value": _text(params[0]) if params else "",
                     "prefix": _text(params[1]) if len(params) > 1 else "", "weight": c.get("weight", ""),
                     "channel": c.get("channel", "")})
    return rows


def _text(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


@require_http_methods(["GET", "POST"])
@analyst_required
def profile_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    analyst = current_user(request)
    english = is_english(request.LANGUAGE_CODE)
    profile, versions = selectors.profile_get(analyst=analyst, code=code) if code else (None, [])
    current = versions[0] if versions else None
    values: dict[str, Any] = {
        "code": profile.code if profile else "", "name": current.name if current else "",
        "description": current.description if current else "",
        "valid_from": current.valid_from.isoformat() if current else "",
        "valid_to": current.valid_to.isoformat() if current and current.valid_to else "",
        "active": profile.active if profile else True,
    }
    criteria = current.criteria if current else []
    error = None
    if request.method == "POST":
        post = request.POST
        values = {k: post.get(k, "").strip() for k in ("code", "name", "description", "valid_from", "valid_to")}
        values["active"] = post.get("active") == "on"
        criteria = _criteria_from(post)
        try:
            data = services.ProfileInput(
                code=code or values["code"], name=values["name"], description=values["description"],
                criteria=criteria, valid_from=_date(values["valid_from"], "valid_from"),
                valid_to=_date(values["valid_to"], "valid_to"), active=bool(values["active"]),
            )
            if code:
                services.risk_profile_revise(analyst=analyst, code=code, data=data)
            else:
                services.risk_profile_create(analyst=analyst, data=data)
        except GomrukError as exc:
            error = exc
            show_error(request, exc)
        else:
            messages.success(request, _("Risk profili yadda saxlanıldı."))
            return redirect("portal:risk_profiles")
    return render(request, "portal/risk/profile_form.html", {
        "profile": profile, "versions": versions, "values": values, "rows": _form_rows(criteria),
        "kinds": _kinds(english), "channels": CHANNELS, "error_field": error.details.get("field") if error else None,
    }, status=422 if error else 200)


def _date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ERRORS.error("invalid_risk_profile#date", status=422, details={"field": field}, value=value)


@require_POST
@analyst_required
def random_rate(request: HttpRequest) -> HttpResponse:
    try:
        services.random_selection_set(analyst=current_user(request), office_code=request.POST.get("office_code", ""),
                                      rate=request.POST.get("rate", ""), channel=request.POST.get("channel", "red"))
    except GomrukError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Təsadüfi seçim payı yadda saxlanıldı."))
    return redirect("portal:risk_profiles")
