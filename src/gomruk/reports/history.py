"""The dashboards' figures aggregated from the history itself: status events, registrations,
channel assignments and return reasons. This is how the dashboards were computed before the
daily summaries (ADR 0016-dashboard-daily-summaries) and stays as their oracle:

* :data:`FIGURES` — each figure for one scope, straight from the history (the tests compare the
  dashboards with them);
* :func:`daily_figures` and :func:`release_times_by_day` — the same history per office and day,
  what ``gomruk reports rebuild`` writes into the summaries and ``gomruk reports check``
  compares them with.

Both read the models through ``apps`` so a data migration can use them with its historical
models.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.apps import apps as global_apps
from django.db import connection
from django.db.models import Count, FloatField, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from gomruk.declarations.models import State
from gomruk.reports.tables import (
    DAY_STATES,
    TOP_BOXES,
    FigureBuilder,
    Percentile,
    Scope,
    Table,
    channels_table,
    day_start,
    hours,
    local_day,
    nearest_rank,
    payments_table,
    per_day_table,
    release_table,
    returns_table,
)

#: (office, day, measure, key) → (count, amount); measures as :class:`reports.models.Measure`.
FigureKey = tuple[str, dt.date, str, str]


def _models(apps: Any) -> dict[str, Any]:
    return {
        "event": apps.get_model("declarations", "StatusEvent"),
        "registration": apps.get_model("customs", "Registration"),
        "channel": apps.get_model("customs", "ChannelAssignment"),
        "reason": apps.get_model("customs", "ReturnReason"),
    }


# --- Per scope: the figures as the dashboards computed them from the history ------------------


def _office(rows: QuerySet[Any], scope: Scope, path: str = "declaration__office_code") -> QuerySet[Any]:
    return rows.filter(**{path: scope.office}) if scope.office else rows


def declarations_per_day(scope: Scope) -> Table:
    event = _models(global_apps)["event"]
    rows = _office(event.objects.filter(at__gte=scope.start, at__lt=scope.end, to_state__in=DAY_STATES), scope)
    counts: dict[tuple[dt.date, str], int] = {}
    for day, state, n in (
        rows.annotate(day=TruncDate("at")).values("day", "to_state").annotate(n=Count("id"))
        .values_list("day", "to_state", "n")
    ):
        counts[(local_day(day), state)] = counts.get((local_day(day), state), 0) + n
    return per_day_table(scope, counts)


def channel_mix(scope: Scope) -> Table:
    channel = _models(global_apps)["channel"]
    rows = _office(channel.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end), scope)
    return channels_table(dict(rows.values("channel").annotate(n=Count("id")).values_list("channel", "n")))


def release_times(scope: Scope) -> Table:
    event = _models(global_apps)["event"]
    rows = _office(event.objects.filter(at__gte=scope.start, at__lt=scope.end, to_state=State.RELEASED,
                                        declaration__sent_at__isnull=False), scope)
    found: dict[dt.date, list[Any]] = {}
    if connection.vendor == "postgresql":
        # Aggregated in the database: one row per day whatever the number of releases.
        hours_sql = RawSQL("GREATEST(0, EXTRACT(EPOCH FROM (declarations_statusevent.at - declarations_declaration.sent_at)) / 3600.0)", ())
        for day, median, p90, n in (
            rows.annotate(day=TruncDate("at")).values("day")
            .annotate(
                median=Percentile(hours_sql, 0.5, output_field=FloatField()),
                p90=Percentile(hours_sql, 0.9, output_field=FloatField()),
                n=Count("id"),
            )
            .values_list("day", "median", "p90", "n")
        ):
            found[local_day(day)] = [hours(median), hours(p90), n]
    else:
        per_day: dict[dt.date, list[float]] = defaultdict(list)
        for released, sent in rows.values_list("at", "declaration__sent_at"):
            per_day[local_day(released)].append(max(0.0, (released - sent).total_seconds() / 3600))
        for day, values in per_day.items():
            found[day] = [hours(nearest_rank(values, 0.5)), hours(nearest_rank(values, 0.9)), len(values)]
    return release_table(scope, found)


def returns_by_box(scope: Scope) -> Table:
    reason = _models(global_apps)["reason"]
    rows = _office(reason.objects.filter(created_at__gte=scope.start, created_at__lt=scope.end), scope)
    return returns_table(list(rows.values("box").annotate(n=Count("id")).order_by("-n", "box")
                              .values_list("box", "n")[:TOP_BOXES]))


def payments_per_day(scope: Scope) -> Table:
    registration = _models(global_apps)["registration"]
    rows = registration.objects.filter(acceptance_date__gte=scope.date_from, acceptance_date__lte=scope.date_to)
    rows = _office(rows, scope, "office_code")
    return payments_table(scope, dict(rows.values("acceptance_date").annotate(s=Sum("payments_assessed"))
                                      .values_list("acceptance_date", "s")))


FIGURES: dict[str, FigureBuilder] = {
    "per_day": declarations_per_day,
    "channels": channel_mix,
    "release_time": release_times,
    "returns": returns_by_box,
    "payments": payments_per_day,
}


# --- Per office and day: what the summaries hold -------------------------------------------------


def _between(rows: QuerySet[Any], path: str, date_from: dt.date | None, date_to: dt.date | None) -> QuerySet[Any]:
    if date_from is not None:
        rows = rows.filter(**{f"{path}__gte": day_start(date_from)})
    if date_to is not None:
        rows = rows.filter(**{f"{path}__lt": day_start(date_to + dt.timedelta(days=1))})
    return rows


def daily_figures(date_from: dt.date | None = None, date_to: dt.date | None = None,
                  apps: Any = global_apps) -> dict[FigureKey, tuple[int, Decimal]]:
    """Every (office, day, measure, key) of the history between the two days (inclusive; open
    when not given) with its count and amount. Events count for the office the declaration
    has now, as the dashboards always counted them."""
    models = _models(apps)
    found: dict[FigureKey, tuple[int, Decimal]] = {}

    def add(office: str | None, day: Any, measure: str, key: str, n: int, amount: Any = 0) -> None:
        slot = (office or "", local_day(day), measure, key)
        count, total = found.get(slot, (0, Decimal(0)))
        found[slot] = (count + n, total + Decimal(amount or 0))

    grouped = (
        ("state", models["event"].objects.filter(to_state__in=DAY_STATES), "at", "to_state"),
        ("channel", models["channel"].objects.all(), "created_at", "channel"),
        ("return_box", models["reason"].objects.all(), "created_at", "box"),
    )
    for measure, rows, at, key in grouped:
        rows = _between(rows, at, date_from, date_to)
        for office, day, value, n in (
            rows.annotate(day=TruncDate(at)).values("declaration__office_code", "day", key).annotate(n=Count("id"))
            .values_list("declaration__office_code", "day", key, "n")
        ):
            add(office, day, measure, value, n)
    registrations = models["registration"].objects.all()
    if date_from is not None:
        registrations = registrations.filter(acceptance_date__gte=date_from)
    if date_to is not None:
        registrations = registrations.filter(acceptance_date__lte=date_to)
    for office, day, n, amount in (
        registrations.values("office_code", "acceptance_date").annotate(n=Count("id"), s=Sum("payments_assessed"))
        .values_list("office_code", "acceptance_date", "n", "s")
    ):
        add(office, day, "payments", "", n, amount)
    return found


def release_duration(released: dt.datetime, sent: dt.datetime) -> int:
    """Microseconds from sending to release (never negative: clocks of old data may disagree)."""
    return max(0, (released - sent) // dt.timedelta(microseconds=1))


def release_times_by_day(date_from: dt.date | None = None, date_to: dt.date | None = None,
                         apps: Any = global_apps) -> dict[tuple[str, dt.date], list[int]]:
    """(office, day) → the sorted durations of that day's releases, in microseconds."""
    rows = _models(apps)["event"].objects.filter(to_state=State.RELEASED, declaration__sent_at__isnull=False)
    found: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    for office, released, sent in _between(rows, "at", date_from, date_to).values_list(
        "declaration__office_code", "at", "declaration__sent_at"
    ).iterator(chunk_size=5000):
        found[(office or "", local_day(released))].append(release_duration(released, sent))
    for values in found.values():
        values.sort()
    return dict(found)
