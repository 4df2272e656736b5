"""Migration 0004 re-anchors a chain sealed the old way (unkeyed SHA-256 links) with the audit key,
after checking it end to end, so no unkeyed link survives for an insider to imitate."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
import rfc8785
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# serialized_rollback: like every committing test, leave the data migrations' rows as found.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("core", "0003_audit_deferred_sealing")]
AFTER = [("core", "0004_audit_keys_and_checkpoints")]


def _old_chain(apps, count: int, *, break_at: int | None = None) -> None:
    Entry = apps.get_model("core", "AuditEntry")
    Head = apps.get_model("core", "AuditChainHead")
    previous = "0" * 64
    for number in range(1, count + 1):
        entry = Entry(sequence=number, created_at=datetime(2026, 1, number, tzinfo=UTC), actor_label="system",
                      action="test.old", object_id=str(number), details={"n": number}, previous_hash=previous)
        content = {"sequence": number, "created_at": entry.created_at.isoformat(), "actor": None,
                   "actor_label": "system", "action": "test.old", "object_type": "", "object_id": str(number),
                   "outcome": "ok", "details": {"n": number}}
        entry.entry_hash = hashlib.sha256(previous.encode() + rfc8785.dumps(content)).hexdigest()
        if number == break_at:
            entry.details = {"n": -1}
        entry.save()
        previous = entry.entry_hash
    Entry.objects.create(created_at=datetime(2026, 2, 1, tzinfo=UTC), actor_label="system", action="test.pending")
    Head.objects.update_or_create(pk=1, defaults={"last_sequence": count, "last_hash": previous})


@pytest.fixture
def at_0003():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield MigrationExecutor(connection)
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def test_an_intact_old_chain_is_re_anchored_with_the_key(at_0003):
    _old_chain(at_0003.loader.project_state(BEFORE).apps, 5)
    at_0003.migrate(AFTER)
    from gomruk.core.audit import audit_seal, audit_verify

    assert audit_seal().sealed == 1  # the pending entry got its MAC, so sealing takes it
    report = audit_verify()
    assert report.ok and report.checked == 6


def test_a_broken_old_chain_stops_the_upgrade(at_0003):
    old = at_0003.loader.project_state(BEFORE).apps
    _old_chain(old, 4, break_at=3)
    with pytest.raises(RuntimeError, match="broken at entry #3"):
        at_0003.migrate(AFTER)
    old.get_model("core", "AuditEntry").objects.all().delete()  # so the fixture can migrate forward
