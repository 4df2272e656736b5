"""Issue 16.2: every classifier field offers exactly the codes its rules accept for the
declaration; letter codes are stored in the spec's form; a name is never stored as a code."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from gomruk.declarations.pickers import (
    CLASSIFIER_FIELDS,
    Profile,
    _own_rules,
    _siblings,
    offered,
    resolve,
    search,
)
from gomruk.declarations.portal_input import set_value
from gomruk.document.model import Declaration as Document
from gomruk.document.shape import locate
from gomruk.reference.snapshot import packaged_reference
from gomruk.rules.engine import validate

ON = date(2025, 1, 15)
VALID = Path(__file__).resolve().parents[1] / "data" / "declarations" / "valid"
EXAMPLES = ("01-id-40.json", "01-ix-10.json")


def _example(name: str) -> dict:
    return json.loads((VALID / name).read_text(encoding="utf-8"))


def _sample(choices, most=25):
    step = max(1, len(choices) // most)
    return list(choices[::step]) + list(choices[-1:])


@pytest.mark.parametrize("example", EXAMPLES)
@pytest.mark.parametrize("template", sorted(CLASSIFIER_FIELDS))
def test_every_offered_code_passes_its_rules(template, example):
    reference = packaged_reference()
    base = _example(example)
    profile = Profile.of(base, ON)
    choices = offered(template, profile, reference, base)
    pointer = template.replace("*", "0")
    box, _item = locate(pointer)
    parent = pointer.rpartition("/")[0]
    own = _own_rules(template)
    for choice in _sample(choices):
        data = copy.deepcopy(base)
        set_value(data, "/goods/0/documents/0/line", data["goods"][0]["documents"][0]["line"])
        value = [choice.code] if template.endswith("/office_codes") else choice.code
        if template.endswith("/documents/*/code"):
            set_value(data, "/goods/0/documents/0/line", int(choice.code[0]))
        set_value(data, pointer, value)
        for sibling in _siblings(template):  # the other code of the same row (10's numeric, 52's letter)
            same_row = [c.code for c in offered(sibling, profile, reference, base) if c.classifier_code == choice.classifier_code]
            set_value(data, sibling.replace("*", "0"), same_row[0])
        errors = validate(Document.model_validate(data), reference=reference, on=ON, boxes={box})
        refused = [e for e in errors if e.path in (pointer, parent, f"{pointer}/0") and e.rule in own]
        assert refused == [], (choice.code, [e.as_dict() for e in refused])


def test_what_is_not_offered_is_what_the_rules_refuse():
    reference = packaged_reference()
    imports, exports = (Profile.of(_example(name), ON) for name in EXAMPLES)
    # Box 1: the procedures of the direction only ("10 İxrac" is not offered on an import).
    assert "10" not in {c.code for c in offered("/procedure", imports, reference)}
    assert "40" in {c.code for c in offered("/procedure", imports, reference)}
    assert "40" not in {c.code for c in offered("/procedure", exports, reference)}
    data = _example("01-id-40.json") | {"procedure": "10"}
    assert "V-1-4" in {e.rule for e in validate(Document.model_validate(data), reference=reference, on=ON, boxes={"1"})}
    # Box 10: alpha-3 on an import (V-10-1), alpha-2 on an export.
    assert "AZE" in {c.code for c in offered("/first_destination_country/alpha", imports, reference)}
    assert "AZ" not in {c.code for c in offered("/first_destination_country/alpha", imports, reference)}
    assert "GE" in {c.code for c in offered("/first_destination_country/alpha", exports, reference)}
    # Box 20's settlement codes follow the direction too.
    assert {c.code for c in offered("/delivery_terms/settlement_code", imports, reference)}.isdisjoint(
        {c.code for c in offered("/delivery_terms/settlement_code", exports, reference)}
    )


@pytest.mark.parametrize(
    ("template", "typed", "stored"),
    [
        ("/invoice_currency", "USD", "840"),
        ("/invoice_currency", "usd", "840"),
        ("/delivery_terms/code", "FCA", "02"),
        ("/delivery_terms/code", "FSA", "02"),
        ("/first_destination_country/alpha", "AZ", "AZE"),
        ("/goods/*/origin_country/alpha", "tur", "TR"),
        ("/border_transport/nationality", "TR", "792"),
        ("/guarantee/code", "BQ", "33"),
        ("/procedure", "40", "40"),
        ("/goods/*/privilege", "999", "999"),  # an unknown code is stored: its rule reports it
    ],
)
def test_letter_codes_are_stored_in_the_specs_form(template, typed, stored):
    profile = Profile.of(_example("01-id-40.json"), ON)
    assert resolve(template, typed, profile, packaged_reference()).code == stored


def test_a_name_is_never_stored_as_a_code_and_the_field_says_what_it_expected():
    profile = Profile.of(_example("01-id-40.json"), ON)
    found = resolve("/goods/*/origin_country/alpha", "Türkiyə", profile, packaged_reference())
    assert found.code is None
    assert found.expected == (
        "Bu sahəyə ad deyil, kod yazılır: TR — Türkiyə.",
        "This field takes a code, not a name: TR — Türkiyə.",
    )
    export = resolve("/procedure", "İxrac", profile, packaged_reference())
    assert export.code is None and "10 — İxrac" in export.expected[1] and "not accepted" in export.expected[1]


def test_search_by_code_and_by_name_in_either_language():
    profile = Profile.of(_example("01-id-40.json"), ON)
    reference = packaged_reference()
    assert [c.code for c in search("/invoice_currency", "84", profile, reference)][:1] == ["840"]
    assert "AZE" in [c.code for c in search("/first_destination_country/alpha", "azərb", profile, reference)]
    assert "DEU" in [c.code for c in search("/first_destination_country/alpha", "germany", profile, reference)]
