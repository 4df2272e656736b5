"""The catalogue is generated from the classes, and every rule has a test and an entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gomruk.rules.catalogue import catalogue, render_markdown
from gomruk.rules.registry import all_rules

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "rules.md"


def _test_names() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.update(re.findall(r"^def (test_\w+)\(", path.read_text(encoding="utf-8"), re.MULTILINE))
    return names


TESTS = _test_names()
CODES = sorted(r.code for r in all_rules())


def test_docs_rules_md_is_generated_from_the_classes():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), "run: gomruk rules-catalogue"


@pytest.mark.parametrize("code", CODES)
def test_every_rule_has_a_test_and_a_catalogue_entry(code):
    assert f"test_{code.replace('-', '_')}" in TESTS, f"no test_{code.replace('-', '_')} under tests/"
    assert f"| {code} |" in DOCS.read_text(encoding="utf-8")


def test_every_rule_has_messages_in_both_languages():
    for entry in catalogue():
        assert entry["message"]["az"] and entry["message"]["en"], entry["code"]
        assert entry["message"]["az"] != entry["message"]["en"], entry["code"]
        assert entry["description"], entry["code"]
        assert entry["severity"] in ("error", "warning")
