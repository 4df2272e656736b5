"""One validation for every door: the rules engine run with every fact the database knows.

The engine is pure: what lies outside the document comes in a ``ValidationContext``. This
module gathers those facts once, the same way for every caller — ``gomruk validate``,
``POST /api/v1/declarations/validate``, the portal's section checks, the officer's report and
the signing gate — so the same document on the same date with the same facts gets the same
verdict everywhere (issue 15).

The facts, and what happens without them (a missing fact is named in the result, and the
rules that need it stand aside; nothing is guessed):

=====================  ==========================================================
``rates``              CBAR bulletin in force on the date: V-A-2, V-23-1, D- rules
``calculation``        duty and fee calculation (tariff, fee schedule): D- rules
``nomenclature``       HS subheadings (packaged) — V-33-2, first six digits
``national_list``      the national 10-digit XİF MN list — V-33-2, whole code
``earlier_declarations``  declarations named in box 40 — V-40-1, V-40-3, V-RI-1
``quotas``             no quota register exists: box 39 is taken as declared
``aeo_status``         the declarant's AEO status — V-13-2
``signing_date``       the date box 54 must carry — V-54-1
=====================  ==========================================================

The date: the acceptance date when customs has registered the declaration, otherwise the
date asked for (``--on`` / ``?on=``, default today). A declaration not yet signed is presumed
to be signed on that date: "valid" means "signable on that date".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gomruk.accounts.selectors import trader_is_aeo
from gomruk.core.hooks import call_hooks
from gomruk.declarations.models import Declaration, DeclarationSignature
from gomruk.document.model import Declaration as Document
from gomruk.duties.calculation import CalcOptions, calculate
from gomruk.duties.rates import rate_tables, rates_lookup
from gomruk.duties.rules import incomplete_reasons
from gomruk.duties.selectors import TARIFF_TABLES, bulletin_in_force, tariff_snapshot
from gomruk.reference.codes import USD
from gomruk.reference.models import ClassifierEntry, CommodityCodeRow
from gomruk.reference.nomenclature import HS_EDITION, current_nomenclature
from gomruk.reference.snapshot import current_reference, shared_table_stamps
from gomruk.rules.base import KnownDeclaration, ValidationContext
from gomruk.rules.checks.common import needs_attachment_sheets
from gomruk.rules.engine import merge_schema_errors, readable_part, sort_key, validate

# Once a declaration has a number, boxes 7, C and D hold what the system and customs wrote.
SYSTEM_FIELDS = ("registration_number", "customs_notes", "customs_control")
# Declaration types whose box 47 follows the general rules (§3) and so the duty calculation:
# GB, SB 06 (GB import rules, Q-19) and DB 10 (every box per §§2–3, §4.4.1). The other types'
# methodologies (§4.4) do not say how their payments are computed.
CALCULATED_TYPES = frozenset({"01", "06", "10"})

FACT_TITLES: dict[str, tuple[str, str]] = {
    "rates": ("AMB məzənnələri (A, 23-cü qrafalar)", "CBAR exchange rates (boxes A, 23)"),
    "calculation": ("Gömrük ödənişlərinin hesablanması (12, 22, 45–47, B)", "Duty and fee calculation (boxes 12, 22, 45–47, B)"),
    "nomenclature": ("Harmonikləşdirilmiş Sistem (33-cü qrafa)", "Harmonized System (box 33)"),
    "national_list": ("XİF MN milli siyahısı (33-cü qrafa)", "National XİF MN list (box 33)"),
    "earlier_declarations": ("Əvvəlki bəyannamələr (40-cı qrafa)", "Earlier declarations (box 40)"),
    "quotas": ("Kvotalar (39-cu qrafa)", "Quotas (box 39)"),
    "aeo_status": ("Bəyannaməçinin SİO statusu (13-cü qrafa)", "The declarant's AEO status (box 13)"),
    "signing_date": ("İmzalanma tarixi (54-cü qrafa)", "Signing date (box 54)"),
}


@dataclass(frozen=True)
class Fact:
    """One fact from outside the document: used (with what it was) or missing (and why)."""

    name: str
    used: bool
    detail_az: str
    detail_en: str

    def as_dict(self) -> dict[str, Any]:
        title_az, title_en = FACT_TITLES[self.name]
        return {
            "fact": self.name,
            "title": {"az": title_az, "en": title_en},
            "detail": {"az": self.detail_az, "en": self.detail_en},
        }


@dataclass
class Verdict:
    """The result of one validation: the date, every finding, and the facts it rested on."""

    on: date
    errors: list[Any]
    facts: list[Fact] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not any(e.severity == "error" for e in self.errors)

    @property
    def used(self) -> list[Fact]:
        return [f for f in self.facts if f.used]

    @property
    def missing(self) -> list[Fact]:
        return [f for f in self.facts if not f.used]

    def as_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "on": self.on.isoformat(),
            "facts": {"used": [f.as_dict() for f in self.used], "missing": [f.as_dict() for f in self.missing]},
            "errors": [e.as_dict() for e in self.errors],
        }


def _dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


# --- The facts, one by one -------------------------------------------------------------------


def _referenced_numbers(document: Document) -> set[str]:
    numbers = {p.number for p in document.previous_declarations}
    numbers |= {row.number for row in document.incomplete_declarations}
    for item in document.goods:
        numbers |= {p.number for p in item.previous_documents}
    return {n for n in numbers if n}


def _known_declarations(document: Document) -> dict[str, Any]:

    numbers = _referenced_numbers(document)
    if not numbers:
        return {}
    rows = Declaration.objects.filter(registration_number__in=numbers).only(
        "registration_number", "trader_voen", "declaration_type", "direction", "procedure", "acceptance_date"
    )
    return {
        row.registration_number: KnownDeclaration(
            number=row.registration_number,
            trader_voen=row.trader_voen,
            declaration_type=row.declaration_type,
            direction=row.direction,
            procedure=row.procedure,
            date=row.acceptance_date,
        )
        for row in rows
        if row.registration_number
    }


class _Rates:
    """CBAR rates in force on one date, each currency read once per validation."""

    def __init__(self) -> None:

        self.lookup = rates_lookup()

    def rate(self, currency: str, on: date) -> Decimal | None:
        quote = self.lookup(currency, on)
        return quote.rate if quote else None

    def bulletin_date(self, currency: str, on: date) -> date | None:
        quote = self.lookup(currency, on)
        return quote.bulletin_date if quote else None


def _rates_fact(on: date) -> tuple[_Rates | None, Fact]:

    rates = _Rates()
    usd = rates.lookup(USD, on)  # box A's rate: read anyway, and it dates the bulletin
    bulletin_date = usd.bulletin_date if usd else None
    if bulletin_date is None:
        bulletin = bulletin_in_force(on)
        bulletin_date = bulletin.date if bulletin else None
    if bulletin_date is None:
        return None, Fact(
            "rates", False,
            f"{_dmy(on)} tarixində və ya ondan əvvəl AMB bülleteni yüklənməyib: məzənnələr yoxlanmadı.",
            f"No CBAR bulletin on or before {_dmy(on)} is loaded: exchange rates were not checked.",
        )
    return rates, Fact(
        "rates", True,
        f"{_dmy(bulletin_date)} tarixli AMB bülleteni ({_dmy(on)} tarixində qüvvədədir).",
        f"CBAR bulletin of {_dmy(bulletin_date)} (in force on {_dmy(on)}).",
    )


def _calculation_fact(document: Document, on: date, rates: _Rates | None) -> tuple[Any, Fact]:
    if (document.declaration_type or "01") not in CALCULATED_TYPES:
        return None, Fact(
            "calculation", False,
            "Bu bəyannamə növünün metodikası ödənişlərin hesablanmasını təsvir etmir (§4.4): 47-ci qrafa yalnız öz qaydaları ilə yoxlandı.",
            "This declaration type's methodology does not describe the payment calculation (§4.4): box 47 was checked by its own rules only.",
        )

    tariff = tariff_snapshot()
    if not tuple(tariff.measures) or not tuple(tariff.fee_schedules):
        return None, Fact(
            "calculation", False,
            "Tarif və ya gömrük yığımları cədvəli yüklənməyib: ödənişlər hesablanmadı.",
            "The tariff or the customs fee schedule is not loaded: payments were not computed.",
        )
    if rates is None:
        return None, Fact(
            "calculation", False,
            "AMB məzənnələri olmadan ödənişlər hesablanmadı.",
            "Without CBAR rates the payments were not computed.",
        )
    # The D- rules compare figures only: the formulas (a third of the calculation) are not written.
    calc = calculate(
        document, reference=current_reference(), tariff=tariff, rates=rates.lookup, on=on,
        options=CalcOptions(explain=False),
    )
    reasons = incomplete_reasons(calc)
    if reasons:
        return calc, Fact(
            "calculation", False,
            "Hesablama natamamdır, hesablanmış dəyərlərlə müqayisə edilmədi: " + "; ".join(r.az for r in reasons),
            "The calculation is incomplete, declared figures were not compared with it: " + "; ".join(r.en for r in reasons),
        )
    return calc, Fact(
        "calculation", True,
        f"{_dmy(on)} tarixində qüvvədə olan tarif, yığımlar cədvəli və məzənnələr.",
        f"The tariff, fee schedule and rates in force on {_dmy(on)}.",
    )


def _nomenclature_facts() -> tuple[Any, list[Fact]]:

    nomenclature = current_nomenclature()
    hs = Fact("nomenclature", True, f"{HS_EDITION} subpozisiyaları.", f"{HS_EDITION} subheadings.")
    if nomenclature.national_loaded:
        national = Fact(
            "national_list", True,
            f"Milli siyahı: {nomenclature.national_codes()} kod.",
            f"National list: {nomenclature.national_codes()} codes.",
        )
    else:
        national = Fact(
            "national_list", False,
            "XİF MN milli siyahısı yüklənməyib: kodun yalnız ilk 6 rəqəmi (HS) yoxlandı.",
            "The national XİF MN list is not loaded: only the first 6 digits (HS) of the code were checked.",
        )
    return nomenclature, [hs, national]


def _trader_facts(document: Document, trader_voen: str | None, scoped: bool) -> tuple[dict[str, Any] | None, bool | None, list[Fact]]:
    if not scoped:
        why_az = "yalnız bəyannaməçinin özünə (daxil olmuş istifadəçiyə) məlumdur"
        why_en = "known only to the declarant itself (a signed-in user)"
        return None, None, [
            Fact("earlier_declarations", False, f"40-cı qrafadakı bəyannamələr {why_az}.", f"The declarations named in box 40 are {why_en}."),
            Fact("aeo_status", False, f"SİO statusu {why_az}.", f"The AEO status is {why_en}."),
        ]
    known = _known_declarations(document)
    facts = [
        Fact(
            "earlier_declarations", True,
            f"40-cı qrafada adı çəkilən {len(_referenced_numbers(document))} nömrədən {len(known)}-i sistemdə var.",
            f"{len(known)} of the {len(_referenced_numbers(document))} numbers named in box 40 are known to the system.",
        )
    ]

    is_aeo = trader_is_aeo(trader_voen)
    if is_aeo is None:
        facts.append(
            Fact(
                "aeo_status", False,
                f"{trader_voen or '—'} VÖEN-i sistemdə qeydiyyatda deyil: SİO statusu məlum deyil.",
                f"VÖEN {trader_voen or '—'} is not registered in the system: its AEO status is unknown.",
            )
        )
        return known, None, facts
    status_az, status_en = ("SİO-dur", "is an AEO") if is_aeo else ("SİO deyil", "is not an AEO")
    facts.append(Fact("aeo_status", True, f"{trader_voen} {status_az}.", f"{trader_voen} {status_en}."))
    return known, bool(is_aeo), facts


QUOTAS = Fact(
    "quotas", False,
    "Sistemdə kvota reyestri yoxdur: 39-cu qrafadakı qalıq bəyan edildiyi kimi götürüldü.",
    "The system has no quota register: the remainder in box 39 is taken as declared.",
)


def gather_facts(
    *,
    document: Document,
    on: date,
    trader_voen: str | None,
    scoped: bool = True,
    signing_date: date | None = None,
    customs_view: bool = False,
) -> tuple[Any, list[Fact]]:
    """The ``ValidationContext`` of one document on one date, and the facts it rests on."""

    rates, rates_fact = _rates_fact(on)
    calc, calc_fact = _calculation_fact(document, on, rates)
    nomenclature, nomenclature_facts = _nomenclature_facts()
    known, is_aeo, trader_facts = _trader_facts(document, trader_voen, scoped)
    facts = [rates_fact, calc_fact, *nomenclature_facts, *trader_facts, QUOTAS]
    if signing_date is not None:
        facts.append(Fact("signing_date", True, _dmy(signing_date), _dmy(signing_date)))
    else:
        facts.append(Fact("signing_date", False, "Bəyannamə imzalanmayıb.", "The declaration is not signed."))
    exchange_rate: Callable[[str, date], Decimal | None] | None = rates.rate if rates else None
    sheets = _attachment_sheets(document)
    if sheets is not None:
        facts.append(Fact("attachment_sheets", True, f"Qoşma vərəqlər: {sheets}.", f"Attachment sheets: {sheets}."))
    context = ValidationContext(
        acceptance_date=on,
        signing_date=signing_date,
        declarant_voen=trader_voen,
        declarant_is_aeo=is_aeo,
        known_declarations=known,
        exchange_rate=exchange_rate,
        rate_date=rates.bulletin_date if rates else None,
        nomenclature=nomenclature,
        customs_view=customs_view,
        calculation=calc,
        attachment_sheets=sheets,
    )
    return context, facts


#: Hook point (``core.hooks``): how many attachment sheets the printed form of ``document`` has.
#: Answered by the printing app, which lays the form out (above this app in the layers).
ATTACHMENT_SHEETS = "declaration.attachment_sheets"


def _attachment_sheets(document: Document) -> int | None:
    """The printed form's number of attachment sheets, for V-A-3's "Qoşma-SS" — asked only when
    the document needs such sheets and declares a number (laying the form out costs time)."""
    office = document.office_of_dispatch
    if office is None or not office.attachment_sheets or not needs_attachment_sheets(document):
        return None
    counts = [count for count in call_hooks(ATTACHMENT_SHEETS, document=document) if count is not None]
    return counts[0] if counts else None


# --- The doors -------------------------------------------------------------------------------


def document_check(
    *,
    document: Document,
    on: date | None = None,
    trader_voen: str | None = None,
    scoped: bool = True,
    signing_date: date | None = None,
    signed: bool = False,
    customs_view: bool = False,
    boxes: Iterable[str] | None = None,
    gate: bool = False,
) -> Verdict:
    """Every finding of ``document`` on ``on`` (default today) with every fact. Unless
    ``signed``, the declaration is presumed to be signed on that date (V-54-1).

    ``gate``: the signing gate asks only whether anything blocks, so the warning rules run only
    when an error rule found something: a refusal still lists every finding, and a document
    that passes has no warnings in its verdict (the gate keeps none)."""

    on = on or timezone.localdate()
    if signing_date is None and not signed:
        signing_date = on
    with shared_table_stamps((ClassifierEntry,), TARIFF_TABLES, (CommodityCodeRow,), rate_tables()):
        context, facts = gather_facts(
            document=document, on=on, trader_voen=trader_voen, scoped=scoped, signing_date=signing_date,
            customs_view=customs_view,
        )
        reference, wanted = current_reference(), set(boxes) if boxes is not None else None
        if not gate:
            errors = validate(document, reference=reference, on=on, context=context, boxes=wanted)
        else:
            errors = validate(document, reference=reference, on=on, context=context, boxes=wanted, severity="error")
            if errors:
                warnings = validate(document, reference=reference, on=on, context=context, boxes=wanted, severity="warning")
                errors = sorted(errors + warnings, key=sort_key)
    return Verdict(on, errors, facts)


def payload_check(
    data: dict[str, Any] | str | bytes,
    *,
    on: date | None = None,
    trader_voen: str | None = None,
    scoped: bool = True,
    boxes: Iterable[str] | None = None,
) -> Verdict:
    """Validate raw input (the CLI and the API): unreadable fields are rule ``SCHEMA`` errors,
    and the content rules still run on everything else (:func:`gomruk.rules.engine.readable_part`)."""

    schema, document = readable_part(data)
    if document is None:
        return Verdict(on or timezone.localdate(), schema)
    if trader_voen is None and document.declarant is not None:
        trader_voen = document.declarant.identifier
    verdict = document_check(document=document, on=on, trader_voen=trader_voen, scoped=scoped, boxes=boxes)
    verdict.errors = merge_schema_errors(schema, verdict.errors)
    return verdict


def _signed_on(declaration: Declaration) -> date | None:

    signed_at = (
        DeclarationSignature.objects.filter(declaration=declaration, version__number=declaration.version)
        .order_by("-signed_at")
        .values_list("signed_at", flat=True)
        .first()
    )
    return timezone.localdate(signed_at) if signed_at else None


def _without_system_fields(document: Document | dict[str, Any]) -> Document:
    if isinstance(document, Document):
        return document.model_copy(update=dict.fromkeys(SYSTEM_FIELDS))  # their default: empty
    return Document.model_validate({k: v for k, v in document.items() if k not in SYSTEM_FIELDS})


def declaration_check(
    *,
    declaration: Declaration,
    document: Document | dict[str, Any] | None = None,
    boxes: Iterable[str] | None = None,
    signing: bool = False,
    customs_view: bool = False,
) -> Verdict:
    """The verdict on a stored declaration's document (all boxes, or the given ones). At the
    signing gate and for drafts the signing date is today; once signed, the signature's.
    ``signing``: the gate's verdict, warnings only beside errors (``document_check(gate=True)``).
    ``document`` may come parsed already (the version just frozen): it is not parsed again."""
    document = declaration.document if document is None else document
    if declaration.registration_number and not customs_view:
        parsed = _without_system_fields(document)
    else:
        parsed = document if isinstance(document, Document) else Document.model_validate(document)
    today = timezone.localdate()
    signing_date = today if signing else _signed_on(declaration) or today
    return document_check(
        document=parsed,
        on=declaration.acceptance_date or today,
        trader_voen=declaration.trader_voen,
        signing_date=signing_date,
        customs_view=customs_view,
        boxes=boxes,
        gate=signing,
    )


def declaration_errors(
    *,
    declaration: Declaration,
    document: Document | dict[str, Any] | None = None,
    boxes: Iterable[str] | None = None,
    signing: bool = False,
    customs_view: bool = False,
) -> list[Any]:
    """Rule errors of a stored declaration's document (the signing gate, the portal)."""
    return declaration_check(
        declaration=declaration, document=document, boxes=boxes, signing=signing, customs_view=customs_view
    ).errors


def document_errors(
    *,
    document: Document,
    trader_voen: str | None = None,
    acceptance_date: date | None = None,
    boxes: Iterable[str] | None = None,
    signing: bool = False,
    customs_view: bool = False,
) -> list[Any]:
    return document_check(
        document=document, on=acceptance_date, trader_voen=trader_voen, boxes=boxes, customs_view=customs_view
    ).errors


__all__ = [
    "Fact",
    "Verdict",
    "declaration_check",
    "declaration_errors",
    "document_check",
    "document_errors",
    "gather_facts",
    "payload_check",
]
