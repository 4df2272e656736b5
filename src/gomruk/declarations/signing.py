"""Signing a declaration: the payload that is signed, a certificate's detached CMS signature,
Asan İmza, and the check of the current version's signature that confirm and send rely on.

What is signed is :func:`signing_payload`: the canonical JSON (RFC 8785) of the frozen
document, the SHA-256 of every attachment, the declaration id and the version number, so a
signature can be replayed neither on another declaration nor on another version.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone

from gomruk.accounts.models import User
from gomruk.core import rawrows
from gomruk.core.audit import audit_record
from gomruk.core.canonical import canonical_json, canonical_model_json, canonical_object, sha256_hex
from gomruk.core.errors import GomrukError, NotFound
from gomruk.core.json_text import JSONOfRow, JSONText
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.lifecycle import Lifecycle, audited, trader_declaration
from gomruk.declarations.models import (
    AsanSigningRequest,
    Declaration,
    DeclarationSignature,
    DeclarationVersion,
    State,
)
from gomruk.declarations.ownership import PARTY_FIELDS, ownership_check, stored_party_boxes
from gomruk.declarations.selectors import (
    DraftFrozen,
    document_text,
    draft_version,
    version_payload,
    version_signature,
)
from gomruk.declarations.validation import declaration_errors
from gomruk.document.model import Declaration as Document
from gomruk.rules.engine import has_blocking
from gomruk.signatures.cms import Content, StoredContent
from gomruk.signatures.services import (
    asan_poll,
    asan_start,
    signature_verify,
    signer_authorise,
    trust_store,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Frozen:
    """A frozen version, with its document as parsed by this request when it was frozen now
    (``None`` when an earlier freeze was reused unparsed): the signing gate judges that parse
    rather than parsing the stored dict again (ADR 0030-parsed-once-per-request)."""

    version: DeclarationVersion
    document: Document | None = None


@dataclass(frozen=True)
class SigningPayload:
    version: int
    payload: bytes
    sha256: str


def _attachment_manifest(declaration: Declaration, *, attached: bool = True) -> list[dict[str, str]]:
    """Each attachment's id and SHA-256, recomputed from the stored file: a file that no longer
    matches its recorded hash cannot be signed. ``attached=False``: the caller knows there is
    none (``DraftFrozen.attached``)."""
    manifest: list[dict[str, str]] = []
    if not attached:
        return manifest
    for attachment in declaration.attachments.order_by("uploaded_at", "id"):
        digest = hashlib.sha256()
        try:
            with attachment.file.open("rb") as handle:
                for chunk in iter(lambda h=handle: h.read(1 << 16), b""):  # type: ignore[misc]
                    digest.update(chunk)
        except (OSError, ValueError) as exc:
            raise _attachment_error(attachment.pk, attachment.filename) from exc
        if digest.hexdigest() != attachment.sha256:
            raise _attachment_error(attachment.pk, attachment.filename)
        manifest.append({"id": str(attachment.pk), "sha256": attachment.sha256})
    return manifest


def _attachment_error(attachment_id: Any, filename: str) -> GomrukError:
    return ERRORS.error("attachment_corrupt", status=409, details={"attachment": str(attachment_id)}, filename=filename)


def payload_bytes(*, declaration_id: Any, version: int, document: dict[str, Any], attachments: list[dict[str, str]]) -> bytes:
    return _payload(declaration_id=declaration_id, version=version, document_json=canonical_json(document), attachments=attachments)


def _payload(*, declaration_id: Any, version: int, document_json: bytes, attachments: list[dict[str, str]]) -> bytes:
    """:func:`payload_bytes` around the document's canonical bytes, which freezing has already
    written to hash them."""
    return canonical_object(
        {
            "declaration": document_json,
            "attachments": canonical_json(attachments),
            "declaration_id": canonical_json(str(declaration_id)),
            "version": canonical_json(version),
        }
    )


def _freeze(declaration: Declaration, user: User, *, digested: bool = False) -> Frozen:
    """The frozen version of the current draft: reused while the draft is unchanged; a draft
    edited since it was frozen gets the next version number (frozen rows never change).

    The database says whether the draft still holds the frozen document (signing after the
    signing payload reads neither document); otherwise the draft is parsed straight from the
    text the database holds (ADR 0033-a-document-read-as-text-or-not-at-all)."""
    draft = draft_version(declaration, digested=digested)
    frozen = draft.version
    if frozen is not None and draft.unchanged and frozen.attachments == _attachment_manifest(declaration, attached=draft.attached):
        return Frozen(frozen)
    parsed = Document.model_validate_json(document_text(declaration))
    result = _parsed_freeze(declaration=declaration, parsed=parsed, user=user, reuse=frozen, draft=draft, judge=True)
    if result.version.number != declaration.version:
        declaration.version = result.version.number
        declaration.save(update_fields=["version", "updated_at"])
    return result


def version_freeze(
    *,
    declaration: Declaration,
    document: dict[str, Any],
    user: User,
    reuse: DeclarationVersion | None = None,
) -> DeclarationVersion:
    """``document`` frozen with the declaration's attachments: ``reuse`` when it already holds
    exactly that, else a new version numbered after every version the declaration has (an
    amendment's version may have taken a number the draft would otherwise reuse).

    ``reuse`` holding the very same document (it was frozen from it) is reused without
    re-parsing and re-hashing it: each version is frozen once (ADR 0022-validated-and-frozen-once)."""
    if reuse is not None and reuse.document == document and reuse.attachments == _attachment_manifest(declaration):
        return reuse
    parsed = Document.model_validate(document)
    return _parsed_freeze(declaration=declaration, parsed=parsed, user=user, reuse=reuse).version


def _parsed_freeze(
    *, declaration: Declaration, parsed: Document, user: User, reuse: DeclarationVersion | None,
    draft: DraftFrozen | None = None, judge: bool = False, judged: bool = False,
    data: dict[str, Any] | None = None, document_json: bytes | None = None, stored: bool = False,
) -> Frozen:
    """``parsed`` frozen: ``reuse`` when its canonical bytes and attachments are the same
    (its stored document is not read), else a new version. ``draft``: what the database said
    of the declaration's versions and attachments in this transaction (the row is locked).
    ``judge``: a new version is judged before it is written and written with its verdict (the
    signing gate would otherwise write it again at once); blocking errors refuse it unwritten.
    ``judged``: the caller has judged it signable already. ``data``: ``parsed.to_data()``, where
    the caller has dumped it already (``document_json``: and written its canonical JSON);
    ``stored``: and the draft's row holds exactly that, written in this transaction (the
    version copies it from there)."""
    document = parsed.to_data() if data is None else data
    if document_json is None:
        document_json = canonical_model_json(Document, document)
    document_sha = sha256_hex(document_json)
    attachments = _attachment_manifest(declaration, attached=draft is None or draft.attached)
    if reuse is not None and reuse.canonical_sha256 == document_sha and reuse.attachments == attachments:
        return Frozen(reuse, parsed)
    verdict: dict[str, Any] = {}
    if judge:
        _refuse_blocking(declaration, parsed)
    if judge or judged:
        verdict = {"verdict": VALID, "validated_on": timezone.localdate()}
    number = declaration.version if reuse is None else 0
    if draft is not None:
        latest = draft.latest
    else:
        latest = DeclarationVersion.objects.filter(declaration=declaration).aggregate(Max("number"))["number__max"]
    number = max(number, (latest or 0) + 1)
    payload = _payload(declaration_id=declaration.pk, version=number, document_json=document_json, attachments=attachments)
    version = DeclarationVersion(
        declaration=declaration,
        number=number,
        document=(
            JSONOfRow(Declaration, "document", declaration.pk) if stored
            else JSONText(document, document_json.decode())
        ),
        canonical_sha256=document_sha,
        draft_revision=draft.revision if draft is not None and connection.vendor == "postgresql" else None,
        parties={name: document[name] for name in PARTY_FIELDS if name in document},
        attachments=attachments,
        payload=payload,
        payload_sha256=sha256_hex(payload),
        created_by=user,
        **verdict,
    )
    rawrows.insert(version)
    version.document = document  # what the statement wrote, for whoever reads this instance
    return Frozen(version, parsed)


@dataclass(frozen=True)
class Signable:
    """A new draft the signing gate passes (:func:`judged_signable`), and its document's
    canonical JSON, which the draft's row is written from too."""

    document_json: bytes


