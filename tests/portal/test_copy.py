"""Issue 16 item 6 in the portal: "Start from this one" on a declaration's page makes a new
draft from it, without boxes 7, C and D; a repeated submit of the same form makes no second one."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gomruk.core.models import AuditEntry
from gomruk.declarations.models import Declaration
from gomruk.declarations.validation import declaration_errors


@pytest.fixture
def customs_filled(export_declaration):
    """The earlier declaration as customs left it: numbered, with boxes C and D."""
    document = dict(export_declaration.document)
    document.update(
        registration_number="00100/031226/0000001",
        customs_notes="Yoxlanıldı",
        customs_control={"result": "Uyğundur"},
    )
    Declaration.objects.filter(pk=export_declaration.pk).update(document=document)
    export_declaration.refresh_from_db()
    return export_declaration


def _copy_form(client, declaration):
    page = client.get(reverse("portal:declaration", args=[declaration.pk])).content.decode()
    assert f'action="{reverse("portal:copy", args=[declaration.pk])}"' in page
    return re.search(r'name="copy_token" value="([0-9a-f]+)"', page).group(1)


def test_copy_makes_a_clean_audited_draft(declarant_client, customs_filled):
    token = _copy_form(declarant_client, customs_filled)
    before = set(Declaration.objects.values_list("pk", flat=True))
    response = declarant_client.post(reverse("portal:copy", args=[customs_filled.pk]), {"copy_token": token})
    assert response.status_code == 302
    (new_pk,) = set(Declaration.objects.values_list("pk", flat=True)) - before
    assert response["Location"] == reverse("portal:section", args=[new_pk, "general"])
    copy = Declaration.objects.get(pk=new_pk)
    assert copy.state == "draft" and copy.trader_voen == customs_filled.trader_voen
    for system_box in ("registration_number", "customs_notes", "customs_control"):
        assert not copy.document.get(system_box), system_box
    assert copy.document["consignor"] == customs_filled.document["consignor"]
    assert len(copy.document["goods"]) == len(customs_filled.document["goods"])
    original = sorted((e.rule, e.box) for e in declaration_errors(declaration=Declaration.objects.get(pk=customs_filled.pk), document={
        k: v for k, v in customs_filled.document.items() if k not in ("registration_number", "customs_notes", "customs_control")
    }))
    assert sorted((e.rule, e.box) for e in declaration_errors(declaration=copy)) == original
    assert AuditEntry.objects.filter(action="declaration.copy", object_id=str(copy.pk)).exists()

    # The same form sent again (a double click, a reload) answers the same draft.
    again = declarant_client.post(reverse("portal:copy", args=[customs_filled.pk]), {"copy_token": token})
    assert again["Location"] == response["Location"]
    assert Declaration.objects.count() == len(before) + 1


def test_another_traders_declaration_is_404(client, demo, customs_filled):
    client.force_login(demo["deklarant2"])
    before = Declaration.objects.count()
    response = client.post(reverse("portal:copy", args=[customs_filled.pk]), {"copy_token": "abc"})
    assert response.status_code == 404
    assert Declaration.objects.count() == before


def test_copy_needs_post(declarant_client, customs_filled):
    assert declarant_client.get(reverse("portal:copy", args=[customs_filled.pk])).status_code == 405
