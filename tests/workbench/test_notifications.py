"""Notifications: the outbox turns committed events into in-portal notifications, e-mails and
signed webhook deliveries, run by the django-tasks database worker."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gomruk.accounts.models import User
from gomruk.border.schemas import ArrivalIn
from gomruk.border.services import arrival_register
from gomruk.core.errors import GomrukError
from gomruk.declarations.models import State
from gomruk.notifications import delivery as deliveries
from gomruk.notifications import outbox
from gomruk.notifications.models import DeliveryStatus, EventType, Notification, WebhookDelivery
from gomruk.notifications.services import webhook_create
from gomruk.notifications.webhooks import resolve_target, sign, verify
from tests.api.api_helpers import ApiClient, password_token
from tests.workbench.conftest import run_tasks

# serialized_rollback: like every committing test, leave the data migrations' rows as found.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

JOURNEY_EVENTS = [
    EventType.SENT, EventType.REGISTERED, EventType.CHANNEL_ASSIGNED, EventType.RETURNED,
    EventType.RELEASED, EventType.REFUSED, EventType.ARRIVAL,
]


class Receiver:
    """A broker system's webhook endpoint on loopback; answers from ``statuses`` in turn."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.requests: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/gomruk"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(statuses: list[int] | None = None) -> Receiver:
        made.append(Receiver(statuses or []))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def webhook_settings(settings):
    settings.GOMRUK_WEBHOOK_ALLOW_PRIVATE = True
    settings.GOMRUK_WEBHOOK_BACKOFF = 0  # a retry is due at once: the batch worker runs it
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox.SETTLE = dt.timedelta(0)
    yield settings
    outbox.SETTLE = dt.timedelta(seconds=60)


def _arrival_for(voen: str, officer: User) -> None:
    arrival_register(officer=officer, data=ArrivalIn.model_validate({
        "post_code": "00102", "consignee_voen": voen, "consignee_name": "Xəzər Ticarət MMC",
        "arrived_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(), "transport_mode": "30",
        "vehicle_identifiers": "10-AB-123", "vehicle_count": 1, "transport_country": "268",
        "consignor_name": "Georgian Tea LLC", "consignor_country": "GE", "description": "Qara çay",
        "commodity_codes": ["0902300000"], "gross_mass": "1250.5", "documents": [],
    }))


def _full_journey(journey) -> None:
    """Every event a trader is told of: sent, registered, channel, returned (one declaration),
    released, refused (two more), and goods arriving at the border in its name."""
    journey.at(State.RETURNED)
    journey.at(State.RELEASED)
    journey.at(State.REFUSED)
    _arrival_for("1401555071", journey.users["post_officer"])


