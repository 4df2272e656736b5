"""Dashboard server time with 100,000 declarations in PostgreSQL.

    .venv/bin/python bench/dashboard.py [--database NAME] [--declarations 100000] [--offices 20]
        [--days 365] [--samples 60] [--reuse]

1. (Re)creates ``--database`` (default ``gomruk_bench_dashboard``; give your own when others
   may run it) on postgres://postgres@127.0.0.1:5432, migrates it
   and loads, with ``INSERT … SELECT generate_series``, N declarations spread over the last
   ``--days`` days and ``--offices`` offices, each with its history as the services write it:
   status events (sent, registered, under control, then released 80 % / refused 5 % /
   returned 15 %), the registration (box B total in the document), the channel and, for a
   return, one or two per-box reasons. Rows written in bulk bypass the hooks, so the loader then
   fills the dashboards' daily summaries from that history with ``gomruk reports rebuild``
   (timed; ADR 0016-dashboard-daily-summaries). Then ANALYZE. ``--reuse`` keeps a loaded
   database.
2. Times, in this process, the full request → response of (Django test client, no network):
   * ``page office``   — ``/officer/dashboard/`` as an officer of a busy office (30 days);
   * ``page service``  — the same page for the whole service as a risk analyst (30 days);
   * ``page year``     — the whole service over 365 days;
   * ``chart``         — one chart (``per_day.svg``) for the office;
   * ``bare``          — the same page for an office without any declaration (the ceiling:
                         templates, charts and the request cycle, no data to aggregate);
   interleaved, ``--samples`` each; prints p50/p95 and, last, the ratio page office / bare.
Target (issue 18): p95 ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "gomruk_bench_dashboard"
ROOT = Path(__file__).resolve().parent.parent


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ.setdefault("GOMRUK_HOME", tempfile.mkdtemp(prefix="gomruk-bench-dashboard-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gomruk.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


LOAD = """
INSERT INTO declarations_declaration (id, created_by_id, trader_voen, declaration_type, direction, procedure,
    state, office_code, registration_number, sent_at, acceptance_date, version, document, pending_input,
    created_at, updated_at)
SELECT md5('d' || g)::uuid, %(user)s, lpad((1000000000 + g %% 5000)::text, 10, '0'), '01', 'İD', '40',
    CASE WHEN g %% 20 = 0 THEN 'refused' WHEN g %% 20 < 4 THEN 'returned' ELSE 'released' END,
    lpad((100 + (g %% %(offices)s) * 100)::text, 5, '0'), 'B' || g,
    now() - ((g %% %(days)s) || ' days')::interval - ((g %% 7) || ' hours')::interval,
    (now() - ((g %% %(days)s) || ' days')::interval)::date, 1,
    jsonb_build_object('total_customs_value', ((g %% 9000) + 100)::text || '.00',
        'accounting', jsonb_build_object('total', ((g %% 700) + 10)::text || '.50'), 'goods', '[]'::jsonb),
    '{}'::jsonb, now() - ((g %% %(days)s) || ' days')::interval, now()
FROM generate_series(1, %(n)s) AS g;

INSERT INTO declarations_statusevent (declaration_id, at, actor_id, from_state, to_state, reason, details)
SELECT d.id, d.sent_at + (s.k || ' hours')::interval, %(user)s, s.f, s.t, '', '{}'::jsonb
FROM declarations_declaration d,
     (VALUES (0, 'confirmed', 'sent'), (1, 'sent', 'registered'), (2, 'registered', 'under_control')) AS s(k, f, t);

INSERT INTO declarations_statusevent (declaration_id, at, actor_id, from_state, to_state, reason, details)
SELECT d.id, d.sent_at + ((3 + (hashtext(d.id::text) & 63)) || ' hours')::interval, %(user)s, 'under_control',
    d.state, '', '{}'::jsonb
FROM declarations_declaration d;

