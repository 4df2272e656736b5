"""Background work of notifications (django-tasks, database backend; run by the worker).

* ``dispatch_events`` — read the outbox, then e-mail and deliver what it produced;
* ``send_emails`` — one e-mail per notification not yet e-mailed;
* ``deliver_webhook`` — one attempt; a failure re-enqueues itself with ``run_after`` on an
  exponential backoff until the delivery's 24 hours are over.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

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
        dispatch_events.using(run_after=timezone.now() + outbox.SETTLE + timedelta(seconds=1)).enqueue()
    return {"events": result.events, "notifications": len(result.notifications),
            "deliveries": len(result.deliveries)}


@task()
def send_emails(notification_ids: list[int]) -> int:
    return mail.notifications_email(notification_ids)


@task()
def deliver_webhook(delivery_id: str) -> str:
    outcome = deliveries.attempt(delivery_id)
    if outcome.retry_at is not None:
        deliver_webhook.using(run_after=outcome.retry_at).enqueue(delivery_id)
    return outcome.status
