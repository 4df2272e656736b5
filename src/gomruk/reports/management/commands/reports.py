"""``gomruk reports rebuild [--from DATE --to DATE]`` and ``gomruk reports check [--from --to]``:
the dashboards' daily summaries recomputed from the history, or compared with it
(docs/workbench.md, ADR 0016-dashboard-daily-summaries)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gomruk.reports.summaries import check, rebuild


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = ("Dashboard summaries: 'rebuild' recomputes them from the history, 'check' compares them "
            "with it (exit status 1 on a difference). Both take --from/--to (days, inclusive; all by default).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])
        parser.add_argument("--from", dest="date_from", type=_date, default=None)
        parser.add_argument("--to", dest="date_to", type=_date, default=None)

    def handle(self, *args: Any, action: str, date_from: dt.date | None, date_to: dt.date | None,
               **options: Any) -> None:
        if date_from and date_to and date_from > date_to:
            raise CommandError("--from is after --to.")
        span = f"{date_from or 'the beginning'} – {date_to or 'today'}"
        started = time.perf_counter()
        if action == "rebuild":
            done = rebuild(date_from, date_to)
            self.stdout.write(f"rebuilt {span}: {done.figures} daily figures, {done.releases} release times "
                              f"({time.perf_counter() - started:.1f} s)")
            return
        differences = check(date_from, date_to)
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(f"{len(differences)} difference(s) between the summaries and the history ({span}); "
                               f"'gomruk reports rebuild' recomputes them.", returncode=1)
        self.stdout.write(f"summaries equal the history ({span}, {time.perf_counter() - started:.1f} s)")
