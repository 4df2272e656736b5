"""The JSON body of a webhook delivery: fixed when the delivery is created, so every attempt
and a redelivery by hand send the same bytes (the receiver deduplicates on ``id``)."""

from __future__ import annotations

import json
from typing import Any

from gomruk.notifications.events import Outgoing


def delivery_body(delivery: Any, outgoing: Outgoing) -> str:
    return json.dumps(
        {
            "id": str(delivery.pk),
            "type": outgoing.event,
            "created": delivery.created_at.isoformat(),
            "voen": outgoing.voen,
            "data": outgoing.data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )
