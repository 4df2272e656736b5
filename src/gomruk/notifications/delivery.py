"""One attempt of a webhook delivery and what follows from it (success, retry, give up)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gomruk.notifications.models import DeliveryAttempt, DeliveryStatus, WebhookDelivery
from gomruk.notifications.webhooks import SIGNATURE_HEADER, post, sign

MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_at: datetime | None = None


def backoff(attempts: int) -> timedelta:
    """30 s, 60 s, 120 s … doubling after each failed attempt, at most an hour apart."""
    seconds = float(settings.GOMRUK_WEBHOOK_BACKOFF) * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def attempt(delivery_id: str, *, manual: bool = False) -> Outcome:
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update().select_related("webhook").filter(pk=delivery_id).first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return Outcome("skipped")
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=1) and not manual:
            return Outcome("not_due")
        if not delivery.webhook.active:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = "webhook deactivated"
            delivery.save(update_fields=["status", "last_error"])
            return Outcome("failed")
        # A lease: another worker that picks the same task meanwhile finds it not due.
        delivery.next_attempt_at = now + timedelta(seconds=float(settings.GOMRUK_WEBHOOK_TIMEOUT) * 3)
        delivery.save(update_fields=["next_attempt_at"])
    body = delivery.body.encode()
    timestamp = int(timezone.now().timestamp())
    response = post(
        delivery.webhook.url,
        body=body,
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Gomruk-Webhooks/1",
            "Gomruk-Event": delivery.event,
            "Gomruk-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: sign(delivery.webhook.secret, timestamp, body),
        },
    )
    succeeded = response.status is not None and 200 <= response.status < 300
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        DeliveryAttempt.objects.create(
            delivery=delivery, status_code=response.status, error=response.error,
            duration_ms=response.duration_ms, manual=manual,
        )
        delivery.attempts += 1
        delivery.last_status_code = response.status
        delivery.last_error = response.error or ("" if succeeded else f"HTTP {response.status}")
        retry_at = None
        if succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
        else:
            retry_at = timezone.now() + backoff(delivery.attempts)
            if retry_at > delivery.retry_until:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
                retry_at = None
            else:
                delivery.next_attempt_at = retry_at
        delivery.save()
    return Outcome(delivery.status, retry_at)
