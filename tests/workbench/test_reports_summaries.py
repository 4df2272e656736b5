"""The dashboards' daily summaries (ADR 0016-dashboard-daily-summaries): kept by the hooks in
the transaction of the work counted, equal to the figures aggregated from the history (the
oracle, ``reports.history``), rebuilt from it, and checked against it."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gomruk.customs.services import record_channel
from gomruk.declarations.models import State
from gomruk.reports import history, selectors
from gomruk.reports.models import DailyFigure, ReleaseTime
from gomruk.reports.selectors import dashboard_scope, figure
from gomruk.reports.summaries import check, rebuild


def to_tomorrow_noon() -> dt.timedelta:
    """How far the clock moves for the history's "next day": to noon tomorrow, local time, so
    the day is tomorrow at any hour of the run (12 to 36 hours on)."""
    now = timezone.localtime()
    noon = (now + dt.timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    return noon - now


@contextmanager
def later(by: dt.timedelta):
    """The clock ``by`` later (auto_now_add, localdate): work done on another day."""
    real = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real() + by):
        yield


@pytest.fixture
def activity(journey):
    """Several declarations of two offices over two days: released (one the next day), returned
    with two boxes, refused, only sent or registered, a channel changed by a complaint."""
    made = [journey.at(State.RELEASED), journey.at(State.RETURNED), journey.at(State.REFUSED),
            journey.at(State.SENT)]
    registered = journey.at(State.REGISTERED)
    slow = journey.at(State.UNDER_CONTROL)
    from gomruk.customs import services

    services.declaration_return(officer=journey.users["inspektor"], declaration_id=journey.at(State.UNDER_CONTROL).pk,
                                reasons={"33/1": "Kod səhvdir", "31/1": "Təsvir", "2": "Göndərən"})
    record_channel(declaration=slow, channel="red", reason="Şikayət üzrə qərar", officer=journey.users["inspektor"])
    # The next day's work happens at noon tomorrow, local: a fixed 25 hours on would be the
    # day after tomorrow from 23:00 local, where "tomorrow" asks for figures not there.
    with later(to_tomorrow_noon()):
        journey.officer_step(slow, "release")
        journey.officer_step(registered, "assign_channel")
    other = journey.draft()
    for step in (journey.sign, journey.confirm):
        other = step(other)
    other = journey.send(other, office="00200")
    journey.officer_step(other, "register", officer="inspektor2")
    return [*made, registered, slow, other]


def _scopes(users):
    until = timezone.localdate() + dt.timedelta(days=1)
    analyst = users["analitik"]
    return [
        dashboard_scope(user=users["inspektor"], date_to=until),
        dashboard_scope(user=users["inspektor2"], date_to=until),
        dashboard_scope(user=analyst, date_to=until),
        dashboard_scope(user=analyst, office="00100", date_from=until, date_to=until),
        dashboard_scope(user=analyst, date_to=until - dt.timedelta(days=1)),
    ]


def _rows(scope, source):
    return {name: build(scope).rows for name, build in source.FIGURES.items()}


def _snapshot():
    figures = sorted(DailyFigure.objects.values_list("office_code", "day", "measure", "key", "count", "amount"))
    releases = sorted(ReleaseTime.objects.values_list("office_code", "day", "microseconds"))
    return figures, releases


def test_the_summaries_give_the_figures_of_the_history(activity, users):
    for scope in _scopes(users):
        assert _rows(scope, selectors) == _rows(scope, history), scope
    today, tomorrow = timezone.localdate(), timezone.localdate() + dt.timedelta(days=1)
    service = _scopes(users)[2]
    per_day = {row[0]: row[1:] for row in selectors.declarations_per_day(service).rows}
    # sent, registered, under control, released, refused, returned
    assert per_day[today] == [8, 7, 5, 1, 1, 2] and per_day[tomorrow] == [0, 0, 1, 1, 0, 0]
    assert {r[0]: r[1] for r in selectors.channel_mix(service).rows} == {
        "yaşıl": 0, "mavi": 0, "sarı": 6, "qırmızı": 1}
    assert selectors.returns_by_box(service).rows == [["33", 2], ["2", 1], ["31", 1]]
    released = {row[0]: row[1:] for row in selectors.release_times(service).rows}
    assert released[today][2] == 1 and released[tomorrow][2] == 1 and released[tomorrow][0] >= 11.9
    payments = {row[0]: row[1] for row in selectors.payments_per_day(service).rows}
    assert payments[today] > 0 and payments[tomorrow] == 0
    assert check() == []


def test_officers_see_only_their_office(activity, users):
    own, other = _scopes(users)[:2]
    assert own.office == "00100" and other.office == "00200"
    assert sum(sum(row[1:]) for row in figure(user=users["inspektor2"], name="per_day", scope=other).rows) == 2
    assert figure(user=users["inspektor2"], name="returns", scope=other).rows == []
    assert sum(row[1] for row in figure(user=users["inspektor"], name="per_day", scope=own).rows) == 7


def test_rebuild_gives_what_the_hooks_kept(activity):
    kept = _snapshot()
    assert kept[0] and kept[1]
    DailyFigure.objects.all().delete()
    ReleaseTime.objects.all().delete()
    done = rebuild()
    assert _snapshot() == kept
    assert (done.figures, done.releases) == (len(kept[0]), len(kept[1]))


def test_check_names_a_tampered_row_and_rebuild_repairs_it(activity, capsys):
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    DailyFigure.objects.filter(office_code="00100", day=today, measure="channel", key="yellow").update(count=7)
    DailyFigure.objects.filter(measure="payments", office_code="00200").delete()
    ReleaseTime.objects.filter(day=tomorrow).update(microseconds=1)
    found = {(d.office, d.day, d.measure, d.key) for d in check()}
    assert found == {("00100", today, "channel", "yellow"), ("00200", today, "payments", ""),
                     ("00100", tomorrow, "release_time", "")}
    with pytest.raises(CommandError) as failed:
        call_command("reports", "check")
    assert failed.value.returncode == 1 and "3 difference(s)" in str(failed.value)
    out = capsys.readouterr().out
    assert f"office=00100 day={today.isoformat()} measure=channel key=yellow: history 5, summary 7" in out
    assert f"office=00200 day={today.isoformat()} measure=payments" in out
    # A range rebuild touches only its days.
    call_command("reports", "rebuild", "--from", tomorrow.isoformat(), "--to", tomorrow.isoformat())
    assert {(d.day, d.measure) for d in check()} == {(today, "channel"), (today, "payments")}
    assert not check(tomorrow, tomorrow) and check(today, today)
    call_command("reports", "rebuild")
    call_command("reports", "check")
    assert "summaries equal the history" in capsys.readouterr().out


def test_the_summaries_count_in_the_transaction_of_the_work(journey, settings):
    """A transition rolled back by a later hook leaves no count behind."""
    declaration = journey.at(State.UNDER_CONTROL)
    before = _snapshot()
    hooks = {point: list(paths) for point, paths in settings.GOMRUK_HOOKS.items()}
    hooks["declaration.transitioned"].append("tests.lifecycle.test_transitions._failing_hook")
    settings.GOMRUK_HOOKS = hooks
    with pytest.raises(RuntimeError):
        journey.officer_step(declaration, "release")
    assert _snapshot() == before
    assert check() == []


def test_the_dates_of_the_commands_are_checked(db):
    with pytest.raises(CommandError):
        call_command("reports", "check", "--from", "2026-02-30")
    with pytest.raises(CommandError):
        call_command("reports", "rebuild", "--from", "2026-02-02", "--to", "2026-02-01")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_counts_of_one_office_and_day_are_all_kept():
    """Transactions counting into the same row wait for each other (the upsert adds); none is
    lost. Real concurrent connections: PostgreSQL only."""
    import threading
    from decimal import Decimal

    from django.db import connection, connections, transaction

    from gomruk.reports.summaries import _add

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections: run with DATABASE_URL=postgres://…")
    day, workers = timezone.localdate(), 8
    barrier, errors = threading.Barrier(workers), []

    def count() -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                _add([("00100", day, "payments", "", 1, Decimal("0.10"))])
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    row = DailyFigure.objects.get(office_code="00100", day=day, measure="payments")
    assert (row.count, row.amount) == (workers, Decimal("0.80"))