def judged_signable(*, declaration: Declaration, document: Document, data: dict[str, Any]) -> Signable | None:
    """Whether a draft being created whole by broker software (the API's create) is signable
    as it is: judged from the parse and the dump the create has made (``data`` is
    ``document.to_data()``, what the draft stores), before its row is written. None: something
    blocks, and the draft is stored unfrozen; its signing payload judges it, and names the
    errors, as any draft's does (ADR 0044-a-whole-draft-frozen-when-created).

    Storing the draft is the create's business; judging it early is not: a judgement that
    fails other than in the database (a rule meeting input it did not foresee) is logged and
    leaves the draft unfrozen, to be judged by its signing payload as before."""
    try:
        if has_blocking(declaration_errors(declaration=declaration, document=document, signing=True)):
            return None
    except DatabaseError:
        raise
    except Exception:
        logger.exception("The new draft %s was not judged at its create; its signing payload judges it", declaration.pk)
        return None
    return Signable(canonical_model_json(Document, data))


def freeze_signable(
    *, declaration: Declaration, document: Document, data: dict[str, Any], signable: Signable, user: User
) -> DeclarationVersion:
    """The draft just written from ``data``, judged ``signable``, frozen at once with today's
    verdict: its signing payload finds the version frozen and judged for the day, and reads and
    parses no document (ADR 0044)."""
    nothing_yet = DraftFrozen(
        version=None, unchanged=False, attached=False, latest=None, revision=declaration.document_revision
    )
    return _parsed_freeze(
        declaration=declaration, parsed=document, data=data, document_json=signable.document_json, stored=True,
        user=user, reuse=None, draft=nothing_yet, judged=True,
    ).version


