"""Time validation of a 1-item and a 100-item declaration against parsing alone.

    .venv/bin/python bench/validate.py [--runs 500]

Two tables, each printing median and p99 (milliseconds) and the ratio to parsing last:

1. ``validate`` — all rules, packaged classifiers, no database, no facts (the pure engine).
   Target: 100 items p99 ≤ 10 ms and ≤ 5 × the parse time.
2. ``gate`` — the full validation the signing gate runs (issue 15): the stored JSON parsed,
   every fact gathered from a database (CBAR bulletin, tariff, fee schedule, the duty
   calculation, HS nomenclature, earlier declarations, AEO status) and every rule, D- rules
   included. The database is a throw-away SQLite file under a temporary GOMRUK_HOME.
   Target: 100 items p99 ≤ 15 ms on one core and ≤ 5 × the parse time.

Parse and the measured call run interleaved (one of each per round), so a busy machine
slows both alike.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings")
os.environ["GOMRUK_HOME"] = tempfile.mkdtemp(prefix="gomruk-bench-validate-")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from gomruk.demo.rule_examples import example_document  # noqa: E402
from gomruk.document.model import Declaration  # noqa: E402
from gomruk.reference.snapshot import packaged_reference  # noqa: E402
from gomruk.rules.engine import validate  # noqa: E402


def timings(fns: list[Callable[[], object]], runs: int) -> list[list[float]]:
    """Each function once per round, interleaved; sorted milliseconds per function."""
    for _ in range(20):
        for fn in fns:
            fn()
    result: list[list[float]] = [[] for _ in fns]
    gc.disable()
    try:
        for _ in range(runs):
            for i, fn in enumerate(fns):
                start = time.perf_counter()
                fn()
                result[i].append((time.perf_counter() - start) * 1000)
    finally:
        gc.enable()
    return [sorted(r) for r in result]


ON = date(2025, 1, 15)
VOEN = "1401555071"


def facts_database() -> None:
    """Migrate a fresh SQLite database and load every fact the signing gate reads."""
    from importlib import resources

    from django.core.management import call_command

    from gomruk.accounts.models import User
    from gomruk.declarations.models import Declaration as Stored
    from gomruk.declarations.models import State
    from gomruk.demo.rule_examples import EARLIER_DECLARATIONS
    from gomruk.demo.users import demo_users_create
    from gomruk.duties.services import (
        fee_schedule_load_default,
        rate_bulletin_import,
        tariff_import,
    )
    from gomruk.reference.services import classifiers_load, hs_load

    call_command("migrate", verbosity=0)
    classifiers_load()
    hs_load()
    xml = (resources.files("gomruk.demo") / "data" / "sample_bulletin.xml").read_text(encoding="utf-8")
    rate_bulletin_import(content=xml.replace('Date="03.01.2025"', 'Date="15.01.2025"').encode(), source="bench")
    tariff_import()
    fee_schedule_load_default()
    demo_users_create()
    user = User.objects.get(username="deklarant")
    for number, (dtype, direction, procedure, accepted) in EARLIER_DECLARATIONS.items():
        Stored.objects.create(
            created_by=user, trader_voen=VOEN, declaration_type=dtype, direction=direction, procedure=procedure,
            state=State.RELEASED, registration_number=number, acceptance_date=date.fromisoformat(accepted),
        )


def row(items: int, parse: list[float], check: list[float], errors: int) -> str:
    pm, pp, vm, vp = statistics.median(parse), p99(parse), statistics.median(check), p99(check)
    return f"{items:>5}  {pm:>9.3f}  {pp:>9.3f}  {vm:>9.3f}  {vp:>9.3f}  {errors:>6}  {vm / pm:>9.2f}  {vp / pp:>9.2f}"


def p99(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.99))]


def main() -> None:
    from gomruk.declarations.validation import document_check

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    reference = packaged_reference()
    head = f"{'items':>5}  {'parse med':>9}  {'parse p99':>9}  {{0}} med  {{0}} p99  {'errors':>6}  {'ratio med':>9}  {'ratio p99':>9}"
    print("validate: every rule, packaged classifiers, no database, no facts")
    print(head.format("valid"))
    documents = {}
    for items in (1, 100):
        document = Declaration.model_validate(example_document("01", "İD", "40", items=items))
        documents[items] = document
        raw = document.canonical_bytes()
        parse, check = timings(
            [lambda raw=raw: Declaration.model_validate_json(raw), lambda d=document: validate(d, reference=reference, on=ON)],
            args.runs,
        )
        print(row(items, parse, check, len(validate(document, reference=reference, on=ON))))

    facts_database()
    print("\ngate: the signing gate's validation — stored JSON parsed, every fact from the database, every rule")
    print(head.format(" gate"))
    for items, document in documents.items():
        raw = document.canonical_bytes()
        stored = document.to_data()

        def gate(stored: dict[str, object] = stored) -> object:
            return document_check(document=Declaration.model_validate(stored), on=ON, trader_voen=VOEN, signing_date=ON)

        verdict = gate()
        assert {f.name for f in verdict.used} >= {"rates", "calculation", "nomenclature", "aeo_status"}, verdict.missing
        parse, check = timings([lambda raw=raw: Declaration.model_validate_json(raw), gate], args.runs)
        print(row(items, parse, check, len(verdict.errors)))


if __name__ == "__main__":
    main()
