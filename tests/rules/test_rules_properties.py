"""Hypothesis properties of the engine."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gomruk.demo.rule_examples import example_document
from gomruk.document.model import Declaration
from gomruk.reference.snapshot import packaged_reference
from gomruk.rules.checks.profile import all_required_leaves
from gomruk.rules.engine import validate, validate_payload
from gomruk.rules.profiles import BoxStatus, profile_for, profile_keys

ON = date(2025, 1, 15)
REF = packaged_reference()
# One key per profile column, with the direction the examples use.
KEYS = sorted({profile_for(*k).column: (k[0], None, k[2]) for k in profile_keys()}.values(), key=str)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def valid_documents(draw):
    dtype, direction, procedure = draw(st.sampled_from(KEYS))
    items = draw(st.integers(min_value=1, max_value=7))
    return example_document(dtype, direction, procedure, items=items)


@SETTINGS
@given(valid_documents())
def test_valid_declaration_stays_valid_after_canonical_round_trip(data):
    document = Declaration.model_validate(data)
    assert validate(document, reference=REF, on=ON) == []
    again = Declaration.model_validate_json(document.canonical_bytes())
    assert again == document
    assert again.canonical_bytes() == document.canonical_bytes()
    assert validate(again, reference=REF, on=ON) == []


def _delete(data, pattern, item):
    parts = pattern.strip("/").split("/")
    node = data
    if parts[0] == "goods":
        node = data["goods"][item]
        parts = parts[2:]
    for part in parts[:-1]:
        node = node.get(part)
        if node is None:
            return False
    return node.pop(parts[-1], None) not in (None, "", [])


@SETTINGS
@given(valid_documents(), st.data())
def test_removing_any_required_field_gives_an_error_at_its_box_and_item(data, draw):
    dtype = data["declaration_type"]
    profile = profile_for(dtype, data["direction"], data["procedure"])
    leaves = [p for p in all_required_leaves(profile.boxes(BoxStatus.MUST)) if p != "/goods/*/payments"]
    pattern = draw.draw(st.sampled_from(leaves))
    item = draw.draw(st.integers(min_value=0, max_value=len(data["goods"]) - 1)) if pattern.startswith("/goods/") else None
    if not _delete(data, pattern, item):
        return  # the example does not fill this leaf (an optional part of a required box)
    from gomruk.document.shape import locate

    box, _ = locate(pattern.replace("*", "0"))
    errors = validate_payload(data, reference=REF, on=ON)
    expected_item = None if item is None else item + 1
    assert any(e.box == box and e.item == expected_item and e.severity == "error" for e in errors), (
        pattern,
        item,
        [(e.rule, e.box, e.item) for e in errors],
    )
