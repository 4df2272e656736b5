"""Every code the accounts app refuses with, and its message in az and en (API contract)."""

from __future__ import annotations

from gomruk.core.errors import Catalogue

ERRORS = Catalogue(
    "accounts",
    {
        "invalid_credentials": ("Giriş məlumatları səhvdir.", "The credentials are not valid."),
        "challenge_invalid": (
            "Giriş sorğusu (nonce) etibarsızdır və ya vaxtı keçib; yenidən cəhd edin.",
            "The sign-in challenge (nonce) is unknown, used or expired; try again.",
        ),
        "login_locked": (
            "Çox sayda uğursuz cəhd: {whom} parolla giriş müvəqqəti bağlanıb. "
            "Saat {at}-dan sonra (təxminən {minutes} dəqiqəyə) yenidən cəhd edin.",
            "Too many failed attempts: password sign-in {whom} is locked for now. "
            "Try again after {at} (in about {minutes} minutes).",
        ),
    },
)
