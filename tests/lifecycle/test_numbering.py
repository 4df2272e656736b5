from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections, transaction

from gomruk.core.errors import GomrukError
from gomruk.declarations.models import Declaration, RegistrationCounter, State
from gomruk.declarations.numbering import format_number, next_sequence, registration_number_take


@pytest.mark.django_db
def test_sequence_is_per_office_and_per_year():
    with transaction.atomic():
        first = registration_number_take(office_code="00100", on=date(2026, 3, 5))
        second = registration_number_take(office_code="00100", on=date(2026, 12, 31))
        other_office = registration_number_take(office_code="00200", on=date(2026, 3, 5))
        next_year = registration_number_take(office_code="00100", on=date(2027, 1, 1))
    assert first == "00100/050326/0000001"
    assert second == "00100/311226/0000002"
    assert other_office == "00200/050326/0000001"
    assert next_year == "00100/010127/0000001"


@pytest.mark.django_db
def test_format_is_a_setting(settings):
    settings.GOMRUK_NUMBER_FORMAT = "{year}-{office}-{sequence:05d}"
    assert format_number(office_code="00300", on=date(2026, 1, 2), sequence=42) == "2026-00300-00042"
    settings.GOMRUK_NUMBER_FORMAT = "{office}/{nonsense}"
    with pytest.raises(GomrukError) as error:
        format_number(office_code="00300", on=date(2026, 1, 2), sequence=1)
    assert error.value.code == "number_format_invalid"


@pytest.mark.django_db
def test_number_taken_by_a_rolled_back_send_is_given_again():
    """No gaps: the counter moves only when the sending transaction commits."""
    with pytest.raises(RuntimeError), transaction.atomic():
        registration_number_take(office_code="00100", on=date(2026, 3, 5))
        raise RuntimeError("send failed after the number was taken")
    with transaction.atomic():
        assert registration_number_take(office_code="00100", on=date(2026, 3, 5)).endswith("/0000001")


@pytest.mark.django_db
@pytest.mark.parametrize("upsert", [True, False], ids=["upsert-returning", "lock-then-update"])
def test_both_ways_of_taking_a_number_agree(monkeypatch, upsert):
    """The one-statement upsert and the fallback for databases that cannot return from it give
    the same sequence and leave the same counter."""
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", upsert)
    with transaction.atomic():
        taken = [next_sequence(office_code="00400", year=2026) for _ in range(3)]
    assert taken == [1, 2, 3]
    assert RegistrationCounter.objects.get(office_code="00400", year=2026).last_sequence == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sequence_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_sequence(office_code="00100", year=2026)


@pytest.mark.django_db
def test_sending_writes_the_number_into_box_7(journey):
    first = journey.send(journey.at(State.CONFIRMED))
    second = journey.send(journey.at(State.CONFIRMED))
    today = first.sent_at.astimezone().strftime("%d%m%y")  # settings.TIME_ZONE is the local zone
    assert first.registration_number.startswith("00100/")
    assert first.registration_number.split("/")[2] == "0000001"
    assert second.registration_number.split("/")[2] == "0000002"
    assert len(first.registration_number.split("/")[1]) == len(today)
    assert first.document["registration_number"] == first.registration_number
    assert first.office_code == "00100"


@pytest.mark.postgres
# serialized_rollback: the flush after a transactional test must not lose the submission
# terms that a data migration published.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_sends_to_one_office_get_distinct_consecutive_numbers(journey):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are only exercised on PostgreSQL; run with DATABASE_URL=postgres://…")
    sends = 200
    # The server's connection limit (100) is shared with other test runs: 200 sends are
    # issued together from a bounded pool of threads, each with its own connection.
    workers = int(os.environ.get("GOMRUK_CONCURRENCY_WORKERS", "32"))
    declarations = [journey.at(State.CONFIRMED) for _ in range(sends)]
    start = threading.Barrier(workers)
    local = threading.local()
    errors: list[BaseException] = []

    def send(declaration: Declaration) -> str:
        if not getattr(local, "started", False):
            local.started = True
            start.wait(timeout=120)
        try:
            return journey.send(declaration).registration_number
        except BaseException as exc:  # noqa: BLE001 — collected and reported below
            errors.append(exc)
            raise
        finally:
            connections.close_all()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        numbers = list(pool.map(send, declarations))
    elapsed = time.perf_counter() - began
    print(f"{sends} concurrent sends, {workers} threads: {elapsed:.2f}s ({sends / elapsed:.0f}/s)")

    assert not errors
    sequences = sorted(int(number.rsplit("/", 1)[1]) for number in numbers)
    assert sequences == list(range(1, sends + 1))
    assert len(set(numbers)) == sends
    assert Declaration.objects.filter(state=State.SENT).count() == sends
    assert RegistrationCounter.objects.get(office_code="00100").last_sequence == sends
