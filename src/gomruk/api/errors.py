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
        "not_found": ("Tapılmadı.", "Not found."),
        "not_found#path": ("Belə ünvan yoxdur.", "There is no such address in the API."),
        "invalid_request": ("Sorğunun məzmunu səhvdir.", "The request body or parameters are invalid."),
        "unauthenticated": ("Daxil olmaq lazımdır.", "Authentication is required."),
        "invalid_multipart": (
            "multipart/form-data məzmunu oxuna bilmədi.",
            "The multipart/form-data body cannot be read.",
        ),
        "payload_too_large": ("Sorğunun həcmi həddən böyükdür.", "The request body is too large."),
        "payload_too_large#limit": (
            "Sorğunun həcmi {limit} baytdan çox ola bilməz.",
            "The request body may not exceed {limit} bytes.",
        ),
        "number_out_of_range": (
            "Rəqəmlərdən biri həddən böyükdür və ya oxunmur.",
            "A number is too large or cannot be read.",
        ),
        "internal_error": ("Daxili xəta baş verdi.", "An internal error occurred."),
        "database_unavailable": (
            "Verilənlər bazası müvəqqəti əlçatan deyil; sorğu icra olunmadı. Bir azdan təkrarlayın.",
            "The database is temporarily unavailable; the request was not carried out. Retry shortly.",
        ),
        # A bare HTTP status a view answered with becomes problem+json with code http_<status>.
        "http_400": ("Sorğu səhvdir.", "Bad request."),
        "http_401": ("Daxil olmaq lazımdır.", "Authentication is required."),
        "http_403": ("Bu əməliyyata icazəniz yoxdur.", "You are not allowed to do this."),
        "http_404": ("Tapılmadı.", "Not found."),
        "http_405": ("Bu metod bu ünvan üçün icazəli deyil.", "This method is not allowed here."),
        "http_406": ("İstənilən format verilə bilmir.", "The requested format cannot be produced."),
        "http_413": ("Sorğunun həcmi həddən böyükdür.", "The request body is too large."),
        "http_415": ("Bu məzmun tipi qəbul edilmir.", "This content type is not accepted."),
        "http_500": ("Daxili xəta baş verdi.", "An internal error occurred."),
        "rate_limited": (
            "Sorğuların sayı həddi aşıb. Bir qədər sonra yenidən cəhd edin.",
            "Too many requests. Try again later.",
        ),
    },
)
