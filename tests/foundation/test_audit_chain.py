from __future__ import annotations

import pytest

from gomruk.core.audit import audit_record, audit_verify
from gomruk.core.models import AuditEntry


@pytest.fixture(autouse=True)
def _immediate_sealing(settings):
    """These tests read entries' links right after writing them; deferred sealing has its own
    tests (test_audit_sealing.py)."""
    settings.GOMRUK_AUDIT_SEALING = "immediate"


@pytest.mark.django_db
def test_cutting_entries_off_the_end_of_the_chain_is_caught():
    for n in range(5):
        audit_record(actor=None, action="test.event", object_id=n)
    assert audit_verify().ok
    AuditEntry.objects.filter(sequence__gte=4).delete()
    report = audit_verify()
    assert not report.ok
    assert report.broken_at == 4
    assert "missing" in report.reason


@pytest.mark.django_db
def test_entries_link_in_order():
    first = audit_record(actor=None, action="a")
    second = audit_record(actor=None, action="b")
    assert second.sequence == first.sequence + 1
    assert second.previous_hash == first.entry_hash
