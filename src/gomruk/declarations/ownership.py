"""Whose declaration this is: who may stand in box 14 and in the owner's box.

The Methodology names the parties of a declaration in boxes 2, 8, 9, 14 and 54 (§3.3):

* box 14 is the declarant or its representative (a customs broker: the SCC licence in the
  lower part; direct representation: the representation documents);
* the trader the goods belong to — the owner of the declaration, whose VÖEN it is filed
  under (``Declaration.trader_voen``) — is the exporter of box 2 on export (V-2-1), the
  importer of box 8 on import (V-8-1), and on transit (procedures 80/81, §4.3.8) the carrier
  of box 9, "responsible for taking the goods from the office of departure to the office of
  destination"; boxes 2 and 8 of a transit only copy names from the transport documents;
* box 54's lower part names the broker firm whose specialist filled the declaration.

Who may be named, for a user acting on a date:

* box 14: one of the user's own traders (``TraderBinding``), the broker firm of the user's
  licence valid that day, the user's own FIN (a natural person), or — when the owner signs
  in its own name — the owner itself;
* the owner's box: the VÖEN the declaration is filed under, which must be one of the user's
  own traders or a principal with a representation valid that day;
* when a certificate signs (signing, and again at sending): its VÖEN must be box 14's; a
  certificate of a natural person (FIN only) signs for its own FIN or for a trader or broker
  firm of that person, never for a principal.

:func:`ownership_check` is called with one line at create and update (no certificate, today),
at signing (the certificate, the signing date) and at sending (the stored signature and its
date); :func:`parties_prefill` fills the boxes a new declaration leaves empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from gomruk.accounts.models import BrokerLicence, Representation, Trader, User
from gomruk.accounts.selectors import broker_licences, own_voens, represented_voens, trader_of
from gomruk.core.errors import Bilingual
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.models import DeclarationVersion
from gomruk.declarations.selectors import version_document_keys
from gomruk.document.model import Declarant, Party
from gomruk.document.model import Declaration as Document
from gomruk.rules.checks.common import TRANSIT_PROCEDURES
from gomruk.rules.profiles import profile_for


@dataclass(frozen=True)
class OwnerBox:
    box: str
    field: str  # attribute of the document


def owner_box(document: Document) -> OwnerBox | None:
    """The box that names the trader the declaration belongs to (None: direction unknown)."""
    if (document.procedure or "")[:2] in TRANSIT_PROCEDURES:
        return OwnerBox("9", "financial_party")
    if document.direction == "İX":
        return OwnerBox("2", "consignor")
    if document.direction == "İD":
        return OwnerBox("8", "consignee")
    return None


@dataclass(frozen=True)
class Finding:
    code: str
    box: str
    path: str
    value: Any
    message_az: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        """The shape of a rule error, so the portal shows it beside its box."""
        return {
            "rule": self.code,
            "severity": "error",
            "box": self.box,
            "item": None,
            "path": self.path,
            "value": self.value,
            "message": {"az": self.message_az, "en": self.message_en},
        }


# --- Who the user is on a date ---------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What a user may put in the party boxes on one date."""

    own: frozenset[str]  # the user's own traders
    firms: dict[str, BrokerLicence]  # broker firms of a valid licence
    principals: frozenset[str]  # traders represented on that date
    fin: str

    @classmethod
    def of(cls, user: User, on: date) -> Standing:
        return cls(
            own=own_voens(user),
            firms=broker_licences(user, on),
            principals=represented_voens(user, on),
            fin=(user.fin or "").strip().upper(),
        )

    @property
    def own_identities(self) -> frozenset[str]:
        """VÖENs the user declares as in its own right (box 14 when acting for a principal)."""
        return self.own | frozenset(self.firms)

    @property
    def owners(self) -> frozenset[str]:
        return self.own | self.principals


def _identifier(party: Party | None) -> tuple[str | None, str | None]:
    if party is None or not (party.identifier or "").strip():
        return None, None
    return party.identifier_kind, party.identifier.strip()  # type: ignore[union-attr]


def _date_of(value: date | datetime | None) -> date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


# --- The findings ----------------------------------------------------------------------------


