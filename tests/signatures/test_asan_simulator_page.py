from __future__ import annotations

import sys
import types

import pytest
from django.test import Client
from django.urls import include, path

from gomruk.accounts.models import Role, User
from gomruk.signatures.models import AsanState
from gomruk.signatures.services import asan_start

pytestmark = pytest.mark.django_db
PAYLOAD = b'{"page":1}'


@pytest.fixture
def mounted(settings, demo_settings):
    """Mount the simulator where the project will: /asan-simulator/."""
    urlconf = types.ModuleType("signatures_test_urls")
    urlconf.urlpatterns = [path("asan-simulator/", include("gomruk.signatures.urls"))]
    sys.modules[urlconf.__name__] = urlconf
    settings.ROOT_URLCONF = urlconf.__name__
    yield
    del sys.modules[urlconf.__name__]


@pytest.fixture
def tx(mounted):
    user = User.objects.create_user("aysel", role=Role.DECLARANT)
    return asan_start(user=user, phone_number="+994501112233", asan_user_id="123456", payload=PAYLOAD, purpose="declaration_sign", object_id="D-7")


def test_page_lists_pending_requests_for_the_phone(tx):
    page = Client().get("/asan-simulator/", {"phone": "0501112233"})
    assert page.status_code == 200
    assert tx.verification_code in page.content.decode()
    assert f"/asan-simulator/{tx.id}/approve/" in page.content.decode()
    other = Client().get("/asan-simulator/", {"phone": "+994552223344"})
    assert str(tx.id) not in other.content.decode()


def test_approve_requires_csrf_token(tx):
    client = Client(enforce_csrf_checks=True)
    refused = client.post(f"/asan-simulator/{tx.id}/approve/", {"phone": "+994501112233"})
    assert refused.status_code == 403
    tx.refresh_from_db()
    assert tx.state == AsanState.PENDING

    page = client.get("/asan-simulator/", {"phone": "+994501112233"})
    token = page.cookies["csrftoken"].value
    done = client.post(
        f"/asan-simulator/{tx.id}/approve/", {"phone": "+994501112233", "csrfmiddlewaretoken": token}
    )
    assert done.status_code == 302
    assert done["Location"] == "/asan-simulator/?phone=%2B994501112233"
    tx.refresh_from_db()
    assert tx.state == AsanState.CONFIRMED
    assert tx.signature_der


def test_reject_button(tx):
    Client().post(f"/asan-simulator/{tx.id}/reject/", {"phone": "+994501112233"})
    tx.refresh_from_db()
    assert tx.state == AsanState.REJECTED


def test_get_cannot_answer(tx):
    assert Client().get(f"/asan-simulator/{tx.id}/approve/").status_code == 405


def test_page_is_absent_when_simulator_is_off(tx, settings):
    settings.GOMRUK_ASAN_SIMULATOR = False
    assert Client().get("/asan-simulator/", {"phone": "+994501112233"}).status_code == 404
    assert Client().post(f"/asan-simulator/{tx.id}/approve/").status_code == 404
    tx.refresh_from_db()
    assert tx.state == AsanState.PENDING
