"""Issue 16 item 6: saved parties, routes and goods lines, as services (no HTTP): what is kept,
how it goes back into a draft (the section save's input service), scoping, limits, audit."""

from __future__ import annotations

import pytest

from gomruk.core.errors import GomrukError, NotFound
from gomruk.core.models import AuditEntry
from gomruk.declarations.completion import draft_recompute
from gomruk.declarations.models import Declaration
from gomruk.declarations.validation import declaration_errors
from gomruk.rules.sections import SECTION_BOXES
from gomruk.saved.kinds import ROUTE_FIELDS
from gomruk.saved.models import Kind, SavedEntry
from gomruk.saved.selectors import saved_get, saved_list
from gomruk.saved.services import (
    saved_apply,
    saved_create,
    saved_create_from,
    saved_delete,
    saved_update,
)
from tests.completion.helpers import load_payments_facts

ROUTE_BOXES = frozenset({"15", "15a", "17", "17a", "18", "19", "20", "21", "25", "26", "29", "30"})


def _errors(declaration, boxes):
    return sorted((e.rule, e.box, e.item, e.path) for e in declaration_errors(declaration=declaration, boxes=boxes))


def test_a_party_saved_from_one_draft_fills_another_and_it_validates(demo, export_draft, bare_draft):
    user = demo["deklarant"]
    entry = saved_create_from(user=user, declaration_id=export_draft.pk, kind=Kind.PARTIES, name="Kartli",
                              target="consignee")
    assert entry.trader_voen == "1401555071"
    assert entry.data == export_draft.document["consignee"]
    before = _errors(bare_draft, SECTION_BOXES["participants"])
    assert any(box == "8" for _, box, _, _ in before)

    applied = saved_apply(user=user, declaration_id=bare_draft.pk, entry_id=entry.pk, target="consignee")
    assert applied.pending == {}
    stored = Declaration.objects.get(pk=bare_draft.pk)
    assert stored.document["consignee"] == export_draft.document["consignee"]
    parties = frozenset({"2", "8", "9", "14"})  # the bare draft has no route yet: its boxes aside

    def party_errors(declaration):
        return [e for e in _errors(declaration, parties) if e[1] in parties]

    assert party_errors(stored) == party_errors(export_draft)


def test_a_party_replaces_what_the_box_held_and_box_14_keeps_its_broker_fields(demo, export_draft):
    user = demo["deklarant"]
    entry = saved_create(user=user, kind=Kind.PARTIES, name="Kartli", data={"name": "Kartli", "address": "Tbilisi"})
    saved_apply(user=user, declaration_id=export_draft.pk, entry_id=entry.pk, target="financial_party")
    party = Declaration.objects.get(pk=export_draft.pk).document["financial_party"]
    assert party == {"person_kind": "legal", "name": "Kartli", "address": "Tbilisi"}  # old VÖEN gone
    with pytest.raises(GomrukError) as wrong:
        saved_apply(user=user, declaration_id=export_draft.pk, entry_id=entry.pk, target="goods")
    assert wrong.value.code == "wrong_target"


def test_a_route_round_trip_restores_the_transport_boxes(demo, export_draft, bare_draft):
    user = demo["deklarant"]
    entry = saved_create_from(user=user, declaration_id=export_draft.pk, kind=Kind.ROUTES, name="Bakı – Tbilisi")
    assert set(entry.data) == {n for n in ROUTE_FIELDS if export_draft.document.get(n) is not None}
    assert "consignee" not in entry.data and "goods" not in entry.data
    saved_apply(user=user, declaration_id=bare_draft.pk, entry_id=entry.pk)
    stored = Declaration.objects.get(pk=bare_draft.pk)
    for name in ROUTE_FIELDS:
        assert stored.document.get(name) == export_draft.document.get(name), name
    assert _errors(stored, ROUTE_BOXES) == _errors(export_draft, ROUTE_BOXES)


