"""Every code the duties app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "duties",
    {
        # The reason names what is wrong with the CBAR bulletin's XML.
        "invalid_bulletin": ("{reason}", "{reason}"),
        "bulletin_unavailable": (
            "Bülleten yüklənmədi: HTTP {http_status}.",
            "The bulletin could not be downloaded: HTTP {http_status}.",
        ),
        "bulletin_unavailable#unreachable": (
            "Bülleten yüklənmədi: AMB saytı ilə əlaqə yoxdur.",
            "The bulletin could not be downloaded: the CBAR site is unreachable.",
        ),
        "invalid_tariff": (
            "Tarif faylında səhvlər var; heç nə yüklənmədi.",
            "The tariff file has errors; nothing was imported.",
        ),
    },
)
