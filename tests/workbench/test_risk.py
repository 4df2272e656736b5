from __future__ import annotations

import math
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gomruk.core.errors import GomrukError, PermissionDenied
from gomruk.core.models import AuditEntry
from gomruk.customs import services as customs
from gomruk.declarations.models import State, StatusEvent
from gomruk.risk import services
from gomruk.risk.criteria import Facts, ItemFacts
from gomruk.risk.engine import assess, compile_profile
from gomruk.risk.models import Decision, RiskAssessment, RiskProfileVersion
from gomruk.risk.services import ProfileInput
from tests.api.api_helpers import ApiClient, password_token

GRAPES = ProfileInput(
    code="R-GRAPE",
    name="Üzüm: aşağı qiymət",
    criteria=[
        {"kind": "commodity_prefix", "params": {"prefixes": ["0806"]}, "weight": 20},
        {"kind": "value_per_kg_below", "params": {"reference": "5.00", "commodity_prefix": "0806"}, "weight": 10,
         "channel": "red"},
    ],
)


def _registered(journey):
    sent = journey.at(State.SENT)
    return customs.declaration_register(officer=journey.users["inspektor"], declaration_id=sent.pk)


def test_a_matching_profile_sends_the_declaration_to_red_with_its_criteria(journey, analyst):
    services.risk_profile_create(analyst=analyst, data=GRAPES)
    declaration = _registered(journey)
    assessment = RiskAssessment.objects.get(declaration=declaration)
    # Example export: grapes 0806101000, box 45 5100.00 AZN for 2350 kg net → 2.17 AZN/kg < 5.
    assert assessment.proposed_channel == "red"
    assert assessment.score == 30
    assert [(m["profile"], m["kind"], m["items"]) for m in assessment.matched] == [
        ("R-GRAPE", "commodity_prefix", [1]), ("R-GRAPE", "value_per_kg_below", [1]),
    ]
    version = RiskProfileVersion.objects.get(profile__code="R-GRAPE")
    assert assessment.evaluated == [version.pk] and assessment.matched[0]["version_id"] == version.pk
    assert AuditEntry.objects.filter(action="risk.assess", object_id=str(declaration.pk)).exists()


def test_the_trader_cannot_see_why_in_page_or_api(journey, analyst):
    services.risk_profile_create(analyst=analyst, data=GRAPES)
    declaration = _registered(journey)
    customs.declaration_assign_channel(officer=journey.users["inspektor"], declaration_id=declaration.pk,
                                       channel="red", reason="R-GRAPE: aşağı qiymət 0806")
    client = Client()
    client.force_login(journey.users["deklarant"])
    page = client.get(f"/declarations/{declaration.pk}/").content.decode()
    api = ApiClient(password_token("deklarant"))
    body = api.get(f"/declarations/{declaration.pk}").text + api.get(f"/declarations/{declaration.pk}/events").text
    for text in (page, body):
        assert "R-GRAPE" not in text and "value_per_kg" not in text and "aşağı qiymət" not in text
    assert api.get("/customs/risk-profiles").status_code == 403
    # The officer of the office sees the criteria on its page.
    officer = Client()
    officer.force_login(journey.users["inspektor"])
    assert "R-GRAPE" in officer.get(f"/officer/declarations/{declaration.pk}/").content.decode()


def test_accept_and_override_are_recorded_and_audited(journey, analyst):
    services.risk_profile_create(analyst=analyst, data=GRAPES)
    first = _registered(journey)
    officer = journey.users["inspektor"]
    customs.declaration_assign_channel(officer=officer, declaration_id=first.pk, channel="red", reason="Qəbul")
    accepted = RiskAssessment.objects.get(declaration=first)
    assert (accepted.decision, accepted.decided_channel, accepted.decided_by) == (Decision.ACCEPTED, "red", officer)
    second = _registered(journey)
    with pytest.raises(GomrukError):
        customs.declaration_assign_channel(officer=officer, declaration_id=second.pk, channel="green", reason=" ")
    customs.declaration_assign_channel(officer=officer, declaration_id=second.pk, channel="green",
                                       reason="Sertifikat yoxlanılıb")
    overridden = RiskAssessment.objects.get(declaration=second)
    assert (overridden.decision, overridden.decided_reason) == (Decision.OVERRIDDEN, "Sertifikat yoxlanılıb")
    assert AuditEntry.objects.filter(action="risk.accept", object_id=str(first.pk)).exists()
    assert AuditEntry.objects.filter(action="risk.override", object_id=str(second.pk)).exists()
    # The trader's status event carries no reason for the channel.
    assert StatusEvent.objects.filter(declaration=second, to_state=State.UNDER_CONTROL).get().reason == ""


def test_a_revision_is_a_new_version_and_earlier_judgements_keep_theirs(journey, analyst):
    services.risk_profile_create(analyst=analyst, data=GRAPES)
    first = _registered(journey)
    services.risk_profile_revise(analyst=analyst, code="r-grape", data=ProfileInput(
        code="", name="Üzüm v2", criteria=[{"kind": "commodity_prefix", "params": {"prefixes": ["0806"]}, "weight": 5}],
    ))
    second = _registered(journey)
    v1, v2 = RiskProfileVersion.objects.filter(profile__code="R-GRAPE").order_by("number")
    assert RiskAssessment.objects.get(declaration=first).evaluated == [v1.pk]
    later = RiskAssessment.objects.get(declaration=second)
    assert later.evaluated == [v2.pk] and later.proposed_channel == "green" and later.score == 5


