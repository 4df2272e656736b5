"""Every code the risk app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "risk",
    {
        # The reason names the field of the profile and what is wrong with it.
        "invalid_risk_profile": ("{reason}", "{reason}"),
        "invalid_risk_profile#date": ("«{value}» tarix deyil.", "'{value}' is not a date."),
        "risk_profile_exists": ("«{code}» kodlu profil artıq var.", "A profile with code '{code}' already exists."),
        # The reason names the parameter of a criterion and what is wrong with it.
        "invalid_criterion": ("{reason}", "{reason}"),
        "invalid_criterion#at": ("{number}-ci meyar: {reason}", "Criterion {number}: {reason}"),
        "invalid_criterion#kind": (
            "{number}-ci meyar: «{kind}» növü yoxdur.",
            "Criterion {number}: unknown kind '{kind}'.",
        ),
    },
)