def _owner_findings(document: Document, standing: Standing, trader_voen: str, on: date, complete: bool,
                    user: User) -> list[Finding]:
    where = owner_box(document)
    if where is None:
        if not complete:
            return []
        return [Finding(
            "owner_unknown", "1", "/direction", document.direction,
            "Qrafa 1: istiqamət (İX/İD) göstərilməyib, bəyannamənin kimə aid olduğu bilinmir.",
            "Box 1: the direction (İX/İD) is missing, so whose declaration this is cannot be told.",
        )]
    path = f"/{where.field}/identifier"
    kind, identifier = _identifier(getattr(document, where.field))
    findings: list[Finding] = []
    if identifier is None:
        if complete:
            findings.append(Finding(
                "owner_missing", where.box, path, None,
                f"Qrafa {where.box}: bəyannamənin sahibinin VÖEN-i ({trader_voen}) göstərilməyib.",
                f"Box {where.box}: the VÖEN of the declaration's owner ({trader_voen}) is missing.",
            ))
    elif kind not in (None, "VÖEN") or identifier != trader_voen:
        findings.append(Finding(
            "owner_not_allowed", where.box, path, identifier,
            f"Qrafa {where.box}: {identifier} bu bəyannamənin sahibi deyil; burada bəyannamənin "
            f"verildiyi VÖEN ({trader_voen}) olmalıdır.",
            f"Box {where.box}: {identifier} is not the owner of this declaration; it must name the "
            f"VÖEN the declaration is filed under ({trader_voen}).",
        ))
    if trader_voen not in standing.owners:
        ever = Representation.objects.filter(representative=user, principal__voen=trader_voen).exists()
        findings.append(Finding(
            "representation_invalid" if ever else "owner_not_allowed", where.box, path, trader_voen,
            (f"Qrafa {where.box}: {trader_voen} ilə təmsilçiliyiniz {on:%d.%m.%Y} tarixində etibarlı deyil."
             if ever else
             f"Qrafa {where.box}: {trader_voen} VÖEN-i adından bəyannamə vermək səlahiyyətiniz yoxdur."),
            (f"Box {where.box}: your representation of {trader_voen} is not valid on {on:%d.%m.%Y}."
             if ever else
             f"Box {where.box}: you may not declare on behalf of VÖEN {trader_voen}."),
        ))
    return findings


def _declarant_findings(document: Document, standing: Standing, trader_voen: str, complete: bool) -> list[Finding]:
    declarant = document.declarant
    kind, identifier = _identifier(declarant)
    path = "/declarant/identifier"
    if identifier is None:
        if not complete:
            return []
        return [Finding(
            "declarant_missing", "14", path, None,
            "Qrafa 14: bəyannaməçinin VÖEN-i (fiziki şəxs üçün FİN) göstərilməyib.",
            "Box 14: the declarant's VÖEN (FIN for a natural person) is missing.",
        )]
    if kind == "FIN":
        allowed = bool(standing.fin) and identifier.upper() == standing.fin
    elif kind in (None, "VÖEN"):
        allowed = identifier in standing.own_identities or identifier == trader_voen
    else:
        allowed = False
    if not allowed:
        return [Finding(
            "declarant_not_allowed", "14", path, identifier,
            f"Qrafa 14: {identifier} bəyannaməçi kimi göstərilə bilməz. Burada ya bəyannamənin sahibi "
            f"({trader_voen}), ya sizin öz VÖEN-iniz (fiziki şəxs üçün FİN), ya da təmsilçi kimi broker "
            "firmanız olmalıdır.",
            f"Box 14: {identifier} cannot be the declarant. It must be the declaration's owner "
            f"({trader_voen}), your own VÖEN (FIN for a natural person), or — as a representative — "
            "your broker firm.",
        )]
    findings: list[Finding] = []
    licence = standing.firms.get(identifier) if kind != "FIN" else None
    assert declarant is not None
    if declarant.acts_as_broker and identifier != trader_voen:
        if licence is None:
            findings.append(Finding(
                "broker_licence_invalid", "14", "/declarant/acts_as_broker", identifier,
                f"Qrafa 14: {identifier} üçün bu tarixdə etibarlı broker lisenziyanız yoxdur.",
                f"Box 14: you hold no broker licence of {identifier} valid on this date.",
            ))
        elif declarant.broker_licence_number and declarant.broker_licence_number.strip() != licence.number:
            findings.append(Finding(
                "broker_licence_invalid", "14", "/declarant/broker_licence_number",
                declarant.broker_licence_number,
                f"Qrafa 14: lisenziya nömrəsi sizin lisenziyanız deyil ({licence.number}).",
                f"Box 14: the licence number is not your licence ({licence.number}).",
            ))
    if complete and identifier != trader_voen and not (
        declarant.acts_as_broker or (declarant.representation_documents or "").strip()
    ):
        findings.append(Finding(
            "representation_undeclared", "14", "/declarant/representation_documents", None,
            f"Qrafa 14: bəyannaməçi {trader_voen} adından çıxış edir; aşağı hissədə broker "
            "lisenziyasını və ya təmsilçilik sənədlərini göstərin.",
            f"Box 14: the declarant acts for {trader_voen}; give the broker licence or the "
            "representation documents in the lower part.",
        ))
    return findings


