"""Registering goods at a border post, and the trader's audited query (S002).

Officers register arrivals only at their own post, or at a post of their department (the
post's ``parent_code`` in appendix 11). Every trader query writes an audit entry with the
caller, the VÖENs asked for and the number of records returned (S002 §3.4.1, FR-I-04).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone

from gomruk.accounts.models import User
from gomruk.accounts.selectors import officer_office
from gomruk.border.errors import ERRORS
from gomruk.border.inputs import FieldError, arrival_from_flat, invalid_arrival
from gomruk.border.models import Arrival, ArrivalEvent, ArrivalState
from gomruk.border.schemas import ArrivalIn
from gomruk.border.selectors import (
    PAGE_SIZE,
    GoodsPage,
    arrival_for_trader,
    arrivals_of_office,
    goods_waiting,
    posts_governed,
)
from gomruk.core.audit import audit_record
from gomruk.core.errors import GomrukError, NotFound, PermissionDenied
from gomruk.core.hooks import call_hooks
from gomruk.core.identifiers import is_valid_voen
from gomruk.reference.snapshot import ReferenceData, current_reference

COMMODITY_CODE = re.compile(r"^\d{4}(\d{2}){0,3}$")  # heading, subheading, 8 or 10 digits
WEIGHT = Decimal("0.001")
CLOCK_SKEW = 300  # seconds an arrival time may lie ahead of the server's clock


def require_border_officer(officer: Any) -> str:
    office = officer_office(officer)
    if office is None:
        raise PermissionDenied(
            "Malları yalnız gömrük məntəqəsinin əməkdaşı qeydə ala bilər.",
            "Only an officer of a customs post may register goods.",
        )
    return office


def _country(value: str, reference: ReferenceData) -> str | None:
    """Appendix 3 numeric code of a numeric or alpha-2 entry (None: unknown)."""
    if not value:
        return ""
    if value.isdigit():
        return value if reference.has("countries", value) else None
    rows = reference.by_attribute("countries", "alpha2", value.upper())
    return rows[0].code if rows else None


def _check(data: ArrivalIn, reference: ReferenceData) -> tuple[dict[str, Any], list[FieldError]]:
    """The model's fields from valid input, and every content error (all, not the first)."""
    errors: list[FieldError] = []
    arrived_at = data.arrived_at
    if timezone.is_naive(arrived_at):
        arrived_at = timezone.make_aware(arrived_at)
    on = timezone.localdate(arrived_at)
    if (arrived_at - timezone.now()).total_seconds() > CLOCK_SKEW:
        errors.append(FieldError("arrived_at", "Vaxt gələcəkdə ola bilməz.", "The time cannot be in the future."))
    if not reference.has("customs-offices", data.post_code, on=on):
        errors.append(
            FieldError(
                "post_code",
                f"«{data.post_code}» gömrük orqanı əlavə 11-də yoxdur.",
                f"'{data.post_code}' is not a customs office of appendix 11.",
            )
        )
    if not is_valid_voen(data.consignee_voen):
        errors.append(
            FieldError("consignee_voen", "VÖEN düzgün deyil.", "Not a valid VÖEN (10 digits, check digit).")
        )
    if not reference.has("transport-modes", data.transport_mode, on=on):
        errors.append(
            FieldError(
                "transport_mode",
                f"«{data.transport_mode}» nəqliyyat növü əlavə 7-də yoxdur.",
                f"'{data.transport_mode}' is not a transport mode of appendix 7.",
            )
        )
    countries = {}
    for field in ("transport_country", "consignor_country"):
        code = _country(getattr(data, field), reference)
        if code is None:
            errors.append(
                FieldError(
                    field,
                    f"«{getattr(data, field)}» ölkə kodu əlavə 3-də yoxdur.",
                    f"'{getattr(data, field)}' is not a country code of appendix 3.",
                )
            )
        countries[field] = code or ""
    bad_codes = [c for c in data.commodity_codes if not COMMODITY_CODE.match(c)]
    if bad_codes:
        listed = ", ".join(bad_codes)
        errors.append(
            FieldError(
                "commodity_codes",
                f"XİF MN kodu 4, 6, 8 və ya 10 rəqəmdən ibarət olmalıdır: {listed}.",
                f"A commodity code has 4, 6, 8 or 10 digits: {listed}.",
            )
        )
    for document in data.documents:
        if document.code and not reference.has("document-types", document.code, on=on):
            errors.append(
                FieldError(
                    f"{document.kind}_documents",
                    f"«{document.code}» sənəd kodu əlavə 13-də yoxdur.",
                    f"'{document.code}' is not a document code of appendix 13.",
                )
            )
    fields = data.model_dump(exclude={"documents", "transport_country", "consignor_country"})
    fields.update(countries)
    fields["arrived_at"] = arrived_at
    fields["gross_mass"] = data.gross_mass.quantize(WEIGHT)  # exact: input has ≤ 3 decimals
    fields["documents"] = [d.model_dump(mode="json") for d in data.documents]
    fields["state"] = ArrivalState.IN_STORAGE if data.storage_place else ArrivalState.REGISTERED
    return fields, errors


