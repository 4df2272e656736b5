"""The tariff as plain data: measures by commodity-code prefix, privilege exemptions, the fee
schedules, and the CSV layout they are imported from (docs/tariff.md).

:class:`TariffSnapshot` is what the calculation reads. It is built from the database by
``selectors.tariff_snapshot()`` or straight from a CSV file (tests, the packaged sample), so
the calculation never queries the database.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

from gomruk.core.errors import GomrukError
from gomruk.duties.errors import ERRORS
from gomruk.duties.fees import FeeScheduleData
from gomruk.duties.money import to_decimal

SAMPLE_TARIFF_FILE = "sample_tariff.csv"
COLUMNS = (
    "commodity_prefix",
    "kind",
    "payment_type",
    "percent",
    "specific_amount",
    "currency",
    "unit",
    "bands",
    "privilege",
    "valid_from",
    "valid_to",
    "note",
)
MEASURE_KINDS = ("ad_valorem", "specific", "combined", "bands")
EXEMPTION = "exemption"
KG = "166"  # Appendix 16 'kq': specific rates per kg are charged on the net mass (box 38)
CM3 = "033"  # Appendix 16 'sm3': engine volume for the excise bands
IMPORT_DUTY = "20"
EXPORT_DUTY = "25"
EXCISE = "30"
VAT = "32"
DUTY_TYPES = frozenset({IMPORT_DUTY, "21", "23", "24", "26"})


@dataclass(frozen=True)
class Band:
    """Engine-volume band: every cm³ up to ``up_to`` (inclusive; None = no limit) that lies
    above the previous band is charged ``rate`` AZN (progressive, like the excise law)."""

    up_to: Decimal | None
    rate: Decimal

    def data(self) -> dict[str, str | None]:
        return {"up_to": str(self.up_to) if self.up_to is not None else None, "rate": str(self.rate)}


@dataclass(frozen=True)
class Measure:
    commodity_prefix: str
    kind: str
    payment_type: str
    percent: Decimal | None = None
    specific_amount: Decimal | None = None
    currency: str = ""
    unit: str = ""
    bands: tuple[Band, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""

    def valid_on(self, on: date) -> bool:
        return not (self.valid_from and on < self.valid_from) and not (self.valid_to and on > self.valid_to)

    def key(self) -> tuple[str, str, date | None]:
        return (self.commodity_prefix, self.payment_type, self.valid_from)

    def describe(self) -> tuple[str, str]:
        """The tariff line, as the calculation names it (az, en)."""
        prefix = self.commodity_prefix or "*"
        since = self.valid_from.strftime("%d.%m.%Y") if self.valid_from else "…"
        until = self.valid_to.strftime("%d.%m.%Y") if self.valid_to else "…"
        note = f" — {self.note}" if self.note else ""
        return (
            f"tarif sətri {prefix} / ödəniş {self.payment_type} ({since}–{until}){note}",
            f"tariff line {prefix} / payment {self.payment_type} ({since}–{until}){note}",
        )


@dataclass(frozen=True)
class Exemption:
    privilege: str
    payment_types: frozenset[str]
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""

    def valid_on(self, on: date) -> bool:
        return not (self.valid_from and on < self.valid_from) and not (self.valid_to and on > self.valid_to)


@dataclass
class TariffSnapshot:
    measures: Iterable[Measure] = ()
    exemptions: Iterable[Exemption] = ()
    fee_schedules: Iterable[FeeScheduleData] = ()
    fee_upper_bounds_inclusive: bool = True
    _index: dict[str, dict[str, list[Measure]]] = field(init=False, repr=False)
    _payment_types: tuple[str, ...] = field(init=False, repr=False)
    # The longest-prefix search answers the same (code, type, day) for every item of a
    # declaration that shares a code; the snapshot never changes, so its answers can be kept.
    _found: dict[tuple[str, str, date], Measure | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.measures = tuple(self.measures)
        self.exemptions = tuple(self.exemptions)
        self.fee_schedules = tuple(sorted(self.fee_schedules, key=lambda s: s.valid_from))
        index: dict[str, dict[str, list[Measure]]] = defaultdict(lambda: defaultdict(list))
        for measure in self.measures:
            index[measure.payment_type][measure.commodity_prefix].append(measure)
        self._index = {t: dict(by_prefix) for t, by_prefix in index.items()}
        self._payment_types = tuple(sorted(self._index))
        self._found = {}

    @property
    def payment_types(self) -> tuple[str, ...]:
        return self._payment_types

    def measure_for(self, commodity_code: str, payment_type: str, on: date) -> Measure | None:
        """The measure of the longest prefix of ``commodity_code`` valid on ``on``."""
        key = (commodity_code or "", payment_type, on)
        try:
            return self._found[key]
        except KeyError:
            pass
        found = None
        by_prefix = self._index.get(payment_type)
        code = (commodity_code or "").strip()
        if by_prefix:
            found = next(
                (
                    measure
                    for length in range(min(len(code), 10), -1, -1)
                    for measure in by_prefix.get(code[:length], ())
                    if measure.valid_on(on)
                ),
                None,
            )
        if len(self._found) < 100_000:
            self._found[key] = found
        return found

    def exemption_for(self, privilege: str | None, payment_type: str, on: date) -> Exemption | None:
        if not privilege or privilege == "000":
            return None
        for exemption in self.exemptions:
            if exemption.privilege == privilege and payment_type in exemption.payment_types and exemption.valid_on(on):
                return exemption
        return None

    def fee_schedule(self, on: date) -> FeeScheduleData | None:
        in_force = [s for s in self.fee_schedules if s.valid_from <= on]
        return in_force[-1] if in_force else None


# --- CSV -------------------------------------------------------------------------------------


class TariffFileError(GomrukError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(**ERRORS.fields("invalid_tariff", status=422, details={"errors": errors}))


def parse_bands(text: str) -> tuple[Band, ...]:
    """'2000:0.30;3000:5;:70' → bands; the last one has no upper limit."""
    bands: list[Band] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        upper_text, sep, rate_text = part.partition(":")
        rate = to_decimal(rate_text)
        if not sep or rate is None or rate < 0:
            raise ValueError(f"band {part!r} is not 'up_to:rate'")
        bands.append(Band(up_to=to_decimal(upper_text), rate=rate))
    if not bands:
        raise ValueError("kind 'bands' needs at least one band")
    uppers = [b.up_to for b in bands]
    if any(u is None for u in uppers[:-1]):
        raise ValueError("only the last band may be open-ended")
    bounded = [u for u in uppers if u is not None]
    if bounded != sorted(bounded) or len(set(bounded)) != len(bounded):
        raise ValueError("band limits must increase")
    return tuple(bands)


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _row_problems(row: dict[str, str]) -> list[str]:
    problems = []
    kind = row["kind"]
    prefix = row["commodity_prefix"]
    if prefix and (not prefix.isdigit() or len(prefix) > 10):
        problems.append("commodity_prefix must be up to 10 digits")
    if kind not in (*MEASURE_KINDS, EXEMPTION):
        problems.append(f"kind must be one of {', '.join((*MEASURE_KINDS, EXEMPTION))}")
    if kind == EXEMPTION:
        if not (row["privilege"].isdigit() and len(row["privilege"]) == 3):
            problems.append("an exemption needs a 3-digit privilege code (Appendix 14)")
        if prefix:
            problems.append("an exemption applies to a privilege, not to a commodity_prefix")
        return problems
    if not (row["payment_type"].isdigit() and len(row["payment_type"]) == 2):
        problems.append("payment_type must be a 2-digit code of Appendix 8")
    if kind in ("ad_valorem", "combined") and not row["percent"]:
        problems.append(f"kind {kind} needs percent")
    if kind in ("specific", "combined"):
        if not row["specific_amount"]:
            problems.append(f"kind {kind} needs specific_amount")
        if not row["unit"]:
            problems.append(f"kind {kind} needs unit (Appendix 16 code)")
    if kind == "bands" and not row["bands"]:
        problems.append("kind bands needs bands")
    return problems


def read_tariff_csv(text: str) -> tuple[list[Measure], list[Exemption]]:
    """Read the whole file or raise :class:`TariffFileError` listing every bad line."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise TariffFileError([{"line": 1, "problem": f"missing columns: {', '.join(missing)}"}])
    measures: list[Measure] = []
    exemptions: list[Exemption] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, date | None], int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        if not any(row.values()):
            continue
        problems = _row_problems(row)
        try:
            percent = to_decimal(row["percent"])
            specific = to_decimal(row["specific_amount"])
            valid_from, valid_to = _date(row["valid_from"]), _date(row["valid_to"])
            bands = parse_bands(row["bands"]) if row["kind"] == "bands" and row["bands"] else ()
        except ValueError as exc:
            problems.append(str(exc))
            percent = specific = None
            valid_from = valid_to = None
            bands = ()
        if valid_from and valid_to and valid_to < valid_from:
            problems.append("valid_to is before valid_from")
        if problems:
            errors.extend({"line": number, "problem": p} for p in problems)
            continue
        if row["kind"] == EXEMPTION:
            types = frozenset(t.strip() for t in row["payment_type"].split(";") if t.strip())
            if not types or not all(t.isdigit() and len(t) == 2 for t in types):
                errors.append({"line": number, "problem": "payment_type: ';'-separated 2-digit codes"})
                continue
            exemptions.append(Exemption(row["privilege"], types, valid_from, valid_to, row["note"]))
            continue
        measure = Measure(
            commodity_prefix=row["commodity_prefix"],
            kind=row["kind"],
            payment_type=row["payment_type"],
            percent=percent,
            specific_amount=specific,
            currency=row["currency"].upper(),
            unit=row["unit"],
            bands=bands,
            valid_from=valid_from,
            valid_to=valid_to,
            note=row["note"],
        )
        if measure.key() in seen:
            errors.append({"line": number, "problem": f"same prefix, payment type and valid_from as line {seen[measure.key()]}"})
            continue
        seen[measure.key()] = number
        measures.append(measure)
    if errors:
        raise TariffFileError(errors)
    return measures, exemptions


def sample_tariff_text() -> str:
    return (resources.files("gomruk.duties") / "data" / SAMPLE_TARIFF_FILE).read_text(encoding="utf-8")


def sample_snapshot(fee_schedules: Iterable[FeeScheduleData] = ()) -> TariffSnapshot:
    """The packaged SAMPLE tariff without a database (tests, documentation examples)."""
    from gomruk.duties.fees import default_schedule

    measures, exemptions = read_tariff_csv(sample_tariff_text())
    return TariffSnapshot(measures, exemptions, tuple(fee_schedules) or (default_schedule(),))
