"""``gomruk rates import FILE|URL|--date DD.MM.YYYY``: load a CBAR exchange-rate bulletin."""

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

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options.get("source") or ""
        day: str = options.get("date") or ""
        if bool(source) == bool(day):
            raise CommandError("Give exactly one of FILE, URL or --date DD.MM.YYYY.")
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


def _summary(report: BulletinImport) -> str:
    skipped = f", skipped without value: {', '.join(report.skipped)}" if report.skipped else ""
    return f"bulletin {report.date:%d.%m.%Y}: {report.outcome} ({report.rates} rates{skipped})"
