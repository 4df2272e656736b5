"""``gomruk border import FILE``: register arrivals in bulk from CSV (docs/border.md).

All or nothing: every row is checked first; errors are printed by row and column and nothing
is written unless the whole file is clean. A progress bar goes to stderr.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gomruk.accounts.models import User
from gomruk.border.inputs import FLAT_COLUMNS, REQUIRED_COLUMNS
from gomruk.border.services import arrivals_import
from gomruk.core.errors import GomrukError


class ProgressBar:
    """A text bar on a stream, redrawn at most every 0.1 s (and always at the end)."""

    def __init__(self, total: int, stream: TextIO, label: str = "", width: int = 30) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.label = label
        self.width = width
        self.started = time.monotonic()
        self._drawn = 0.0

    def update(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < 0.1 and done < self.total:
            return
        self._drawn = now
        share = min(done / self.total, 1.0)
        filled = int(share * self.width)
        rate = done / max(now - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
            f"{done}/{self.total} ({share:.0%}, {rate:,.0f} rows/s)"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


class Command(BaseCommand):
    help = "Border goods: 'import FILE' registers arrivals from a CSV file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import arrivals from a CSV file (columns: docs/border.md)")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--officer",
            help="Username of the registering officer: each row's post must then be one of the officer's",
        )
        imp.add_argument("--delimiter", default=",", help="Column separator (default ',')")
        imp.add_argument("--no-progress", action="store_true", help="No progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: fayl tapılmadı / file not found")
        officer = None
        if options.get("officer"):
            officer = User.objects.filter(username=options["officer"]).first()
            if officer is None:
                raise CommandError(f"{options['officer']}: istifadəçi yoxdur / no such user")
        total = _count_rows(path)
        bar = None if options["no_progress"] else ProgressBar(total, self._raw_stderr(), label="yoxlanılır / checking")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=options["delimiter"])
            reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
            self._check_header(reader.fieldnames)
            try:
                count = arrivals_import(rows=reader, officer=officer, progress=bar.update if bar else None)
            except GomrukError as exc:
                if bar:
                    bar.close()
                for error in exc.details.get("errors", [])[:1000]:
                    self.stderr.write(
                        f"sətir/row {error['row']}, {error['column']}: {error['message_az']} / {error['message_en']}"
                    )
                raise CommandError(f"{exc.message_az} / {exc.message_en}") from exc
        if bar:
            bar.update(total, force=True)
            bar.close()
        self.stdout.write(f"{count} mal qeydə alındı / arrivals imported")

    def _raw_stderr(self) -> TextIO:
        # The bar redraws one line with "\r"; Django's OutputWrapper would add a newline each time.
        return getattr(self.stderr, "_out", sys.stderr)

    @staticmethod
    def _check_header(header: list[str]) -> None:
        columns = {c.strip() for c in header}
        unknown = sorted(columns - set(FLAT_COLUMNS))
        missing = sorted(REQUIRED_COLUMNS - columns)
        problems = []
        if unknown:
            problems.append(f"naməlum sütunlar / unknown columns: {', '.join(unknown)}")
        if missing:
            problems.append(f"çatışmayan sütunlar / missing columns: {', '.join(missing)}")
        if problems:
            raise CommandError("; ".join(problems))
