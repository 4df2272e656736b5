"""Issue 16.1: the completion service on its own (no database): system fields are recomputed,
fields the declarant may state are kept and marked, only the profile's boxes are filled."""

from __future__ import annotations

import json

from gomruk.declarations.completion import complete
from tests.completion.helpers import example, facts_only
from tests.completion.test_completion_examples import VALID, facts


def _pointers(items):
    return [(c.pointer, c.box) for c in items]


def test_a_system_field_is_recomputed_whatever_was_typed():
    document = example() | {"total_items": 9, "total_customs_value": "1.00"}
    result = complete(document, **facts())
    assert result.document["total_items"] == 3
    assert result.document["total_customs_value"] == "5151.00"
    assert _pointers(result.filled) == [("/total_items", "5"), ("/total_customs_value", "12")]
    assert result.filled[1].formula.en == "Σ box 45 = 5 151.00 AZN"


def test_a_stated_value_where_the_methodology_allows_it_is_kept_and_marked():
    document = example()
    document["goods"][0]["customs_value"] = "1750.00"  # box 43 says not adjusted: still the declarant's
    result = complete(document, **facts())
    assert result.document["goods"][0]["customs_value"] == "1750.00"
    assert [(c.pointer, c.value) for c in result.overridden] == [("/goods/0/customs_value", "1700.00")]
    # What follows from box 45 follows the stated value: 46, 12.
    assert result.document["goods"][0]["statistical_value"] == "1029.41"  # 1 750.00 ÷ 1.7
    assert result.document["total_customs_value"] == "5201.00"
    assert result.remembered["/goods/0/customs_value"]["overridden"] is True


def test_a_value_the_system_wrote_earlier_is_recomputed_when_its_inputs_change():
    first = complete(facts_only(), **facts())
    changed = first.document
    changed["goods"][0]["invoice_value"] = "2000.00"
    again = complete(changed, **facts(), system_values=first.remembered)
    assert again.document["goods"][0]["customs_value"] == "3400.00"
    assert again.overridden == []
    # Without the memory the old figure would look like the declarant's own.
    forgetful = complete(changed, **facts())
    assert forgetful.document["goods"][0]["customs_value"] == "1700.00"
    assert [c.pointer for c in forgetful.overridden] == ["/goods/0/customs_value", "/goods/0/payments"]


def test_only_the_boxes_of_the_profile_are_filled():
    document = example()
    document["procedure"] = "10"
    document["direction"] = "İX"
    result = complete(document, **facts())
    assert "/goods/0/payments" not in {c.pointer for c in result.filled}  # no import duties on an export
    transit = complete(json.loads((VALID / "01-id-80.json").read_text(encoding="utf-8")), **facts())
    assert all(c.box not in ("42", "43") for c in transit.filled)


def test_the_destination_office_of_an_import_comes_from_box_a():
    document = facts_only()
    document.pop("destination_office")
    result = complete(document, **facts())
    assert result.document["destination_office"] == {
        "office_codes": ["00100"],
        "office_name": "Bakı Baş Gömrük İdarəsi",
        "country": "031",
    }


def test_box_47_is_not_filled_without_a_loaded_tariff():
    from gomruk.duties.tariff import TariffSnapshot

    result = complete(facts_only(), **(facts() | {"tariff": TariffSnapshot([], [], ())}))
    assert all(c.box != "47" for c in result.filled)
    assert result.document["goods"][0]["payments"] == [{"payment_type": "32", "method": "03"}]
    assert result.document["goods"][0]["customs_value"] == "1700.00"  # the rest still follows
