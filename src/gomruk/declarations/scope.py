"""What a token reaches: the services scope by user; a token may reach less.

A token is bound at issue to the user's VÖENs (declarants, representatives) or office
(officers). A declaration outside that binding answers 404, like one of another party.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from gomruk.accounts.auth import token_voens
from gomruk.accounts.bearer import caller
from gomruk.accounts.models import Role
from gomruk.core.errors import PermissionDenied
from gomruk.declarations.models import Declaration
from gomruk.declarations.selectors import audit_foreign_read, declaration_get, declaration_of


def _token(request: HttpRequest) -> Any:
    return getattr(request, "api_token", None)


def token_filter(request: HttpRequest, rows: QuerySet[Declaration]) -> QuerySet[Declaration]:
    token = _token(request)
    if token is None:
        return rows
    if token.user.role == Role.OFFICER:
        return rows.filter(office_code=token.office_code) if token.office_code else rows.none()
    return rows.filter(trader_voen__in=token_voens(token))


def scoped_declaration(request: HttpRequest, declaration_id: Any, *, read: str | None = None) -> Declaration:
    """The declaration if both the user and the token reach it; else 404 (no existence leak).
    With ``read`` (what is shown: "document"), reading another party's is audited as the
    portal's reads are (``selectors.audit_foreign_read``)."""
    token = _token(request)
    if token is not None and not read and token.user.role != Role.OFFICER:
        # A trader's token reaches the VÖENs it was bound to that the user still acts for.
        return declaration_of(voens=token_voens(token), declaration_id=declaration_id)
    declaration = declaration_get(
        user=caller(request), declaration_id=declaration_id, with_document=bool(read),
        within=lambda rows: token_filter(request, rows),
    )
    if read:
        audit_foreign_read(user=caller(request), declaration=declaration, what=read)
    return declaration


def service_reach(request: HttpRequest, declaration_id: Any) -> frozenset[str] | None:
    """What to pass a trader's service that locks the declaration within the caller's reach
    (``lifecycle.trader_declaration``): for a trader's token, the VÖENs it reaches, and the
    service's one locked read is the scope check (the door reads nothing); for any other
    caller the door checks here, as :func:`scoped_declaration` does, and answers None."""
    token = _token(request)
    if token is not None and token.user.role in (Role.DECLARANT, Role.REPRESENTATIVE):
        return token_voens(token)
    scoped_declaration(request, declaration_id)
    return None


def declaring_voen(request: HttpRequest, voen: str | None) -> str | None:
    """The VÖEN a new draft is declared for, within the token's binding."""
    token = _token(request)
    if token is None:
        return voen
    reachable = token_voens(token)
    if voen is None:
        return next(iter(reachable)) if len(reachable) == 1 else None
    if voen not in reachable:
        raise PermissionDenied(
            f"{voen} VÖEN-i adından bəyannamə vermək səlahiyyətiniz yoxdur.",
            f"You may not declare on behalf of VÖEN {voen}.",
            voen=voen,
        )
    return voen
