"""Risk profiles (mounted at /customs/risk-profiles): risk analysts only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from gomruk.accounts.bearer import bearer_auth, caller
from gomruk.api.schemas import PROBLEM_RESPONSES
from gomruk.risk import selectors, services
from gomruk.risk.criteria import KINDS
from gomruk.risk.models import RandomSelection, RiskProfile, RiskProfileVersion

router = Router(tags=["risk"], auth=bearer_auth)


class CriterionIn(Schema):
    kind: str = Field(description=", ".join(KINDS))
    params: dict[str, Any] = Field(default_factory=dict)
    weight: int = Field(0, ge=0, le=100)
    channel: str = Field("", description="'' or green | blue | yellow | red: forces at least this channel")


class ProfileIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    description: str = Field("", max_length=4000)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=50)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    active: bool = True


class RevisionIn(Schema):
    name: str = Field(max_length=200)
    description: str = Field("", max_length=4000)
    criteria: list[CriterionIn] = Field(min_length=1, max_length=50)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    active: bool = True


class RiskVersionOut(Schema):
    id: int
    number: int
    name: str
    description: str
    criteria: list[dict[str, Any]]
    valid_from: dt.date
    valid_to: dt.date | None
    created_at: dt.datetime


class RiskProfileOut(Schema):
    code: str
    name: str
    active: bool
    current_version: int
    versions: list[RiskVersionOut] = []


class ProfilesOut(Schema):
    items: list[RiskProfileOut]


class RandomIn(Schema):
    rate: Decimal = Field(ge=0, le=1, description="share of registrations, 0–1")
    channel: str = "red"


class RandomOut(Schema):
    office_code: str
    rate: Decimal
    channel: str


def _version(v: RiskProfileVersion) -> RiskVersionOut:
    return RiskVersionOut(id=v.pk, number=v.number, name=v.name, description=v.description, criteria=v.criteria,
                      valid_from=v.valid_from, valid_to=v.valid_to, created_at=v.created_at)


def _profile(p: RiskProfile, versions: list[RiskProfileVersion] | None = None) -> RiskProfileOut:
    return RiskProfileOut(code=p.code, name=p.name, active=p.active, current_version=p.current_version,
                      versions=[_version(v) for v in versions or []])


def _input(code: str, payload: ProfileIn | RevisionIn) -> services.ProfileInput:
    return services.ProfileInput(
        code=code, name=payload.name, description=payload.description,
        criteria=[c.dict() for c in payload.criteria], valid_from=payload.valid_from, valid_to=payload.valid_to,
        active=payload.active,
    )


@router.get("", response={200: ProfilesOut, **PROBLEM_RESPONSES}, summary="Risk profiles")
def list_profiles(request: HttpRequest) -> ProfilesOut:
    return ProfilesOut(items=[_profile(p) for p in selectors.profiles(analyst=caller(request))])


@router.post("", response={201: RiskProfileOut, **PROBLEM_RESPONSES}, summary="Create a risk profile (version 1)")
def create(request: HttpRequest, payload: ProfileIn) -> Status:
    analyst = caller(request)
    profile = services.risk_profile_create(analyst=analyst, data=_input(payload.code, payload))
    return Status(201, _profile(*selectors.profile_get(analyst=analyst, code=profile.code)))


@router.get("/random-selection", response={200: list[RandomOut], **PROBLEM_RESPONSES},
            summary="Random-selection rate of each office")
def random_rates(request: HttpRequest) -> list[RandomOut]:
    return [_random(r) for r in selectors.random_selections(analyst=caller(request))]


def _random(row: RandomSelection) -> RandomOut:
    return RandomOut(office_code=row.office_code, rate=row.rate, channel=row.channel)


@router.put("/random-selection/{office_code}", response={200: RandomOut, **PROBLEM_RESPONSES},
            summary="Set an office's random-selection rate")
def set_random(request: HttpRequest, office_code: str, payload: RandomIn) -> RandomOut:
    return _random(services.random_selection_set(analyst=caller(request), office_code=office_code,
                                                 rate=payload.rate, channel=payload.channel))


@router.get("/{code}", response={200: RiskProfileOut, **PROBLEM_RESPONSES}, summary="A profile with every version")
def get(request: HttpRequest, code: str) -> RiskProfileOut:
    return _profile(*selectors.profile_get(analyst=caller(request), code=code))


@router.post("/{code}/versions", response={201: RiskProfileOut, **PROBLEM_RESPONSES},
             summary="Revise a profile: a new version (earlier ones stay)")
def revise(request: HttpRequest, code: str, payload: RevisionIn) -> Status:
    analyst = caller(request)
    services.risk_profile_revise(analyst=analyst, code=code, data=_input(code, payload))
    return Status(201, _profile(*selectors.profile_get(analyst=analyst, code=code)))
