"""Writes: importing CBAR bulletins and the tariff, loading the default fee schedule.

Every import is idempotent: the same input a second time changes nothing and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from gomruk.core.audit import audit_record
from gomruk.duties.bulletin import Bulletin, cbar_url, fetch, parse_bulletin
from gomruk.duties.fees import FeeScheduleData, default_schedule
from gomruk.duties.models import (
    ExchangeRate,
    FeeBracket,
    FeeSchedule,
    PrivilegeExemption,
    RateBulletin,
    TariffMeasure,
)
from gomruk.duties.rates import numeric_code
from gomruk.duties.tariff import SAMPLE_TARIFF_FILE, Measure, read_tariff_csv, sample_tariff_text

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class BulletinImport:
    date: Any
    outcome: str  # created | updated | unchanged
    rates: int
    skipped: tuple[str, ...]


def _rate_rows(bulletin: Bulletin, stored: RateBulletin) -> list[ExchangeRate]:
    return [
        ExchangeRate(
            bulletin=stored,
            code=rate.code,
            numeric_code=numeric_code(rate.code),
            name=rate.name[:200],
            kind=rate.kind[:100],
            nominal=rate.nominal,
            nominal_text=rate.nominal_text[:20],
            value=rate.value,
            rate_per_unit=rate.rate_per_unit,
        )
        for rate in bulletin.rates
    ]


@transaction.atomic
def rate_bulletin_import(*, content: bytes, source: str, actor: Any | None = None) -> BulletinImport:
    """Store a bulletin under its own date. The same bulletin again changes nothing; a
    bulletin with the same date but different figures (a correction) replaces the rates."""
    bulletin = parse_bulletin(content)
    digest = bulletin.content_sha256()
    stored = RateBulletin.objects.select_for_update().filter(date=bulletin.date).first()
    if stored is not None and stored.sha256 == digest:
        return BulletinImport(bulletin.date, UNCHANGED, len(bulletin.rates), bulletin.skipped)
    outcome = CREATED
    if stored is None:
        stored = RateBulletin.objects.create(
            date=bulletin.date, name=bulletin.name[:300], source=source[:500], sha256=digest
        )
    else:
        outcome = UPDATED
        stored.rates.all().delete()
        stored.name, stored.source, stored.sha256 = bulletin.name[:300], source[:500], digest
        stored.save()
    ExchangeRate.objects.bulk_create(_rate_rows(bulletin, stored))
    audit_record(
        actor=actor,
        action=f"rates.bulletin.{outcome}",
        object_type="rate_bulletin",
        object_id=bulletin.date.isoformat(),
        details={"source": source, "sha256": digest, "rates": len(bulletin.rates), "skipped": list(bulletin.skipped)},
    )
    return BulletinImport(bulletin.date, outcome, len(bulletin.rates), bulletin.skipped)


def rate_bulletin_import_url(*, url: str, actor: Any | None = None) -> BulletinImport:
    return rate_bulletin_import(content=fetch(url), source=url, actor=actor)


def rate_bulletin_import_date(*, day: Any, actor: Any | None = None) -> BulletinImport:
    """Download CBAR's bulletin for ``day``; on a holiday CBAR answers with the previous one,
    which is stored under its own date."""
    return rate_bulletin_import_url(url=cbar_url(day), actor=actor)


def rate_bulletin_import_file(*, path: Path, actor: Any | None = None) -> BulletinImport:
    from gomruk.duties.bulletin import MAX_BULLETIN_BYTES, bulletin_error

    if path.stat().st_size > MAX_BULLETIN_BYTES:
        raise bulletin_error(
            "Bülleten faylı çox böyükdür.", "The bulletin file is too large.", limit=MAX_BULLETIN_BYTES
        )
    return rate_bulletin_import(content=path.read_bytes(), source=str(path), actor=actor)


# --- Tariff ----------------------------------------------------------------------------------


@dataclass
class TariffImport:
    source: str
    counts: dict[str, int] = field(default_factory=lambda: {CREATED: 0, UPDATED: 0, UNCHANGED: 0})

    @property
    def changed(self) -> bool:
        return bool(self.counts[CREATED] or self.counts[UPDATED])


def _measure_values(measure: Measure, source: str) -> dict[str, Any]:
    return {
        "kind": measure.kind,
        "percent": measure.percent,
        "specific_amount": measure.specific_amount,
        "currency": measure.currency,
        "unit": measure.unit,
        "bands": [band.data() for band in measure.bands],
        "valid_to": measure.valid_to,
        "source": source[:200],
        "note": measure.note[:500],
    }


def _upsert(model: Any, keys: dict[str, Any], values: dict[str, Any], report: TariffImport) -> None:
    row = model.objects.filter(**keys).first()
    if row is None:
        model.objects.create(**keys, **values)
        report.counts[CREATED] += 1
        return
    # Decimal('10') == Decimal('10.0000'), so re-reading the same file compares equal; the
    # same content from a file of another name is not a change either.
    if all(getattr(row, name) == value for name, value in values.items() if name != "source"):
        report.counts[UNCHANGED] += 1
        return
    for name, value in values.items():
        setattr(row, name, value)
    row.save()
    report.counts[UPDATED] += 1


@transaction.atomic
def tariff_import(*, text: str | None = None, source: str = SAMPLE_TARIFF_FILE, actor: Any | None = None) -> TariffImport:
    """Import a tariff CSV (docs/tariff.md); without ``text`` the packaged SAMPLE tariff.
    The whole file is checked first: one bad line and nothing is imported."""
    measures, exemptions = read_tariff_csv(sample_tariff_text() if text is None else text)
    report = TariffImport(source=source)
    for measure in measures:
        keys = {
            "commodity_prefix": measure.commodity_prefix,
            "payment_type": measure.payment_type,
            "valid_from": measure.valid_from,
        }
        _upsert(TariffMeasure, keys, _measure_values(measure, source), report)
    for exemption in exemptions:
        _upsert(
            PrivilegeExemption,
            {"privilege_code": exemption.privilege, "valid_from": exemption.valid_from},
            {
                "payment_types": sorted(exemption.payment_types),
                "valid_to": exemption.valid_to,
                "source": source[:200],
                "note": exemption.note[:500],
            },
            report,
        )
    if report.changed:
        audit_record(
            actor=actor, action="tariff.import", object_type="tariff", object_id=source[:100], details=report.counts
        )
    return report


# --- Fee schedule ----------------------------------------------------------------------------


@transaction.atomic
def fee_schedule_save(*, schedule: FeeScheduleData, source: str, actor: Any | None = None) -> str:
    """Create or update the schedule starting on ``schedule.valid_from``; returns the outcome."""
    stored = FeeSchedule.objects.filter(valid_from=schedule.valid_from).first()
    wanted: list[tuple[Decimal | None, Decimal]] = sorted(
        (b.upper_bound, b.amount) for b in schedule.brackets if b.upper_bound is not None
    )
    wanted += [(None, b.amount) for b in schedule.brackets if b.upper_bound is None]
    values = {
        "name": schedule.name,
        "payment_type": schedule.payment_type,
        "double_payment_type": schedule.double_payment_type,
        "double_multiplier": schedule.double_multiplier,
        "source": source[:200],
    }
    if stored is not None:
        current = [(b.upper_bound, b.amount) for b in stored.brackets.all()]
        if current == wanted and all(getattr(stored, k) == v for k, v in values.items()):
            return UNCHANGED
        for name, value in values.items():
            setattr(stored, name, value)
        stored.save()
        stored.brackets.all().delete()
        outcome = UPDATED
    else:
        stored = FeeSchedule.objects.create(valid_from=schedule.valid_from, **values)
        outcome = CREATED
    FeeBracket.objects.bulk_create(
        [FeeBracket(schedule=stored, upper_bound=upper, amount=amount) for upper, amount in wanted]
    )
    audit_record(
        actor=actor,
        action=f"fees.schedule.{outcome}",
        object_type="fee_schedule",
        object_id=schedule.valid_from.isoformat(),
        details={"brackets": [[str(u) if u is not None else None, str(a)] for u, a in wanted]},
    )
    return outcome


def fee_schedule_load_default(*, actor: Any | None = None) -> str:
    """Install the packaged default schedule (from September 2018) unless a schedule for
    that date exists: ``gomruk init`` calls this on every run and must not undo what the
    administrators changed in the admin."""
    schedule = default_schedule()
    if FeeSchedule.objects.filter(valid_from=schedule.valid_from).exists():
        return UNCHANGED
    return fee_schedule_save(schedule=schedule, source="fee_schedule_default.json", actor=actor)
