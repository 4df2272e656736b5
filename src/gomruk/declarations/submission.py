"""Submitting a signed declaration: confirm (the submission terms), send (to a customs office,
which gives box 7 its number), and withdraw."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gomruk.accounts.models import User
from gomruk.core.canonical import sha256_hex
from gomruk.core.json_set import JSONKeySet
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.lifecycle import Lifecycle, audited, trader_declaration
from gomruk.declarations.models import Declaration, SubmissionTerms, TermsAcceptance
from gomruk.declarations.numbering import registration_number_take
from gomruk.declarations.ownership import ownership_check, stored_party_boxes
from gomruk.declarations.pending import require_no_pending_request
from gomruk.declarations.selectors import latest_terms
from gomruk.declarations.signing import current_signature, signature_on_record
from gomruk.reference.snapshot import current_reference


def current_terms() -> SubmissionTerms | None:
    return latest_terms()


@audited("confirm")
def declaration_confirm(
    *, user: User, declaration_id: Any, terms_version: str, accepted: bool, reach: frozenset[str] | None = None
) -> Declaration:
    if accepted is not True:
        raise ERRORS.error("terms_not_accepted", status=422)
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id, reach)
        Lifecycle.check(declaration, "confirm")
        terms = current_terms()
        if terms is None or terms.version != terms_version:
            raise ERRORS.error(
                "terms_outdated", status=409,
                details={"accepted": terms_version, "current": terms.version if terms else None},
            )
        signature_on_record(declaration)
        text = f"{terms.text_az}\n\n{terms.text_en}".strip()
        acceptance = TermsAcceptance(
            declaration=declaration,
            version_number=declaration.version,
            user=user,
            terms_version=terms.version,
            terms_text=text,
            terms_sha256=sha256_hex(text.encode("utf-8")),
            accepted_at=timezone.now(),
        )
        Lifecycle.apply(
            declaration=declaration, action="confirm", actor=user,
            details={"terms_version": terms.version, "version": declaration.version}, fields=(), rows=(acceptance,),
        )
        return declaration


def _office_exists(office_code: str) -> bool:
    return current_reference().has("customs-offices", office_code, on=timezone.localdate())


@audited("send")
def declaration_send(
    *, user: User, declaration_id: Any, office_code: str, reach: frozenset[str] | None = None
) -> Declaration:
    """Send to the chosen customs office (appendix 11); box 7 gets its number here."""
    office_code = (office_code or "").strip()
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id, reach)
        Lifecycle.check(declaration, "send")
        if not _office_exists(office_code):
            raise ERRORS.error("unknown_office", status=422, details={"office_code": office_code}, office_code=office_code)
        if declaration.registration_number and declaration.office_code != office_code:
            # A declaration returned for correction goes back to the office that holds its number.
            raise ERRORS.error(
                "office_fixed", status=409, details={"office_code": declaration.office_code},
                office_code=declaration.office_code,
            )
        # Verified before the number is taken: the office's counter row stays locked only
        # for the short writes after it (which also keeps the audit chain linear per office).
        signed = current_signature(declaration)
        ownership_check(user=signed.user, document=stored_party_boxes(signed.version), trader_voen=declaration.trader_voen, signature=signed)
        now = timezone.now()
        number = declaration.registration_number or registration_number_take(
            office_code=office_code, on=timezone.localdate(now)
        )
        # Box 7 is the one key of the document that changes: set in the database by the
        # statement that changes the state, not by writing the whole document back
        # (ADR 0022-validated-and-frozen-once).
        box_7 = {"document": JSONKeySet("document", "registration_number", number)}
        if "document" not in declaration.get_deferred_fields():
            declaration.document["registration_number"] = number
        declaration.registration_number = number
        declaration.office_code = office_code
        declaration.sent_at = now
        Lifecycle.apply(
            declaration=declaration, action="send", actor=user,
            details={"office_code": office_code, "registration_number": number},
            fields=("registration_number", "office_code", "sent_at"), assignments=box_7,
        )
        return declaration


@audited("withdraw")
def declaration_withdraw(*, user: User, declaration_id: Any, reason: str = "") -> Declaration:
    with transaction.atomic():
        declaration = trader_declaration(user, declaration_id)
        require_no_pending_request(declaration)
        Lifecycle.apply(declaration=declaration, action="withdraw", actor=user, reason=reason.strip())
        return declaration
