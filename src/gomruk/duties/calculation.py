"""What a declaration will pay, and why: boxes 45, 46, 47, B, 12, 22, 23 and A's USD rate.

:func:`calculate` is a pure function of a declaration document, the classifiers, a tariff
snapshot and a rate lookup: it reads no database, so the portal (before signing), the API
(``POST /declarations/estimate``), the rules (declared vs computed) and customs (on the
acceptance date) all get the same figures from the same code. Every line carries the formula
that produced it in Azerbaijani and English ("10% × 17 000.00 AZN = 1 700.00 AZN").

Money is ``Decimal`` throughout; only a figure that goes into a box is rounded (half-up, 2
places), and sums are sums of those rounded figures, so box B equals the sum of box 47.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from gomruk.document.model import Declaration, GoodsItem
from gomruk.duties.measures import Context, exempt, measure_part
from gomruk.duties.money import ZERO, fmt, fmt_percent, fmt_plain, fmt_rate, money
from gomruk.duties.rates import RateLookup, RateQuote, is_national
from gomruk.duties.results import (
    UNEXPLAINED,
    BLine,
    CalcOptions,
    Calculation,
    ItemResult,
    Line,
    Text,
)
from gomruk.duties.tariff import DUTY_TYPES, EXCISE, EXPORT_DUTY, VAT, TariffSnapshot
from gomruk.reference.codes import NATIONAL_ALPHA, NATIONAL_CURRENCY, USD
from gomruk.reference.codes import payment_method_code as method_code
from gomruk.reference.snapshot import ReferenceData, current_reference, packaged_reference

NORMAL = "01"
DEFERRAL_METHODS = ("03", "04")
CONDITIONAL = "05"
TAX_TYPES = DUTY_TYPES | {EXPORT_DUTY, EXCISE, VAT}

__all__ = ["CalcOptions", "Calculation", "calculate", "estimate_document"]


def calculate(
    document: Declaration,
    *,
    reference: ReferenceData | None = None,
    tariff: TariffSnapshot,
    rates: RateLookup,
    on: date | None,
    options: CalcOptions | None = None,
) -> Calculation:
    """Compute every payment box of ``document``.

    ``on`` is the acceptance date; ``None`` means a draft: rates are the latest known (marked
    provisional) and the tariff is the one in force ``options.today`` (default: today)."""
    options = options or CalcOptions()
    if on is not None:
        tariff_date = on
    elif options.today is not None:
        tariff_date = options.today
    else:
        from django.utils import timezone

        tariff_date = timezone.localdate()
    ctx = Context(
        document=document,
        reference=reference or packaged_reference(),
        tariff=tariff,
        rates=rates,
        on=on,
        tariff_date=tariff_date,
        options=options,
    )
    usd = ctx.rate(USD)
    if usd is None:
        ctx.notice(
            "no_usd_rate",
            "ABŞ dollarının məzənnəsi yoxdur: statistik dəyər (46) və A qrafası hesablanmadı.",
            "There is no US dollar rate: statistical value (46) and box A were not computed.",
            box="A",
        )
    deferred = _deferred_types(document, options, ctx.reference)
    items = [_item(ctx, number, item, usd, deferred) for number, item in enumerate(document.goods, start=1)]

    values = [i.customs_value for i in items]
    total_customs_value = money(sum((v for v in values if v is not None), ZERO)) if items else None
    if any(v is None for v in values):
        total_customs_value = None
        ctx.notice(
            "box12_incomplete",
            "Bütün mallar üzrə gömrük dəyəri hesablanmadı; 12-ci qrafa və gömrük yığımı hesablanmadı.",
            "The customs value of some goods items could not be computed; box 12 and the clearance fee were not computed.",
            box="12",
        )
    if items and total_customs_value is not None and options.charge_clearance_fee:
        fee = _clearance_fee(ctx, total_customs_value, deferred)
        if fee is not None:
            items[0].lines.insert(0, fee)

    currency, total_invoice = _box_22(ctx, items)
    exchange_rate = ctx.rate(currency) if currency else None
    accounting, conditional_total = _box_b(ctx, items, deferred)
    provisional = on is None or any(q.provisional for q in ctx.quotes)
    return Calculation(
        on=on,
        tariff_date=tariff_date,
        provisional=provisional,
        items=items,
        accounting=accounting,
        accounting_total=money(sum((b.amount for b in accounting), ZERO)),
        conditional_total=conditional_total,
        total_customs_value=total_customs_value,
        invoice_currency=currency,
        total_invoice_value=total_invoice,
        exchange_rate=exchange_rate,
        usd_rate=usd,
        notices=ctx.notices,
    )


def _deferred_types(document: Declaration, options: CalcOptions, reference: ReferenceData) -> dict[str, str]:
    """Payment type → deferral method (03 or 04): what the declarant marked in box 47, plus
    the options."""
    result = dict.fromkeys(options.deferred_payment_types, options.deferral_method)
    for item in document.goods:
        for line in item.payments:
            method = method_code(line.method, reference)
            if line.payment_type and method in DEFERRAL_METHODS:
                result.setdefault(line.payment_type, method)
    return result


def _item_currency(document: Declaration, item: GoodsItem) -> str:
    return (item.invoice_currency or document.invoice_currency or "").strip()


def _item(
    ctx: Context, number: int, item: GoodsItem, usd: RateQuote | None, deferred: dict[str, str]
) -> ItemResult:
    currency = _item_currency(ctx.document, item)
    result = ItemResult(
        item=number, commodity_code=item.commodity_code or "", currency=currency, invoice_value=item.invoice_value
    )
    _customs_value(ctx, result, item)
    if result.customs_value is None:
        return result
    if usd is not None:
        result.statistical_value = money(result.customs_value / usd.rate)
        if ctx.options.explain:
            usd_text = f"{fmt(result.customs_value)} AZN ÷ {fmt_rate(usd.rate)} = {fmt(result.statistical_value)} USD"
            result.statistical_value_formula = Text(usd_text, usd_text)
    procedure = ((item.procedure_code or "")[:2] or (ctx.document.procedure or "")[:2]).strip()
    conditional = procedure in ctx.options.conditional_procedures

    def method(payment_type: str) -> str:
        if conditional and payment_type in TAX_TYPES:
            return CONDITIONAL
        return deferred.get(payment_type, NORMAL)

    if procedure in ctx.options.suspended_procedures:
        return result  # suspensive procedure: no duties or taxes, the fee only
    if ctx.document.is_export:
        line = _measure_line(ctx, result, item, EXPORT_DUTY, result.customs_value, method)
        if line:
            result.lines.append(line)
        return result
    if not ctx.document.is_import:
        ctx.notice(
            "no_direction",
            "İstiqamət (1-ci qrafa) göstərilməyib: rüsum və vergilər hesablanmadı.",
            "The direction (box 1) is missing: duties and taxes were not computed.",
            item=number,
            box="1",
        )
        return result
    for payment_type in ctx.tariff.payment_types:  # sorted
        if payment_type not in DUTY_TYPES:
            continue
        line = _measure_line(ctx, result, item, payment_type, result.customs_value, method)
        if line:
            result.lines.append(line)
    if result.commodity_code and not any(line.payment_type == "20" for line in result.lines) and not any(
        e.payment_type == "20" for e in result.exempted
    ):
        ctx.notice(
            "no_duty_measure",
            f"{result.commodity_code} kodu üçün tarifdə idxal rüsumu sətri yoxdur.",
            f"The tariff has no import duty line for code {result.commodity_code}.",
            item=number,
            box="33",
        )
        result.missing_tariff_line = True
    excise = _measure_line(ctx, result, item, EXCISE, result.customs_value, method)
    if excise:
        result.lines.append(excise)
    duty = sum((line.amount for line in result.lines if line.payment_type in DUTY_TYPES), ZERO)
    excise_amount = excise.amount if excise else ZERO
    vat = _vat_line(ctx, result, item, duty, excise_amount, method)
    if vat:
        result.lines.append(vat)
    return result


def _customs_value(ctx: Context, result: ItemResult, item: GoodsItem) -> None:
    number = result.item
    if item.invoice_value is None:
        ctx.notice(
            "no_invoice_value",
            "Malın invoys dəyəri (42) yoxdur: gömrük dəyəri hesablanmadı.",
            "The item invoice value (42) is missing: the customs value was not computed.",
            item=number,
            box="42",
        )
        return
    if not result.currency:
        ctx.notice(
            "no_currency",
            "Valyuta (22) göstərilməyib: gömrük dəyəri hesablanmadı.",
            "The currency (22) is missing: the customs value was not computed.",
            item=number,
            box="22",
        )
        return
    quote = ctx.rate(result.currency)
    if quote is None:
        ctx.notice(
            "no_rate",
            f"{ctx.alpha(result.currency)} valyutasının AMB məzənnəsi yoxdur.",
            f"There is no CBAR rate for {ctx.alpha(result.currency)}.",
            item=number,
            box="23",
        )
        return
    result.rate = quote
    converted = item.invoice_value * quote.rate
    adjustment = ctx.options.adjustments.get(number)
    # Box 43 sub1 = 1: the declared box 45 already contains the adjustments; take the
    # difference to 42 × 23 as the declared adjustment so the formula shows it.
    adjusted = item.valuation is not None and item.valuation.adjusted == "1"
    if adjustment is None and adjusted and item.customs_value is not None:
        adjustment = item.customs_value - money(converted)
    value = money(converted + (adjustment or ZERO))
    result.customs_value = value
    if not ctx.options.explain:
        return
    head = f"{fmt(item.invoice_value)} {ctx.alpha(result.currency)} × {fmt_rate(quote.rate)}"
    if adjustment:
        sign = "+" if adjustment > 0 else "−"
        result.customs_value_formula = Text(
            f"{head} {sign} {fmt(abs(adjustment))} AZN (düzəliş) = {fmt(value)} AZN",
            f"{head} {sign} {fmt(abs(adjustment))} AZN (adjustment) = {fmt(value)} AZN",
        )
    else:
        text = f"{head} = {fmt(value)} AZN"
        result.customs_value_formula = Text(text, text)


def _measure_line(
    ctx: Context,
    result: ItemResult,
    item: GoodsItem,
    payment_type: str,
    value_base: Decimal,
    method: Any,
) -> Line | None:
    measure = ctx.tariff.measure_for(result.commodity_code, payment_type, ctx.tariff_date)
    if measure is None or exempt(ctx, result, item, payment_type):
        return None
    part = measure_part(ctx, result, item, measure, value_base)
    if part is None:
        return None
    return Line(
        item=result.item,
        payment_type=payment_type,
        name=ctx.type_name(payment_type),
        base=money(part.base) if part.base_unit == NATIONAL_ALPHA else part.base,
        base_unit=part.base_unit,
        rate=part.rate,
        amount=money(part.amount),
        method=method(payment_type),
        formula=part.text,
        source=Text(*measure.describe()) if ctx.options.explain else UNEXPLAINED,
    )


def _vat_line(
    ctx: Context, result: ItemResult, item: GoodsItem, duty: Decimal, excise: Decimal, method: Any
) -> Line | None:
    if exempt(ctx, result, item, VAT):
        return None
    measure = ctx.tariff.measure_for(result.commodity_code, VAT, ctx.tariff_date)
    percent = ctx.options.vat_percent
    explain = ctx.options.explain
    source = UNEXPLAINED
    if explain:
        source = Text(
            f"tarifdə ƏDV sətri yoxdur: Vergi Məcəlləsinin {fmt_percent(percent)} dərəcəsi",
            f"no VAT line in the tariff: the Tax Code rate of {fmt_percent(percent)}",
        )
    if measure is not None:
        source = Text(*measure.describe()) if explain else UNEXPLAINED
        if measure.kind != "ad_valorem" or measure.percent is None:
            ctx.notice(
                "vat_measure_kind",
                "ƏDV yalnız faizlə (advalor) hesablanır; tarifdəki ƏDV ölçüsü nəzərə alınmadı.",
                "VAT is ad valorem only; the tariff's VAT measure was ignored.",
                item=result.item,
                box="47",
            )
        else:
            percent = measure.percent
    assert result.customs_value is not None
    base = result.customs_value + duty + excise
    amount = money(base * percent / 100)
    p = fmt_percent(percent)
    formula = UNEXPLAINED
    if explain:
        sums = f"{fmt(result.customs_value)} + {fmt(duty)} + {fmt(excise)}"
        formula = Text(
            f"{p} × ({sums}) AZN [gömrük dəyəri + rüsum + aksiz] = {p} × {fmt(base)} AZN = {fmt(amount)} AZN",
            f"{p} × ({sums}) AZN [customs value + duty + excise] = {p} × {fmt(base)} AZN = {fmt(amount)} AZN",
        )
    return Line(
        item=result.item,
        payment_type=VAT,
        name=ctx.type_name(VAT),
        base=base,
        base_unit=NATIONAL_ALPHA,
        rate=p,
        amount=amount,
        method=method(VAT),
        formula=formula,
        source=source,
    )


def _clearance_fee(ctx: Context, total_value: Decimal, deferred: dict[str, str]) -> Line | None:
    schedule = ctx.tariff.fee_schedule(ctx.tariff_date)
    if schedule is None:
        ctx.notice(
            "no_fee_schedule",
            f"{ctx.tariff_date:%d.%m.%Y} tarixində qüvvədə olan gömrük yığımları cədvəli yoxdur.",
            f"No customs fee schedule is in force on {ctx.tariff_date:%d.%m.%Y}.",
            box="47",
        )
        return None
    bracket = schedule.bracket_for(total_value, inclusive=ctx.tariff.fee_upper_bounds_inclusive)
    if bracket is None:
        return None
    bound = ""
    if bracket.upper_bound is not None:
        sign = "≤" if ctx.tariff.fee_upper_bounds_inclusive else "<"
        bound = f" {sign} {fmt(bracket.upper_bound)} AZN"
    payment_type = schedule.payment_type
    amount = bracket.amount
    text_az = f"gömrük dəyəri {fmt(total_value)} AZN{bound} → {fmt(amount)} AZN"
    text_en = f"customs value {fmt(total_value)} AZN{bound} → {fmt(amount)} AZN"
    if ctx.options.outside_working_hours:
        payment_type = schedule.double_payment_type
        doubled = money(amount * schedule.double_multiplier)
        text_az += f"; iş vaxtından/yerindən kənar: {fmt_plain(schedule.double_multiplier)} × {fmt(amount)} AZN = {fmt(doubled)} AZN"
        text_en += f"; outside working hours/zone: {fmt_plain(schedule.double_multiplier)} × {fmt(amount)} AZN = {fmt(doubled)} AZN"
        amount = doubled
    return Line(
        item=1,
        payment_type=payment_type,
        name=ctx.type_name(payment_type),
        base=total_value,
        base_unit=NATIONAL_ALPHA,
        rate=f"{fmt(amount)} AZN",
        amount=money(amount),
        method=deferred.get(payment_type, NORMAL),
        formula=Text(text_az, text_en),
        source=Text(
            f"gömrük yığımları cədvəli: {schedule.name} ({schedule.valid_from:%d.%m.%Y}-dən)",
            f"customs fee schedule: {schedule.name} (from {schedule.valid_from:%d.%m.%Y})",
        ),
    )


def _box_22(ctx: Context, items: list[ItemResult]) -> tuple[str | None, Decimal | None]:
    """Box 22: the declaration's currency and Σ box 42. An item invoiced in another currency
    (an error by V-22-3, reported by the rules) is converted through AZN so the total still
    means something."""
    currency = (ctx.document.invoice_currency or "").strip() or next((i.currency for i in items if i.currency), "")
    if not currency:
        return None, None
    values = [i for i in items if i.invoice_value is not None]
    if not values:
        return currency, None
    header_quote = None
    total = ZERO
    for result in values:
        assert result.invoice_value is not None
        if result.currency == currency or (is_national(result.currency) and is_national(currency)):
            total += result.invoice_value
            continue
        header_quote = header_quote or ctx.rate(currency)
        if result.rate is None or header_quote is None:
            return currency, None
        converted = money(result.invoice_value * result.rate.rate / header_quote.rate)
        ctx.notice(
            "mixed_currencies",
            f"{result.item}-ci malın dəyəri {ctx.alpha(result.currency)} ilədir; 22-ci qrafada "
            f"{ctx.alpha(currency)}-ə çevrildi: {fmt(converted)}.",
            f"Item {result.item} is invoiced in {ctx.alpha(result.currency)}; box 22 counts it "
            f"converted to {ctx.alpha(currency)}: {fmt(converted)}.",
            item=result.item,
            box="22",
        )
        total += converted
    return currency, money(total)


def _box_b(ctx: Context, items: list[ItemResult], deferred: dict[str, str]) -> tuple[list[BLine], Decimal]:
    """Box B: one line per payment type over all items, except conditional (ÖÜ 05) rows;
    deferred types carry the guarantee code of box 52 (Appendix 9)."""
    sums: dict[str, Decimal] = {}
    conditional = ZERO
    for result in items:
        for line in result.lines:
            if line.method == CONDITIONAL:
                conditional += line.amount
                continue
            sums[line.payment_type] = sums.get(line.payment_type, ZERO) + line.amount
    guarantee = ctx.document.guarantee
    guarantee_code = (guarantee.code or guarantee.letter) if guarantee else None
    lines: list[BLine] = []
    for payment_type in sorted(sums):
        is_deferred = payment_type in deferred
        if is_deferred and not guarantee_code:
            ctx.notice(
                "deferral_without_guarantee",
                f"{payment_type} ödənişinə möhlət verilib, lakin təminat (52-ci qrafa) göstərilməyib.",
                f"Payment {payment_type} is deferred but no guarantee (box 52) is given.",
                box="52",
            )
        lines.append(
            BLine(payment_type, money(sums[payment_type]), NATIONAL_CURRENCY, guarantee_code if is_deferred else None)
        )
    if any(b.payment_type in deferred for b in lines) and ctx.document.deferred_until is None:
        ctx.notice(
            "deferral_without_deadline",
            "Ödənişə möhlət verilib, lakin möhlətin son tarixi (48-ci qrafa) göstərilməyib.",
            "A payment is deferred but the deadline (box 48) is missing.",
            box="48",
        )
    return lines, money(conditional)


def estimate_document(
    document: Declaration, on: date | None = None, *, options: CalcOptions | None = None
) -> Calculation:
    """:func:`calculate` with the administrators' current tariff, fee schedule, rates and
    classifiers from the database."""
    from gomruk.duties.rates import rates_lookup
    from gomruk.duties.selectors import tariff_snapshot

    return calculate(
        document,
        reference=current_reference(),
        tariff=tariff_snapshot(),
        rates=rates_lookup(),
        on=on,
        options=options,
    )
