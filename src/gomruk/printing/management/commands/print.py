"""``gomruk print FILE|ID -o OUT.pdf``: the printed declaration.

FILE is a declaration document (JSON) and prints as a draft; ID is a stored declaration,
printed with its registration number, acceptance date and signature. The CLI is the
operator's tool (like manage.py): it reads any stored declaration.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gomruk.core.errors import GomrukError
from gomruk.declarations.models import Declaration
from gomruk.declarations.services import parse_document
from gomruk.printing.render import render_declaration
from gomruk.printing.services import declaration_render


class Command(BaseCommand):
    help = "Print a declaration (JSON file or stored declaration id) to PDF / Bəyannaməni PDF-ə çap edir"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source", help="JSON document file, or the UUID of a stored declaration"
        )
        parser.add_argument("-o", "--output", required=True, help="PDF file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        output = Path(options["output"])
        path = Path(source)
        if path.is_file():
            try:
                document = parse_document(path.read_bytes())
            except GomrukError as exc:
                raise CommandError(f"{exc.message_az} / {exc.message_en} {exc.details}") from exc
            content = render_declaration(document)
        else:
            try:
                declaration = Declaration.objects.get(pk=uuid.UUID(source))
            except (ValueError, Declaration.DoesNotExist) as exc:
                raise CommandError(
                    f"«{source}» nə fayl, nə də bəyannamə identifikatorudur. / "
                    f"'{source}' is neither a file nor a declaration id."
                ) from exc
            content = declaration_render(declaration).content
        output.write_bytes(content)
        self.stdout.write(f"{output} ({len(content)} bayt / bytes)")
