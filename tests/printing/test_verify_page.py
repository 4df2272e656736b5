"""The public page behind the QR code: number, state and signed hash — nothing else."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import include, path

from gomruk.declarations.models import Declaration
from gomruk.printing.selectors import declaration_verification, verification_url

# The lead mounts gomruk.printing.urls at /verify/; the test mounts it the same way.
urlpatterns = [path("verify/", include("gomruk.printing.urls"))]
pytestmark = pytest.mark.urls(__name__)


def test_verification_shows_number_state_and_signed_hash_without_login(stored):
    version = stored.versions.get(number=1)
    response = Client().get(f"/verify/{stored.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd id="registration-number">00100/211126/0000042</dd>' in html
    assert 'data-state="registered"' in html and "Qeydiyyata alınıb" in html
    assert f'<dd id="signed-sha256" class="hash">{version.payload_sha256}</dd>' in html
    assert response["Cache-Control"].startswith("max-age=0")
    assert "noindex" in response["X-Robots-Tag"]


def test_verification_reveals_nothing_else(stored):
    html = Client().get(f"/verify/{stored.pk}/").content.decode()
    document = stored.document
    for secret in (
        stored.trader_voen,
        document["consignee"]["name"],
        document["consignee"]["identifier"],
        document["consignor"]["name"],
        document["goods"][0]["commodity_code"],
        document["total_customs_value"].replace(".", ","),
        document["total_customs_value"],
        "Məmmədova",  # the signer
        "0A1B2C3D4E5F",  # the certificate
    ):
        assert secret not in html, secret


def test_unknown_declaration_is_404(db):
    response = Client().get(f"/verify/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert 'id="not-found"' in response.content.decode()


def test_a_draft_without_signature_shows_its_state_and_no_hash(users):
    from gomruk.declarations.services import declaration_create
    from tests.printing.conftest import owned_sample

    draft = declaration_create(user=users["deklarant"], document=owned_sample(1))
    facts = declaration_verification(declaration_id=draft.pk)
    assert (facts.registration_number, facts.state, facts.signed_sha256) == ("", "draft", "")
    html = Client().get(f"/verify/{draft.pk}/").content.decode()
    assert "Qaralama" in html and "imzalanmayıb" in html


def test_verification_selector_reads_only_three_columns(stored, django_assert_max_num_queries):
    with django_assert_max_num_queries(2) as captured:
        declaration_verification(declaration_id=stored.pk)
    declaration_sql = captured.captured_queries[0]["sql"]
    assert '"registration_number"' in declaration_sql and '"state"' in declaration_sql
    for column in ("document", "trader_voen", "pending_input", "created_by_id"):
        assert f'"{column}"' not in declaration_sql


def test_post_is_not_allowed(stored):
    assert Client().post(f"/verify/{stored.pk}/").status_code == 405


def test_verification_url_uses_the_public_address(settings):
    settings.GOMRUK_PUBLIC_URL = "https://gomruk.example.az/"
    declaration_id = uuid.UUID("7b1c2d3e-0000-4000-8000-000000000001")
    assert verification_url(declaration_id) == f"https://gomruk.example.az/verify/{declaration_id}/"


def test_declaration_model_is_unchanged_by_a_visit(stored):
    before = Declaration.objects.get(pk=stored.pk).updated_at
    Client().get(f"/verify/{stored.pk}/")
    assert Declaration.objects.get(pk=stored.pk).updated_at == before
