from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gomruk.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. 'gomruk audit verify' checks the hash chain."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        report = audit_verify()
        if report.ok:
            self.stdout.write(f"OK: {report.checked} audit entries, chain intact.")
            return
        raise CommandError(
            f"BROKEN at audit entry #{report.broken_at}: {report.reason} "
            f"({report.checked} entries before it are intact)."
        )