# Boxes the system and customs fill (V-7-1, V-C-1, V-D-1). Once a declaration has been sent
# they hold the system's values, which a declarant correcting a returned declaration must not
# be blamed for; before the first send they are the declarant's input and are checked as such.


VALID = "valid"


def check_blocking(declaration: Declaration, frozen: DeclarationVersion, document: Document | None = None) -> None:
    """Refuse a version with blocking rule errors. The verdict is kept on the version for the
    day it is for ("valid" means signable that day): the signature of a version judged today
    is not judged again, another day (or another acceptance date) is. ``document``: the
    version's document as this request parsed it to freeze it (:class:`Frozen`), if it did."""
    today = timezone.localdate()
    if frozen.verdict == VALID and frozen.validated_on == today and declaration.acceptance_date in (None, today):
        return
    _refuse_blocking(declaration, frozen.document if document is None else document)
    DeclarationVersion.objects.filter(pk=frozen.pk).update(verdict=VALID, validated_on=today)
    frozen.verdict, frozen.validated_on = VALID, today


def _refuse_blocking(declaration: Declaration, document: Document | dict[str, Any]) -> None:
    errors = declaration_errors(declaration=declaration, document=document, signing=True)
    if has_blocking(errors):
        raise ERRORS.error("validation_failed", status=422, details={"errors": [e.as_dict() for e in errors]})


@audited("signing_payload")
def signing_payload(*, user: User, declaration_id: Any, reach: frozenset[str] | None = None) -> SigningPayload:
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id, reach)
        Lifecycle.check(declaration, "sign")
        result = _freeze(declaration, user)
        frozen = result.version
        check_blocking(declaration, frozen, result.document)
        audit_record(
            actor=user, action="declaration.freeze", object_type="declaration", object_id=str(declaration.pk),
            details={"version": frozen.number, "payload_sha256": frozen.payload_sha256},
        )
        return SigningPayload(version=frozen.number, payload=bytes(frozen.payload), sha256=frozen.payload_sha256)


