"""What the audit trail costs a request, and what sealing costs, against bare ceilings.

    .venv/bin/python bench/audit.py [--rounds 5] [--entries 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test GOMRUK_TEST_DB=bench_audit .venv/bin/python bench/audit.py

Runs in a throw-away test database (``GOMRUK_TEST_DB`` names it on PostgreSQL). Interleaved, per
round:

* request share, deferred mode: ``audit_record`` (MAC + one INSERT) in its own transaction,
  against a bare ``INSERT`` of the same row (no MAC, no ORM) — and against ``audit_record`` plus
  enqueueing a sealing task on every commit (the design ADR 0004 rejected);
* sealing a batch of ``--entries`` pending entries: the set-based ``UPDATE … FROM (VALUES …)``
  against ``bulk_update`` (a ``CASE WHEN`` per row and column, the sealer thread's way), both
  checking MACs and computing links alike;
* one idle run of the self-rescheduling sealing task (nothing pending): its whole cost per
  interval, whatever the load.

The last line is the request share's ratio to the bare INSERT.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings_test")
os.environ.setdefault("GOMRUK_AUDIT_SEALING", "deferred")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from gomruk.core import audit as audit_module  # noqa: E402
from gomruk.core.audit import audit_record, audit_seal  # noqa: E402
from gomruk.core.audit_keys import entry_mac  # noqa: E402
from gomruk.core.models import AuditEntry  # noqa: E402

DETAILS = {"voens": ["1401555071"], "count": 12, "channel": "api", "query": {"cursor": None, "limit": 100}}


def per_call_us(fn: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        fn()
    return (time.perf_counter() - start) / count * 1e6


def record() -> None:
    with transaction.atomic():
        audit_record(actor=None, action="border.goods.query", object_type="border", details=DETAILS)


def record_and_enqueue() -> None:
    from gomruk.core.tasks import audit_maintain

    with transaction.atomic():
        audit_record(actor=None, action="border.goods.query", object_type="border", details=DETAILS)
        transaction.on_commit(audit_maintain.enqueue)


def bare_insert() -> None:
    import json

    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (created_at, actor_label, action, object_type, object_id, outcome, details, "
            "nonce, mac, refused, previous_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [timezone.now(), "system", "border.goods.query", "border", "", "ok", json.dumps(DETAILS),
             "", secrets.token_hex(32), False, ""],
        )


def fill(count: int) -> None:
    for _ in range(count):
        audit_record(actor=None, action="border.goods.query", object_type="border", details=DETAILS)


def seal_with_bulk_update(batch: int = audit_module.SEAL_BATCH) -> None:
    """The sealer thread's way, kept here as the point of comparison."""
    while True:
        with transaction.atomic():
            head = audit_module._locked_head()
            pending = list(AuditEntry.objects.filter(sequence__isnull=True, refused=False).order_by("id")[:batch])
            for entry in pending:
                assert entry_mac(entry) == entry.mac
                audit_module._link(entry, head)
            AuditEntry.objects.bulk_update(pending, ["sequence", "previous_hash", "entry_hash"], batch_size=500)
            audit_module._save_head(head)
        if len(pending) < batch:
            return


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        run(args)
    finally:
        teardown_databases(old, verbosity=0)


def run(args: argparse.Namespace) -> None:
    from gomruk.core.tasks import audit_maintain

    print(f"database {connection.vendor}; {args.rounds} interleaved rounds")
    rows: dict[str, list[float]] = {k: [] for k in ("bare", "record", "enqueue", "set", "bulk", "idle")}
    for _ in range(args.rounds):
        rows["bare"].append(per_call_us(bare_insert, args.calls))
        rows["record"].append(per_call_us(record, args.calls))
        rows["enqueue"].append(per_call_us(record_and_enqueue, args.calls))
        AuditEntry.objects.filter(nonce="").delete()  # the bare rows: no MAC, sealing would refuse them
        audit_seal()
        fill(args.entries)
        rows["set"].append(timed(audit_seal) / args.entries * 1000)
        fill(args.entries)
        rows["bulk"].append(timed(seal_with_bulk_update) / args.entries * 1000)
        rows["idle"].append(timed(audit_maintain.call))
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"request: bare INSERT              {med['bare']:8.1f} µs")
    print(f"request: audit_record (deferred)  {med['record']:8.1f} µs")
    print(f"request: audit_record + task/commit {med['enqueue']:6.1f} µs  (+{med['enqueue'] - med['record']:.1f} µs,"
          " +1 task row per request, +2 updates when it runs)")
    print(f"sealing: set-based UPDATE          {med['set']:8.1f} µs per entry")
    print(f"sealing: bulk_update (CASE WHEN)   {med['bulk']:8.1f} µs per entry")
    print(f"idle sealing run (self-rescheduling): {med['idle']:.2f} ms per interval")
    print(f"audit: sealing set-based / bulk_update {med['set'] / med['bulk']:.2f}")
    print(f"audit: request share ratio to bare INSERT {med['record'] / med['bare']:.2f}")


if __name__ == "__main__":
    main()
