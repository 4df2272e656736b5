"""The words the portal shows for a declaration's state and a control channel (issue 16.8).

One mapping — the model choices' translated labels — so no page prints a raw code such as
``under_control`` or ``yellow``; an unknown code (an old event) falls back to a dash rather
than to the code."""

from __future__ import annotations

from gomruk.customs.models import Channel
from gomruk.declarations.models import State


def state_label(code: object) -> str:
    text = str(code or "")
    return str(State(text).label) if text in State.values else "—"


def channel_label(code: object) -> str:
    text = str(code or "")
    return str(Channel(text).label) if text in Channel.values else "—"