def stale_version(signed: int, current: int) -> GomrukError:
    return ERRORS.error(
        "stale_version", status=409, details={"signed_version": signed, "current_version": current},
        signed=signed, current=current,
    )


def signature_store(
    *, user: User, declaration: Declaration, frozen: DeclarationVersion, provider: str, signature: bytes,
    insert: bool = True,
) -> DeclarationSignature:
    """Verify ``signature`` over the frozen version's bytes, check the signer may sign for the
    declarant and that the version has no blocking error, and keep it (a declaration's own
    signature and an amendment request's alike); without ``insert``, the row is the caller's
    to write (with the change it makes)."""
    verified = signature_verify(payload=signed_content(frozen), signature=signature, provider=provider)
    signer_authorise(verified=verified, user=user, voen=declaration.trader_voen)
    check_blocking(declaration, frozen)
    # The party boxes the version keeps beside its document (ADR 0046): the document is not read.
    ownership_check(
        user=user, document=stored_party_boxes(frozen), trader_voen=declaration.trader_voen, signature=verified
    )
    record = DeclarationSignature(
        declaration=declaration,
        version=frozen,
        provider=provider,
        signer_name=verified.signer_name or "",
        certificate_serial=str(verified.certificate_serial),
        certificate_sha256=verified.certificate_sha256,
        voen=verified.voen or "",
        fin=verified.fin or "",
        signed_at=verified.signed_at,
        signature_der=verified.signature_der or signature,
        payload_sha256=frozen.payload_sha256,
        user=user,
        trust_state=verified.trust_state,
    )
    if insert:
        rawrows.insert(record)
    return record


def _record_signature(
    *, user: User, declaration: Declaration, frozen: DeclarationVersion, provider: str, signature: bytes
) -> DeclarationSignature:
    record = signature_store(
        user=user, declaration=declaration, frozen=frozen, provider=provider, signature=signature, insert=False
    )
    Lifecycle.apply(
        declaration=declaration,
        action="sign",
        rows=(record,),
        actor=user,
        details={
            "version": frozen.number,
            "provider": provider,
            "certificate_serial": record.certificate_serial,
            "payload_sha256": frozen.payload_sha256,
        },
        fields=(),
    )
    return record


@audited("sign")
def declaration_sign(
    *, user: User, declaration_id: Any, provider: str, signature: bytes, version: int | None = None,
    reach: frozenset[str] | None = None,
) -> Declaration:
    """Attach a detached CMS signature made with the signer's certificate over
    :func:`signing_payload` (Asan İmza goes through ``declaration_sign_asan_*``)."""
    if provider != DeclarationSignature.Provider.CERTIFICATE:
        raise ERRORS.error("unknown_provider", status=422, details={"provider": provider}, provider=provider)
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id, reach)
        Lifecycle.check(declaration, "sign")
        frozen = _freeze(declaration, user, digested=True).version
        if version is not None and version != frozen.number:
            raise stale_version(version, frozen.number)
        _record_signature(user=user, declaration=declaration, frozen=frozen, provider=provider, signature=signature)
        return declaration


@audited("sign.asan_start")
def declaration_sign_asan_start(
    *, user: User, declaration_id: Any, phone_number: str, asan_user_id: str
) -> Any:
    """Start an Asan İmza signing of the current version; returns the transaction, whose
    verification code the declarant compares with the one on the phone."""
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        Lifecycle.check(declaration, "sign")
        result = _freeze(declaration, user)
        frozen = result.version
        check_blocking(declaration, frozen, result.document)
        asan = asan_start(
            user=user,
            phone_number=phone_number,
            asan_user_id=asan_user_id,
            payload=bytes(frozen.payload),
            purpose="declaration.sign",
            object_id=str(declaration.pk),
        )
        AsanSigningRequest.objects.create(
            declaration=declaration, version_number=frozen.number, transaction_id=str(asan.id), user=user
        )
        audit_record(
            actor=user, action="declaration.sign.asan_start", object_type="declaration",
            object_id=str(declaration.pk), details={"version": frozen.number, "transaction": str(asan.id)},
        )
        return asan


