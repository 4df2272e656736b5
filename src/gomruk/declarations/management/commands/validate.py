"""``gomruk validate FILE``: check a declaration document against every rule, with every fact
the database knows (CBAR rates, the duty and fee calculation, the nomenclature, earlier
declarations, AEO status) on the acceptance date ``--on`` (default today) — the same
validation as the signing gate (``gomruk.declarations.validation``). The facts used and the
facts missing are listed after the findings.

Exit status: 0 valid (warnings allowed), 1 invalid, 2 unreadable input. ``-`` reads stdin.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gomruk.declarations.validation import Verdict, payload_check


class Command(BaseCommand):
    help = "Validate a declaration document (JSON) against the rules of the Methodology."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON document, or - for standard input")
        parser.add_argument("--json", action="store_true", help="print the error objects as JSON")
        parser.add_argument("--on", type=date.fromisoformat, help="acceptance date (YYYY-MM-DD); default today")
        parser.add_argument("--lang", choices=("az", "en"), default="az", help="language of the table")
        parser.add_argument(
            "--voen", help="the trader whose earlier declarations and AEO status count (default: box 14's VÖEN)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115
            json.loads(raw)
        except (OSError, ValueError) as exc:
            self.stderr.write(f"{path}: oxuna bilmir / cannot read: {exc}")
            raise SystemExit(2) from exc
        verdict = payload_check(raw, on=options["on"], trader_voen=options.get("voen"))
        if options["json"]:
            self.stdout.write(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self._table(verdict.errors, options["lang"]))
            self.stdout.write(self._facts(verdict, options["lang"]))
        raise SystemExit(0 if verdict.valid else 1)

    def _facts(self, verdict: Verdict, lang: str) -> str:
        lines = [f"\nTarix / Date: {verdict.on.isoformat()}"]
        for heading, facts in (("Faktlar / Facts used", verdict.used), ("Çatışmayan faktlar / Facts missing", verdict.missing)):
            if facts:
                lines.append(f"{heading}:")
                for fact in facts:
                    data = fact.as_dict()
                    lines.append(f"  - {data['title'][lang]}: {data['detail'][lang]}")
        return "\n".join(lines)

    def _table(self, errors: list[Any], lang: str) -> str:
        if not errors:
            return "Səhv yoxdur / No errors."
        rows = [("QRAFA/BOX", "MAL/ITEM", "QAYDA/RULE", "NÖV/SEVERITY", "MESAJ/MESSAGE")]
        for e in errors:
            message = e.message_en if lang == "en" else e.message_az
            rows.append((e.box or "-", str(e.item or "-"), e.rule, e.severity, f"{message} [{e.path}]"))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows]
        blocking = sum(1 for e in errors if e.severity == "error")
        lines.append(f"\n{blocking} səhv, {len(errors) - blocking} xəbərdarlıq / {blocking} errors, {len(errors) - blocking} warnings.")
        return "\n".join(lines)
