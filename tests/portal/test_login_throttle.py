"""Issue #13 item 6: password guessing is throttled and locked per account and per client
address, in a store every process shares; the person is told in their language when to try
again; every lockout is audited; demo users never sign in to a production service.

Before: the portal's /login/ took 140 wrong passwords at 2/s and then let the right one in;
/admin/login/ had no throttle; the API's rate limits counted per process.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.test import Client

from gomruk.accounts.throttle import _keys
from gomruk.core.models import AuditEntry

LOGIN = "/login/"
ADMIN_LOGIN = "/admin/login/"


def _client(language: str = "az", address: str = "127.0.0.1") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _portal(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_twenty_wrong_passwords_lock_the_account_with_a_clear_message(demo):
    client = _client()
    statuses = [_portal(client, "deklarant", f"guess-{n}").status_code for n in range(20)]
    assert statuses[:9] == [401] * 9
    assert set(statuses[9:]) == {429}  # the tenth failure locks; the rest are refused unread
    right = _portal(client, "deklarant", "gomruk-demo")
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert int(right["Retry-After"]) > 800
    page = _text(right)
    assert "parolla giriş müvəqqəti bağlanıb" in page and "Saat " in page and "sonra" in page
    english = _text(_portal(_client("en"), "deklarant", "gomruk-demo"))
    assert "password sign-in to this account is locked" in english and "Try again after" in english
    # Another account is not locked by it.
    assert _portal(_client(address="10.9.9.9"), "broker", "gomruk-demo").status_code == 302
    # When the lock ends, the right password works again.
    cache.set(_keys("account", "deklarant")[1], time.time() - 1, timeout=60)
    assert _portal(client, "deklarant", "gomruk-demo").status_code == 302


def test_every_lockout_is_audited_once(demo):
    client = _client()
    for n in range(25):
        _portal(client, "deklarant", f"guess-{n}")
    entries = list(AuditEntry.objects.filter(action="accounts.lockout"))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.outcome, entry.details["scope"], entry.details["channel"]) == ("locked", "account", "portal")
    assert entry.details["username"] == "deklarant" and entry.details["failures"] == 10
    assert entry.details["address"] == "127.0.0.1" and entry.details["until"]


def test_one_address_guessing_many_accounts_is_locked(demo):
    guesser = _client(address="203.0.113.7")
    statuses = [_portal(guesser, f"user{n}", "secret").status_code for n in range(60)]
    assert statuses.index(429) == 49  # the 50th failure from the address locks it
    locked = _portal(guesser, "broker", "gomruk-demo")
    assert locked.status_code == 429 and "şəbəkə ünvanından" in _text(locked)
    assert _portal(_client(address="198.51.100.1"), "broker", "gomruk-demo").status_code == 302
    scopes = set(AuditEntry.objects.filter(action="accounts.lockout").values_list("details__scope", flat=True))
    assert scopes == {"address"}


def test_admin_login_is_throttled(demo):
    admin = _client()
    form = {"username": "admin", "password": "wrong", "next": "/admin/"}
    for _ in range(10):
        admin.post(ADMIN_LOGIN, form)
    response = admin.post(ADMIN_LOGIN, {**form, "password": "gomruk-demo"})
    assert response.status_code == 200 and "_auth_user_id" not in admin.session
    assert "parolla giriş müvəqqəti bağlanıb" in _text(response)
    entry = AuditEntry.objects.get(action="accounts.lockout")
    assert entry.details["channel"] == "admin"


def test_the_api_token_endpoint_is_throttled(demo):
    api = Client()
    for _ in range(10):
        api.post("/api/v1/auth/token", {"username": "broker", "password": "x"}, content_type="application/json")
    response = api.post(
        "/api/v1/auth/token", {"username": "broker", "password": "gomruk-demo"}, content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 429 and response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert body["code"] == "login_locked" and "Try again after" in body["detail"]
    assert int(response["Retry-After"]) == body["retry_after"]


def test_demo_users_cannot_sign_in_in_production(demo, settings):
    settings.GOMRUK_PRODUCTION = True
    assert _portal(_client(), "deklarant", "gomruk-demo").status_code == 401
    token = Client().post(
        "/api/v1/auth/token", {"username": "deklarant", "password": "gomruk-demo"}, content_type="application/json"
    )
    assert token.status_code == 401
    admin = _client()
    admin.post(ADMIN_LOGIN, {"username": "admin", "password": "gomruk-demo", "next": "/admin/"})
    assert "_auth_user_id" not in admin.session
    settings.GOMRUK_PRODUCTION = False
    assert _portal(_client(), "deklarant", "gomruk-demo").status_code == 302


_COUNTER_SCRIPT = """
import django, sys
django.setup()
from django.core.management import call_command
from gomruk.core.cache import hit
if sys.argv[1] == "create":
    call_command("migrate", verbosity=0)  # the cache table comes with api's migration 0002
