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
    real_json = Document.model_validate_json.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Document], obj: Any, *args: Any, **kwargs: Any) -> Document:
        if isinstance(obj, dict) and obj.get("goods"):
            calls.append(1)
        return real(cls, obj, *args, **kwargs)

    def counted_json(cls: type[Document], text: Any, *args: Any, **kwargs: Any) -> Document:
        parsed = real_json(cls, text, *args, **kwargs)
        if parsed.goods:
            calls.append(1)
        return parsed

    monkeypatch.setattr(Document, "model_validate", classmethod(counted))
    monkeypatch.setattr(Document, "model_validate_json", classmethod(counted_json))
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
    # The version keeps its party boxes beside its document, written with it.
    assert version.parties == {k: version.document[k] for k in PARTY_FIELDS if k in version.document}
    assert stored_party_boxes(version) == party_boxes(version.document)
    # A version frozen before they were kept: the database picks them out of the document.
    DeclarationVersion.objects.filter(pk=version.pk).update(document=document, parties=None)
    picked = stored_party_boxes(DeclarationVersion.objects.get(pk=version.pk))
    assert picked == party_boxes(document)
    assert isinstance(picked.procedure, str)
    assert picked.procedure.isdigit()


def _document_reads(monkeypatch) -> list[str]:
    """The documents read whole: a deferred document column loaded, or a draft read as text."""
    from django.db.models import Model

    from gomruk.declarations import signing

    reads: list[str] = []
    real_refresh = Model.refresh_from_db
    real_text = signing.document_text

    def refresh(self: Model, using: Any = None, fields: Any = None, from_queryset: Any = None) -> None:
        reads.extend(f"{type(self).__name__}.{name}" for name in fields or () if name == "document")
        real_refresh(self, using, fields, from_queryset)

    def text(declaration: Any) -> str:
        reads.append("Declaration.document as text")
        return real_text(declaration)

    monkeypatch.setattr(Model, "refresh_from_db", refresh)
    monkeypatch.setattr(signing, "document_text", text)
    return reads


def test_signing_a_frozen_draft_reads_neither_document(journey, monkeypatch):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    reads = _document_reads(monkeypatch)
    assert signing_payload(user=user, declaration_id=declaration.pk).version == frozen.version
    declaration_sign(
        user=user, declaration_id=declaration.pk, provider="certificate",
        signature=journey.pki.sign("deklarant", frozen.payload), version=frozen.version,
    )
    assert reads == []


def test_a_draft_stored_in_another_key_order_is_the_same_frozen_version(journey, monkeypatch):
    """The database's comparison may not see it (SQLite compares texts); the canonical bytes do."""
    from gomruk.declarations.models import Declaration, DeclarationVersion

    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    stored = Declaration.objects.get(pk=declaration.pk).document
    Declaration.objects.filter(pk=declaration.pk).update(document=dict(reversed(list(stored.items()))))
    again = signing_payload(user=user, declaration_id=declaration.pk)
    assert (again.version, again.payload) == (frozen.version, frozen.payload)
    assert DeclarationVersion.objects.filter(declaration=declaration).count() == 1


def test_a_draft_edited_after_its_freeze_is_frozen_again(journey):
    from gomruk.declarations.models import Declaration

    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    stored = Declaration.objects.get(pk=declaration.pk).document
    stored["goods"][0]["description"] = stored["goods"][0]["description"] + " (düzəliş)"
    Declaration.objects.filter(pk=declaration.pk).update(document=stored)
    again = signing_payload(user=user, declaration_id=declaration.pk)
    assert again.version == frozen.version + 1 and again.payload != frozen.payload
    assert "(düzəliş)".encode() in again.payload


