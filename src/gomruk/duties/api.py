"""Rates (``GET /reference/rates``), mounted at ``/reference`` before ``/reference/{name}``.

The payment estimate of a declaration document (``POST /declarations/estimate``) is
``gomruk.declarations.api.estimate_router``: it reads a declaration, which this app, below
declarations, does not.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from gomruk.core.errors import NotFound
from gomruk.duties.selectors import bulletin_in_force, bulletin_rates

rates_router = Router(tags=["reference"])


class RateOut(Schema):
    code: str
    numeric_code: str
    name: str
    kind: str
    nominal: str
    nominal_text: str
    value: str
    rate_per_unit: str


class BulletinOut(Schema):
    requested_date: date | None
    bulletin_date: date
    name: str
    source: str
    rates: list[RateOut]


@rates_router.get(
    "/rates",
    response=BulletinOut,
    auth=None,
    summary="CBAR exchange rates in force on a date",
    description="The bulletin in force on `date` (the latest bulletin dated on or before it; "
    "a weekend gives Friday's). Without `date`: the latest bulletin. `rate_per_unit` = "
    "`value` / `nominal`, AZN per one unit of the currency.",
)
def rates(request: HttpRequest, date: date | None = None) -> dict[str, Any]:
    bulletin = bulletin_in_force(date)
    if bulletin is None:
        raise NotFound("Məzənnə bülleteni", "Exchange-rate bulletin", date=date.isoformat() if date else None)
    return {
        "requested_date": date,
        "bulletin_date": bulletin.date,
        "name": bulletin.name,
        "source": bulletin.source,
        "rates": [
            {
                "code": r.code,
                "numeric_code": r.numeric_code,
                "name": r.name,
                "kind": r.kind,
                "nominal": format(r.nominal.normalize(), "f"),
                "nominal_text": r.nominal_text,
                "value": format(r.value.normalize(), "f"),
                "rate_per_unit": format(r.rate_per_unit.normalize(), "f"),
            }
            for r in bulletin_rates(bulletin)
        ],
    }
