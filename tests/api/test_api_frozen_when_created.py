"""A whole document created through the API is judged and, when signable, frozen at once (ADR
0044): its signing payload is the version the create froze, judged for the day, not parsed again."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

from django.utils import timezone

from gomruk.core import rawrows
from gomruk.core.canonical import canonical_json
from gomruk.core.json_text import JSONOfRow
from gomruk.core.models import AuditEntry
from gomruk.declarations.models import Declaration, DeclarationVersion
from gomruk.declarations.services import declaration_create
from gomruk.declarations.signing import payload_bytes
from gomruk.document.model import Declaration as Document
from tests.api.api_helpers import assert_problem, document_json


def _versions(declaration_id: str) -> list[DeclarationVersion]:
    return list(DeclarationVersion.objects.filter(declaration_id=declaration_id).order_by("number"))


def test_a_signable_create_is_frozen_and_judged_as_it_is_stored(walk):
    declaration_id = walk.create()["id"]
    draft = Declaration.objects.get(pk=declaration_id)
    [version] = _versions(declaration_id)
    assert (version.number, version.verdict, version.validated_on) == (1, "valid", timezone.localdate())
    # The version holds the draft exactly: the same value, its canonical hash and its payload.
    assert version.document == draft.document
    assert version.canonical_sha256 == hashlib.sha256(canonical_json(draft.document)).hexdigest()
    expected = payload_bytes(declaration_id=draft.pk, version=1, document=draft.document, attachments=[])
    assert bytes(version.payload) == expected
    assert version.payload_sha256 == hashlib.sha256(expected).hexdigest()
    entry = AuditEntry.objects.get(action="declaration.create", object_id=declaration_id)
    assert entry.details["frozen_version"] == 1 and entry.details["payload_sha256"] == version.payload_sha256

    # The signing payload hands out that version; nothing new is frozen or judged.
    payload = walk.api.get(f"/declarations/{declaration_id}/signing-payload").json()
    assert payload["version"] == 1 and base64.b64decode(payload["payload"]) == expected
    assert [v.pk for v in _versions(declaration_id)] == [version.pk]
    walk.sign(declaration_id)
    walk.confirm(declaration_id)
    sent = walk.send(declaration_id)
    assert sent.status_code == 200 and sent.json()["state"] == "sent"


def test_a_create_with_blocking_errors_is_stored_unfrozen_and_its_payload_names_them(walk):
    document = document_json()
    document["goods"][0]["gross_mass"] = "-5.000"
    response = walk.api.post("/declarations", document)
    assert response.status_code == 201, response.content[:500]
    declaration_id = response.json()["id"]
    assert _versions(declaration_id) == []
    assert "frozen_version" not in (AuditEntry.objects.get(action="declaration.create", object_id=declaration_id).details or {})
    body = assert_problem(walk.api.get(f"/declarations/{declaration_id}/signing-payload"), 422, "validation_failed")
    assert any(e["box"] == "35" and e["item"] == 1 for e in body["errors"]), body["errors"]
    assert _versions(declaration_id) == []


def test_a_draft_changed_after_its_create_is_frozen_again_when_signed(walk):
    declaration_id = walk.create()["id"]
    [first] = _versions(declaration_id)
    document = document_json()
    document["goods"][0]["description"] = "Dəyişdirilmiş təsvir"
    assert walk.api.put(f"/declarations/{declaration_id}", document).status_code == 200
    payload = walk.api.get(f"/declarations/{declaration_id}/signing-payload").json()
    assert payload["version"] == 2
    second = DeclarationVersion.objects.get(declaration_id=declaration_id, number=2)
    assert second.document["goods"][0]["description"] == "Dəyişdirilmiş təsvir"
    first.refresh_from_db()  # frozen rows never change
    assert first.document["goods"][0]["description"] != "Dəyişdirilmiş təsvir"
    assert walk.sign(declaration_id)["version"] == 2


def test_a_verdict_of_another_day_is_judged_again(walk):
    declaration_id = walk.create()["id"]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    DeclarationVersion.objects.filter(declaration_id=declaration_id).update(validated_on=yesterday)
    assert walk.api.get(f"/declarations/{declaration_id}/signing-payload").status_code == 200
    [version] = _versions(declaration_id)
    assert version.validated_on == timezone.localdate()


def test_drafts_made_elsewhere_are_frozen_when_signed_not_when_created(users):
    # The portal, a copy and the border's prefill make drafts their users go on editing.
    declaration = declaration_create(
        user=users["deklarant"], document=Document.model_validate(document_json()), voen="1401555071"
    )
    assert not DeclarationVersion.objects.filter(declaration=declaration).exists()


def test_a_copied_json_value_is_the_rows_value(users):
    declaration = declaration_create(
        user=users["deklarant"], document=Document.model_validate(document_json()), voen="1401555071"
    )
    stored = Declaration.objects.get(pk=declaration.pk).document
    version = DeclarationVersion(
        declaration=declaration, number=7, document=JSONOfRow(Declaration, "document", declaration.pk),
        canonical_sha256="0" * 64, created_by=users["deklarant"],
    )
    rawrows.insert(version)
    assert DeclarationVersion.objects.get(pk=version.pk).document == stored


def test_a_judgement_that_breaks_leaves_the_draft_stored_unfrozen(walk, monkeypatch, caplog):
    from gomruk.declarations import signing

    def broken(**_):
        raise ValueError("a rule met input it did not foresee")

    monkeypatch.setattr(signing, "declaration_errors", broken)
    response = walk.api.post("/declarations", document_json())
    assert response.status_code == 201, response.content[:500]
    declaration_id = response.json()["id"]
    assert Declaration.objects.filter(pk=declaration_id).exists() and _versions(declaration_id) == []
    assert "was not judged at its create" in caplog.text