def test_a_loopback_receiver_gets_a_signed_delivery_for_each_event_retries_after_500_and_stops(
    journey, webhook_settings, receiver
):
    hook = receiver([500])
    user = journey.users["deklarant"]
    user.email = "aygun@example.az"
    user.save()
    webhook, secret = webhook_create(user=user, url=hook.url, events=list(EventType.values))
    _full_journey(journey)
    run_tasks()

    deliveries_by_type: dict[str, list[WebhookDelivery]] = {}
    for row in WebhookDelivery.objects.filter(webhook=webhook):
        deliveries_by_type.setdefault(row.event, []).append(row)
    assert set(deliveries_by_type) == set(JOURNEY_EVENTS)
    assert all(d.status == DeliveryStatus.SUCCEEDED for rows in deliveries_by_type.values() for d in rows)
    # The first request was answered 500: that delivery was tried again and then succeeded.
    retried = [d for rows in deliveries_by_type.values() for d in rows if d.attempts == 2]
    assert len(retried) == 1 and retried[0].attempt_rows.first().status_code == 500
    total = sum(len(rows) for rows in deliveries_by_type.values())
    assert len(hook.requests) == total + 1

    seen_types = set()
    for headers, body in hook.requests:
        signature = headers["Gomruk-Signature"]
        assert verify(secret, signature, body)
        timestamp = int(signature.split(",")[0][2:])
        assert signature == sign(secret, timestamp, body)
        payload = json.loads(body)
        assert headers["Gomruk-Event"] == payload["type"] and headers["Gomruk-Delivery"] == payload["id"]
        assert WebhookDelivery.objects.filter(pk=payload["id"], event=payload["type"]).exists()
        seen_types.add(payload["type"])
        assert not verify("whsec_wrong", signature, body)
        assert not verify(secret, signature, body + b" ")
    assert seen_types == set(JOURNEY_EVENTS)
    returned = json.loads(deliveries_by_type[EventType.RETURNED][0].body)
    assert returned["data"]["reasons"] == [{"box": "33", "item": 1, "text": "Kod səhvdir"}]
    channel = json.loads(deliveries_by_type[EventType.CHANNEL_ASSIGNED][0].body)
    assert channel["data"]["channel"] == "yellow" and "Risk profili" not in deliveries_by_type[
        EventType.CHANNEL_ASSIGNED][0].body

    # Success stops the retries: another worker run sends nothing more.
    run_tasks()
    assert len(hook.requests) == total + 1

    # E-mail in the outbox for each event, once.
    subjects = [m.subject for m in mail.outbox if m.to == ["aygun@example.az"]]
    notified = Notification.objects.filter(user=user)
    assert len(subjects) == notified.count() == total
    assert {n.event for n in notified} == set(JOURNEY_EVENTS)
    assert any("qaytarıldı (qrafalar: 33/1)" in s for s in subjects)


def test_deliveries_are_listed_and_redelivered_by_hand(journey, webhook_settings, receiver):
    hook = receiver()
    token = password_token("deklarant")
    api = ApiClient(token)
    created = api.post("/webhooks", {"url": hook.url, "events": [EventType.SENT]})
    assert created.status_code == 201, created.content
    webhook_id, secret = created.json()["id"], created.json()["secret"]
    assert secret.startswith("whsec_")
    assert "secret" not in api.get("/webhooks").json()["items"][0]
    journey.at(State.SENT)
    run_tasks()
    items = api.get(f"/webhooks/{webhook_id}/deliveries").json()["items"]
    assert [(d["event"], d["status"], d["attempts"]) for d in items] == [("declaration.sent", "succeeded", 1)]
    again = api.post(f"/webhooks/{webhook_id}/deliveries/{items[0]['id']}/redeliver")
    assert again.status_code == 202
    run_tasks()
    items = api.get(f"/webhooks/{webhook_id}/deliveries").json()["items"]
    assert items[0]["attempts"] == 2 and items[0]["status"] == "succeeded"
    assert hook.requests[0][1] == hook.requests[1][1]  # the same body, re-signed
    # Another trader sees neither the webhook nor its deliveries.
    stranger = ApiClient(password_token("deklarant2"))
    assert stranger.get(f"/webhooks/{webhook_id}/deliveries").status_code == 404


def test_a_failing_receiver_is_retried_with_backoff_until_the_window_closes(journey, webhook_settings, receiver,
                                                                           settings):
    settings.GOMRUK_WEBHOOK_BACKOFF = 30
    hook = receiver([500, 503, 500])
    webhook_create(user=journey.users["deklarant"], url=hook.url, events=[EventType.SENT])
    journey.at(State.SENT)
    run_tasks()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(seconds=25)
    assert deliveries.backoff(1) == dt.timedelta(seconds=30)
    assert deliveries.backoff(3) == dt.timedelta(seconds=120)
    assert deliveries.backoff(20) == dt.timedelta(hours=1)
    # Not due yet: a worker run does not send it early.
    run_tasks()
    assert len(hook.requests) == 1
    # Past the 24 hours, a failed attempt gives up.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now(), retry_until=timezone.now() + dt.timedelta(seconds=5)
    )
    assert deliveries.attempt(str(delivery.pk)).status == DeliveryStatus.FAILED
    assert deliveries.attempt(str(delivery.pk)).status == "skipped"
    assert len(hook.requests) == 2