INSERT INTO customs_registration (declaration_id, officer_id, office_code, registration_number, acceptance_date,
    usd_rate_fixed, currency, currency_rate_fixed, note, payments_assessed, created_at)
SELECT d.id, %(user)s, d.office_code, d.registration_number, d.acceptance_date, false, '', false, '',
    (d.document -> 'accounting' ->> 'total')::numeric, d.sent_at + interval '1 hour'
FROM declarations_declaration d;

INSERT INTO customs_channelassignment (declaration_id, channel, reason, officer_id, created_at)
SELECT d.id, (ARRAY['green', 'yellow', 'red', 'blue'])[1 + (hashtext(d.id::text) & 3)], 'x', %(user)s,
    d.sent_at + interval '2 hours'
FROM declarations_declaration d;

INSERT INTO customs_returnreason (declaration_id, event_id, box, item, text, officer_id, created_at)
SELECT e.declaration_id, e.id, (ARRAY['33', '31', '44', '47', '15a'])[1 + (e.id %% 5)], NULL, 'x', %(user)s, e.at
FROM declarations_statusevent e WHERE e.to_state = 'returned';
"""


def load(n: int, offices: int, days: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from gomruk.accounts.models import Role, User

    call_command("migrate", verbosity=0)
    user = User.objects.create(username="bench", role=Role.ADMINISTRATOR)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in LOAD.split(";\n"):
            if statement.strip():
                cursor.execute(statement, {"user": user.pk, "n": n, "offices": offices, "days": days})
    print(f"loaded {n} declarations in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call_command("reports", "rebuild")
    print(f"summaries rebuilt in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument("--declarations", type=int, default=100_000)
    parser.add_argument("--offices", type=int, default=20)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    if not args.reuse:
        admin_sql(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin_sql(f'CREATE DATABASE "{args.database}"')
    setup_django(args.database)
    from django.core.management import call_command
    from django.test import Client

    from gomruk.accounts.models import Role, User
    from gomruk.declarations.models import Declaration

    call_command("migrate", verbosity=0)
    if not args.reuse or not Declaration.objects.exists():
        load(args.declarations, args.offices, args.days)
    count = Declaration.objects.count()
    officer, _ = User.objects.get_or_create(username="bench-officer", defaults={"role": Role.OFFICER, "office_code": "00100"})
    idle, _ = User.objects.get_or_create(username="bench-idle", defaults={"role": Role.OFFICER, "office_code": "99900"})
    analyst, _ = User.objects.get_or_create(username="bench-analyst", defaults={"role": Role.RISK_ANALYST})
    clients = {}
    for name, user in (("officer", officer), ("idle", idle), ("analyst", analyst)):
        clients[name] = Client()
        clients[name].force_login(user)
    cases = {
        "page office": ("officer", "/officer/dashboard/"),
        "page service": ("analyst", "/officer/dashboard/"),
        "page year": ("analyst", "/officer/dashboard/?from=" + time.strftime("%Y-%m-%d", time.localtime(time.time() - 364 * 86400))),
        "chart": ("officer", "/officer/dashboard/per_day.svg"),
        "bare": ("idle", "/officer/dashboard/"),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for name, (who, url) in cases.items():  # warm up
        assert clients[who].get(url).status_code == 200, name
    for _ in range(args.samples):
        for name, (who, url) in cases.items():
            started = time.perf_counter()
            response = clients[who].get(url)
            times[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    print(f"declarations={count} offices={args.offices} days={args.days} samples={args.samples}")
    for name, values in times.items():
        print(f"{name:<13} p50={p(values, 0.5):7.1f} ms  p95={p(values, 0.95):7.1f} ms  mean={statistics.fmean(values):7.1f} ms")
    print(f"ratio page office / bare: p50={p(times['page office'], 0.5) / p(times['bare'], 0.5):.2f}  "
          f"p95={p(times['page office'], 0.95) / p(times['bare'], 0.95):.2f}")


if __name__ == "__main__":
    main()
