"""Reads of declarations, always scoped to the caller.

A read of another party's declaration (an officer's, a representative's of its principal's)
is audited here, by the selector both the portal and the API use (:func:`declaration_read`),
not by each door.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from gomruk.accounts.models import Role, Trader, User
from gomruk.accounts.selectors import acting_voens, officer_office, own_voens
from gomruk.api.pagination import Page, keyset_page
from gomruk.core import rawrows
from gomruk.core.audit import audit_record
from gomruk.core.errors import NotFound
from gomruk.core.pgbinary import binary_rows
from gomruk.declarations.models import (
    AmendmentDecision,
    AmendmentRequest,
    Attachment,
    CancellationDecision,
    CancellationRequest,
    Declaration,
    DeclarationSignature,
    DeclarationVersion,
    State,
    SubmissionTerms,
)

# Customs sees a declaration only once it has been sent to its office.
OFFICER_VISIBLE_STATES = (
    State.SENT,
    State.REGISTERED,
    State.UNDER_CONTROL,
    State.RELEASED,
    State.REFUSED,
    State.RETURNED,
    State.CANCELLED,
    State.AMENDED,
)


def declarations_visible_to(user: User) -> QuerySet[Declaration]:
    if not getattr(user, "is_authenticated", False):
        return Declaration.objects.none()
    if user.role == Role.OFFICER:
        office = officer_office(user)
        if not office:
            return Declaration.objects.none()
        return Declaration.objects.filter(office_code=office, state__in=OFFICER_VISIBLE_STATES)
    voens = acting_voens(user)
    if not voens:
        return Declaration.objects.none()
    return Declaration.objects.filter(trader_voen__in=voens)


#: The large columns a scope check or a row lock does not need: left unread (Django reads a
#: deferred column when it is first used), so a check does not decode a 100 KB document.
DOCUMENT_COLUMNS = ("document", "pending_input", "computed_values")


def declaration_get(
    *,
    user: User,
    declaration_id: Any,
    with_document: bool = True,
    for_update: bool = False,
    within: Callable[[QuerySet[Declaration]], QuerySet[Declaration]] | None = None,
) -> Declaration:
    """The declaration if the caller may see it; otherwise 'not found' (no existence leak).
    ``for_update`` (inside a transaction): the row is locked, so a read-modify-write of the
    document (an autosave and a section save of the same draft at once) cannot lose a write.
    ``within`` narrows further in the same query (an API token's binding)."""
    rows = declarations_visible_to(user)
    if within is not None:
        rows = within(rows)
    if for_update:
        rows = rows.select_for_update(of=("self",))
    if not with_document:
        rows = rows.defer(*DOCUMENT_COLUMNS)
    try:
        return rows.get(pk=declaration_id)
    except (Declaration.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id)) from exc


#: What a scope check or a row lock reads: every column but :data:`DOCUMENT_COLUMNS`.
ROW_FIELDS = tuple(field.name for field in Declaration._meta.concrete_fields if field.name not in DOCUMENT_COLUMNS)


@cache
def _of_voens_sql(vendor: str, count: int, lock: bool) -> str:
    # SQL written once per number of VÖENs (ADR 0028's way, ADR 0031): every step of a journey asks this
    # twice (the door's scope check, the service's lock), and compiling the ORM's query cost
    # more than running it. SQLite locks the whole database when the transaction begins.
    voens = ", ".join(["%s"] * count)
    sql = (
        f"SELECT {rawrows.columns(Declaration, 'd', ROW_FIELDS)} FROM {rawrows.table(Declaration)} d "  # noqa: S608
        f"WHERE {rawrows.column(Declaration, 'id', 'd')} = %s AND {rawrows.column(Declaration, 'trader_voen', 'd')} IN ({voens})"
    )
    return f"{sql} FOR UPDATE" if lock and vendor == "postgresql" else sql


