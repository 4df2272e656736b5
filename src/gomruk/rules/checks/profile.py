"""Profile rules (§4.2): boxes the declarant must fill, must leave empty, and must not touch."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import Any

from gomruk.document.shape import fields_of_box
from gomruk.rules.base import (
    REGISTRY,
    Env,
    Forbidden,
    Required,
    Rule,
    RuleError,
    field_path,
    filled_everywhere,
    is_empty,
)
from gomruk.rules.profiles import BOX_ORDER, BoxStatus, Profile

# What "filled" means for a box that must be filled: each of these leaves is non-empty.
# Boxes whose completeness is a rule of its own (V-2-2, V-14-1 …) are claimed by that rule.
REQUIRED_LEAVES: dict[str, tuple[str, ...]] = {
    "A": ("/office_of_dispatch/office_code", "/office_of_dispatch/usd_rate", "/office_of_dispatch/usd_rate_date"),
    "1": ("/direction", "/procedure"),
    "5": ("/total_items",),
    "6": ("/total_packages",),
    "10": ("/first_destination_country/alpha", "/first_destination_country/numeric"),
    "11": ("/trading_country/alpha", "/trading_country/numeric"),
    "12": ("/total_customs_value",),
    "13": ("/aeo_indicator",),
    "15": ("/dispatch_country_name",),
    "15a": ("/dispatch_country/alpha", "/dispatch_country/numeric"),
    "16": ("/origin_country_name",),
    "17": ("/destination_country_name",),
    "17a": ("/destination_country/alpha", "/destination_country/numeric"),
    "18": ("/departure_transport/count", "/departure_transport/identifiers", "/departure_transport/nationality"),
    "19": ("/container_indicator",),
    "21": ("/border_transport/nationality",),
    "22": ("/invoice_currency", "/total_invoice_value"),
    "23": ("/exchange_rate",),
    "24": ("/transaction_nature",),
    "25": ("/border_transport_mode",),
    "26": ("/inland_transport_mode",),
    "29": ("/border_office",),
    "50": ("/principal_statement",),
    "53": ("/destination_office/office_name", "/destination_office/country"),
    "54": ("/place_and_signature/place", "/place_and_signature/date", "/place_and_signature/signatory_name"),
    "32": ("/goods/*/item_number",),
    "33": ("/goods/*/commodity_code",),
    "34": ("/goods/*/origin_country/alpha", "/goods/*/origin_country/numeric"),
    "35": ("/goods/*/gross_mass",),
    "36": ("/goods/*/privilege",),
    "37": ("/goods/*/procedure_code",),
    "38": ("/goods/*/net_mass",),
    "42": ("/goods/*/invoice_value",),
    "43": ("/goods/*/valuation/adjusted", "/goods/*/valuation/method"),
    "44": ("/goods/*/documents",),
    "45": ("/goods/*/customs_value",),
    "46": ("/goods/*/statistical_value",),
}
# Box 47 is not in the map: it is declaration-wide, fees charged once, usually on item 1
# (spec §3.3 box 47).


@cache
def claimed_leaves() -> frozenset[str]:
    claimed: set[str] = set()
    for rule in REGISTRY.values():
        if isinstance(rule, Required) and rule.declaration_types is None and rule.procedures is None:
            claimed.update(rule.fields)
    return frozenset(claimed)


def required_leaves(box: str) -> tuple[str, ...]:
    claimed = claimed_leaves()
    return tuple(p for p in REQUIRED_LEAVES.get(box, ()) if p not in claimed)


def all_required_leaves(profile_must: list[str]) -> list[str]:
    """Every leaf (generic or claimed by a box rule) a declaration of this profile must fill."""
    leaves: list[str] = []
    by_rule: dict[str, tuple[str, ...]] = {}
    for rule in REGISTRY.values():
        unconditional = not getattr(rule, "always", False) and type(rule).when is Rule.when
        if isinstance(rule, Required) and rule.declaration_types is None and rule.procedures is None and unconditional:
            by_rule[rule.boxes[0]] = by_rule.get(rule.boxes[0], ()) + rule.fields
    for box in profile_must:
        leaves.extend(REQUIRED_LEAVES.get(box, ()))
        leaves.extend(p for p in by_rule.get(box, ()) if p not in leaves)
    return leaves


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return is_empty(value)


@cache
def _m1_plan(profile: Profile) -> tuple[tuple[tuple[str, str, tuple[str, ...]], ...], tuple[tuple[str, str, Any], ...], bool]:
    """(header checks, per-item checks, whether box 47 is due) of one profile, computed once.
    An item's leaf is read by one ``attrgetter`` (a missing part raises AttributeError)."""
    header: list[tuple[str, str, tuple[str, ...]]] = []
    goods: list[tuple[str, str, Any]] = []
    for box in profile.boxes(BoxStatus.MUST):
        for pattern in required_leaves(box):
            parts = field_path(pattern).parts
            if parts[:2] == ("goods", "*"):
                goods.append((box, "/".join(parts[2:]), attrgetter(".".join(parts[2:]))))
            else:
                header.append((box, pattern, parts))
    return tuple(header), tuple(goods), profile.must("47")