def test_private_and_loopback_urls_are_refused_unless_allowed(journey, settings, receiver):
    settings.GOMRUK_WEBHOOK_ALLOW_PRIVATE = False
    user = journey.users["deklarant"]
    for url in ("http://127.0.0.1:9/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.5/",
                "http://[::1]/x", "http://169.254.169.254/latest", "ftp://example.az/", "http://u:p@example.az/"):
        with pytest.raises(GomrukError) as caught:
            webhook_create(user=user, url=url, events=[EventType.SENT])
        assert caught.value.details["field"] == "url", url
    # Checked again at delivery time: a host that now resolves to loopback is not posted to.
    settings.GOMRUK_WEBHOOK_ALLOW_PRIVATE = True
    hook = receiver()
    webhook_create(user=user, url=hook.url, events=[EventType.SENT])
    settings.GOMRUK_WEBHOOK_ALLOW_PRIVATE = False
    outbox.SETTLE = dt.timedelta(0)
    try:
        journey.at(State.SENT)
        run_tasks()
    finally:
        outbox.SETTLE = dt.timedelta(seconds=60)
    delivery = WebhookDelivery.objects.get()
    assert hook.requests == [] and "private" in delivery.last_error and delivery.status == DeliveryStatus.PENDING
    with pytest.raises(GomrukError):
        resolve_target("http://127.0.0.1/")


def test_notifications_reach_the_vöen_users_and_representatives_only(journey, webhook_settings):
    journey.at(State.SENT)
    run_tasks()
    users = journey.users
    assert Notification.objects.filter(user=users["deklarant"], event=EventType.SENT).count() == 1
    assert Notification.objects.filter(user=users["broker"], event=EventType.SENT).count() == 1  # represents it
    assert not Notification.objects.filter(user=users["deklarant2"]).exists()
    # Reading the outbox again notifies no one twice.
    outbox.dispatch()
    run_tasks()
    assert Notification.objects.filter(user=users["deklarant"]).count() == 1


def test_the_portal_lists_notifications_with_the_unread_count(journey, webhook_settings):
    journey.at(State.SENT)
    run_tasks()
    client = Client()
    client.force_login(journey.users["deklarant"])
    page = client.get("/").content.decode()
    assert '<span class="badge"' in page
    listing = client.get("/notifications/").content.decode()
    assert "göndərildi" in listing
    client.post("/notifications/read/")
    assert Notification.objects.filter(user=journey.users["deklarant"], read_at__isnull=True).count() == 0
    api = ApiClient(password_token("deklarant"))
    assert api.get("/notifications").json()["unread"] == 0


def test_reading_the_outbox_leaves_declaration_documents_unread(journey, webhook_settings):
    """Unsettled events are read again on every run: their declarations' documents (~100 KB
    each for 100 items) must not come with them."""
    from gomruk.notifications.models import OutboxCursor

    journey.at(State.SENT)
    OutboxCursor.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        result = outbox.dispatch()
    assert result.events >= 1
    status_reads = [q["sql"] for q in queries.captured_queries if "declarations_statusevent" in q["sql"] and q["sql"].startswith("SELECT")]
    assert status_reads and not any('"declarations_declaration"."document"' in sql for sql in status_reads)


