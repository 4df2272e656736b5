"""Rules that compare the declared payment boxes with the calculation (issue 7, item 6).

The rules engine's own box rules (V-12-1, V-22-2, V-45-2, V-47-4, V-B-2 …) check that the
declared figures agree with *each other*; the rules here check them against what the tariff,
the fee schedule and the CBAR rates give (:mod:`gomruk.duties.calculation`). Rules never
touch the database: the caller computes the calculation once (``estimate_document(doc,
on=acceptance_date)``) and passes it as ``ValidationContext.calculation``; without it these
rules are skipped.

Codes are ``D-<box>-<n>`` ("duties"; ``P-`` belongs to procedure rules); differences of up to one qəpik (0.01, the rounding
step) are accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from gomruk.duties.calculation import method_code
from gomruk.duties.results import Calculation, Text
from gomruk.duties.tariff import DUTY_TYPES
from gomruk.rules.base import Env, Rule, RuleError

TOLERANCE = Decimal("0.01")
RATE_TOLERANCE = Decimal("0.00005")  # box 23 is printed to 4 decimals


def calculation_of(env: Env) -> Calculation | None:
    found: Any = getattr(env.context, "calculation", None)
    return found if isinstance(found, Calculation) else None


def differs(declared: Decimal | None, computed: Decimal | None, tolerance: Decimal = TOLERANCE) -> bool:
    if computed is None:
        return False
    return declared is None or abs(declared - computed) > tolerance


# Notices that mean the calculation lacked a fact (a rate, a value, a tariff measure, the
# fee schedule): comparing against it would blame the declarant for what the system does not
# know, so the comparison rules stand aside (the notices are shown with the estimate).
# A code without a duty line ("no_duty_measure") is not a missing fact but the declarant's
# error: D-33-1 reports it and the other comparisons still run.
INCOMPLETE = frozenset(
    {"no_usd_rate", "box12_incomplete", "no_direction", "no_invoice_value",
     "no_currency", "no_rate", "no_fee_schedule"}
)
# Declaration types whose box 47 follows the general rules (see declarations.validation).
CALCULATED_TYPES = frozenset({"01", "06", "10"})


def incomplete_reasons(calc: Calculation) -> list[Text]:
    """The notices that make the calculation unfit to compare with (each once)."""
    seen: dict[str, Text] = {}
    for notice in calc.notices:
        if notice.code in INCOMPLETE and notice.code not in seen:
            seen[notice.code] = notice.text
    return list(seen.values())


def is_complete(calc: Calculation) -> bool:
    return not any(notice.code in INCOMPLETE for notice in calc.notices)


class CalculationRule(Rule):
    abstract = True
    declaration_types = CALCULATED_TYPES

    def when(self, env: Env) -> bool:
        calc = calculation_of(env)
        return calc is not None and is_complete(calc) and env.listed(self.boxes[0])

    def check(self, env: Env) -> Iterator[RuleError]:
        calc = calculation_of(env)
        if calc is not None:
            yield from self.compare(env, calc)

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        raise NotImplementedError


class D_45_1(CalculationRule):
    """Box 45 equals the computed customs value: box 42 × the CBAR rate of the item's currency
    on the acceptance date, plus the declared adjustments."""

    message_az = "45-ci qrafa: gömrük dəyəri hesablanmış dəyərə ({expected} AZN) bərabər deyil: {value}."
    message_en = "Box 45: the customs value differs from the computed value ({expected} AZN): {value}."
    boxes = ("45", "42", "23")

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        for result in calc.items:
            goods = env.doc.goods[result.item - 1]
            if differs(goods.customs_value, result.customs_value):
                yield self.error(f"/goods/{result.item - 1}/customs_value", goods.customs_value, expected=result.customs_value)


class D_46_1(CalculationRule):
    """Box 46 equals the computed statistical value: box 45 ÷ the CBAR US dollar rate (Q-13)."""

    message_az = "46-cı qrafa: statistik dəyər hesablanmış dəyərə ({expected} USD) bərabər deyil: {value}."
    message_en = "Box 46: the statistical value differs from the computed value ({expected} USD): {value}."
    boxes = ("46", "45", "A")

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        for result in calc.items:
            goods = env.doc.goods[result.item - 1]
            if differs(goods.statistical_value, result.statistical_value):
                yield self.error(
                    f"/goods/{result.item - 1}/statistical_value", goods.statistical_value, expected=result.statistical_value
                )


class D_47_1(CalculationRule):
    """Box 47 has every computed payment line of the item, with the computed amount and
    payment method."""

    message_az = "47-ci qrafa: {payment_type} ödənişi hesablanmış məbləğə ({expected} AZN, ÖÜ {method}) uyğun deyil: {value}."
    message_en = "Box 47: payment {payment_type} does not match the computed line ({expected} AZN, method {method}): {value}."
    boxes = ("47",)

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        for result in calc.items:
            index = result.item - 1
            declared = env.doc.goods[index].payments
            first: dict[str | None, int] = {}  # each type's first declared row
            for j, p in enumerate(declared):
                first.setdefault(p.payment_type, j)
            for line in result.lines:
                position = first.get(line.payment_type)
                if position is None:
                    yield self.error(f"/goods/{index}/payments", None, **_line_fields(line))
                    continue
                payment = declared[position]
                if differs(payment.amount, line.amount):
                    yield self.error(f"/goods/{index}/payments/{position}/amount", payment.amount, **_line_fields(line))
                elif method_code(payment.method, env.ref) != line.method:
                    yield self.error(f"/goods/{index}/payments/{position}/method", payment.method, **_line_fields(line))


def _line_fields(line: Any) -> dict[str, Any]:
    return {"expected": line.amount, "payment_type": line.payment_type, "method": line.method}


class D_47_2(CalculationRule):
    """Box 47 has no payment line the calculation does not produce (e.g. a duty the item's
    privilege exempts it from, or a type declared twice)."""

    message_az = "47-ci qrafa: {value} ödənişi bu mal üçün hesablanmır (tarif, imtiyaz) və ya təkrarlanır."
    message_en = "Box 47: payment {value} is not due for this item (tariff, privilege) or is repeated."
    boxes = ("47",)

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        for result in calc.items:
            index = result.item - 1
            computed = {line.payment_type for line in result.lines}
            if result.missing_tariff_line:
                computed |= DUTY_TYPES  # D-33-1 reports the missing line; the duty is not "undue"
            seen: set[str | None] = set()
            for position, payment in enumerate(env.doc.goods[index].payments):
                if payment.payment_type not in computed or payment.payment_type in seen:
                    yield self.error(f"/goods/{index}/payments/{position}/payment_type", payment.payment_type)
                seen.add(payment.payment_type)


class D_B_1(CalculationRule):
    """Box B has the computed line of every payment type (amount and, for deferred payments,
    the guarantee code), and the computed total."""

    message_az = "B qrafası: hesablanmış sətir {expected}, bəyan edilən: {value}."
    message_en = "Box B: the computed line is {expected}, declared: {value}."
    boxes = ("B",)

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        declared = env.doc.accounting.lines if env.doc.accounting else []
        for line in calc.accounting:
            position = next((i for i, b in enumerate(declared) if b.payment_type == line.payment_type), None)
            if position is None:
                yield self.error("/accounting/lines", None, expected=line.text)
                continue
            found = declared[position]
            if differs(found.amount, line.amount):
                yield self.error(f"/accounting/lines/{position}/amount", found.amount, expected=line.text)
            elif (found.guarantee or None) != line.guarantee:
                yield self.error(f"/accounting/lines/{position}/guarantee", found.guarantee, expected=line.text)
        total = env.doc.accounting.total if env.doc.accounting else None
        if calc.accounting and differs(total, calc.accounting_total):
            yield self.error("/accounting/total", total, expected=calc.accounting_total)


class D_12_1(CalculationRule):
    """Box 12 equals the computed total customs value."""

    message_az = "12-ci qrafa: ümumi gömrük dəyəri hesablanmış dəyərə ({expected} AZN) bərabər deyil: {value}."
    message_en = "Box 12: the total customs value differs from the computed value ({expected} AZN): {value}."
    boxes = ("12",)

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        if differs(env.doc.total_customs_value, calc.total_customs_value):
            yield self.error("/total_customs_value", env.doc.total_customs_value, expected=calc.total_customs_value)


class D_22_1(CalculationRule):
    """Box 22 equals the computed total invoice value (items in another currency converted
    through AZN)."""

    message_az = "22-ci qrafa: ümumi invoys dəyəri hesablanmış dəyərə ({expected}) bərabər deyil: {value}."
    message_en = "Box 22: the total invoice value differs from the computed value ({expected}): {value}."
    boxes = ("22",)

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        if differs(env.doc.total_invoice_value, calc.total_invoice_value):
            yield self.error("/total_invoice_value", env.doc.total_invoice_value, expected=calc.total_invoice_value)


class D_23_1(CalculationRule):
    """Box 23 equals the CBAR rate of the box-22 currency in force on the acceptance date (the
    latest bulletin for a draft), to 4 decimals."""

    message_az = "23-cü qrafa: məzənnə {date} tarixli AMB bülletenindəki məzənnəyə ({expected}) bərabər deyil: {value}."
    message_en = "Box 23: the rate differs from the CBAR bulletin of {date} ({expected}): {value}."
    boxes = ("23", "22")

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        quote = calc.exchange_rate
        if quote is None:
            return
        if differs(env.doc.exchange_rate, quote.rate, RATE_TOLERANCE):
            yield self.error(
                "/exchange_rate",
                env.doc.exchange_rate,
                expected=format(quote.rate.normalize(), "f"),
                date=quote.bulletin_date.strftime("%d.%m.%Y"),
            )


class D_33_1(CalculationRule):
    """Box 33: import duties are due on the item, and the tariff has a line for its code on the
    acceptance date (issue 15: a code with no tariff line is an error, not a silent zero; the
    calculation names the line it used in each box 47 row)."""

    message_az = "33-cü qrafa: {value} kodu üçün {date} tarixində tarifdə idxal rüsumu sətri yoxdur."
    message_en = "Box 33: the tariff has no import duty line for code {value} on {date}."
    boxes = ("33", "47")

    def compare(self, env: Env, calc: Calculation) -> Iterator[RuleError]:
        for result in calc.items:
            if result.missing_tariff_line:
                index = result.item - 1
                yield self.error(
                    f"/goods/{index}/commodity_code", result.commodity_code, date=calc.tariff_date.strftime("%d.%m.%Y")
                )
