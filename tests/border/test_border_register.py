"""Officers register goods at their own post (or a post of their department) only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gomruk.border.models import Arrival, ArrivalEvent
from gomruk.border.schemas import ArrivalIn
from gomruk.border.services import arrival_register, arrival_store
from gomruk.core.errors import GomrukError, NotFound
from gomruk.core.models import AuditEntry
from tests.border.conftest import OWN, arrival_data


def test_post_officer_registers_and_it_is_audited(register, users):
    arrival = register()
    assert arrival.state == "registered"
    assert str(arrival.gross_mass) == "12500.500"  # weights padded to 3 places
    assert arrival.consignor_country == "268"  # alpha-2 GE normalised to the numeric code
    assert arrival.registered_by == users["post_officer"]
    entry = AuditEntry.objects.get(action="border.arrival.register", object_id=str(arrival.pk))
    assert entry.actor == users["post_officer"]
    assert ArrivalEvent.objects.filter(arrival=arrival, to_state="registered").count() == 1


def test_department_officer_registers_at_its_posts(register):
    assert register(officer="inspektor", post_code="00102").post_code == "00102"  # 00100 ⊃ 00102


def test_officer_of_another_office_is_refused(register):
    with pytest.raises(GomrukError) as error:
        register(officer="inspektor2", post_code="00102")  # Tovuz department
    assert error.value.status == 403
    with pytest.raises(GomrukError) as error:
        register(officer="post_officer", post_code="00104")  # a sibling post
    assert error.value.status == 403
    assert not Arrival.objects.exists()


@pytest.mark.parametrize("who", ["deklarant", "broker", "admin", "inspektor0"])
def test_non_officers_cannot_register(register, who):
    with pytest.raises(GomrukError) as error:
        register(officer=who)
    assert error.value.status == 403


def test_every_wrong_field_is_reported_in_az_and_en(users):
    data = ArrivalIn.model_validate(
        arrival_data(
            consignee_voen="1234567890",
            transport_mode="98",
            transport_country="ZZ",
            commodity_codes=["0902", "12345"],
            arrived_at=(timezone.now() + dt.timedelta(days=1)).isoformat(),
            documents=[{"kind": "transport", "code": "7777", "number": "X"}],
        )
    )
    with pytest.raises(GomrukError) as error:
        arrival_register(officer=users["post_officer"], data=data)
    assert error.value.status == 422
    errors = {e["field"]: e for e in error.value.details["errors"]}
    assert set(errors) == {
        "consignee_voen", "transport_mode", "transport_country", "commodity_codes", "arrived_at", "transport_documents",
    }
    assert all(e["message_az"] and e["message_en"] and e["message_az"] != e["message_en"] for e in errors.values())
    assert "12345" in errors["commodity_codes"]["message_en"]


def test_api_post_arrivals(api, users):
    response = api.post("/arrivals", "inspektor", arrival_data())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["post_code"] == "00102" and body["post_name"] == "Biləcəri postu"
    assert body["state"] == "registered" and body["trader"]["voen"] == OWN
    assert Arrival.objects.filter(pk=body["id"]).exists()
    # A trader cannot register goods.
    response = api.post("/arrivals", "deklarant", arrival_data())
    assert response.status_code == 403
    # Content errors come back per field, with az and en messages.
    response = api.post("/arrivals", "inspektor", arrival_data(transport_mode="98"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "transport_mode"
    # Type errors too (the API's own request-validation shape).
    response = api.post("/arrivals", "inspektor", arrival_data(gross_mass="a lot"))
    assert response.status_code == 422


def test_officer_lists_arrivals_of_its_posts_only(api, register):
    mine = register()
    register(officer="inspektor2", post_code="00201")
    ids = [a["id"] for a in api.get("/arrivals", "inspektor").json()]
    assert ids == [str(mine.pk)]
    assert api.get("/arrivals", "deklarant").status_code == 403


def test_storage_moves_registered_goods_in(register, users):
    arrival = register()
    stored = arrival_store(officer=users["post_officer"], arrival_id=arrival.pk, storage_place="MSA-3")
    assert (stored.state, stored.storage_place) == ("in_storage", "MSA-3")
    with pytest.raises(NotFound):
        arrival_store(officer=users["inspektor2"], arrival_id=arrival.pk, storage_place="X")


def test_portal_form_registers_and_shows_errors_per_field(users, client):
    client.force_login(users["post_officer"])
    page = client.get("/border/arrivals/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html and '<label for="id_consignee_voen">' in html
    form = {
        "post_code": "00102", "consignee_voen": "1234567890", "arrived_at": "2026-01-15T10:30",
        "transport_mode": "30", "vehicle_identifiers": "10-AB-123", "consignor_name": "X",
        "description": "Çay", "gross_mass": "10", "transport_documents": "2015|CMR-1|2026-01-15",
    }
    response = client.post("/border/arrivals/new/", form)
    assert response.status_code == 422
    assert 'id="err_consignee_voen"' in response.content.decode()
    assert "VÖEN düzgün deyil." in response.content.decode()
    client.cookies["django_language"] = "en"
    html = client.post("/border/arrivals/new/", form).content.decode()
    assert "Not a valid VÖEN" in html
    html = client.post("/border/arrivals/new/", {**form, "gross_mass": ""}).content.decode()
    assert 'id="err_gross_mass"' in html and "This field is required." in html
    del client.cookies["django_language"]
    response = client.post("/border/arrivals/new/", {**form, "consignee_voen": OWN})
    assert response.status_code == 302
    arrival = Arrival.objects.get()
    assert arrival.documents == [{"kind": "transport", "code": "2015", "number": "CMR-1", "issued_on": "2026-01-15"}]


def test_portal_form_is_for_officers_only(users, client):
    client.force_login(users["deklarant"])
    assert client.get("/border/arrivals/new/").status_code == 403


def test_portal_form_needs_csrf(users):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["post_officer"])
    assert client.post("/border/arrivals/new/", {"post_code": "00102"}).status_code == 403
