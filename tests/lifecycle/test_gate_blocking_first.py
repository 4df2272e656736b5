"""The signing gate asks only whether anything blocks: the warning rules run only when an
error rule found something, so a refusal still lists every finding (issue 17.1)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gomruk.core.errors import GomrukError
from gomruk.declarations.services import declaration_create
from gomruk.declarations.signing import signing_payload
from gomruk.declarations.validation import document_check
from gomruk.demo import factories
from gomruk.document.model import Declaration as Document
from gomruk.rules.engine import validate
from gomruk.rules.registry import autodiscover


def _warned_only() -> Document:
    """Ten items under one code and origin: V-34-3 warns (they could be one item), nothing blocks."""
    document = factories.import_gb(items=10)
    for item in document.goods:
        item.commodity_code = "8516100000"
    return document


def test_the_rules_split_by_severity_find_what_all_of_them_find(db):
    assert {rule.severity for rule in autodiscover().values()} == {"error", "warning"}
    for document in (_warned_only(), factories.export_gb(), factories.import_gb(items=3)):
        on = timezone.localdate()
        every = validate(document, on=on)
        split = validate(document, on=on, severity="error") + validate(document, on=on, severity="warning")
        assert sorted(e.as_dict()["rule"] + e.path for e in split) == sorted(e.as_dict()["rule"] + e.path for e in every)
        assert all(e.severity == "error" for e in validate(document, on=on, severity="error"))


def test_a_document_only_warned_about_passes_the_gate_with_no_findings(db):
    document = _warned_only()
    full = document_check(document=document, trader_voen="1401555071")
    assert full.errors and all(e.severity == "warning" for e in full.errors)
    assert "V-34-3" in {e.rule for e in full.errors}
    gated = document_check(document=document, trader_voen="1401555071", gate=True)
    assert gated.errors == []


def test_a_refusal_at_the_gate_lists_the_warnings_beside_the_errors(journey):
    user = journey.users["deklarant"]
    document = _warned_only()
    document.goods[0].commodity_code = "12"  # not a code of the nomenclature: an error
    declaration = declaration_create(user=user, document=document)
    gated = document_check(document=document, trader_voen=declaration.trader_voen, gate=True)
    full = document_check(document=document, trader_voen=declaration.trader_voen)
    assert [e.as_dict() for e in gated.errors] == [e.as_dict() for e in full.errors]
    with pytest.raises(GomrukError) as refused:
        signing_payload(user=user, declaration_id=declaration.pk)
    listed = refused.value.details["errors"]
    assert {e["severity"] for e in listed} == {"error", "warning"}
    assert {e["rule"] for e in listed} >= {"V-34-3"}
    assert len(listed) == len(full.errors)
