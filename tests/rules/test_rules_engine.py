"""The engine: every error, one error shape, sorting, sections, context, dates, registry."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from gomruk.document.model import Declaration
from gomruk.reference.snapshot import packaged_reference
from gomruk.rules import engine
from gomruk.rules.base import REGISTRY, Rule, RuleError
from gomruk.rules.engine import has_blocking, validate, validate_payload
from gomruk.rules.profiles import BOX_ORDER, BOX_RANK, BoxStatus, profile_for, profile_keys
from gomruk.rules.sections import SECTION_BOXES

ON = date(2025, 1, 15)
REF = packaged_reference()


def test_every_error_is_reported_sorted_by_box_then_item(base):
    doc = base("im")
    doc["goods"][2]["commodity_code"] = "x"
    doc["goods"][0]["commodity_code"] = "y"
    doc["goods"][1]["gross_mass"] = "1.0001"
    doc["border_office"] = "99999"
    doc["office_of_dispatch"]["office_code"] = "99999"
    errors = validate_payload(doc, reference=REF, on=ON)
    assert [(e.rule, e.box, e.item) for e in errors if e.severity == "error"] == [
        ("V-A-5", "A", None),
        ("V-29-1", "29", None),
        ("V-33-1", "33", 1),
        ("V-33-1", "33", 3),
        ("V-35-1", "35", 2),
    ]
    keys = [(BOX_RANK[e.box], e.item or 0) for e in errors]
    assert keys == sorted(keys)


def test_error_object_shape_and_both_languages(base):
    doc = base("im")
    doc["goods"][0]["commodity_code"] = "12"
    with translation.override("en"):
        (error,) = [e for e in validate_payload(doc, reference=REF, on=ON) if e.rule == "V-33-1"]
    data = error.as_dict()
    assert set(data) == {"rule", "severity", "box", "item", "path", "value", "message"}
    assert data["path"] == "/goods/0/commodity_code" and data["item"] == 1 and data["value"] == "12"
    assert "33-cü qrafa" in data["message"]["az"] and data["message"]["en"].startswith("Box 33")


def test_has_blocking_ignores_warnings(base):
    doc = base("im")
    doc["total_packages"] = 31  # V-6-3 is a warning
    errors = validate_payload(doc, reference=REF, on=ON)
    assert [e.rule for e in errors] == ["V-6-3"]
    assert not has_blocking(errors)
    doc["total_items"] = 2
    assert has_blocking(validate_payload(doc, reference=REF, on=ON))


def test_schema_errors_come_back_as_rule_errors():
    errors = validate_payload({"goods": [{"gross_mass": "heavy"}], "direction": "XX"}, reference=REF, on=ON)
    schema = [(e.rule, e.box, e.item) for e in errors if e.rule == "SCHEMA"]
    assert schema == [("SCHEMA", "1", None), ("SCHEMA", "35", 1)]
    # No content finding where the schema error stands (it would only see the field as missing).
    assert not [e for e in errors if e.rule != "SCHEMA" and (e.box, e.item) in {("1", None), ("35", 1)}]


def test_a_schema_error_does_not_hide_the_other_boxes(base):
    doc = base("im")
    doc["goods"][1]["net_mass"] = "heavy"  # unreadable: box 38 of item 2
    doc["goods"][0]["commodity_code"] = "52081"  # a content error in another box
    doc["total_packages"] = 31
    found = {(e.rule, e.box, e.item) for e in validate_payload(doc, reference=REF, on=ON)}
    assert ("SCHEMA", "38", 2) in found
    assert {("V-33-1", "33", 1), ("V-6-3", "6", None)} <= found
    assert not any(box == "38" and item == 2 and rule != "SCHEMA" for rule, box, item in found)


def test_one_finding_per_box_and_rule(base):
    doc = base("im")
    del doc["first_destination_country"]  # box 10: both alpha and numeric are missing
    doc["goods"][0]["origin_country"] = {}  # box 34 of item 1: both codes missing
    del doc["consignor"]["name"], doc["consignor"]["address"]  # box 2: V-2-2 on two fields
    found = [(e.rule, e.box, e.item) for e in validate_payload(doc, reference=REF, on=ON)]
    assert found.count(("M-1", "10", None)) == 1
    assert found.count(("M-1", "34", 1)) == 1
    assert found.count(("V-2-2", "2", None)) == 1


def test_no_finding_about_goods_before_goods_are_entered(base):
    doc = base("im")
    doc["goods"] = []
    doc.pop("forms", None)
    findings = validate_payload(doc, reference=REF, on=ON)
    from gomruk.rules.profiles import GOODS_BOXES

    assert not [e for e in findings if e.box in GOODS_BOXES or e.item is not None]
    # The one thing to say: there are no goods items yet (box 5).
    assert [e.rule for e in findings if e.path == "/goods"] == ["V-5-2"]


def test_findings_say_what_is_expected(base):
    doc = base("im")
    for g in doc["goods"]:
        g["documents"] = [d for d in g["documents"] if d["line"] != 8]
    (finding,) = [e for e in validate_payload(doc, reference=REF, on=ON) if e.rule == "V-44-7"]
    assert finding.message_en == "Box 44 line 8 — the invoice (document code 8001 — invoice, pro-forma invoice) is missing."
    doc = base("im")
    doc["goods"][0]["documents"][0].pop("number")
    (finding,) = [e for e in validate_payload(doc, reference=REF, on=ON) if e.rule == "V-44-1"]
    assert "line 2" in finding.message_en and "the number (S) of document 2011 is expected" in finding.message_en
    (broken,) = validate_payload(b"{not json", reference=REF, on=ON)
    assert broken.rule == "SCHEMA" and broken.severity == "error"


def test_ascii_direction_is_normalised(base):
    doc = base("im")
    doc["direction"] = "ID"
    assert validate_payload(doc, reference=REF, on=ON) == []


def test_section_validation_reports_only_that_section(base):
    doc = base("im")
    del doc["border_office"]  # box 29, section "general"
    doc["goods"][0]["commodity_code"] = "x"  # box 33, section "goods"
    transport = validate_payload(doc, reference=REF, on=ON, boxes=SECTION_BOXES["transport"])
    assert transport == []
    goods = validate_payload(doc, reference=REF, on=ON, boxes=SECTION_BOXES["goods"])
    assert [e.rule for e in goods] == ["V-33-1"]
    general = validate_payload(doc, reference=REF, on=ON, boxes=SECTION_BOXES["general"])
    assert [(e.rule, e.box) for e in general] == [("M-1", "29")]


def test_sections_cover_every_box():
    covered = set().union(*SECTION_BOXES.values())
    assert covered == set(BOX_ORDER) - {"C", "D"}


class _Expiring(Rule):
    register = False
    code = "V-99-1"
    message_az = "Sınaq qaydası."
    message_en = "Test rule."
    boxes = ("33",)
    valid_to = date(2025, 1, 1)

    def check(self, env):
        yield self.error("/goods/0/commodity_code", "x")


def test_rules_apply_only_within_their_dates(base, monkeypatch):
    assert "V-99-1" not in REGISTRY
    rule = _Expiring()
    monkeypatch.setattr(engine, "rules_for", lambda *key: (rule,))
    doc = Declaration.model_validate(base("im"))
    assert validate(doc, reference=REF, on=date(2025, 1, 15)) == []
    assert [e.rule for e in validate(doc, reference=REF, on=date(2024, 12, 31))] == ["V-99-1"]


def test_rules_apply_by_type_direction_and_procedure():
    by_code = engine.autodiscover()
    assert by_code["V-47-5"].applies_to("01", "İD", "31")
    assert not by_code["V-47-5"].applies_to("01", "İD", "40")
    assert by_code["V-2-1"].applies_to("01", "İX", "10") and not by_code["V-2-1"].applies_to("01", "İD", "40")
    assert by_code["T-11-1"].applies_to("11", "İD", "40") and not by_code["T-11-1"].applies_to("01", "İD", "40")
    assert set(engine.rules_for("01", "İD", "31")) > set(engine.rules_for("01", "İD", "40")) - {by_code["V-44-8"]}


def test_rule_codes_follow_the_spec_scheme():
    import re

    for code in engine.autodiscover():
        assert re.fullmatch(r"(V|X|P|T|M|D)-[0-9A-Za-z]+(-[0-9A-Za-z]+)?", code), code


def test_other_apps_rule_modules_are_discovered():
    import importlib.util

    if importlib.util.find_spec("gomruk.duties.rules") is None:
        pytest.skip("gomruk.duties has no rules module")
    assert any(type(r).__module__ == "gomruk.duties.rules" for r in engine.autodiscover().values())


def test_profiles_cover_every_type_direction_and_procedure(reference):
    keys = profile_keys()
    assert len(keys) == 14 * 2 + 11 * 2 - 5  # GB: 14 procedures × 2 directions; 11 other types, 5 of one direction
    for key in keys:
        profile = profile_for(*key)
        assert profile.status("7") in (BoxStatus.SYSTEM, BoxStatus.CUSTOMS)
        assert profile.status("C") is BoxStatus.CUSTOMS and profile.status("D") is BoxStatus.CUSTOMS
    assert profile_for("01", "İX", "10").status("43") is BoxStatus.EMPTY
    assert profile_for("01", "İD", "40").status("43") is BoxStatus.MUST
    assert profile_for("01", "İD", "80").status("42") is BoxStatus.EMPTY
    assert profile_for("06", "İD", None).column == "GB_import_general"
    assert profile_for("09", "İX", "11").status("7") is BoxStatus.SYSTEM
    assert profile_for("01", "İX", "11").status("7") is BoxStatus.CUSTOMS


def test_default_reference_without_database_is_the_packaged_one():
    assert engine.default_reference() is packaged_reference()


@pytest.mark.django_db
def test_default_reference_with_database_reads_it(loaded_classifiers, base):
    from gomruk.reference.models import ClassifierEntry

    ClassifierEntry.objects.filter(classifier__name="customs-offices", code="00201").delete()
    doc = base("ex")  # border office 00201
    errors = validate_payload(doc, on=ON)
    assert [(e.rule, e.value) for e in errors if e.rule == "V-29-1"] == [("V-29-1", "00201")]


def test_rule_error_is_a_value():
    error = RuleError("V-1-2", "error", "1", None, "/procedure", "99", "az", "en")
    assert error.blocking and error == RuleError("V-1-2", "error", "1", None, "/procedure", "99", "az", "en")
