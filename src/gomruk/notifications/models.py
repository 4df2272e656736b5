"""What the service tells traders: in-portal notifications, and webhooks for broker software
with every delivery and attempt kept.

The events are the immutable rows of the lower apps (``declarations.StatusEvent``,
``border.ArrivalEvent``); :class:`OutboxCursor` remembers how far they were read. A
notification and a delivery carry the ``source`` event they come from, unique per recipient,
so reading an event twice never notifies twice.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxCursor(models.Model):
    """The id of the last event of ``stream`` known to be handled, with every event before it."""

    stream = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class EventType(models.TextChoices):
    SENT = "declaration.sent", _("Bəyannamə göndərildi")
    REGISTERED = "declaration.registered", _("Bəyannamə qeydiyyata alındı")
    CHANNEL_ASSIGNED = "declaration.channel_assigned", _("Nəzarət dəhlizi təyin edildi")
    RETURNED = "declaration.returned", _("Bəyannamə düzəliş üçün qaytarıldı")
    RELEASED = "declaration.released", _("Mallar buraxıldı")
    REFUSED = "declaration.refused", _("Buraxılışdan imtina edildi")
    ARRIVAL = "border.arrival", _("Sərhəddə mal qeydə alındı")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    voen = models.CharField(max_length=10)
    event = models.CharField(max_length=40, choices=EventType.choices)
    source = models.CharField(max_length=60)
    declaration_id = models.UUIDField(null=True, blank=True)
    arrival_id = models.UUIDField(null=True, blank=True)
    title_az = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "source"], name="notification_once_per_user")]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_list"),
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]
        verbose_name = _("bildiriş")
        verbose_name_plural = _("bildirişlər")


class Webhook(models.Model):
    """A broker system's endpoint; it receives the events of the VÖENs its owner acts for."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    # The shared secret must be read back to sign each delivery, so it cannot be hashed.
    secret = models.CharField(max_length=80)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Gözləyir")
    SUCCEEDED = "succeeded", _("Çatdırıldı")
    FAILED = "failed", _("Çatdırılmadı")


class WebhookDelivery(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    source = models.CharField(max_length=60)
    #: The exact JSON body: every attempt and a redelivery send the same bytes.
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    retry_until = models.DateTimeField()
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["webhook", "source"], name="delivery_once_per_webhook")]


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_rows")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    manual = models.BooleanField(default=False)

    class Meta:
        ordering = ["delivery", "at", "id"]
