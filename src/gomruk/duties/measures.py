"""How one tariff measure turns into an amount: ad valorem, specific, combined, engine-volume
bands; privilege exemptions; the quantity a specific rate is charged on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from gomruk.document.model import Declaration, GoodsItem
from gomruk.duties.money import ZERO, fmt, fmt_percent, fmt_qty, fmt_rate, money
from gomruk.duties.rates import RateLookup, RateQuote, is_national
from gomruk.duties.results import UNEXPLAINED, CalcOptions, Exempted, ItemResult, Notice, Text
from gomruk.duties.tariff import CM3, KG, Measure, TariffSnapshot
from gomruk.reference.codes import NATIONAL_ALPHA
from gomruk.reference.snapshot import ReferenceData


@dataclass
class Context:
    document: Declaration
    reference: ReferenceData
    tariff: TariffSnapshot
    rates: RateLookup
    on: date | None
    tariff_date: date
    options: CalcOptions
    notices: list[Notice] = field(default_factory=list)
    quotes: list[RateQuote] = field(default_factory=list)
    # Names of currencies, units and payment types repeat on every item's lines.
    _names: dict[tuple[str, str], object] = field(default_factory=dict)

    def notice(self, code: str, az: str, en: str, *, item: int | None = None, box: str | None = None) -> None:
        self.notices.append(Notice(code, Text(az, en), item, box))

    def rate(self, currency: str) -> RateQuote | None:
        quote = self.rates(currency, self.on)
        if quote is not None:
            self.quotes.append(quote)
        return quote

    def alpha(self, currency: str) -> str:
        """Letter code for printing formulas ('840' → 'USD')."""
        key = ("alpha", currency)
        if key not in self._names:
            code = currency.strip().upper()
            if code.isdigit():
                row = self.reference.lookup("currencies", code)
                code = str(row.attributes.get("alpha") or code) if row else code
            self._names[key] = code
        return str(self._names[key])

    def unit_name(self, unit: str) -> str:
        key = ("unit", unit)
        if key not in self._names:
            row = self.reference.lookup("units", unit)
            self._names[key] = str(row.attributes.get("abbrev_az") or row.name_az) if row else unit
        return str(self._names[key])

    def type_name(self, payment_type: str) -> Text:
        key = ("type", payment_type)
        name = self._names.get(key)
        if not isinstance(name, Text):
            row = self.reference.lookup("payment-types", payment_type)
            name = Text(payment_type, payment_type) if row is None else Text(row.name_az, row.name_en or row.name_az)
            self._names[key] = name
        return name


def exempt(ctx: Context, result: ItemResult, item: GoodsItem, payment_type: str) -> bool:
    exemption = ctx.tariff.exemption_for(item.privilege, payment_type, ctx.tariff_date)
    if exemption is None:
        return False
    row = ctx.reference.lookup("privileges", exemption.privilege)
    name = ctx.type_name(payment_type)
    result.exempted.append(
        Exempted(
            item=result.item,
            payment_type=payment_type,
            privilege=exemption.privilege,
            text=Text(
                f"{payment_type} {name.az}: {exemption.privilege} imtiyazı ilə azaddır"
                + (f" ({row.name_az})" if row else ""),
                f"{payment_type} {name.en}: exempt under privilege {exemption.privilege}"
                + (f" ({row.name_en})" if row else ""),
            ),
        )
    )
    return True


def quantity_in(ctx: Context, result: ItemResult, item: GoodsItem, unit: str) -> Decimal | None:
    """The item's quantity in ``unit``: net mass (box 38) for kg, otherwise the box 31
    quantity if it is stated in that unit (box 41)."""
    if unit == KG and item.net_mass is not None:
        return item.net_mass
    if item.quantity is not None and item.supplementary_unit == unit:
        return item.quantity
    ctx.notice(
        "no_quantity",
        f"Malın {ctx.unit_name(unit)} ({unit}) vahidində miqdarı yoxdur (31, 41-ci qrafalar).",
        f"The item has no quantity in {ctx.unit_name(unit)} ({unit}) (boxes 31, 41).",
        item=result.item,
        box="31",
    )
    return None


@dataclass(slots=True)  # built for every line of a calculation: not frozen, which costs more (as Line)
class _Part:
    amount: Decimal  # unrounded AZN
    base: Decimal
    base_unit: str
    rate: str
    text: Text


def ad_valorem(percent: Decimal, base: Decimal, *, explain: bool = True) -> _Part:
    amount = base * percent / 100
    rate = fmt_percent(percent)
    if not explain:
        return _Part(amount, base, NATIONAL_ALPHA, rate, UNEXPLAINED)
    text = f"{rate} × {fmt(base)} AZN = {fmt(money(amount))} AZN"
    return _Part(amount, base, NATIONAL_ALPHA, rate, Text(text, text))


def _specific(ctx: Context, result: ItemResult, item: GoodsItem, measure: Measure) -> _Part | None:
    if measure.specific_amount is None:
        return None
    quantity = quantity_in(ctx, result, item, measure.unit)
    if quantity is None:
        return None
    currency = measure.currency or NATIONAL_ALPHA
    unit = ctx.unit_name(measure.unit)
    rate_text = f"{fmt(measure.specific_amount, None)} {ctx.alpha(currency)}/{unit}"
    head = f"{rate_text} × {fmt_qty(quantity)} {unit}"
    if is_national(currency):
        amount = measure.specific_amount * quantity
        text = f"{head} = {fmt(money(amount))} AZN"
    else:
        quote = ctx.rate(currency)
        if quote is None:
            ctx.notice(
                "no_rate",
                f"{ctx.alpha(currency)} valyutasının AMB məzənnəsi yoxdur.",
                f"There is no CBAR rate for {ctx.alpha(currency)}.",
                item=result.item,
                box="47",
            )
            return None
        amount = measure.specific_amount * quantity * quote.rate
        text = f"{head} × {fmt_rate(quote.rate)} AZN/{ctx.alpha(currency)} = {fmt(money(amount))} AZN"
    return _Part(amount, quantity, unit, rate_text, Text(text, text))


def _bands(ctx: Context, result: ItemResult, item: GoodsItem, measure: Measure) -> _Part | None:
    volume = quantity_in(ctx, result, item, measure.unit or CM3)
    if volume is None:
        return None
    unit = ctx.unit_name(measure.unit or CM3)
    amount = ZERO
    lower = Decimal(0)
    pieces: list[str] = []
    rates: list[str] = []
    for band in measure.bands:
        upper = volume if band.up_to is None else min(volume, band.up_to)
        portion = upper - lower
        if portion <= 0:
            break
        amount += portion * band.rate
        pieces.append(f"{fmt_qty(portion)} {unit} × {fmt(band.rate, None)} AZN")
        rates.append(fmt(band.rate, None))
        lower = upper
    text = " + ".join(pieces) + f" = {fmt(money(amount))} AZN"
    return _Part(amount, volume, unit, ";".join(rates) + f" AZN/{unit}", Text(text, text))


def measure_part(
    ctx: Context, result: ItemResult, item: GoodsItem, measure: Measure, value_base: Decimal
) -> _Part | None:
    if measure.kind == "ad_valorem" and measure.percent is not None:
        return ad_valorem(measure.percent, value_base, explain=ctx.options.explain)
    if measure.kind == "specific":
        return _specific(ctx, result, item, measure)
    if measure.kind == "bands":
        return _bands(ctx, result, item, measure)
    if measure.kind == "combined" and measure.percent is not None:
        by_value = ad_valorem(measure.percent, value_base)
        by_quantity = _specific(ctx, result, item, measure)
        if by_quantity is None:
            return by_value
        chosen = by_quantity if money(by_quantity.amount) > money(by_value.amount) else by_value
        rate = f"{by_value.rate};{by_quantity.rate}"
        text = Text(
            f"{by_value.rate}, lakin {by_quantity.rate}-dən az olmayaraq: {by_value.text.az}; "
            f"{by_quantity.text.az} → {fmt(money(chosen.amount))} AZN",
            f"{by_value.rate} but not less than {by_quantity.rate}: {by_value.text.en}; "
            f"{by_quantity.text.en} → {fmt(money(chosen.amount))} AZN",
        )
        return _Part(chosen.amount, chosen.base, chosen.base_unit, rate, text)
    return None
