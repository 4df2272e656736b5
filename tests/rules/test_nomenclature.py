"""The commodity nomenclature of box 33: HS shipped and loaded, the national list imported,
searchable by code prefix and by words (az, en)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from ninja.testing import TestClient

from gomruk.reference.api import router

client = TestClient(router)
NATIONAL = (
    "code,name_az,name_en,valid_from,valid_to\n"
    "5208120000,\"Pambıq parçalar, ağardılmamış\",Woven cotton fabrics,2022-01-01,\n"
    "0901210000,Qəhvə qovrulmuş,\"Coffee, roasted\",2022-01-01,2024-12-31\n"
)


@pytest.mark.django_db
def test_hs_is_loaded_once_and_searchable(tmp_path):
    out = io.StringIO()
    call_command("tariff", "hs", stdout=out)
    assert "HS2022" in out.getvalue() and "created 0" not in out.getvalue()
    again = io.StringIO()
    call_command("tariff", "hs", stdout=again)
    assert "created 0, updated 0" in again.getvalue()
    from gomruk.reference.models import CommodityCodeRow

    subheadings = CommodityCodeRow.objects.filter(source="hs", level=6).count()
    assert 5000 < subheadings < 6000
    assert not CommodityCodeRow.objects.filter(code__startswith="99").exists()
    data = client.get("/commodity-codes?q=5208.12").json()
    assert [r["code"] for r in data["rows"]] == ["520812"]
    assert [p["code"] for p in data["rows"][0]["path"]] == ["52", "5208"]
    assert data["national_list_loaded"] is False


@pytest.mark.django_db
def test_national_list_import_and_search_in_both_languages(tmp_path):
    path = tmp_path / "xifmn.csv"
    path.write_text(NATIONAL, encoding="utf-8")
    out = io.StringIO()
    call_command("tariff", "nomenclature", str(path), stdout=out)
    assert "created 2" in out.getvalue()
    call_command("tariff", "nomenclature", str(path), stdout=out)
    assert "created 0, updated 0, unchanged 2" in out.getvalue()
    az = client.get("/commodity-codes?q=PAMBIQ parça").json()["rows"]
    assert [r["code"] for r in az] == ["5208120000"] and az[0]["source"] == "national"
    en = client.get("/commodity-codes?q=coffee roasted&on=2025-01-15").json()["rows"]
    assert "0901210000" not in [r["code"] for r in en]  # closed at the end of 2024
    assert "0901210000" in [r["code"] for r in client.get("/commodity-codes?q=0901210000").json()["rows"]]


@pytest.mark.django_db
def test_a_bad_national_list_is_refused_whole_with_line_numbers(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(NATIONAL + "52081200,Qısa,,,\n9999990000,Yox,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("tariff", "nomenclature", str(path))
    assert "line 4: code must be 10 digits" in str(refused.value)
    assert "line 5: the first six digits 999999 are not a subheading" in str(refused.value)
    from gomruk.reference.models import CommodityCodeRow

    assert not CommodityCodeRow.objects.exists()
