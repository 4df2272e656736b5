"""``gomruk asan approve|reject|list --phone P [--code NNNN]``: answer as the simulated phone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gomruk.core.errors import GomrukError
from gomruk.signatures.selectors import asan_pending_for_phone
from gomruk.signatures.services import asan_phone_confirm


class Command(BaseCommand):
    help = "Asan İmza simulator: list, approve or reject the signing requests waiting on a phone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["approve", "reject", "list"])
        parser.add_argument("--phone", required=True, help="the phone number, e.g. +994501234567")
        parser.add_argument("--code", help="the 4-digit verification code (needed when several wait)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            pending = asan_pending_for_phone(phone_number=options["phone"])
        except GomrukError as error:
            raise CommandError(error.message_en) from error
        if options["code"]:
            pending = [tx for tx in pending if tx.verification_code == options["code"]]
        if options["action"] == "list":
            for tx in pending:
                self.stdout.write(f"{tx.verification_code}  {tx.id}  {tx.purpose} {tx.object_id}  expires {tx.expires_at:%H:%M:%S}")
            return
        if not pending:
            raise CommandError("no pending request for this phone" + (" and code" if options["code"] else ""))
        if len(pending) > 1:
            codes = ", ".join(tx.verification_code for tx in pending)
            raise CommandError(f"{len(pending)} requests are waiting ({codes}); choose one with --code")
        try:
            tx = asan_phone_confirm(transaction_id=pending[0].id, approve=options["action"] == "approve")
        except GomrukError as error:
            raise CommandError(error.message_en) from error
        self.stdout.write(f"{tx.verification_code} {tx.state} ({tx.id})")
