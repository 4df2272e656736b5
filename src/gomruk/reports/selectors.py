"""The dashboards' figures for one office or the whole service over a date range, read from
the daily summaries (``reports.models``; one indexed query per figure, whatever the history's
size — ADR 0016-dashboard-daily-summaries). ``reports.history`` computes the same figures
from the history and is the summaries' oracle (``gomruk reports check``). Each figure is a :class:`Table` (columns and rows): the chart, the accessible table
beside it and the CSV/XLSX download are all drawn from the same one.

Who sees what: an officer its own office only; a risk analyst or an administrator any office
or the whole service.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Count, QuerySet, Sum
from django.utils import timezone

from gomruk.accounts.models import Role, User
from gomruk.accounts.selectors import officer_office
from gomruk.core.audit import audit_record
from gomruk.core.errors import Bilingual, GomrukError, PermissionDenied
from gomruk.reports.errors import ERRORS
from gomruk.reports.models import DailyFigure, Measure, ReleaseTime
from gomruk.reports.tables import (
    DEFAULT_DAYS,
    MAX_DAYS,
    MICROSECONDS_PER_HOUR,
    TOP_BOXES,
    FigureBuilder,
    Percentile,
    Scope,
    Table,
    channels_table,
    hours,
    nearest_rank,
    payments_table,
    per_day_table,
    release_table,
    returns_table,
)

__all__ = ["FIGURES", "Scope", "Table", "dashboard", "dashboard_scope", "figure"]


def _invalid(field_name: str, message_az: str, message_en: str) -> GomrukError:
    return ERRORS.error(
        "invalid_filter", status=422, details={"field": field_name}, reason=Bilingual(message_az, message_en)
    )


def _date(value: Any, field_name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _invalid(field_name, f"«{value}» tarix deyil (İİİİ-AA-GG).", f"'{value}' is not a date (YYYY-MM-DD).")


def dashboard_scope(*, user: User, office: str | None = None, date_from: Any = None, date_to: Any = None) -> Scope:
    own = officer_office(user)
    if own is not None:
        if office not in (None, "", own):
            raise PermissionDenied("Yalnız öz gömrük orqanınızın göstəricilərini görə bilərsiniz.",
                                   "You may see only your own customs office's figures.")
        office = own
    elif getattr(user, "role", None) not in (Role.RISK_ANALYST, Role.ADMINISTRATOR) and not getattr(
        user, "is_superuser", False
    ):
        raise PermissionDenied("Göstəriciləri yalnız gömrük əməkdaşları görə bilər.",
                               "Only customs staff may see the dashboards.")
    if office and (not str(office).isdigit() or len(str(office)) != 5):
        raise _invalid("office", "Gömrük orqanının kodu 5 rəqəmdir.", "The customs office code is 5 digits.")
    end = _date(date_to, "to") or timezone.localdate()
    start = _date(date_from, "from") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise _invalid("from", "Başlanğıc tarixi son tarixdən sonra ola bilməz.", "The start date is after the end date.")
    if (end - start).days + 1 > MAX_DAYS:
        raise _invalid("from", f"Dövr ən çox {MAX_DAYS} gün ola bilər.", f"The period can be at most {MAX_DAYS} days.")
    return Scope(office=office or None, date_from=start, date_to=end)


def _office(rows: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    return rows.filter(office_code=scope.office) if scope.office else rows


def _figures(scope: Scope, measure: str) -> QuerySet[DailyFigure]:
    return _office(DailyFigure.objects.filter(measure=measure, day__gte=scope.date_from, day__lte=scope.date_to),
                   scope)


def declarations_per_day(scope: Scope) -> Table:
    counts = {(day, key): n for day, key, n in _figures(scope, Measure.STATE).values("day", "key")
              .annotate(n=Sum("count")).values_list("day", "key", "n")}
    return per_day_table(scope, counts)


def channel_mix(scope: Scope) -> Table:
    return channels_table(dict(_figures(scope, Measure.CHANNEL).values("key").annotate(n=Sum("count"))
                               .values_list("key", "n")))


def release_times(scope: Scope) -> Table:
    rows = _office(ReleaseTime.objects.filter(day__gte=scope.date_from, day__lte=scope.date_to), scope)
    found: dict[dt.date, list[Any]] = {}
    if connection.vendor == "postgresql":
        for day, median, p90, n in (
            rows.values("day").annotate(
                median=Percentile("microseconds", 0.5, output_field=BigIntegerField()),
                p90=Percentile("microseconds", 0.9, output_field=BigIntegerField()),
                n=Count("id"),
            )
            .values_list("day", "median", "p90", "n")
        ):
            found[day] = [hours(median / MICROSECONDS_PER_HOUR), hours(p90 / MICROSECONDS_PER_HOUR), n]
    else:
        per_day: dict[dt.date, list[int]] = defaultdict(list)
        for day, value in rows.values_list("day", "microseconds"):
            per_day[day].append(value)
        for day, values in per_day.items():
            found[day] = [hours(nearest_rank(values, 0.5) / MICROSECONDS_PER_HOUR),
                          hours(nearest_rank(values, 0.9) / MICROSECONDS_PER_HOUR), len(values)]
    return release_table(scope, found)


def returns_by_box(scope: Scope) -> Table:
    return returns_table(list(_figures(scope, Measure.RETURN_BOX).values("key").annotate(n=Sum("count"))
                              .order_by("-n", "key").values_list("key", "n")[:TOP_BOXES]))


def payments_per_day(scope: Scope) -> Table:
    return payments_table(scope, dict(_figures(scope, Measure.PAYMENTS).values("day").annotate(s=Sum("amount"))
                                      .values_list("day", "s")))


FIGURES: dict[str, FigureBuilder] = {
    "per_day": declarations_per_day,
    "channels": channel_mix,
    "release_time": release_times,
    "returns": returns_by_box,
    "payments": payments_per_day,
}


def figure(*, user: User, name: str, scope: Scope) -> Table:
    if name not in FIGURES:
        raise _invalid("name", f"«{name}» göstəricisi yoxdur.", f"There is no figure '{name}'.")
    return FIGURES[name](scope)


def dashboard(*, user: User, scope: Scope) -> list[Table]:
    audit_record(actor=user, action="reports.dashboard.read", object_type="office", object_id=scope.office or "*",
                 details={"from": scope.date_from.isoformat(), "to": scope.date_to.isoformat()})
    return [build(scope) for build in FIGURES.values()]
