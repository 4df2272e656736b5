"""Every version is kept and listed with who, when and why; differences box by box; the PDF
prints the version asked for."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from gomruk.core.errors import GomrukError
from gomruk.core.models import AuditEntry
from gomruk.customs import requests as customs_requests
from gomruk.declarations import amendments
from gomruk.declarations.versions import declaration_versions, document_diff, version_diff
from gomruk.printing.services import declaration_print
from tests.after.amend import request_amendment, set_gross_mass


def test_document_diff_groups_changes_by_box_and_goods_item():
    before = {
        "consignor": {"name": "A MMC", "address": "Bakı"},
        "total_items": 2,
        "goods": [{"item_number": 1, "gross_mass": "10.000", "commodity_code": "0902300000"}, {"item_number": 2}],
    }
    after = {
        "consignor": {"name": "B MMC", "address": "Bakı"},
        "total_items": 2,
        "goods": [{"item_number": 1, "gross_mass": "12.500", "commodity_code": "0902300000"}, {"item_number": 2, "gross_mass": "1.000"}],
    }
    changes = [(c.box, c.item, [(f.path, f.before, f.after) for f in c.changes]) for c in document_diff(before, after)]
    assert changes == [
        ("2", None, [("/consignor/name", "A MMC", "B MMC")]),
        ("35", 1, [("/goods/0/gross_mass", "10.000", "12.500")]),
        ("35", 2, [("/goods/1/gross_mass", None, "1.000")]),
    ]
    assert document_diff(after, after) == []


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def amended(flow, journey):
    """Sent (version 1), then a refused amendment (version 2), then an accepted one (version 3)."""
    sent = flow.sent()
    refused = request_amendment(journey, sent, set_gross_mass("2555.000"), reason="Birinci cəhd")
    customs_requests.amendment_refuse(
        officer=journey.users["inspektor"], declaration_id=sent.pk, number=refused.number, reasons={"35/1": "Yox"}
    )
    accepted = request_amendment(journey, sent, set_gross_mass("2777.000"), reason="Çəki aktına görə")
    customs_requests.amendment_accept(officer=journey.users["inspektor"], declaration_id=sent.pk, number=accepted.number)
    sent.refresh_from_db()
    return sent, refused, accepted


def test_versions_list_who_when_why_and_their_standing(journey, amended):
    declaration, refused, accepted = amended
    found = declaration_versions(user=journey.users["deklarant"], declaration_id=declaration.pk)
    rows = [(v.version.number, v.status, v.why, v.version.created_by.username, len(v.signatures)) for v in found]
    assert rows == [
        (1, "superseded", "", "deklarant", 1),
        (refused.version.number, "refused", "Birinci cəhd", "deklarant", 1),
        (accepted.version.number, "current", "Çəki aktına görə", "deklarant", 1),
    ]
    assert declaration.version == accepted.version.number


def test_a_version_is_compared_with_the_one_before_it_or_any_other(journey, amended):
    declaration, refused, accepted = amended
    user = journey.users["deklarant"]
    diff = version_diff(user=user, declaration_id=declaration.pk, number=accepted.version.number)
    assert diff.against.number == refused.version.number
    assert [(b.box, b.item, b.changes[0].before, b.changes[0].after) for b in diff.boxes] == [("35", 1, "2555.000", "2777.000")]
    against_first = version_diff(user=user, declaration_id=declaration.pk, number=accepted.version.number, against=1)
    # Against the version sent: box 7 (the number given on sending is not in version 1) and 35.
    assert ("35", 1) in [(b.box, b.item) for b in against_first.boxes]
    with pytest.raises(GomrukError) as error:
        version_diff(user=user, declaration_id=declaration.pk, number=99)
    assert (error.value.code, error.value.status) == ("version_not_found", 404)


def test_customs_and_strangers_see_what_they_may(journey, amended, flow):
    declaration, _refused, _accepted = amended
    draft = amendments.amendment_start(user=journey.users["deklarant"], declaration_id=declaration.pk, reason="x")
    draft_doc = draft.document
    draft_doc["goods"][0]["gross_mass"] = "2800.000"
    from gomruk.document.model import Declaration as Document

    amendments.amendment_update(user=journey.users["deklarant"], declaration_id=declaration.pk, number=draft.number,
                                document=Document.model_validate(draft_doc))
    unsent = amendments.amendment_signing_payload(user=journey.users["deklarant"], declaration_id=declaration.pk, number=draft.number)
    own = [v.version.number for v in declaration_versions(user=journey.users["deklarant"], declaration_id=declaration.pk)]
    officer = [v.version.number for v in declaration_versions(user=journey.users["inspektor"], declaration_id=declaration.pk)]
    assert unsent.version in own and unsent.version not in officer
    assert AuditEntry.objects.filter(action="declaration.read.versions", actor=journey.users["inspektor"]).exists()
    for stranger in ("deklarant2", "inspektor2"):
        with pytest.raises(GomrukError) as error:
            declaration_versions(user=journey.users[stranger], declaration_id=declaration.pk)
        assert error.value.status == 404


def _mass(text: str, kilograms: str) -> bool:
    """The gross mass as printed ('2 777,000'), not four digits inside a verification hash."""
    grouped = rf"{kilograms[:-3]}[\s\u00a0]?{kilograms[-3:]}"
    return re.search(rf"(?<![0-9A-Za-z]){grouped}(?:[.,]\d+)?(?![0-9A-Za-z])", text) is not None


def test_the_pdf_prints_the_version_asked_for(journey, amended):
    declaration, refused, accepted = amended
    user = journey.users["deklarant"]
    current = _pdf_text(declaration_print(user=user, declaration_id=declaration.pk).content)
    first = declaration_print(user=user, declaration_id=declaration.pk, version=1)
    refused_pdf = _pdf_text(declaration_print(user=user, declaration_id=declaration.pk, version=refused.version.number).content)
    first_text = _pdf_text(first.content)
    assert _mass(current, "2777") and not _mass(current, "2500")
    assert _mass(first_text, "2500") and not _mass(first_text, "2777")
    assert "Versiya 1" in first_text and "əvəz edilib" in first_text
    assert _mass(refused_pdf, "2555") and "rədd edilib" in refused_pdf
    assert first.filename.endswith("-v1.pdf")
    with pytest.raises(GomrukError) as error:
        declaration_print(user=user, declaration_id=declaration.pk, version=42)
    assert error.value.status == 404
