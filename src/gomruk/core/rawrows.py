"""Model instances from SQL written once, for the few hot reads where the ORM's per-call SQL
compilation costs more than the query itself (the border query, issue 17).

The SQL is the caller's (built once per database vendor and cached); this module only turns a
row's values into what the ORM would have given: each column through the same database and
field converters (SQLite's text datetimes, UUIDs and decimals; JSON documents), in an instance
in the state ``Model.from_db`` leaves (saved, nothing deferred).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.expressions import Col
from django.db.models.signals import post_save, pre_save

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


def insert(instance: Model) -> None:
    """``instance`` saved as a new row by an INSERT written once per model and database, not
    compiled by the ORM for every row (half the cost of ``save()``): for the rows every step of
    a journey writes (status events, audit entries, signatures, a draft, a frozen version). It
    does what ``save()`` does for a new row — each field's ``pre_save`` (``auto_now_add``), the
    generated key read back. A model with a ``pre_save``/``post_save`` receiver or a parent
    model, or a value that is an expression other than one that writes its own SQL
    (``standalone_sql``, such as :class:`gomruk.core.json_text.JSONText`), goes to ``save()``."""
    insert_together(instance)


def insert_together(*instances: Model) -> None:
    """Each of ``instances`` (of any models) saved as :func:`insert` saves it, all by one
    statement on PostgreSQL (a data-modifying ``WITH`` per row, each generated key read back):
    the rows one change writes together — a state change's status event and its audit entry —
    cost one round trip. Elsewhere one statement each, in order; a row that goes to ``save()``
    is saved first. PostgreSQL runs the WITHs in no set order, so two rows of one table whose
    keys must follow their order (audit entries are sealed in key order) do not go together."""
    db = connections[DEFAULT_DB_ALIAS]
    written: list[tuple[Model, str, list[Any], bool]] = []
    for instance in instances:
        parts = _insert_parts(instance, db)
        if parts is None:
            instance.save(force_insert=True)
        else:
            written.append((instance, *parts))
    if db.vendor != "postgresql" or len(written) < 2:
        for row in written:
            _execute_insert(*row, db)
        return
    ctes, params, reads = [], [], []
    for index, (_instance, sql, values, generated) in enumerate(written):
        ctes.append(f"r{index} AS ({sql})")
        params.extend(values)
        reads.append(f"(SELECT * FROM r{index})" if generated else "NULL")  # noqa: S608 (names made here)
    with db.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} SELECT {', '.join(reads)}", params)
        keys = cursor.fetchone()
    for (instance, _sql, _values, generated), key in zip(written, keys, strict=True):
        if generated:
            instance.pk = key
        instance._state.adding, instance._state.db = False, db.alias


def _insert_parts(instance: Model, db: Any) -> tuple[str, list[Any], bool] | None:
    """The INSERT of ``instance`` and its parameters, and whether the database generates its
    key; None: it goes to ``save()``."""
    model = type(instance)
    if _needs_save(model) or not db.features.can_return_columns_from_insert:
        return None
    generated = instance.pk is None
    placeholders: list[str] = []
    params: list[Any] = []
    for field in _insert_fields(model, generated):
        value = field.pre_save(instance, True)
        if hasattr(value, "resolve_expression"):
            if not getattr(value, "standalone_sql", False):
                return None
            sql, more = value.as_sql(None, db)
            placeholders.append(sql)
            params.extend(more)
        else:
            placeholders.append("%s")
            params.append(field.get_db_prep_save(value, db))
    return _insert_sql(model, db.vendor, generated, tuple(placeholders)), params, generated


def _execute_insert(instance: Model, sql: str, params: list[Any], generated: bool, db: Any) -> None:
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        if generated:
            instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, db.alias


def _needs_save(model: type[Model]) -> bool:
    return bool(model._meta.parents) or pre_save.has_listeners(model) or post_save.has_listeners(model)


@cache
def _insert_fields(model: type[Model], generated: bool) -> tuple[Any, ...]:
    auto = model._meta.auto_field
    return tuple(field for field in model._meta.local_concrete_fields if not (generated and field is auto))


@cache
def _insert_sql(model: type[Model], vendor: str, generated: bool, placeholders: tuple[str, ...]) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    fields = _insert_fields(model, generated)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(placeholders)})"
    )
    return sql + (f" RETURNING {quote(str(model._meta.pk.column))}" if generated else "")  # type: ignore[union-attr]


def update(instance: Model, names: Sequence[str], assignments: Mapping[str, Any] | None = None) -> None:
    """``instance.save(update_fields=names)`` by an UPDATE written once per model, database and
    set of columns: the state change every step of a declaration makes. Each field's
    ``pre_save`` runs (``auto_now``). As with :func:`insert`, a model with receivers or parents
    and a value that is an expression go to ``save()``, as does a row the UPDATE did not find
    (which ``save()`` reports). ``assignments``: fields set in the same statement by an
    expression that writes its own SQL (``standalone_sql``), not from the instance (box 7 set
    inside the stored document as the declaration is sent)."""
    model = type(instance)
    db = connections[DEFAULT_DB_ALIAS]
    extra = dict(assignments or {})
    fields = _update_fields(model, tuple(names))
    values = [field.pre_save(instance, False) for field in fields]
    plain = all(getattr(value, "standalone_sql", False) for value in extra.values())
    if _needs_save(model) or not plain or any(hasattr(value, "resolve_expression") for value in values):
        _saved(instance, names, extra)
        return
    params = [field.get_db_prep_save(value, db) for field, value in zip(fields, values, strict=True)]
    expressions: list[str] = []
    for value in extra.values():
        sql, more = value.as_sql(None, db)
        expressions.append(sql)
        params.extend(more)
    params.append(model._meta.pk.get_db_prep_value(instance.pk, db))  # type: ignore[union-attr]
    with db.cursor() as cursor:
        cursor.execute(_update_sql(model, db.vendor, tuple(names), tuple(zip(extra, expressions, strict=True))), params)
        found = cursor.rowcount
    if found != 1:
        _saved(instance, names, extra)


def _saved(instance: Model, names: Sequence[str], assignments: dict[str, Any]) -> None:
    if assignments:
        type(instance)._default_manager.filter(pk=instance.pk).update(**assignments)
    instance.save(update_fields=names)


@cache
def _update_fields(model: type[Model], names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(model._meta.get_field(name) for name in dict.fromkeys(names))


@cache
def _update_sql(model: type[Model], vendor: str, names: tuple[str, ...], expressions: tuple[tuple[str, str], ...] = ()) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    assigned = [f"{quote(field.column)} = %s" for field in _update_fields(model, names)]
    assigned += [f"{quote(str(model._meta.get_field(name).column))} = {sql}" for name, sql in expressions]  # type: ignore[union-attr]
    assignments = ", ".join(assigned)
    return f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(str(model._meta.pk.column))} = %s"  # type: ignore[union-attr]  # noqa: S608
