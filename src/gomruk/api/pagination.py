"""Opaque cursors for keyset pagination, newest first: the one codec every cursor-paginated
list uses (declarations, border goods), portal and API alike.

A cursor names the last row of a page by its ordering moment and id; the next page is the rows
strictly older in (moment, id) order. Cursors are opaque to clients: base64url of JSON.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, Q, QuerySet

from gomruk.api.errors import ERRORS

M = TypeVar("M", bound=Model)


def encode_cursor(moment: dt.datetime, pk: uuid.UUID) -> str:
    raw = json.dumps([moment.isoformat(), str(pk)]).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment_text, pk = json.loads(raw)
        moment = dt.datetime.fromisoformat(moment_text)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, uuid.UUID(pk)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise ERRORS.error("invalid_cursor", status=422)


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def keyset_rows(rows: QuerySet[M], *, moment: str, cursor: str | None) -> QuerySet[M]:
    """``rows`` ordered by (``moment``, id) descending, from just after ``cursor``.

    The ``lte`` bounds the index range; the ``Q`` breaks ties on the same moment by id."""
    rows = rows.order_by(f"-{moment}", "-id")
    if cursor:
        when, last_id = decode_cursor(cursor)
        rows = rows.filter(**{f"{moment}__lte": when}).filter(
            Q(**{f"{moment}__lt": when}) | Q(**{moment: when, "id__lt": last_id})
        )
    return rows


def keyset_page(rows: QuerySet[M], *, moment: str, cursor: str | None, limit: int) -> Page[M]:
    """One page of ``rows`` (:func:`keyset_rows`) and the cursor of the next, if there is one."""
    return page_of(list(keyset_rows(rows, moment=moment, cursor=cursor)[: limit + 1]), moment=moment, limit=limit)


def page_of(fetched: list[M], *, moment: str, limit: int) -> Page[M]:
    """A page from up to ``limit + 1`` rows fetched in keyset order: the extra row only says
    that there is a next page (its cursor names the page's last row)."""
    page = fetched[:limit]
    last = page[-1] if len(fetched) > limit and page else None
    return Page(page, encode_cursor(getattr(last, moment), last.pk) if last is not None else None)
