"""Arrivals as the API and the portal show them, in the caller's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from gomruk.border.models import Arrival, ArrivalState
from gomruk.border.schemas import ArrivalOut
from gomruk.border.selectors import GoodsPage
from gomruk.core.i18n import is_english
from gomruk.reference.snapshot import ReferenceData, current_reference


class _Labels:
    """The names a page repeats on every row (its post, its state), looked up once per page in
    the caller's language."""

    def __init__(self, reference: ReferenceData) -> None:
        self.reference = reference
        self.english = is_english()
        self.posts: dict[str, str] = {}
        self.states: dict[str, str] = {}

    def post(self, code: str) -> str:
        if code not in self.posts:
            entry = self.reference.lookup("customs-offices", code)
            self.posts[code] = "" if entry is None else entry.name_en if self.english else entry.name_az
        return self.posts[code]

    def state(self, state: str) -> str:
        if state not in self.states:
            self.states[state] = str(ArrivalState(state).label)
        return self.states[state]


def _document(document: dict[str, Any]) -> dict[str, Any]:
    issued_on = document.get("issued_on")
    return {
        "kind": document["kind"],
        "code": document.get("code"),
        "number": document["number"],
        "issued_on": dt.date.fromisoformat(issued_on) if isinstance(issued_on, str) else issued_on,
    }


def _arrival_data(arrival: Arrival, traders: dict[str, str], labels: _Labels) -> dict[str, Any]:
    """An arrival as :class:`ArrivalOut` holds it (its ``model_dump()``), built without
    validating: the border list answers up to a hundred of these per poll (issue 17)."""
    return {
        "id": str(arrival.pk),
        "trader": {"voen": arrival.consignee_voen, "name": traders.get(arrival.consignee_voen) or arrival.consignee_name},
        "post_code": arrival.post_code,
        "post_name": labels.post(arrival.post_code),
        "arrived_at": arrival.arrived_at,
        "transport_mode": arrival.transport_mode,
        "vehicle_identifiers": arrival.vehicle_identifiers,
        "vehicle_count": arrival.vehicle_count,
        "transport_country": arrival.transport_country,
        "consignor_name": arrival.consignor_name,
        "consignor_address": arrival.consignor_address,
        "consignor_country": arrival.consignor_country,
        "description": arrival.description,
        "commodity_codes": list(arrival.commodity_codes),
        "package_count": arrival.package_count,
        "package_kind": arrival.package_kind,
        "gross_mass": arrival.gross_mass,
        "documents": [_document(d) for d in arrival.documents],
        "storage_place": arrival.storage_place,
        "state": arrival.state,
        "state_label": labels.state(arrival.state),
    }


def arrival_out(arrival: Arrival, traders: dict[str, str], reference: ReferenceData | None = None) -> ArrivalOut:
    return ArrivalOut.model_validate(_arrival_data(arrival, traders, _Labels(reference or current_reference())))


def empty_message(page: GoodsPage) -> str | None:
    """FR-I-03: no refusal path; an empty answer says why it is empty."""
    if page.items:
        return None
    if not page.voens:
        return _("Hesabınıza bağlı VÖEN yoxdur: göstəriləcək mal yoxdur.")
    return _("Sərhəddə qeydə alınmış, rəsmiləşdirilməsi başa çatmamış malınız yoxdur.")


def goods_page_data(page: GoodsPage) -> dict[str, Any]:
    """A page as :class:`GoodsPageOut` holds it (its ``model_dump()``), for the API to render
    as it is: the hottest answer of the service is not validated field by field on the way
    out (ADR 0032; ``tests/border`` holds it to the model)."""
    labels = _Labels(current_reference())
    items = [_arrival_data(a, page.traders, labels) for a in page.items]
    return {"items": items, "count": len(items), "next_cursor": page.next_cursor, "message": empty_message(page)}


def named(name: str, code: str | None, reference: ReferenceData | None = None) -> str:
    """«Name (code)» in the page's language; a country also by its alpha-2 code; the bare code
    when the classifier does not know it."""
    if not code:
        return ""
    reference = reference or current_reference()
    entry = reference.lookup(name, code)
    if entry is None and name == "countries":
        found = reference.by_attribute("countries", "alpha2", code.upper())
        entry = found[0] if found else None
    if entry is None:
        return code
    label = entry.name_en if is_english() else entry.name_az
    return f"{label} ({code})" if label else code