def test_a_process_does_not_fan_out_again_what_it_fanned_out(journey, webhook_settings, monkeypatch):
    """Inside the settling window every run reads the window again (an id may commit late);
    events this process already fanned out and committed are not loaded or fanned out again,
    while a process that does not know them (another worker, a restart) still adds nothing."""
    from gomruk.notifications.models import OutboxCursor

    journey.at(State.SENT)
    OutboxCursor.objects.all().delete()
    monkeypatch.setattr(outbox, "SETTLE", dt.timedelta(days=3650))  # every event still settling
    outbox.dispatch()
    notified = Notification.objects.count()
    assert notified >= 1

    fanned: list[object] = []
    original = outbox._fan_out
    monkeypatch.setattr(outbox, "_fan_out", lambda outgoing, result: (fanned.extend(outgoing), original(outgoing, result)))
    again = outbox.dispatch()
    assert again.events >= 1 and again.unsettled  # the window was read again …
    assert fanned == []  # … but nothing in it was fanned out a second time

    monkeypatch.setattr(outbox, "_fanned_out", {})  # another process: knows nothing
    outbox.dispatch()
    assert fanned  # it fans the window out again …
    assert Notification.objects.count() == notified  # … and the unique source makes that a no-op


def _dispatches_waiting() -> list[object]:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from gomruk.notifications.tasks import dispatch_events

    rows = DBTaskResult.objects.filter(task_path=dispatch_events.module_path, status=TaskResultStatus.READY)
    return list(rows.values_list("run_after", flat=True))


def test_sends_while_a_dispatch_waits_ask_for_no_other_and_all_are_notified(journey, webhook_settings):
    """A dispatch that has not started reads every event committed before it starts: a send
    committed meanwhile adds no run of its own (each run reads the whole settling window)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from gomruk.notifications.tasks import dispatch_ask

    run_tasks()
    first, second = journey.at(State.SENT), journey.at(State.SENT)
    assert len(_dispatches_waiting()) == 1
    # A run already started does not count: the next event asks for a run after it.
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(status=TaskResultStatus.RUNNING)
    assert dispatch_ask() is True and len(_dispatches_waiting()) == 1
    DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(status=TaskResultStatus.READY)
    run_tasks()
    for declaration in (first, second):
        assert Notification.objects.filter(declaration_id=declaration.pk, event=EventType.SENT).exists()


def test_a_later_dispatch_does_not_hold_back_one_due_now(journey, webhook_settings):
    """The run a dispatch asks for when events are still settling (a minute on) does not stand
    in for one due now; a run due before a later one does."""
    from gomruk.notifications.tasks import dispatch_ask

    run_tasks()
    later = timezone.now() + outbox.SETTLE + dt.timedelta(seconds=1)
    assert dispatch_ask(at=later) is True
    assert dispatch_ask() is True  # due now: the later one does not stand in
    assert dispatch_ask(at=later) is False  # the one due now runs first and asks again if needed
    assert dispatch_ask() is False
    assert len(_dispatches_waiting()) == 2


def _notification_statements(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]]


def test_a_window_is_fanned_out_in_the_same_statements_however_many_events_it_holds(journey, webhook_settings):
    """Each (event, user) is notified once, the run names exactly the notifications it wrote,
    and a window of four events costs the statements a window of one does."""
    from gomruk.notifications.models import OutboxCursor

    def dispatch_afresh():
        OutboxCursor.objects.all().delete()
        outbox._fanned_out.clear()
        with CaptureQueriesContext(connection) as queries:
            result = outbox.dispatch()
        return result, _notification_statements(queries)

    journey.at(State.SENT)
    Notification.objects.all().delete()
    one, one_statements = dispatch_afresh()
    for _ in range(3):
        journey.at(State.SENT)
    Notification.objects.all().delete()
    four, four_statements = dispatch_afresh()
    assert len(one.notifications) >= 1 and len(four.notifications) == 4 * len(one.notifications)
    assert len(four_statements) == len(one_statements) == 3
    rows = list(Notification.objects.values_list("pk", "source", "user_id"))
    assert sorted(four.notifications) == sorted(pk for pk, _, _ in rows)
    assert len({(source, user) for _, source, user in rows}) == len(rows)

    kept = Notification.objects.order_by("pk").first()
    Notification.objects.exclude(pk=kept.pk).delete()
    again, _ = dispatch_afresh()  # only what was missing is written, and named
    assert kept.pk not in again.notifications and len(again.notifications) == len(rows) - 1
    assert Notification.objects.count() == len(rows)
