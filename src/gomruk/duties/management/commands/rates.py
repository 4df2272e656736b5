"""``gomruk rates import FILE|URL|--date DD.MM.YYYY [--enqueue]``: load a CBAR exchange-rate
bulletin now, or leave the download to the task worker (``gomruk worker``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gomruk.core.errors import GomrukError
from gomruk.duties.bulletin import parse_cbar_date
from gomruk.duties.services import (
    BulletinImport,
    rate_bulletin_import_date,
    rate_bulletin_import_file,
    rate_bulletin_import_url,
)


class Command(BaseCommand):
    help = "AMB məzənnə bülletenini yükləyir / Import a CBAR exchange-rate bulletin"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import a bulletin from a file, a URL or CBAR for a date")
        load.add_argument("source", nargs="?", help="bulletin XML file or http(s) URL")
        load.add_argument("--date", help="DD.MM.YYYY: download https://www.cbar.az/currencies/DD.MM.YYYY.xml")
        load.add_argument(
            "--enqueue", action="store_true",
            help="do not download here: queue the import (URL or --date) for `gomruk worker`",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options.get("source") or ""
        day: str = options.get("date") or ""
        if bool(source) == bool(day):
            raise CommandError("Give exactly one of FILE, URL or --date DD.MM.YYYY.")
        if options.get("enqueue"):
            self._enqueue(source, day)
            return
        try:
            if day:
                report = rate_bulletin_import_date(day=parse_cbar_date(day))
            elif source.startswith(("http://", "https://")):
                report = rate_bulletin_import_url(url=source)
            else:
                path = Path(source)
                if not path.is_file():
                    raise CommandError(f"No such file: {source}")
                report = rate_bulletin_import_file(path=path)
        except GomrukError as exc:
            raise CommandError(f"{exc.message_en} {exc.details or ''}".strip()) from None
        self.stdout.write(_summary(report))

    def _enqueue(self, source: str, day: str) -> None:
        from gomruk.duties.tasks import rates_import

        if day:
            try:
                on = parse_cbar_date(day)
            except GomrukError as exc:
                raise CommandError(exc.message_en) from None
            result = rates_import.enqueue(day=on.isoformat())
            what = f"CBAR's bulletin of {on:%d.%m.%Y}"
        elif source.startswith(("http://", "https://")):
            result = rates_import.enqueue(url=source)
            what = source
        else:
            raise CommandError("--enqueue takes a URL or --date: a file is read here, so import it without --enqueue.")
        self.stdout.write(f"Queued the import of {what} (task {result.id}); `gomruk worker` runs it.")


def _summary(report: BulletinImport) -> str:
    skipped = f", skipped without value: {', '.join(report.skipped)}" if report.skipped else ""
    return f"bulletin {report.date:%d.%m.%Y}: {report.outcome} ({report.rates} rates{skipped})"
