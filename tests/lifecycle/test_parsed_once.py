"""The frozen document is parsed whole once, where it is frozen (issue 17): the signing gate
judges that parse, and the signature and the send read only its party boxes."""

from __future__ import annotations

from typing import Any

import pytest

from gomruk.declarations.ownership import PARTY_FIELDS, ownership_findings, party_boxes
from gomruk.declarations.signing import declaration_sign, signing_payload
from gomruk.demo import factories as examples
from gomruk.document.model import Declaration as Document


def _whole_parses(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = Document.model_validate.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Document], obj: Any, *args: Any, **kwargs: Any) -> Document:
        if isinstance(obj, dict) and obj.get("goods"):
            calls.append(1)
        return real(cls, obj, *args, **kwargs)

    monkeypatch.setattr(Document, "model_validate", classmethod(counted))
    return calls


def test_the_journey_parses_the_whole_document_once_after_the_create(journey, monkeypatch):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    calls = _whole_parses(monkeypatch)
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    assert len(calls) == 1
    declaration_sign(
        user=user, declaration_id=declaration.pk, provider="certificate",
        signature=journey.pki.sign("deklarant", frozen.payload), version=frozen.version,
    )
    journey.send(journey.confirm(declaration))
    assert len(calls) == 1


class _Reads:
    """A document that notes every field read of it."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        self.read.add(name)
        return getattr(self._document, name)


class _Certificate:
    voen = "1401555071"
    fin = ""
    signed_at = None


@pytest.mark.parametrize("kind", [examples.export_gb, lambda: examples.import_gb(items=2), examples.transit_gb])
@pytest.mark.parametrize("signature", [None, _Certificate()])
def test_ownership_reads_only_the_party_boxes(journey, kind, signature):
    document = kind()
    reads = _Reads(document)
    for user in ("deklarant", "broker", "deklarant2"):
        findings = ownership_findings(
            user=journey.users[user], document=reads, trader_voen="1401555071", signature=signature,  # type: ignore[arg-type]
        )
        alone = ownership_findings(
            user=journey.users[user], document=party_boxes(document.to_data()), trader_voen="1401555071",
            signature=signature,
        )
        assert findings == alone
    assert reads.read <= set(PARTY_FIELDS)


@pytest.mark.parametrize("kind", [examples.export_gb, lambda: examples.import_gb(items=2), examples.transit_gb])
def test_the_database_picks_the_same_party_boxes_as_a_whole_read(journey, kind):
    from gomruk.declarations.models import DeclarationVersion
    from gomruk.declarations.ownership import stored_party_boxes

    declaration = journey.draft()
    user = journey.users["deklarant"]
    number = signing_payload(user=user, declaration_id=declaration.pk).version
    version = DeclarationVersion.objects.get(declaration=declaration, number=number)
    # Every party box filled, and codes that read as numbers ("4000") kept as text.
    document = {**version.document, **{k: v for k, v in kind().to_data().items() if k in PARTY_FIELDS}}
    DeclarationVersion.objects.filter(pk=version.pk).update(document=document)
    picked = stored_party_boxes(version.pk)
    assert picked == party_boxes(document)
    assert isinstance(picked.procedure, str)
    assert picked.procedure.isdigit()
