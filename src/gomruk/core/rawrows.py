"""Model instances from SQL written once, for the few hot reads where the ORM's per-call SQL
compilation costs more than the query itself (the border query, issue 17).

The SQL is the caller's (built once per database vendor and cached); this module only turns a
row's values into what the ORM would have given: each column through the same database and
field converters (SQLite's text datetimes, UUIDs and decimals; JSON documents), in an instance
in the state ``Model.from_db`` leaves (saved, nothing deferred).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.expressions import Col

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, Any], Any]


def table(model: type[Model]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def column(model: type[Model], name: str, alias: str) -> str:
    """``alias."column"`` of the field ``name`` (a foreign key's ``…_id`` column too)."""
    field = model._meta.get_field(name)
    return f"{alias}.{connection.ops.quote_name(str(getattr(field, 'column', '')))}"


Fields = tuple[str, ...] | None


@cache
def _fields(model: type[Model], only: Fields) -> tuple[Any, ...]:
    """The concrete fields read: all, or those named in ``only`` (the others are deferred)."""
    return tuple(field for field in model._meta.concrete_fields if only is None or field.name in only)


def columns(model: type[Model], alias: str, only: Fields = None) -> str:
    """``alias."col1", alias."col2", …`` in the order of the model's concrete fields (those in
    ``only``, if given)."""
    return ", ".join(f"{alias}.{connection.ops.quote_name(str(field.column))}" for field in _fields(model, only))


def width(model: type[Model], only: Fields = None) -> int:
    return len(_fields(model, only))


@cache
def _converters(model: type[Model], vendor: str, only: Fields = None) -> tuple[tuple[int, Col, tuple[Converter, ...]], ...]:
    found: list[tuple[int, Col, tuple[Converter, ...]]] = []
    for index, field in enumerate(_fields(model, only)):
        column = field.get_col(model._meta.db_table)
        chain = tuple(connection.ops.get_db_converters(column) + field.get_db_converters(connection))
        if chain:
            found.append((index, column, chain))
    return tuple(found)


def instances(model: type[M], rows: Sequence[Sequence[Any]], start: int = 0, only: Fields = None) -> list[M]:
    """Instances of ``model`` from each row's columns ``start …`` (see :func:`columns`); the
    fields not in ``only`` are deferred, as after ``QuerySet.only``: read when first used."""
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: each ``connection.x`` is a lookup
    converters = _converters(model, db.vendor, only)
    attnames = _attnames(model, only)
    stop = start + len(attnames)
    made = []
    for row in rows:
        converted = list(row[start:stop])
        for index, column, chain in converters:
            value = converted[index]
            for converter in chain:
                value = converter(value, column, db)
            converted[index] = value
        # What ``from_db`` leaves behind, without ``Model.__init__`` (a third of the cost of a
        # page of a hundred rows): every field read has its value in ``__dict__`` (one absent
        # is deferred), the state of a fetched row. The models read this way have no ``pre_init``/``post_init`` receivers.
        fetched = model.__new__(model)
        fetched.__dict__.update(zip(attnames, converted, strict=True))
        state = fetched._state = ModelState()
        state.adding, state.db = False, db.alias
        made.append(fetched)
    return made


@cache
def _attnames(model: type[Model], only: Fields = None) -> tuple[str, ...]:
    return tuple(field.attname for field in _fields(model, only))


def param(model: type[Model], name: str, value: Any) -> Any:
    """A parameter compared with ``model.name`` as the ORM would send it (SQLite's UUID text …)."""
    return model._meta.get_field(name).get_db_prep_value(value, connection)  # type: ignore[union-attr]
