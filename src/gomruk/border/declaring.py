"""Declarations that cover border goods: linking, "Declare these goods", and following the
declaration's lifecycle.

The link rows (:class:`ArrivalDeclaration`) are the source of truth. When a covering
declaration is sent its arrivals become ``declared``; released → ``cleared``; refused or
withdrawn → back to ``in_storage`` (unless another declaration still holds them); cancelled
(invalidated, before or after release) → back to ``in_storage`` as well, cleared goods
included: the release they had is void. A "returned for correction" declaration keeps its
goods declared: it comes back with its number; reopened by an upheld complaint, a refused
declaration holds its goods again. Steps that keep the declaration's state (requests,
complaints, a post-clearance amendment's acceptance) leave the goods alone.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from gomruk.accounts.models import Role, Trader, User
from gomruk.accounts.selectors import may_act_for
from gomruk.border.errors import ERRORS
from gomruk.border.models import Arrival, ArrivalDeclaration, ArrivalEvent, ArrivalState
from gomruk.border.selectors import arrival_for_trader, covered_arrivals
from gomruk.core.audit import audit_record
from gomruk.core.errors import GomrukError, NotFound, PermissionDenied
from gomruk.declarations.lifecycle import TransitionMade
from gomruk.declarations.models import Declaration, State
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.services import declaration_create
from gomruk.document import model as doc
from gomruk.reference.snapshot import current_reference

#: Declarations that hold goods at customs: sent and not yet decided, or sent once and now
#: back with the declarant for correction (they keep their registration number).
HOLDING = Q(state__in=(State.SENT, State.REGISTERED, State.UNDER_CONTROL, State.RETURNED)) | Q(
    state__in=(State.DRAFT, State.SIGNED, State.CONFIRMED), registration_number__isnull=False
)
DEFAULT_LINE = {"transport": 2, "commercial": 8}  # box 44 lines when no App. 13 code is given


def _require_trader(user: Any) -> None:
    if getattr(user, "role", None) not in (Role.DECLARANT, Role.REPRESENTATIVE):
        raise PermissionDenied(
            "Malları yalnız bəyannaməçi və ya onun təmsilçisi bəyan edə bilər.",
            "Only the declarant or its representative may declare goods.",
        )


def _not_available(arrival: Arrival) -> GomrukError:
    return ERRORS.error(
        "arrival_not_available", status=409, details={"arrival": str(arrival.pk), "state": arrival.state}
    )


def _visible_arrivals(user: User, arrival_ids: list[str]) -> list[Arrival]:
    """Each id must be an arrival under a VÖEN the caller acts for; the first that is not is
    reported as 'not found', whether it exists or not."""
    arrivals = []
    for arrival_id in dict.fromkeys(str(a) for a in arrival_ids):
        arrival = arrival_for_trader(user=user, arrival_id=arrival_id)
        arrivals.append(Arrival.objects.select_for_update().get(pk=arrival.pk))
    return arrivals


@transaction.atomic
def arrivals_attach(*, user: User, declaration_id: Any, arrival_ids: list[str]) -> list[ArrivalDeclaration]:
    """The draft declaration covers these arrivals (box 40 / box 30)."""
    _require_trader(user)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    declaration = Declaration.objects.select_for_update().get(pk=declaration.pk)
    if not may_act_for(user, declaration.trader_voen):
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id))
    if declaration.state != State.DRAFT:
        raise ERRORS.error("declaration_not_draft", status=409, details={"state": declaration.state})
    links = []
    for arrival in _visible_arrivals(user, arrival_ids):
        if arrival.state in (ArrivalState.DECLARED, ArrivalState.CLEARED):
            raise _not_available(arrival)
        link, _created = ArrivalDeclaration.objects.get_or_create(
            arrival=arrival, declaration=declaration, defaults={"created_by": user}
        )
        links.append(link)
    audit_record(
        actor=user, action="border.arrivals.attach", object_type="declaration", object_id=str(declaration.pk),
        details={"arrivals": [str(link.arrival_id) for link in links]},
    )
    return links


def _document_line(kind: str, code: str | None, number: str, issued_on: str | None) -> doc.DocumentLine:
    line = DEFAULT_LINE[kind]
    if code:
        entry = current_reference().lookup("document-types", code)
        if entry is not None and str(entry.attributes.get("box44_line", "")).isdigit():
            line = int(entry.attributes["box44_line"])
    return doc.DocumentLine(line=line, code=code, number=number, issued_on=issued_on)


def arrival_document(arrival: Arrival, trader_name: str = "") -> doc.Declaration:
    """A draft import declaration pre-filled from what the border post recorded."""
    codes = list(arrival.commodity_codes) or [None]
    single = len(codes) == 1
    documents = [
        _document_line(d["kind"], d.get("code"), d["number"], d.get("issued_on")) for d in arrival.documents
    ]
    goods = [
        doc.GoodsItem(
            item_number=index,
            description=arrival.description,
            commodity_code=code,
            packages=doc.Packages(count=arrival.package_count, kind=arrival.package_kind or None)
            if single
            else None,
            gross_mass=arrival.gross_mass if single else None,
            documents=documents if index == 1 else [],
        )
        for index, code in enumerate(codes, start=1)
    ]
    vehicle = doc.TransportIdentity(
        count=arrival.vehicle_count,
        identifiers=arrival.vehicle_identifiers,
        nationality=arrival.transport_country or None,
    )
    return doc.Declaration(
        direction="İD",
        consignor=doc.Party(
            name=arrival.consignor_name, address=arrival.consignor_address or None, person_kind="legal"
        ),
        consignee=doc.Party(
            identifier_kind="VÖEN",
            identifier=arrival.consignee_voen,
            name=trader_name or arrival.consignee_name or None,
        ),
        total_items=len(goods),
        total_packages=arrival.package_count,
        departure_transport=vehicle,
        border_transport=doc.TransportIdentity(same_as_box_18=True, nationality=arrival.transport_country or None),
        border_transport_mode=arrival.transport_mode,
        border_office=arrival.post_code,
        goods_location=arrival.storage_place or None,
        goods=goods,
    )


@transaction.atomic
def arrival_declare(*, user: User, arrival_id: Any) -> Declaration:
    """"Declare these goods": a new draft for the arrival's consignee, covering the arrival."""
    _require_trader(user)
    arrival = _visible_arrivals(user, [arrival_id])[0]
    if arrival.state in (ArrivalState.DECLARED, ArrivalState.CLEARED):
        raise _not_available(arrival)
    trader = Trader.objects.filter(voen=arrival.consignee_voen).first()
    document = arrival_document(arrival, trader.name if trader else "")
    declaration = declaration_create(user=user, document=document, voen=arrival.consignee_voen)
    ArrivalDeclaration.objects.create(arrival=arrival, declaration=declaration, created_by=user)
    audit_record(
        actor=user, action="border.arrival.declare", object_type="border.arrival", object_id=str(arrival.pk),
        details={"declaration": str(declaration.pk)},
    )
    return declaration


