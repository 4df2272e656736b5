"""Time full validation of a 1-item and a 100-item declaration against parsing alone.

    .venv/bin/python bench/validate.py [--runs 500]

Prints median and p99 (milliseconds) of ``Declaration.model_validate_json`` (parse) and of
``validate`` (all rules, packaged classifiers, one core, no database), and their ratio.
Target: 100 items p99 ≤ 10 ms and ≤ 5 × the parse time.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable
from datetime import date

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings_test")

import django  # noqa: E402

django.setup()

from gomruk.demo.rule_examples import example_document  # noqa: E402
from gomruk.document.model import Declaration  # noqa: E402
from gomruk.reference.snapshot import packaged_reference  # noqa: E402
from gomruk.rules.engine import validate  # noqa: E402


def timings(fn: Callable[[], object], runs: int) -> list[float]:
    for _ in range(20):
        fn()
    result = []
    gc.disable()
    try:
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            result.append((time.perf_counter() - start) * 1000)
    finally:
        gc.enable()
    return sorted(result)


def p99(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    reference = packaged_reference()
    on = date(2025, 6, 1)
    print(f"{'items':>5}  {'parse med':>9}  {'parse p99':>9}  {'valid med':>9}  {'valid p99':>9}  {'ratio med':>9}  {'ratio p99':>9}  errors")
    for items in (1, 100):
        document = Declaration.model_validate(example_document("01", "İD", "40", items=items))
        raw = document.canonical_bytes()
        parse = timings(lambda raw=raw: Declaration.model_validate_json(raw), args.runs)
        check = timings(lambda document=document: validate(document, reference=reference, on=on), args.runs)
        errors = len(validate(document, reference=reference, on=on))
        pm, pp, vm, vp = statistics.median(parse), p99(parse), statistics.median(check), p99(check)
        print(f"{items:>5}  {pm:>9.3f}  {pp:>9.3f}  {vm:>9.3f}  {vp:>9.3f}  {vm / pm:>9.2f}  {vp / pp:>9.2f}  {errors}")


if __name__ == "__main__":
    main()
