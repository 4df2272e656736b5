"""Every code the workbench app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "workbench",
    {
        # The reason names the filter and what is wrong with it.
        "invalid_filter": ("{reason}", "{reason}"),
        "already_assigned": (
            "Bəyannamə artıq bu əməkdaşa təyin edilib.",
            "The declaration is already assigned to this officer.",
        ),
    },
)
