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


def columns(model: type[Model], alias: str) -> str:
    """``alias."col1", alias."col2", …`` in the order of the model's concrete fields."""
    return ", ".join(f"{alias}.{connection.ops.quote_name(str(field.column))}" for field in model._meta.concrete_fields)


def width(model: type[Model]) -> int:
    return len(model._meta.concrete_fields)


@cache
def _converters(model: type[Model], vendor: str) -> tuple[tuple[int, Col, tuple[Converter, ...]], ...]:
    found: list[tuple[int, Col, tuple[Converter, ...]]] = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        chain = tuple(connection.ops.get_db_converters(column) + field.get_db_converters(connection))
        if chain:
            found.append((index, column, chain))
    return tuple(found)


def instances(model: type[M], rows: Sequence[Sequence[Any]], start: int = 0) -> list[M]:
    """Instances of ``model`` from each row's columns ``start …`` (see :func:`columns`)."""
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: each ``connection.x`` is a lookup
    converters = _converters(model, db.vendor)
    attnames = _attnames(model)
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
        # page of a hundred rows): every concrete field's value in ``__dict__``, the state of
        # a fetched row. The models read this way have no ``pre_init``/``post_init`` receivers.
        fetched = model.__new__(model)
        fetched.__dict__.update(zip(attnames, converted, strict=True))
        state = fetched._state = ModelState()
        state.adding, state.db = False, db.alias
        made.append(fetched)
    return made


@cache
def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def param(model: type[Model], name: str, value: Any) -> Any:
    """A parameter compared with ``model.name`` as the ORM would send it (SQLite's UUID text …)."""
    return model._meta.get_field(name).get_db_prep_value(value, connection)  # type: ignore[union-attr]
