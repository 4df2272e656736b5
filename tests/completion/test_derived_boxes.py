"""Issue 16's measure (fewer typed fields): boxes that follow from other boxes or take the
Methodology's default are filled by the completion service — and a value the declarant stated
is never replaced (no database)."""

from __future__ import annotations

import json

from gomruk.declarations.completion import FROM_GOODS, awaiting_goods, complete, fill_document_lines
from gomruk.reference.snapshot import packaged_reference
from gomruk.rules.engine import validate_payload
from tests.completion.helpers import example
from tests.completion.test_completion_examples import ON, VALID, facts


def test_a_box_44_row_typed_without_its_line_takes_the_group_of_its_code():
    document = example()
    document["goods"][0]["documents"] = [{"code": "2015", "number": "CMR-1", "issued_on": "2025-01-10"}]
    assert fill_document_lines(document) == ["/goods/0/documents/0/line"]
    assert document["goods"][0]["documents"][0]["line"] == 2
    result = complete(document, **facts())
    line = result.computed["/goods/0/documents/0/line"]
    assert (line.value, line.overridable, line.formula.en) == (2, False, "Appendix 13: code 2015 is in group 2 → line 2")


def test_box_44_lines_are_not_derived_where_the_line_is_not_the_code_group():
    nb = json.loads((VALID / "02-id-40.json").read_text(encoding="utf-8"))  # NB: lines 1–4
    result = complete(nb, **facts())
    assert not [p for p in result.computed if p.endswith("/line")]
    del nb["goods"][0]["documents"][0]["line"]
    assert fill_document_lines(nb) == []


def test_the_tir_carnet_may_stand_on_line_3_and_is_marked():
    document = example()
    document["goods"][0]["documents"].append({"line": 3, "code": "2022", "number": "TIR-1", "issued_on": "2025-01-10"})
    result = complete(document, **facts())
    assert result.document["goods"][0]["documents"][-1]["line"] == 3
    assert [c.pointer for c in result.overridden] == ["/goods/0/documents/3/line"]


def test_defaults_fill_empty_boxes_and_leave_stated_choices_alone():
    document = example()
    for item in document["goods"]:
        for name in ("privilege", "procedure_code", "valuation"):
            item.pop(name)
    document["goods"][1].update(privilege="010", procedure_code="401000", valuation={"adjusted": "0", "method": "02"})
    result = complete(document, **facts())
    first, second = result.document["goods"][0], result.document["goods"][1]
    assert (first["privilege"], first["procedure_code"], first["valuation"]) == ("000", "400000", {"adjusted": "0", "method": "01"})
    assert (second["privilege"], second["procedure_code"], second["valuation"]) == ("010", "401000", {"adjusted": "0", "method": "02"})
    assert result.overridden == []  # a privilege or a previous procedure is a choice, not an override
    assert "/goods/1/privilege" not in result.computed
    assert result.computed["/goods/0/procedure_code"].formula.en == (
        "box 1: procedure 40; no previous procedure (00); no movement feature (00) → 400000"
    )


def test_box_37_follows_a_changed_box_1_while_it_holds_the_systems_value():
    document = example()
    for item in document["goods"]:
        item.pop("procedure_code")
    first = complete(document, **facts())
    changed = first.document | {"procedure": "71"}
    again = complete(changed, **facts(), system_values=first.remembered)
    assert {item["procedure_code"] for item in again.document["goods"]} == {"710000"}


def test_an_adjusted_customs_value_gets_no_default_valuation():
    document = example()
    for item in document["goods"]:
        item.pop("valuation")
    document["goods"][0]["customs_value"] = "1750.00"
    result = complete(document, **facts())
    assert "valuation" not in result.document["goods"][0]
    assert result.document["goods"][1]["valuation"] == {"adjusted": "0", "method": "01"}


def test_box_34_follows_box_16_and_an_item_of_another_origin_is_marked():
    document = example()
    for item in document["goods"]:
        item.pop("origin_country")
    document["goods"][2]["origin_country"] = {"alpha": "DE"}
    result = complete(document, **facts())
    assert [item["origin_country"] for item in result.document["goods"]] == [
        {"alpha": "TR", "numeric": "792"}, {"alpha": "TR", "numeric": "792"}, {"alpha": "DE", "numeric": "276"},
    ]
    assert [c.pointer for c in result.overridden] == ["/goods/2/origin_country/alpha"]


def test_box_16_various_fills_no_origin():
    document = example() | {"origin_country_name": "Müxtəlif"}
    for item in document["goods"]:
        item.pop("origin_country")
    result = complete(document, **facts())
    assert all("origin_country" not in item for item in result.document["goods"])


def test_country_names_follow_their_codes():
    document = example()
    document.pop("dispatch_country_name")
    document["destination_country_name"] = "Gürcüstan"  # a system box: the code decides
    result = complete(document, **facts())
    assert (result.document["dispatch_country_name"], result.document["destination_country_name"]) == ("Türkiyə", "Azərbaycan")


def test_a_section_saved_before_any_goods_item_has_no_findings_on_the_boxes_the_items_make():
    document = example()
    for name in ("goods", "total_items", "total_packages", "total_customs_value", "total_invoice_value",
                 "exchange_rate", "accounting", "forms"):
        document.pop(name, None)
    document["office_of_dispatch"] = {"office_code": "00100"}
    result = complete(document, **facts())
    # Boxes A's and 23's rates follow the date and the currency, not the items.
    assert result.document["exchange_rate"] == result.document["office_of_dispatch"]["usd_rate"] == "1.7000"
    errors = validate_payload(json.dumps(result.document), reference=packaged_reference(), on=ON)
    assert {e.path for e in errors} & FROM_GOODS  # the whole declaration still needs its goods
    assert not {e.path for e in awaiting_goods(errors, result.document)} & FROM_GOODS
    with_goods = example()
    assert awaiting_goods(errors, with_goods) == errors
