"""Properties of box B over generated declarations."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gomruk.document.model import Declaration
from gomruk.duties.calculation import CalcOptions, calculate
from gomruk.duties.rates import static_rates
from gomruk.duties.tariff import sample_snapshot

TARIFF = sample_snapshot()
RATES = static_rates({"USD": Decimal("1.7"), "EUR": Decimal("1.8378"), "JPY": Decimal("0.011525")}, date(2024, 2, 2))
# (code, supplementary unit) covering every measure kind of the SAMPLE tariff
GOODS = [
    ("0901210000", None),
    ("8516710000", None),
    ("0207140000", None),
    ("6403990000", "715"),
    ("2203000100", "112"),
    ("2402200000", "798"),
    ("8703231900", "033"),
    ("3004900000", None),
    ("9999999999", None),
]
LINE = re.compile(r"^\d{2}-\d+\.\d{2}-944(-\d{2})?$")

money = st.decimals(min_value=Decimal("0"), max_value=Decimal("2000000"), places=2, allow_nan=False)
quantity = st.decimals(min_value=Decimal("0"), max_value=Decimal("9000"), places=3, allow_nan=False)


@st.composite
def items(draw):
    code, unit = draw(st.sampled_from(GOODS))
    item = {
        "commodity_code": code,
        "invoice_value": str(draw(money)),
        "net_mass": str(draw(quantity)),
        "privilege": draw(st.sampled_from(["000", "040", "210", "030"])),
        "procedure_code": draw(st.sampled_from(["400000", "310000"])),
    }
    if unit:
        item.update(quantity=str(draw(quantity)), supplementary_unit=unit)
    if draw(st.booleans()):
        item["payments"] = [{"payment_type": draw(st.sampled_from(["20", "32", "30"])), "method": "03"}]
    if draw(st.booleans()):
        item["invoice_currency"] = draw(st.sampled_from(["840", "978", "392", "944"]))
    return item


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    goods=st.lists(items(), min_size=1, max_size=6),
    currency=st.sampled_from(["840", "978", "944"]),
    outside=st.booleans(),
    guarantee=st.sampled_from([None, "33", "11"]),
)
def test_box_b_total_is_the_sum_of_its_lines_which_are_the_sums_of_box_47(goods, currency, outside, guarantee):
    doc = Declaration.model_validate(
        {
            "direction": "İD",
            "procedure": "40",
            "invoice_currency": currency,
            "goods": goods,
            **({"guarantee": {"code": guarantee}} if guarantee else {}),
        }
    )
    result = calculate(doc, tariff=TARIFF, rates=RATES, on=date(2024, 2, 5), options=CalcOptions(outside_working_hours=outside))

    by_type: dict[str, Decimal] = defaultdict(Decimal)
    for line in result.lines:
        assert line.amount == line.amount.quantize(Decimal("0.01")) and line.amount >= 0
        if line.method != "05":
            by_type[line.payment_type] += line.amount
    assert {b.payment_type: b.amount for b in result.accounting} == dict(by_type)
    assert result.accounting_total == sum((b.amount for b in result.accounting), Decimal(0))
    assert all(LINE.match(b.text) for b in result.accounting)
    assert [b.payment_type for b in result.accounting] == sorted(by_type)
    assert result.total_customs_value == sum((i.customs_value for i in result.items), Decimal(0))
    deferred = {line.payment_type for line in result.lines if line.method == "03"}
    for b in result.accounting:
        assert (b.guarantee is not None) == (b.payment_type in deferred and guarantee is not None)
