"""Payment data for ``gomruk demo``: the SAMPLE tariff, the default fee schedule and a SAMPLE
rate bulletin (the demo runs without internet, so it cannot fetch CBAR's)."""

from __future__ import annotations

from importlib import resources

from gomruk.duties.services import fee_schedule_load_default, rate_bulletin_import, tariff_import

SAMPLE_BULLETIN = "sample_bulletin.xml"


def demo_rates_and_tariff_load() -> str:
    content = (resources.files("gomruk.duties") / "data" / SAMPLE_BULLETIN).read_bytes()
    bulletin = rate_bulletin_import(content=content, source=f"{SAMPLE_BULLETIN} (SAMPLE)")
    tariff = tariff_import()
    fees = fee_schedule_load_default()
    return (
        f"Payments (SAMPLE data): rate bulletin {bulletin.date:%d.%m.%Y} {bulletin.outcome}; "
        f"tariff {sum(tariff.counts.values())} rows ({tariff.counts['created']} new); fee schedule {fees}."
    )
