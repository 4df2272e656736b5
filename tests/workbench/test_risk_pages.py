"""Risk analysts keep profiles in the portal and the API."""

from __future__ import annotations

from django.test import Client

from gomruk.risk.models import RandomSelection, RiskProfile
from tests.api.api_helpers import ApiClient, password_token


def _analyst(users) -> Client:
    client = Client()
    client.force_login(users["analitik"])
    return client


def test_an_analyst_creates_and_revises_a_profile_in_the_portal(users):
    client = _analyst(users)
    assert client.get("/risk/").status_code == 200
    form = {"code": "R-7", "name": "Elektronika", "description": "", "valid_from": "", "valid_to": "", "active": "on",
            "kind_0": "commodity_prefix", "value_0": "8471, 8517", "weight_0": "40", "channel_0": "",
            "kind_1": "origin_country", "value_1": "156", "weight_1": "", "channel_1": "red"}
    response = client.post("/risk/new/", form)
    assert response.status_code == 302
    profile = RiskProfile.objects.get(code="R-7")
    version = profile.versions.get()
    assert version.criteria == [
        {"kind": "commodity_prefix", "params": {"prefixes": "8471, 8517"}, "weight": 40, "channel": ""},
        {"kind": "origin_country", "params": {"countries": "156"}, "weight": 0, "channel": "red"},
    ]
    listing = client.get("/risk/").content.decode()
    assert "R-7" in listing and "8471, 8517" in listing
    edit = client.get("/risk/R-7/").content.decode()
    assert 'value="8471, 8517"' in edit
    client.post("/risk/R-7/", {**form, "weight_0": "55"})
    profile.refresh_from_db()
    assert profile.current_version == 2 and profile.versions.count() == 2


def test_a_bad_criterion_is_shown_and_the_input_kept(users):
    client = _analyst(users)
    response = client.post("/risk/new/", {"code": "R-8", "name": "x", "kind_0": "value_per_kg_below",
                                          "value_0": "abc", "weight_0": "10"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "İstinad dəyəri müsbət ədəd olmalıdır" in page and 'value="abc"' in page
    assert not RiskProfile.objects.filter(code="R-8").exists()


def test_random_rate_in_the_portal_and_only_analysts_enter(users):
    client = _analyst(users)
    client.post("/risk/random/", {"office_code": "00100", "rate": "0,05", "channel": "red"})
    assert str(RandomSelection.objects.get(office_code="00100").rate) == "0.0500"
    officer = Client()
    officer.force_login(users["inspektor"])
    assert officer.get("/risk/").status_code == 403


def test_the_risk_profile_api(users):
    for name in ("analitik", "inspektor"):
        users[name].is_demo = True
        users[name].save()
    api = ApiClient(password_token("analitik"))
    body = {"code": "R-API", "name": "Tekstil", "criteria": [
        {"kind": "commodity_prefix", "params": {"prefixes": ["61", "62"]}, "weight": 35}]}
    created = api.post("/customs/risk-profiles", body)
    assert created.status_code == 201, created.content
    assert created.json()["current_version"] == 1 and len(created.json()["versions"]) == 1
    revised = api.post("/customs/risk-profiles/R-API/versions", {**body, "name": "Tekstil 2"})
    assert revised.json()["current_version"] == 2
    assert [p["code"] for p in api.get("/customs/risk-profiles").json()["items"]] == ["R-API"]
    bad = api.post("/customs/risk-profiles", {**body, "code": "R-BAD", "criteria": [{"kind": "x", "weight": 1}]})
    assert bad.status_code == 422 and bad.json()["field"] == "criteria/0/kind"
    assert api.put("/customs/risk-profiles/random-selection/00100", {"rate": "0.1"}).json()["rate"] == "0.1000"
    assert ApiClient(password_token("inspektor")).get("/customs/risk-profiles").status_code == 403
