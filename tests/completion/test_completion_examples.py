"""Issue 16.1: every valid example with its computed boxes blanked validates clean after
``complete`` — and gets back exactly the values it had."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gomruk.declarations.completion import complete
from gomruk.document.model import Declaration as Document
from gomruk.duties.rates import static_rates
from gomruk.duties.tariff import sample_snapshot
from gomruk.reference.snapshot import packaged_reference
from gomruk.rules.engine import validate_payload

ON = date(2025, 1, 15)  # the examples' acceptance date and the date of box A's rate
DATA = Path(__file__).resolve().parents[1] / "data" / "declarations"
VALID = DATA / "valid"
EXAMPLES = sorted(VALID.glob("*.json"))


def facts() -> dict[str, Any]:
    return {
        "reference": packaged_reference(),
        "tariff": sample_snapshot(),
        "rates": static_rates({"USD": Decimal("1.7")}, ON),
        "on": ON,
    }


def _parts(path: str) -> list[str]:
    return path.strip("/").split("/")


def get(data: Any, path: str) -> Any:
    for part in _parts(path):
        if data is None:
            return None
        data = data[int(part)] if isinstance(data, list) else data.get(part)
    return data


def blank(data: dict[str, Any], path: str) -> None:
    *head, last = _parts(path)
    node: Any = data
    for part in head:
        node = node[int(part)] if isinstance(node, list) else node.get(part)
        if node is None:
            return
    if last == "payments":
        # Box 47 keeps what the declarant chooses (type, ÖÜ method); the figures go.
        node[last] = [{k: v for k, v in line.items() if k in ("payment_type", "method")} for line in node[last]]
    else:
        node.pop(last, None)


def _blanked(path: Path) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    original = json.loads(path.read_text(encoding="utf-8"))
    computed = sorted(complete(original, **facts()).computed)
    draft = json.loads(path.read_text(encoding="utf-8"))
    for pointer in computed:
        blank(draft, pointer)
    return original, draft, computed


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_complete_refills_every_computed_box_of_a_valid_example(path):
    original, draft, computed = _blanked(path)
    assert computed, "every example has computed boxes"
    result = complete(draft, **facts())
    errors = validate_payload(json.dumps(result.document), reference=packaged_reference(), on=ON)
    assert [e.as_dict() for e in errors] == []
    for pointer in computed:
        assert json.dumps(get(result.document, pointer)) == json.dumps(get(original, pointer)), pointer
    assert {f.pointer for f in result.filled} <= set(computed)
    assert result.overridden == []


def test_complete_on_a_valid_example_changes_nothing():
    original = json.loads((DATA / "valid" / "01-id-40.json").read_text(encoding="utf-8"))
    result = complete(original, **facts())
    assert result.filled == []
    assert result.overridden == []
    assert result.document == Document.model_validate(original).to_data()


#: What issue 16's measure (fewer typed fields) derives: box 15/17 names, box 34 from box 16,
#: the defaults of boxes 36, 37, 43, box 44's line from its code, box 31's quantity in kg.
DERIVED = {
    "/dispatch_country_name",
    "/destination_country_name",
    "/goods/*/origin_country/alpha",
    "/goods/*/privilege",
    "/goods/*/procedure_code",
    "/goods/*/valuation/adjusted",
    "/goods/*/valuation/method",
    "/goods/*/documents/*/line",
    "/goods/*/quantity",
}


def in_kilograms(document: dict[str, Any]) -> dict[str, Any]:
    """01-id-40 with its box-31 quantities in kilograms (box 41: 166 — kq)."""
    for item in document["goods"]:
        item.update(quantity=item["net_mass"], quantity_unit="kq", supplementary_unit="166")
    return document


def test_a_quantity_in_kilograms_is_refilled_from_the_net_mass(tmp_path):
    path = tmp_path / "01-id-40-kq.json"
    path.write_text(json.dumps(in_kilograms(json.loads((VALID / "01-id-40.json").read_text(encoding="utf-8")))))
    test_complete_refills_every_computed_box_of_a_valid_example(path)
    computed = complete(json.loads(path.read_text(encoding="utf-8")), **facts()).computed
    assert computed["/goods/0/quantity"].formula.en == "box 38: net mass 100.250 kq"


def test_the_examples_meet_every_derivation():
    templates: set[str] = set()
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    documents.append(in_kilograms(json.loads((VALID / "01-id-40.json").read_text(encoding="utf-8"))))
    for document in documents:
        templates |= {re.sub(r"/\d+(?=/|$)", "/*", p) for p in complete(document, **facts()).computed}
    assert templates >= DERIVED
