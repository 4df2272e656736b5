"""The byte prefilter of edge.text skips the JSON walk only where the walk could find nothing:
for any JSON value, in any encoding JSON allows, it finds what a full walk finds."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from gomruk.edge import text

_strings = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=8) | st.sampled_from(
    ["\x00", "\ud800", "\udfff", "\udbff\udc00", "ə", "\\u0000", "\\\\ud800", "Ü"]
)
_values = st.recursive(
    st.none() | st.integers() | _strings,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_strings, children, max_size=4),
    max_leaves=20,
)


def _walked(document: object) -> str | None:
    for _, found in text._walk(document, []):
        if text.first_unstorable(found):
            return text.first_unstorable(found)
    return None


@settings(max_examples=500, deadline=None)
@given(_values, st.booleans(), st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_the_prefilter_never_hides_what_the_walk_finds(value, ascii_only, encoding):
    serialised = json.dumps(value, ensure_ascii=ascii_only)
    try:
        body = serialised.encode(encoding, "surrogatepass")
    except UnicodeEncodeError:
        return
    expected = _walked(json.loads(body))
    found = text._in_json(body)
    assert (found.character if found else None) == expected


def test_ordinary_escapes_skip_the_walk():
    body = json.dumps({"name": "Ölkə Şirkəti", "note": "ğ ı ş ç ö ü \u2028"}).encode()
    assert b"\\u0259" in body and not text.JSON_SUSPECT.search(body)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from([b"\\u", b"\\ud8", b"\\uD", b"\\udz", b"0000", b"\\u00", b"\x00", b"\xed", b"\xa0", b"\xbf",
                         b"\x9f", b"a", b"\\", b"u", b"d", b"D", b"9", b"f"]) | st.binary(max_size=4),
        max_size=12,
    ).map(b"".join)
)
def test_the_byte_searches_answer_as_the_pattern_does(body):
    assert text.json_suspect(body) == (text.JSON_SUSPECT.search(body) is not None)
