"""Headers on every kind of page, HSTS only in production, sessions that end, and no session for
an anonymous visit to the login page."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from gomruk.edge.headers import CONTENT_SECURITY_POLICY
from gomruk.edge.sessions import SEEN, STARTED

PAGES = ["/login/", "/api/v1/docs", "/admin/login/", "/admin/", "/", "/verify/00000000-0000-0000-0000-000000000000/"]


@pytest.fixture
def staff(db):
    from gomruk.accounts.models import User

    return User.objects.create_superuser("admin", "admin@example.az", "long enough password")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_hardening_headers(path, client, staff):
    client.force_login(staff)
    response = client.get(path, secure=True)
    assert response.status_code in (200, 302, 404), response.status_code
    policy = response["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer")  # the verify page: none at all
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # not in production


def test_static_files_carry_them_too(client, db):
    response = client.get("/static/portal/portal.js")
    response.close()
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hsts_in_production_only(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SESSION_COOKIE_SECURE)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GOMRUK_ENV")}
    env.update({"GOMRUK_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gomruk.settings", "SECRET_KEY": "x" * 50,
                "GOMRUK_AUDIT_KEY": "k" * 40, "GOMRUK_AUDIT_SIGNING_KEY": "A" * 43 + "="})
    local = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    production = subprocess.run(
        [sys.executable, "-c", code], env={**env, "GOMRUK_ENV": "production"}, capture_output=True, text=True, check=True
    )
    assert local.stdout.split() == ["0", "False", "False"]
    seconds, subdomains, secure_cookie = production.stdout.split()
    assert int(seconds) >= 31536000 and subdomains == "True" and secure_cookie == "True"


def test_hsts_header_is_sent_over_https_in_production(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize("tab", ["", "?tab=certificate", "?tab=asan", "?tab=password"])
def test_an_anonymous_login_page_creates_no_session(tab, db):
    client = Client()
    response = client.get("/login/" + tab)
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    assert "csrftoken" in response.cookies  # CSRF by cookie, not by session


def test_the_challenge_download_starts_the_session(db):
    client = Client()
    nonce = client.get("/login/challenge/").content.decode()
    assert Session.objects.count() == 1
    page = client.get("/login/").content.decode()
    assert nonce[:10] in page


def test_session_lifetime_is_at_most_8_hours_with_30_minutes_idle(settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.GOMRUK_SESSION_IDLE == 30 * 60


def _signed_in(client, staff):
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "long enough password"})
    assert response.status_code == 302
    return client.session


def test_idle_session_ends(client, staff):
    session = _signed_in(client, staff)
    assert {STARTED, SEEN} <= set(session.keys())
    assert client.get("/admin/").status_code == 200
    session[SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_active_session_ends_8_hours_after_sign_in(client, staff):
    session = _signed_in(client, staff)
    session[STARTED] = int(time.time()) - 8 * 3600 - 1
    session[SEEN] = int(time.time()) - 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302


def test_activity_keeps_a_session_alive(client, staff):
    session = _signed_in(client, staff)
    session[SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/admin/").status_code == 200
    assert int(client.session[SEEN]) >= int(time.time()) - 5
