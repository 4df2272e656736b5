"""Every code the edge refuses a request with before any view runs, and its message in az and
en (API contract). An oversized body is the API kit's ``payload_too_large``."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "edge",
    {
        "request_timeout": (
            "Sorğunun məzmunu çox yavaş göndərildi; yenidən cəhd edin.",
            "The request body arrived too slowly; please try again.",
        ),
        "invalid_text": (
            "{where} «{field}» saxlanıla bilməyən simvol var ({character}). Onu silib yenidən göndərin.",
            "{where} «{field}» holds a character that cannot be stored ({character}). Remove it and send again.",
        ),
    },
)
