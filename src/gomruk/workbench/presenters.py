"""Queue rows as the page, the XLSX export and the API show them."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gomruk.customs.models import Channel
from gomruk.declarations.models import Declaration, State

EXPORT_LIMIT = 20000


def age_hours(declaration: Declaration, now: datetime | None = None) -> int | None:
    if declaration.sent_at is None:
        return None
    return int(((now or timezone.now()) - declaration.sent_at).total_seconds() // 3600)


def _channel_label(channel: str | None) -> str:
    return str(Channel(channel).label) if channel in Channel.values else ""


def queue_row(d: Declaration, now: datetime | None = None) -> dict[str, Any]:
    value = getattr(d, "declared_value", None)
    return {
        "id": d.pk,
        "registration_number": d.registration_number,
        "declaration_type": d.declaration_type,
        "direction": d.direction,
        "procedure": d.procedure,
        "trader_voen": d.trader_voen,
        "trader_name": getattr(d, "trader_name", None) or "",
        "declared_value": Decimal(value).quantize(Decimal("0.01")) if value is not None else None,
        "goods_count": getattr(d, "goods_count", None) or 0,
        "risk_score": getattr(d, "risk_score", None),
        "proposed_channel": getattr(d, "proposed_channel", None) or "",
        "proposed_channel_label": _channel_label(getattr(d, "proposed_channel", None)),
        "assignee": getattr(d, "assignee_name", None) or "",
        "state": d.state,
        "state_label": str(State(d.state).label),
        "sent_at": d.sent_at,
        "age_hours": age_hours(d, now),
    }


def queue_xlsx(rows: Any) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Növbə"))
    sheet.append([
        _("Nömrə"), _("VÖEN"), _("XİFİ"), _("Bəyan edilmiş dəyər (AZN)"), _("Malların sayı"), _("Risk balı"),
        _("Təklif olunan dəhliz"), _("İcraçı"), _("Mərhələ"), _("Göndərilib"), _("Yaş (saat)"),
    ])
    now = timezone.now()
    for declaration in rows[:EXPORT_LIMIT]:
        row = queue_row(declaration, now)
        sent = timezone.localtime(row["sent_at"]).replace(tzinfo=None) if row["sent_at"] else None
        sheet.append([
            row["registration_number"] or "", row["trader_voen"], row["trader_name"], row["declared_value"],
            row["goods_count"], row["risk_score"], row["proposed_channel_label"], row["assignee"],
            str(State(row["state"]).label), sent, row["age_hours"],
        ])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
