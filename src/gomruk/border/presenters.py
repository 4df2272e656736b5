"""Arrivals as the API and the portal show them, in the caller's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gomruk.border.models import Arrival, ArrivalState
from gomruk.border.schemas import ArrivalDocumentOut, ArrivalOut, GoodsPageOut, TraderOut
from gomruk.border.selectors import GoodsPage
from gomruk.core.i18n import is_english
from gomruk.reference.snapshot import ReferenceData, current_reference


def _office_name(code: str, reference: ReferenceData) -> str:
    entry = reference.lookup("customs-offices", code)
    if entry is None:
        return ""
    return entry.name_en if is_english() else entry.name_az


def arrival_out(arrival: Arrival, traders: dict[str, str], reference: ReferenceData | None = None) -> ArrivalOut:
    reference = reference or current_reference()
    return ArrivalOut(
        id=str(arrival.pk),
        trader=TraderOut(
            voen=arrival.consignee_voen,
            name=traders.get(arrival.consignee_voen) or arrival.consignee_name,
        ),
        post_code=arrival.post_code,
        post_name=_office_name(arrival.post_code, reference),
        arrived_at=arrival.arrived_at,
        transport_mode=arrival.transport_mode,
        vehicle_identifiers=arrival.vehicle_identifiers,
        vehicle_count=arrival.vehicle_count,
        transport_country=arrival.transport_country,
        consignor_name=arrival.consignor_name,
        consignor_address=arrival.consignor_address,
        consignor_country=arrival.consignor_country,
        description=arrival.description,
        commodity_codes=list(arrival.commodity_codes),
        package_count=arrival.package_count,
        package_kind=arrival.package_kind,
        gross_mass=arrival.gross_mass,
        documents=[ArrivalDocumentOut(**d) for d in arrival.documents],
        storage_place=arrival.storage_place,
        state=arrival.state,
        state_label=str(ArrivalState(arrival.state).label),
    )


def empty_message(page: GoodsPage) -> str | None:
    """FR-I-03: no refusal path; an empty answer says why it is empty."""
    if page.items:
        return None
    if not page.voens:
        return _("Hesabınıza bağlı VÖEN yoxdur: göstəriləcək mal yoxdur.")
    return _("Sərhəddə qeydə alınmış, rəsmiləşdirilməsi başa çatmamış malınız yoxdur.")


def goods_page_out(page: GoodsPage) -> GoodsPageOut:
    reference = current_reference()
    return GoodsPageOut(
        items=[arrival_out(a, page.traders, reference) for a in page.items],
        count=len(page.items),
        next_cursor=page.next_cursor,
        message=empty_message(page),
    )


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
