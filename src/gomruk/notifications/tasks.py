"""Background work of notifications (django-tasks, database backend; run by the worker).

* ``dispatch_events`` — read the outbox, then e-mail and deliver what it produced;
* ``send_emails`` — one e-mail per notification not yet e-mailed;
* ``deliver_webhook`` — one attempt; a failure re-enqueues itself with ``run_after`` on an
  exponential backoff until the delivery's 24 hours are over.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from gomruk.core.periodic import run_waiting
from gomruk.notifications import delivery as deliveries
from gomruk.notifications import mail, outbox

logger = logging.getLogger(__name__)


@task()
def dispatch_events() -> dict[str, int]:
    result = outbox.dispatch()
    if result.notifications:
        send_emails.enqueue(result.notifications)
    for delivery_id in result.deliveries:
        deliver_webhook.enqueue(delivery_id)
    if result.unsettled:
        # Events younger than SETTLE were handled but the cursor waits for them to settle:
        # a later run moves it (and catches any event committed late with a smaller id).
        dispatch_ask(at=timezone.now() + outbox.SETTLE + timedelta(seconds=1))
    return {"events": result.events, "notifications": len(result.notifications),
            "deliveries": len(result.deliveries)}


def dispatch_ask(*, at: datetime | None = None) -> bool:
    """Enqueue a dispatch (to run at ``at``, else now) unless one that has not started yet is
    due by then: that run reads every event committed before it starts, so it does this one's
    work. Under load every send asked for a run of its own, and each run reads the whole
    settling window (issue 17). A run that finds events still settling asks again for later,
    so while any event is unsettled a run is waiting or running. True if this enqueued one."""
    if isinstance(dispatch_events.get_backend(), DatabaseBackend) and run_waiting(
        dispatch_events, due=at or timezone.now()
    ):
        return False
    (dispatch_events.using(run_after=at) if at is not None else dispatch_events).enqueue()
    return True


@task()
def send_emails(notification_ids: list[int]) -> int:
    return mail.notifications_email(notification_ids)


@task()
def deliver_webhook(delivery_id: str) -> str:
    outcome = deliveries.attempt(delivery_id)
    if outcome.retry_at is not None:
        deliver_webhook.using(run_after=outcome.retry_at).enqueue(delivery_id)
    return outcome.status
