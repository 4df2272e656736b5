"""Every code the printing app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "printing",
    {
        "unauthenticated": ("Daxil olmaq lazımdır.", "Authentication is required."),
    },
)
