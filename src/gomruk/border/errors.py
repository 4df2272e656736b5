"""Every code the border app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "border",
    {
        "arrival_not_available": (
            "Bu mal artıq bəyan edilib və ya rəsmiləşdirilib.",
            "These goods are already declared or cleared.",
        ),
        "declaration_not_draft": (
            "Malları yalnız qaralama bəyannaməyə əlavə etmək olar.",
            "Goods can only be added to a draft declaration.",
        ),
        "invalid_arrival": ("Mal haqqında məlumatda səhvlər var.", "The arrival has errors."),
        "arrival_not_storable": (
            "Bəyan edilmiş və ya rəsmiləşdirilmiş malın saxlanc yeri dəyişdirilə bilməz.",
            "The storage place of declared or cleared goods cannot be changed.",
        ),
        "import_failed": (
            "Fayl yüklənmədi: {count} səhv. Heç bir sətir yazılmadı.",
            "The file was not imported: {count} errors. No row was written.",
        ),
    },
)
