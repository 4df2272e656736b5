"""The one application error type, and the catalogues of its codes.

Every service raises :class:`GomrukError`; the API turns it into RFC 9457 problem+json and
the portal into a message, both in the user's language.

Each app lists every code it raises, with its Azerbaijani and English message, in one
:class:`Catalogue` (``gomruk.<app>.errors.ERRORS``); services build their errors from it
(``ERRORS.error("code", status=409, office=code)``) and never write a message inline. Codes
and messages are part of the API contract: clients branch on codes, people read messages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


class Bilingual(NamedTuple):
    """A value put into a message that differs by language (a state's name, a reason)."""

    az: str
    en: str


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


#: Every catalogue by its app label, for the meta-tests and the documentation.
CATALOGUES: dict[str, Catalogue] = {}


class Catalogue(Mapping[str, tuple[str, str]]):
    """One app's error codes → (az, en) message templates (``str.format`` fields).

    A code that reads differently where it is raised keeps one entry per wording, keyed
    ``code#variant`` (``not_editable#attachments``); clients see the code before the ``#``.
    """

    def __init__(self, app: str, messages: Mapping[str, tuple[str, str]]) -> None:
        if app in CATALOGUES:
            raise RuntimeError(f"error catalogue {app!r} is defined twice")
        self.app = app
        self._messages = dict(messages)
        CATALOGUES[app] = self

    def __getitem__(self, code: str) -> tuple[str, str]:
        return self._messages[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)

    def texts(self, code: str, /, **params: Any) -> Bilingual:
        """The code's two messages with ``params`` filled in (a :class:`Bilingual` value gives
        each language its own text)."""
        az, en = self._messages[code]
        in_az = {k: v.az if isinstance(v, Bilingual) else v for k, v in params.items()}
        in_en = {k: v.en if isinstance(v, Bilingual) else v for k, v in params.items()}
        return Bilingual(az.format_map(_Keep(in_az)), en.format_map(_Keep(in_en)))

    def fields(
        self, code: str, /, *, status: int = 400, details: Mapping[str, Any] | None = None, **params: Any
    ) -> dict[str, Any]:
        """The arguments of :class:`GomrukError` for ``code`` (for its subclasses' ``__init__``)."""
        az, en = self.texts(code, **params)
        return {
            "code": code.partition("#")[0], "message_az": az, "message_en": en,
            "status": status, "details": dict(details or {}),
        }

    def error(
        self, code: str, /, *, status: int = 400, details: Mapping[str, Any] | None = None, **params: Any
    ) -> GomrukError:
        """The error ``code``; ``params`` fill its messages, ``details`` go to the client."""
        return GomrukError(**self.fields(code, status=status, details=details, **params))


#: Codes any app raises through the helpers below, and the core's own.
ERRORS = Catalogue(
    "core",
    {
        "not_found": ("{what_az} tapılmadı.", "{what_en} not found."),
        # The refusal's reason is the message: each caller names who may do what.
        "forbidden": ("{reason_az}", "{reason_en}"),
        "invalid_base64": ("{what} base64 formatında deyil.", "The {what} is not valid base64."),
    },
)


class NotFound(GomrukError):
    def __init__(self, what_az: str, what_en: str, **details: Any) -> None:
        az, en = ERRORS.texts("not_found", what_az=what_az, what_en=what_en)
        super().__init__(code="not_found", message_az=az, message_en=en, status=404, details=details)


class PermissionDenied(GomrukError):
    def __init__(self, message_az: str, message_en: str, **details: Any) -> None:
        az, en = ERRORS.texts("forbidden", reason_az=message_az, reason_en=message_en)
        super().__init__(code="forbidden", message_az=az, message_en=en, status=403, details=details)