def _check_post(office: str | None, post_code: str, reference: ReferenceData) -> FieldError | None:
    if office is None or post_code in posts_governed(office, reference):
        return None
    return FieldError(
        "post_code",
        f"Siz yalnız öz məntəqənizdə ({office}) və ona tabe məntəqələrdə malları qeydə ala bilərsiniz.",
        f"You may register goods only at your own office ({office}) and the posts under it.",
    )


@transaction.atomic
def arrival_register(*, officer: User, data: ArrivalIn) -> Arrival:
    office = require_border_officer(officer)
    reference = current_reference()
    fields, errors = _check(data, reference)
    post_error = _check_post(office, data.post_code, reference)
    if post_error and not any(e.field == "post_code" for e in errors):
        raise PermissionDenied(post_error.message_az, post_error.message_en, post_code=data.post_code)
    if errors:
        raise invalid_arrival(errors)
    arrival = Arrival.objects.create(registered_by=officer, **fields)
    ArrivalEvent.objects.create(arrival=arrival, actor=officer, from_state="", to_state=arrival.state)
    audit_record(
        actor=officer,
        action="border.arrival.register",
        object_type="border.arrival",
        object_id=str(arrival.pk),
        details={"post_code": arrival.post_code, "consignee_voen": arrival.consignee_voen},
    )
    call_hooks("border.arrivals_recorded", count=1)
    return arrival


