"""Writes of the risk app: profiles and their versions (risk analysts), the random-selection
rate of an office, and the assessment made at registration (called by customs through the
``customs.registered`` / ``customs.channel_assigned`` hooks, inside its transaction)."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from gomruk.accounts.models import Role, Trader, User
from gomruk.core.audit import audit_record
from gomruk.core.errors import Bilingual, GomrukError, NotFound, PermissionDenied
from gomruk.declarations.models import Declaration, State, StatusEvent
from gomruk.risk.criteria import CHANNELS, Facts, clean_criterion
from gomruk.risk.engine import Ruleset, Verdict, assess, compile_profile, facts_from_document
from gomruk.risk.errors import ERRORS
from gomruk.risk.models import (
    Decision,
    RandomSelection,
    RiskAssessment,
    RiskProfile,
    RiskProfileVersion,
)

#: The generator of random selection. Tests and the benchmark replace it with a seeded
#: ``random.Random`` (``risk.services.RNG = random.Random(7)``).
RNG: random.Random = random.SystemRandom()
REFUSAL_WINDOW_DAYS = 365


def require_analyst(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != Role.RISK_ANALYST:
        raise PermissionDenied(
            "Risk profillərini yalnız risk analitiki idarə edə bilər.",
            "Only a risk analyst may manage risk profiles.",
        )


def _invalid(field: str, message_az: str, message_en: str) -> GomrukError:
    return ERRORS.error(
        "invalid_risk_profile", status=422, details={"field": field}, reason=Bilingual(message_az, message_en)
    )


@dataclass(frozen=True)
class ProfileInput:
    code: str
    name: str
    criteria: list[dict[str, Any]]
    valid_from: date | None = None
    valid_to: date | None = None
    description: str = ""
    active: bool = True


def _clean(data: ProfileInput) -> tuple[str, str, list[dict[str, Any]], date, date | None]:
    code = (data.code or "").strip().upper()
    if not code or len(code) > 20 or not code.replace("-", "").replace("_", "").isalnum():
        raise _invalid("code", "Profilin kodu 1–20 hərf, rəqəm və ya «-» olmalıdır.",
                       "The profile code must be 1–20 letters, digits or '-'.")
    name = (data.name or "").strip()
    if not name:
        raise _invalid("name", "Profilin adını yazın.", "Give the profile a name.")
    if not data.criteria:
        raise _invalid("criteria", "Ən azı bir meyar verin.", "Give at least one criterion.")
    if len(data.criteria) > 50:
        raise _invalid("criteria", "Bir profildə ən çox 50 meyar ola bilər.", "A profile holds at most 50 criteria.")
    criteria = [clean_criterion(raw, i) for i, raw in enumerate(data.criteria)]
    valid_from = data.valid_from or timezone.localdate()
    if data.valid_to is not None and data.valid_to < valid_from:
        raise _invalid("valid_to", "Son tarix başlanğıcdan əvvəl ola bilməz.", "The end date cannot be before the start date.")
    return code, name[:200], criteria, valid_from, data.valid_to


def _write_version(profile: RiskProfile, analyst: User, name: str, description: str,
                   criteria: list[dict[str, Any]], valid_from: date, valid_to: date | None) -> RiskProfileVersion:
    number = profile.current_version + 1
    version = RiskProfileVersion.objects.create(
        profile=profile, number=number, name=name, description=description, criteria=criteria,
        valid_from=valid_from, valid_to=valid_to, created_by=analyst,
    )
    profile.current_version = number
    profile.name = name
    profile.save(update_fields=["current_version", "name", "active", "updated_at"])
    return version


def risk_profile_create(*, analyst: User, data: ProfileInput) -> RiskProfile:
    require_analyst(analyst)
    code, name, criteria, valid_from, valid_to = _clean(data)
    with transaction.atomic():
        if RiskProfile.objects.filter(code=code).exists():
            raise ERRORS.error("risk_profile_exists", status=409, details={"field": "code"}, code=code)
        profile = RiskProfile.objects.create(code=code, name=name, active=data.active, created_by=analyst)
        version = _write_version(profile, analyst, name, data.description.strip(), criteria, valid_from, valid_to)
        audit_record(actor=analyst, action="risk.profile.create", object_type="risk.profile", object_id=code,
                     details={"version": version.number, "criteria": len(criteria)})
    return profile


def risk_profile_revise(*, analyst: User, code: str, data: ProfileInput) -> RiskProfile:
    """A new version; declarations judged by the old one keep pointing at it."""
    require_analyst(analyst)
    _, name, criteria, valid_from, valid_to = _clean(ProfileInput(**{**data.__dict__, "code": code}))
    with transaction.atomic():
        profile = _locked_profile(code)
        profile.active = data.active
        version = _write_version(profile, analyst, name, data.description.strip(), criteria, valid_from, valid_to)
        audit_record(actor=analyst, action="risk.profile.revise", object_type="risk.profile", object_id=profile.code,
                     details={"version": version.number, "criteria": len(criteria), "active": profile.active})
    return profile


def risk_profile_set_active(*, analyst: User, code: str, active: bool) -> RiskProfile:
    require_analyst(analyst)
    with transaction.atomic():
        profile = _locked_profile(code)
        profile.active = active
        profile.save(update_fields=["active", "updated_at"])
        audit_record(actor=analyst, action="risk.profile.activate" if active else "risk.profile.deactivate",
                     object_type="risk.profile", object_id=profile.code)
    return profile


def _locked_profile(code: str) -> RiskProfile:
    try:
        return RiskProfile.objects.select_for_update().get(code=str(code).strip().upper())
    except RiskProfile.DoesNotExist as exc:
        raise NotFound("Risk profili", "Risk profile", code=str(code)) from exc


def random_selection_set(*, analyst: User, office_code: str, rate: Any, channel: str = "red") -> RandomSelection:
    require_analyst(analyst)
    office_code = (office_code or "").strip()
    if not office_code.isdigit() or len(office_code) != 5:
        raise _invalid("office_code", "Gömrük orqanının kodu 5 rəqəmdir.", "The customs office code is 5 digits.")
    try:
        value = Decimal(str(rate).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        raise _invalid("rate", "Təsadüfi seçim payı 0 ilə 1 arasında olmalıdır (məs. 0.05).",
                       "The random-selection rate must be between 0 and 1 (e.g. 0.05).")
    if channel not in CHANNELS:
        raise _invalid("channel", f"«{channel}» dəhlizi yoxdur.", f"Unknown channel '{channel}'.")
    with transaction.atomic():
        row, _ = RandomSelection.objects.update_or_create(
            office_code=office_code,
            defaults={"rate": value.quantize(Decimal("0.0001")), "channel": channel, "updated_by": analyst},
        )
        audit_record(actor=analyst, action="risk.random_rate.set", object_type="office", object_id=office_code,
                     details={"rate": str(row.rate), "channel": channel})
    return row


# --- The ruleset, compiled once per change ---------------------------------------------------

_cache_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "ruleset": Ruleset(())}


def active_ruleset() -> Ruleset:
    """The latest version of every active profile, compiled; rebuilt only when a profile
    changed (one aggregate query per registration otherwise)."""
    active = RiskProfile.objects.filter(active=True)
    stamp = active.aggregate(n=Count("id"), at=Max("updated_at"), v=Max("versions__id"))
    key = (stamp["n"], stamp["at"], stamp["v"])
    with _cache_lock:
        if _cache["key"] == key:
            return _cache["ruleset"]  # type: ignore[no-any-return]
    versions = RiskProfileVersion.objects.filter(profile__active=True).select_related("profile")
    latest = [v for v in versions if v.number == v.profile.current_version]
    ruleset = Ruleset(tuple(
        compile_profile(code=v.profile.code, version_id=v.pk, version=v.number, valid_from=v.valid_from,
                        valid_to=v.valid_to, criteria=v.criteria)
        for v in sorted(latest, key=lambda v: v.profile.code)
    ))
    with _cache_lock:
        _cache.update(key=key, ruleset=ruleset)
    return ruleset


def declaration_facts(declaration: Declaration) -> Facts:
    trader = Trader.objects.filter(voen=declaration.trader_voen).values_list("is_aeo", flat=True).first()
    since = timezone.now() - timedelta(days=REFUSAL_WINDOW_DAYS)
    refusals = StatusEvent.objects.filter(
        declaration__trader_voen=declaration.trader_voen, to_state=State.REFUSED, at__gte=since
    ).count()
    return facts_from_document(declaration.document, office_code=declaration.office_code,
                               trader_aeo=bool(trader), trader_refusals=refusals)


def _rate_of(office_code: str) -> tuple[Decimal, str]:
    row = RandomSelection.objects.filter(office_code=office_code).values_list("rate", "channel").first()
    return (row[0], row[1]) if row else (Decimal(0), "red")


def verdict_for(declaration: Declaration, *, rng: random.Random | None = None) -> tuple[Verdict, Decimal]:
    rate, channel = _rate_of(declaration.office_code)
    profiles = active_ruleset().in_force(timezone.localdate())
    verdict = assess(declaration_facts(declaration), profiles, rate=rate, random_channel=channel, rng=rng or RNG)
    return verdict, rate


def on_registered(*, declaration: Declaration, officer: User, registration: Any = None, **_: Any) -> RiskAssessment:
    """Hook ``customs.registered``: score the declaration and record the proposal."""
    verdict, rate = verdict_for(declaration)
    assessment = RiskAssessment.objects.create(
        declaration=declaration, registration_id=getattr(registration, "pk", None), score=verdict.score,
        proposed_channel=verdict.channel, matched=verdict.matched, evaluated=verdict.evaluated,
        random_selected=verdict.random_selected, random_rate=rate,
    )
    audit_record(
        actor=officer, action="risk.assess", object_type="declaration", object_id=str(declaration.pk),
        details={"score": verdict.score, "proposed": verdict.channel, "random": verdict.random_selected,
                 "matched": [(m["profile"], m["version"], m["criterion"]) for m in verdict.matched],
                 "versions": len(verdict.evaluated)},
    )
    return assessment


def on_channel_assigned(*, declaration: Declaration, officer: User, channel: str, reason: str, **_: Any) -> None:
    """Hook ``customs.channel_assigned``: the officer accepted the proposal or overrode it."""
    assessment = latest_assessment(declaration)
    if assessment is None or assessment.decision != Decision.PENDING:
        return
    accepted = channel == assessment.proposed_channel
    assessment.decision = Decision.ACCEPTED if accepted else Decision.OVERRIDDEN
    assessment.decided_channel = channel
    assessment.decided_reason = reason
    assessment.decided_by = officer
    assessment.decided_at = timezone.now()
    assessment.save(update_fields=["decision", "decided_channel", "decided_reason", "decided_by", "decided_at"])
    audit_record(
        actor=officer, action="risk.accept" if accepted else "risk.override", object_type="declaration",
        object_id=str(declaration.pk),
        details={"proposed": assessment.proposed_channel, "channel": channel, "reason": reason},
    )


def latest_assessment(declaration: Declaration) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(declaration=declaration).order_by("-created_at", "-id").first()