@dataclass(frozen=True)
class AsanSigningStatus:
    state: str
    transaction: Any
    declaration: Declaration


@audited("sign.asan_poll")
def declaration_sign_asan_poll(*, user: User, declaration_id: Any, transaction_id: Any) -> AsanSigningStatus:
    """Ask how the phone answered; once confirmed, the signature is verified and recorded."""
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        request = AsanSigningRequest.objects.filter(
            declaration=declaration, transaction_id=str(transaction_id)
        ).first()
        if request is None:
            raise NotFound("Asan İmza əməliyyatı", "Asan İmza transaction", id=str(transaction_id))
        asan = asan_poll(user=user, transaction_id=transaction_id)
        if asan.state != "confirmed":
            return AsanSigningStatus(state=asan.state, transaction=asan, declaration=declaration)
        already = DeclarationSignature.objects.filter(
            declaration=declaration, version__number=request.version_number, provider="asan"
        ).exists()
        if already and declaration.state != State.DRAFT:
            return AsanSigningStatus(state="signed", transaction=asan, declaration=declaration)
        Lifecycle.check(declaration, "sign")
        frozen = _freeze(declaration, user, digested=True).version
        if frozen.number != request.version_number:
            raise stale_version(request.version_number, frozen.number)
        _record_signature(
            user=user, declaration=declaration, frozen=frozen, provider="asan", signature=asan_signature(asan)
        )
        return AsanSigningStatus(state="signed", transaction=asan, declaration=declaration)


def asan_signature(asan: Any) -> bytes:
    if not getattr(asan, "signature_der", None):
        raise ERRORS.error("asan_no_signature", status=502)
    return bytes(asan.signature_der)


def signature_on_record(declaration: Declaration) -> DeclarationSignature:
    """The signature recorded for the current version, over the stored payload as it is now,
    without verifying the CMS and its CRL again: it was verified when it was recorded (and the
    send looks at it once more: :func:`current_signature`); the confirmation only needs to know
    it is there and made over these bytes (ADR 0022-validated-and-frozen-once)."""
    record, _ = _recorded_signature(declaration)
    return record


def current_signature(declaration: Declaration) -> DeclarationSignature:
    """The signature of the current version, over the stored bytes as they are now (the
    version's document is read only by a caller that needs it: ``record.version.document``).

    Its CMS and certificate path are verified again, at the time it was signed, when the trust
    store (anchors, CRLs) is no longer the one that verified it at signing: a CRL published
    since then can stop the send. Under the same store that check would repeat the signing's
    own, which covered that time too, and is not run again (ADR 0053)."""
    record, payload = _recorded_signature(declaration)
    if record.trust_state != trust_store().fingerprint:  # the CMS is read for this check only
        signature_verify(payload=payload, signature=bytes(record.signature_der), at=record.signed_at)
    return record


def _recorded_signature(declaration: Declaration) -> tuple[DeclarationSignature, Content]:
    """The current version's signature row (its version attached, its CMS deferred) and the
    stored payload, refused unless the payload still hashes to what was signed."""
    record = version_signature(declaration)
    if record is None:
        raise ERRORS.error("signature_missing", status=409, details={"version": declaration.version})
    if record.payload_sha256 != record.version.payload_sha256:
        raise ERRORS.error("signature_invalid", status=409)
    return record, signed_content(record.version)


def signed_content(version: DeclarationVersion) -> Content:
    """The version's payload as a signature check needs it: the digest the database computed of
    the stored bytes where a selector read that instead (refused unless it is the one recorded
    when the version was frozen; the bytes read only if a check needs them, such as a signature
    made without SHA-256; ADR 0041); else its bytes."""
    digest = version.stored_payload_digest
    if digest is None:  # read whole (a deferred payload is loaded here)
        return bytes(version.payload)
    if digest.hex() != version.payload_sha256:
        raise ERRORS.error("signature_invalid", status=409)
    return StoredContent(sha256=digest, read=lambda: version_payload(version.pk))
