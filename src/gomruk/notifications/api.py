"""Webhooks (mounted at /webhooks) and the caller's notifications (at /notifications)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.core.i18n import is_english
from gomruk.notifications import selectors, services
from gomruk.notifications.models import EventType, Notification, Webhook, WebhookDelivery

router = Router(tags=["webhooks"], auth=bearer_auth)
notifications_router = Router(tags=["notifications"], auth=bearer_auth)


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="http(s) URL of the broker software's receiver")
    events: list[str] = Field(description=", ".join(EventType.values), min_length=1, max_length=20)


class WebhookOut(Schema):
    id: uuid.UUID
    url: str
    events: list[str]
    active: bool
    created_at: dt.datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="HMAC-SHA256 key of Gomruk-Signature; shown only now")


class AttemptOut(Schema):
    at: dt.datetime
    status_code: int | None
    error: str
    duration_ms: int
    manual: bool


class DeliveryOut(Schema):
    id: uuid.UUID
    event: str
    status: str
    attempts: int
    last_status_code: int | None
    last_error: str
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    body: dict[str, Any]
    attempt_log: list[AttemptOut]


class DeliveriesOut(Schema):
    items: list[DeliveryOut]


class WebhooksOut(Schema):
    items: list[WebhookOut]


def _webhook(webhook: Webhook) -> WebhookOut:
    return WebhookOut(id=webhook.pk, url=webhook.url, events=webhook.events, active=webhook.active,
                      created_at=webhook.created_at)


def _delivery(delivery: WebhookDelivery) -> DeliveryOut:
    import json

    return DeliveryOut(
        id=delivery.pk, event=delivery.event, status=delivery.status, attempts=delivery.attempts,
        last_status_code=delivery.last_status_code, last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at, created_at=delivery.created_at, delivered_at=delivery.delivered_at,
        body=json.loads(delivery.body or "{}"),
        attempt_log=[AttemptOut(at=a.at, status_code=a.status_code, error=a.error, duration_ms=a.duration_ms,
                                manual=a.manual) for a in delivery.attempt_rows.all()],
    )


@router.post("", response={201: WebhookCreated, **PROBLEM_RESPONSES},
             summary="Register a webhook; the answer carries its signing secret (once)")
def create(request: HttpRequest, payload: WebhookIn) -> Status:
    webhook, secret = services.webhook_create(user=caller(request), url=payload.url, events=payload.events)
    return Status(201, WebhookCreated(**_webhook(webhook).dict(), secret=secret))


@router.get("", response={200: WebhooksOut, **PROBLEM_RESPONSES}, summary="The caller's webhooks")
def list_webhooks(request: HttpRequest) -> WebhooksOut:
    return WebhooksOut(items=[_webhook(w) for w in selectors.webhooks_of(caller(request))])


@router.delete("/{uuid:webhook_id}", response={200: WebhookOut, **PROBLEM_RESPONSES},
               summary="Deactivate a webhook (its deliveries stay visible)")
def deactivate(request: HttpRequest, webhook_id: uuid.UUID) -> WebhookOut:
    return _webhook(services.webhook_deactivate(user=caller(request), webhook_id=webhook_id))


@router.get("/{uuid:webhook_id}/deliveries", response={200: DeliveriesOut, **PROBLEM_RESPONSES},
            summary="Deliveries of a webhook, newest first, with every attempt")
def deliveries(request: HttpRequest, webhook_id: uuid.UUID, limit: int = 100) -> DeliveriesOut:
    rows = selectors.deliveries_of(user=caller(request), webhook_id=webhook_id)[: max(1, min(limit, 500))]
    return DeliveriesOut(items=[_delivery(d) for d in rows])


@router.post("/{uuid:webhook_id}/deliveries/{uuid:delivery_id}/redeliver",
             response={202: DeliveryOut, **PROBLEM_RESPONSES}, summary="Send a delivery again")
def redeliver(request: HttpRequest, webhook_id: uuid.UUID, delivery_id: uuid.UUID) -> Status:
    delivery = services.delivery_redeliver(user=caller(request), webhook_id=webhook_id, delivery_id=delivery_id)
    return Status(202, _delivery(delivery))


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    voen: str
    declaration_id: uuid.UUID | None
    arrival_id: uuid.UUID | None
    data: dict[str, Any]
    read: bool
    created_at: dt.datetime


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]


class ReadIn(Schema):
    ids: list[int] | None = Field(default=None, description="None: all")


def _notification(row: Notification) -> NotificationOut:
    english = is_english()
    return NotificationOut(
        id=row.pk, event=row.event, title=row.title_en if english else row.title_az, voen=row.voen,
        declaration_id=row.declaration_id, arrival_id=row.arrival_id, data=row.data, read=row.read_at is not None,
        created_at=row.created_at,
    )


@notifications_router.get("", response={200: NotificationsOut, **PROBLEM_RESPONSES},
                          summary="The caller's notifications, newest first")
def notifications(request: HttpRequest, unread: bool = False, limit: int = 100) -> NotificationsOut:
    user = caller(request)
    rows = selectors.notifications_of(user, unread=unread)
    return NotificationsOut(unread=selectors.unread_count(user),
                            items=[_notification(n) for n in rows[: max(1, min(limit, 500))]])


@notifications_router.post("/read", response={200: NotificationsOut, **PROBLEM_RESPONSES},
                           summary="Mark notifications read")
def mark_read(request: HttpRequest, payload: ReadIn) -> NotificationsOut:
    user = caller(request)
    services.notifications_mark_read(user=user, ids=payload.ids)
    return NotificationsOut(unread=selectors.unread_count(user), items=[])
