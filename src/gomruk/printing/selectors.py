"""Reads for printing: the public verification facts and the print context of a declaration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from gomruk.core.errors import NotFound
from gomruk.declarations.models import Declaration, DeclarationSignature, DeclarationVersion, State
from gomruk.declarations.versions import VersionInfo
from gomruk.printing.render import PrintContext


@dataclass(frozen=True)
class Verification:
    """All the public verification page may show: nothing about parties, goods or values."""

    registration_number: str
    state: str
    state_label: str
    signed_sha256: str


def verification_url(declaration_id: Any) -> str:
    base = str(settings.GOMRUK_PUBLIC_URL or "").rstrip("/")
    return f"{base}/verify/{declaration_id}/"


def _signed_sha256(declaration_id: Any) -> str:
    """SHA-256 of the exact bytes signed (document + attachment hashes) of the latest signed
    version; the document-only hash for a version frozen before payloads were stored."""
    row = (
        DeclarationVersion.objects.filter(declaration_id=declaration_id, signatures__isnull=False)
        .order_by("-number")
        .values_list("payload_sha256", "canonical_sha256")
        .first()
    )
    if row is None:
        return ""
    payload_sha, document_sha = row
    return payload_sha or document_sha


def declaration_verification(*, declaration_id: Any) -> Verification:
    """Public, unauthenticated: reads the number and state columns and the signed hash only."""
    try:
        number, state = (
            Declaration.objects.filter(pk=declaration_id)
            .values_list("registration_number", "state")
            .get()
        )
    except (Declaration.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id)) from exc
    label = str(State(state).label) if state in State.values else state
    return Verification(
        registration_number=number or "",
        state=state,
        state_label=label,
        signed_sha256=_signed_sha256(declaration_id),
    )


def print_context(declaration: Declaration) -> PrintContext:
    """Number, dates, state and the signature of the current version, for the printed form.

    The caller has already checked that the user may see the declaration."""
    signature = (
        DeclarationSignature.objects.filter(
            declaration=declaration, version__number=declaration.version
        )
        .select_related("version")
        .order_by("-id")
        .first()
    )
    return PrintContext(
        registration_number=declaration.registration_number or None,
        acceptance_date=declaration.acceptance_date,
        state=declaration.state,
        signer_name=signature.signer_name if signature else None,
        certificate_serial=signature.certificate_serial if signature else None,
        signed_sha256=(signature.version.payload_sha256 or signature.version.canonical_sha256)
        if signature
        else None,
        verification_url=verification_url(declaration.pk),
    )


#: How each standing of a version is named on its printed form (az: the form is Azerbaijani).
VERSION_NOTES = {
    "current": "cari versiya",
    "superseded": "əvəz edilib — hüquqi qüvvəsi yoxdur",
    "requested": "düzəliş sorğusu — gömrükdə baxılır",
    "refused": "düzəliş sorğusu rədd edilib — hüquqi qüvvəsi yoxdur",
    "unsent": "göndərilməyib — hüquqi qüvvəsi yoxdur",
}


def version_print_context(declaration: Declaration, info: VersionInfo) -> PrintContext:
    """The print context of one frozen version: its own signature, and a note naming the
    version and its standing."""
    signature = info.signatures[-1] if info.signatures else None
    version = info.version
    return PrintContext(
        registration_number=declaration.registration_number or None,
        acceptance_date=declaration.acceptance_date,
        state=declaration.state,
        signer_name=signature.signer_name if signature else None,
        certificate_serial=signature.certificate_serial if signature else None,
        signed_sha256=(version.payload_sha256 or version.canonical_sha256) if signature else None,
        verification_url=verification_url(declaration.pk),
        version_note=f"Versiya {version.number}: {VERSION_NOTES.get(info.status, info.status)}",
    )
