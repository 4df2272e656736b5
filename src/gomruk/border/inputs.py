"""Reading an arrival from what people type: the officer's form and the CSV file share one flat
layout (``docs/border.md``), turned into :class:`ArrivalIn`; every wrong field is reported
with its message in Azerbaijani and English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from gomruk.border.errors import ERRORS
from gomruk.border.schemas import ArrivalIn
from gomruk.core.errors import GomrukError
from gomruk.document.schema_messages import schema_message

#: Flat columns (CSV header, form fields). Lists are separated by ";" (or new lines).
FLAT_COLUMNS = (
    "post_code",
    "consignee_voen",
    "consignee_name",
    "arrived_at",
    "transport_mode",
    "vehicle_identifiers",
    "vehicle_count",
    "transport_country",
    "consignor_name",
    "consignor_address",
    "consignor_country",
    "description",
    "commodity_codes",
    "package_count",
    "package_kind",
    "gross_mass",
    "transport_documents",
    "commercial_documents",
    "storage_place",
)
REQUIRED_COLUMNS = frozenset(
    {
        "post_code",
        "consignee_voen",
        "arrived_at",
        "transport_mode",
        "vehicle_identifiers",
        "consignor_name",
        "description",
        "gross_mass",
    }
)
_LIST_SPLIT = re.compile(r"[;\n]+")
_NUMBER_ERRORS = frozenset(
    {"int_parsing", "int_type", "int_from_float", "decimal_parsing", "decimal_type", "float_parsing", "float_type"}
)


@dataclass(frozen=True)
class FieldError:
    field: str
    message_az: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message_az": self.message_az, "message_en": self.message_en}


def invalid_arrival(errors: list[FieldError]) -> GomrukError:
    return ERRORS.error("invalid_arrival", status=422, details={"errors": [e.as_dict() for e in errors]})


def _message(error: Mapping[str, Any]) -> tuple[str, str]:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing" or kind == "string_too_short":
        return "Sahə doldurulmalıdır.", "This field is required."
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return f"Dəyər çox uzundur (ən çoxu {limit} simvol).", f"Too long (at most {limit} characters)."
    if kind in _NUMBER_ERRORS:
        return "Rəqəm olmalıdır.", "Must be a number."
    if kind == "decimal_max_places":
        places = ctx.get("decimal_places")
        return f"Vergüldən sonra ən çoxu {places} rəqəm.", f"At most {places} decimal places."
    if kind.startswith(("datetime", "date")):
        return (
            "Tarix və ya vaxt düzgün deyil (məsələn, 2026-01-15 10:30).",
            "Not a valid date or time (e.g. 2026-01-15 10:30).",
        )
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        sign = ">" if kind == "greater_than" else "≥"
        return f"Dəyər {sign} {bound} olmalıdır.", f"Must be {sign} {bound}."
    if kind == "less_than_equal":
        return f"Dəyər ≤ {ctx.get('le')} olmalıdır.", f"Must be ≤ {ctx.get('le')}."
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return "Rəqəm çox böyükdür.", "The number is too large."
    if kind == "extra_forbidden":
        return "Belə sahə yoxdur.", "Unknown field."
    if kind == "literal_error":
        return "Dəyər icazə verilənlərdən deyil.", f"Not an allowed value ({ctx.get('expected', '')})."
    return schema_message(error)


def _split(value: str) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(value or "") if part.strip()]


def _documents(value: str, kind: str, field: str, errors: list[FieldError]) -> list[dict[str, Any]]:
    """``CODE|NUMBER|DATE`` entries; code and date may be left out (``NUMBER``, ``CODE|NUMBER``)."""
    found = []
    for entry in _split(value):
        parts = [p.strip() for p in entry.split("|")]
        if len(parts) == 1:
            code, number, issued = "", parts[0], ""
        elif len(parts) == 2:
            code, number, issued = parts[0], parts[1], ""
        elif len(parts) == 3:
            code, number, issued = parts
        else:
            errors.append(
                FieldError(
                    field,
                    f"«{entry}» sənədi KOD|NÖMRƏ|TARİX şəklində yazılmalıdır.",
                    f"Document '{entry}' must be written CODE|NUMBER|DATE.",
                )
            )
            continue
        found.append({"kind": kind, "code": code or None, "number": number, "issued_on": issued or None})
    return found


def arrival_from_flat(row: Mapping[str, str | None]) -> ArrivalIn:
    """One CSV row or form submission (every value a string) as an :class:`ArrivalIn`."""
    values = {key: (row.get(key) or "").strip() for key in FLAT_COLUMNS}
    errors: list[FieldError] = []
    data: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("transport_documents", "commercial_documents", "commodity_codes"):
            continue
        if value == "":
            continue  # left out: optional fields keep their default, required ones say so
        data[key] = value
    data["commodity_codes"] = [code.replace(" ", "") for code in _split(values["commodity_codes"])]
    data["documents"] = _documents(
        values["transport_documents"], "transport", "transport_documents", errors
    ) + _documents(values["commercial_documents"], "commercial", "commercial_documents", errors)
    try:
        arrival = ArrivalIn.model_validate(data)
    except ValidationError as exc:
        kinds = [doc["kind"] for doc in data["documents"]]
        for error in exc.errors():
            loc = list(error.get("loc", ()))
            field = str(loc[0]) if loc else "__all__"
            if field == "documents":
                # Name the flat column the bad document came from.
                index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else 0
                field = f"{kinds[index] if index < len(kinds) else 'transport'}_documents"
            az, en = _message(error)
            errors.append(FieldError(field, az, en))
        raise invalid_arrival(errors) from exc
    if errors:
        raise invalid_arrival(errors)
    return arrival
