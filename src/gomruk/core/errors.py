"""The one application error type.

Every service raises :class:`GomrukError`; the API turns it into RFC 9457 problem+json and
the portal into a message, both in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gomruk.core.i18n import pick


@dataclass
class GomrukError(Exception):
    code: str
    message_az: str
    message_en: str
    status: int = 400
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message_en)

    def message(self, language: str | None = None) -> str:
        return pick(self.message_az, self.message_en, language)

    def __str__(self) -> str:
        return f"{self.code}: {self.message_en}"


class NotFound(GomrukError):
    def __init__(self, what_az: str, what_en: str, **details: Any) -> None:
        super().__init__(
            code="not_found",
            message_az=f"{what_az} tapılmadı.",
            message_en=f"{what_en} not found.",
            status=404,
            details=details,
        )


class PermissionDenied(GomrukError):
    def __init__(self, message_az: str, message_en: str, **details: Any) -> None:
        super().__init__(
            code="forbidden", message_az=message_az, message_en=message_en, status=403, details=details
        )