def _filled_in_every_item(goods: list[Any], read: Any) -> bool:
    """Whether this leaf is filled in every goods item, answered by C loops (False also when
    that is not known this way: a part missing on the way, lists, other kinds)."""
    try:
        values = list(map(read, goods))
    except AttributeError:
        return False
    return filled_everywhere(values)


class M_1(Rule):
    """A box the profile of this declaration type, direction and procedure marks as mandatory
    (spec §4.2) is filled."""

    message_az = "Bu qrafa bu bəyannamə növü və prosedur üçün mütləq doldurulmalıdır."
    message_en = "This box must be filled for this declaration type and procedure."
    boxes = BOX_ORDER
    reads_all_boxes = True

    def check(self, env: Env) -> Iterator[RuleError]:
        # One finding per box (and goods item), at its first missing part: a box with three
        # empty sub-fields is one thing for the declarant to fix, not three.
        doc = env.doc
        header, goods, payments_due = _m1_plan(env.profile)
        reported: set[str] = set()
        for box, pattern, parts in header:
            if box in reported:
                continue
            value: object = doc
            for part in parts:
                value = getattr(value, part, None)
                if value is None:
                    break
            if _missing(value):
                reported.add(box)
                yield self.error(pattern, value, box=box)
        # A leaf filled in every item has nothing to report: only the others are walked, so the
        # findings are the walk's, item by item (ADR 0052).
        pending = tuple(check for check in goods if not _filled_in_every_item(doc.goods, check[2]))
        for i, item in enumerate(doc.goods if pending else ()):
            reported.clear()
            for box, subpath, read in pending:
                if box in reported:
                    continue
                try:
                    value = read(item)
                except AttributeError:  # a part on the way is missing
                    value = None
                # The common filled scalars answered here: fourteen leaves of a hundred items.
                kind = type(value)
                if kind is Decimal or kind is int or (kind is str and value.strip()):  # type: ignore[attr-defined]
                    continue
                if _missing(value):
                    reported.add(box)
                    yield self.error(f"/goods/{i}/{subpath}", value, box=box, item=i + 1)
        if payments_due and doc.goods and not any(g.payments for g in doc.goods):
            yield self.error("/goods/0/payments", None, box="47", item=1)


class M_2(Rule):
    """A box the profile does not list (spec §4.2, empty cell) is left empty."""

    message_az = "Bu qrafa bu bəyannamə növü və prosedur üçün doldurulmur."
    message_en = "This box is not filled for this declaration type and procedure."
    boxes = BOX_ORDER
    reads_all_boxes = True

    def check(self, env: Env) -> Iterator[RuleError]:
        for box in env.profile.boxes(BoxStatus.EMPTY):
            if box == "43" and env.doc.direction == "İX":
                continue  # V-43-2 reports it
            for pattern in fields_of_box(box):
                fp = field_path(pattern)
                for indices, value in fp.iter(env.doc):
                    if not is_empty(value):
                        yield self.error(fp.pointer(indices), value, box=box)


class SystemBox(Forbidden):
    abstract = True

    def check(self, env: Env) -> Iterator[RuleError]:
        if env.context.customs_view:
            return iter(())
        return super().check(env)


class V_7_1(SystemBox):
    """Box 7 (request / registration number) is assigned by the system; the declarant leaves it
    empty (Q-01)."""

    message_az = "7-ci qrafanı (sorğu nömrəsi) sistem doldurur; bəyannaməçi onu boş saxlamalıdır."
    message_en = "Box 7 (registration number) is assigned by the system; leave it empty."
    boxes = ("7",)
    fields = ("/registration_number",)


class V_C_1(SystemBox):
    """Box C is for customs' technological notes only (Q-50)."""

    message_az = "C qrafasını yalnız gömrük orqanı doldurur."
    message_en = "Box C is filled by customs only."
    boxes = ("C",)
    fields = ("/customs_notes",)


class V_D_1(SystemBox):
    """Box D (control by customs) is filled by customs only."""

    message_az = "D qrafasını (gömrük nəzarəti) yalnız gömrük orqanı doldurur."
    message_en = "Box D (customs control) is filled by customs only."
    boxes = ("D",)
    fields = ("/customs_control",)
