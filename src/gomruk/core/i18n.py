"""The one place that decides which of the service's two languages a text is shown in.

Azerbaijani is the default; English when the active (or given) language code starts with
"en". Texts that come in pairs (reference names, error messages, notifications) are picked
here, so no module compares language codes itself.
"""

from __future__ import annotations

from typing import TypeVar

from django.utils import translation

T = TypeVar("T")


def language(code: str | None = None) -> str:
    """'en' or 'az' for ``code``, by default the language active for this request."""
    code = code if code is not None else translation.get_language()
    return "en" if (code or "az").lower().startswith("en") else "az"


def is_english(code: str | None = None) -> bool:
    return language(code) == "en"


def pick(az: T, en: T, code: str | None = None) -> T:
    """The text of a pair in the language of ``code`` (by default the active one)."""
    return en if is_english(code) else az
