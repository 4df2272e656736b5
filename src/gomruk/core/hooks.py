"""Extension points that let a lower app call an upper one without importing it.

``settings.GOMRUK_HOOKS`` maps a point's name to dotted paths of callables. The lower app
calls :func:`call_hooks` at one named place, inside its own transaction, with keyword
arguments; each callable runs in order and an exception rolls the caller back. The import
graph stays a strict stack (ADR 0010-workbench-layering): customs never imports risk, and
declarations never imports notifications.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def _resolve(path: str) -> Callable[..., Any]:
    return import_string(path)  # type: ignore[no-any-return]


def call_hooks(point: str, **kwargs: Any) -> list[Any]:
    """Call every callable named for ``point``; their results, in order."""
    paths = settings.GOMRUK_HOOKS.get(point, ())
    return [_resolve(path)(**kwargs) for path in paths]
