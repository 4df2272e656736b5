"""The tariff CSV, the longest-prefix lookup, and its import."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gomruk.duties.models import PrivilegeExemption, TariffMeasure
from gomruk.duties.selectors import tariff_snapshot
from gomruk.duties.services import tariff_import
from gomruk.duties.tariff import COLUMNS, TariffFileError, read_tariff_csv, sample_tariff_text

HEADER = ",".join(COLUMNS)
ON = date(2024, 2, 5)


def test_sample_tariff_is_marked_and_exercises_every_measure_kind():
    text = sample_tariff_text()
    assert text.startswith("# SAMPLE TARIFF")
    measures, exemptions = read_tariff_csv(text)
    assert all(m.note.startswith("SAMPLE") for m in measures)
    kinds = {(m.kind, m.payment_type) for m in measures}
    assert {("ad_valorem", "20"), ("specific", "20"), ("combined", "20")} <= kinds  # import duty
    assert {("ad_valorem", "25"), ("specific", "25")} <= kinds  # export duty
    assert {("specific", "30"), ("bands", "30"), ("ad_valorem", "32")} <= kinds  # excise, VAT
    units = {m.unit for m in measures if m.payment_type == "30"}
    assert {"112", "798", "033"} <= units  # per litre, per unit, per cm³
    assert {e.privilege for e in exemptions} >= {"030", "040", "210"}


def test_longest_prefix_wins_and_dates_select_the_measure(tariff):
    assert tariff.measure_for("8516710000", "20", ON).percent == 5
    assert tariff.measure_for("8516100000", "20", ON).percent == 15
    assert tariff.measure_for("0901210000", "20", date(2023, 12, 31)).percent == 10
    assert tariff.measure_for("0901210000", "20", date(2024, 1, 1)).percent == 5
    assert tariff.measure_for("9999999999", "20", ON) is None
    # the VAT line with an empty prefix covers every code; medicaments have their own
    assert tariff.measure_for("9999999999", "32", ON).percent == 18
    assert tariff.measure_for("3004900000", "32", ON).percent == 0


def test_exemptions_by_privilege_and_payment_type(tariff):
    assert tariff.exemption_for("040", "32", ON) is not None
    assert tariff.exemption_for("210", "20", ON) is not None
    assert tariff.exemption_for("210", "32", ON) is None
    assert tariff.exemption_for("000", "20", ON) is None
    assert tariff.exemption_for(None, "20", ON) is None


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("09x1,ad_valorem,20,10,,,,,,,,", "commodity_prefix"),
        ("0901,flat,20,10,,,,,,,,", "kind must be"),
        ("0901,ad_valorem,2,10,,,,,,,,", "payment_type"),
        ("0901,ad_valorem,20,,,,,,,,,", "needs percent"),
        ("0901,specific,20,,,EUR,166,,,,,", "needs specific_amount"),
        ("0901,combined,20,10,2,EUR,,,,,,", "needs unit"),
        ("8703,bands,30,,,AZN,033,3000:1;2000:2,,,,", "must increase"),
        ("8703,bands,30,,,AZN,033,:1;2000:2,,,,", "open-ended"),
        ("0901,ad_valorem,20,ten,,,,,,,,", "not a number"),
        ("0901,ad_valorem,20,10,,,,,,2024-02-01,2024-01-01,", "before valid_from"),
        (",exemption,20,,,,,,4,,,", "privilege"),
        (",exemption,2x,,,,,,040,,,", "payment_type"),
    ],
)
def test_bad_lines_are_reported_with_their_line_number(line, problem):
    with pytest.raises(TariffFileError) as caught:
        read_tariff_csv(f"{HEADER}\n0901,ad_valorem,20,10,,,,,,,,\n{line}\n")
    errors = caught.value.details["errors"]
    assert errors[0]["line"] == 3 and problem in errors[0]["problem"]


def test_duplicate_measure_and_missing_columns():
    with pytest.raises(TariffFileError, match="errors"):
        read_tariff_csv(f"{HEADER}\n0901,ad_valorem,20,10,,,,,,,,\n0901,specific,20,,1,AZN,166,,,,,\n")
    with pytest.raises(TariffFileError) as caught:
        read_tariff_csv("commodity_prefix,kind\n0901,ad_valorem\n")
    assert "missing columns" in caught.value.details["errors"][0]["problem"]


@pytest.mark.django_db
def test_import_is_idempotent_and_feeds_the_snapshot():
    first = tariff_import()
    count = TariffMeasure.objects.count()
    second = tariff_import()
    assert first.counts["created"] == count + PrivilegeExemption.objects.count()
    assert second.counts == {"created": 0, "updated": 0, "unchanged": first.counts["created"]}
    snapshot = tariff_snapshot()
    measure = snapshot.measure_for("8703231900", "30", ON)
    assert measure.kind == "bands" and measure.bands[-1].up_to is None
    assert measure.bands[0].rate == Decimal("0.30")
    assert snapshot.measure_for("0207140000", "20", ON).currency == "EUR"
    assert snapshot.exemption_for("040", "30", ON) is not None


@pytest.mark.django_db
def test_a_changed_file_updates_rows_and_the_snapshot_follows(tmp_path):
    tariff_import()
    assert tariff_snapshot().measure_for("8516100000", "20", ON).percent == 15
    text = sample_tariff_text().replace("8516,ad_valorem,20,15,", "8516,ad_valorem,20,12,")
    report = tariff_import(text=text, source="changed.csv")
    assert report.counts["updated"] == 1
    assert tariff_snapshot().measure_for("8516100000", "20", ON).percent == 12
    # an edit in the admin is seen as well
    TariffMeasure.objects.filter(commodity_prefix="8516").update(percent=Decimal("11"))
    TariffMeasure.objects.get(commodity_prefix="8516").save()
    assert tariff_snapshot().measure_for("8516100000", "20", ON).percent == 11


@pytest.mark.django_db
def test_a_bad_file_imports_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\n0901,ad_valorem,20,10,,,,,,,,\n0902,ad_valorem,20,,,,,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 3: kind ad_valorem needs percent"):
        call_command("tariff", "import", str(path))
    assert TariffMeasure.objects.count() == 0


@pytest.mark.django_db
def test_tariff_command(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text(f"{HEADER}\n0901,ad_valorem,20,10,,,,,,,,\n", encoding="utf-8")
    call_command("tariff", "import", str(path))
    call_command("tariff", "import", "--sample")
    out = capsys.readouterr().out
    assert "tariff t.csv: created 1, updated 0, unchanged 0" in out
    assert "tariff sample_tariff.csv:" in out
    with pytest.raises(CommandError):
        call_command("tariff", "import")