def _broker_firm_findings(document: Document, standing: Standing) -> list[Finding]:
    place = document.place_and_signature
    firm = (place.broker_firm_voen or "").strip() if place else ""
    if not firm or firm in standing.firms:
        return []
    return [Finding(
        "broker_firm_not_allowed", "54", "/place_and_signature/broker_firm_voen", firm,
        f"Qrafa 54: {firm} sizin etibarlı broker lisenziyanızın firması deyil.",
        f"Box 54: {firm} is not the firm of a valid broker licence of yours.",
    )]


def _certificate_findings(document: Document, standing: Standing, signature: Any) -> list[Finding]:
    kind, identifier = _identifier(document.declarant)
    if identifier is None:
        return []  # reported as declarant_missing
    certificate_voen = (getattr(signature, "voen", None) or "").strip()
    certificate_fin = (getattr(signature, "fin", None) or "").strip().upper()
    if kind == "FIN":
        matches = identifier.upper() == certificate_fin
        shown = certificate_fin
    elif certificate_voen:
        matches = identifier == certificate_voen
        shown = certificate_voen
    else:
        # A natural person's certificate signs for that person's own traders or broker firm.
        matches = bool(certificate_fin) and certificate_fin == standing.fin and identifier in standing.own_identities
        shown = certificate_fin
    if matches:
        return []
    return [Finding(
        "certificate_not_declarant", "14", "/declarant/identifier", identifier,
        f"Qrafa 14: imza sertifikatındakı VÖEN/FİN ({shown or '—'}) bəyannaməçinin ({identifier}) deyil.",
        f"Box 14: the VÖEN/FIN of the signing certificate ({shown or '—'}) is not the declarant's ({identifier}).",
    )]


def ownership_findings(
    *,
    user: User,
    document: Document,
    trader_voen: str,
    on: date | datetime | None = None,
    signature: Any = None,
) -> list[Finding]:
    """Everything wrong with the party boxes for ``user`` acting on ``on`` (default today).

    ``signature`` (anything with ``voen`` and ``fin``: a verified or a stored signature) makes
    the check complete: the boxes must then be filled and box 14 must be the certificate's.
    """
    day = _date_of(on if on is not None else getattr(signature, "signed_at", None))
    standing = Standing.of(user, day)
    complete = signature is not None
    findings = _declarant_findings(document, standing, trader_voen, complete)
    findings += _owner_findings(document, standing, trader_voen, day, complete, user)
    findings += _broker_firm_findings(document, standing)
    if complete:
        findings += _certificate_findings(document, standing, signature)
    return findings


#: Every field of the document :func:`ownership_findings` reads.
PARTY_FIELDS = ("direction", "procedure", "declarant", "consignor", "consignee", "financial_party", "place_and_signature")


def party_boxes(stored: dict[str, Any]) -> Document:
    """The party boxes of a frozen version's document, parsed without the rest: it was parsed
    whole when it was frozen, so these boxes parse to what a whole parse would give, without
    its hundred goods items (ADR 0030-parsed-once-per-request)."""
    return Document.model_validate({name: stored[name] for name in PARTY_FIELDS if name in stored})


def stored_party_boxes(version: DeclarationVersion) -> Document:
    """:func:`party_boxes` of a stored version: the boxes it keeps beside its document
    (``DeclarationVersion.parties``, read with its row); for a version frozen before they were
    kept, picked out of its document by the database (``selectors.version_document_keys``).
    Either way the signature and the send read no hundred goods items for seven keys."""
    parties = version.parties
    if parties is None:
        parties = version_document_keys(version.pk, PARTY_FIELDS)
    return party_boxes(parties)


def ownership_check(
    *,
    user: User,
    document: Document | dict[str, Any],
    trader_voen: str,
    on: date | datetime | None = None,
    signature: Any = None,
) -> None:
    """Refuse (403, every finding listed with its box) unless the party boxes are the user's.
    A ``dict`` is a frozen version's document (signing and sending): :func:`party_boxes`."""
    if isinstance(document, dict):
        document = party_boxes(document)
    findings = ownership_findings(user=user, document=document, trader_voen=trader_voen, on=on, signature=signature)
    if not findings:
        return
    first = findings[0]
    raise ERRORS.error(
        "party_not_authorised", status=403, details={"box": first.box, "errors": [f.as_dict() for f in findings]},
        finding=Bilingual(first.message_az, first.message_en),
    )


