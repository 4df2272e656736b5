from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from gomruk.core.models import AuditEntry
from gomruk.declarations.models import State


@pytest.fixture(autouse=True)
def _immediate_sealing(settings):
    """These tests read entries' links right after writing them; deferred sealing has its own
    tests (test_audit_sealing.py)."""
    settings.GOMRUK_AUDIT_SEALING = "immediate"


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_every_transition_leaves_a_chained_audit_entry(journey):
    declaration = journey.at(State.SENT)
    actions = list(
        AuditEntry.objects.filter(object_id=str(declaration.pk)).values_list("action", flat=True)
    )
    for action in ("declaration.create", "declaration.sign", "declaration.confirm", "declaration.send"):
        assert action in actions
    entry = AuditEntry.objects.get(object_id=str(declaration.pk), action="declaration.send")
    assert entry.actor == journey.users["deklarant"]
    assert entry.details["from"] == State.CONFIRMED and entry.details["to"] == State.SENT
    assert entry.details["registration_number"] == declaration.registration_number
    assert "OK" in _verify()


def test_altering_an_audit_row_is_caught_by_audit_verify(journey):
    declaration = journey.at(State.CONFIRMED)
    assert "chain intact" in _verify()
    target = AuditEntry.objects.get(object_id=str(declaration.pk), action="declaration.confirm")
    # Straight to the table, as someone with database access would do it.
    AuditEntry.objects.filter(pk=target.pk).update(outcome="denied")
    with pytest.raises(CommandError) as error:
        _verify()
    assert f"#{target.sequence}" in str(error.value)


def test_deleting_an_audit_row_is_caught(journey):
    journey.at(State.SIGNED)
    middle = AuditEntry.objects.order_by("sequence")[1]
    AuditEntry.objects.filter(pk=middle.pk).delete()
    with pytest.raises(CommandError) as error:
        _verify()
    assert f"#{middle.sequence + 1}" in str(error.value)


def test_refused_attempts_are_audited_too(journey):
    from gomruk.core.errors import GomrukError
    from gomruk.declarations.submission import declaration_withdraw

    declaration = journey.at(State.DRAFT)
    with pytest.raises(GomrukError):
        declaration_withdraw(user=journey.users["deklarant2"], declaration_id=declaration.pk)
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.action, entry.outcome, entry.actor) == (
        "declaration.withdraw", "denied", journey.users["deklarant2"],
    )
    assert entry.details["code"] == "not_found"
