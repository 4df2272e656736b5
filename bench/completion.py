"""Time the completion of the computed boxes (issue 16.1) and the pickers' first answer (16.2).

    .venv/bin/python bench/completion.py [--runs 50]

1. ``complete`` of the 1-item and 100-item GB import examples with the packaged classifiers,
   the SAMPLE tariff and a fixed USD rate (no database): median and p99 in milliseconds,
   the pickers' cache warm (as in a running portal).
2. ``offered`` for every picker field of one profile with a cold cache: what the first page
   of a declaration of a new type/direction/procedure pays once per process and day.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings_test")

import django  # noqa: E402

django.setup()

from gomruk.declarations import pickers  # noqa: E402
from gomruk.declarations.completion import complete  # noqa: E402
from gomruk.demo.rule_examples import example_document  # noqa: E402
from gomruk.duties.rates import static_rates  # noqa: E402
from gomruk.duties.tariff import sample_snapshot  # noqa: E402
from gomruk.reference.snapshot import packaged_reference  # noqa: E402

ON = date(2025, 1, 15)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    reference, tariff = packaged_reference(), sample_snapshot()
    rates = static_rates({"USD": Decimal("1.7")}, ON)
    print("complete      items  median ms  p99 ms")
    for items in (1, 100):
        document = example_document("01", "İD", "40", items=items)
        complete(document, reference=reference, tariff=tariff, rates=rates, on=ON)  # warm the pickers
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            complete(document, reference=reference, tariff=tariff, rates=rates, on=ON)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"              {items:5d}  {statistics.median(times):9.1f}  {times[int(len(times) * 0.99) - 1]:6.1f}")
    pickers._cache.clear()
    profile = pickers.Profile("01", "İX", "10", ON)
    start = time.perf_counter()
    for template in pickers.CLASSIFIER_FIELDS:
        pickers.offered(template, profile, reference)
    print(f"offered, {len(pickers.CLASSIFIER_FIELDS)} fields, cold cache: {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