# --- Prefill ---------------------------------------------------------------------------------


def _trader_party(trader: Trader) -> dict[str, Any]:
    party: dict[str, Any] = {"identifier_kind": "VÖEN", "identifier": trader.voen, "name": trader.name}
    if trader.address:
        party["address"] = trader.address
    return party


def _declarant_for(user: User, trader: Trader, standing: Standing, on: date) -> tuple[dict[str, Any], dict[str, Any]]:
    """Box 14 (and box 54's broker part) for ``user`` declaring for ``trader``."""
    if trader.voen in standing.own:
        return _trader_party(trader), {}
    representation = Representation.objects.filter(representative=user, principal=trader).first()
    documents = representation.document if representation else ""
    if standing.firms:
        voen, licence = sorted(standing.firms.items())[0]
        declarant = {
            **_trader_party(licence.firm),
            "acts_as_broker": True,
            "broker_licence_number": licence.number,
            "broker_licence_date": licence.issued_on.isoformat(),
        }
        if documents:
            declarant["representation_documents"] = documents
        broker = {
            "broker_firm_name": licence.firm.name,
            "broker_firm_voen": voen,
            "specialist_name": user.get_full_name() or user.get_username(),
        }
        return declarant, broker
    own = Trader.objects.filter(voen__in=standing.own).order_by("voen").first()
    if own is not None:
        declarant = _trader_party(own)
    else:
        declarant = {"identifier_kind": "FIN", "identifier": standing.fin, "person_kind": "natural",
                     "name": user.get_full_name() or user.get_username()}
    if documents:
        declarant["representation_documents"] = documents
    return declarant, {}


def parties_prefill(*, user: User, document: Document, trader_voen: str, on: date | None = None) -> Document:
    """The document with the boxes it leaves empty filled from the account: box 14 (the user,
    its broker firm for a principal), the owner's box (the trader), box 13 (the owner's AEO
    status), box 9 (the owner, when empty) and box 54's broker part. Boxes already filled are
    kept as they are."""
    return parties_prefilled(user=user, document=document, trader_voen=trader_voen, on=on)[0]


def parties_prefilled(
    *, user: User, document: Document, trader_voen: str, on: date | None = None
) -> tuple[Document, dict[str, Any] | None]:
    """:func:`parties_prefill`, and the document's ``to_data()`` when it was dumped to be
    looked at and nothing was filled (else None): the create stores it without dumping again."""
    trader = trader_of(trader_voen)
    if trader is None:
        return document, None
    day = on or timezone.localdate()
    standing = Standing.of(user, day)
    data = document.to_data()
    as_sent = dict(data)
    declarant, broker = _declarant_for(user, trader, standing, day)
    if _identifier(document.declarant)[1] is None:
        data["declarant"] = Declarant.model_validate(declarant).model_dump(mode="json", exclude_none=True)
        place = dict(data.get("place_and_signature") or {})
        for name, value in broker.items():
            place.setdefault(name, value)
        if place:
            data["place_and_signature"] = place
    where = owner_box(document)
    if where is not None and _identifier(getattr(document, where.field))[1] is None:
        party = dict(data.get(where.field) or {})
        party.update(_trader_party(trader))
        data[where.field] = party
    profile = profile_for(document.declaration_type, document.direction, document.procedure)
    # Box 9 (who settles the payments) is usually the owner itself: a suggestion the declarant
    # may replace by a third party; box 13 only where the profile (§4.2) has the declarant fill it.
    if profile.fillable("9") and _identifier(document.financial_party)[1] is None and not data.get("financial_party"):
        data["financial_party"] = _trader_party(trader)
    if profile.fillable("13"):
        data.setdefault("aeo_indicator", "1" if trader.is_aeo else "0")
    if data == as_sent:
        return document, data  # nothing to fill: not parsed a second time (issue 17)
    return Document.model_validate(data), None


def owner_named(document: Document) -> str | None:
    """The VÖEN the owner's box names, if any (a new declaration is filed under it)."""
    where = owner_box(document)
    if where is None:
        return None
    kind, identifier = _identifier(getattr(document, where.field))
    return identifier if kind in (None, "VÖEN") else None
