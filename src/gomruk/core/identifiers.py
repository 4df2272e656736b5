"""Identifiers of persons: VÖEN (taxpayer), GÖÖEN (customs-payment payer), FIN (personal)."""

from __future__ import annotations

import re

from stdnum.az import voen as _voen

FIN_PATTERN = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")  # 7 characters, no I/O (Azerbaijani ID card PIN)


def is_valid_voen(value: str | None) -> bool:
    return bool(value) and _voen.is_valid(str(value))


def is_valid_fin(value: str | None) -> bool:
    return bool(value) and bool(FIN_PATTERN.match(str(value).upper()))


def is_valid_gooen(value: str | None) -> bool:
    # the GÖÖEN format is not published; accept 1–20 letters/digits until it is.
    return bool(value) and bool(re.fullmatch(r"[0-9A-Za-z]{1,20}", str(value)))