def declaration_of(*, voens: frozenset[str], declaration_id: Any, lock: bool = False) -> Declaration:
    """The declaration, its document columns unread, if it belongs to one of ``voens``;
    otherwise 'not found' (no existence leak). What :func:`declaration_get` answers a trader
    (``voens``: whom the caller acts for, as far as its token reaches) in one statement.
    ``lock`` (inside a transaction): the row is locked until the transaction ends."""
    try:
        pk = Declaration._meta.pk.to_python(declaration_id)  # type: ignore[union-attr]
    except ValidationError as exc:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id)) from exc
    if not voens:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id))
    with connection.cursor() as cursor:
        cursor.execute(
            _of_voens_sql(connection.vendor, len(voens), lock), [rawrows.param(Declaration, "id", pk), *sorted(voens)]
        )
        rows = cursor.fetchall()
    if not rows:
        raise NotFound("Bəyannamə", "Declaration", id=str(declaration_id))
    return rawrows.instances(Declaration, rows, only=ROW_FIELDS)[0]


def version_document_keys(version_id: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """These top-level keys of a stored version's document (those it has), picked out by the
    database rather than the whole document read and decoded. The keys come back as JSON (a code
    such as "4000" stays a string, which a per-key extraction on SQLite would turn into a
    number)."""
    table = connection.ops.quote_name(DeclarationVersion._meta.db_table)
    if connection.vendor == "postgresql":
        pick = "SELECT json_object_agg(key, value)::text FROM json_each(document) WHERE key = ANY(%s)"
        params: list[Any] = [list(keys), version_id]
    else:
        pick = "SELECT json_group_object(key, value) FROM json_each(document) WHERE key IN (SELECT value FROM json_each(%s))"
        params = [json.dumps(keys), version_id]
    with connection.cursor() as cursor:
        # Our own table name, quoted by the backend; the keys and the id are parameters.
        cursor.execute(f"SELECT ({pick}) FROM {table} WHERE id = %s", params)  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        raise DeclarationVersion.DoesNotExist(version_id)
    return json.loads(row[0]) if row[0] else {}


#: A frozen version's columns but its document: what signing compares, signs and records.
VERSION_FIELDS = tuple(field.name for field in DeclarationVersion._meta.concrete_fields if field.name != "document")
#: The same but the payload, whose digest the database computes instead (``sha256``, SQLite's
#: given by ``core.apps``): a step that checks a signature needs ~100 KB less from it, and
#: the bytes only where a check asks for them (``signatures.cms.StoredContent``).
VERSION_FIELDS_DIGESTED = tuple(name for name in VERSION_FIELDS if name != "payload")


def _version_columns(alias: str, digested: bool) -> str:
    if not digested:
        return rawrows.columns(DeclarationVersion, alias, VERSION_FIELDS)
    payload = rawrows.column(DeclarationVersion, "payload", alias)
    return f"{rawrows.columns(DeclarationVersion, alias, VERSION_FIELDS_DIGESTED)}, sha256({payload})"


def _version_width(digested: bool) -> int:
    """How many columns :func:`_version_columns` selects."""
    if not digested:
        return rawrows.width(DeclarationVersion, VERSION_FIELDS)
    return rawrows.width(DeclarationVersion, VERSION_FIELDS_DIGESTED) + 1


def _version_read(rows: list[Any], start: int, digested: bool) -> tuple[DeclarationVersion, int]:
    """The version whose columns (:func:`_version_columns`) start at ``start``, and where the
    next columns start."""
    version = rawrows.instances(
        DeclarationVersion, rows, start, only=VERSION_FIELDS_DIGESTED if digested else VERSION_FIELDS
    )[0]
    end = start + _version_width(digested)
    if digested:
        digest = rows[0][end - 1]
        version.stored_payload_digest = bytes(digest) if digest is not None else None
    return version, end


def version_payload(version_id: Any) -> bytes:
    """A frozen version's signing payload, read whole (a check that cannot use its digest)."""
    return bytes(DeclarationVersion.objects.values_list("payload", flat=True).get(pk=version_id))


@cache
def _draft_version_sql(vendor: str, digested: bool) -> str:
    # Written once (ADR 0028, ADR 0031). The documents are compared by the database. On
    # PostgreSQL a version frozen at the draft's current revision holds its document without
    # comparing the two (ADR 0045): the trigger moves the revision on at every write of it.
    # Otherwise the two json columns are compared cast to jsonb (json has no equality, ADR
    # 0054): the same keys and values, whatever their order. On SQLite the stored texts are
    # compared (equal texts are equal documents; a text written in another key order compares
    # unequal, and the caller then compares the parsed documents itself).
    version, declaration, amendment, attachment = DeclarationVersion, Declaration, AmendmentRequest, Attachment
    d_id, v_declaration = rawrows.column(declaration, "id", "d"), rawrows.column(version, "declaration", "v")
    revision = rawrows.column(declaration, "document_revision", "d")
    version_document, draft_document = rawrows.column(version, "document", "v"), rawrows.column(declaration, "document", "d")
    if vendor == "postgresql":
        same = (
            f"CASE WHEN {rawrows.column(version, 'draft_revision', 'v')} = {revision} THEN TRUE "
            f"ELSE {version_document}::jsonb = {draft_document}::jsonb END"
        )
    else:
        same = f"{version_document} = {draft_document}"
    return (
        f"SELECT {_version_columns('v', digested)}, "  # noqa: S608
        f"({same}), "
        f"EXISTS (SELECT 1 FROM {rawrows.table(attachment)} a WHERE {rawrows.column(attachment, 'declaration', 'a')} = {d_id}), "
        f"(SELECT MAX({rawrows.column(version, 'number', 'x')}) FROM {rawrows.table(version)} x "
        f"WHERE {rawrows.column(version, 'declaration', 'x')} = {d_id}), {revision} "
        f"FROM {rawrows.table(declaration)} d LEFT JOIN {rawrows.table(version)} v "
        f"ON {v_declaration} = {d_id} AND {rawrows.column(version, 'number', 'v')} = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {rawrows.table(amendment)} r "
        f"WHERE {rawrows.column(amendment, 'declaration', 'r')} = {d_id} "
        f"AND {rawrows.column(amendment, 'version', 'r')} = {rawrows.column(version, 'id', 'v')}) "
        f"WHERE {d_id} = %s"
    )


@dataclass(frozen=True)
class DraftFrozen:
    """What freezing a draft asks of the database before it looks at any document."""

    #: The version the draft was last frozen as (numbered ``declaration.version``, not an
    #: amendment request's), its document unread; None if there is none.
    version: DeclarationVersion | None
    #: Whether that version holds the draft's document as it is now (the database compared them).
    unchanged: bool
    #: Whether the declaration has any attachment (none: the manifest is empty, nothing to read).
    attached: bool
    #: The highest version number the declaration has (None: no version yet).
    latest: int | None
    #: The draft's ``document_revision``, read before its document (a version frozen now
    #: records it: ADR 0045).
    revision: int | None = None


def draft_version(declaration: Declaration, *, digested: bool = False) -> DraftFrozen:
    """:class:`DraftFrozen` of the declaration, in one statement: signing a frozen draft reads
    neither 100 KB document (ADR 0033-a-document-read-as-text-or-not-at-all). ``digested``:
    the version's payload digest instead of its payload (:data:`VERSION_FIELDS_DIGESTED`)."""
    with connection.cursor() as cursor:
        if not digested:
            binary_rows(cursor)  # the ~100 KB payload as bytes, not hex (ADR 0049)
        cursor.execute(
            _draft_version_sql(connection.vendor, digested),
            [declaration.version, rawrows.param(Declaration, "id", declaration.pk)],
        )
        row = cursor.fetchone()
    if row is None:
        raise Declaration.DoesNotExist(declaration.pk)
    width = _version_width(digested)
    version = _version_read([row], 0, digested)[0] if row[0] is not None else None
    unchanged, attached, latest, revision = row[width : width + 4]
    return DraftFrozen(version, version is not None and bool(unchanged), bool(attached), latest, revision)


#: A signature's columns but its CMS (read only by a check that verifies it again: ADR 0053).
SIGNATURE_FIELDS_BUT_CMS = tuple(
    field.name for field in DeclarationSignature._meta.concrete_fields if field.name != "signature_der"
)


@cache
def _version_signature_sql(vendor: str) -> str:
    # Written once (ADR 0028, ADR 0031): confirm and send ask it on every declaration.
    signature, version, user = DeclarationSignature, DeclarationVersion, User
    return (
        f"SELECT {rawrows.columns(signature, 's', SIGNATURE_FIELDS_BUT_CMS)}, "  # noqa: S608
        f"{_version_columns('v', digested=True)}, {rawrows.columns(user, 'u')} "
        f"FROM {rawrows.table(signature)} s "
        f"JOIN {rawrows.table(version)} v ON {rawrows.column(version, 'id', 'v')} = {rawrows.column(signature, 'version', 's')} "
        f"JOIN {rawrows.table(user)} u ON {rawrows.column(user, 'id', 'u')} = {rawrows.column(signature, 'user', 's')} "
        f"WHERE {rawrows.column(signature, 'declaration', 's')} = %s AND {rawrows.column(version, 'number', 'v')} = %s "
        f"ORDER BY {rawrows.column(signature, 'id', 's')} DESC LIMIT 1"
    )


def version_signature(declaration: Declaration) -> DeclarationSignature | None:
    """The latest signature of the declaration's current version, with that version (its
    document unread, its payload's digest read instead of it: ``stored_payload_digest``) and its
    signer, in one statement; its CMS is deferred (read when ``signature_der`` is)."""
    only = SIGNATURE_FIELDS_BUT_CMS
    with connection.cursor() as cursor:
        cursor.execute(
            _version_signature_sql(connection.vendor),
            [rawrows.param(DeclarationSignature, "declaration", declaration.pk), declaration.version],
        )
        rows = cursor.fetchall()
    if not rows:
        return None
    record = rawrows.instances(DeclarationSignature, rows, only=only)[0]
    start = rawrows.width(DeclarationSignature, only)
    record.version, start = _version_read(rows, start, digested=True)
    record.user = rawrows.instances(User, rows, start)[0]
    return record


@cache
def _latest_terms_sql(vendor: str) -> str:
    terms = SubmissionTerms
    return (
        f"SELECT {rawrows.columns(terms, 't')} FROM {rawrows.table(terms)} t "  # noqa: S608
        f"ORDER BY {rawrows.column(terms, 'published_at', 't')} DESC, {rawrows.column(terms, 'id', 't')} DESC LIMIT 1"
    )


def latest_terms() -> SubmissionTerms | None:
    """The conditions of submission in force (the latest published), asked by every
    confirmation: SQL written once (ADR 0028, ADR 0031)."""
    with connection.cursor() as cursor:
        cursor.execute(_latest_terms_sql(connection.vendor))
        rows = cursor.fetchall()
    return rawrows.instances(SubmissionTerms, rows)[0] if rows else None


@cache
def _document_text_sql(vendor: str) -> str:
    document = rawrows.column(Declaration, "document", "d")
    text = f"{document}::text" if vendor == "postgresql" else document
    return f"SELECT {text} FROM {rawrows.table(Declaration)} d WHERE {rawrows.column(Declaration, 'id', 'd')} = %s"  # noqa: S608


def document_text(declaration: Declaration) -> str:
    """The draft's document as the JSON text the database holds, for a parse straight from text
    (pydantic's parser reads it in one pass; ``json.loads`` and a validation of the dict cost
    three times as much on a hundred items)."""
    with connection.cursor() as cursor:
        cursor.execute(_document_text_sql(connection.vendor), [rawrows.param(Declaration, "id", declaration.pk)])
        row = cursor.fetchone()
    if row is None:
        raise Declaration.DoesNotExist(declaration.pk)
    return str(row[0])


def audit_foreign_read(*, user: Any, declaration: Declaration, what: str, count: int | None = None) -> None:
    """A read of data that belongs to another party (an officer, a representative) is logged."""
    if declaration.trader_voen in own_voens(user):
        return
    details: dict[str, Any] = {"voen": declaration.trader_voen}
    if count is not None:
        details["count"] = count
    audit_record(
        actor=user, action=f"declaration.read.{what}", object_type="declaration",
        object_id=str(declaration.pk), details=details,
    )


def declaration_read(*, user: User, declaration_id: Any, what: str = "document") -> Declaration:
    """The declaration shown to the caller (:func:`declaration_get`), its reading audited when
    it is another party's."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    audit_foreign_read(user=user, declaration=declaration, what=what)
    return declaration


@dataclass(frozen=True)
class DeclarationFilter:
    """What a list of declarations may be narrowed by; dates are whole local days, inclusive."""

    state: str | None = None
    declaration_type: str | None = None
    office: str | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    sent_from: dt.date | None = None
    sent_to: dt.date | None = None


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, timezone.get_current_timezone())


def declaration_list(*, user: User, filters: DeclarationFilter = DeclarationFilter()) -> QuerySet[Declaration]:
    """The caller's declarations narrowed by ``filters``, last changed first."""
    rows = declarations_visible_to(user)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.declaration_type:
        rows = rows.filter(declaration_type=filters.declaration_type)
    if filters.office:
        rows = rows.filter(office_code=filters.office)
    for field, start, end in (
        ("created_at", filters.created_from, filters.created_to),
        ("sent_at", filters.sent_from, filters.sent_to),
    ):
        if start:
            rows = rows.filter(**{f"{field}__gte": day_start(start)})
        if end:
            rows = rows.filter(**{f"{field}__lt": day_start(end + dt.timedelta(days=1))})
    return rows.order_by("-updated_at", "-id")


def declaration_rows(*, user: User, filters: DeclarationFilter) -> QuerySet[Declaration]:
    """:func:`declaration_list` with just the columns a list shows (not the document)."""
    return declaration_list(user=user, filters=filters).only(
        "id", "declaration_type", "direction", "procedure", "registration_number", "office_code", "state",
        "updated_at", "trader_voen",
    )


#: The home page's orders (issue 16.9); the first is the default. Ties broken by id so pages
#: never repeat or skip a row.
HOME_SORTS: dict[str, tuple[Any, ...]] = {
    "-updated": ("-updated_at", "-id"),
    "updated": ("updated_at", "id"),
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "number": (F("registration_number").asc(nulls_last=True), "-created_at", "id"),
    "trader": (F("trader_name").asc(nulls_last=True), "trader_voen", "-updated_at", "id"),
    "state": ("state", "-updated_at", "id"),
}


@dataclass(frozen=True)
class HomeSearch:
    """The declarant's home list: a text (registration number, trader VÖEN or name), a state,
    a range of creation days (inclusive) and an order from :data:`HOME_SORTS`."""

    q: str = ""
    state: str | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    sort: str = "-updated"


def home_rows(*, user: User, search: HomeSearch) -> QuerySet[Declaration]:
    """The caller's declarations for the home page and its XLSX export, with the trader's
    name; an unknown sort falls back to the default rather than failing the page."""
    filters = DeclarationFilter(
        state=search.state if search.state in State.values else None,
        created_from=search.created_from, created_to=search.created_to,
    )
    rows = declaration_rows(user=user, filters=filters).annotate(
        trader_name=Subquery(Trader.objects.filter(voen=OuterRef("trader_voen")).values("name")[:1])
    ).only(
        "id", "declaration_type", "direction", "procedure", "registration_number", "office_code", "state",
        "created_at", "updated_at", "trader_voen",
    )
    text = search.q.strip()
    if text:
        rows = rows.filter(
            Q(registration_number__icontains=text) | Q(trader_voen__icontains=text) | Q(trader_name__icontains=text)
        )
    return rows.order_by(*HOME_SORTS.get(search.sort, HOME_SORTS["-updated"]))


def declaration_search(
    *,
    user: User,
    filters: DeclarationFilter,
    cursor: str | None,
    limit: int,
    within: Callable[[QuerySet[Declaration]], QuerySet[Declaration]] | None = None,
) -> Page[Declaration]:
    """One page of the caller's declarations, newest created first, after ``cursor``;
    ``within`` narrows further (an API token's binding)."""
    rows = declaration_list(user=user, filters=filters)
    if within is not None:
        rows = within(rows)
    return keyset_page(rows, moment="created_at", cursor=cursor, limit=limit)


def request_decisions(
    request: AmendmentRequest | CancellationRequest,
) -> list[AmendmentDecision | CancellationDecision]:
    """Customs' decisions on an amendment or cancellation request, oldest first, with who decided."""
    rows: QuerySet[AmendmentDecision] | QuerySet[CancellationDecision] = request.decisions.all()
    return list(rows.select_related("decided_by").order_by("created_at", "id"))
