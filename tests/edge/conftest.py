from __future__ import annotations

from tests.api.api_helpers import _api_settings, as_user, pki, users, walk  # noqa: F401 — fixtures
