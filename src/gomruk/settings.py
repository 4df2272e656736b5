"""Django settings for Gömrük, read from the environment.

DATABASE_URL   database (default: SQLite file in GOMRUK_HOME)
GOMRUK_HOME    data directory: database, uploads, demo keys (default: per-user data dir)
SECRET_KEY     required when GOMRUK_ENV=production; otherwise generated into GOMRUK_HOME
ALLOWED_HOSTS  comma-separated host names
GOMRUK_DEBUG   "1" to switch debug on (off by default)
"""

from __future__ import annotations

import json
from pathlib import Path

import dj_database_url

from gomruk.env import env_bool, env_list, env_str, gomruk_home, secret_key

GOMRUK_ENV = env_str("GOMRUK_ENV", "local")
PRODUCTION = GOMRUK_ENV == "production"
GOMRUK_HOME = gomruk_home()

SECRET_KEY = secret_key(GOMRUK_HOME, PRODUCTION)
DEBUG = env_bool("GOMRUK_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver", "[::1]"])
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
    "gomruk.api",
    "gomruk.portal",
    "gomruk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gomruk.portal.middleware.PortalLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gomruk.urls"
WSGI_APPLICATION = "gomruk.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{GOMRUK_HOME / 'gomruk.sqlite3'}") or "",
        conn_max_age=60,
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "portal:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "az"
LOCALE_PATHS = [str(Path(__file__).parent / "locale")]
LANGUAGES = [("az", "Azərbaycanca"), ("en", "English")]
TIME_ZONE = "Asia/Baku"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(GOMRUK_HOME / "static")
(GOMRUK_HOME / "static").mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = str(GOMRUK_HOME / "uploads")

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Audit chain sealing (ADR 0004): "immediate" links each entry in its writer's transaction
# (writers queue on the chain head — no cost on SQLite, which has one writer at a time);
# "deferred" only inserts and lets each process's sealer link entries in batches after commit.
GOMRUK_AUDIT_SEALING = env_str(
    "GOMRUK_AUDIT_SEALING",
    "immediate" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "deferred",
)
if GOMRUK_AUDIT_SEALING not in ("immediate", "deferred"):
    raise ValueError("GOMRUK_AUDIT_SEALING must be 'immediate' or 'deferred'")
GOMRUK_AUDIT_SEAL_GATHER = float(env_str("GOMRUK_AUDIT_SEAL_GATHER", "0.02") or 0.02)
GOMRUK_AUDIT_SEAL_SWEEP = float(env_str("GOMRUK_AUDIT_SEAL_SWEEP", "5") or 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GOMRUK_LOG_LEVEL", "WARNING")},
}

# --- Domain settings -------------------------------------------------------------------
# Box 7 number: office code, acceptance date (DDMMYY) and a per-office, per-year sequence.
GOMRUK_NUMBER_FORMAT = env_str("GOMRUK_NUMBER_FORMAT", "{office}/{date:%d%m%y}/{sequence:07d}")
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
GOMRUK_ASAN_SIMULATOR = env_bool("GOMRUK_ASAN_SIMULATOR", not PRODUCTION)
GOMRUK_ASAN_TIMEOUT = int(env_str("GOMRUK_ASAN_TIMEOUT", "120") or 120)
# Payments: upper bounds of the clearance-fee brackets are inclusive.
GOMRUK_FEE_UPPER_BOUNDS_INCLUSIVE = env_bool("GOMRUK_FEE_UPPER_BOUNDS_INCLUSIVE", True)
# API limits: per-token request rates, token lifetime, body sizes (bytes).
GOMRUK_API_RATE = env_str("GOMRUK_API_RATE", "600/minute")
GOMRUK_API_AUTH_RATE = env_str("GOMRUK_API_AUTH_RATE", "60/minute")
GOMRUK_API_TOKEN_TTL = int(env_str("GOMRUK_API_TOKEN_TTL", "28800") or 28800)
GOMRUK_API_MAX_BODY = int(env_str("GOMRUK_API_MAX_BODY", str(5 * 1024 * 1024)) or 0)
GOMRUK_API_MAX_UPLOAD = int(env_str("GOMRUK_API_MAX_UPLOAD", str(10 * 1024 * 1024)) or 0)
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
