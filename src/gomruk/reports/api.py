"""Dashboard figures in the API (mounted at /customs/dashboard): JSON, SVG, CSV, XLSX."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.core.errors import NotFound
from gomruk.reports.charts import render
from gomruk.reports.exports import table_csv, table_xlsx
from gomruk.reports.selectors import dashboard, dashboard_scope, figure

router = Router(tags=["dashboard"], auth=bearer_auth)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Filters(Schema):
    office: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class TableOut(Schema):
    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]


class DashboardOut(Schema):
    office: str | None
    date_from: dt.date
    date_to: dt.date
    figures: list[TableOut]


@router.get("", response={200: DashboardOut, **PROBLEM_RESPONSES}, summary="Every figure of the dashboard")
def figures(request: HttpRequest, filters: Query[Filters]) -> DashboardOut:
    user = caller(request)
    scope = dashboard_scope(user=user, office=filters.office, date_from=filters.date_from, date_to=filters.date_to)
    tables = dashboard(user=user, scope=scope)
    return DashboardOut(office=scope.office, date_from=scope.date_from, date_to=scope.date_to,
                        figures=[TableOut(name=t.name, title=t.title, columns=t.columns, rows=t.rows) for t in tables])


@router.get("/{name}.{fmt}", response={200: None, **PROBLEM_RESPONSES},
            summary="One figure as svg, csv or xlsx")
def one(request: HttpRequest, name: str, fmt: str, filters: Query[Filters]) -> HttpResponse:
    user = caller(request)
    scope = dashboard_scope(user=user, office=filters.office, date_from=filters.date_from, date_to=filters.date_to)
    return figure_response(figure(user=user, name=name, scope=scope), fmt)


def figure_response(table: Any, fmt: str) -> HttpResponse:
    if fmt == "svg":
        return HttpResponse(render(table), content_type="image/svg+xml; charset=utf-8")
    if fmt == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(table_xlsx(table), content_type=XLSX)
    else:
        raise NotFound("Format", "Format", format=fmt)
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    return response
