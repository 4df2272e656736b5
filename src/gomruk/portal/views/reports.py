"""Dashboards: one office (officers: their own) or the whole service (risk analysts,
administrators). Charts are SVG images served by the app, each beside its table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gomruk.accounts.models import Role
from gomruk.core.errors import GomrukError
from gomruk.portal.choices import label_of
from gomruk.portal.views.common import current_user, role_required, show_error
from gomruk.reports.api import figure_response
from gomruk.reports.selectors import Scope, dashboard, dashboard_scope, figure

STAFF = (Role.OFFICER, Role.RISK_ANALYST, Role.ADMINISTRATOR)


def _scope(request: HttpRequest) -> Scope:
    get = request.GET
    return dashboard_scope(user=current_user(request), office=get.get("office") or None,
                           date_from=get.get("from") or None, date_to=get.get("to") or None)


@require_GET
@role_required(STAFF)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    try:
        scope = _scope(request)
    except GomrukError as error:
        if error.status != 422:
            raise
        show_error(request, error)
        scope = dashboard_scope(user=current_user(request))
    tables = dashboard(user=current_user(request), scope=scope)
    query = f"from={scope.date_from.isoformat()}&to={scope.date_to.isoformat()}" + (
        f"&office={scope.office}" if scope.office else ""
    )
    return render(request, "portal/officer/dashboard.html", {
        "scope": scope, "tables": tables, "query": query,
        "office_name": label_of("customs-offices", scope.office) if scope.office else "",
        "may_choose_office": current_user(request).role != Role.OFFICER,
    })


@require_GET
@role_required(STAFF)
def figure_view(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    try:
        table = figure(user=current_user(request), name=name, scope=_scope(request))
    except GomrukError as error:
        return HttpResponse(error.message(), status=error.status, content_type="text/plain; charset=utf-8")
    return figure_response(table, fmt)
