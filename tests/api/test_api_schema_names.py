"""Every schema the API publishes has a name of its own: django-ninja files schemas under their
class name, so two classes of one name silently share one OpenAPI component and one of them is
documented with the other's fields (found by schemathesis: GET /rules/profile was documented
with the risk profile's schema)."""

from __future__ import annotations

import collections
import typing

from pydantic import BaseModel

from gomruk.apiv1 import api


def _models(annotation: typing.Any) -> typing.Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _models(argument)


def _published_models() -> set[type[BaseModel]]:
    todo: list[type[BaseModel]] = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in (operation.response_models or {}).values():
                    todo.extend(_models(model))
                for model in getattr(operation, "models", []) or []:
                    todo.extend(_models(model))
    seen: set[type[BaseModel]] = set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            todo.extend(_models(field.annotation))
    return seen


def test_no_two_published_schemas_share_a_name():
    by_name: dict[str, set[str]] = collections.defaultdict(set)
    for model in _published_models():
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    shared = {name: sorted(classes) for name, classes in by_name.items() if len(classes) > 1}
    assert not shared, f"schemas sharing an OpenAPI component name: {shared}"
