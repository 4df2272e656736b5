"""GET /declarations/{id}/pdf: for the owner, its representative and the office's officer."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from ninja.testing import TestClient

from gomruk.core.errors import GomrukError, NotFound
from gomruk.core.models import AuditEntry
from gomruk.printing.api import router
from gomruk.printing.services import declaration_print

client = TestClient(router)


def test_owner_downloads_the_pdf(stored, users, pages_of):
    response = client.get(f"/declarations/{stored.pk}/pdf", user=users["deklarant"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="beyanname-00100-211126-0000042.pdf"'
    )
    pages = pages_of(response.content)
    assert len(pages) == 2  # 4 items
    assert "00100/211126/0000042" in pages[0]
    assert "Qeydiyyat tarixi: 21.11.2026" in pages[0]
    assert "Elektron imza: Məmmədova Aygün" in pages[0]
    assert "Sertifikat №: 0A1B2C3D4E5F" in pages[0]
    version = stored.versions.get(number=1)
    assert version.payload_sha256[:32] in pages[0].replace("\n", "")


def test_bearer_user_takes_precedence_over_the_session(stored, users):
    response = client.get(
        f"/declarations/{stored.pk}/pdf", auth=users["inspektor"], user=AnonymousUser()
    )
    assert response.status_code == 200


def test_officer_of_the_office_may_print_and_the_read_is_audited(stored, users):
    printed = declaration_print(user=users["inspektor"], declaration_id=stored.pk)
    assert printed.content.startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action="declaration.read.pdf").get()
    assert entry.actor_id == users["inspektor"].pk and entry.object_id == str(stored.pk)


def test_owner_reading_its_own_declaration_is_not_a_foreign_read(stored, users):
    declaration_print(user=users["deklarant"], declaration_id=stored.pk)
    assert not AuditEntry.objects.filter(action="declaration.read.pdf").exists()


@pytest.mark.parametrize("stranger", ["deklarant2", "inspektor2", "admin"])
def test_others_get_not_found(stored, users, stranger):
    with pytest.raises(NotFound):
        client.get(f"/declarations/{stored.pk}/pdf", user=users[stranger])


def test_officer_cannot_print_a_declaration_not_yet_sent(users):
    from gomruk.declarations.services import declaration_create
    from tests.printing.conftest import owned_sample

    draft = declaration_create(user=users["deklarant"], document=owned_sample(1))
    draft.office_code = "00100"
    draft.save()
    with pytest.raises(NotFound):
        declaration_print(user=users["inspektor"], declaration_id=draft.pk)
    assert (
        declaration_print(user=users["deklarant"], declaration_id=draft.pk).filename
        == f"beyanname-{draft.pk}.pdf"
    )


def test_anonymous_is_told_to_log_in(stored):
    with pytest.raises(GomrukError) as error:
        client.get(f"/declarations/{stored.pk}/pdf")
    assert error.value.status == 401


def test_unknown_id_is_not_found(users):
    with pytest.raises(NotFound):
        client.get(f"/declarations/{uuid.uuid4()}/pdf", user=users["deklarant"])
