"""What is signed, freezing, dropping the signature on edits, and the end-to-end attacks
(the signature engineer's tests cover the cryptography itself)."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.files.base import ContentFile

from gomruk.core.errors import GomrukError
from gomruk.core.models import StoredFile
from gomruk.declarations.models import (
    Attachment,
    DeclarationSignature,
    DeclarationVersion,
    State,
)
from gomruk.declarations.services import declaration_create, declaration_update
from gomruk.declarations.signing import current_signature, declaration_sign, signing_payload
from gomruk.demo import factories as examples


def _edit(journey, declaration, description="Yeni təsvir", by="deklarant"):
    document = examples.export_gb()
    document.goods[0].description = description
    return declaration_update(user=journey.users[by], declaration_id=declaration.pk, document=document)


def _attach(journey, declaration, content=b"%PDF-1.7 invoice"):
    return Attachment.objects.create(
        declaration=declaration, item_number=1, document_index=0, filename="invoice.pdf",
        content_type="application/pdf", size=len(content), sha256=hashlib.sha256(content).hexdigest(),
        file=ContentFile(content, name="invoice.pdf"), uploaded_by=journey.users["deklarant"],
    )


def test_payload_is_canonical_json_of_document_attachments_id_and_version(journey):
    declaration = journey.draft()
    attachment = _attach(journey, declaration)
    frozen = signing_payload(user=journey.users["deklarant"], declaration_id=declaration.pk)
    data = json.loads(frozen.payload)
    assert set(data) == {"declaration", "attachments", "declaration_id", "version"}
    assert data["declaration"] == examples.export_gb().to_data()
    assert data["attachments"] == [{"id": str(attachment.pk), "sha256": attachment.sha256}]
    assert (data["declaration_id"], data["version"]) == (str(declaration.pk), 1)
    assert frozen.sha256 == hashlib.sha256(frozen.payload).hexdigest()
    # Canonical: keys sorted, no whitespace (RFC 8785).
    assert frozen.payload == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_freezing_is_idempotent_until_the_draft_changes(journey):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    first = signing_payload(user=user, declaration_id=declaration.pk)
    again = signing_payload(user=user, declaration_id=declaration.pk)
    assert (again.version, again.payload) == (first.version, first.payload)
    _edit(journey, declaration)
    changed = signing_payload(user=user, declaration_id=declaration.pk)
    assert changed.version == 2 and changed.payload != first.payload
    assert list(DeclarationVersion.objects.filter(declaration=declaration).values_list("number", flat=True)) == [1, 2]
    # The first frozen version is untouched.
    assert DeclarationVersion.objects.get(declaration=declaration, number=1).payload_sha256 == first.sha256


def test_a_changed_attachment_cannot_be_signed(journey):
    declaration = journey.draft()
    attachment = _attach(journey, declaration)
    # The stored bytes changed behind the record's back (files live in the database, ADR 0029).
    StoredFile.objects.filter(name=attachment.file.name).update(content=b"forged invoice")
    with pytest.raises(GomrukError) as error:
        signing_payload(user=journey.users["deklarant"], declaration_id=declaration.pk)
    assert error.value.code == "attachment_corrupt"


def test_signing_stores_the_verified_signature_on_the_frozen_version(journey):
    declaration = journey.sign(journey.draft())
    record = DeclarationSignature.objects.get(declaration=declaration)
    assert record.version.number == 1 and declaration.state == State.SIGNED
    assert (record.provider, record.voen, record.fin) == ("certificate", "1401555071", "5ABCD12")
    assert record.signer_name and record.certificate_serial and len(record.certificate_sha256) == 64
    assert record.payload_sha256 == record.version.payload_sha256
    assert current_signature(declaration) == record


def test_a_broker_signs_for_its_principal_with_its_firm_certificate(journey):
    document = examples.export_gb()
    document.declarant = None  # box 14 comes from the broker's account: its firm and licence
    declaration = declaration_create(user=journey.users["broker"], document=document, voen="1401555071")
    declarant = declaration.document["declarant"]
    assert (declarant["identifier"], declarant["acts_as_broker"], declarant["broker_licence_number"]) == (
        "1700120051", True, "GB-0417")
    signed = journey.sign(declaration, by="broker")
    assert signed.state == State.SIGNED
    assert DeclarationSignature.objects.get(declaration=declaration).voen == "1700120051"


def test_a_firm_certificate_cannot_sign_where_box_14_names_the_principal(journey):
    """Box 14 names the principal (1401555071): only its own certificate signs that."""
    declaration = journey.draft()
    with pytest.raises(GomrukError) as error:
        journey.sign(declaration, by="broker")
    assert (error.value.code, error.value.status, error.value.details["box"]) == ("party_not_authorised", 403, "14")
    assert "certificate_not_declarant" in {e["rule"] for e in error.value.details["errors"]}
    declaration.refresh_from_db()
    assert declaration.state == State.DRAFT
    # The principal's own certificate, submitted by its broker, is the principal signing.
    assert journey.sign(declaration, by="broker", identity="deklarant").state == State.SIGNED


@pytest.mark.parametrize("state", [State.SIGNED, State.CONFIRMED])
def test_edit_after_signing_makes_a_new_draft_version_and_drops_the_signature(journey, state):
    declaration = journey.at(state)
    edited = _edit(journey, declaration)
    assert (edited.state, edited.version) == (State.DRAFT, 2)
    assert edited.document["goods"][0]["description"] == "Yeni təsvir"
    with pytest.raises(GomrukError) as error:
        current_signature(edited)
    assert error.value.code == "signature_missing"
    # The old signature stays with the version it covers.
    assert DeclarationSignature.objects.get(declaration=declaration).version.number == 1
    resigned = journey.sign(edited)
    assert current_signature(resigned).version.number == 2
    assert journey.confirm(resigned).state == State.CONFIRMED


def test_signature_over_an_older_version_is_refused(journey):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    old = signing_payload(user=user, declaration_id=declaration.pk)
    old_signature = journey.pki.sign("deklarant", old.payload)
    _edit(journey, declaration)
    with pytest.raises(GomrukError) as stated:
        declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate",
                         signature=old_signature, version=old.version)
    assert stated.value.code == "stale_version"
    with pytest.raises(GomrukError) as unstated:
        declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=old_signature)
    assert unstated.value.status in (400, 403, 409, 422)
    declaration.refresh_from_db()
    assert declaration.state == State.DRAFT
    assert not DeclarationSignature.objects.filter(declaration=declaration).exists()


def test_signature_reused_on_another_declaration_is_refused(journey):
    first, second = journey.draft(), journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=first.pk)
    signature = journey.pki.sign("deklarant", frozen.payload)
    journey_second = signing_payload(user=user, declaration_id=second.pk)
    assert journey_second.payload != frozen.payload  # same document, different id
    with pytest.raises(GomrukError):
        declaration_sign(user=user, declaration_id=second.pk, provider="certificate", signature=signature)
    second.refresh_from_db()
    assert second.state == State.DRAFT


def test_certificate_of_another_voen_is_refused(journey):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    foreign = journey.pki.sign("deklarant2", frozen.payload)  # valid signature, wrong VÖEN
    with pytest.raises(GomrukError) as error:
        declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=foreign)
    assert error.value.code == "signature_wrong_voen" and error.value.status == 403
    declaration.refresh_from_db()
    assert declaration.state == State.DRAFT


def test_garbage_and_unknown_provider_are_refused(journey):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    with pytest.raises(GomrukError):
        declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=b"\x30\x03abc")
    with pytest.raises(GomrukError) as error:
        declaration_sign(user=user, declaration_id=declaration.pk, provider="fax", signature=b"x")
    assert error.value.code == "unknown_provider"


def test_tampered_stored_version_is_caught_before_confirming(journey):
    declaration = journey.at(State.SIGNED)
    frozen = DeclarationVersion.objects.get(declaration=declaration, number=1)
    forged = frozen.payload.tobytes().replace(b"Bak", b"Gen") if hasattr(frozen.payload, "tobytes") else bytes(frozen.payload).replace(b"Bak", b"Gen")
    DeclarationVersion.objects.filter(pk=frozen.pk).update(payload=forged)
    with pytest.raises(GomrukError) as error:
        journey.confirm(declaration)
    assert error.value.code == "signature_invalid"


def test_blocking_errors_forbid_signing(journey):
    declaration = journey.draft()
    broken = examples.export_gb()
    broken.goods[0].commodity_code = "12AB"
    broken.consignor = None
    declaration_update(user=journey.users["deklarant"], declaration_id=declaration.pk, document=broken)
    with pytest.raises(GomrukError) as error:
        signing_payload(user=journey.users["deklarant"], declaration_id=declaration.pk)
    assert error.value.code == "validation_failed" and error.value.status == 422
    boxes = {e["box"] for e in error.value.details["errors"]}
    assert "33" in boxes
    # A client that builds the payload itself is stopped at signing too.
    from gomruk.declarations.signing import payload_bytes

    payload = payload_bytes(declaration_id=declaration.pk, version=1, document=broken.to_data(), attachments=[])
    with pytest.raises(GomrukError) as direct:
        declaration_sign(user=journey.users["deklarant"], declaration_id=declaration.pk, provider="certificate",
                         signature=journey.pki.sign("deklarant", payload))
    assert direct.value.code == "validation_failed"