# --- Following the declaration's lifecycle ----------------------------------------------------


def _move(arrival: Arrival, to_state: str, actor: Any, declaration: Declaration, reason: str) -> None:
    previous = arrival.state
    arrival.state = to_state
    arrival.save(update_fields=["state", "updated_at"])
    ArrivalEvent.objects.create(
        arrival=arrival,
        actor=actor if getattr(actor, "pk", None) else None,
        from_state=previous,
        to_state=to_state,
        declaration=declaration,
        reason=reason,
    )


def _held_elsewhere(arrival: Arrival, declaration: Declaration) -> bool:
    return (
        Declaration.objects.filter(HOLDING, arrival_links__arrival=arrival)
        .exclude(pk=declaration.pk)
        .exists()
    )


# The declaration's moves its arrivals follow; any other (signing, confirming, …) leaves them.
_FOLLOWED_STATES = frozenset({State.SENT, State.RELEASED, State.REFUSED, State.WITHDRAWN, State.CANCELLED})


def _moves_arrivals(to_state: str, action: str) -> bool:
    return to_state in _FOLLOWED_STATES or action == "reopen"


def _target(arrival: Arrival, declaration: Declaration, to_state: str, action: str) -> str | None:
    """The arrival's next state when its declaration moves to ``to_state`` (None: stays)."""
    if not _moves_arrivals(to_state, action):
        return None
    if to_state == State.SENT or action == "reopen":
        if arrival.state == ArrivalState.CLEARED or (
            arrival.state == ArrivalState.DECLARED and _held_elsewhere(arrival, declaration)
        ):
            raise _not_available(arrival)
        return ArrivalState.DECLARED
    if to_state == State.RELEASED:
        return ArrivalState.CLEARED
    if to_state in (State.REFUSED, State.WITHDRAWN) and arrival.state == ArrivalState.DECLARED:
        return None if _held_elsewhere(arrival, declaration) else ArrivalState.IN_STORAGE
    if to_state == State.CANCELLED and arrival.state in (ArrivalState.DECLARED, ArrivalState.CLEARED):
        return None if _held_elsewhere(arrival, declaration) else ArrivalState.IN_STORAGE
    return None


def arrivals_follow_declaration(*, declaration: Declaration, to_state: str, action: str, actor: Any) -> list[str]:
    """Runs inside the transition's transaction; raising rolls the transition back. Returns the
    ids of the arrivals that changed state."""
    arrivals = covered_arrivals(declaration, lock=True)
    moved = []
    for arrival in arrivals:
        target = _target(arrival, declaration, to_state, action)
        if target is not None and target != arrival.state:
            _move(arrival, target, actor, declaration, action)
            moved.append(str(arrival.pk))
    if moved:
        audit_record(
            actor=actor,
            action=f"border.arrivals.{action}",
            object_type="declaration",
            object_id=str(declaration.pk),
            details={"arrivals": moved, "to": to_state},
        )
    return moved


def arrivals_follow_transition(*, transition: TransitionMade, **_: Any) -> None:
    """Hook of ``declaration.transitioned`` (settings.GOMRUK_HOOKS): a GomrukError it raises
    (goods already declared elsewhere or cleared) refuses the declaration's transition."""
    made = transition
    if made.from_state == made.to_state or not _moves_arrivals(made.to_state, made.action):
        return  # nothing to lock: no arrival moves
    arrivals_follow_declaration(
        declaration=made.declaration, to_state=made.to_state, action=made.action, actor=made.actor
    )


def declaration_arrivals(*, user: User, declaration_id: Any) -> list[Arrival]:
    """The arrivals a declaration the caller may see covers."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    return list(Arrival.objects.filter(declaration_links__declaration=declaration).order_by("arrived_at", "pk"))

