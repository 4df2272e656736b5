"""Model instances from SQL written once, for the few hot reads where the ORM's per-call SQL
compilation costs more than the query itself (the border query, issue 17).

The SQL is the caller's (built once per database vendor and cached); this module only turns a
row's values into what the ORM would have given: each column through the same database and
field converters (SQLite's text datetimes, UUIDs and decimals; JSON documents), then
``Model.from_db`` so the instance behaves like a fetched one (saved state, deferred nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
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


def instance(model: type[M], values: Sequence[Any]) -> M:
    """An instance of ``model`` from a row's slice of its concrete columns (see :func:`columns`)."""
    converted = list(values)
    for index, column, chain in _converters(model, connection.vendor):
        value = converted[index]
        for converter in chain:
            value = converter(value, column, connection)
        converted[index] = value
    return model.from_db(connection.alias, [f.attname for f in model._meta.concrete_fields], converted)


def param(model: type[Model], name: str, value: Any) -> Any:
    """A parameter compared with ``model.name`` as the ORM would send it (SQLite's UUID text …)."""
    return model._meta.get_field(name).get_db_prep_value(value, connection)  # type: ignore[union-attr]