def test_a_goods_line_keeps_the_template_not_the_shipment(demo, export_draft):
    entry = saved_create_from(user=demo["deklarant"], declaration_id=export_draft.pk, kind=Kind.GOODS,
                              name="Üzüm", item=1)
    data = entry.data
    assert data["description"] == "Təzə üzüm, Şamaxı, qutularda" and data["commodity_code"] == "0806101000"
    for per_shipment in ("quantity", "gross_mass", "net_mass", "invoice_value", "item_number", "customs_value",
                         "statistical_value", "payments"):
        assert per_shipment not in data, per_shipment
    assert data["packages"] == {"kind": "qutu", "marks": "XT-001"}
    assert data["documents"] == [{"line": 2, "code": "2015"}, {"line": 4, "code": "4011"}, {"line": 8, "code": "8001"}]
    with_values = saved_create_from(user=demo["deklarant"], declaration_id=export_draft.pk, kind=Kind.GOODS,
                                    name="Üzüm, 120 qutu", item=1, with_shipment=True)
    assert with_values.data["gross_mass"] == "2500.000" and with_values.data["documents"][0]["number"] == "CMR-4411"


def test_a_goods_line_becomes_a_new_item_that_validates_like_the_original(demo, export_draft, bare_draft):
    load_payments_facts()
    user = demo["deklarant"]
    export_draft = draft_recompute(user=user, declaration=export_draft)
    entry = saved_create_from(user=user, declaration_id=export_draft.pk, kind=Kind.GOODS, name="Üzüm", item=1,
                              with_shipment=True)
    applied = saved_apply(user=user, declaration_id=bare_draft.pk, entry_id=entry.pk)
    assert applied.item == 3
    stored = Declaration.objects.get(pk=bare_draft.pk)
    new = stored.document["goods"][2]
    assert new["item_number"] == 3 and new["commodity_code"] == "0806101000"
    # The computed boxes were recomputed as on a section save (45, 46 of the new item).
    assert new["customs_value"] == export_draft.document["goods"][0]["customs_value"]
    assert new["statistical_value"] == export_draft.document["goods"][0]["statistical_value"]
    item_errors = [e for e in _errors(stored, SECTION_BOXES["goods"]) if e[2] == 3]
    original = [e for e in _errors(export_draft, SECTION_BOXES["goods"]) if e[2] == 1]
    assert [e[:2] for e in item_errors] == [e[:2] for e in original]


def test_a_goods_line_on_an_existing_item_keeps_its_quantities_and_adds_missing_box_44_lines(demo, export_draft):
    user = demo["deklarant"]
    entry = saved_create(user=user, kind=Kind.GOODS, name="Şərab",
                         data={"description": "Qırmızı şərab", "documents": [{"line": 2, "code": "2015"},
                                                                              {"line": 1, "code": "1011"}]})
    saved_apply(user=user, declaration_id=export_draft.pk, entry_id=entry.pk, item=2)
    item = Declaration.objects.get(pk=export_draft.pk).document["goods"][1]
    assert item["description"] == "Qırmızı şərab"
    assert item["gross_mass"] == export_draft.document["goods"][1]["gross_mass"]
    assert [(d["line"], d["code"]) for d in item["documents"]] == [(2, "2015"), (4, "4011"), (8, "8001"), (1, "1011")]
    with pytest.raises(GomrukError) as missing:
        saved_apply(user=user, declaration_id=export_draft.pk, entry_id=entry.pk, item=9)
    assert missing.value.status == 404


def test_entries_are_the_traders_and_nobody_elses(demo, export_draft):
    mine = saved_create(user=demo["deklarant"], kind=Kind.PARTIES, name="Kartli", data={"name": "Kartli"})
    for stranger in ("deklarant2", "inspektor", "admin"):
        with pytest.raises(NotFound):
            saved_get(user=demo[stranger], entry_id=mine.pk)
        assert not saved_list(user=demo[stranger]).exists()
        with pytest.raises(NotFound):
            saved_delete(user=demo[stranger], entry_id=mine.pk)
    # The broker represents 1401555071: it sees and uses that trader's entries …
    broker = demo["broker"]
    assert list(saved_list(user=broker, voen="1401555071")) == [mine]
    saved_apply(user=broker, declaration_id=export_draft.pk, entry_id=mine.pk, target="consignee")
    # … but not on a declaration of another trader, even one it represents too.
    theirs = saved_create(user=broker, kind=Kind.PARTIES, name="Firma", data={"name": "Firma"}, voen="1500420091")
    with pytest.raises(NotFound):
        saved_apply(user=broker, declaration_id=export_draft.pk, entry_id=theirs.pk, target="consignee")
    with pytest.raises(GomrukError) as not_yours:
        saved_create(user=demo["deklarant2"], kind=Kind.PARTIES, name="X", data={"name": "X"}, voen="1401555071")
    assert not_yours.value.status == 403
    with pytest.raises(GomrukError) as which:
        saved_create(user=broker, kind=Kind.PARTIES, name="X", data={"name": "X"})
    assert which.value.code == "voen_required"


