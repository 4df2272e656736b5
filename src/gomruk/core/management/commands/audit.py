from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gomruk.core.audit import audit_checkpoint, audit_seal, audit_verify
from gomruk.core.audit_keys import public_key_id, public_key_pem


class Command(BaseCommand):
    help = (
        "Audit trail tools. 'verify' checks the chain, its keys and its checkpoints (exit 1 on any "
        "break); 'seal' links entries still pending and writes a checkpoint; 'public-key' prints "
        "the key that checks published checkpoints."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("action", choices=["verify", "seal", "public-key"])
        parser.add_argument(
            "--checkpoints", action="append", default=[], metavar="FILE",
            help="verify: also compare with checkpoints kept elsewhere (JSON lines, as published)",
        )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        action = options["action"]
        if action == "public-key":
            self.stdout.write(f"Ed25519 key {public_key_id()}\n{public_key_pem()}")
            return
        if action == "seal":
            self._seal()
            return
        files = [Path(name) for name in options["checkpoints"]]
        for path in files:
            if not path.is_file():
                raise CommandError(f"No such checkpoint file: {path}")
        report = audit_verify(checkpoint_files=files)
        pending = f"; {report.pending} pending sealing" if report.pending else ""
        if report.ok:
            anchors = (
                f"{report.checkpoints} checkpoints match" if report.checkpoints
                else "no checkpoint yet, so entries cut off the end could not be noticed"
            )
            self.stdout.write(f"OK: {report.checked} audit entries, chain intact, {anchors}{pending}.")
            return
        lines = [f"BROKEN: {len(report.breaks) + sum(report.omitted.values())} problems in the audit trail "
                 f"({report.checked} entries checked{pending}):"]
        lines += [f"  [{b.kind}] {b.message}" for b in report.breaks]
        lines += [f"  [{kind}] … and {count} more" for kind, count in report.omitted.items()]
        self.stdout.write("\n".join(lines))
        raise CommandError(f"audit trail BROKEN at entry #{report.broken_at}: {report.reason}"
                           if report.broken_at is not None else f"audit trail BROKEN: {report.reason}")

    def _seal(self) -> None:
        report = audit_seal()
        checkpoint = audit_checkpoint(force=True)
        written = f"; checkpoint #{checkpoint.sequence} written" if checkpoint else ""
        self.stdout.write(f"Sealed {report.sealed} pending audit entries{written}.")
        if report.refused:
            raise CommandError(
                f"Refused {len(report.refused)} entries whose MAC does not match (forged, altered, or "
                f"written with another GOMRUK_AUDIT_KEY): ids {report.refused[:20]}."
            )
