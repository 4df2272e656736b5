"""``gomruk audit verify``: recompute the audit chain and compare it with its checkpoints.

Read-only, so an auditor can run it with a read-only database account. What it can tell apart
(ADR 0009): content changed after it was written (MAC), links forged or recomputed without the
key, entries missing from the middle, entries cut off the end (the head row, and checkpoints
that vouch for more), a chain rewritten under a checkpoint, checkpoints forged or deleted from
the database, forged entries waiting for sealing or refused by it, and replayed entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count

from gomruk.core.audit_checkpoints import (
    Checkpoint,
    checkpoint_file,
    checkpoints_from_database,
    checkpoints_from_file,
)
from gomruk.core.audit_keys import (
    GENESIS,
    checkpoint_signature_valid,
    entry_mac,
    key_id,
    link_hash,
)
from gomruk.core.models import AuditChainHead, AuditEntry

LISTED = 20  # per kind of break; the count says how many more


@dataclass(frozen=True)
class Break:
    kind: str
    sequence: int | None  # the chain position it concerns, when it has one
    message: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    breaks: tuple[Break, ...] = ()
    pending: int = 0
    checkpoints: int = 0  # authentic checkpoints compared with the chain
    omitted: dict[str, int] = field(default_factory=dict)  # kind -> breaks not listed

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def broken_at(self) -> int | None:
        """The first chain position found broken (None when the chain is sound, or when only
        something off the chain is wrong)."""
        positions = [b.sequence for b in self.breaks if b.sequence is not None]
        return min(positions) if positions else None

    @property
    def reason(self) -> str:
        """What is wrong at ``broken_at`` (or, with no chain position, the first problem)."""
        at = self.broken_at
        first = next((b for b in self.breaks if b.sequence == at), self.breaks[0] if self.breaks else None)
        return first.message if first else ""

    def kinds(self) -> set[str]:
        return {b.kind for b in self.breaks}


class _Breaks:
    def __init__(self) -> None:
        self.listed: list[Break] = []
        self.omitted: dict[str, int] = {}

    def add(self, kind: str, sequence: int | None, message: str) -> None:
        if sum(1 for b in self.listed if b.kind == kind) >= LISTED:
            self.omitted[kind] = self.omitted.get(kind, 0) + 1
        else:
            self.listed.append(Break(kind, sequence, message))


def audit_verify(*, checkpoint_files: Iterable[Path] = ()) -> ChainReport:
    """Check the sealed chain, the entries waiting for sealing and every checkpoint readable
    here: the database's, this node's file, and ``checkpoint_files`` (copies kept elsewhere,
    e.g. by an outside party polling the published checkpoints)."""
    breaks = _Breaks()
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.key_id and head.key_id != key_id():
        breaks.add("key", None, "this node's GOMRUK_AUDIT_KEY is not the key the chain was sealed with: "
                                "nothing can be checked with it")
        return ChainReport(0, tuple(breaks.listed))
    checkpoints = _checkpoints([checkpoint_file(), *checkpoint_files], breaks)
    pending = _pending(breaks)
    walk = _Walk({cp.sequence for cp in checkpoints})
    walk.run(breaks)
    _compare(checkpoints, walk, breaks)
    _replays(breaks)
    return ChainReport(walk.checked, tuple(breaks.listed), pending, len(checkpoints), breaks.omitted)


class _Walk:
    """Recomputes the sealed chain from the start; follows entries sealed while it runs until
    the chain head stands still."""

    def __init__(self, remember: set[int]) -> None:
        self.previous, self.checked = GENESIS, 0
        self.remember = remember
        self.links: dict[int, str] = {}  # the links at checkpointed positions
        self.broken = False

    def run(self, breaks: _Breaks) -> None:
        head_seen: tuple[int, str] | None = None
        while True:
            for entry in self._newer():
                problem = self._check(entry)
                if problem is not None:
                    breaks.add(*problem)
                    self.broken = True
                    return
            head = AuditChainHead.objects.filter(pk=1).first()
            if head is None:
                if self.checked:
                    breaks.add("head", None, "the chain head row is missing")
                return
            if (head.last_sequence, head.last_hash) == (self.checked, self.previous):
                return
            if head.last_sequence > self.checked and (head.last_sequence, head.last_hash) != head_seen:
                # A sealer committed after our read began: read again from where we stopped. A
                # second read that began after this head was committed must reach it.
                head_seen = (head.last_sequence, head.last_hash)
                continue
            if head.last_sequence > self.checked:
                breaks.add("missing", self.checked + 1,
                           f"entries #{self.checked + 1}–#{head.last_sequence} after the last one are "
                           "missing (the chain head names them)")
            else:
                breaks.add("head", self.checked,
                           f"the chain head names #{head.last_sequence} {head.last_hash[:12]}…, but the "
                           f"chain ends at #{self.checked} {self.previous[:12]}…: the head was moved")
            return

    def _newer(self) -> Iterator[AuditEntry]:
        rows = AuditEntry.objects.filter(sequence__gt=self.checked).order_by("sequence")
        return rows.iterator(chunk_size=2000)

    def _check(self, entry: AuditEntry) -> tuple[str, int | None, str] | None:
        expected = self.checked + 1
        sequence = entry.sequence or 0
        if sequence != expected:
            return ("missing", expected, f"entry #{expected} is missing (the chain jumps to #{sequence})")
        if entry.previous_hash != self.previous:
            return ("link", expected, f"entry #{expected}: link to the previous entry is broken")
        if not entry.mac:
            return ("forged", expected, f"entry #{expected} has no MAC (forged, or its MAC was stripped)")
        if entry_mac(entry) != entry.mac:
            return ("altered", expected,
                    f"entry #{expected}: content does not match its MAC (changed after it was written)")
        if link_hash(self.previous, expected, entry.mac) != entry.entry_hash:
            return ("forged", expected,
                    f"entry #{expected}: its link was not made with the audit key (forged or recomputed)")
        if expected in self.remember:
            self.links[expected] = entry.entry_hash or ""
        self.previous, self.checked = entry.entry_hash or "", expected
        return None


def _checkpoints(files: list[Path], breaks: _Breaks) -> list[Checkpoint]:
    """The authentic checkpoints, one per (sequence, head); reports forged, unreadable and
    deleted ones."""
    stored = list(checkpoints_from_database())
    from_files: list[Checkpoint] = []
    for path in files:
        found, unreadable = checkpoints_from_file(path)
        from_files += found
        for bad in unreadable:
            breaks.add("checkpoint_forged", None, f"checkpoint {bad.source} cannot be read: {bad.reason}")
    authentic: dict[tuple[int, str], Checkpoint] = {}
    for cp in [*stored, *from_files]:
        if not checkpoint_signature_valid(sequence=cp.sequence, head=cp.head, time=cp.time, key=cp.key,
                                          signature=cp.signature):
            breaks.add("checkpoint_forged", None,
                       f"checkpoint #{cp.sequence} ({cp.source}) is not signed with this trail's key")
            continue
        authentic.setdefault((cp.sequence, cp.head), cp)
    in_database = {(cp.sequence, cp.head) for cp in stored}
    for cp in from_files:
        if (cp.sequence, cp.head) in authentic and (cp.sequence, cp.head) not in in_database:
            breaks.add("checkpoint_deleted", None,
                       f"checkpoint #{cp.sequence} of {cp.time} ({cp.source}) is missing from the database: deleted")
    return sorted(authentic.values(), key=lambda cp: cp.sequence)


def _compare(checkpoints: list[Checkpoint], walk: _Walk, breaks: _Breaks) -> None:
    unseen = [cp for cp in checkpoints if cp.sequence not in walk.links]
    links = dict(walk.links)
    if unseen:  # beyond a break: look the positions up directly
        rows = AuditEntry.objects.filter(sequence__in=[cp.sequence for cp in unseen])
        links.update((seq or 0, link or "") for seq, link in rows.values_list("sequence", "entry_hash"))
    last = AuditEntry.objects.filter(sequence__isnull=False).order_by("-sequence").values_list(
        "sequence", flat=True).first() or 0
    truncated = [cp for cp in checkpoints if cp.sequence not in links and cp.sequence > last]
    if truncated:
        cp = truncated[-1]
        breaks.add("truncated", last + 1,
                   f"checkpoint of {cp.time} ({cp.source}) vouches for {cp.sequence} entries, the chain "
                   f"has {last}: entries were cut off the end")
    for cp in checkpoints:
        if cp.sequence in links and links[cp.sequence] != cp.head:
            breaks.add("rewritten", cp.sequence,
                       f"entry #{cp.sequence} is not the one the checkpoint of {cp.time} ({cp.source}) "
                       "vouches for: the chain was rewritten")
        elif cp.sequence not in links and cp.sequence <= last:
            breaks.add("missing", cp.sequence,
                       f"entry #{cp.sequence}, vouched for by the checkpoint of {cp.time}, is missing")


def _pending(breaks: _Breaks) -> int:
    pending = 0
    for entry in AuditEntry.objects.filter(sequence__isnull=True).order_by("id").iterator(chunk_size=2000):
        if entry.refused:
            breaks.add("refused", None,
                       f"entry id {entry.pk} ({entry.action}) was refused by sealing: its MAC does not match "
                       "(forged, altered before sealing, or written with another key)")
        elif not entry.mac or entry_mac(entry) != entry.mac:
            breaks.add("forged", None,
                       f"entry id {entry.pk} ({entry.action}), waiting for sealing, does not authenticate "
                       "(forged or altered); sealing will refuse it")
        else:
            pending += 1
    return pending


def _replays(breaks: _Breaks) -> None:
    copies = (
        AuditEntry.objects.exclude(mac="").values("mac").annotate(n=Count("id")).filter(n__gt=1)
    )
    for row in copies[:LISTED]:
        breaks.add("replayed", None, f"{row['n']} entries carry the same MAC {row['mac'][:12]}…: copies of one entry")
