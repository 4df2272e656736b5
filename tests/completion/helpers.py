"""Shared by the completion tests (service, API, portal): a declaration as the declarant types
it, and the facts the payment boxes need in the database."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "declarations" / "valid" / "01-id-40.json"


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def facts_only() -> dict[str, Any]:
    """The 01-id-40 example as a declarant types it: no computed box, letter codes only."""
    document = example()
    for name in ("total_items", "total_packages", "total_customs_value", "total_invoice_value", "exchange_rate",
                 "forms", "accounting", "principal_statement"):
        document.pop(name)
    document["office_of_dispatch"] = {"office_code": "00100"}
    document["invoice_currency"] = "USD"
    document["first_destination_country"] = {"alpha": "AZ"}  # alpha-2 typed where box 10 wants alpha-3
    document["trading_country"] = {"alpha": "TR"}
    document["guarantee"] = {"letter": "BQ"}
    for item in document["goods"]:
        for name in ("customs_value", "statistical_value"):
            item.pop(name)
        item["origin_country"] = {"alpha": "TR"}
        item["payments"] = [{"payment_type": "32", "method": "03"}]  # the declarant's deferral of VAT
    return document


def load_payments_facts() -> date:
    """The sample tariff, the default fee schedule and yesterday's bulletin (USD 1.7)."""
    from django.utils import timezone

    from gomruk.duties.services import (
        fee_schedule_load_default,
        rate_bulletin_import,
        tariff_import,
    )

    tariff_import()
    fee_schedule_load_default()
    day = timezone.localdate() - timedelta(days=1)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><ValCurs Date="{day:%d.%m.%Y}" Name="test">'
        '<ValType Type="Xarici valyutalar"><Valute Code="USD"><Nominal>1</Nominal><Name>USD</Name>'
        "<Value>1.7000</Value></Valute></ValType></ValCurs>"
    ).encode()
    rate_bulletin_import(content=content, source="test")
    return day
