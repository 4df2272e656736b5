"""Lifecycle transitions (issue 4 fills this module)."""

from __future__ import annotations

from typing import Any

from gomruk.core.errors import GomrukError


def declaration_edit_after_signing(*, user: Any, declaration: Any, document: Any, pending_input: Any) -> Any:
    raise GomrukError(
        code="not_editable",
        message_az="Bu mərhələdə bəyannaməni dəyişmək olmaz.",
        message_en="The declaration cannot be changed in its current stage.",
        status=409,
        details={"state": declaration.state},
    )
