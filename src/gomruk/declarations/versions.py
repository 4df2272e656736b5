"""A declaration's versions and the differences between two documents, box by box.

Every frozen version (``DeclarationVersion``) is kept: the ones signed for sending, the ones an
amendment request proposed (accepted, refused or still pending). :func:`document_diff` is pure:
it compares two documents leaf by leaf and groups the changes by box and goods item through the
document model's ``x-box`` metadata, so the portal, the API and the officer see the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from gomruk.accounts.models import Role, User
from gomruk.declarations.models import (
    AmendmentRequest,
    Declaration,
    DeclarationSignature,
    DeclarationVersion,
    RequestStatus,
)
from gomruk.declarations.request_errors import request_error
from gomruk.declarations.selectors import audit_foreign_read, declaration_get
from gomruk.document.model import pointer
from gomruk.document.shape import locate

#: Fields that say nothing about the goods: left out of the comparison.
IGNORED = frozenset({"/schema_version"})


# --- Differences -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    path: str
    before: Any
    after: Any

    def data(self) -> dict[str, Any]:
        return {"path": self.path, "before": self.before, "after": self.after}


@dataclass
class BoxChange:
    """Everything that changed in one box (of one goods item, for boxes 31–47)."""

    box: str
    item: int | None
    changes: list[FieldChange] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        return {"box": self.box, "item": self.item, "changes": [c.data() for c in self.changes]}


def _leaves(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value and path:
            out[path] = {}
        for key, child in value.items():
            _leaves(child, f"{path}{pointer(key)}", out)
    elif isinstance(value, list):
        if not value and path:
            out[path] = []
        for index, child in enumerate(value):
            _leaves(child, f"{path}/{index}", out)
    elif path:
        out[path] = value


def _flat(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    _leaves(document or {}, "", found)
    # An empty container and a missing one mean the same to the declarant.
    return {p: v for p, v in found.items() if v not in ({}, [], None) and p not in IGNORED}


_BOX = re.compile(r"^(\d+)([a-z]?)$")


def box_order(box: str) -> tuple[int, int, str]:
    """Boxes in form order: A first, 1, 2 … 54, then B, C, D and the unboxed fields."""
    match = _BOX.match(box)
    if match:
        return (1, int(match.group(1)), match.group(2))
    if box == "A":
        return (0, 0, "")
    return (2, 0, box)


def document_diff(before: dict[str, Any], after: dict[str, Any]) -> list[BoxChange]:
    """What changed from ``before`` to ``after``, grouped by box and goods item, in form
    order (header boxes first, then each goods item's boxes)."""
    old, new = _flat(before), _flat(after)
    grouped: dict[tuple[str, int | None], BoxChange] = {}
    for path in sorted(set(old) | set(new)):
        if old.get(path) == new.get(path):
            continue
        box, item = locate(path)
        key = (box or "-", item)
        grouped.setdefault(key, BoxChange(box=key[0], item=item)).changes.append(
            FieldChange(path=path, before=old.get(path), after=new.get(path))
        )
    return sorted(grouped.values(), key=lambda c: (c.item or 0, box_order(c.box)))


# --- Versions of a declaration ----------------------------------------------------------------


class VersionStatus:
    CURRENT = "current"  # what customs holds (or the declarant's current draft before sending)
    SUPERSEDED = "superseded"  # replaced by a later version
    REQUESTED = "requested"  # proposed by an amendment request customs has not decided yet
    REFUSED = "refused"  # proposed by an amendment request customs refused
    UNSENT = "unsent"  # frozen for signing but never sent (a draft amendment, a re-frozen draft)


@dataclass(frozen=True)
class VersionInfo:
    version: DeclarationVersion
    status: str
    #: The amendment request that proposed it, if any.
    amendment: AmendmentRequest | None
    signatures: tuple[DeclarationSignature, ...]

    @property
    def why(self) -> str:
        """The amendment request's reason; a version frozen for signing has none of its own."""
        return self.amendment.reason if self.amendment is not None else ""


def _private_amendments(declaration: Declaration) -> QuerySet[AmendmentRequest]:
    """Amendments the declarant is still preparing (or gave up): customs does not see them."""
    return AmendmentRequest.objects.filter(
        declaration=declaration, status__in=(RequestStatus.DRAFT, RequestStatus.DISCARDED)
    )


def _status(version: DeclarationVersion, declaration: Declaration, amendment: AmendmentRequest | None) -> str:
    if version.number == declaration.version:
        return VersionStatus.CURRENT
    if amendment is not None:
        if amendment.status == RequestStatus.REQUESTED:
            return VersionStatus.REQUESTED
        if amendment.status == RequestStatus.REFUSED:
            return VersionStatus.REFUSED
        if amendment.status in (RequestStatus.DRAFT, RequestStatus.DISCARDED):
            return VersionStatus.UNSENT
    if version.number > declaration.version:
        return VersionStatus.UNSENT
    return VersionStatus.SUPERSEDED


def _visible_versions(user: User, declaration: Declaration) -> QuerySet[DeclarationVersion]:
    rows = DeclarationVersion.objects.filter(declaration=declaration)
    if getattr(user, "role", None) == Role.OFFICER:
        rows = rows.exclude(pk__in=_private_amendments(declaration).filter(version__isnull=False).values("version"))
    return rows


def versions_of(*, user: User, declaration: Declaration) -> list[VersionInfo]:
    """The versions ``user`` may see of a declaration already read through a scoped selector."""
    versions = list(_visible_versions(user, declaration).select_related("created_by").order_by("number"))
    amendments = {
        a.version_id: a
        for a in AmendmentRequest.objects.filter(declaration=declaration, version__isnull=False)
    }
    signatures: dict[int, list[DeclarationSignature]] = {}
    for signature in DeclarationSignature.objects.filter(declaration=declaration).order_by("created_at", "id"):
        signatures.setdefault(signature.version_id, []).append(signature)
    return [
        VersionInfo(
            version=v,
            status=_status(v, declaration, amendments.get(v.pk)),
            amendment=amendments.get(v.pk),
            signatures=tuple(signatures.get(v.pk, ())),
        )
        for v in versions
    ]


def declaration_versions(*, user: User, declaration_id: Any) -> list[VersionInfo]:
    """Every version of a declaration the caller may see, oldest first (audited when the caller
    reads another party's declaration)."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    found = versions_of(user=user, declaration=declaration)
    audit_foreign_read(user=user, declaration=declaration, what="versions", count=len(found))
    return found


def declaration_version(*, user: User, declaration_id: Any, number: int) -> VersionInfo:
    """One version with its standing (audited like the list)."""
    for info in declaration_versions(user=user, declaration_id=declaration_id):
        if info.version.number == number:
            return info
    raise request_error("version_not_found", status=404, number=number)


def version_get(*, user: User, declaration: Declaration, number: int) -> DeclarationVersion:
    try:
        return _visible_versions(user, declaration).get(number=number)
    except (DeclarationVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise request_error("version_not_found", status=404, number=number) from exc


@dataclass(frozen=True)
class VersionDiff:
    declaration: Declaration
    version: DeclarationVersion
    against: DeclarationVersion | None
    boxes: list[BoxChange]


def version_diff(*, user: User, declaration_id: Any, number: int, against: int | None = None) -> VersionDiff:
    """Version ``number`` compared with version ``against`` (default: the version before it
    that the caller may see; the first version is compared with an empty document)."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    version = version_get(user=user, declaration=declaration, number=number)
    if against is not None:
        base: DeclarationVersion | None = version_get(user=user, declaration=declaration, number=against)
    else:
        base = _visible_versions(user, declaration).filter(number__lt=number).order_by("-number").first()
    audit_foreign_read(user=user, declaration=declaration, what="version_diff")
    return VersionDiff(
        declaration=declaration,
        version=version,
        against=base,
        boxes=document_diff(base.document if base else {}, version.document),
    )