def test_a_document_parsed_from_its_stored_text_is_the_document_parsed_from_its_dict():
    """The freeze parses the draft from the database's text (ADR 0033): for every profile's
    example, what it freezes is what a parse of the decoded dict gives, in either text form
    (PostgreSQL writes jsonb with spaces, SQLite keeps the encoder's text)."""
    import json

    from gomruk.demo.rule_examples import example_document
    from gomruk.rules.profiles import profile_keys

    for dtype, direction, procedure in profile_keys():
        data = Document.model_validate(example_document(dtype, direction, procedure, items=3)).to_data()
        for text in (json.dumps(data), json.dumps(data, separators=(",", ":"), ensure_ascii=False)):
            assert Document.model_validate_json(text).to_data() == Document.model_validate(json.loads(text)).to_data()


def test_a_fresh_version_is_written_once_with_its_verdict(journey):
    """The gate judges a new version before writing it, so it is written once, verdict and all;
    a version with blocking errors is not written at all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from gomruk.core.errors import GomrukError
    from gomruk.declarations.models import DeclarationVersion
    from gomruk.declarations.services import declaration_update

    user = journey.users["deklarant"]
    declaration = journey.draft()
    with CaptureQueriesContext(connection) as queries:
        frozen = signing_payload(user=user, declaration_id=declaration.pk)
    writes = [q["sql"] for q in queries.captured_queries
              if "declarationversion" in q["sql"] and q["sql"].startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 1 and writes[0].startswith("INSERT")
    version = DeclarationVersion.objects.get(declaration=declaration, number=frozen.version)
    assert (version.verdict, version.validated_on) == ("valid", timezone.localdate())

    broken = examples.export_gb()
    broken.goods[0].commodity_code = "12AB"
    declaration_update(user=user, declaration_id=declaration.pk, document=broken)
    with pytest.raises(GomrukError) as error:
        signing_payload(user=user, declaration_id=declaration.pk)
    assert error.value.code == "validation_failed"
    assert list(DeclarationVersion.objects.filter(declaration=declaration).values_list("number", flat=True)) == [frozen.version]


def test_a_version_is_written_from_the_canonical_text_it_hashes(journey):
    """The frozen document goes to the database as the canonical text that was hashed (on
    PostgreSQL cast in the statement, not encoded again by the driver); read back, it is the
    document that was frozen, and the draft still counts as unchanged (no second version)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gomruk.core.canonical import canonical_json
    from gomruk.declarations.models import Declaration, DeclarationVersion

    user = journey.users["deklarant"]
    declaration = journey.draft()
    with CaptureQueriesContext(connection) as queries:
        frozen = signing_payload(user=user, declaration_id=declaration.pk)
    version = DeclarationVersion.objects.get(declaration=declaration, number=frozen.version)
    draft = Document.model_validate(Declaration.objects.get(pk=declaration.pk).document).to_data()
    assert version.document == draft
    insert = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "declarations_declarationversion"'))
    if connection.vendor == "postgresql":
        assert "::json" in insert
        assert canonical_json(draft).decode().replace("'", "''") in insert
    assert signing_payload(user=user, declaration_id=declaration.pk).version == frozen.version
    assert DeclarationVersion.objects.filter(declaration=declaration).count() == 1


def test_a_draft_is_written_from_its_json_text_and_reads_back_the_same(journey):
    """A new draft's document goes to PostgreSQL as text (orjson's, cast to json), not as a
    dict for the driver to encode; a value orjson refuses (an integer beyond 64 bits) takes the
    standard encoder. Either way the stored document is the document."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gomruk.declarations.models import Declaration
    from gomruk.declarations.services import draft_create

    user = journey.users["deklarant"]
    for packages in (220, 2**70):
        document = examples.export_gb()
        document.total_packages = packages
        with CaptureQueriesContext(connection) as queries:
            declaration, stored = draft_create(user=user, document=document, voen="1401555071")
        assert declaration.document == stored.to_data()
        assert Declaration.objects.get(pk=declaration.pk).document == stored.to_data()
        assert Declaration.objects.get(pk=declaration.pk).document["total_packages"] == packages
        insert = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "declarations_declaration"'))
        assert ("::json" in insert) == (connection.vendor == "postgresql")
