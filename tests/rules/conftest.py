from __future__ import annotations

import copy
from datetime import date
from functools import cache
from typing import Any

import pytest

ON = date(2025, 1, 15)  # the acceptance date the examples are valid at

# Example documents by short name: (declaration type, direction, procedure, items).
BASES: dict[str, tuple[str, str | None, str | None, int]] = {
    "im": ("01", "İD", "40", 3),
    "ex": ("01", "İX", "10", 2),
    "t31": ("01", None, "31", 1),
    "t21": ("01", None, "21", 1),
    "cw": ("01", None, "74", 1),
    "ri": ("01", None, "41", 1),
    "tr": ("01", None, "80", 1),
    "ip": ("01", None, "51", 1),
    "op": ("01", None, "52", 1),
    "one": ("01", "İD", "40", 1),
    "nb": ("02", None, None, 1),
    "nb3": ("03", None, None, 1),
    "sb4": ("04", None, None, 1),
    "sb5": ("05", None, None, 1),
    "sb6": ("06", None, None, 1),
    "eb7": ("07", None, None, 1),
    "eb8": ("08", None, None, 1),
    "qib": ("11", None, None, 1),
    "qixb": ("12", None, None, 1),
}


@cache
def _built(name: str) -> dict[str, Any]:
    from gomruk.demo.rule_examples import example_document

    dtype, direction, procedure, items = BASES[name]
    return example_document(dtype, direction, procedure, items=items)


@pytest.fixture
def base():
    def make(name: str = "im") -> dict[str, Any]:
        return copy.deepcopy(_built(name))

    return make
