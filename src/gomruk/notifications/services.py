"""Writes of notifications: webhooks of broker software, redelivery, reading notifications."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gomruk.accounts.models import Role, User
from gomruk.core.audit import audit_record
from gomruk.core.errors import NotFound, PermissionDenied
from gomruk.notifications.errors import ERRORS
from gomruk.notifications.models import (
    DeliveryStatus,
    EventType,
    Notification,
    Webhook,
    WebhookDelivery,
)
from gomruk.notifications.webhooks import resolve_target

MAX_WEBHOOKS = 10


def _require_trader(user: Any) -> None:
    if getattr(user, "role", None) not in (Role.DECLARANT, Role.REPRESENTATIVE):
        raise PermissionDenied(
            "Webhook-ları yalnız bəyannaməçi və ya təmsilçi yarada bilər.",
            "Only a declarant or a representative may manage webhooks.",
        )


def webhook_create(*, user: User, url: str, events: list[str]) -> tuple[Webhook, str]:
    """The webhook and its secret (shown once: only the owner's software keeps it)."""
    _require_trader(user)
    url = (url or "").strip()
    unknown = sorted(set(events) - set(EventType.values))
    if not events or unknown:
        raise ERRORS.error(
            "unknown_event", status=422, details={"field": "events", "allowed": list(EventType.values)},
            events=", ".join(unknown),
        )
    if len(url) > 500:
        raise ERRORS.error("webhook_url_refused#too_long", status=422, details={"field": "url"})
    resolve_target(url)
    secret = "whsec_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        if Webhook.objects.filter(owner=user, active=True).count() >= MAX_WEBHOOKS:
            raise ERRORS.error("too_many_webhooks", status=409, limit=MAX_WEBHOOKS)
        webhook = Webhook.objects.create(owner=user, url=url, events=sorted(set(events)), secret=secret)
        audit_record(actor=user, action="webhook.create", object_type="webhook", object_id=str(webhook.pk),
                     details={"url": url, "events": webhook.events})
    return webhook, secret


def webhook_of(*, user: User, webhook_id: Any, lock: bool = False) -> Webhook:
    rows = Webhook.objects.filter(owner=user)
    if lock:
        rows = rows.select_for_update()
    try:
        return rows.get(pk=webhook_id)
    except (Webhook.DoesNotExist, ValidationError, ValueError) as exc:
        raise NotFound("Webhook", "Webhook", id=str(webhook_id)) from exc


def webhook_deactivate(*, user: User, webhook_id: Any) -> Webhook:
    with transaction.atomic():
        webhook = webhook_of(user=user, webhook_id=webhook_id, lock=True)
        webhook.active = False
        webhook.save(update_fields=["active"])
        audit_record(actor=user, action="webhook.deactivate", object_type="webhook", object_id=str(webhook.pk))
    return webhook


def delivery_redeliver(*, user: User, webhook_id: Any, delivery_id: Any) -> WebhookDelivery:
    """Send a delivery again by hand (same body, a fresh 24 hours of retries)."""
    from gomruk.notifications.tasks import deliver_webhook

    with transaction.atomic():
        webhook = webhook_of(user=user, webhook_id=webhook_id)
        try:
            delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id, webhook=webhook)
        except (WebhookDelivery.DoesNotExist, ValidationError, ValueError) as exc:
            raise NotFound("Çatdırılma", "Delivery", id=str(delivery_id)) from exc
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now()
        delivery.retry_until = timezone.now() + timedelta(hours=settings.GOMRUK_WEBHOOK_RETRY_HOURS)
        delivery.save(update_fields=["status", "next_attempt_at", "retry_until"])
        audit_record(actor=user, action="webhook.redeliver", object_type="webhook.delivery",
                     object_id=str(delivery.pk), details={"webhook": str(webhook.pk)})
        transaction.on_commit(lambda: deliver_webhook.enqueue(str(delivery.pk)))
    return delivery


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the given notifications (all when ``ids`` is None) of this user read."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())
