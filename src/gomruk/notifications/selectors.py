"""Reads of notifications, always the caller's own."""

from __future__ import annotations

from django.db.models import QuerySet

from gomruk.accounts.models import User
from gomruk.notifications.models import Notification, Webhook, WebhookDelivery
from gomruk.notifications.services import webhook_of


def notifications_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def webhooks_of(user: User) -> QuerySet[Webhook]:
    return Webhook.objects.filter(owner=user).order_by("created_at")


def deliveries_of(*, user: User, webhook_id: object) -> QuerySet[WebhookDelivery]:
    webhook = webhook_of(user=user, webhook_id=webhook_id)
    return WebhookDelivery.objects.filter(webhook=webhook).prefetch_related("attempt_rows").order_by("-created_at")
