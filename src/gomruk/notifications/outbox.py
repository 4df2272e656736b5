"""The outbox: the lower apps' immutable event rows are read in id order after their commit
and turned into notifications, e-mails and webhook deliveries.

* ``events_written`` is the hook the lower apps call inside their transaction; it only asks
  for a dispatch after the commit, so a failure here never touches the transition.
* ``dispatch`` reads every event after the stream's cursor. An id can become visible after a
  larger one (concurrent transactions on PostgreSQL), so the cursor only moves past events
  older than ``SETTLE`` seconds; newer ones are read again next time, and the unique
  ``source`` per recipient makes a second reading a no-op. Nothing is missed, nothing is sent
  twice. A process remembers the events it has fanned out and committed (``_fanned_out``), so
  its next reading of the window loads and fans out only the others: under load the window
  holds a minute of events and every send asks for a run, so re-doing them all made the worker
  cost more than the request (issue 17). The memory only saves work: another process, or this
  one after a restart, reads them again and the unique ``source`` still makes that a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gomruk.accounts.models import Representation, TraderBinding, User
from gomruk.accounts.selectors import acting_voens
from gomruk.border.models import ArrivalEvent
from gomruk.declarations.models import StatusEvent
from gomruk.notifications.events import Outgoing, from_arrival_event, from_status_event, notifies
from gomruk.notifications.models import Notification, OutboxCursor, Webhook, WebhookDelivery
from gomruk.notifications.payloads import delivery_body

logger = logging.getLogger(__name__)

SETTLE = timedelta(seconds=60)
BATCH = 500
#: Per stream, (id, time) of the events this process fanned out and saw committed, still inside
#: the cursor's window (the time guards against an id given again after a rollback on SQLite).
_fanned_out: dict[str, set[tuple[int, Any]]] = {}
_FANNED_OUT_BOUND = 50_000


def _enqueue_dispatch() -> None:
    from gomruk.notifications.tasks import dispatch_ask

    try:
        dispatch_ask()
    except Exception:  # the event is safe in its table: the next dispatch reads it
        logger.exception("Could not enqueue the notification dispatch")


def events_written(*, transition: Any = None, **_: Any) -> None:
    """Hook of ``declaration.transitioned`` and ``border.arrivals_recorded``: one dispatch
    after this transaction commits (once, however many events it wrote). A transition whose
    event notifies nobody asks for none (no task row): the next dispatch passes over it."""
    if transition is not None and not notifies(transition.event):
        return
    pending = getattr(connection, "run_on_commit", [])
    if any(entry[1] is _enqueue_dispatch for entry in pending):
        return
    transaction.on_commit(_enqueue_dispatch, robust=True)


def recipients(voen: str) -> list[User]:
    """Users bound to the VÖEN and the representatives acting for it today."""
    today = timezone.localdate()
    bound = TraderBinding.objects.filter(trader__voen=voen).values_list("user_id", flat=True)
    represented = Representation.objects.filter(principal__voen=voen).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    ).values_list("representative_id", flat=True)
    ids = set(bound) | set(represented)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@dataclass
class DispatchResult:
    events: int = 0
    notifications: list[int] = field(default_factory=list)
    deliveries: list[str] = field(default_factory=list)
    unsettled: bool = False
    #: Active webhooks with the VÖENs their owners act for, read once per dispatch.
    webhooks: list[tuple[Webhook, frozenset[str]]] | None = None
    #: The users to notify per VÖEN, read once per dispatch (a run is seconds long; a binding
    #: or representation changed meanwhile counts from the next run).
    recipients: dict[str, list[User]] = field(default_factory=dict)


_DECLARATION_BULK = ("declaration__document", "declaration__pending_input", "declaration__computed_values")


def _streams() -> list[tuple[str, Any, Any]]:
    return [
        # An event names its declaration by number, state and office; the document (~100 KB for
        # 100 items) is not read — unsettled events are read again on every run (issue 17).
        ("status_events", StatusEvent.objects.select_related("declaration").defer(*_DECLARATION_BULK), from_status_event),
        ("arrival_events", ArrivalEvent.objects.select_related("arrival"), from_arrival_event),
    ]


def dispatch() -> DispatchResult:
    """Read what is new in every stream; create notifications and deliveries."""
    result = DispatchResult()
    for stream, rows, convert in _streams():
        while True:
            with transaction.atomic():
                cursor, _ = OutboxCursor.objects.select_for_update().get_or_create(stream=stream)
                window = list(rows.filter(pk__gt=cursor.position).order_by("pk").values_list("pk", "at")[:BATCH])
                known = _fanned_out.get(stream, set())
                fresh = [pk for pk, at in window if (pk, at) not in known]
                loaded = {event.pk: event for event in rows.filter(pk__in=fresh)} if fresh else {}
                settled_before = timezone.now() - SETTLE
                position, blocked = cursor.position, False
                outgoing: list[Outgoing] = []
                for pk, at in window:
                    event = loaded.get(pk)
                    if event is not None:
                        converted = convert(event)
                        if converted is not None:
                            outgoing.append(converted)
                    if not blocked and at < settled_before:
                        position = pk
                    else:
                        blocked = result.unsettled = True
                if outgoing:
                    _fan_out(outgoing, result)
                result.events += len(window)
                if position != cursor.position:
                    cursor.position = position
                    cursor.save(update_fields=["position", "updated_at"])
                done = {(pk, at) for pk, at in window if pk in loaded}
                transaction.on_commit(partial(_remember, stream, done, position))
            if len(window) < BATCH or blocked:
                break
    return result


def _remember(stream: str, done: set[tuple[int, Any]], position: int) -> None:
    known = _fanned_out.setdefault(stream, set())
    if len(known) > _FANNED_OUT_BOUND:
        known.clear()
    known.update(done)
    known.difference_update({entry for entry in known if entry[0] <= position})  # behind the cursor: never read again


def _fan_out(outgoing: list[Outgoing], result: DispatchResult) -> None:
    """The notifications of a window's events for their VÖENs' users, each (event, user) once,
    in three statements however many events the window holds (under load a run reads hundreds);
    then their webhook deliveries."""
    rows: list[Notification] = []
    for item in outgoing:
        if item.voen not in result.recipients:
            result.recipients[item.voen] = recipients(item.voen)
        rows.extend(
            Notification(
                user=user, voen=item.voen, event=item.event, source=item.source,
                declaration_id=item.declaration_id, arrival_id=item.arrival_id,
                title_az=item.title_az, title_en=item.title_en, data=item.data,
            )
            for user in result.recipients[item.voen]
        )
    if rows:
        existing = set(
            Notification.objects.filter(
                source__in={row.source for row in rows}, user_id__in={row.user_id for row in rows}
            ).values_list("source", "user_id")
        )
        new = [row for row in rows if (row.source, row.user_id) not in existing]
        if new:
            Notification.objects.bulk_create(new, ignore_conflicts=True)
            made = {(row.source, row.user_id) for row in new}
            written = Notification.objects.filter(
                source__in={source for source, _ in made}, user_id__in={user for _, user in made}
            ).order_by("pk").values_list("pk", "source", "user_id")
            result.notifications.extend(pk for pk, source, user in written if (source, user) in made)
    for item in outgoing:
        for webhook in _subscribed(item, result):
            delivery, created = WebhookDelivery.objects.get_or_create(
                webhook=webhook, source=item.source,
                defaults={
                    "event": item.event,
                    "body": "",
                    "retry_until": timezone.now() + timedelta(hours=settings.GOMRUK_WEBHOOK_RETRY_HOURS),
                    "next_attempt_at": timezone.now(),
                },
            )
            if created:
                delivery.body = delivery_body(delivery, item)
                delivery.save(update_fields=["body"])
                result.deliveries.append(str(delivery.pk))


def _subscribed(outgoing: Outgoing, result: DispatchResult) -> Iterable[Webhook]:
    if result.webhooks is None:
        active = Webhook.objects.filter(active=True).select_related("owner").order_by("created_at")
        result.webhooks = [(webhook, acting_voens(webhook.owner)) for webhook in active]
    for webhook, voens in result.webhooks:
        if outgoing.event in webhook.events and outgoing.voen in voens:
            yield webhook
