"""The shape of the document model: the one reader of its Pydantic field annotations.

Every other module that needs to know what a field holds (a nested part, a list of rows, a
date, a choice), which box a field belongs to (the ``x-box`` metadata written by
:func:`gomruk.document.model.box`), or which fields a box owns asks here — the box table
(:mod:`gomruk.document.boxes`), the portal's inputs, the portal-input parser, the XML mapping,
printing and the rules. Before this module the same annotations were walked in six places,
each with its own idea of how to unwrap ``X | None`` (docs/adr/0015-box-table.md).
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from gomruk.document.model import Declaration, GoodsItem, pointer

# --- One field --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldShape:
    """A field of a document model, its annotation taken apart.

    ``kind`` is the type inside ``Optional``/``Annotated``/``list`` layers: a part of the
    document (a ``BaseModel`` subclass), a ``Literal`` or a scalar type.
    """

    name: str
    box: str | None
    annotation: Any
    many: bool
    kind: Any
    constraints: tuple[Any, ...]  # annotated_types constraints of the value
    list_constraints: tuple[Any, ...]
    required: bool

    @property
    def part(self) -> type[BaseModel] | None:
        """The nested part of the document this field holds (one, or rows of it)."""
        return self.kind if _is_model(self.kind) else None


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def _field_box(info: FieldInfo) -> str | None:
    extra = info.json_schema_extra
    if isinstance(extra, dict):
        value = extra.get("x-box")
        return str(value) if value is not None else None
    return None


def _strip(tp: Any) -> tuple[Any, list[Any]]:
    """Remove ``Optional`` and ``Annotated`` layers; collect their constraints."""
    constraints: list[Any] = []
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            base, *extra = get_args(tp)
            for item in extra:
                constraints.extend(item.metadata if isinstance(item, FieldInfo) else [item])
            tp = base
        elif origin in (Union, types.UnionType):
            options = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(options) != 1:
                return tp, constraints
            tp = options[0]
        else:
            return tp, constraints


@cache
def field_shapes(model: type[BaseModel]) -> dict[str, FieldShape]:
    """Every field of a document model, in declaration order."""
    shapes = {}
    for name, info in model.model_fields.items():
        tp, constraints = _strip(info.annotation)
        many = get_origin(tp) is list
        list_constraints: list[Any] = []
        if many:
            list_constraints = list(info.metadata)
            tp, constraints = _strip(get_args(tp)[0])
        else:
            constraints = list(info.metadata) + constraints
        shapes[name] = FieldShape(
            name=name,
            box=_field_box(info),
            annotation=info.annotation,
            many=many,
            kind=tp,
            constraints=tuple(constraints),
            list_constraints=tuple(list_constraints),
            required=info.is_required(),
        )
    return shapes


# --- What a person types into a leaf ------------------------------------------------------------


@dataclass(frozen=True)
class FieldType:
    """What a leaf field holds: ``kind`` is text, int, decimal, date, bool, choice or list."""

    kind: str
    choices: tuple[str, ...] = ()
    max_length: int | None = None


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, ...]`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def leaf_type(annotation: Any) -> FieldType | None:
    """The input kind of a scalar annotation; None for models and lists of models."""
    annotation = _unwrap(annotation)
    if typing.get_origin(annotation) is Literal:
        return FieldType("choice", tuple(str(a) for a in typing.get_args(annotation)))
    if typing.get_origin(annotation) is list:
        inner = _unwrap(typing.get_args(annotation)[0])
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return None
        return FieldType("list")
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return None
        if issubclass(annotation, bool):
            return FieldType("bool")
        if issubclass(annotation, int):
            return FieldType("int")
        if issubclass(annotation, Decimal):
            return FieldType("decimal")
        if issubclass(annotation, date):
            return FieldType("date")
    return FieldType("text")


def submodel(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """(model, is_list) for ``Party | None`` and ``list[GoodsItem]``; (None, False) otherwise."""
    annotation = _unwrap(annotation)
    is_list = typing.get_origin(annotation) is list
    if is_list:
        annotation = _unwrap(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, is_list
    return None, False


def _max_length(info: FieldInfo) -> int | None:
    for meta in getattr(info, "metadata", ()) or ():
        value = getattr(meta, "max_length", None)
        if isinstance(value, int):
            return value
    for arg in typing.get_args(info.annotation) or ():
        for meta in getattr(arg, "__metadata__", ()) or ():
            for inner in getattr(meta, "metadata", ()) or ():
                value = getattr(inner, "max_length", None)
                if isinstance(value, int):
                    return value
    return None


@cache
def field_types() -> dict[str, FieldType]:
    """Every leaf field of the document as a pointer template (``*`` for list indexes)."""
    found: dict[str, FieldType] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            path = f"{prefix}/{name}"
            child, is_list = submodel(info.annotation)
            if child is not None:
                walk(child, f"{path}/*" if is_list else path)
                continue
            kind = leaf_type(info.annotation)
            if kind is not None:
                length = _max_length(info)
                found[path] = FieldType(kind.kind, kind.choices, length) if length else kind

    walk(Declaration, "")
    return found


# --- Boxes ------------------------------------------------------------------------------------


@cache
def box_pointers() -> dict[str, tuple[str, ...]]:
    """Box → JSON Pointers (``*`` for goods items) of the top-level fields it owns."""
    found: dict[str, list[str]] = {}
    for name, shape in field_shapes(Declaration).items():
        if shape.box is not None:
            found.setdefault(shape.box, []).append(pointer(name))
    for name, shape in field_shapes(GoodsItem).items():
        if shape.box is not None:
            found.setdefault(shape.box, []).append(f"/goods/*/{name}")
    return {box_id: tuple(paths) for box_id, paths in found.items()}


def fields_of_box(box_id: str) -> list[str]:
    """JSON Pointers (with ``*`` for goods items) of every field that belongs to a box."""
    return list(box_pointers().get(box_id, ()))


@cache
def boxes_of(model: type[BaseModel]) -> frozenset[str]:
    """The boxes whose fields sit directly on a model (the declaration's header, a goods item)."""
    return frozenset(s.box for s in field_shapes(model).values() if s.box is not None)


@cache
def _locate_parts(parts: tuple[str, ...]) -> tuple[str | None, int | None]:
    model: type[BaseModel] | None = Declaration
    found_box: str | None = None
    item: int | None = None
    index = 0
    while index < len(parts) and model is not None:
        name = parts[index]
        shape = field_shapes(model).get(name)
        if shape is None:
            break
        if shape.box is not None:
            found_box = shape.box
        is_goods = model is Declaration and name == "goods"
        model = shape.part
        index += 1
        if index < len(parts) and parts[index].isdigit():
            if is_goods:
                item = int(parts[index]) + 1
            index += 1
    return found_box, item


@lru_cache(maxsize=16_384)  # a rule's findings on a hundred items repeat the same pointers
def locate(path: str) -> tuple[str | None, int | None]:
    """Box and 1-based goods item of a JSON Pointer into a declaration document."""
    parts = tuple(p.replace("~1", "/").replace("~0", "~") for p in path.strip("/").split("/") if p)
    return _locate_parts(parts)
