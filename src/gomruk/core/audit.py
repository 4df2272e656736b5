"""Audit service: every change, every read of another party's data, every border-goods query.

Written explicitly from services (not from signals), inside the caller's transaction, so an
audit row exists exactly when the change it describes was committed. Each entry carries a MAC
of its content made with a key the database does not hold (ADR 0009).

Entries are linked into a keyed chain when they are *sealed* (ADR 0004). With
``GOMRUK_AUDIT_SEALING = "immediate"`` the writer seals in its own transaction, queuing on the
chain head; with ``"deferred"`` (the default on PostgreSQL) the writer only inserts, and the
worker's sealing task (``core.tasks``) links whatever has been committed, in batches — so
concurrent requests never wait for one another on the chain head. Sealing checks each entry's
MAC first and refuses to link one that does not match.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from gomruk.core import rawrows
from gomruk.core.audit_checkpoints import audit_checkpoint
from gomruk.core.audit_keys import entry_mac, key_id, link_hash
from gomruk.core.audit_verify import ChainReport, audit_verify
from gomruk.core.models import AuditChainHead, AuditEntry

__all__ = [
    "ChainReport", "SealReport", "AuditKeyMismatch", "audit_checkpoint", "audit_record", "audit_seal",
    "audit_verify", "sealing_mode",
]

log = logging.getLogger("gomruk.audit")
SEAL_BATCH = 2000


class AuditKeyMismatch(RuntimeError):
    """This process's GOMRUK_AUDIT_KEY is not the key the chain was sealed with."""


def sealing_mode() -> str:
    return str(settings.GOMRUK_AUDIT_SEALING)


def audit_record(
    *,
    actor: Any | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    outcome: str = "ok",
    details: dict[str, Any] | None = None,
    with_rows: Sequence[Model] = (),
) -> AuditEntry:
    """Record one entry, authenticated at once. Sealed at once (immediate mode) or by the
    worker's sealing task after the caller's commit (deferred mode); either way it is written
    in the caller's transaction. ``with_rows``: new rows of the change recorded (its status
    event, the signature or acceptance it keeps), inserted first — in deferred mode by the
    entry's own statement."""
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
        nonce=secrets.token_hex(16),
    )
    entry.mac = entry_mac(entry)
    if sealing_mode() == "deferred":
        # One INSERT, the change's row included: the request's whole share of the audit work.
        rawrows.insert_together(*with_rows, entry)
        return entry
    if with_rows:
        rawrows.insert_together(*with_rows)
    with transaction.atomic():
        head = _locked_head()
        # Entries left pending by a deferred-mode process go first, so the chain keeps the
        # order in which entries reached the database.
        while _seal_pending(head, batch=SEAL_BATCH).examined == SEAL_BATCH:
            pass
        _link(entry, head)
        _insert(entry)
        _save_head(head)
    return entry


def _insert(entry: AuditEntry) -> None:
    rawrows.insert(entry)


@dataclass
class SealReport:
    sealed: int = 0
    refused: list[int] = field(default_factory=list)  # ids of entries whose MAC did not match
    examined: int = 0


def audit_seal(*, batch: int = SEAL_BATCH) -> SealReport:
    """Link every committed, unsealed entry into the chain (oldest first), after checking its MAC.

    Sealers queue on the chain-head row, and each re-reads the unsealed entries once it holds
    it, so two sealers never link the same entry and none is left behind."""
    report = SealReport()
    while True:
        with transaction.atomic():
            head = _locked_head()
            step = _seal_pending(head, batch=batch)
            if step.sealed:
                _save_head(head)
        report.sealed += step.sealed
        report.refused += step.refused
        report.examined += step.examined
        if step.examined < batch:
            return report


def _locked_head() -> AuditChainHead:
    try:
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    except AuditChainHead.DoesNotExist:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    if head.key_id and head.key_id != key_id():
        raise AuditKeyMismatch(
            "GOMRUK_AUDIT_KEY of this process is not the key the audit chain was sealed with; "
            "every node and worker must use the same key."
        )
    return head


def _save_head(head: AuditChainHead) -> None:
    head.key_id = key_id()
    head.save(update_fields=["last_sequence", "last_hash", "key_id"])


def _seal_pending(head: AuditChainHead, *, batch: int) -> SealReport:
    pending = list(
        AuditEntry.objects.filter(sequence__isnull=True, refused=False).order_by("id")[:batch]
    )
    links: list[tuple[int, int, str, str]] = []
    refused: list[int] = []
    for entry in pending:
        if not entry.mac or entry_mac(entry) != entry.mac:
            refused.append(entry.pk)
            continue
        _link(entry, head)
        links.append((entry.pk, entry.sequence, entry.previous_hash, entry.entry_hash))  # type: ignore[arg-type]
    _store_links(links)
    if refused:
        AuditEntry.objects.filter(pk__in=refused).update(refused=True)
        log.error(
            "audit sealing refused %d entries whose MAC does not match (forged, altered, or written "
            "with another GOMRUK_AUDIT_KEY): ids %s", len(refused), refused[:20],
        )
    return SealReport(sealed=len(links), refused=refused, examined=len(pending))


def _store_links(links: list[tuple[int, int, str, str]]) -> None:
    """One set-based UPDATE per chunk (a VALUES list joined on id), instead of an UPDATE per
    row or a CASE per row and column. PostgreSQL and SQLite (3.33+) both read this SQL."""
    if not links:
        return
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    limit = connection.features.max_query_params or 32766
    size = max(1, min(len(links), limit // 4))
    with connection.cursor() as cursor:
        for start in range(0, len(links), size):
            chunk = links[start : start + size]
            rows = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"WITH sealed (id, seq, prev, link) AS (VALUES {rows}) "  # noqa: S608 - placeholders only
                f"UPDATE {table} SET sequence = sealed.seq, previous_hash = sealed.prev, "
                f"entry_hash = sealed.link FROM sealed WHERE {table}.id = sealed.id",
                [value for row in chunk for value in row],
            )


def _link(entry: AuditEntry, head: AuditChainHead) -> None:
    entry.sequence = head.last_sequence + 1
    entry.previous_hash = head.last_hash
    entry.entry_hash = link_hash(head.last_hash, entry.sequence, entry.mac)
    head.last_sequence, head.last_hash = entry.sequence, entry.entry_hash
