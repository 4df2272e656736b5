"""The example declarations: every valid one passes, every invalid one gives exactly its
expected errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from gomruk.demo.rule_examples import valid_examples
from gomruk.reference.snapshot import packaged_reference
from gomruk.rules.engine import validate_payload

ON = date(2025, 1, 15)
DATA = Path(__file__).resolve().parents[1] / "data" / "declarations"
VALID = sorted((DATA / "valid").glob("*.json"))
INVALID = sorted(p for p in (DATA / "invalid").glob("*.json") if not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_example_has_no_errors(path):
    errors = validate_payload(path.read_bytes(), reference=packaged_reference(), on=ON)
    assert [e.as_dict() for e in errors] == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_has_exactly_its_errors(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    errors = validate_payload(path.read_bytes(), reference=packaged_reference(), on=ON)
    assert {(e.rule, e.box, e.item) for e in errors} == {(x["rule"], x["box"], x["item"]) for x in expected}


def test_examples_cover_every_declaration_type_and_procedure(reference):
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in VALID]
    assert {d.get("declaration_type") for d in docs} >= {e.code for e in reference.entries("declaration-types")}
    gb_procedures = {d["procedure"] for d in docs if d.get("declaration_type") == "01"}
    assert gb_procedures == {e.code for e in reference.entries("procedures")}
    assert max(len(d["goods"]) for d in docs) == 100
    assert len(INVALID) >= 5


def test_example_files_match_the_builder():
    built = valid_examples()
    assert sorted(built) == [p.name for p in VALID]
    for path in VALID:
        assert json.loads(path.read_text(encoding="utf-8")) == built[path.name], path.name
