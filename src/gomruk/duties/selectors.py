"""Reads of rates, tariff and fee schedules. These are public reference data (no caller
scoping); the calculation gets them as one in-memory :class:`TariffSnapshot`."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from gomruk.core.memory import long_lived_built
from gomruk.duties.fees import FeeBracketData, FeeScheduleData
from gomruk.duties.models import (
    ExchangeRate,
    FeeBracket,
    FeeSchedule,
    PrivilegeExemption,
    RateBulletin,
    TariffMeasure,
)
from gomruk.duties.money import to_decimal
from gomruk.duties.tariff import Band, Exemption, Measure, TariffSnapshot
from gomruk.reference.snapshot import recent_table_stamps


def bulletin_in_force(day: date | None = None) -> RateBulletin | None:
    """The bulletin in force on ``day`` (latest with date ≤ day); the latest one for None."""
    bulletins = RateBulletin.objects.order_by("-date")
    if day is not None:
        bulletins = bulletins.filter(date__lte=day)
    return bulletins.first()


def bulletin_rates(bulletin: RateBulletin) -> QuerySet[ExchangeRate]:
    return bulletin.rates.order_by("kind", "code")


def fee_upper_bounds_inclusive() -> bool:
    return bool(settings.GOMRUK_FEE_UPPER_BOUNDS_INCLUSIVE)


def _measure(row: TariffMeasure) -> Measure:
    bands = tuple(
        Band(up_to=to_decimal(b.get("up_to")), rate=to_decimal(b["rate"]) or Decimal(0)) for b in row.bands or []
    )
    return Measure(
        commodity_prefix=row.commodity_prefix,
        kind=row.kind,
        payment_type=row.payment_type,
        percent=row.percent,
        specific_amount=row.specific_amount,
        currency=row.currency,
        unit=row.unit,
        bands=bands,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        note=row.note,
    )


def _schedule(row: FeeSchedule) -> FeeScheduleData:
    return FeeScheduleData(
        valid_from=row.valid_from,
        name=row.name,
        brackets=tuple(FeeBracketData(b.upper_bound, b.amount) for b in row.brackets.all()),
        payment_type=row.payment_type,
        double_payment_type=row.double_payment_type,
        double_multiplier=row.double_multiplier,
    )


#: The models the tariff snapshot is built from (its freshness stamps, in this order).
TARIFF_TABLES = (TariffMeasure, PrivilegeExemption, FeeSchedule, FeeBracket)

_cache: tuple[tuple[object, ...], TariffSnapshot] | None = None
_lock = threading.Lock()


def _stamp() -> tuple[object, ...]:
    # A change in the admin or an import changes a row count or a timestamp, and the
    # snapshot is rebuilt; otherwise one cheap aggregate per table answers.

    stamps = recent_table_stamps(*TARIFF_TABLES)
    return (*stamps, fee_upper_bounds_inclusive())


def tariff_snapshot() -> TariffSnapshot:
    """The tariff, exemptions and fee schedules as stored now (rebuilt only after a change)."""
    global _cache
    stamp = _stamp()
    cached = _cache
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        snapshot = TariffSnapshot(
            measures=[_measure(m) for m in TariffMeasure.objects.all()],
            exemptions=[
                Exemption(e.privilege_code, frozenset(e.payment_types), e.valid_from, e.valid_to, e.note)
                for e in PrivilegeExemption.objects.all()
            ],
            fee_schedules=[_schedule(s) for s in FeeSchedule.objects.prefetch_related("brackets")],
            fee_upper_bounds_inclusive=fee_upper_bounds_inclusive(),
        )
        _cache = (stamp, snapshot)
        long_lived_built()
        return snapshot
