"""An in-memory, read-only view of every classifier, for the rules engine, duties and printing.

Rules run on every keystroke section and on 100-item documents, so lookups must not touch
the database. :func:`current_reference` gives the administrators' current rows (rebuilt only
when a row changed); :func:`packaged_reference` the data files as shipped (no database).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache

from gomruk.core.memory import long_lived_built
from gomruk.reference.data import Entry, manifest, read_entries

_UNKNOWN = object()
_FOUND_BOUND = 50_000


class ReferenceData:
    def __init__(self, tables: Mapping[str, Iterable[Entry]]) -> None:
        self._tables: dict[str, tuple[Entry, ...]] = {n: tuple(rows) for n, rows in tables.items()}
        self._by_code: dict[str, dict[str, tuple[Entry, ...]]] = {}
        for name, rows in self._tables.items():
            index: dict[str, list[Entry]] = defaultdict(list)
            for row in rows:
                index[row.code].append(row)
            self._by_code[name] = {code: tuple(items) for code, items in index.items()}
        self._attr_index: dict[tuple[str, str], dict[str, tuple[Entry, ...]]] = {}
        # Answers of lookup(): a 100-item validation asks ~1,200 times for a few dozen codes.
        # The snapshot never changes, so they stay true; the bound keeps a long-lived process
        # that sees many dates from growing it without end.
        self._found: dict[tuple[str, str, date | None], Entry | None] = {}
        self._memos: dict[str, dict[object, object]] = {}
        self._lock = threading.Lock()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._tables)

    def entries(self, name: str) -> tuple[Entry, ...]:
        return self._tables.get(name, ())

    def lookup(self, name: str, code: str | None, on: date | None = None) -> Entry | None:
        """The first row with this code valid on the given date (None: any date)."""
        if code is None:
            return None
        key = (name, code if type(code) is str else str(code), on)
        found = self._found.get(key, _UNKNOWN)
        if found is not _UNKNOWN:
            return found  # type: ignore[return-value]
        found = None
        for row in self._by_code.get(name, {}).get(key[1], ()):
            if row.valid_on(on):
                found = row
                break
        if len(self._found) >= _FOUND_BOUND:
            self._found.clear()
        self._found[key] = found
        return found

    def memo(self, name: str) -> dict[object, object]:
        """A dict of answers derived from this snapshot alone (they stay true: it never
        changes), kept with it so a new snapshot starts empty. Callers bound what they put in."""
        found = self._memos.get(name)
        if found is None:
            found = self._memos.setdefault(name, {})
        return found

    def lookup_all(self, name: str, code: str | None) -> tuple[Entry, ...]:
        return self._by_code.get(name, {}).get(str(code), ()) if code is not None else ()

    def has(self, name: str, code: str | None, on: date | None = None) -> bool:
        return self.lookup(name, code, on) is not None

    def by_attribute(self, name: str, attribute: str, value: str | None) -> tuple[Entry, ...]:
        """Rows whose extra column ``attribute`` equals ``value`` (e.g. countries by alpha2)."""
        if value is None:
            return ()
        key = (name, attribute)
        index = self._attr_index.get(key)
        if index is None:
            with self._lock:
                built: dict[str, list[Entry]] = defaultdict(list)
                for row in self.entries(name):
                    built[str(row.attributes.get(attribute, ""))].append(row)
                index = {k: tuple(v) for k, v in built.items()}
                self._attr_index[key] = index
        return index.get(str(value), ())


def table_stamps(*models: type) -> tuple[tuple[object, ...], ...]:
    """(row count, latest ``updated_at``) of each model's table in one raw query: the snapshots
    ask this on every validation to know whether to rebuild, so it must cost one round trip
    and no ORM compilation."""
    from django.db import connection

    parts = []
    for model in models:
        table = connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]
        # Table names of our own models, quoted by the backend: no user input reaches the SQL.
        parts.append(f"SELECT COUNT(*), MAX(updated_at) FROM {table}")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return tuple(tuple(row) for row in cursor.fetchall())


_recent: dict[tuple[str, ...], tuple[float, tuple[tuple[object, ...], ...]]] = {}
_watched: set[type] = set()
# Inside :func:`shared_table_stamps`: the stamps it read, by table group, answered again
# without asking the database (whatever GOMRUK_REFERENCE_RECHECK says).
_shared: ContextVar[dict[tuple[str, ...], tuple[tuple[object, ...], ...]] | None] = ContextVar(
    "gomruk_shared_table_stamps", default=None
)


def _group_key(models: tuple[type, ...]) -> tuple[str, ...]:
    return tuple(model._meta.db_table for model in models)  # type: ignore[attr-defined]


@contextmanager
def shared_table_stamps(*groups: tuple[type, ...]) -> Iterator[None]:
    """Within the block, :func:`recent_table_stamps` of each of these groups of models answers
    from one query made here: an operation that reads several snapshots (the signing gate:
    classifiers, tariff, nomenclature) checks their freshness in one round trip, not one each.
    A save or delete of a watched model in this process forgets the answers at once."""
    answers: dict[tuple[str, ...], tuple[tuple[object, ...], ...]] = {}
    for group in groups:
        _watch(group)
    stale = [group for group in groups if _fresh(_group_key(group)) is None]
    if stale:
        now = time.monotonic()
        stamps = table_stamps(*(model for group in stale for model in group))
        start = 0
        for group in stale:
            answers[_group_key(group)] = stamps[start : start + len(group)]
            _recent[_group_key(group)] = (now, answers[_group_key(group)])
            start += len(group)
    for group in groups:
        key = _group_key(group)
        if key not in answers:
            answers[key] = _recent[key][1]
    token = _shared.set(answers)
    try:
        yield
    finally:
        _shared.reset(token)


def _fresh(key: tuple[str, ...]) -> tuple[tuple[object, ...], ...] | None:
    """The stamps of this group read less than GOMRUK_REFERENCE_RECHECK seconds ago."""
    from django.conf import settings

    interval = settings.GOMRUK_REFERENCE_RECHECK
    known = _recent.get(key)
    if interval > 0 and known is not None and time.monotonic() - known[0] < interval:
        return known[1]
    return None


def _watch(models: tuple[type, ...]) -> None:
    from django.db.models.signals import post_delete, post_save

    for model in models:
        if model not in _watched:
            _watched.add(model)
            post_save.connect(_forget_stamps, sender=model, weak=False)
            post_delete.connect(_forget_stamps, sender=model, weak=False)


def recent_table_stamps(*models: type) -> tuple[tuple[object, ...], ...]:
    """:func:`table_stamps`, asked of the database at most once per
    ``GOMRUK_REFERENCE_RECHECK`` seconds in this process; a save or delete of one of the
    models in this process forgets the answer at once."""
    key = _group_key(models)
    shared = _shared.get()
    if shared is not None and key in shared:
        return shared[key]
    known = _fresh(key)
    if known is not None:
        return known
    _watch(models)
    now = time.monotonic()
    stamps = table_stamps(*models)
    _recent[key] = (now, stamps)
    return stamps


def _forget_stamps(**_: object) -> None:
    _recent.clear()
    shared = _shared.get()
    if shared is not None:
        shared.clear()


@cache
def packaged_reference() -> ReferenceData:
    return ReferenceData({spec.name: read_entries(spec) for spec in manifest()})


_cached: tuple[tuple[str, str], ReferenceData] | None = None
_cache_lock = threading.Lock()


def current_reference() -> ReferenceData:
    """The classifiers as stored in the database, falling back to the packaged files when the
    database has none (e.g. before ``gomruk init``)."""
    global _cached
    from gomruk.reference.models import ClassifierEntry

    ((count, latest),) = recent_table_stamps(ClassifierEntry)
    if not count:
        return packaged_reference()
    stamp = (str(count), str(latest))
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _cache_lock:
        tables: dict[str, list[Entry]] = defaultdict(list)
        rows = ClassifierEntry.objects.select_related("classifier").order_by("classifier__name", "position")
        for row in rows:
            tables[row.classifier.name].append(
                Entry(
                    key=row.key,
                    code=row.code,
                    name_az=row.name_az,
                    name_en=row.name_en,
                    valid_from=row.valid_from,
                    valid_to=row.valid_to,
                    note=row.note,
                    attributes=dict(row.attributes or {}),
                )
            )
        data = ReferenceData(tables)
        _cached = (stamp, data)
        long_lived_built()
        return data
