"""The official exchange-rate bulletin of the Central Bank of Azerbaijan (CBAR): reading and
fetching it.

The bulletin is XML: root ``ValCurs`` with attribute ``Date`` (dd.mm.yyyy), ``ValType``
blocks, and in them ``Valute`` elements with attribute ``Code`` and children ``Nominal``,
``Name`` and ``Value`` (AZN per ``Nominal`` units). ``Nominal`` is ``1``, ``100`` or, for bank
metals, ``1 t.u.`` (one troy ounce). A ``Valute`` with an empty ``Value`` has no rate that
day and is skipped. On a weekend or holiday CBAR answers with the previous bulletin, so the
document's own ``Date`` — never the requested one — identifies it.

The XML comes from outside; it is parsed only with :mod:`defusedxml` (no DTD, no entities,
no external references) and only after its size has been checked.
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException

from gomruk.core import xmlsafe
from gomruk.core.canonical import canonical_json
from gomruk.core.errors import Bilingual, GomrukError
from gomruk.duties.errors import ERRORS
from gomruk.duties.money import to_decimal

MAX_BULLETIN_BYTES = 1024 * 1024  # a real bulletin is ~10 kB
FETCH_TIMEOUT_SECONDS = 15
CBAR_URL = "https://www.cbar.az/currencies/{date:%d.%m.%Y}.xml"
# Precision of AZN per one unit: value / nominal with nominal 1 or 100 is exact within this.
RATE_PLACES = 10

_NOMINAL = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(.*)$")


@dataclass(frozen=True)
class BulletinRate:
    code: str
    name: str
    nominal: Decimal
    nominal_text: str
    value: Decimal
    kind: str  # the ValType it came from, e.g. 'Xarici valyutalar' / 'Bank metals'

    @property
    def rate_per_unit(self) -> Decimal:
        return (self.value / self.nominal).quantize(Decimal(1).scaleb(-RATE_PLACES))


@dataclass(frozen=True)
class Bulletin:
    date: date
    name: str
    rates: tuple[BulletinRate, ...]
    skipped: tuple[str, ...]  # codes listed without a value

    def content_sha256(self) -> str:
        """Fingerprint of what the bulletin says (not of its bytes: whitespace or attribute
        order may differ between two downloads of the same bulletin)."""
        data = {
            "date": self.date.isoformat(),
            "rates": [
                [r.code, str(r.nominal), r.nominal_text, r.name, str(r.value)] for r in self.rates
            ],
        }
        return hashlib.sha256(canonical_json(data)).hexdigest()


def bulletin_error(message_az: str, message_en: str, **details: object) -> GomrukError:
    return ERRORS.error("invalid_bulletin", status=422, details=details, reason=Bilingual(message_az, message_en))


def cbar_url(day: date) -> str:
    return CBAR_URL.format(date=day)


def parse_cbar_date(text: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d.%m.%Y").date()  # noqa: DTZ007 - a calendar date
    except ValueError:
        raise bulletin_error(
            f"Tarix dd.mm.yyyy formatında deyil: {text!r}.",
            f"The date is not in dd.mm.yyyy format: {text!r}.",
            value=text,
        ) from None


def _nominal(text: str, code: str) -> Decimal:
    match = _NOMINAL.match(text or "")
    number = to_decimal(match.group(1)) if match else None
    if number is None or number <= 0:
        raise bulletin_error(
            f"{code} üçün nominal oxunmadı: {text!r}.",
            f"The nominal of {code} could not be read: {text!r}.",
            code=code,
            value=text,
        )
    return number


def _child_text(element: Element, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def parse_bulletin(content: bytes) -> Bulletin:
    if len(content) > MAX_BULLETIN_BYTES:
        raise bulletin_error(
            "Bülleten faylı çox böyükdür.",
            "The bulletin file is too large.",
            size=len(content),
            limit=MAX_BULLETIN_BYTES,
        )
    try:
        root = xmlsafe.parse(content, max_elements=10_000)  # ~50 currencies of a few elements
    except xmlsafe.XmlTooComplex as exc:
        raise bulletin_error(
            "Bülleten XML-i həddən böyük və ya dərindir.",
            "The bulletin XML is too large or too deeply nested.",
            limit=exc.limit,
        ) from None
    except DefusedXmlException:
        raise bulletin_error(
            "Bülletendə DTD və ya entity var; belə XML qəbul edilmir.",
            "The bulletin contains a DTD or entities; such XML is refused.",
        ) from None
    except xmlsafe.ParseError as exc:
        raise bulletin_error(
            "Bülleten XML kimi oxunmadı.", "The bulletin is not well-formed XML.", reason=str(exc)
        ) from None
    if root.tag != "ValCurs":
        raise bulletin_error(
            "Bu, AMB məzənnə bülleteni deyil (kök element ValCurs olmalıdır).",
            "This is not a CBAR rate bulletin (the root element must be ValCurs).",
            root=root.tag,
        )
    bulletin_date = parse_cbar_date(root.get("Date", ""))
    rates: list[BulletinRate] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for block in root.iter("ValType"):
        kind = block.get("Type", "")
        for valute in block.iter("Valute"):
            code = (valute.get("Code") or "").strip().upper()
            if not code:
                raise bulletin_error("Valyutanın kodu yoxdur.", "A Valute has no Code.")
            value_text = _child_text(valute, "Value")
            if not value_text:
                skipped.append(code)
                continue
            try:
                value = to_decimal(value_text)
            except ValueError:
                value = None
            if value is None or value <= 0:
                raise bulletin_error(
                    f"{code} üçün məzənnə səhvdir: {value_text!r}.",
                    f"The rate of {code} is invalid: {value_text!r}.",
                    code=code,
                    value=value_text,
                )
            if code in seen:
                raise bulletin_error(
                    f"{code} bülletendə iki dəfə var.", f"{code} appears twice in the bulletin.", code=code
                )
            seen.add(code)
            nominal_text = _child_text(valute, "Nominal") or "1"
            rates.append(
                BulletinRate(
                    code=code,
                    name=_child_text(valute, "Name"),
                    nominal=_nominal(nominal_text, code),
                    nominal_text=nominal_text,
                    value=value,
                    kind=kind,
                )
            )
    if not rates:
        raise bulletin_error("Bülletendə heç bir məzənnə yoxdur.", "The bulletin holds no rates.")
    return Bulletin(date=bulletin_date, name=root.get("Name", ""), rates=tuple(rates), skipped=tuple(skipped))


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS, max_bytes: int = MAX_BULLETIN_BYTES) -> bytes:
    """GET a bulletin over HTTP(S), refusing anything larger than ``max_bytes``."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise bulletin_error(
            "Yalnız http və https ünvanları qəbul edilir.", "Only http and https URLs are accepted.", url=url
        )
    request = urllib.request.Request(url, headers={"User-Agent": "gomruk-rates/1"})  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            content: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise ERRORS.error(
            "bulletin_unavailable", status=502, details={"url": url, "status": exc.code}, http_status=exc.code
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ERRORS.error(
            "bulletin_unavailable#unreachable", status=502,
            details={"url": url, "reason": str(getattr(exc, "reason", exc))},
        ) from None
    if len(content) > max_bytes:
        raise _too_large(url, max_bytes)
    return content


def _too_large(url: str, limit: int) -> GomrukError:
    return bulletin_error(
        "Endirilən bülleten çox böyükdür.", "The downloaded bulletin is too large.", url=url, limit=limit
    )
