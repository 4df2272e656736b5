"""From the lower apps' immutable event rows to what a trader is told: the event type, the
VÖEN it concerns, titles in both languages and the JSON ``data`` of a webhook delivery.

Only what the trader may already see goes out: state, channel colour, the per-box reasons of a
return and the refusal reason — never the risk assessment or the officer's channel reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from gomruk.border.models import Arrival, ArrivalEvent
from gomruk.customs.models import Channel, ChannelAssignment, ReturnReason
from gomruk.declarations.models import Declaration, State, StatusEvent
from gomruk.notifications.models import EventType
from gomruk.reference.snapshot import current_reference

STATE_EVENTS = {
    State.SENT: EventType.SENT,
    State.REGISTERED: EventType.REGISTERED,
    State.UNDER_CONTROL: EventType.CHANNEL_ASSIGNED,
    State.RETURNED: EventType.RETURNED,
    State.RELEASED: EventType.RELEASED,
    State.REFUSED: EventType.REFUSED,
}

# Since issue 19 every status event names its action; a step that keeps the state (an
# amendment request, a complaint, …) or another action (cancel, reopen) is not one of these.
ACTION_EVENTS = {
    "send": EventType.SENT,
    "register": EventType.REGISTERED,
    "assign_channel": EventType.CHANNEL_ASSIGNED,
    "reassign_channel": EventType.CHANNEL_ASSIGNED,
    "return": EventType.RETURNED,
    "release": EventType.RELEASED,
    "refuse": EventType.REFUSED,
}

def channel_names(channel: str) -> tuple[str, str]:
    """The channel's one label (issue 16.8), in Azerbaijani and English."""
    if channel not in Channel.values:
        return "—", "—"
    with translation.override("az"):
        az = str(Channel(channel).label)
    with translation.override("en"):
        en = str(Channel(channel).label)
    return az, en


@dataclass
class Outgoing:
    source: str
    event: str
    voen: str
    title_az: str
    title_en: str
    data: dict[str, Any] = field(default_factory=dict)
    declaration_id: Any = None
    arrival_id: Any = None


def _declaration_data(declaration: Declaration) -> dict[str, Any]:
    return {
        "id": str(declaration.pk),
        "registration_number": declaration.registration_number,
        "state": declaration.state,
        "trader_voen": declaration.trader_voen,
        "office_code": declaration.office_code,
        "version": declaration.version,
    }


def _kind(event: StatusEvent) -> EventType | None:
    action = (event.details or {}).get("action")
    if action is not None:
        return ACTION_EVENTS.get(str(action))
    if event.from_state == event.to_state or event.to_state not in State.values:
        return None
    return STATE_EVENTS.get(State(event.to_state))  # events written before actions were named


def notifies(event: StatusEvent) -> bool:
    """Whether the event becomes a notification (``from_status_event``): signing and
    confirming, most of a journey's steps, tell nobody."""
    return _kind(event) is not None


def from_status_event(event: StatusEvent) -> Outgoing | None:
    kind = _kind(event)
    if kind is None:
        return None
    declaration = event.declaration
    number = declaration.registration_number or str(declaration.pk)[:8]
    data: dict[str, Any] = {"declaration": _declaration_data(declaration), "at": event.at.isoformat()}
    data["declaration"]["state"] = event.to_state
    extra_az = extra_en = ""
    if kind == EventType.CHANNEL_ASSIGNED:
        channel = str(event.details.get("channel") or _assigned_channel(event) or "")
        data["channel"] = channel
        az, en = channel_names(channel)
        extra_az, extra_en = f": {az}", f": {en}"
    elif kind == EventType.RETURNED:
        reasons = [
            {"box": r.box, "item": r.item, "text": r.text}
            for r in ReturnReason.objects.filter(event=event).order_by("id")
        ] or list(event.details.get("reasons") or [])
        data["reasons"] = reasons
        boxes = ", ".join(f"{r['box']}" + (f"/{r['item']}" if r.get("item") else "") for r in reasons)
        extra_az, extra_en = f" (qrafalar: {boxes})", f" (boxes: {boxes})"
    elif kind == EventType.REFUSED:
        data["reason"] = event.reason
    titles = {
        EventType.SENT: ("göndərildi", "sent"),
        EventType.REGISTERED: ("qeydiyyata alındı", "registered"),
        EventType.CHANNEL_ASSIGNED: ("nəzarət dəhlizi təyin edildi", "control channel assigned"),
        EventType.RETURNED: ("düzəliş üçün qaytarıldı", "returned for correction"),
        EventType.RELEASED: ("üzrə mallar buraxıldı", "released"),
        EventType.REFUSED: ("üzrə buraxılışdan imtina edildi", "refused"),
    }[kind]
    return Outgoing(
        source=f"status:{event.pk}", event=str(kind), voen=declaration.trader_voen,
        title_az=f"Bəyannamə {number} {titles[0]}{extra_az}"[:300],
        title_en=f"Declaration {number} {titles[1]}{extra_en}"[:300],
        data=data, declaration_id=declaration.pk,
    )


def _assigned_channel(event: StatusEvent) -> str | None:
    row = ChannelAssignment.objects.filter(declaration_id=event.declaration_id, created_at__lte=event.at).last()
    return row.channel if row else None


def _post_name(code: str) -> tuple[str, str]:
    entry = current_reference().lookup("customs-offices", code)
    if entry is None:
        return code, code
    return f"{entry.name_az} ({code})", f"{entry.name_en or entry.name_az} ({code})"


def from_arrival_event(event: ArrivalEvent) -> Outgoing | None:
    if event.from_state:
        return None  # only a new arrival is news to the trader; later moves are its own doing
    arrival: Arrival = event.arrival
    post_az, post_en = _post_name(arrival.post_code)
    return Outgoing(
        source=f"arrival:{event.pk}", event=str(EventType.ARRIVAL), voen=arrival.consignee_voen,
        title_az=f"Sərhəddə adınıza mal qeydə alındı: {post_az}"[:300],
        title_en=f"Goods registered at the border in your name: {post_en}"[:300],
        data={
            "arrival": {
                "id": str(arrival.pk), "post_code": arrival.post_code, "arrived_at": arrival.arrived_at.isoformat(),
                "consignee_voen": arrival.consignee_voen, "description": arrival.description,
                "transport_mode": arrival.transport_mode, "state": arrival.state,
            },
        },
        arrival_id=arrival.pk,
    )
