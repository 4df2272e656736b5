"""gomruk validate FILE: table or JSON, exit 0 valid / 1 invalid / 2 unreadable."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

DATA = Path(__file__).resolve().parents[1] / "data" / "declarations"
VALID = DATA / "valid" / "01-id-40.json"
INVALID = DATA / "invalid" / "01-id-40-sums-and-formats.json"


def run(*args: str, stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("validate", *args, "--on", "2025-01-15", stdout=out, stderr=err)
    return exit_info.value.code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_valid_file_exits_0():
    code, out, _ = run(str(VALID))
    assert code == 0 and "No errors" in out


@pytest.mark.django_db
def test_invalid_file_exits_1_with_a_table():
    code, out, _ = run(str(INVALID), "--lang", "en")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("QRAFA/BOX")
    assert any(line.startswith("33") and "V-33-1" in line and "Box 33" in line for line in lines)
    assert "3 errors, 1 warnings" in out


@pytest.mark.django_db
def test_json_output_is_the_verdict_with_its_error_objects():
    code, out, _ = run(str(INVALID), "--json")
    verdict = json.loads(out)
    errors = verdict["errors"]
    assert code == 1 and verdict["valid"] is False and verdict["on"] == "2025-01-15"
    assert [(e["rule"], e["box"], e["item"]) for e in errors] == [
        ("V-12-1", "12", None),
        ("V-33-1", "33", 2),
        ("V-35-1", "35", 3),
        ("V-35-3", "35", 3),
    ]


@pytest.mark.django_db
def test_unreadable_input_exits_2(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    assert run(str(broken))[0] == 2
    assert run(str(tmp_path / "missing.json"))[0] == 2


@pytest.mark.django_db
def test_reads_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(VALID.read_bytes())))
    assert run("-")[0] == 0
