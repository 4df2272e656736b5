"""The English catalogue: complete, compiled, and covering the portal's templates."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import gomruk

LOCALE = Path(gomruk.__file__).parent / "locale" / "en" / "LC_MESSAGES"
TEMPLATES = Path(gomruk.__file__).parent / "portal" / "templates"


def _po_entries() -> list[tuple[str, list[str]]]:
    """(msgid, msgstrs) of the .po file; a tiny reader, enough for what makemessages writes."""
    entries: list[tuple[str, list[str]]] = []
    msgid: str | None = None
    strs: list[str] = []
    field = None
    fuzzy = False

    def unquote(text: str) -> str:
        return text[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        if line.startswith("msgid "):
            if msgid is not None:
                entries.append((msgid, strs))
            msgid, strs, field = unquote(line[6:]), [], "id"
        elif line.startswith("msgid_plural "):
            field = "plural"
        elif line.startswith("msgstr"):
            strs.append(unquote(line.split(" ", 1)[1]))
            field = "str"
        elif line.startswith('"') and field == "id":
            msgid = (msgid or "") + unquote(line)
        elif line.startswith('"') and field == "str":
            strs[-1] += unquote(line)
    if msgid is not None:
        entries.append((msgid, strs))
    assert not fuzzy, "fuzzy entries are not used by Django"
    return [(m, s) for m, s in entries if m]


def test_every_string_has_an_english_translation():
    missing = [msgid for msgid, strs in _po_entries() if not all(s.strip() for s in strs)]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    for msgid, strs in _po_entries():
        if len(strs) == 1:
            assert catalogue.gettext(msgid) == strs[0], msgid


def test_portal_template_strings_are_in_the_catalogue():
    known = {msgid for msgid, _ in _po_entries()}
    pattern = re.compile(r'{%\s*translate\s+"([^"]+)"')
    used = {m for path in TEMPLATES.rglob("*.html") for m in pattern.findall(path.read_text(encoding="utf-8"))}
    assert used and used <= known, sorted(used - known)
