"""Importing bulletins and reading the rate in force on a day (database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gomruk.duties import bulletin as bulletin_module
from gomruk.duties.models import ExchangeRate, RateBulletin
from gomruk.duties.rates import latest_rate, rate_for, rates_lookup
from gomruk.duties.services import rate_bulletin_import, rate_bulletin_import_file

FRIDAY, SUNDAY, MONDAY = date(2024, 2, 2), date(2024, 2, 4), date(2024, 2, 5)

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_bulletins(data_dir):
    rate_bulletin_import_file(path=data_dir / "cbar_02.02.2024.xml")
    rate_bulletin_import_file(path=data_dir / "cbar_05.02.2024.xml")


def test_import_stores_rates_with_numeric_codes(data_dir):
    report = rate_bulletin_import_file(path=data_dir / "cbar_02.02.2024.xml")
    assert (report.date, report.outcome, report.rates) == (FRIDAY, "created", 6)
    stored = {r.code: r for r in ExchangeRate.objects.filter(bulletin__date=FRIDAY)}
    assert stored["USD"].numeric_code == "840"
    assert stored["EUR"].numeric_code == "978"
    assert stored["SDR"].numeric_code == "960"  # CBAR's 'SDR' is XDR in Appendix 5
    assert stored["JPY"].rate_per_unit == Decimal("0.011525")
    assert stored["XAU"].nominal_text == "1 t.u."
    assert "IRR" not in stored  # empty value: skipped


def test_importing_the_same_bulletin_twice_changes_nothing(data_dir):
    content = (data_dir / "cbar_02.02.2024.xml").read_bytes()
    first = rate_bulletin_import(content=content, source="a")
    bulletin = RateBulletin.objects.get(date=FRIDAY)
    ids = sorted(ExchangeRate.objects.values_list("id", flat=True))
    second = rate_bulletin_import(content=content, source="b")
    assert (first.outcome, second.outcome) == ("created", "unchanged")
    assert RateBulletin.objects.count() == 1
    assert RateBulletin.objects.get(date=FRIDAY).updated_at == bulletin.updated_at
    assert sorted(ExchangeRate.objects.values_list("id", flat=True)) == ids


def test_a_corrected_bulletin_replaces_the_rates(data_dir):
    rate_bulletin_import_file(path=data_dir / "cbar_02.02.2024.xml")
    report = rate_bulletin_import_file(path=data_dir / "cbar_02.02.2024_corrected.xml")
    assert report.outcome == "updated"
    assert rate_for("EUR", FRIDAY).rate == Decimal("1.84")
    assert rate_for("JPY", FRIDAY) is None


def test_weekend_date_uses_the_previous_bulletin(both_bulletins):
    sunday = rate_for("978", SUNDAY)
    assert sunday.rate == Decimal("1.8378") and sunday.bulletin_date == FRIDAY
    assert not sunday.provisional
    monday = rate_for("EUR", MONDAY)
    assert monday.rate == Decimal("1.83") and monday.bulletin_date == MONDAY
    assert rate_for("840", date(2024, 2, 1)) is None  # before any bulletin


def test_currency_by_numeric_or_letter_code_and_azn_is_one(both_bulletins):
    assert rate_for("840", MONDAY) == rate_for("USD", MONDAY)
    assert rate_for("392", MONDAY).rate == Decimal("0.01149")
    assert rate_for("XDR", FRIDAY).rate == Decimal("2.2633")
    azn = rate_for("944", SUNDAY)
    assert azn.rate == 1 and azn.bulletin_date == SUNDAY
    assert rate_for("AZN", SUNDAY).rate == 1
    assert rate_for("IRR", FRIDAY) is None


def test_drafts_get_the_latest_rate_marked_provisional(both_bulletins):
    quote = latest_rate("840")
    assert quote.bulletin_date == MONDAY and quote.provisional
    lookup = rates_lookup()
    assert lookup("840", None).provisional
    assert lookup("840", SUNDAY).bulletin_date == FRIDAY


def test_command_imports_a_file_and_says_what_it_did(data_dir, capsys):
    call_command("rates", "import", str(data_dir / "cbar_02.02.2024.xml"))
    call_command("rates", "import", str(data_dir / "cbar_02.02.2024.xml"))
    out = capsys.readouterr().out
    assert "02.02.2024: created (6 rates, skipped without value: XPD, IRR)" in out
    assert "02.02.2024: unchanged" in out


def test_command_imports_from_a_url(bulletin_server, data_dir):
    bulletin_server.routes["/rates.xml"] = (200, (data_dir / "cbar_05.02.2024.xml").read_bytes())
    call_command("rates", "import", f"{bulletin_server.base}/rates.xml")
    assert RateBulletin.objects.get(date=MONDAY).source == f"{bulletin_server.base}/rates.xml"


def test_command_by_date_on_a_weekend_stores_the_bulletin_under_its_own_date(
    bulletin_server, data_dir, monkeypatch
):
    # CBAR answers a Sunday with Friday's bulletin.
    monkeypatch.setattr(bulletin_module, "CBAR_URL", bulletin_server.base + "/currencies/{date:%d.%m.%Y}.xml")
    bulletin_server.default = (200, (data_dir / "cbar_02.02.2024.xml").read_bytes())
    call_command("rates", "import", "--date", "04.02.2024")
    call_command("rates", "import", "--date", "03.02.2024")
    assert bulletin_server.requests == ["/currencies/04.02.2024.xml", "/currencies/03.02.2024.xml"]
    assert list(RateBulletin.objects.values_list("date", flat=True)) == [FRIDAY]
    assert rate_for("840", SUNDAY).bulletin_date == FRIDAY


def test_command_errors(data_dir, bulletin_server, tmp_path):
    with pytest.raises(CommandError):
        call_command("rates", "import")
    with pytest.raises(CommandError):
        call_command("rates", "import", str(data_dir / "cbar_02.02.2024.xml"), "--date", "02.02.2024")
    with pytest.raises(CommandError):
        call_command("rates", "import", str(tmp_path / "missing.xml"))
    with pytest.raises(CommandError, match="not in dd.mm.yyyy"):
        call_command("rates", "import", "--date", "2024-02-02")
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<html/>")
    with pytest.raises(CommandError, match="not a CBAR"):
        call_command("rates", "import", str(bad))
    with pytest.raises(CommandError, match="could not be downloaded"):
        call_command("rates", "import", f"{bulletin_server.base}/nothing.xml")
    assert RateBulletin.objects.count() == 0


def test_rates_endpoint_returns_the_bulletin_in_force(both_bulletins):
    from ninja.testing import TestClient

    from gomruk.duties.api import rates_router

    client = TestClient(rates_router)
    sunday = client.get("/rates?date=2024-02-04").json()
    assert sunday["bulletin_date"] == "2024-02-02" and sunday["requested_date"] == "2024-02-04"
    usd = next(r for r in sunday["rates"] if r["code"] == "USD")
    assert usd == {
        "code": "USD",
        "numeric_code": "840",
        "name": "1 US Dollar",
        "kind": "Foreign currencies",
        "nominal": "1",
        "nominal_text": "1",
        "value": "1.7",
        "rate_per_unit": "1.7",
    }
    jpy = next(r for r in sunday["rates"] if r["code"] == "JPY")
    assert (jpy["nominal"], jpy["value"], jpy["rate_per_unit"]) == ("100", "1.1525", "0.011525")
    assert client.get("/rates").json()["bulletin_date"] == "2024-02-05"
    assert client.get("/rates?date=2024-02-05").json()["bulletin_date"] == "2024-02-05"


def test_rates_endpoint_before_any_bulletin_is_not_found(both_bulletins):
    from ninja.testing import TestClient

    from gomruk.core.errors import NotFound
    from gomruk.duties.api import rates_router

    with pytest.raises(NotFound):
        TestClient(rates_router).get("/rates?date=2024-01-01")
