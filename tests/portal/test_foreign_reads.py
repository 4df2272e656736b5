"""Issue 14 item 5: a read of another party's declaration is audited by the selector both doors
use, so the portal editor's reads are audited as the API's are; the owner's own reads are not."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from gomruk.core.models import AuditEntry
from gomruk.declarations.selectors import declaration_read
from gomruk.declarations.services import declaration_create
from gomruk.demo import factories as examples

XEZER = "1401555071"


def _reads(user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="declaration.read.document", actor=user))


def test_a_brokers_read_of_its_principals_declaration_is_audited_in_the_portal(demo):
    broker = demo["broker"]
    declaration = declaration_create(user=broker, document=examples.export_gb(), voen=XEZER)
    client = Client()
    client.force_login(broker)
    for url in (
        reverse("portal:section", args=[declaration.pk, "general"]),
        reverse("portal:item", args=[declaration.pk, 1]),
        reverse("portal:summary", args=[declaration.pk]),
    ):
        assert client.get(url).status_code == 200, url
    entries = _reads(broker)
    assert len(entries) == 3
    assert {e.object_id for e in entries} == {str(declaration.pk)}
    assert entries[0].details == {"voen": XEZER}


def test_the_owners_own_reads_are_not_audited(demo, export_declaration):
    owner = demo["deklarant"]
    client = Client()
    client.force_login(owner)
    assert client.get(reverse("portal:section", args=[export_declaration.pk, "general"])).status_code == 200
    declaration_read(user=owner, declaration_id=export_declaration.pk)
    assert _reads(owner) == []


def test_the_selector_audits_a_read_on_a_principals_behalf(demo, export_declaration):
    broker = demo["broker"]
    declaration_read(user=broker, declaration_id=export_declaration.pk, what="document")
    assert [e.details["voen"] for e in _reads(broker)] == [XEZER]
