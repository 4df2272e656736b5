"""Audit service: every change, every read of another party's data, every border-goods query.

Written explicitly from services (not from signals), inside the caller's transaction, so an
audit row exists exactly when the change it describes was committed.

Entries are linked into a SHA-256 chain when they are *sealed* (ADR 0004). With
``GOMRUK_AUDIT_SEALING = "immediate"`` the writer seals in its own transaction, queuing on the chain
head; with ``"deferred"`` (the default on PostgreSQL) the writer only inserts, and a sealer in
the same process links whatever has been committed, in batches, right after the commit — so
concurrent requests never wait for one another on the chain head.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gomruk.core.canonical import canonical_json, sha256_hex
from gomruk.core.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
SEAL_BATCH = 2000


def _content(entry: AuditEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "created_at": entry.created_at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "outcome": entry.outcome,
        "details": entry.details,
    }


def entry_hash(entry: AuditEntry, previous_hash: str) -> str:
    return sha256_hex(previous_hash.encode("ascii") + canonical_json(_content(entry)))


def sealing_mode() -> str:
    return str(getattr(settings, "GOMRUK_AUDIT_SEALING", "immediate"))


def audit_record(
    *,
    actor: Any | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record one entry. Sealed at once (immediate mode) or right after the caller's commit
    (deferred mode); either way it is written in the caller's transaction."""
    user = actor if getattr(actor, "pk", None) else None
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=user,
        actor_label=str(getattr(actor, "username", "") or (actor or "system")),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        outcome=outcome,
        details=details or {},
    )
    if sealing_mode() == "deferred":
        entry.save(force_insert=True)
        from gomruk.core.sealer import sealer

        transaction.on_commit(sealer.wake)
        return entry
    with transaction.atomic():
        head = _locked_head()
        # Entries left pending by a deferred-mode process go first, so the chain keeps the
        # order in which entries reached the database.
        while _seal_pending(head, batch=SEAL_BATCH) == SEAL_BATCH:
            pass
        _link(entry, head)
        entry.save(force_insert=True)
        head.save(update_fields=["last_sequence", "last_hash"])
    return entry


def audit_seal(*, batch: int = SEAL_BATCH) -> int:
    """Link every committed, unsealed entry into the chain (oldest first); return how many.

    Sealers queue on the chain-head row, and each re-reads the unsealed entries once it holds
    it, so two sealers never link the same entry and none is left behind."""
    sealed = 0
    while True:
        with transaction.atomic():
            head = _locked_head()
            count = _seal_pending(head, batch=batch)
            if count:
                head.save(update_fields=["last_sequence", "last_hash"])
        sealed += count
        if count < batch:
            return sealed


def _locked_head() -> AuditChainHead:
    try:
        return AuditChainHead.objects.select_for_update().get(pk=1)
    except AuditChainHead.DoesNotExist:
        AuditChainHead.objects.get_or_create(pk=1)
        return AuditChainHead.objects.select_for_update().get(pk=1)


def _seal_pending(head: AuditChainHead, *, batch: int = SEAL_BATCH) -> int:
    pending = list(AuditEntry.objects.filter(sequence__isnull=True).order_by("id")[:batch])
    for entry in pending:
        _link(entry, head)
    AuditEntry.objects.bulk_update(pending, ["sequence", "previous_hash", "entry_hash"], batch_size=500)
    return len(pending)


def _link(entry: AuditEntry, head: AuditChainHead) -> None:
    entry.sequence = head.last_sequence + 1
    entry.previous_hash = head.last_hash
    entry.entry_hash = entry_hash(entry, head.last_hash)
    head.last_sequence, head.last_hash = entry.sequence, entry.entry_hash


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str = ""
    pending: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify() -> ChainReport:
    """Recompute the sealed chain; name the first entry whose stored hash or link does not
    match. Entries not sealed yet are counted as pending, not judged. Entries sealed while the
    check runs are followed until the chain head stands still."""
    pending = AuditEntry.objects.filter(sequence__isnull=True).count()
    previous, checked = GENESIS, 0
    head_seen: tuple[int, str] | None = None
    while True:
        newer = AuditEntry.objects.filter(sequence__gt=checked).order_by("sequence")
        for entry in newer.iterator(chunk_size=2000):
            expected = checked + 1
            if entry.sequence != expected:
                return ChainReport(checked, entry.sequence, f"missing entry before #{entry.sequence}", pending)
            if entry.previous_hash != previous:
                return ChainReport(checked, entry.sequence, "link to the previous entry is broken", pending)
            if entry_hash(entry, previous) != entry.entry_hash:
                return ChainReport(checked, entry.sequence, "content does not match its hash", pending)
            previous, checked = entry.entry_hash, expected
        head = AuditChainHead.objects.filter(pk=1).first()
        if head is None or (head.last_sequence, head.last_hash) == (checked, previous):
            return ChainReport(checked, None, pending=pending)
        if head.last_sequence > checked and (head.last_sequence, head.last_hash) != head_seen:
            # A sealer committed after our read began: read again from where we stopped. A
            # second read that began after this head was committed must reach it.
            head_seen = (head.last_sequence, head.last_hash)
            continue
        return ChainReport(checked, checked + 1, "entries after the last one are missing", pending)
