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
from gomruk.core.models import AuditEntry

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
    object_id: str | int = "",
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. The chain head is locked, so entries never fork."""
    with transaction.atomic():
        last = AuditEntry.objects.select_for_update().order_by("-sequence").first()
        sequence = (last.sequence + 1) if last else 1
        previous = last.entry_hash if last else GENESIS
        user = actor if getattr(actor, "pk", None) else None
        entry = AuditEntry(
            sequence=sequence,
            created_at=timezone.now(),
            actor=user,
            actor_label=str(getattr(actor, "username", "") or (actor or "system")),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            outcome=outcome,
            details=details or {},
            previous_hash=previous,
        )
        entry.entry_hash = entry_hash(entry, previous)
        entry.save(force_insert=True)
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
    return ChainReport(checked, None)
