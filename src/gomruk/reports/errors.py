"""Every code the reports app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "reports",
    {
        # The reason names the filter and what is wrong with it.
        "invalid_filter": ("{reason}", "{reason}"),
    },
)
