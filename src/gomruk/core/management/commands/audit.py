from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from gomruk.core.audit import audit_seal, audit_verify


class Command(BaseCommand):
    help = (
        "Audit trail tools. 'gomruk audit verify' checks the hash chain; 'gomruk audit seal' "
        "links entries still pending (deferred sealing) into it."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["verify", "seal"])

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if options["action"] == "seal":
            self.stdout.write(f"Sealed {audit_seal()} pending audit entries.")
            return
        report = audit_verify()
        pending = f"; {report.pending} pending sealing" if report.pending else ""
        if report.ok:
            self.stdout.write(f"OK: {report.checked} audit entries, chain intact{pending}.")
            return
        raise CommandError(
            f"BROKEN at audit entry #{report.broken_at}: {report.reason} "
            f"({report.checked} entries before it are intact{pending})."
        )