def test_data_is_checked_by_the_document_model(demo):
    user = demo["deklarant"]
    with pytest.raises(GomrukError) as long_name:
        saved_create(user=user, kind=Kind.PARTIES, name="Uzun", data={"name": "x" * 501})
    assert long_name.value.status == 422 and long_name.value.details["errors"][0]["path"] == "/name"
    with pytest.raises(GomrukError) as not_route:
        saved_create(user=user, kind=Kind.ROUTES, name="R", data={"consignee": {"name": "X"}})
    assert not_route.value.details["errors"][0]["path"] == "/consignee"
    with pytest.raises(GomrukError) as computed:
        saved_create(user=user, kind=Kind.GOODS, name="G", data={"description": "X", "customs_value": "1.00"})
    assert computed.value.details["errors"][0]["path"] == "/customs_value"
    with pytest.raises(GomrukError) as bad_mass:
        saved_create(user=user, kind=Kind.GOODS, name="G", data={"gross_mass": "a lot"})
    assert bad_mass.value.details["errors"][0]["path"] == "/gross_mass"
    with pytest.raises(GomrukError) as empty:
        saved_create(user=user, kind=Kind.ROUTES, name="R", data={})
    assert empty.value.code == "empty_entry"
    with pytest.raises(GomrukError) as no_name:
        saved_create(user=user, kind=Kind.PARTIES, name="  ", data={"name": "X"})
    assert no_name.value.code == "name_required"
    assert not SavedEntry.objects.exists()


def test_a_trader_keeps_at_most_the_limit(demo, settings):
    settings.GOMRUK_SAVED_MAX_PER_TRADER = 2
    user = demo["deklarant"]
    saved_create(user=user, kind=Kind.PARTIES, name="A", data={"name": "A"})
    saved_create(user=user, kind=Kind.GOODS, name="B", data={"description": "B"})
    with pytest.raises(GomrukError) as full:
        saved_create(user=user, kind=Kind.ROUTES, name="C", data={"border_office": "00206"})
    assert full.value.code == "limit_reached" and full.value.status == 409
    # Another trader's count is its own.
    saved_create(user=demo["deklarant2"], kind=Kind.PARTIES, name="A", data={"name": "A"})


def test_rename_replace_delete_and_every_write_is_audited(demo, export_draft):
    user = demo["deklarant"]
    entry = saved_create(user=user, kind=Kind.PARTIES, name="A", data={"name": "A"})
    saved_update(user=user, entry_id=entry.pk, name="B")
    saved_update(user=user, entry_id=entry.pk, data={"name": "C", "address": "Bakı"})
    entry.refresh_from_db()
    assert entry.name == "B" and entry.data == {"person_kind": "legal", "name": "C", "address": "Bakı"}
    with pytest.raises(NotFound):
        saved_update(user=user, entry_id=entry.pk, kind=Kind.GOODS, name="wrong kind")
    saved_apply(user=user, declaration_id=export_draft.pk, entry_id=entry.pk, target="consignee")
    saved_delete(user=user, entry_id=entry.pk)
    assert not SavedEntry.objects.filter(pk=entry.pk).exists()
    actions = list(AuditEntry.objects.filter(object_id=str(entry.pk)).order_by("id").values_list("action", flat=True))
    assert actions == ["saved.create", "saved.update", "saved.update", "saved.apply", "saved.delete"]
    applied = AuditEntry.objects.get(action="saved.apply", object_id=str(entry.pk))
    assert applied.details["declaration"] == str(export_draft.pk) and applied.details["target"] == "consignee"
