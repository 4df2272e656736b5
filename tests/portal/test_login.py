"""Signing in: certificate (signed challenge), Asan İmza, demo password; language."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gomruk.accounts.models import ApiToken
from gomruk.core.models import AuditEntry
from gomruk.signatures.models import AsanTransaction
from gomruk.signatures.services import asan_phone_confirm
from tests.portal.portal_signing import sign_with_demo_key


def test_demo_password_login_lands_on_the_role_home(client, demo):
    response = client.post(reverse("portal:login"), {"username": "inspektor", "password": "gomruk-demo"})
    assert response["Location"] == reverse("portal:queue")
    client.logout()
    response = client.post(reverse("portal:login"), {"username": "deklarant", "password": "wrong"})
    assert response.status_code == 401


def test_password_login_is_refused_for_non_demo_users(client, demo):
    user = demo["deklarant"]
    user.is_demo = False
    user.save()
    response = client.post(reverse("portal:login"), {"username": "deklarant", "password": "gomruk-demo"})
    assert response.status_code == 401


def test_certificate_login_with_a_signed_challenge(client, demo, trust_demo):
    client.get(reverse("portal:login"))
    nonce = client.get(reverse("portal:login_challenge")).content
    signature = sign_with_demo_key(trust_demo, "deklarant", nonce)
    response = client.post(
        reverse("portal:login_certificate"),
        {
            "signature": SimpleUploadedFile("c.p7s", signature),
            "certificate": SimpleUploadedFile("c.pem", (trust_demo / "deklarant.pem").read_bytes()),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    # A session, not an API token: none is issued (and none needs revoking).
    assert not ApiToken.objects.exists()
    login = AuditEntry.objects.get(action="portal.login")
    assert login.actor == demo["deklarant"] and login.details["method"] == "certificate"
    assert login.details["certificate_serial"]
    assert not AuditEntry.objects.filter(action__startswith="api.token").exists()


def test_certificate_login_refuses_a_signature_over_other_bytes(client, demo, trust_demo):
    client.get(reverse("portal:login"))
    signature = sign_with_demo_key(trust_demo, "deklarant", b"something else")
    response = client.post(
        reverse("portal:login_certificate"),
        {
            "signature": SimpleUploadedFile("c.p7s", signature),
            "certificate": SimpleUploadedFile("c.pem", (trust_demo / "deklarant.pem").read_bytes()),
        },
    )
    assert response.status_code >= 400
    assert "_auth_user_id" not in client.session


def test_asan_login_shows_the_code_and_signs_in_once_the_phone_confirms(client, demo, trust_demo):
    response = client.post(reverse("portal:login_asan"), {"phone_number": "+994501234567", "asan_user_id": "123456"})
    assert response.status_code == 302
    tx = AsanTransaction.objects.get()
    page = client.get(reverse("portal:login") + "?tab=asan").content.decode()
    assert tx.verification_code in page
    pending = client.get(reverse("portal:login_asan_state"))
    assert "gözlənilir" in pending.content.decode()
    asan_phone_confirm(transaction_id=tx.id, approve=True)
    done = client.get(reverse("portal:login_asan_state"))
    assert done.status_code == 204 and done["HX-Redirect"] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == demo["deklarant"].pk


def test_asan_login_with_an_unknown_phone_is_refused(client, demo):
    response = client.post(reverse("portal:login_asan"), {"phone_number": "+994509999999", "asan_user_id": "123456"})
    assert response.status_code == 401
    assert AsanTransaction.objects.count() == 0


def test_pages_switch_to_english(declarant_client, settings):
    from pathlib import Path

    import gomruk

    settings.LOCALE_PATHS = [str(Path(gomruk.__file__).parent / "locale")]
    settings.MIDDLEWARE = [
        m.replace("django.middleware.locale.LocaleMiddleware", "gomruk.portal.middleware.PortalLanguageMiddleware")
        for m in settings.MIDDLEWARE
    ]
    az = declarant_client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="az">' in az and "Əsas səhifə" in az
    declarant_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    en = declarant_client.get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in en and "Home page" in en
