"""What every portal view shares: who may open it and how a service's refusal is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gomruk.accounts.models import Role, User
from gomruk.core.errors import GomrukError

View = TypeVar("View", bound=Callable[..., HttpResponse])

TRADER_ROLES = (Role.DECLARANT, Role.REPRESENTATIVE)


def current_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _role_required(roles: tuple[str, ...]) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if getattr(request.user, "role", None) not in roles:
                return render(request, "portal/forbidden.html", status=403)
            try:
                return view(request, *args, **kwargs)
            except GomrukError as error:
                if error.status == 404:
                    return render(request, "portal/not_found.html", {"error": error}, status=404)
                raise

        return cast(View, wrapper)

    return decorate


role_required = _role_required
trader_required = _role_required(TRADER_ROLES)
analyst_required = _role_required((Role.RISK_ANALYST,))
officer_required = _role_required((Role.OFFICER,))


def show_error(request: HttpRequest, error: GomrukError) -> None:
    """A refused action as a message in the user's language, with the rule errors it lists."""
    messages.error(request, error.message())


def error_list(error: GomrukError) -> list[dict[str, Any]]:
    """The per-box errors a service attached to its refusal (validation before signing …)."""
    rows = error.details.get("errors") if isinstance(error.details, dict) else None
    return [row for row in rows or [] if isinstance(row, dict)]


def date_param(request: HttpRequest, name: str) -> dt.date | None:
    """A ``yyyy-mm-dd`` query parameter (an ``<input type="date">``); anything else is no date,
    so a hand-edited link narrows nothing rather than failing the page."""
    try:
        return dt.date.fromisoformat(request.GET.get(name, "").strip())
    except ValueError:
        return None
