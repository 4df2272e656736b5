"""The officer's queue: columns, search, filters, sort, scope, assignment, XLSX, API."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from gomruk.core.errors import GomrukError, NotFound, PermissionDenied
from gomruk.customs import services as customs
from gomruk.declarations.models import State
from gomruk.risk import services as risk
from gomruk.risk.services import ProfileInput
from gomruk.workbench import services
from gomruk.workbench.presenters import queue_row
from gomruk.workbench.selectors import QueueFilters, queue
from tests.api.api_helpers import ApiClient, password_token


@pytest.fixture
def office(journey, analyst):
    """Three declarations at office 00100 (one registered and scored red, one sent, one sent
    by the broker for another trader) and one at office 00200."""
    risk.risk_profile_create(analyst=analyst, data=ProfileInput(
        code="R-1", name="Üzüm", criteria=[{"kind": "commodity_prefix", "params": {"prefixes": ["0806"]}, "weight": 70}],
    ))
    registered = journey.at(State.SENT)
    customs.declaration_register(officer=journey.users["inspektor"], declaration_id=registered.pk)
    sent = journey.at(State.SENT)
    elsewhere = journey.draft()
    elsewhere = journey.send(journey.confirm(journey.sign(elsewhere)), office="00200")
    return {"registered": registered, "sent": sent, "elsewhere": elsewhere}


def _ids(officer, **filters):
    return [d.pk for d in queue(officer=officer, filters=QueueFilters(**filters))]


def test_an_officer_sees_only_its_office(journey, office):
    assert set(_ids(journey.users["inspektor"])) == {office["registered"].pk, office["sent"].pk}
    assert _ids(journey.users["inspektor2"]) == [office["elsewhere"].pk]
    with pytest.raises(PermissionDenied):
        queue(officer=journey.users["deklarant"], filters=QueueFilters())
    with pytest.raises(NotFound):
        services.declaration_assign(actor=journey.users["inspektor2"], declaration_id=office["sent"].pk,
                                    officer_id=journey.users["inspektor2"].pk)


def test_rows_carry_trader_value_items_score_channel_and_age(journey, office):
    rows = {r["id"]: r for r in map(queue_row, queue(officer=journey.users["inspektor"], filters=QueueFilters()))}
    scored = rows[office["registered"].pk]
    assert scored["trader_name"] == "Xəzər Ticarət MMC" and scored["trader_voen"] == "1401555071"
    assert scored["declared_value"] == Decimal("12240.00") and scored["goods_count"] == 3
    assert (scored["risk_score"], scored["proposed_channel"]) == (70, "red")
    assert scored["age_hours"] == 0
    assert rows[office["sent"].pk]["risk_score"] is None


def test_search_filters_and_sort(journey, office):
    officer = journey.users["inspektor"]
    number = office["registered"].registration_number
    assert _ids(officer, q=number) == [office["registered"].pk]
    assert set(_ids(officer, q="Xəzər")) == {office["registered"].pk, office["sent"].pk}
    assert set(_ids(officer, q="0806")) == {office["registered"].pk, office["sent"].pk}
    assert _ids(officer, q="9999") == []
    assert _ids(officer, channel="red") == [office["registered"].pk]
    assert _ids(officer, min_score=50) == [office["registered"].pk]
    assert _ids(officer, state=State.SENT) == [office["sent"].pk]
    assert _ids(officer, sort="-score")[0] == office["registered"].pk
    assert _ids(officer, sort="age") == list(reversed(_ids(officer, sort="-age")))
    for bad in ({"state": "draft"}, {"channel": "purple"}, {"sort": "colour"}, {"assigned": "x"}):
        with pytest.raises(GomrukError) as caught:
            queue(officer=officer, filters=QueueFilters(**bad))
        assert caught.value.details["field"] == next(iter(bad))


def test_self_assign_and_the_supervisor_assigns(journey, office, users):
    officer, supervisor = users["inspektor"], users["rehber"]
    sent = office["sent"]
    services.declaration_assign(actor=officer, declaration_id=sent.pk, officer_id=officer.pk)
    assert _ids(officer, assigned="me") == [sent.pk]
    assert _ids(officer, assigned="none") == [office["registered"].pk]
    # An officer cannot take it from a colleague or hand it over; the supervisor can.
    with pytest.raises(PermissionDenied):
        services.declaration_assign(actor=officer, declaration_id=office["registered"].pk, officer_id=supervisor.pk)
    services.declaration_assign(actor=supervisor, declaration_id=sent.pk, officer_id=supervisor.pk)
    with pytest.raises(PermissionDenied):
        services.declaration_assign(actor=officer, declaration_id=sent.pk, officer_id=None)
    assert _ids(officer, assigned=str(supervisor.pk)) == [sent.pk]
    with pytest.raises(NotFound):  # an officer of another office is no colleague
        services.declaration_assign(actor=supervisor, declaration_id=sent.pk, officer_id=users["inspektor2"].pk)


def test_the_page_export_and_api_use_the_same_filters(journey, office):
    client = Client()
    client.force_login(journey.users["inspektor"])
    page = client.get("/officer/", {"q": "0806", "channel": "red"}).content.decode()
    assert office["registered"].registration_number in page and "Xəzər Ticarət MMC" in page
    assert "12\u00a0240,00" in page  # issue 16.8: az groups thousands with a no-break space
    export = client.get("/officer/queue.xlsx", {"channel": "red"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == office["registered"].registration_number and rows[1][5] == 70
    api = ApiClient(password_token("inspektor"))
    body = api.get("/customs/queue", data={"channel": "red"}).json()
    assert body["count"] == 1 and body["items"][0]["proposed_channel"] == "red"
    assert api.get("/customs/queue", data={"sort": "nope"}).status_code == 422
    xlsx = api.get("/customs/queue.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    taken = api.post(f"/customs/declarations/{office['sent'].pk}/assignment",
                     {"officer_id": journey.users["inspektor"].pk})
    assert taken.status_code == 200 and taken.json()["assignee"] == "inspektor"
    journey.users["inspektor2"].set_password("gomruk-demo")
    journey.users["inspektor2"].is_demo = True
    journey.users["inspektor2"].save()
    other = ApiClient(password_token("inspektor2"))
    assert other.get("/customs/queue").json()["count"] == 1


def test_border_arrivals_page_is_in_the_officer_menu_with_names(journey, users):
    from tests.workbench.test_notifications import _arrival_for

    _arrival_for("1401555071", users["post_officer"])
    client = Client()
    client.force_login(users["post_officer"])
    home = client.get("/officer/").content.decode()
    assert 'href="/border/arrivals/"' in home
    page = client.get("/border/arrivals/").content.decode()
    assert "Biləcəri postu (00102)" in page and "Avtomobil nəqliyyatı (30)" in page and "Gürcüstan (268)" in page
    assert "Xəzər Ticarət MMC (1401555071)" in page
