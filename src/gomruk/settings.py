"""Django settings for Gömrük, read from the environment.

DATABASE_URL   database (default: SQLite file in GOMRUK_HOME)
GOMRUK_HOME    data directory: SQLite database, demo keys, uploads if on disk (default: per-user data dir)
SECRET_KEY     required when GOMRUK_ENV=production; otherwise generated into GOMRUK_HOME
GOMRUK_AUDIT_KEY, GOMRUK_AUDIT_SIGNING_KEY  audit trail keys (ADR 0009), the same rule
ALLOWED_HOSTS  comma-separated host names
GOMRUK_DEBUG   "1" to switch debug on (off by default)
REDIS_URL      shared counters (rate limits, sign-in throttling) in Redis instead of the database
GOMRUK_FILE_STORAGE  where uploaded files live: "database" (default) or "filesystem"
GOMRUK_UPLOADS_DIR   the filesystem storage's directory, and where `gomruk files import-disk`
               looks (default: GOMRUK_HOME/uploads)
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import dj_database_url

from gomruk.clock import SERVICE_TIME_ZONE
from gomruk.env import (
    audit_key,
    audit_signing_key,
    env_bool,
    env_list,
    env_str,
    file_storage,
    gomruk_home,
    secret_key,
)

GOMRUK_ENV = env_str("GOMRUK_ENV", "local")
# The one production switch: code asks this flag, never compares GOMRUK_ENV strings.
GOMRUK_PRODUCTION = GOMRUK_ENV == "production"
GOMRUK_HOME = gomruk_home()

SECRET_KEY = secret_key(GOMRUK_HOME, GOMRUK_PRODUCTION)
DEBUG = env_bool("GOMRUK_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if GOMRUK_PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "gomruk.core",
    "gomruk.edge",
    "gomruk.accounts",
    "gomruk.reference",
    "gomruk.declarations",
    "gomruk.rules",
    "gomruk.duties",
    "gomruk.signatures",
    "gomruk.customs",
    "gomruk.complaints",
    "gomruk.border",
    "gomruk.printing",
    "gomruk.saved",
    "gomruk.risk",
    "gomruk.workbench",
    "gomruk.reports",
    "gomruk.notifications",
    "gomruk.api",
    "gomruk.portal",
    "gomruk.demo",
]

MIDDLEWARE = [
    "gomruk.edge.files.AsyncFileResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gomruk.edge.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gomruk.portal.middleware.PortalLanguageMiddleware",
    # Before anything reads the session, the body or the database (ADR 0011-http-server).
    "gomruk.edge.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gomruk.accounts.middleware.VoensPerRequest",
    "gomruk.edge.sessions.SessionExpiryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gomruk.urls"
WSGI_APPLICATION = "gomruk.wsgi.application"
ASGI_APPLICATION = "gomruk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gomruk.notifications.context.unread_notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{GOMRUK_HOME / 'gomruk.sqlite3'}") or "",
        conn_max_age=60,
        # A persistent connection the server dropped (restart, pg_terminate_backend) is
        # replaced at the next request instead of failing it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the web server and background tasks share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Writers take the lock when their transaction starts, so concurrent requests queue
            # on the busy timeout instead of failing with "database is locked" mid-transaction.
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Django's backend, its health check asking the socket before the server (ADR 0048).
    DATABASES["default"]["ENGINE"] = "gomruk.core.postgresql"
    # A backend whose client died (a killed worker) notices within two seconds even while it
    # waits on a lock, and rolls back what it held — an idempotency key's claim among it.
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c client_connection_check_interval=2000".strip()
    # Parameters travel beside the statement (a frozen version's 100 KB document and payload
    # are neither escaped into the SQL nor parsed out of it again), and a statement a
    # connection runs a fifth time is prepared there: the journey's PostgreSQL CPU fell by a
    # third (ADR 0037). GOMRUK_DB_SERVER_BINDING=0 for a pooler that cannot keep prepared
    # statements (PgBouncer in transaction mode).
    if env_bool("GOMRUK_DB_SERVER_BINDING", True):
        _pg_options.setdefault("server_side_binding", True)
        _pg_options.setdefault("prepare_threshold", 5)

# The cache holds counters every process must share (API rate limits, sign-in throttling):
# Redis when REDIS_URL is set, otherwise a table of the database (``gomruk init`` / migrate
# create it). Never the per-process LocMemCache.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "gomruk.core.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "gomruk"}
        if REDIS_URL
        else {
            "BACKEND": "gomruk.core.cache.DatabaseCache",
            "LOCATION": "gomruk_cache",
            # Counters must not be culled while they count: expired rows go first.
            "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
        }
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "portal:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "az"
LOCALE_PATHS = [str(Path(__file__).parent / "locale")]
LANGUAGES = [("az", "Azərbaycanca"), ("en", "English")]
TIME_ZONE = SERVICE_TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(GOMRUK_HOME / "static")
(GOMRUK_HOME / "static").mkdir(exist_ok=True)
STORAGES = {
    # Uploaded files in the database by default, so any number of nodes share them (ADR 0029).
    "default": {"BACKEND": file_storage()},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env_str("GOMRUK_UPLOADS_DIR", str(GOMRUK_HOME / "uploads")) or ""

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Browser hardening (issue 13, item 7). CSP and Permissions-Policy: gomruk.edge.headers.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = GOMRUK_PRODUCTION
CSRF_COOKIE_SECURE = GOMRUK_PRODUCTION
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends 8 hours after sign-in, or after GOMRUK_SESSION_IDLE seconds without a request
# (gomruk.edge.sessions).
SESSION_COOKIE_AGE = 8 * 3600
GOMRUK_SESSION_IDLE = int(env_str("GOMRUK_SESSION_IDLE", str(30 * 60)) or 30 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS only in production, where the service is reached over HTTPS (directly, or through a
# proxy that sets X-Forwarded-Proto: gunicorn trusts it from the local host).
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if GOMRUK_PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = GOMRUK_PRODUCTION
X_FRAME_OPTIONS = "DENY"

# Serving (ADR 0011-http-server): bodies are read before a request thread is taken; each serving
# process runs this many requests at once (each keeps a database connection), and refuses a
# request body larger than this with 413 before reading it. Two, not four: the journey's
# requests are CPU-bound Python, and four threads of one process mostly wait on each other's
# GIL (ADR 0034-two-request-threads-per-process).
GOMRUK_REQUEST_THREADS = int(env_str("GOMRUK_REQUEST_THREADS", "2") or 2)
GOMRUK_MAX_REQUEST_BODY = int(env_str("GOMRUK_MAX_REQUEST_BODY", str(12 * 1024 * 1024)) or 0)

# Background work: django-tasks on the database, run by `gomruk worker` (all queues; `gomruk
# serve` starts one alongside unless GOMRUK_SERVE_WORKER=0).
# Each kind of work has its own queue (an app adding one lists it here); the worker takes all.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "audit", "rates"],
    }
}
GOMRUK_SERVE_WORKER = env_bool("GOMRUK_SERVE_WORKER", True)
# Tasks that schedule their own next run; each worker makes sure every one is scheduled when it
# starts. Each entry names a gomruk.core.periodic.Periodic.
GOMRUK_PERIODIC_TASKS = [
    "gomruk.core.tasks.AUDIT_MAINTENANCE",
    "gomruk.duties.tasks.RATES_DAILY",
]

# Seconds a process trusts its classifier, nomenclature and tariff snapshots (and the exchange
# rates it read) before asking the database again whether they changed (a COUNT/MAX per table, on every
# validation otherwise). Saves and deletes in the same process are seen at once; other
# processes and bulk loads are seen within this time. 0 asks every time.
GOMRUK_REFERENCE_RECHECK = float(env_str("GOMRUK_REFERENCE_RECHECK", "2") or 0)

# Seconds a process may use a bearer token's caller it read before, while the shared principals
# stamp in Redis vouches for it (ADR 0050; without REDIS_URL nothing is kept). 0 reads it on
# every request.
GOMRUK_TOKEN_MEMO_SECONDS = float(env_str("GOMRUK_TOKEN_MEMO_SECONDS", "60") or 0)

# Audit trail (ADR 0004 sealing, ADR 0009 keys and checkpoints). Keys live outside the database:
# entries and links are authenticated with GOMRUK_AUDIT_KEY (HMAC), published chain heads are
# signed with GOMRUK_AUDIT_SIGNING_KEY (Ed25519). Both are required in production.
GOMRUK_AUDIT_KEY = audit_key(GOMRUK_HOME, GOMRUK_PRODUCTION)
GOMRUK_AUDIT_SIGNING_KEY = audit_signing_key(GOMRUK_HOME, GOMRUK_PRODUCTION)
# "immediate" links each entry in its writer's transaction (writers queue on the chain head — no
# cost on SQLite, which has one writer at a time); "deferred" only inserts and leaves linking to
# the worker's sealing task, in batches.
GOMRUK_AUDIT_SEALING = env_str(
    "GOMRUK_AUDIT_SEALING",
    "immediate" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "deferred",
)
if GOMRUK_AUDIT_SEALING not in ("immediate", "deferred"):
    raise ValueError("GOMRUK_AUDIT_SEALING must be 'immediate' or 'deferred'")
# Seconds between runs of the sealing task in deferred mode (in immediate mode it only writes
# checkpoints, every GOMRUK_AUDIT_CHECKPOINT_INTERVAL).
GOMRUK_AUDIT_SEAL_INTERVAL = float(env_str("GOMRUK_AUDIT_SEAL_INTERVAL", "1") or 1)
# Seconds between signed checkpoints of a moving chain head: entries sealed after the last
# checkpoint can be cut off the end unnoticed, so this bounds what truncation can hide.
GOMRUK_AUDIT_CHECKPOINT_INTERVAL = float(env_str("GOMRUK_AUDIT_CHECKPOINT_INTERVAL", "60") or 60)
# The append-only copy of the checkpoints outside the database.
GOMRUK_AUDIT_CHECKPOINT_FILE = Path(
    env_str("GOMRUK_AUDIT_CHECKPOINT_FILE", str(GOMRUK_HOME / "audit-checkpoints.jsonl")) or ""
)

# CBAR exchange rates: the worker fetches today's bulletin daily at this Baku time ("HH:MM");
# empty switches the daily import off (the default outside production, where the service may
# have no way out to cbar.az). `gomruk rates import` works either way.
GOMRUK_RATES_IMPORT_AT = env_str("GOMRUK_RATES_IMPORT_AT", "10:00" if GOMRUK_PRODUCTION else "") or ""
if GOMRUK_RATES_IMPORT_AT and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", GOMRUK_RATES_IMPORT_AT):
    raise ValueError("GOMRUK_RATES_IMPORT_AT must be HH:MM (Baku time) or empty")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GOMRUK_LOG_LEVEL", "WARNING")},
}

# --- Domain settings -------------------------------------------------------------------
# Box 7 number: office code, acceptance date (DDMMYY) and a per-office, per-year sequence.
GOMRUK_NUMBER_FORMAT = env_str("GOMRUK_NUMBER_FORMAT", "{office}/{date:%d%m%y}/{sequence:07d}") or ""
# Certificate subject attributes that carry the VÖEN (first match wins) and the FIN.
GOMRUK_CERT_VOEN_OIDS = env_list("GOMRUK_CERT_VOEN_OIDS", ["2.5.4.97", "2.5.4.11"])
GOMRUK_CERT_FIN_OIDS = env_list("GOMRUK_CERT_FIN_OIDS", ["2.5.4.5"])
GOMRUK_DEMO_DIR = GOMRUK_HOME / "demo"
GOMRUK_PUBLIC_URL = env_str("GOMRUK_PUBLIC_URL", "http://127.0.0.1:8000")
# Signatures: trust anchors and CRLs (PEM paths). Empty: the demo CA in GOMRUK_DEMO_DIR, never
# in production.
GOMRUK_TRUST_ANCHORS = env_list("GOMRUK_TRUST_ANCHORS", [])
GOMRUK_CRLS = env_list("GOMRUK_CRLS", [])
GOMRUK_CRL_REQUIRED = env_bool("GOMRUK_CRL_REQUIRED", False)
GOMRUK_ASAN_GATEWAY = env_str("GOMRUK_ASAN_GATEWAY", "simulator")
GOMRUK_ASAN_SIMULATOR = env_bool("GOMRUK_ASAN_SIMULATOR", not GOMRUK_PRODUCTION)
GOMRUK_ASAN_TIMEOUT = int(env_str("GOMRUK_ASAN_TIMEOUT", "120") or 120)
# Payments: upper bounds of the clearance-fee brackets are inclusive.
GOMRUK_FEE_UPPER_BOUNDS_INCLUSIVE = env_bool("GOMRUK_FEE_UPPER_BOUNDS_INCLUSIVE", True)
# API limits: per-token request rates, token lifetime, body sizes (bytes).
GOMRUK_API_RATE = env_str("GOMRUK_API_RATE", "600/minute")
GOMRUK_API_AUTH_RATE = env_str("GOMRUK_API_AUTH_RATE", "60/minute")
GOMRUK_API_TOKEN_TTL = int(env_str("GOMRUK_API_TOKEN_TTL", "28800") or 28800)
GOMRUK_API_MAX_BODY = int(env_str("GOMRUK_API_MAX_BODY", str(5 * 1024 * 1024)) or 0)
GOMRUK_API_MAX_UPLOAD = int(env_str("GOMRUK_API_MAX_UPLOAD", str(10 * 1024 * 1024)) or 0)
# Idempotency-Key: how long a duplicate waits for the running request before a 409 (PostgreSQL).
GOMRUK_IDEMPOTENCY_WAIT = float(env_str("GOMRUK_IDEMPOTENCY_WAIT", "5") or 5)
# Password sign-in (portal, admin, API token): failures counted per account and per client
# address within the window; reaching a limit locks that account / address for the lockout.
GOMRUK_LOGIN_ACCOUNT_FAILURES = int(env_str("GOMRUK_LOGIN_ACCOUNT_FAILURES", "10") or 10)
GOMRUK_LOGIN_ADDRESS_FAILURES = int(env_str("GOMRUK_LOGIN_ADDRESS_FAILURES", "50") or 50)
GOMRUK_LOGIN_WINDOW = int(env_str("GOMRUK_LOGIN_WINDOW", "900") or 900)
GOMRUK_LOGIN_LOCKOUT = int(env_str("GOMRUK_LOGIN_LOCKOUT", "900") or 900)

# --- Workbench (issue 18) ------------------------------------------------------------------
# Lower apps call upper ones only through these named points (core.hooks, ADR "workbench
# layering"): customs → risk at registration and channel choice; declarations and border →
# the notifications outbox after each committed event.
GOMRUK_HOOKS: dict[str, list[str]] = {
    "customs.registered": ["gomruk.risk.services.on_registered", "gomruk.reports.summaries.registration_counted"],
    "customs.channel_assigned": ["gomruk.risk.services.on_channel_assigned"],
    # The dashboards' daily summaries count in the transaction of the work counted (ADR
    # 0016-dashboard-daily-summaries).
    "customs.channel_recorded": ["gomruk.reports.summaries.channel_counted"],
    "customs.returned": ["gomruk.reports.summaries.return_reasons_counted"],
    # Border goods follow their declaration and may refuse a send (ADR 0006); the summaries;
    # then the outbox.
    "declaration.transitioned": [
        "gomruk.border.declaring.arrivals_follow_transition",
        "gomruk.reports.summaries.transition_counted",
        "gomruk.notifications.outbox.events_written",
    ],
    "border.arrivals_recorded": ["gomruk.notifications.outbox.events_written"],
    # V-A-3: the printed form's attachment sheets, counted by the printing app's layout.
    "declaration.attachment_sheets": ["gomruk.printing.services.attachment_sheet_count"],
}
# Risk score from which the engine proposes a channel (the highest reached wins).
GOMRUK_RISK_THRESHOLDS = {"yellow": 30, "red": 60}
# E-mail: the console backend unless SMTP is configured (EMAIL_HOST).
EMAIL_HOST = env_str("EMAIL_HOST", "") or ""
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(env_str("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gomruk@localhost") or "gomruk@localhost"
# Webhooks: URLs that resolve to loopback or private ranges are refused unless this is on
# (``gomruk demo`` turns it on for the local demo). Checked when a webhook is created and
# again at every delivery (DNS rebinding).
GOMRUK_WEBHOOK_ALLOW_PRIVATE = env_bool("GOMRUK_WEBHOOK_ALLOW_PRIVATE", False)
GOMRUK_WEBHOOK_TIMEOUT = float(env_str("GOMRUK_WEBHOOK_TIMEOUT", "10") or 10)
# Retries: first after GOMRUK_WEBHOOK_BACKOFF seconds, doubling, capped at one hour, for 24 h.
GOMRUK_WEBHOOK_BACKOFF = float(env_str("GOMRUK_WEBHOOK_BACKOFF", "30") or 30)
GOMRUK_WEBHOOK_RETRY_HOURS = float(env_str("GOMRUK_WEBHOOK_RETRY_HOURS", "24") or 24)
# Complaints against customs decisions (S002 §3.5, Customs Code art. 51): the time limit to
# answer, as dated entries (the one in force on the day a complaint is lodged applies). The spec
# cites art. 78 of the Law "On administrative proceedings" without transcribing the period; the
# default is that article's one month, recorded as open question Q-51 in docs/lifecycle.md.
# Override with a JSON list: [{"from": "YYYY-MM-DD", "months": 1, "days": 0, "article_az": "…",
# "article_en": "…"}].
GOMRUK_COMPLAINT_TIME_LIMITS = json.loads(
    env_str("GOMRUK_COMPLAINT_TIME_LIMITS", "")
    or json.dumps(
        [
            {
                "from": "2006-01-01",
                "months": 1,
                "days": 0,
                "article_az": "«İnzibati icraat haqqında» Qanunun 78-ci maddəsi",
                "article_en": 'Law "On administrative proceedings", article 78',
            }
        ]
    )
)

# Saved parties, routes and goods lines (issue 16 item 6): how many entries one trader (VÖEN)
# may keep, all kinds together; enough for a busy trader's regulars, bounded for the picker.
GOMRUK_SAVED_MAX_PER_TRADER = int(env_str("GOMRUK_SAVED_MAX_PER_TRADER", "500") or 500)
