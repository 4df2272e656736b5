"""Template context: the unread count shown in the menu of every portal page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gomruk.accounts.models import Role
from gomruk.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or getattr(user, "role", None) not in (Role.DECLARANT, Role.REPRESENTATIVE):
        return {}
    return {"unread_notifications": unread_count(user)}  # type: ignore[arg-type]
