"""An insider with write access to the database, but not to the audit keys, tampers with the
audit trail (issue 13 item 8, ADR 0009). Each tamper here passed `gomruk audit verify` before
entries and links were keyed and the head was published; each must now be reported.

The insider knows every algorithm, so where they "recompute" they use the chain's former public
rule (SHA-256 of the previous link and the entry's canonical JSON) — all one can do without the
key.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from io import StringIO

import pytest
import rfc8785
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from gomruk.core.audit import AuditKeyMismatch, audit_record, audit_seal, audit_verify
from gomruk.core.models import AuditChainHead, AuditCheckpoint, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _outside(settings, tmp_path):
    settings.GOMRUK_AUDIT_CHECKPOINT_FILE = tmp_path / "home" / "audit-checkpoints.jsonl"
    settings.GOMRUK_AUDIT_SEALING = "immediate"
    return settings


def _trail(count: int, *, checkpoint: bool) -> list[AuditEntry]:
    for n in range(count):
        audit_record(actor=None, action="declaration.send", object_type="declaration", object_id=n,
                     details={"registration_number": f"00100/010126/{n:07d}"})
    if checkpoint:
        call_command("audit", "seal", stdout=StringIO())
    return list(AuditEntry.objects.order_by("sequence"))


def _verify() -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as error:
        return False, f"{out.getvalue()}\n{error}"
    return True, out.getvalue()


def _public_link(entry: AuditEntry, previous: str) -> str:
    content = {
        "sequence": entry.sequence, "created_at": entry.created_at.isoformat(), "actor": entry.actor_id,
        "actor_label": entry.actor_label, "action": entry.action, "object_type": entry.object_type,
        "object_id": entry.object_id, "outcome": entry.outcome, "details": entry.details,
    }
    return hashlib.sha256(previous.encode("ascii") + rfc8785.dumps(content)).hexdigest()


def _relink(*, strip_macs: bool = False) -> None:
    """Renumber the sealed rows 1…n, recompute every link the public way, move the head."""
    previous = "0" * 64
    rows = list(AuditEntry.objects.filter(sequence__isnull=False).order_by("sequence"))
    AuditEntry.objects.filter(pk__in=[r.pk for r in rows]).update(sequence=None, entry_hash=None)
    for number, row in enumerate(rows, start=1):
        row.sequence, row.previous_hash = number, previous
        if strip_macs:
            row.mac = row.nonce = ""
        row.entry_hash = previous = _public_link(row, previous)
        row.save()
    AuditChainHead.objects.filter(pk=1).update(last_sequence=len(rows), last_hash=previous)


# 1 -----------------------------------------------------------------------------------------------
def test_1_content_changed_while_waiting_for_sealing_is_refused(settings):
    settings.GOMRUK_AUDIT_SEALING = "deferred"
    entries = _trail(3, checkpoint=False)
    AuditEntry.objects.filter(pk=entries[1].pk).update(outcome="denied")  # before the sealer runs
    with pytest.raises(CommandError, match="Refused 1 entries"):
        call_command("audit", "seal", stdout=StringIO())
    assert AuditEntry.objects.filter(sequence__isnull=False).count() == 2  # never linked
    assert AuditEntry.objects.get(pk=entries[1].pk).refused
    ok, output = _verify()
    assert not ok and "[refused]" in output and f"entry id {entries[1].pk}" in output


# 2 -----------------------------------------------------------------------------------------------
def test_2_a_middle_entry_deleted_and_the_rest_relinked_is_caught():
    entries = _trail(6, checkpoint=False)
    AuditEntry.objects.filter(pk=entries[2].pk).delete()
    _relink()
    report = audit_verify()
    assert not report.ok and report.broken_at == 1 and report.kinds() == {"forged"}
    ok, output = _verify()
    assert not ok and "not made with the audit key" in output


# 3 -----------------------------------------------------------------------------------------------
def test_3_the_last_entries_cut_off_and_the_head_moved_back_is_caught():
    entries = _trail(6, checkpoint=True)
    AuditEntry.objects.filter(sequence__gt=4).delete()
    AuditChainHead.objects.filter(pk=1).update(last_sequence=4, last_hash=entries[3].entry_hash)
    report = audit_verify()
    assert not report.ok and report.kinds() == {"truncated"}
    ok, output = _verify()
    assert not ok and "vouches for 6 entries, the chain has 4" in output


def test_3b_deleting_the_checkpoints_from_the_database_as_well_is_caught():
    entries = _trail(6, checkpoint=True)
    AuditEntry.objects.filter(sequence__gt=4).delete()
    AuditChainHead.objects.filter(pk=1).update(last_sequence=4, last_hash=entries[3].entry_hash)
    AuditCheckpoint.objects.all().delete()
    report = audit_verify()
    assert report.kinds() == {"truncated", "checkpoint_deleted"}


def test_3c_a_copy_kept_outside_catches_it_when_every_copy_here_is_gone(settings, tmp_path):
    entries = _trail(6, checkpoint=True)
    kept = tmp_path / "polled.jsonl"  # what an outside party saved from the endpoint
    kept.write_text(settings.GOMRUK_AUDIT_CHECKPOINT_FILE.read_text())
    AuditEntry.objects.filter(sequence__gt=4).delete()
    AuditChainHead.objects.filter(pk=1).update(last_sequence=4, last_hash=entries[3].entry_hash)
    AuditCheckpoint.objects.all().delete()
    settings.GOMRUK_AUDIT_CHECKPOINT_FILE.unlink()
    assert audit_verify().ok  # nothing here remembers the lost entries …
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--checkpoints", str(kept), stdout=out)
    assert "[truncated]" in out.getvalue() and "[checkpoint_deleted]" in out.getvalue()  # … the copy does


# 4 -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("strip_macs", [False, True], ids=["macs-kept", "macs-stripped"])
def test_4_a_row_changed_and_the_whole_chain_recomputed_is_caught(strip_macs):
    entries = _trail(5, checkpoint=False)
    AuditEntry.objects.filter(pk=entries[1].pk).update(outcome="denied")
    _relink(strip_macs=strip_macs)
    report = audit_verify()
    # The first recomputed link is the first break: without the key no link can be remade.
    assert (report.ok, report.broken_at, report.kinds()) == (False, 1, {"forged"})
    ok, output = _verify()
    assert not ok and "#1" in output


def test_4b_a_row_changed_under_a_checkpoint_is_reported_as_a_rewrite():
    entries = _trail(5, checkpoint=True)
    AuditEntry.objects.filter(pk=entries[1].pk).update(outcome="denied")
    _relink()
    report = audit_verify()
    assert "rewritten" in report.kinds() and "forged" in report.kinds()


def test_4c_a_row_changed_without_touching_the_links_is_named():
    entries = _trail(4, checkpoint=False)
    AuditEntry.objects.filter(pk=entries[2].pk).update(details={"registration_number": "forged"})
    report = audit_verify()
    assert (report.broken_at, report.kinds()) == (3, {"altered"})
    ok, output = _verify()
    assert not ok and "BROKEN at entry #3: entry #3: content does not match its MAC" in output


# 5 -----------------------------------------------------------------------------------------------
def test_5_a_forged_unsealed_entry_is_refused_by_sealing(settings):
    settings.GOMRUK_AUDIT_SEALING = "deferred"
    _trail(2, checkpoint=False)
    forged = AuditEntry.objects.create(
        created_at=timezone.now(), actor_label="system", action="declaration.release",
        object_type="declaration", object_id="7", nonce=secrets.token_hex(16), mac=secrets.token_hex(32),
    )
    assert not audit_verify().ok  # already before sealing
    with pytest.raises(CommandError, match=f"ids \\[{forged.pk}\\]"):
        call_command("audit", "seal", stdout=StringIO())
    assert list(AuditEntry.objects.filter(sequence__isnull=False).values_list("action", flat=True)) == [
        "declaration.send", "declaration.send",
    ]
    assert audit_verify().kinds() == {"refused"}


def test_5b_a_copy_of_an_authentic_entry_cannot_be_slipped_in(settings):
    settings.GOMRUK_AUDIT_SEALING = "deferred"
    (original,) = _trail(1, checkpoint=False)
    copy = AuditEntry.objects.get(pk=original.pk)
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


# 6 -----------------------------------------------------------------------------------------------
def test_6_a_forged_sealed_entry_with_a_forged_head_is_caught():
    entries = _trail(3, checkpoint=False)
    last = entries[-1]
    forged = AuditEntry(
        sequence=4, created_at=timezone.now(), actor_label="inspektor", action="declaration.release",
        object_type="declaration", object_id="1", previous_hash=last.entry_hash or "",
        nonce=secrets.token_hex(16), mac=secrets.token_hex(32),
    )
    forged.entry_hash = _public_link(forged, last.entry_hash or "")
    forged.save()
    AuditChainHead.objects.filter(pk=1).update(last_sequence=4, last_hash=forged.entry_hash)
    report = audit_verify()
    assert (report.broken_at, report.kinds()) == (4, {"altered"})
    ok, output = _verify()
    assert not ok and "#4" in output


def test_6b_a_forged_checkpoint_is_caught():
    _trail(3, checkpoint=True)
    AuditCheckpoint.objects.create(sequence=9, head_hash="f" * 64, created_at=timezone.now(),
                                   public_key_id="0" * 16, signature="AAAA")
    report = audit_verify()
    assert "checkpoint_forged" in report.kinds()


def test_6c_an_unreadable_line_in_the_checkpoint_file_is_reported(settings):
    _trail(2, checkpoint=True)
    with settings.GOMRUK_AUDIT_CHECKPOINT_FILE.open("a") as handle:
        handle.write("not json\n")
    assert audit_verify().kinds() == {"checkpoint_forged"}


# The untampered trail, and the keys -------------------------------------------------------------
def test_an_untouched_trail_verifies_with_its_checkpoints(settings):
    _trail(4, checkpoint=True)
    ok, output = _verify()
    assert ok and "OK: 4 audit entries, chain intact, 1 checkpoints match" in output
    line = json.loads(settings.GOMRUK_AUDIT_CHECKPOINT_FILE.read_text())
    assert line["sequence"] == 4 and line["head"] == AuditChainHead.objects.get().last_hash


def test_a_node_with_another_audit_key_is_told_so(settings):
    _trail(2, checkpoint=False)
    settings.GOMRUK_AUDIT_KEY = b"another key, another node, not ours"
    assert audit_verify().kinds() == {"key"}
    with pytest.raises(AuditKeyMismatch):
        audit_seal()
    with pytest.raises(AuditKeyMismatch):
        audit_record(actor=None, action="test.event")
