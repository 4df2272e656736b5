"""Reads of the risk app. Profiles are read by risk analysts; an assessment by an officer of
the declaration's office only — never by the trader."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gomruk.accounts.models import User
from gomruk.accounts.selectors import officer_office
from gomruk.core.errors import NotFound
from gomruk.declarations.models import Declaration
from gomruk.risk.models import RandomSelection, RiskAssessment, RiskProfile, RiskProfileVersion
from gomruk.risk.services import latest_assessment, require_analyst


def profiles(*, analyst: User) -> QuerySet[RiskProfile]:
    """Every profile by code, its versions fetched with it (both doors list the current one)."""
    require_analyst(analyst)
    return RiskProfile.objects.order_by("code").prefetch_related("versions")


def profile_get(*, analyst: User, code: str) -> tuple[RiskProfile, list[RiskProfileVersion]]:
    require_analyst(analyst)
    try:
        profile = RiskProfile.objects.get(code=str(code).strip().upper())
    except RiskProfile.DoesNotExist as exc:
        raise NotFound("Risk profili", "Risk profile", code=str(code)) from exc
    return profile, list(profile.versions.order_by("-number"))


def random_selections(*, analyst: User) -> QuerySet[RandomSelection]:
    require_analyst(analyst)
    return RandomSelection.objects.order_by("office_code")


def assessment_for_officer(*, officer: User, declaration: Declaration) -> RiskAssessment | None:
    """The latest assessment, only for an officer of the declaration's office."""
    office = officer_office(officer)
    if office is None or office != declaration.office_code:
        return None
    return latest_assessment(declaration)


def matched_versions(assessment: RiskAssessment) -> dict[Any, RiskProfileVersion]:
    """The profile versions whose criteria an assessment matched, by id: the stored criterion
    is described as it stood when it matched."""
    return {
        v.pk: v for v in RiskProfileVersion.objects.filter(pk__in={m["version_id"] for m in assessment.matched})
    }
