"""A rule's texts have one source, its class: ``message_az`` and ``message_en`` (issue 14
item 4). The English is not repeated in the ``.po`` catalogue, where it could drift from the
class; every rule has both texts, with the same placeholders."""

from __future__ import annotations

import ast
import gettext
import string
from pathlib import Path

import pytest

from gomruk.rules.registry import all_rules

LOCALE = Path(__file__).resolve().parents[2] / "src" / "gomruk" / "locale" / "en" / "LC_MESSAGES"


def po_messages(text: str) -> dict[str, str]:
    """msgid → msgstr of a .po file (continuation lines joined)."""
    found: dict[str, str] = {}
    for block in text.split("\n\n"):
        parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}
        current: list[str] | None = None
        for line in block.splitlines():
            keyword, _, rest = line.partition(" ")
            if keyword in parts:
                current = parts[keyword]
                current.append(ast.literal_eval(rest))
            elif line.startswith('"') and current is not None:
                current.append(ast.literal_eval(line))
            else:
                current = None if not line.startswith("#") else current
        if parts["msgid"]:
            found["".join(parts["msgid"])] = "".join(parts["msgstr"])
    return found


def _fields(template: str) -> set[str]:
    """Placeholder names; ``reason_az`` in one language is ``reason_en`` in the other."""
    return {name.removesuffix("_az").removesuffix("_en") for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.fixture(scope="module")
def catalogue() -> dict[str, str]:
    return po_messages((LOCALE / "django.po").read_text(encoding="utf-8"))


def test_no_rule_text_is_in_the_po_catalogue(catalogue):
    compiled = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))._catalog  # type: ignore[attr-defined]
    repeated = sorted(
        rule.code
        for rule in all_rules()
        if rule.text_az() in catalogue or rule.text_en() in catalogue.values() or rule.text_az() in compiled
    )
    assert not repeated, f"the rule class is the one source of its texts; remove from django.po: {repeated}"


def test_every_rule_has_both_texts_with_the_same_placeholders():
    wrong = [
        rule.code
        for rule in all_rules()
        if not rule.text_az().strip()
        or not rule.text_en().strip()
        or _fields(rule.text_az()) != _fields(rule.text_en())
    ]
    assert not wrong, f"rules without an az or en text, or whose placeholders differ: {wrong}"


def test_the_po_reader_sees_a_multiline_entry():
    text = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n#: x.py:1\nmsgid "Bir "\n"iki"\nmsgstr "One two"\n'
    assert po_messages(text)["Bir iki"] == "One two"
