"""Background tasks of the core app, run by ``gomruk worker`` (django-tasks, database backend)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django_tasks import task

from gomruk.core.audit import audit_checkpoint, audit_seal, sealing_mode
from gomruk.core.periodic import Periodic


@task(queue_name="audit")
def audit_maintain() -> dict[str, int]:
    """Seal what deferred writers left pending and write a checkpoint when one is due; then
    schedule the next run (ADR 0004)."""
    try:
        report = audit_seal()
        checkpoint = audit_checkpoint()
        return {
            "sealed": report.sealed,
            "refused": len(report.refused),
            "checkpoint": checkpoint.sequence if checkpoint else 0,
        }
    finally:
        AUDIT_MAINTENANCE.schedule()


def _next_run(now: datetime) -> datetime:
    # Deferred mode: entries wait for this task to be linked. Immediate mode: writers link
    # their own entries, and the task only has checkpoints to write.
    if sealing_mode() == "deferred":
        return now + timedelta(seconds=float(settings.GOMRUK_AUDIT_SEAL_INTERVAL))
    return now + timedelta(seconds=float(settings.GOMRUK_AUDIT_CHECKPOINT_INTERVAL))


AUDIT_MAINTENANCE = Periodic(task=audit_maintain, next_run=_next_run, start_now=True)
