"""The ceiling's settings: only what a JSON API needs, the database as Gömrük configures it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

GOMRUK_HOME = Path(os.environ.get("GOMRUK_HOME") or tempfile.mkdtemp(prefix="gomruk-ceiling-"))
SECRET_KEY = "ceiling-bench-only"  # noqa: S105 (a benchmark's throw-away server)
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "ceiling.urls"
ASGI_APPLICATION = "ceiling.asgi.application"
USE_TZ = True
GOMRUK_PUBLIC_URL = ""
GOMRUK_REQUEST_THREADS = int(os.environ.get("GOMRUK_REQUEST_THREADS", "2"))  # gomruk's default
GOMRUK_MAX_REQUEST_BODY = 12 * 1024 * 1024

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{GOMRUK_HOME / 'ceiling.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Gömrük's backend (its health check asks the socket first, ADR 0048), and Gömrük's binding
    # and preparing (ADR 0037): what the ceiling gains by them is not counted as the project's.
    DATABASES["default"]["ENGINE"] = "gomruk.core.postgresql"
    if os.environ.get("GOMRUK_DB_SERVER_BINDING", "1") != "0":
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
