"""``gomruk border import FILE``: all or nothing, errors by row and column, a progress bar."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from gomruk.border.inputs import FLAT_COLUMNS
from gomruk.border.models import Arrival
from gomruk.core.models import AuditEntry
from tests.border.conftest import OWN, STRANGER

ROW = {
    "post_code": "00102",
    "consignee_voen": OWN,
    "consignee_name": "Xəzər Ticarət MMC",
    "arrived_at": "2026-01-15 10:30",
    "transport_mode": "30",
    "vehicle_identifiers": "10-AB-123",
    "vehicle_count": "1",
    "transport_country": "268",
    "consignor_name": "Georgian Tea LLC",
    "consignor_address": "",
    "consignor_country": "GE",
    "description": "Qara çay",
    "commodity_codes": "0902300000; 0901",
    "package_count": "40",
    "package_kind": "paletlər",
    "gross_mass": "12500.5",
    "transport_documents": "2015|CMR-1|2026-01-15",
    "commercial_documents": "8001|INV-7|2026-01-10;INV-8",
    "storage_place": "TSW-7",
}


def _write(tmp_path, rows, columns=FLAT_COLUMNS):
    path = tmp_path / "arrivals.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("border", "import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_writes_every_row_with_progress(users, tmp_path):
    rows = [dict(ROW)] + [dict(ROW, consignee_voen=STRANGER, vehicle_identifiers=f"V{i}") for i in range(49)]
    out, err = _run(_write(tmp_path, rows))
    assert "50" in out
    assert "50/50" in err and "100%" in err and "#" in err
    assert Arrival.objects.count() == 50
    first = Arrival.objects.get(consignee_voen=OWN)
    assert first.commodity_codes == ["0902300000", "0901"]
    assert first.state == "in_storage" and str(first.gross_mass) == "12500.500"
    assert [d["number"] for d in first.documents] == ["CMR-1", "INV-7", "INV-8"]
    assert first.arrived_at.utcoffset() is not None
    assert AuditEntry.objects.get(action="border.arrival.import").details == {"count": 50}


def test_one_bad_row_writes_nothing_and_errors_name_row_and_column(users, tmp_path):
    rows = [
        dict(ROW, gross_mass="1"),
        dict(ROW, consignee_voen="123", transport_mode="98", gross_mass="1"),
        dict(ROW, arrived_at="dünən", gross_mass="1"),
    ]
    with pytest.raises(CommandError) as error:
        _run(_write(tmp_path, rows))
    assert "No row was written" in str(error.value)
    assert Arrival.objects.count() == 0


def test_errors_are_listed(users, tmp_path, capsys):
    rows = [dict(ROW, gross_mass="1"), dict(ROW, consignee_voen="123", transport_mode="98", gross_mass="1")]
    path = _write(tmp_path, rows)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("border", "import", str(path), "--no-progress", stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert any(line.startswith("sətir/row 2, consignee_voen:") for line in lines)
    assert any(line.startswith("sətir/row 2, transport_mode:") for line in lines)
    assert not any("row 1," in line for line in lines)


def test_gross_mass_with_a_comma_is_an_error_not_a_guess(users, tmp_path):
    with pytest.raises(CommandError):
        _run(_write(tmp_path, [dict(ROW, gross_mass="12500,5")]))  # the file's decimal separator is "."


def test_unknown_or_missing_columns_are_refused(users, tmp_path):
    with pytest.raises(CommandError, match="unknown columns: colour"):
        _run(_write(tmp_path, [dict(ROW, colour="red")], [*FLAT_COLUMNS, "colour"]))
    columns = [c for c in FLAT_COLUMNS if c != "gross_mass"]
    with pytest.raises(CommandError, match="missing columns: gross_mass"):
        _run(_write(tmp_path, [{k: v for k, v in ROW.items() if k != "gross_mass"}], columns))


def test_import_as_an_officer_checks_the_post(users, tmp_path):
    path = _write(tmp_path, [dict(ROW, gross_mass="1", post_code="00201")])
    with pytest.raises(CommandError):
        _run(path, "--officer", "post_officer")
    assert Arrival.objects.count() == 0
    _run(path, "--officer", "inspektor2")
    assert Arrival.objects.get().registered_by == users["inspektor2"]
