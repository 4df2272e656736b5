"""Audit service: every change, every read of another party's data, every border-goods query.

Written explicitly from services (not from signals), inside the caller's transaction, so an
audit row exists exactly when the change it describes was committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gomruk.core.canonical import canonical_json, sha256_hex
from gomruk.core.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64


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


def audit_record(
    *,
    actor: Any | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Writers queue on the chain-head row (a row lock on
    PostgreSQL, the write lock on SQLite), so two entries never claim the same link."""
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        user = actor if getattr(actor, "pk", None) else None
        entry = AuditEntry(
            sequence=head.last_sequence + 1,
            created_at=timezone.now(),
            actor=user,
            actor_label=str(getattr(actor, "username", "") or (actor or "system")),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            outcome=outcome,
            details=details or {},
            previous_hash=head.last_hash,
        )
        entry.entry_hash = entry_hash(entry, head.last_hash)
        entry.save(force_insert=True)
        head.last_sequence, head.last_hash = entry.sequence, entry.entry_hash
        head.save(update_fields=["last_sequence", "last_hash"])
        return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify() -> ChainReport:
    """Recompute the chain; name the first entry whose stored hash or link does not match."""
    previous = GENESIS
    expected_sequence = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return ChainReport(checked, entry.sequence, f"missing entry before #{entry.sequence}")
        if entry.previous_hash != previous:
            return ChainReport(checked, entry.sequence, "link to the previous entry is broken")
        if entry_hash(entry, previous) != entry.entry_hash:
            return ChainReport(checked, entry.sequence, "content does not match its hash")
        previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_sequence, head.last_hash) != (checked, previous):
        return ChainReport(checked, checked + 1, "entries after the last one are missing")
    return ChainReport(checked, None)
