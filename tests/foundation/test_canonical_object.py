"""``canonical_object`` splices members already in canonical JSON into the same bytes as the
reference implementation writes for the whole object (issue 17: the frozen document is encoded
once for its hash and for the signing payload)."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from gomruk.core.canonical import canonical_json, canonical_object
from gomruk.demo import factories

_names = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=8)
_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_names, _values, max_size=6))
def test_the_same_bytes_as_the_whole_object(value: dict[str, object]) -> None:
    assert canonical_object({name: canonical_json(member) for name, member in value.items()}) == rfc8785.dumps(value)


def test_the_signing_envelope_of_a_hundred_items() -> None:
    document = factories.import_gb(items=100).to_data()
    envelope = {"declaration": document, "attachments": [{"id": "a", "sha256": "00"}], "declaration_id": "x", "version": 3}
    members = {name: canonical_json(value) for name, value in envelope.items()}
    assert canonical_object(members) == rfc8785.dumps(envelope)


def test_names_outside_ascii_are_refused() -> None:
    with pytest.raises(ValueError):
        canonical_object({"\ufb01": b"1"})
