"""Pydantic's error messages in Azerbaijani: one table keyed by the error ``type``.

Pydantic writes its messages in English only ("Input should be a valid number…"). Wherever a
schema error reaches a person — API 422 problems, the portal's field errors, the rules
engine's SCHEMA errors — the Azerbaijani text comes from here, with the error's ``ctx``
(limits, patterns, expected values) put into the template. The English text stays pydantic's
own message. A type missing from the table falls back to a general sentence, never English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

GENERAL_AZ = "Dəyər düzgün deyil."

_NUMBER = "Dəyər ədəd olmalıdır."
_INTEGER = "Dəyər tam ədəd olmalıdır."
_DATE = "Tarix düzgün deyil (məsələn, 2026-01-15)."
_DATETIME = "Tarix və vaxt düzgün deyil (məsələn, 2026-01-15T10:30:00)."
_TIME = "Vaxt düzgün deyil (məsələn, 10:30)."
_BOOL = "Dəyər «true» və ya «false» olmalıdır."
_OBJECT = "Dəyər obyekt (sahələri olan qrup) olmalıdır."
_LIST = "Dəyər siyahı olmalıdır."
_ONE_OF = "Dəyər bunlardan biri olmalıdır: {expected}."

#: pydantic error type → Azerbaijani template (``str.format`` over the error's ``ctx``).
AZ_BY_TYPE: dict[str, str] = {
    "missing": "Sahə doldurulmalıdır.",
    "extra_forbidden": "Belə sahə yoxdur; bu sahəni göndərməyin.",
    "string_type": "Dəyər mətn olmalıdır.",
    "string_unicode": "Mətn düzgün Unicode olmalıdır.",
    "string_too_short": "Mətn ən azı {min_length} simvol olmalıdır.",
    "string_too_long": "Mətn ən çoxu {max_length} simvol ola bilər.",
    "string_pattern_mismatch": "Mətn «{pattern}» şablonuna uyğun olmalıdır.",
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_parsing_size": "Tam ədəd çox böyükdür.",
    "int_from_float": "Dəyər tam ədəd olmalıdır (kəsr hissəsi olmadan).",
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_max_digits": "Ədəddə ən çoxu {max_digits} rəqəm ola bilər.",
    "decimal_max_places": "Vergüldən sonra ən çoxu {decimal_places} rəqəm ola bilər.",
    "decimal_whole_digits": "Vergüldən əvvəl ən çoxu {whole_digits} rəqəm ola bilər.",
    "finite_number": "Ədəd sonlu olmalıdır.",
    "greater_than": "Dəyər > {gt} olmalıdır.",
    "greater_than_equal": "Dəyər ≥ {ge} olmalıdır.",
    "less_than": "Dəyər < {lt} olmalıdır.",
    "less_than_equal": "Dəyər ≤ {le} olmalıdır.",
    "multiple_of": "Dəyər {multiple_of} ədədinə bölünməlidir.",
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "Tarixdə vaxt olmamalıdır (məsələn, 2026-01-15).",
    "date_past": "Tarix keçmişdə olmalıdır.",
    "date_future": "Tarix gələcəkdə olmalıdır.",
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "timezone_naive": "Vaxtda saat qurşağı olmamalıdır.",
    "timezone_aware": "Vaxtda saat qurşağı göstərilməlidir.",
    "time_type": _TIME,
    "time_parsing": _TIME,
    "literal_error": _ONE_OF,
    "enum": _ONE_OF,
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dataclass_type": _OBJECT,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "iterable_type": _LIST,
    "too_short": "Ən azı {min_length} element olmalıdır.",
    "too_long": "Ən çoxu {max_length} element ola bilər.",
    "none_required": "Dəyər boş (null) olmalıdır.",
    "uuid_type": "Dəyər UUID olmalıdır.",
    "uuid_parsing": "Dəyər UUID olmalıdır.",
    "url_type": "Ünvan (URL) düzgün deyil.",
    "url_parsing": "Ünvan (URL) düzgün deyil.",
    "url_scheme": "Ünvan (URL) bu sxemlərdən biri ilə başlamalıdır: {expected_schemes}.",
    "json_invalid": "JSON düzgün deyil.",
    "json_type": "JSON mətn, bayt və ya bytearray olmalıdır.",
    "bytes_type": "Dəyər baytlar olmalıdır.",
    "bytes_too_short": "Ən azı {min_length} bayt olmalıdır.",
    "bytes_too_long": "Ən çoxu {max_length} bayt ola bilər.",
    "union_tag_invalid": "«{discriminator}» sahəsi bunlardan biri olmalıdır: {expected_tags}.",
    "union_tag_not_found": "«{discriminator}» sahəsi göstərilməlidir.",
    # A validator's own ValueError/AssertionError carries an English reason only.
    "value_error": GENERAL_AZ,
    "assertion_error": GENERAL_AZ,
}


class _Keep(dict[str, Any]):
    """A placeholder missing from ``ctx`` stays visible rather than failing the message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def schema_message_az(error: Mapping[str, Any]) -> str:
    """The Azerbaijani message of one pydantic error (an item of ``ValidationError.errors()``)."""
    template = AZ_BY_TYPE.get(str(error.get("type", "")), GENERAL_AZ)
    ctx = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    return template.format_map(_Keep(ctx))


def schema_message(error: Mapping[str, Any]) -> tuple[str, str]:
    """(az, en) of one pydantic error; the English is pydantic's own message."""
    return schema_message_az(error), str(error.get("msg") or "Invalid value.")
