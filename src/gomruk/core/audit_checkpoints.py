"""Signed checkpoints of the audit chain head, published outside the database (ADR 0009).

A checkpoint says "the chain had N entries, the last one linked as H, at time T", signed with
the Ed25519 checkpoint key. Each is stored in the database (so every web node serves the latest
at ``GET /api/v1/audit/checkpoints/latest``) and appended to ``GOMRUK_AUDIT_CHECKPOINT_FILE``
on the node that wrote it. Verification compares the chain with every checkpoint it can read:
one that vouches for more entries than the chain has, or for another last link, shows that
the chain was cut or rewritten; one in the file but gone from the database shows that
checkpoints were deleted to hide it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from gomruk.core.audit_keys import checkpoint_sign, entry_mac, link_hash
from gomruk.core.models import AuditChainHead, AuditCheckpoint, AuditEntry

log = logging.getLogger("gomruk.audit")


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    head: str
    time: str
    key: str
    signature: str
    source: str  # where it was read: "database" or "<file>:<line>"

    def as_json(self) -> dict[str, object]:
        return {"sequence": self.sequence, "head": self.head, "time": self.time, "key": self.key,
                "signature": self.signature}


def checkpoint_of(row: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(row.sequence, row.head_hash, _time(row.created_at), row.public_key_id,
                      row.signature, "database")


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def checkpoint_file() -> Path:
    return Path(settings.GOMRUK_AUDIT_CHECKPOINT_FILE)


def audit_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Sign and publish the current chain head, unless no checkpoint is due: the head has not
    moved past the last checkpoint, or (without ``force``) the last one is younger than
    ``GOMRUK_AUDIT_CHECKPOINT_INTERVAL``. A head whose last entry does not authenticate is
    never signed."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_sequence == 0:
        return None
    latest = AuditCheckpoint.objects.order_by("-sequence").first()
    now = timezone.now()
    if latest is not None:
        if latest.sequence >= head.last_sequence:
            return None
        age = (now - latest.created_at).total_seconds()
        if not force and age < float(settings.GOMRUK_AUDIT_CHECKPOINT_INTERVAL):
            return None
    last = AuditEntry.objects.filter(sequence=head.last_sequence).first()
    if last is None or last.entry_hash != head.last_hash or not _authentic(last):
        log.error("audit checkpoint not written: the chain head #%s does not match an authentic entry",
                  head.last_sequence)
        return None
    moment = now.replace(microsecond=0)
    signature, key = checkpoint_sign(sequence=head.last_sequence, head=head.last_hash, time=_time(moment))
    AuditCheckpoint.objects.bulk_create(
        [AuditCheckpoint(sequence=head.last_sequence, head_hash=head.last_hash, created_at=moment,
                         public_key_id=key, signature=signature)],
        ignore_conflicts=True,  # another sealer vouched for the same head meanwhile: same facts
    )
    checkpoint = Checkpoint(head.last_sequence, head.last_hash, _time(moment), key, signature, "database")
    _append(checkpoint_file(), checkpoint)
    return checkpoint


def _authentic(entry: AuditEntry) -> bool:
    return bool(entry.mac) and entry_mac(entry) == entry.mac and link_hash(
        entry.previous_hash, entry.sequence or 0, entry.mac
    ) == entry.entry_hash


def _append(path: Path, checkpoint: Checkpoint) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(checkpoint.as_json(), sort_keys=True) + "\n"
    # O_APPEND: lines of two writers never interleave; fsync: a checkpoint reported written is on disk.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Unreadable:
    source: str
    reason: str


def checkpoints_from_file(path: Path) -> tuple[list[Checkpoint], list[Unreadable]]:
    """Checkpoints of a JSON-lines file (this node's, or a copy an outside party kept)."""
    found: list[Checkpoint] = []
    unreadable: list[Unreadable] = []
    if not path.exists():
        return found, unreadable
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                data = json.loads(line)
                found.append(Checkpoint(int(data["sequence"]), str(data["head"]), str(data["time"]),
                                        str(data["key"]), str(data["signature"]), source))
            except (ValueError, KeyError, TypeError) as exc:
                unreadable.append(Unreadable(source, f"not a checkpoint ({exc.__class__.__name__})"))
    return found, unreadable


def checkpoints_from_database() -> Iterable[Checkpoint]:
    return (checkpoint_of(row) for row in AuditCheckpoint.objects.order_by("sequence").iterator())


def checkpoint_latest() -> Checkpoint | None:
    row = AuditCheckpoint.objects.order_by("-sequence").first()
    return checkpoint_of(row) if row is not None else None
