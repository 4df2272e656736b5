"""Time to print a declaration of 1 and of 100 goods items (target: ≤ 200 ms for 100).

Run: .venv/bin/python bench/print.py [--runs N]
The first render in a process also loads the fonts; it is reported separately ("cold").
CPU time is printed beside wall time: on a shared machine the wall time includes waiting
for a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
import uuid
from dataclasses import replace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings_test")
    import django

    django.setup()
    from gomruk.demo.print_samples import sample_document
    from gomruk.printing.render import PrintContext, render_declaration
    from gomruk.reference.snapshot import packaged_reference

    reference = packaged_reference()
    context = PrintContext(
        registration_number="00100/211126/0000042",
        acceptance_date=dt.date(2026, 11, 21),
        state="registered",
        signer_name="Əliyev Ülvi Şahin oğlu",
        certificate_serial="4F2A910C77E1",
        signed_sha256="3b5d" * 16,
        verification_url="http://127.0.0.1:8000/verify/7b1c2d3e-0000-4000-8000-000000000001/",
    )
    documents = {items: sample_document(items) for items in (1, 100)}
    start = time.perf_counter()
    render_declaration(documents[1], context=context, reference=reference)
    print(f"cold (first render, fonts loaded): {(time.perf_counter() - start) * 1000:7.1f} ms")
    for items, document in documents.items():
        timings, cpu = [], []
        size = 0
        for _ in range(args.runs):
            # A new address each run, so the QR code is encoded every time (it is cached by payload).
            run_context = replace(
                context, verification_url=f"http://127.0.0.1:8000/verify/{uuid.uuid4()}/"
            )
            start, start_cpu = time.perf_counter(), time.process_time()
            size = len(render_declaration(document, context=run_context, reference=reference))
            timings.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        pages = 1 + -(-(items - 1) // 3)
        print(
            f"{items:3d} item(s), {pages:2d} page(s): median {statistics.median(timings):7.1f} ms, "
            f"min {min(timings):7.1f} ms, max {max(timings):7.1f} ms; "
            f"CPU median {statistics.median(cpu):7.1f} ms; {size / 1024:6.1f} KiB"
        )


if __name__ == "__main__":
    main()