elif sys.argv[1] == "count":
    for _ in range(int(sys.argv[2])):
        hit("shared-counter", timeout=600)
else:
    from gomruk.accounts.throttle import password_authenticate, LoginLocked
    try:
        password_authenticate(request=None, username="nobody", password="x", channel="test")
    except LoginLocked as locked:
        print("locked", locked.details["scope"])
    else:
        print("counted")
"""


def test_counters_are_exact_and_shared_across_processes(tmp_path):
    """Four processes count on one database (a file of its own, or a PostgreSQL database of
    its own), concurrently: no increment is lost; the lock one process sets stops another."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "GOMRUK_", "REDIS_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "gomruk.settings", "GOMRUK_HOME": str(tmp_path),
                "GOMRUK_LOGIN_ACCOUNT_FAILURES": "3", "GOMRUK_LOGIN_ADDRESS_FAILURES": "1000"})
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    name = f"{os.environ.get('GOMRUK_TEST_DB') or 'test_gomruk'}_counters"
    if postgres:
        from tests.served import PG_SERVER, pg_admin

        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg_admin(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    script = Path(tempfile.mkdtemp()) / "counters.py"
    script.write_text(_COUNTER_SCRIPT)
    try:
        run = [sys.executable, str(script)]
        subprocess.run([*run, "create"], env=env, check=True, timeout=120)
        workers = [subprocess.Popen([*run, "count", "50"], env=env) for _ in range(4)]
        assert [w.wait(300) for w in workers] == [0, 0, 0, 0]
        check = subprocess.run(
            [*run, "count", "1"], env=env, check=True, timeout=120, capture_output=True, text=True
        )
        assert check.returncode == 0
        final = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); from django.core.cache import cache; "
             "print(cache.get('shared-counter'))"],
            env=env, check=True, timeout=120, capture_output=True, text=True,
        )
        assert final.stdout.strip() == "201"
        # Sign-in failures: three processes fail once each, the third failure locks; a fourth
        # process is refused before it looks at the password.
        outputs = [subprocess.run([*run, "login"], env=env, capture_output=True, text=True, timeout=120).stdout.strip()
                   for _ in range(4)]
        assert outputs == ["counted", "counted", "locked account", "locked account"]
    finally:
        if postgres:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_with_redis_the_lock_and_counters_live_in_redis(redis_cache, demo):
    import redis
    from django.core.cache import cache as current

    assert type(current._cache).__name__ == "RedisCacheClient"  # type: ignore[attr-defined]
    client = _client()
    for n in range(10):
        _portal(client, "deklarant", f"guess-{n}")
    assert _portal(client, "deklarant", "gomruk-demo").status_code == 429
    keys = {k.decode() for k in redis.Redis.from_url(redis_cache).keys("*gomruk-login-lock*")}
    assert len(keys) == 1


def test_with_redis_a_counter_is_one_transaction_exact_under_threads_and_expires(redis_cache):
    """``hit`` on Redis: SET NX EX then INCR in one MULTI. Eight threads count 25 each and no
    increment is lost; the counter carries the expiry of its first event (never a key that
    lives for ever), and a counter that expired starts again at 1."""
    import threading

    import redis

    from gomruk.core.cache import RedisCache, hit

    assert isinstance(caches["default"], RedisCache)
    threads = [threading.Thread(target=lambda: [hit("threads", timeout=30) for _ in range(25)]) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert hit("threads", timeout=30) == 201
    raw = redis.Redis.from_url(redis_cache)
    (key,) = raw.keys("*threads*")
    assert 0 < raw.ttl(key) <= 30
    assert cache.get("threads") == 201  # the same value Django's cache API reads
    raw.pexpire(key, 1)
    time.sleep(0.01)
    assert hit("threads", timeout=30) == 1
