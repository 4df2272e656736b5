"""Dashboards: the figures, their SVG charts (valid, numbers equal to the table), the
downloads, and who may see which office."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from gomruk.core.errors import GomrukError, PermissionDenied
from gomruk.declarations.models import State
from gomruk.reports.selectors import dashboard_scope, figure
from tests.api.api_helpers import ApiClient, password_token

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def activity(journey):
    made = [journey.at(State.RELEASED), journey.at(State.RELEASED), journey.at(State.RETURNED),
            journey.at(State.REFUSED), journey.at(State.SENT)]
    return made


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _marks(svg: bytes) -> list[tuple[str, float, ET.Element]]:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title") is not None
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter(f"{SVG}style"))
    assert all("style" not in e.attrib for e in root.iter())
    return [(e.get("data-label"), float(e.get("data-value")), e) for e in root.iter() if e.get("data-value")]


def test_chart_numbers_equal_the_table(journey, activity):
    officer = journey.users["inspektor"]
    client = _client(officer)
    page = client.get("/officer/dashboard/")
    assert page.status_code == 200
    html = page.content.decode()
    scope = dashboard_scope(user=officer)
    for name in ("per_day", "channels", "release_time", "returns", "payments"):
        table = figure(user=officer, name=name, scope=scope)
        assert f"/officer/dashboard/{name}.svg?" in html
        response = client.get(f"/officer/dashboard/{name}.svg")
        assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
        marks = _marks(response.content)
        if name == "per_day":
            # one dot per day and state drawn, each equal to the table's cell
            expected = [float(row[i]) for i in range(1, len(table.columns)) for row in table.rows]
            assert [v for _, v, _ in marks] == expected
        elif name == "release_time":
            expected = [float(row[1]) for row in table.rows if row[1] is not None] + [
                float(row[2]) for row in table.rows if row[2] is not None]
            assert [v for _, v, _ in marks] == expected
        else:
            assert [v for _, v, _ in marks] == [float(row[1]) for row in table.rows]
        if name == "channels":
            # The bars' heights are the values on one scale: the drawing says what the table says.
            heights = {label: float(e.get("height")) for label, _, e in marks}
            values = {label: v for label, v, _ in marks}
            nonzero = [k for k, v in values.items() if v]
            base = nonzero[0]
            for k in nonzero:
                assert heights[k] / heights[base] == pytest.approx(values[k] / values[base], rel=0.01)
    channels = figure(user=officer, name="channels", scope=scope)
    assert {r[0]: r[1] for r in channels.rows}["sarı"] == 4  # the journey assigns yellow
    returns = figure(user=officer, name="returns", scope=scope)
    assert returns.rows == [["33", 1]]
    per_day = figure(user=officer, name="per_day", scope=scope)
    today = [r for r in per_day.rows if r[0] == timezone.localdate()][0]
    assert today[1:] == [5, 4, 4, 2, 1, 1]  # sent, registered, under control, released, refused, returned
    release = figure(user=officer, name="release_time", scope=scope)
    assert [r[3] for r in release.rows if r[0] == timezone.localdate()] == [2]
    payments = figure(user=officer, name="payments", scope=scope)
    assert [r[1] for r in payments.rows if r[0] == timezone.localdate()] == [Decimal("480.00")]


def test_the_table_downloads_as_csv_and_xlsx(journey, activity):
    client = _client(journey.users["inspektor"])
    rows = list(csv.reader(io.StringIO(client.get("/officer/dashboard/channels.csv").content.decode())))
    assert rows[0] == ["Dəhliz", "Bəyannamələr"] and ["sarı", "4"] in rows
    book = load_workbook(io.BytesIO(client.get("/officer/dashboard/returns.xlsx").content))
    assert list(book.active.iter_rows(values_only=True)) == [("Qrafa", "Səbəblər"), ("33", 1)]
    assert client.get("/officer/dashboard/channels.pdf").status_code == 404


def test_scope_office_for_officers_service_for_analysts(journey, activity, users):
    officer, analyst = users["inspektor"], users["analitik"]
    with pytest.raises(PermissionDenied):
        dashboard_scope(user=officer, office="00200")
    with pytest.raises(PermissionDenied):
        dashboard_scope(user=users["deklarant"])
    other = figure(user=users["inspektor2"], name="channels", scope=dashboard_scope(user=users["inspektor2"]))
    assert sum(r[1] for r in other.rows) == 0
    service = figure(user=analyst, name="channels", scope=dashboard_scope(user=analyst))
    assert sum(r[1] for r in service.rows) == 4
    assert _client(users["deklarant"]).get("/officer/dashboard/").status_code == 403
    assert _client(analyst).get("/officer/dashboard/?office=00100").status_code == 200
    for bad in ({"date_from": "2026-13-01"}, {"date_from": "2026-02-01", "date_to": "2026-01-01"},
                {"date_from": "2020-01-01", "date_to": "2026-01-01"}, {"office": "abc"}):
        with pytest.raises(GomrukError) as caught:
            dashboard_scope(user=analyst, **bad)
        assert caught.value.status == 422


def test_the_api_returns_the_same_figures(journey, activity):
    api = ApiClient(password_token("inspektor"))
    body = api.get("/customs/dashboard").json()
    assert body["office"] == "00100" and [f["name"] for f in body["figures"]] == [
        "per_day", "channels", "release_time", "returns", "payments"]
    svg = api.get("/customs/dashboard/channels.svg")
    assert svg.status_code == 200
    channels = next(f for f in body["figures"] if f["name"] == "channels")
    assert [v for _, v, _ in _marks(svg.content)] == [float(r[1]) for r in channels["rows"]]
    assert api.get("/customs/dashboard", data={"office": "00200"}).status_code == 403


def test_empty_figures_still_draw(users):
    analyst = users["analitik"]
    client = _client(analyst)
    for name in ("per_day", "channels", "release_time", "returns", "payments"):
        response = client.get(f"/officer/dashboard/{name}.svg")
        assert response.status_code == 200, name
        ET.fromstring(response.content)
