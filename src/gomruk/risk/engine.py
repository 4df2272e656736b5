"""The selectivity engine: score a declaration against the active profile versions and propose
a control channel.

The engine is a pure function of :class:`Facts`, a compiled :class:`Ruleset`, the office's
random-selection rate and a random number generator, so tests and the benchmark can give a
seeded generator and check the random share over many simulated registrations.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from gomruk.risk.criteria import CHANNELS, SEVERITY, Check, Facts, ItemFacts, compile_criterion


@dataclass(frozen=True)
class CompiledCriterion:
    index: int
    kind: str
    weight: int
    channel: str
    check: Check


@dataclass(frozen=True)
class CompiledProfile:
    code: str
    version_id: int
    version: int
    valid_from: date
    valid_to: date | None
    criteria: tuple[CompiledCriterion, ...]


@dataclass(frozen=True)
class Ruleset:
    profiles: tuple[CompiledProfile, ...]

    def in_force(self, on: date) -> list[CompiledProfile]:
        return [p for p in self.profiles if p.valid_from <= on and (p.valid_to is None or on <= p.valid_to)]


def compile_profile(*, code: str, version_id: int, version: int, valid_from: date, valid_to: date | None,
                    criteria: list[dict[str, Any]]) -> CompiledProfile:
    return CompiledProfile(
        code=code, version_id=version_id, version=version, valid_from=valid_from, valid_to=valid_to,
        criteria=tuple(
            CompiledCriterion(index=i, kind=c["kind"], weight=int(c.get("weight") or 0),
                              channel=str(c.get("channel") or ""), check=compile_criterion(c))
            for i, c in enumerate(criteria)
        ),
    )


@dataclass
class Verdict:
    score: int
    channel: str
    matched: list[dict[str, Any]] = field(default_factory=list)
    evaluated: list[int] = field(default_factory=list)
    random_selected: bool = False


def thresholds() -> dict[str, int]:
    """Score from which a channel is proposed (``GOMRUK_RISK_THRESHOLDS``)."""
    return dict(settings.GOMRUK_RISK_THRESHOLDS)


def channel_for_score(score: int, limits: dict[str, int]) -> str:
    chosen = "green"
    for channel in CHANNELS:
        if channel in limits and score >= limits[channel] and SEVERITY[channel] > SEVERITY[chosen]:
            chosen = channel
    return chosen


def assess(facts: Facts, profiles: list[CompiledProfile], *, rate: Decimal, random_channel: str,
           rng: random.Random, limits: dict[str, int] | None = None) -> Verdict:
    limits = thresholds() if limits is None else limits
    score = 0
    forced = "green"
    matched: list[dict[str, Any]] = []
    for profile in profiles:
        for criterion in profile.criteria:
            items = criterion.check(facts)
            if not items:
                continue
            score += criterion.weight
            if criterion.channel and SEVERITY[criterion.channel] > SEVERITY[forced]:
                forced = criterion.channel
            matched.append({
                "profile": profile.code, "version_id": profile.version_id, "version": profile.version,
                "criterion": criterion.index, "kind": criterion.kind, "weight": criterion.weight,
                "channel": criterion.channel, "items": [] if items == [0] else items,
            })
    channel = channel_for_score(score, limits)
    if SEVERITY[forced] > SEVERITY[channel]:
        channel = forced
    # One draw per registration, always taken, so a seeded generator gives the same sequence
    # whatever the profiles matched.
    selected = rng.random() < float(rate)
    if selected and SEVERITY.get(random_channel, 0) > SEVERITY[channel]:
        channel = random_channel
    return Verdict(score=score, channel=channel, matched=matched,
                   evaluated=[p.version_id for p in profiles], random_selected=selected)


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _per(value: Decimal | None, amount: Decimal | None) -> Decimal | None:
    if value is None or amount is None or amount <= 0:
        return None
    return value / amount


def _countries(codes: Any) -> frozenset[str]:
    if not isinstance(codes, dict):
        return frozenset()
    return frozenset(str(codes[k]).upper() for k in ("alpha", "numeric") if codes.get(k))


def facts_from_document(document: dict[str, Any], *, office_code: str, trader_aeo: bool,
                        trader_refusals: int) -> Facts:
    """Facts of the stored document (box 45 is AZN; box 38 net kg; box 31 quantity)."""
    items = []
    for number, goods in enumerate(document.get("goods") or [], start=1):
        value = _decimal(goods.get("customs_value"))
        items.append(ItemFacts(
            number=number,
            commodity_code=str(goods.get("commodity_code") or ""),
            origin=_countries(goods.get("origin_country")),
            documents=frozenset(str(d.get("code")).upper() for d in goods.get("documents") or [] if d.get("code")),
            value_per_kg=_per(value, _decimal(goods.get("net_mass"))),
            value_per_unit=_per(value, _decimal(goods.get("quantity"))),
            procedure_code=str(goods.get("procedure_code") or ""),
        ))
    return Facts(
        office_code=office_code,
        procedure=str(document.get("procedure") or ""),
        dispatch=_countries(document.get("dispatch_country")),
        trader_aeo=trader_aeo,
        trader_refusals=trader_refusals,
        items=items,
    )