@transaction.atomic
def arrival_store(*, officer: User, arrival_id: Any, storage_place: str) -> Arrival:
    """The goods are placed in a temporary storage warehouse (box 30)."""
    require_border_officer(officer)
    place = (storage_place or "").strip()
    if not place or len(place) > 40:
        raise invalid_arrival(
            [FieldError("storage_place", "1–40 simvol yazın.", "Write 1 to 40 characters.")]
        )
    try:
        arrival = arrivals_of_office(officer=officer).select_for_update().get(pk=arrival_id)
    except (Arrival.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound("Mal", "Arrival", id=str(arrival_id)) from exc
    if arrival.state not in (ArrivalState.REGISTERED, ArrivalState.IN_STORAGE):
        raise ERRORS.error("arrival_not_storable", status=409, details={"state": arrival.state})
    previous = arrival.state
    arrival.storage_place = place
    arrival.state = ArrivalState.IN_STORAGE
    arrival.save(update_fields=["storage_place", "state", "updated_at"])
    ArrivalEvent.objects.create(arrival=arrival, actor=officer, from_state=previous, to_state=arrival.state)
    audit_record(
        actor=officer, action="border.arrival.store", object_type="border.arrival", object_id=str(arrival.pk),
        details={"storage_place": place},
    )
    return arrival


# --- Bulk import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message_az: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message_az": self.message_az, "message_en": self.message_en}


def arrivals_import(
    *,
    rows: Iterable[Mapping[str, str | None]],
    officer: User | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = 2000,
) -> int:
    """All rows or none: every row is checked first and every error reported with its row
    (1 = the first data row) and column; only a clean file is written, in one transaction.
    With ``officer`` each row's post must be one of the officer's; without, the operator of
    the command line is trusted (as for every other import command)."""
    office = require_border_officer(officer) if officer is not None else None
    reference = current_reference()
    pending: list[Arrival] = []
    problems: list[RowError] = []
    for number, row in enumerate(rows, start=1):
        try:
            data = arrival_from_flat(row)
            fields, errors = _check(data, reference)
            post_error = _check_post(office, data.post_code, reference)
            errors += [post_error] if post_error else []
        except GomrukError as exc:
            errors = [FieldError(e["field"], e["message_az"], e["message_en"]) for e in exc.details["errors"]]
        problems += [RowError(number, e.field, e.message_az, e.message_en) for e in errors]
        if not errors:
            pending.append(Arrival(registered_by=officer, **fields))
        if progress:
            progress(number)
    if problems:
        raise ERRORS.error(
            "import_failed", status=422, details={"errors": [p.as_dict() for p in problems]}, count=len(problems)
        )
    with transaction.atomic():
        Arrival.objects.bulk_create(pending, batch_size=batch_size)
        ArrivalEvent.objects.bulk_create(
            [ArrivalEvent(arrival=a, actor=officer, from_state="", to_state=a.state) for a in pending],
            batch_size=batch_size,
        )
        audit_record(
            actor=officer,
            action="border.arrival.import",
            object_type="border.arrival",
            details={"count": len(pending)},
        )
        call_hooks("border.arrivals_recorded", count=len(pending))
    return len(pending)


# --- The trader's query (S002) ----------------------------------------------------------------


def goods_query(
    *,
    user: User,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    channel: str = "api",
    within: Iterable[str] | None = None,
    credential: dict[str, str] | None = None,
) -> GoodsPage:
    """The S002 service: the caller's goods not yet cleared, and the audit entry for it.

    A failed query (e.g. a bad cursor) is audited too, with outcome "refused"."""
    started = time.perf_counter()
    try:
        page = goods_waiting(user=user, cursor=cursor, limit=limit, within=within)
    except GomrukError as exc:
        _audit_query(
            user, channel, cursor, limit, started, count=0, voens=None, credential=credential,
            outcome="refused", code=exc.code,
        )
        raise
    _audit_query(
        user, channel, cursor, limit, started, count=len(page.items), voens=page.voens, credential=credential
    )
    return page


def _audit_query(
    user: User,
    channel: str,
    cursor: str | None,
    limit: int,
    started: float,
    *,
    count: int,
    voens: frozenset[str] | None,
    credential: dict[str, str] | None,
    outcome: str = "ok",
    code: str = "",
) -> None:
    details: dict[str, Any] = {
        "credential": credential or {},
        "count": count,
        "voens": sorted(voens or ()),
        "channel": channel,
        "query": {"cursor": cursor or None, "limit": limit},
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
    }
    if code:
        details["code"] = code
    audit_record(actor=user, action="border.goods.query", object_type="border", details=details, outcome=outcome)



def goods_detail(
    *, user: User, arrival_id: Any, channel: str = "api", within: Iterable[str] | None = None
) -> Arrival:
    """One of the caller's arrivals; the read is audited like the list (count 1 or 0)."""
    started = time.perf_counter()
    try:
        arrival = arrival_for_trader(user=user, arrival_id=arrival_id, within=within)
    except NotFound:
        audit_record(
            actor=user, action="border.goods.read", object_type="border", object_id=str(arrival_id)[:100],
            outcome="not_found", details={"count": 0, "channel": channel},
        )
        raise
    audit_record(
        actor=user, action="border.goods.read", object_type="border", object_id=str(arrival.pk),
        details={
            "count": 1, "channel": channel, "voen": arrival.consignee_voen,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )
    return arrival
