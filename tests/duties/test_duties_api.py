"""POST /declarations/estimate and the portal's 'Yekun' partial."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from ninja.testing import TestClient

from gomruk.core.errors import GomrukError
from gomruk.declarations.api import estimate_router as router
from gomruk.duties.services import (
    fee_schedule_load_default,
    rate_bulletin_import_file,
    tariff_import,
)

pytestmark = pytest.mark.django_db

DOCUMENT = {
    "declaration_type": "01",
    "direction": "İD",
    "procedure": "40",
    "invoice_currency": "840",
    "goods": [{"item_number": 1, "commodity_code": "0901210000", "invoice_value": "10000"}],
}


@pytest.fixture
def loaded(data_dir):
    tariff_import()
    fee_schedule_load_default()
    rate_bulletin_import_file(path=data_dir / "cbar_02.02.2024.xml")
    rate_bulletin_import_file(path=data_dir / "cbar_05.02.2024.xml")


def test_estimate_on_the_acceptance_date(loaded):
    # Sunday: Friday's bulletin; 17 000 AZN, duty 5% 850, VAT 3 213, fee 120
    response = TestClient(router).post("/declarations/estimate?on=2024-02-04", json=DOCUMENT)
    assert response.status_code == 200
    data = response.json()
    assert data["provisional"] is False
    assert data["box_23"] == {"rate": "1.7", "bulletin_date": "2024-02-02", "provisional": False}
    assert data["box_12"] == "17000.00"
    assert [b["text"] for b in data["box_b"]["lines"]] == ["01-120.00-944", "20-850.00-944", "32-3213.00-944"]
    assert data["total"] == "4183.00"
    formulas = [line["formula"]["en"] for line in data["items"][0]["lines"]]
    assert "5% × 17 000.00 AZN = 850.00 AZN" in formulas


def test_estimate_of_a_draft_is_provisional_with_the_latest_rate(loaded):
    data = TestClient(router).post("/declarations/estimate", json=DOCUMENT).json()
    assert data["provisional"] is True
    assert data["box_a"]["bulletin_date"] == "2024-02-05"


def test_estimate_rejects_a_document_of_the_wrong_shape(loaded):
    with pytest.raises(GomrukError) as caught:
        TestClient(router).post("/declarations/estimate", json={"goods": [{"invoice_value": "ten"}]})
    assert caught.value.code == "invalid_document" and caught.value.status == 422


def test_yekun_partial_shows_every_line_with_its_formula(loaded):
    from gomruk.document.model import Declaration
    from gomruk.duties.calculation import estimate_document

    calculation = estimate_document(Declaration.model_validate(DOCUMENT)).as_dict()
    with translation.override("en"):
        html = render_to_string("duties/estimate.html", {"calculation": calculation})
    # Figures in the language's one format (issue 16.8): en 17,000.00; az 17 000,00.
    assert "5% × 17,000.00 AZN = 850.00 AZN" in html
    assert "32-3,213.00-944" in html and "4,183.00" in html
    with translation.override("az"):
        html = render_to_string("duties/estimate.html", {"calculation": calculation})
    assert "gömrük dəyəri 17\u00a0000,00 AZN ≤ 50\u00a0000,00 AZN → 120,00 AZN" in html
    assert "ilkin xarakter" in html  # provisional rates are flagged


def test_mounted_under_api_v1(loaded, client):
    """Through the real URLs: /reference/rates is matched before /reference/{name}."""
    rates = client.get("/api/v1/reference/rates?date=2024-02-03")
    assert rates.status_code == 200 and rates.json()["bulletin_date"] == "2024-02-02"
    missing = client.get("/api/v1/reference/rates?date=2020-01-01", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/problem+json")
    estimate = client.post("/api/v1/declarations/estimate?on=2024-02-05", DOCUMENT, content_type="application/json")
    assert estimate.status_code == 200 and estimate.json()["total"] == "4183.00"
    bad = client.post("/api/v1/declarations/estimate", {"goods": "x"}, content_type="application/json")
    assert bad.status_code == 422


def test_demo_loader_is_idempotent():
    from gomruk.demo.setup import demo_rates_and_tariff_load
    from gomruk.document.model import Declaration

    first = demo_rates_and_tariff_load()
    second = demo_rates_and_tariff_load()
    assert "03.01.2025 created" in first and "fee schedule created" in first
    assert "03.01.2025 unchanged" in second and "(0 new)" in second
    result = estimate_document_for(Declaration.model_validate(DOCUMENT))
    assert result["box_a"]["bulletin_date"] == "2025-01-03" and result["total"] == "4183.00"


def estimate_document_for(document):
    from gomruk.duties.calculation import estimate_document

    return estimate_document(document).as_dict()
