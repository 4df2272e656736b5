"""Signing, confirming and sending check the signature against the digest the database
computes of the stored payload, not against 100 KB read back (ADR 0041); the bytes are read
only where a check needs them, and a stored payload changed since it was frozen is refused."""

from __future__ import annotations

import hashlib
import re

import pytest
from cryptography.hazmat.primitives import hashes
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gomruk.core.errors import GomrukError
from gomruk.declarations.models import DeclarationVersion, State
from gomruk.declarations.selectors import draft_version, version_signature
from gomruk.declarations.signing import declaration_sign, signing_payload
from gomruk.signatures.cms import StoredContent, cms_check
from gomruk.signatures.local import sign_payload


def _payload_reads(queries: CaptureQueriesContext) -> list[str]:
    """Statements that select the payload column itself (not its digest, ``sha256(…)``)."""
    return [
        q["sql"] for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT") and '"payload"' in re.sub(r"sha256\([^)]*\)", "", q["sql"])
    ]


def test_the_selectors_give_the_stored_payloads_digest_instead_of_it(journey):
    declaration = journey.at(State.SIGNED)
    version = DeclarationVersion.objects.get(declaration=declaration, number=1)
    stored = bytes(version.payload)
    record = version_signature(declaration)
    assert record is not None
    assert "payload" in record.version.get_deferred_fields()
    assert record.version.stored_payload_digest == hashlib.sha256(stored).digest()
    frozen = draft_version(declaration, digested=True).version
    assert frozen is not None and frozen.stored_payload_digest == hashlib.sha256(stored).digest()
    assert bytes(draft_version(declaration).version.payload) == stored  # the bytes, when asked for


def test_signature_confirm_and_send_read_no_payload(journey):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    signature = journey.pki.sign("deklarant", frozen.payload)
    with CaptureQueriesContext(connection) as signing:
        declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=signature,
                         version=frozen.version)
    with CaptureQueriesContext(connection) as confirming:
        journey.confirm(declaration)
    with CaptureQueriesContext(connection) as sending:
        sent = journey.send(declaration)
    assert sent.state == State.SENT
    for step in (signing, confirming, sending):
        assert _payload_reads(step) == []
        assert any("sha256(" in q["sql"] for q in step.captured_queries)


def test_a_payload_changed_after_signing_is_refused_at_send(journey):
    declaration = journey.at(State.CONFIRMED)
    version = DeclarationVersion.objects.get(declaration=declaration, number=1)
    forged = bytes(version.payload).replace(b"Bak", b"Gen")
    assert forged != bytes(version.payload)
    DeclarationVersion.objects.filter(pk=version.pk).update(payload=forged)
    with pytest.raises(GomrukError) as refused:
        journey.send(declaration)
    assert refused.value.code == "signature_invalid"
    declaration.refresh_from_db()
    assert declaration.state == State.CONFIRMED and not declaration.registration_number


def test_a_payload_changed_between_freezing_and_signing_is_refused(journey):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    signature = journey.pki.sign("deklarant", frozen.payload)
    DeclarationVersion.objects.filter(declaration=declaration, number=frozen.version).update(
        payload=frozen.payload.replace(b"Bak", b"Gen")
    )
    with pytest.raises(GomrukError) as refused:
        declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate", signature=signature,
                         version=frozen.version)
    assert refused.value.code == "signature_invalid"


def test_a_signature_made_with_sha384_reads_the_bytes_and_still_verifies(journey):
    declaration = journey.draft()
    user = journey.users["deklarant"]
    frozen = signing_payload(user=user, declaration_id=declaration.pk)
    leaf = journey.pki.leaves["deklarant"]
    signature = sign_payload(frozen.payload, key_pem=leaf.key_pem, cert_pem=leaf.cert_pem, hash_algorithm=hashes.SHA384())
    with CaptureQueriesContext(connection) as signing:
        signed = declaration_sign(user=user, declaration_id=declaration.pk, provider="certificate",
                                  signature=signature, version=frozen.version)
    assert signed.state == State.SIGNED
    assert len(_payload_reads(signing)) == 1  # the bytes, read once for the SHA-384 digest
    assert journey.send(journey.confirm(declaration)).state == State.SENT


def test_stored_content_is_read_only_when_a_check_needs_it(pki):
    payload = b'{"declaration": "x"}'
    leaf = pki.leaves["deklarant"]

    def unread() -> bytes:
        raise AssertionError("read although the SHA-256 digest answers")

    sha256 = hashlib.sha256(payload).digest()
    signed = sign_payload(payload, key_pem=leaf.key_pem, cert_pem=leaf.cert_pem)
    assert cms_check(payload=StoredContent(sha256, unread), signature=signed).signer is not None
    other = sign_payload(b"other bytes", key_pem=leaf.key_pem, cert_pem=leaf.cert_pem)
    with pytest.raises(GomrukError) as mismatch:
        cms_check(payload=StoredContent(sha256, unread), signature=other)
    assert mismatch.value.code == "signature_mismatch"
    sha512 = sign_payload(payload, key_pem=leaf.key_pem, cert_pem=leaf.cert_pem, hash_algorithm=hashes.SHA512())
    assert cms_check(payload=StoredContent(sha256, lambda: payload), signature=sha512).signer is not None
    # Bytes read back that no longer hash to the digest are refused, whatever they were signed as.
    with pytest.raises(GomrukError) as changed:
        cms_check(payload=StoredContent(sha256, lambda: b"changed"), signature=sha512)
    assert changed.value.code == "signature_mismatch"


def test_a_version_read_without_a_digest_gives_its_bytes(journey):
    from gomruk.declarations.signing import signed_content

    declaration = journey.at(State.SIGNED)
    whole = DeclarationVersion.objects.get(declaration=declaration, number=1)
    assert signed_content(whole) == bytes(whole.payload)
    deferred = DeclarationVersion.objects.defer("payload").get(pk=whole.pk)
    assert signed_content(deferred) == bytes(whole.payload)  # loaded, not refused
    digested = version_signature(declaration).version
    content = signed_content(digested)
    assert isinstance(content, StoredContent) and content.sha256 == hashlib.sha256(bytes(whole.payload)).digest()
    assert content.bytes() == bytes(whole.payload)