def test_validity_dates_and_deactivation_take_a_profile_out(journey, analyst):
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.risk_profile_create(analyst=analyst, data=ProfileInput(**{**GRAPES.__dict__, "valid_from": tomorrow}))
    assert RiskAssessment.objects.get(declaration=_registered(journey)).matched == []
    services.risk_profile_revise(analyst=analyst, code="R-GRAPE", data=GRAPES)
    services.risk_profile_set_active(analyst=analyst, code="R-GRAPE", active=False)
    assert RiskAssessment.objects.get(declaration=_registered(journey)).evaluated == []


@pytest.mark.parametrize(
    ("criterion", "field"),
    [
        ({"kind": "nonsense", "weight": 5}, "criteria/0/kind"),
        ({"kind": "commodity_prefix", "params": {"prefixes": []}, "weight": 5}, "criteria/0/params/prefixes"),
        ({"kind": "value_per_kg_below", "params": {"reference": "-1"}, "weight": 5}, "criteria/0/params/reference"),
        ({"kind": "office", "params": {"offices": ["00100"]}, "weight": 500}, "criteria/0/weight"),
        ({"kind": "office", "params": {"offices": ["00100"]}}, "criteria/0/weight"),
        ({"kind": "office", "params": {"offices": ["00100"]}, "channel": "purple"}, "criteria/0/channel"),
    ],
)
def test_a_bad_criterion_is_named(analyst, criterion, field):
    with pytest.raises(GomrukError) as caught:
        services.risk_profile_create(analyst=analyst, data=ProfileInput(code="X", name="x", criteria=[criterion]))
    assert caught.value.status == 422 and caught.value.details["field"] == field
    assert caught.value.message_az and caught.value.message_en


def test_only_a_risk_analyst_manages_profiles(users):
    for name in ("inspektor", "deklarant", "admin"):
        with pytest.raises(PermissionDenied):
            services.risk_profile_create(analyst=users[name], data=GRAPES)


def _facts(number: int) -> Facts:
    return Facts(office_code="00100", procedure="10", dispatch=frozenset({"AZ"}), trader_aeo=False,
                 trader_refusals=0, items=[ItemFacts(1, "0806101000", frozenset({"AZ"}), frozenset(), None, None, "")])


def test_random_selection_rate_is_honoured_over_1000_registrations():
    """1,000 simulated registrations with a seeded generator: the share sent to red at random
    lies within three standard deviations of the office's rate."""
    rate, n = Decimal("0.10"), 1000
    rng = random.Random(20260518)
    selected = sum(
        assess(_facts(i), [], rate=rate, random_channel="red", rng=rng, limits={"yellow": 30, "red": 60}).channel == "red"
        for i in range(n)
    )
    sigma = math.sqrt(n * 0.10 * 0.90)
    assert abs(selected - n * 0.10) <= 3 * sigma, selected
    # The generator is what decides: a rate of 0 never selects, a rate of 1 always does.
    assert not any(assess(_facts(0), [], rate=Decimal(0), random_channel="red", rng=rng).random_selected
                   for _ in range(100))
    assert all(assess(_facts(0), [], rate=Decimal(1), random_channel="red", rng=rng).random_selected
               for _ in range(100))


def test_random_selection_at_registration_uses_the_office_rate(journey, analyst, monkeypatch):
    services.random_selection_set(analyst=analyst, office_code="00100", rate="1", channel="yellow")
    monkeypatch.setattr(services, "RNG", random.Random(1))
    assessment = RiskAssessment.objects.get(declaration=_registered(journey))
    assert assessment.random_selected and assessment.proposed_channel == "yellow"
    assert assessment.random_rate == Decimal("1.0000")
    with pytest.raises(GomrukError) as caught:
        services.random_selection_set(analyst=analyst, office_code="00100", rate="1.5")
    assert caught.value.details["field"] == "rate"


def test_every_criterion_kind_matches_what_it_says():
    items = [
        ItemFacts(1, "0806101000", frozenset({"AZ", "031"}), frozenset({"N935"}), Decimal("2"), Decimal("1"), "100000"),
        ItemFacts(2, "8471300000", frozenset({"CN", "156"}), frozenset(), Decimal("50"), Decimal("40"), "400000"),
    ]
    facts = Facts(office_code="00100", procedure="40", dispatch=frozenset({"TR", "792"}), trader_aeo=False,
                  trader_refusals=2, items=items)
    cases = [
        ("commodity_prefix", {"prefixes": ["8471"]}, [2]),
        ("origin_country", {"countries": ["156"]}, [2]),
        ("dispatch_country", {"countries": ["TR"]}, [0]),
        ("procedure", {"codes": ["40"]}, [0]),
        ("value_per_kg_below", {"reference": "10"}, [1]),
        ("value_per_unit_below", {"reference": "50", "commodity_prefix": "8471"}, [2]),
        ("trader_not_aeo", {}, [0]),
        ("trader_refusals", {"at_least": 3}, []),
        ("office", {"offices": ["00200"]}, []),
        ("document_missing", {"code": "N935"}, [2]),
        ("document_present", {"code": "N935"}, [1]),
    ]
    for kind, params, expected in cases:
        profile = compile_profile(code="T", version_id=1, version=1, valid_from=timezone.localdate(), valid_to=None,
                                  criteria=[{"kind": kind, "params": params, "weight": 1}])
        assert profile.criteria[0].check(facts) == expected, kind
