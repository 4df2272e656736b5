"""Settings for the test suite: a throw-away GOMRUK_HOME, fast password hashing."""

import os
import tempfile

os.environ.setdefault("GOMRUK_HOME", tempfile.mkdtemp(prefix="gomruk-test-"))

from gomruk.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Parallel test runs on one PostgreSQL server need distinct test database names.
if os.environ.get("GOMRUK_TEST_DB"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["GOMRUK_TEST_DB"]}  # noqa: F405

# Audit sealing keeps each database's production default (SQLite immediate, PostgreSQL
# deferred), so the PostgreSQL run exercises what production runs.

# Tests change classifiers and tariffs directly and validate at once: ask the database every
# time (the interval itself is tested with an override).
GOMRUK_REFERENCE_RECHECK = 0.0
