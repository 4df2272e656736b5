"""Amendment and cancellation requests (and customs' answer to one) are refused with the
declarations catalogue's codes (``gomruk.declarations.errors``); ``{kind}`` names the request."""

from __future__ import annotations

from typing import Any

from gomruk.core.errors import Bilingual, GomrukError
from gomruk.declarations.errors import ERRORS

KINDS = {"amendment": Bilingual("düzəliş sorğusu", "amendment request"),
         "cancellation": Bilingual("ləğv sorğusu", "cancellation request")}


def request_error(code: str, *, status: int = 409, **details: Any) -> GomrukError:
    """The catalogue's error ``code``; ``details`` fill the message and go to the client."""
    kind = KINDS.get(str(details.get("kind", "")), Bilingual("", ""))
    return ERRORS.error(code, status=status, details=details, **{**details, "kind": kind})
