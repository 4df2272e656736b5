"""Selectivity engine time per declaration with 200 active risk profiles and 100 goods items.

    .venv/bin/python bench/risk.py [--runs 500] [--profiles 200] [--items 100]

Prints median and p99 (milliseconds), interleaved in the same run, of:

* ``facts``  — reading the document into the engine's facts (the bare ceiling: the engine
  cannot judge a declaration without reading it once);
* ``engine`` — facts + every criterion of every profile version in force + the random draw
  (``risk.engine.assess``): what registration adds for the judgement itself;
* ``assess`` — ``risk.services.verdict_for`` on a migrated SQLite database: the engine plus
  its reads at registration (ruleset freshness check, the trader's AEO status, refusals in
  the last 365 days, the office's random-selection rate).

and last the ratio engine / facts. Target (issue 18): engine ≤ 5 ms for 100 items.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal

os.environ.setdefault("GOMRUK_HOME", tempfile.mkdtemp(prefix="gomruk-bench-risk-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings_test")
os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['GOMRUK_HOME']}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from gomruk.demo.rule_examples import example_document  # noqa: E402
from gomruk.risk.engine import assess, compile_profile, facts_from_document  # noqa: E402

COUNTRIES = ["156", "CN", "TR", "792", "RU", "643", "IR", "364", "AE", "784", "DE", "276"]


def criteria_for(rng: random.Random) -> list[dict]:
    """One to three criteria of the kinds analysts use most, with varied parameters."""
    kinds = [
        lambda: {"kind": "commodity_prefix", "params": {"prefixes": [f"{rng.randint(1, 97):02d}{rng.randint(0, 99):02d}"
                                                                      for _ in range(rng.randint(1, 4))]}},
        lambda: {"kind": "origin_country", "params": {"countries": rng.sample(COUNTRIES, 2)}},
        lambda: {"kind": "value_per_kg_below", "params": {"reference": str(rng.randint(1, 40)),
                                                          "commodity_prefix": f"{rng.randint(1, 97):02d}"}},
        lambda: {"kind": "value_per_unit_below", "params": {"reference": str(rng.randint(1, 400))}},
        lambda: {"kind": "document_missing", "params": {"code": "N935", "commodity_prefix": f"{rng.randint(1, 97):02d}"}},
        lambda: {"kind": "dispatch_country", "params": {"countries": rng.sample(COUNTRIES, 3)}},
        lambda: {"kind": "procedure", "params": {"codes": ["40", "51"]}},
        lambda: {"kind": "trader_not_aeo", "params": {}},
        lambda: {"kind": "office", "params": {"offices": ["00100", "00200"]}},
    ]
    chosen = [rng.choice(kinds)() for _ in range(rng.randint(1, 3))]
    for criterion in chosen:
        criterion["weight"] = rng.randint(1, 30)
        criterion["channel"] = "red" if rng.random() < 0.05 else ""
    return chosen


def timings(fn: Callable[[], object], runs: int) -> list[float]:
    result = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        result.append((time.perf_counter() - start) * 1000)
    return result


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--profiles", type=int, default=200)
    parser.add_argument("--items", type=int, default=100)
    args = parser.parse_args()

    rng = random.Random(18)
    specs = [criteria_for(rng) for _ in range(args.profiles)]
    today = timezone.localdate()
    profiles = [compile_profile(code=f"R-{n}", version_id=n, version=1, valid_from=today, valid_to=None, criteria=c)
                for n, c in enumerate(specs, start=1)]
    document = example_document("01", "İD", "40", items=args.items)
    facts_of = lambda: facts_from_document(document, office_code="00100", trader_aeo=False, trader_refusals=0)  # noqa: E731
    draw = random.Random(7)
    engine = lambda: assess(facts_of(), profiles, rate=Decimal("0.05"), random_channel="red", rng=draw)  # noqa: E731
    verdict = engine()

    # The database part: the same profiles stored as versions, a declaration with the document.
    call_command("migrate", verbosity=0)
    from gomruk.accounts.models import Role, Trader, User
    from gomruk.declarations.models import Declaration, State
    from gomruk.risk import services

    analyst = User.objects.create(username="analyst", role=Role.RISK_ANALYST)
    Trader.objects.create(voen="1401555071", name="Xəzər Ticarət MMC")
    for n, c in enumerate(specs, start=1):
        services.risk_profile_create(analyst=analyst, data=services.ProfileInput(code=f"R-{n}", name=f"R-{n}", criteria=c))
    services.random_selection_set(analyst=analyst, office_code="00100", rate="0.05")
    declaration = Declaration.objects.create(created_by=analyst, trader_voen="1401555071", office_code="00100",
                                             state=State.REGISTERED, document=document)
    services.RNG = random.Random(7)
    full = lambda: services.verdict_for(declaration)  # noqa: E731
    db_verdict, _ = full()
    # The stored, cleaned copies of the profiles judge the declaration as the compiled ones did.
    assert (db_verdict.score, len(db_verdict.matched)) == (verdict.score, len(verdict.matched))

    for fn in (facts_of, engine, full):
        for _ in range(20):
            fn()
    facts_t: list[float] = []
    engine_t: list[float] = []
    full_t: list[float] = []
    gc.disable()
    try:
        for _ in range(args.runs // 10):  # interleaved in rounds of ten
            facts_t += timings(facts_of, 10)
            engine_t += timings(engine, 10)
            full_t += timings(full, 10)
    finally:
        gc.enable()

    print(f"profiles={args.profiles} criteria={sum(len(c) for c in specs)} items={args.items} "
          f"matched={len(verdict.matched)} score={verdict.score} channel={verdict.channel} runs={len(engine_t)}")
    for name, values in (("facts (ceiling)", facts_t), ("engine", engine_t), ("assess with DB reads", full_t)):
        print(f"{name:<22} median={statistics.median(values):.3f} ms  p99={p99(values):.3f} ms")
    print(f"ratio engine/facts: median={statistics.median(engine_t) / statistics.median(facts_t):.2f}  "
          f"p99={p99(engine_t) / p99(facts_t):.2f}")


if __name__ == "__main__":
    main()
