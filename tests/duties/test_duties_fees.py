"""Customs clearance fee (payment type 01) by customs-value bracket."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from gomruk.duties.fees import FeeBracketData, FeeScheduleData, default_schedule
from gomruk.duties.models import FeeBracket, FeeSchedule
from gomruk.duties.selectors import tariff_snapshot
from gomruk.duties.services import fee_schedule_load_default

D = Decimal
# Every bracket of the default schedule, at its lower and its upper bound (inclusive).
BOUNDS = [
    ("0.00", "15.00"),
    ("1000.00", "15.00"),
    ("1000.01", "60.00"),
    ("10000.00", "60.00"),
    ("10000.01", "120.00"),
    ("50000.00", "120.00"),
    ("50000.01", "200.00"),
    ("100000.00", "200.00"),
    ("100000.01", "300.00"),
    ("500000.00", "300.00"),
    ("500000.01", "600.00"),
    ("1000000.00", "600.00"),
    ("1000000.01", "1000.00"),
    ("987654321.00", "1000.00"),
]


def test_default_schedule_from_september_2018():
    schedule = default_schedule()
    assert schedule.valid_from == date(2018, 9, 1)
    assert [b.amount for b in schedule.brackets] == [D(x) for x in ("15", "60", "120", "200", "300", "600", "1000")]


@pytest.mark.parametrize(("value", "fee"), BOUNDS)
def test_each_bracket_at_both_bounds(value, fee):
    assert default_schedule().bracket_for(D(value)).amount == D(fee)


@pytest.mark.parametrize(("value", "fee"), BOUNDS)
def test_fee_line_in_box_47_at_both_bounds(value, fee, calc, make_doc):
    # AZN invoice: box 45 = box 42, so box 12 is exactly the bound
    doc = make_doc({"commodity_code": "9999999999", "invoice_value": value}, invoice_currency="944")
    result = calc(doc)
    fee_line = result.items[0].lines[0]
    assert (fee_line.payment_type, fee_line.amount, fee_line.base) == ("01", D(fee), D(value))
    assert fee_line.method == "01"
    assert result.accounting[0].text == f"01-{fee}-944"


def test_exclusive_upper_bounds_as_a_setting():
    assert default_schedule().bracket_for(D("1000.00"), inclusive=False).amount == D("60.00")
    assert default_schedule().bracket_for(D("999.99"), inclusive=False).amount == D("15.00")


def test_outside_working_hours_uses_the_double_fee_code(calc, make_doc):
    doc = make_doc({"commodity_code": "9999999999", "invoice_value": "10000"})  # 17 000 AZN
    line = calc(doc, outside_working_hours=True).items[0].lines[0]
    assert (line.payment_type, line.amount) == ("02", D("240.00"))
    assert line.formula.en == (
        "customs value 17 000.00 AZN ≤ 50 000.00 AZN → 120.00 AZN; "
        "outside working hours/zone: 2 × 120.00 AZN = 240.00 AZN"
    )


def test_the_schedule_in_force_on_the_date_applies(tariff, rates, make_doc):
    from gomruk.duties.calculation import calculate
    from gomruk.duties.tariff import TariffSnapshot

    newer = FeeScheduleData(date(2025, 1, 1), "newer", (FeeBracketData(None, D("50")),))
    snapshot = TariffSnapshot(tariff.measures, tariff.exemptions, (default_schedule(), newer))
    doc = make_doc({"commodity_code": "9999999999", "invoice_value": "100"})
    assert calculate(doc, tariff=snapshot, rates=rates, on=date(2024, 12, 31)).items[0].lines[0].amount == D("15.00")
    assert calculate(doc, tariff=snapshot, rates=rates, on=date(2025, 1, 1)).items[0].lines[0].amount == D("50.00")
    before = calculate(doc, tariff=snapshot, rates=rates, on=date(2018, 8, 31))
    assert [n.code for n in before.notices if n.code == "no_fee_schedule"] == ["no_fee_schedule"]
    assert all(line.payment_type != "01" for line in before.lines)


@pytest.mark.django_db
def test_load_default_is_idempotent_and_keeps_admin_edits():
    assert fee_schedule_load_default() == "created"
    assert FeeBracket.objects.count() == 7
    bracket = FeeBracket.objects.get(upper_bound=D("1000.00"))
    bracket.amount = D("20.00")
    bracket.save()
    assert fee_schedule_load_default() == "unchanged"
    assert FeeBracket.objects.get(upper_bound=D("1000.00")).amount == D("20.00")
    schedule = tariff_snapshot().fee_schedule(date(2024, 1, 1))
    assert schedule.bracket_for(D("500")).amount == D("20.00")
    assert schedule.bracket_for(D("2000000")).amount == D("1000.00")
    assert FeeSchedule.objects.get().double_payment_type == "02"


@pytest.mark.django_db
def test_bounds_setting_reaches_the_snapshot():
    fee_schedule_load_default()
    with override_settings(GOMRUK_FEE_UPPER_BOUNDS_INCLUSIVE=False):
        assert tariff_snapshot().fee_upper_bounds_inclusive is False
    assert tariff_snapshot().fee_upper_bounds_inclusive is True
