"""Only the boxes this declaration uses (issue 16 item 3): the §4.2 profile folds the rest away
with the reason, and each box is named once, by its fieldset."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import translation

from gomruk.declarations.models import Declaration
from gomruk.portal.fields import item_groups, section_groups

REASON_EXPORT = "İX 10 üçün istifadə olunmur — §4.2"


def _page(client, declaration: Declaration, section: str) -> str:
    return client.get(reverse("portal:section", args=[declaration.pk, section])).content.decode()


def _item_page(client, declaration: Declaration, item: int) -> str:
    return client.get(reverse("portal:item", args=[declaration.pk, item])).content.decode()


def _folded(page: str, box: str) -> str | None:
    """The <details> a box is folded into, or None when it is an open fieldset."""
    match = re.search(rf'<details class="box-unused" id="box-{box}"[^>]*>(.*?)</details>', page, re.S)
    return match.group(0) if match else None


def test_an_export_declaration_folds_the_import_only_box_43_with_the_reason(declarant_client, export_declaration):
    page = _item_page(declarant_client, export_declaration, 1)
    folded = _folded(page, "43")
    assert folded is not None
    assert "<summary><span id=\"box-43-title\">Qrafa 43 — Gömrük dəyərinin müəyyən edilməsi üsulu</span>" in folded
    assert REASON_EXPORT in folded
    assert " open" not in folded.split(">", 1)[0]  # nothing typed in it: stays folded
    assert 'name="/goods/0/valuation/method"' in folded  # folded, not removed
    # The boxes the export uses are open fieldsets.
    for box in ("33", "35", "44", "47"):
        assert _folded(page, box) is None
        assert f'<fieldset class="box" id="box-{box}">' in page or f'id="box-{box}">' in page
    assert page.count(REASON_EXPORT) == 1


def test_the_same_box_is_open_on_an_import(declarant_client, demo):
    from gomruk.declarations.services import declaration_create
    from gomruk.demo import factories as examples

    declaration = declaration_create(user=demo["deklarant"], document=examples.import_gb(items=1), voen="1401555071")
    page = _item_page(declarant_client, declaration, 1)
    assert _folded(page, "43") is None
    assert '<legend>Qrafa 43 — Gömrük dəyərinin müəyyən edilməsi üsulu <a class="box-help" href="/help/#box-43"' in page
    assert "§4.2" not in page


@translation.override("az")
def test_a_used_header_box_is_open_and_an_unused_one_folded_under_another_procedure(export_declaration):
    data = dict(export_declaration.document)
    general = {g.box: g for g in section_groups("general", data, {})}
    assert all(not g.folded_because for g in general.values())  # GB export uses every header box
    data["procedure"] = "51"  # inward/outward processing: no box 4, 10, 17, 17a, 49, 51, 52 (§4.2)
    general = {g.box: g for g in section_groups("general", data, {})}
    assert {b for b, g in general.items() if g.folded_because} == {"4", "10", "17", "17a", "49", "51", "52"}
    assert general["10"].folded_because == "İX 51 üçün istifadə olunmur — §4.2"
    assert not general["1"].folded_because and not general["A"].folded_because


def test_a_folded_box_with_a_value_opens_so_it_can_be_emptied(declarant_client, export_declaration):
    document = dict(export_declaration.document)
    document["goods"][0]["valuation"] = {"method": "1"}
    Declaration.objects.filter(pk=export_declaration.pk).update(document=document)
    page = _item_page(declarant_client, export_declaration, 1)
    folded = _folded(page, "43")
    assert folded is not None and folded.startswith('<details class="box-unused" id="box-43" open>')


@translation.override("az")
def test_nothing_is_folded_before_the_declaration_says_what_it_declares():
    groups = section_groups("general", {"declaration_type": "01"}, {}) + item_groups(0, {}, {})
    assert groups and all(not g.folded_because for g in groups)
    # A type with a §4.2 column of its own is enough (the short import declaration has no box 4).
    short = {g.box: g for g in section_groups("general", {"declaration_type": "11"}, {})}
    assert short["4"].folded_because == "QİB 11 üçün istifadə olunmur — §4.2"
    assert not short["A"].folded_because


def test_labels_name_the_box_once(declarant_client, export_declaration):
    page = _page(declarant_client, export_declaration, "participants")
    assert page.count("Qrafa 2 — Göndərən / ixracatçı") == 1
    assert page.count("Qrafa 14 — Bəyannaməçi / Təmsilçi") == 1
    assert "Qrafa 2 — Göndərən / ixracatçı:" not in page  # not repeated on its sub-fields
    labels = re.findall(r'<label for="f-consignor-[^"]+">([^<]*)</label>', page)
    assert labels and "Adı" in labels and not any("Qrafa" in label for label in labels)


@translation.override("az")  # the request switches to English; give the language back after
def test_the_reason_is_translated(declarant_client, export_declaration):
    declarant_client.cookies.load({"django_language": "en"})
    page = declarant_client.get(
        reverse("portal:item", args=[export_declaration.pk, 1]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "not used for İX 10 — §4.2" in page
