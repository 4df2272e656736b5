"""``gomruk tariff import FILE`` (CSV, docs/tariff.md), ``gomruk tariff import --sample``,
``gomruk tariff hs`` (load the packaged Harmonized System) and ``gomruk tariff nomenclature FILE``
(the national 10-digit XİF MN list, CSV of docs/tariff.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gomruk.core.errors import GomrukError
from gomruk.duties.services import fee_schedule_load_default, tariff_import
from gomruk.reference.services import hs_load, national_list_import

MAX_TARIFF_BYTES = 50 * 1024 * 1024


class Command(BaseCommand):
    help = "Tarifi yükləyir / Import the tariff (measures and privilege exemptions)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="import a tariff CSV")
        load.add_argument("file", nargs="?", help="tariff CSV (layout: docs/tariff.md)")
        load.add_argument("--sample", action="store_true", help="the packaged SAMPLE tariff")
        sub.add_parser("fees-default", help="install the default customs fee schedule (from 09.2018)")
        sub.add_parser("hs", help="load the Harmonized System (HS 2022) shipped with the package")
        national = sub.add_parser("nomenclature", help="import the national 10-digit XİF MN list (CSV)")
        national.add_argument("file", help="CSV: code,name_az,name_en,valid_from,valid_to (docs/tariff.md)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "fees-default":
            self.stdout.write(f"fee schedule: {fee_schedule_load_default()}")
            return
        if options["action"] in ("hs", "nomenclature"):
            self._nomenclature(options)
            return
        file: str | None = options.get("file")
        sample: bool = bool(options.get("sample"))
        if bool(file) == bool(sample):
            raise CommandError("Give a FILE or --sample.")
        try:
            if sample:
                report = tariff_import()
            else:
                assert file is not None
                path = Path(file)
                if not path.is_file():
                    raise CommandError(f"No such file: {file}")
                if path.stat().st_size > MAX_TARIFF_BYTES:
                    raise CommandError("The tariff file is larger than 50 MB.")
                report = tariff_import(text=path.read_text(encoding="utf-8-sig"), source=path.name)
        except GomrukError as exc:
            problems = "; ".join(f"line {e['line']}: {e['problem']}" for e in exc.details.get("errors", []))
            raise CommandError(f"{exc.message_en} {problems}".strip()) from None
        counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
        self.stdout.write(f"tariff {report.source}: {counts}")

    def _nomenclature(self, options: dict[str, Any]) -> None:

        if options["action"] == "hs":
            report = hs_load()
            self.stdout.write(f"harmonized system {report.source}: {report.counts()}")
            return
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > MAX_TARIFF_BYTES:
            raise CommandError("The nomenclature file is larger than 50 MB.")
        try:
            report = national_list_import(text=path.read_text(encoding="utf-8-sig"), source=path.name)
        except GomrukError as exc:
            problems = "; ".join(f"line {e['line']}: {e['problem']}" for e in exc.details.get("errors", []))
            raise CommandError(f"{exc.message_en} {problems}".strip()) from None
        self.stdout.write(f"XİF MN {report.source}: {report.counts()}")
