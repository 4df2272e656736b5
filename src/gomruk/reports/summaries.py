"""Keeping the daily summaries (``reports.models``) equal to the history.

* **Incrementally**, in the transaction of the work counted, through the hook points the lower
  apps call (``settings.GOMRUK_HOOKS``, ADR 0010-workbench-layering): a transition, a
  registration, a channel recorded, return reasons recorded. A count is an upsert that adds
  (``INSERT … ON CONFLICT DO UPDATE SET count = count + …``), so concurrent transactions of one
  office and day never lose an increment; the row lock is held only to the commit.
* **From the history** by :func:`rebuild` (``gomruk reports rebuild``), and compared with it by
  :func:`check` (``gomruk reports check``). ADR 0016-dashboard-daily-summaries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps as global_apps
from django.db import connection, transaction

from gomruk.reports.history import FigureKey, daily_figures, release_duration, release_times_by_day
from gomruk.reports.models import DailyFigure, ReleaseTime
from gomruk.reports.tables import DAY_STATES, local_day

# --- Incremental: the hooks ---------------------------------------------------------------------


def _add(rows: Iterable[tuple[str, dt.date, str, str, int, Decimal]]) -> None:
    rows = list(rows)
    if not rows:
        return
    params = [(office or "", day, measure, key, n, amount) for office, day, measure, key, n, amount in rows]
    with connection.cursor() as cursor:
        if len(params) == 1:
            # A transition counts one row: psycopg's executemany would open a pipeline for it.
            cursor.execute(_ADD_SQL, params[0])
        else:
            cursor.executemany(_ADD_SQL, params)


_ADD_SQL = (
    "INSERT INTO reports_dailyfigure (office_code, day, measure, \"key\", count, amount) "
    "VALUES (%s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (office_code, measure, day, \"key\") DO UPDATE SET "
    "count = reports_dailyfigure.count + excluded.count, "
    "amount = reports_dailyfigure.amount + excluded.amount"
)


def transition_counted(*, transition: Any, **_: Any) -> None:
    """``declaration.transitioned``: a transition into a dashboard state, and a release's time
    from sending."""
    declaration, event = transition.declaration, transition.event
    if transition.to_state not in DAY_STATES:
        return
    day = local_day(event.at)
    _add([(declaration.office_code, day, "state", str(transition.to_state), 1, Decimal(0))])
    if transition.to_state == "released" and declaration.sent_at is not None:
        ReleaseTime.objects.create(office_code=declaration.office_code or "", day=day,
                                   microseconds=release_duration(event.at, declaration.sent_at))


def registration_counted(*, registration: Any, **_: Any) -> None:
    """``customs.registered``: the registration and its box B total, on its acceptance date."""
    _add([(registration.office_code, registration.acceptance_date, "payments", "", 1,
           Decimal(registration.payments_assessed or 0))])


def channel_counted(*, assignment: Any, declaration: Any, **_: Any) -> None:
    """``customs.channel_recorded``: every channel assignment (the officer's, a complaint's)."""
    _add([(declaration.office_code, local_day(assignment.created_at), "channel", assignment.channel, 1, Decimal(0))])


def return_reasons_counted(*, reasons: list[Any], declaration: Any, **_: Any) -> None:
    """``customs.returned``: the return reasons, per box."""
    per_box: dict[tuple[dt.date, str], int] = defaultdict(int)
    for reason in reasons:
        per_box[(local_day(reason.created_at), reason.box)] += 1
    _add([(declaration.office_code, day, "return_box", box, n, Decimal(0)) for (day, box), n in per_box.items()])


# --- From the history ---------------------------------------------------------------------------


def _lock(apps: Any) -> None:
    """On PostgreSQL, wait for transactions that are adding to the summaries and hold off new
    ones until the rebuild commits: each transition is then either in the history the rebuild
    reads or added after it, never both or neither."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (apps.get_model("reports", "DailyFigure"), apps.get_model("reports", "ReleaseTime")):
                cursor.execute(f"LOCK TABLE {model._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def _in_range(rows: Any, date_from: dt.date | None, date_to: dt.date | None) -> Any:
    if date_from is not None:
        rows = rows.filter(day__gte=date_from)
    if date_to is not None:
        rows = rows.filter(day__lte=date_to)
    return rows


@dataclass(frozen=True)
class Rebuilt:
    figures: int
    releases: int


def rebuild(date_from: dt.date | None = None, date_to: dt.date | None = None, apps: Any = global_apps) -> Rebuilt:
    """Replace the summaries of the days between ``date_from`` and ``date_to`` (inclusive; all
    days when not given) with what the history says. One transaction."""
    figure_model = apps.get_model("reports", "DailyFigure")
    release_model = apps.get_model("reports", "ReleaseTime")
    with transaction.atomic():
        _lock(apps)
        _in_range(figure_model.objects.all(), date_from, date_to).delete()
        _in_range(release_model.objects.all(), date_from, date_to).delete()
        figures = [
            figure_model(office_code=office, day=day, measure=measure, key=key, count=count, amount=amount)
            for (office, day, measure, key), (count, amount) in daily_figures(date_from, date_to, apps).items()
        ]
        figure_model.objects.bulk_create(figures, batch_size=2000)
        releases = [
            release_model(office_code=office, day=day, microseconds=value)
            for (office, day), values in release_times_by_day(date_from, date_to, apps).items()
            for value in values
        ]
        release_model.objects.bulk_create(releases, batch_size=5000)
    return Rebuilt(figures=len(figures), releases=len(releases))


@dataclass(frozen=True)
class Difference:
    office: str
    day: dt.date
    measure: str
    key: str
    history: Any
    summary: Any

    def __str__(self) -> str:
        where = f"office={self.office or '-'} day={self.day.isoformat()} measure={self.measure}"
        return f"{where}{f' key={self.key}' if self.key else ''}: history {self.history}, summary {self.summary}"


def check(date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[Difference]:
    """Every (office, day, measure) where the summaries and the history disagree."""
    differences = []
    history = daily_figures(date_from, date_to)
    stored: dict[FigureKey, tuple[int, Decimal]] = {
        (office, day, measure, key): (count, Decimal(amount))
        for office, day, measure, key, count, amount in _in_range(DailyFigure.objects.all(), date_from, date_to)
        .values_list("office_code", "day", "measure", "key", "count", "amount")
    }
    nothing = (0, Decimal(0))
    for slot in sorted(set(history) | set(stored)):
        want, have = history.get(slot, nothing), stored.get(slot, nothing)
        if want[0] != have[0] or want[1].quantize(Decimal("0.01")) != have[1].quantize(Decimal("0.01")):
            show = (lambda v: v[0]) if slot[2] != "payments" else (lambda v: f"{v[0]} / {v[1]:.2f} AZN")
            differences.append(Difference(*slot, history=show(want), summary=show(have)))
    released = release_times_by_day(date_from, date_to)
    kept: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    for office, day, value in _in_range(ReleaseTime.objects.all(), date_from, date_to).values_list(
        "office_code", "day", "microseconds"
    ):
        kept[(office, day)].append(value)
    for office, day in sorted(set(released) | set(kept)):
        want_times, have_times = released.get((office, day), []), sorted(kept.get((office, day), []))
        if want_times != have_times:
            differences.append(Difference(office, day, "release_time", "", history=f"{len(want_times)} releases",
                                          summary=f"{len(have_times)} releases"
                                          + (" (other durations)" if len(want_times) == len(have_times) else "")))
    return differences
