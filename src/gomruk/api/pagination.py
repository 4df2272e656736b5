"""Opaque cursors for keyset pagination over (created_at, id), newest first."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid

from gomruk.api.errors import ERRORS


def encode_cursor(created_at: dt.datetime, pk: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(pk)]).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, pk = json.loads(raw)
        moment = dt.datetime.fromisoformat(created_at)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, uuid.UUID(pk)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise ERRORS.error("invalid_cursor", status=422)
