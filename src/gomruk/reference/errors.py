"""Every code the reference app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "reference",
    {
        "invalid_nomenclature": (
            "XİF MN siyahısının faylında səhvlər var; heç nə yüklənmədi.",
            "The XİF MN list file has errors; nothing was imported.",
        ),
    },
)
