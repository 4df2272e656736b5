"""Who may reach what. Every other app scopes its queries through these selectors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils import timezone

from gomruk.accounts.models import Representation, Role, Trader, TraderBinding, User


def own_voens(user: User) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(
        TraderBinding.objects.filter(user=user).values_list("trader__voen", flat=True)
    )


def represented_voens(user: User, on: date | None = None) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or user.role != Role.REPRESENTATIVE:
        return frozenset()
    on = on or timezone.localdate()
    rows = Representation.objects.filter(representative=user).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    return frozenset(rows.values_list("principal__voen", flat=True))


def acting_voens(user: User, on: date | None = None) -> frozenset[str]:
    """The VÖENs whose declarations and goods this user may see and act on."""
    if not getattr(user, "is_authenticated", False) or user.role in (Role.OFFICER, Role.ADMINISTRATOR):
        return frozenset()
    return own_voens(user) | represented_voens(user, on)


def may_act_for(user: User, voen: str | None, on: date | None = None) -> bool:
    return bool(voen) and voen in acting_voens(user, on)


def officer_office(user: User) -> str | None:
    if getattr(user, "is_authenticated", False) and user.role == Role.OFFICER and user.office_code:
        return user.office_code
    return None


def trader_names(voens: Iterable[str]) -> dict[str, str]:
    """The registered names of these VÖENs (a VÖEN not registered is absent)."""
    return dict(Trader.objects.filter(voen__in=list(voens)).values_list("voen", "name"))
