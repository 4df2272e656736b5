"""Deferred sealing (ADR 0004): writers only insert; the worker's sealing task links entries
into the chain after commit, in batches (one set-based UPDATE each), and nothing is lost,
duplicated or reordered on the way."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from gomruk.core.audit import audit_record, audit_seal, audit_verify
from gomruk.core.models import AuditChainHead, AuditCheckpoint, AuditEntry


@pytest.fixture
def deferred(settings):
    settings.GOMRUK_AUDIT_SEALING = "deferred"
    return settings



def _verify_output() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _assert_chain(count: int) -> None:
    rows = list(AuditEntry.objects.order_by("sequence"))
    assert [row.sequence for row in rows] == list(range(1, count + 1))
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.previous_hash == before.entry_hash
    report = audit_verify()
    assert report.ok and report.checked == count and report.pending == 0


@pytest.mark.django_db
def test_deferred_entries_wait_as_pending_and_are_sealed_in_the_order_they_were_written(deferred):
    written = [audit_record(actor=None, action="test.event", object_id=n) for n in range(3)]
    assert all(entry.sequence is None and not entry.entry_hash for entry in written)
    report = audit_verify()
    assert report.ok and (report.checked, report.pending) == (0, 3)
    assert "3 pending sealing" in _verify_output()

    assert audit_seal().sealed == 3
    _assert_chain(3)
    assert list(AuditEntry.objects.order_by("sequence").values_list("object_id", flat=True)) == ["0", "1", "2"]
    assert audit_seal().sealed == 0
    assert "OK: 3 audit entries, chain intact" in _verify_output()


@pytest.mark.django_db
def test_an_immediate_writer_seals_what_deferred_writers_left_first(deferred):
    audit_record(actor=None, action="deferred.one")
    audit_record(actor=None, action="deferred.two")
    deferred.GOMRUK_AUDIT_SEALING = "immediate"
    last = audit_record(actor=None, action="immediate")
    assert last.sequence == 3
    _assert_chain(3)
    assert [e.action for e in AuditEntry.objects.order_by("sequence")] == [
        "deferred.one", "deferred.two", "immediate",
    ]


@pytest.mark.django_db
def test_an_immediate_writer_goes_after_more_than_one_batch_of_pending_entries(deferred, monkeypatch):
    monkeypatch.setattr("gomruk.core.audit.SEAL_BATCH", 2)
    for n in range(5):
        audit_record(actor=None, action="deferred", object_id=n)
    deferred.GOMRUK_AUDIT_SEALING = "immediate"
    assert audit_record(actor=None, action="immediate").sequence == 6
    _assert_chain(6)


@pytest.mark.django_db
def test_sealing_in_batches_links_across_batch_borders(deferred):
    for n in range(7):
        audit_record(actor=None, action="test.event", object_id=n)
    assert audit_seal(batch=3).sealed == 7
    _assert_chain(7)
    assert AuditChainHead.objects.get().last_sequence == 7


@pytest.mark.django_db
def test_a_batch_is_sealed_with_one_set_based_update(deferred):
    for n in range(50):
        audit_record(actor=None, action="test.event", object_id=n)
    table = AuditEntry._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        assert audit_seal().sealed == 50
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "WITH"))
               and table in q["sql"]]
    assert len(updates) == 1, updates  # not one per entry, nor a CASE per row
    assert "CASE" not in updates[0].upper()
    _assert_chain(50)


@pytest.mark.django_db
def test_a_sealed_entry_altered_later_breaks_the_chain(deferred):
    for n in range(4):
        audit_record(actor=None, action="test.event", object_id=n)
    audit_seal()
    AuditEntry.objects.filter(sequence=2).update(details={"count": 99})
    report = audit_verify()
    assert (report.ok, report.broken_at, report.kinds()) == (False, 2, {"altered"})
    assert "content does not match its MAC" in report.reason
    with pytest.raises(CommandError, match="#2"):
        _verify_output()


# serialized_rollback: like every committing test here, it must leave the data migrations'
# rows (content types, submission terms) as it found them for the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_seals_committed_entries_and_writes_a_checkpoint(deferred, run_worker):
    with transaction.atomic():
        audit_record(actor=None, action="test.committed")
        audit_record(actor=None, action="test.committed")
        assert AuditEntry.objects.filter(sequence__isnull=True).count() == 2
    run_worker()
    _assert_chain(2)
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.sequence, checkpoint.head_hash) == (2, AuditChainHead.objects.get().last_hash)
    assert deferred.GOMRUK_AUDIT_CHECKPOINT_FILE.read_text().count("\n") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_request_leaves_no_entry_and_no_gap(deferred, run_worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="test.rolled-back")
        raise RuntimeError("the request failed")
    audit_record(actor=None, action="test.kept")
    run_worker()
    _assert_chain(1)
    assert AuditEntry.objects.get().action == "test.kept"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_and_sealers_build_one_unbroken_chain(deferred):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are exercised on PostgreSQL (SQLite has one writer at a time)")
    writers, per_writer = 16, 25
    start = threading.Barrier(writers + 2)
    reports = []

    def write(n: int) -> None:
        start.wait(timeout=60)
        try:
            for k in range(per_writer):
                with transaction.atomic():
                    audit_record(actor=None, action="test.concurrent", object_id=f"{n}-{k}")
        finally:
            connections.close_all()

    def seal_and_verify() -> None:
        start.wait(timeout=60)
        try:
            for _ in range(20):
                audit_seal(batch=7)
                reports.append(audit_verify())
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=writers + 2) as pool:
        futures = [pool.submit(write, n) for n in range(writers)]
        futures += [pool.submit(seal_and_verify) for _ in range(2)]
        for future in futures:
            future.result()
    audit_seal()
    _assert_chain(writers * per_writer)
    # Verification while sealers were at work never reported a sound chain as broken.
    assert reports and all(report.ok for report in reports)
    assert AuditEntry.objects.values("object_id").distinct().count() == writers * per_writer
