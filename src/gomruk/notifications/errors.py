"""Every code the notifications app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "notifications",
    {
        "unknown_event": (
            "Hadisələrdən biri tanınmır və ya heç biri verilməyib: {events}",
            "An event is unknown or none was given: {events}",
        ),
        # The reason says what is wrong with the URL (scheme, credentials, host, network).
        "webhook_url_refused": ("{reason}", "{reason}"),
        "webhook_url_refused#too_long": ("Ünvan çox uzundur.", "The URL is too long."),
        "too_many_webhooks": (
            "Ən çox {limit} aktiv webhook ola bilər.",
            "At most {limit} active webhooks are allowed.",
        ),
    },
)
