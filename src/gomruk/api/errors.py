"""Every code the API kit itself refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "api",
    {
        "invalid_cursor": ("Səhifə kursoru səhvdir.", "The page cursor is invalid."),
        "idempotency_key_invalid": (
            "Idempotency-Key 1–255 çap olunan ASCII simvolundan ibarət olmalıdır.",
            "Idempotency-Key must be 1 to 255 printable ASCII characters.",
        ),
        "idempotency_in_progress": (
            "Bu Idempotency-Key ilə sorğu hələ icra olunur; bir qədər sonra təkrarlayın.",
            "A request with this Idempotency-Key is still being processed; retry shortly.",
        ),
        "idempotency_key_reused": (
            "Bu Idempotency-Key başqa sorğu üçün artıq istifadə olunub.",
            "This Idempotency-Key was already used for a different request.",
        ),
        "rate_limited": (
            "Sorğuların sayı həddi aşıb. Bir qədər sonra yenidən cəhd edin.",
            "Too many requests. Try again later.",
        ),
    },
)
