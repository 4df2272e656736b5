"""Issue 19 in the portal: the declarant amends (edits boxes, sees the differences, signs,
sends), asks for cancellation and complains; the holding office accepts or refuses; the
superior body reviews and decides. Pages are Azerbaijani first, carry no inline script or
style (strict CSP), and keep their tables scrollable on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import gomruk
from gomruk.complaints.models import Complaint, ComplaintState
from gomruk.declarations.models import AmendmentRequest, RequestStatus, State, StatusEvent

TEMPLATES = Path(gomruk.__file__).parent / "portal" / "templates" / "portal"
NEW_TEMPLATES = [
    *sorted((TEMPLATES / "after").glob("*.html")),
    *sorted((TEMPLATES / "complaints").glob("*.html")),
    TEMPLATES / "officer" / "complaints.html",
    TEMPLATES / "officer" / "requests.html",
    TEMPLATES / "officer" / "amendment.html",
    TEMPLATES / "partials" / "changes.html",
    TEMPLATES / "partials" / "payments_difference.html",
    TEMPLATES / "partials" / "request_decisions.html",
]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_new_pages_have_no_inline_script_or_style():
    for path in NEW_TEMPLATES:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\sstyle\s*=|<style", text), path
        assert not re.search(r"\son[a-z]+\s*=", text), path


def test_a_declarant_amends_in_the_portal_and_the_office_accepts(flow, journey):
    users = journey.users
    registered = flow.to(flow.sent(), State.REGISTERED)
    declarant, officer = _client(users["deklarant"]), _client(users["inspektor"])

    page = declarant.get(reverse("portal:declaration", args=[registered.pk]))
    assert page.status_code == 200
    assert "Düzəliş sorğusu hazırla" in page.content.decode() and "Ləğv sorğusu" in page.content.decode()

    started = declarant.post(reverse("portal:amendment_new", args=[registered.pk]))
    amendment = AmendmentRequest.objects.get(declaration=registered)
    assert started.status_code == 302 and started["Location"] == reverse("portal:amendment", args=[registered.pk, 1])

    item = declarant.get(reverse("portal:amendment_item", args=[registered.pk, 1, "goods", 1]))
    assert item.status_code == 200 and 'name="/goods/0/gross_mass"' in item.content.decode()
    saved = declarant.post(
        reverse("portal:amendment_item", args=[registered.pk, 1, "goods", 1]),
        {"/goods/0/gross_mass": "2600,5", "go": "overview"},
    )
    assert saved.status_code == 302
    amendment.refresh_from_db()
    assert amendment.document["goods"][0]["gross_mass"] == "2600.500"
    overview = declarant.get(reverse("portal:amendment", args=[registered.pk, 1])).content.decode()
    assert "2500.000" in overview and "2600.500" in overview and "/goods/0/gross_mass" in overview
    # No reason yet: the signing page says why it cannot sign.
    refused = declarant.get(reverse("portal:amendment_signing", args=[registered.pk, 1]))
    assert refused.status_code == 422 and "Səbəbi yazın" in refused.content.decode()
    declarant.post(reverse("portal:amendment_reason", args=[registered.pk, 1]), {"reason": "Çəki aktına görə"})
    signing = declarant.get(reverse("portal:amendment_signing", args=[registered.pk, 1]))
    assert signing.status_code == 200
    payload = declarant.get(reverse("portal:amendment_payload", args=[registered.pk, 1])).content
    signature = journey.pki.sign("deklarant", payload)
    from django.core.files.uploadedfile import SimpleUploadedFile

    sent = declarant.post(
        reverse("portal:amendment_sign", args=[registered.pk, 1]),
        {"signature": SimpleUploadedFile("a.p7s", signature), "version": "2"},
    )
    assert sent.status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == RequestStatus.REQUESTED

    waiting = officer.get(reverse("portal:officer_requests")).content.decode()
    assert reverse("portal:officer_amendment", args=[registered.pk, 1]) in waiting
    detail = officer.get(reverse("portal:officer_amendment", args=[registered.pk, 1])).content.decode()
    assert "Çəki aktına görə" in detail and "2600.500" in detail
    accepted = officer.post(reverse("portal:officer_amendment", args=[registered.pk, 1]), {"decision": "accept"})
    assert accepted.status_code == 302
    registered.refresh_from_db()
    assert registered.version == 2 and registered.document["goods"][0]["gross_mass"] == "2600.500"

    versions = declarant.get(reverse("portal:versions", args=[registered.pk])).content.decode()
    assert "Çəki aktına görə" in versions and "?version=1" in versions
    first = declarant.get(reverse("portal:pdf", args=[registered.pk]) + "?version=1")
    assert first.status_code == 200 and first["Content-Disposition"].endswith('-v1.pdf"')
    assert declarant.get(reverse("portal:pdf", args=[registered.pk]) + "?version=9").status_code == 404
    diff = declarant.get(reverse("portal:version_diff", args=[registered.pk, 2])).content.decode()
    assert "2600.500" in diff
    timeline = declarant.get(reverse("portal:declaration", args=[registered.pk])).content.decode()
    assert "Düzəliş qəbul edildi" in timeline
    english = Client()
    english.force_login(users["deklarant"])
    english.cookies["django_language"] = "en"
    assert "Amendment accepted" in english.get(reverse("portal:declaration", args=[registered.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_office_refuses_an_amendment_with_reasons_per_box_in_the_portal(flow, journey):
    from tests.after.amend import request_amendment, set_gross_mass

    sent = flow.sent()
    request_amendment(journey, sent, set_gross_mass("2600.000"))
    officer = _client(journey.users["inspektor"])
    response = officer.post(
        reverse("portal:officer_amendment", args=[sent.pk, 1]),
        {"decision": "refuse", "reason_box_1": "35", "reason_item_1": "1", "reason_text_1": "Çəki aktı yoxdur"},
    )
    assert response.status_code == 302
    amendment = AmendmentRequest.objects.get(declaration=sent)
    assert amendment.status == RequestStatus.REFUSED
    page = _client(journey.users["deklarant"]).get(reverse("portal:amendment", args=[sent.pk, 1])).content.decode()
    assert "Çəki aktı yoxdur" in page


def test_cancellation_in_the_portal(flow, journey):
    sent = flow.sent()
    declarant, officer = _client(journey.users["deklarant"]), _client(journey.users["inspektor"])
    declarant.post(reverse("portal:cancellation", args=[sent.pk]), {"reason": "Müqavilə ləğv edildi"})
    page = officer.get(reverse("portal:officer_declaration", args=[sent.pk])).content.decode()
    assert "Müqavilə ləğv edildi" in page
    officer.post(reverse("portal:officer_cancellation", args=[sent.pk, 1]), {"decision": "accept"})
    sent.refresh_from_db()
    assert sent.state == State.CANCELLED


def test_a_complaint_in_the_portal_from_lodging_to_decision(flow, journey):
    users = journey.users
    refused = flow.to(flow.sent(office="00102"), State.REFUSED, officer="post_officer")
    declarant, reviewer = _client(users["deklarant"]), _client(users["inspektor"])
    refusal = StatusEvent.objects.filter(declaration=refused, details__action="refuse").get()

    page = declarant.get(reverse("portal:declaration", args=[refused.pk])).content.decode()
    assert f"?decision={refusal.pk}" in page
    form = declarant.get(reverse("portal:complaint_new", args=[refused.pk]) + f"?decision={refusal.pk}")
    assert form.status_code == 200 and "checked" in form.content.decode()
    created = declarant.post(
        reverse("portal:complaint_new", args=[refused.pk]), {"decision": str(refusal.pk), "grounds": "Lisenziya var"}
    )
    complaint = Complaint.objects.get(declaration=refused)
    assert created["Location"] == reverse("portal:complaint", args=[complaint.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    declarant.post(reverse("portal:complaint_attach", args=[complaint.pk]), {"file": SimpleUploadedFile("l.pdf", b"%PDF-1.4 x")})
    payload = declarant.get(reverse("portal:complaint_payload", args=[complaint.pk])).content
    declarant.post(
        reverse("portal:complaint_sign", args=[complaint.pk]),
        {"signature": SimpleUploadedFile("s.p7s", journey.pki.sign("deklarant", payload))},
    )
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.LODGED

    queue = reviewer.get(reverse("portal:officer_complaints")).content.decode()
    assert reverse("portal:complaint", args=[complaint.pk]) in queue
    detail = reviewer.get(reverse("portal:complaint", args=[complaint.pk])).content.decode()
    assert "Baxışa götür" in detail and "Lisenziya var" in detail
    pdf = reviewer.get(reverse("portal:complaint_declaration_pdf", args=[complaint.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reviewer.post(reverse("portal:complaint_take", args=[complaint.pk]))
    reviewer.post(
        reverse("portal:complaint_decide", args=[complaint.pk]),
        {"outcome": "upheld", "text": "İmtina ləğv edilir"},
    )
    complaint.refresh_from_db()
    refused.refresh_from_db()
    assert complaint.state == ComplaintState.UPHELD and refused.state == State.UNDER_CONTROL
    mine = declarant.get(reverse("portal:complaint", args=[complaint.pk])).content.decode()
    assert "İmtina ləğv edilir" in mine and "Təmin edilib" in mine
    # The deciding office reads it; others do not.
    assert _client(users["post_officer"]).get(reverse("portal:complaint", args=[complaint.pk])).status_code == 200
    for stranger in ("deklarant2", "inspektor2"):
        assert _client(users[stranger]).get(reverse("portal:complaint", args=[complaint.pk])).status_code == 404


@pytest.mark.parametrize("name", ["portal:complaints", "portal:officer_complaints", "portal:officer_requests"])
def test_lists_need_the_right_role(journey, officers, name):
    trader_page = name == "portal:complaints"
    assert _client(journey.users["deklarant"]).get(reverse(name)).status_code == (200 if trader_page else 403)
    assert _client(journey.users["inspektor"]).get(reverse(name)).status_code == (403 if trader_page else 200)
