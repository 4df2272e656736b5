"""``gomruk rules-catalogue``: write docs/rules.md from the rule classes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from gomruk.rules.catalogue import render_markdown

DEFAULT_PATH = Path("docs") / "rules.md"


class Command(BaseCommand):
    help = "Write the rules catalogue (docs/rules.md) from the rule classes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, default=DEFAULT_PATH, help="default: docs/rules.md")
        parser.add_argument("--check", action="store_true", help="exit 1 if the file is not up to date")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["output"]
        text = render_markdown()
        if options["check"]:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                self.stderr.write(f"{path} is out of date; run gomruk rules-catalogue")
                raise SystemExit(1)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{path}: {text.count(chr(10))} lines")
