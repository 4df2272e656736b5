"""Issue 16.9: the declarant's home searches by number, trader and date, sorts, and exports
the same list to XLSX (``/declarations.xlsx``) — through one selector, scoped to the caller."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gomruk.declarations.models import Declaration, State
from gomruk.declarations.selectors import HomeSearch, home_rows
from gomruk.declarations.services import declaration_create
from gomruk.demo import factories as examples


@pytest.fixture
def mine(demo):
    """Three declarations of the declarant, created on three days, and one of another trader."""
    user = demo["deklarant"]
    rows = []
    for day, number, state in ((1, "00100/011126/0000007", State.RELEASED), (5, None, State.DRAFT),
                               (9, "00100/091126/0000003", State.SENT)):
        d = declaration_create(user=user, document=examples.export_gb(), voen="1401555071")
        at = timezone.make_aware(dt.datetime(2026, 11, day, 12, 0))
        Declaration.objects.filter(pk=d.pk).update(created_at=at, updated_at=at, registration_number=number,
                                                   state=state)
        rows.append(Declaration.objects.get(pk=d.pk))
    other = declaration_create(user=user, document=examples.export_gb(), voen="1401555071")
    Declaration.objects.filter(pk=other.pk).update(registration_number="00100/011126/0000099",
                                                   created_by=demo["deklarant2"], trader_voen="1900310041")
    return rows


def ids(user, **search):
    return [d.pk for d in home_rows(user=user, search=HomeSearch(**search))]


def test_search_by_number_trader_and_dates_is_scoped_to_the_caller(demo, mine):
    user = demo["deklarant"]
    first, draft, sent = mine
    assert ids(user) == [sent.pk, draft.pk, first.pk]  # last changed first
    assert ids(user, q="0000007") == [first.pk]
    assert ids(user, q="011126") == [first.pk]  # the other trader's 0000099 is never listed
    assert set(ids(user, q="xəzər")) == {d.pk for d in mine}  # by the trader's name
    assert set(ids(user, q="1401555")) == {d.pk for d in mine}  # by VÖEN
    assert ids(user, q="Naxçıvan") == []
    assert ids(user, created_from=dt.date(2026, 11, 5), created_to=dt.date(2026, 11, 5)) == [draft.pk]
    assert ids(user, created_from=dt.date(2026, 11, 2)) == [sent.pk, draft.pk]
    assert ids(user, created_to=dt.date(2026, 11, 8)) == [draft.pk, first.pk]
    assert ids(user, state=State.SENT) == [sent.pk]


def test_sorts(demo, mine):
    user = demo["deklarant"]
    first, draft, sent = mine
    assert ids(user, sort="created") == [first.pk, draft.pk, sent.pk]
    assert ids(user, sort="-created") == [sent.pk, draft.pk, first.pk]
    assert ids(user, sort="number") == [first.pk, sent.pk, draft.pk]  # no number last
    assert ids(user, sort="nonsense") == ids(user)  # a hand-edited link falls back to the default


def test_the_page_filters_and_sorts(declarant_client, mine):
    first, draft, sent = mine
    page = declarant_client.get("/", {"q": "0000007"}).content.decode()
    assert first.registration_number in page and sent.registration_number not in page
    assert "Xəzər Ticarət MMC" in page and 'id="home-q"' in page
    page = declarant_client.get("/", {"from": "2026-11-06", "to": "not a date", "sort": "created"}).content.decode()
    assert sent.registration_number in page and first.registration_number not in page
    assert 'value="2026-11-06"' in page  # the chosen date stays in the form


def test_xlsx_export_has_the_same_rows(declarant_client, mine):
    first, draft, sent = mine
    response = declarant_client.get("/declarations.xlsx", {"q": "00100/", "sort": "created"})
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert 'filename="declarations.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Nömrə" and rows[0][7] == "Mərhələ"
    assert [r[0] for r in rows[1:]] == [first.registration_number, sent.registration_number]
    assert rows[1][5] == "Xəzər Ticarət MMC" and rows[1][7] == "Buraxılıb"  # the label, not "released"
    assert rows[1][8] == dt.datetime(2026, 11, 1, 12, 0)


def test_xlsx_export_needs_a_trader(officer_client):
    response = officer_client.get("/declarations.xlsx")
    assert response.status_code in (302, 403)


def test_officer_queue_searches_by_sent_date(officer_client, export_declaration, demo):
    at = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 0))
    Declaration.objects.filter(pk=export_declaration.pk).update(
        state=State.REGISTERED, office_code=demo["inspektor"].office_code, sent_at=at,
        registration_number="00100/201126/0000001",
    )
    inside = officer_client.get("/officer/", {"from": "2026-11-20", "to": "2026-11-20"}).content.decode()
    assert "00100/201126/0000001" in inside
    outside = officer_client.get("/officer/", {"from": "2026-11-21"}).content.decode()
    assert "00100/201126/0000001" not in outside
    export = officer_client.get("/officer/queue.xlsx", {"to": "2026-11-19"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only
