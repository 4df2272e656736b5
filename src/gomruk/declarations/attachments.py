"""Copies of box-44 documents attached to a declaration (shared by the portal and the API).

A file is accepted by its content, never by its name or declared type: PDF, JPEG or PNG
(magic bytes), at most 10 MB. Each is uploaded for one box-44 line: goods item ``item_number``
and the ``document_index``-th document of that item, both counted from 1. Attachments are
part of what is signed (their SHA-256), so attaching to a signed declaration makes a new
draft version through the lifecycle, and the signature no longer counts.

One document often serves several items (an invoice for the whole consignment): each item's
box 44 names it (the Methodology wants it per item), and the one copy covers every line that
names the same document — code, number and date (:func:`attachments_by_line`). Uploading
with ``also_items`` writes that line into the other items' box 44 where it is missing, so the
file is stored once and shown on each item, and box 44's rules (V-44-7) see each item's line.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from gomruk.accounts.models import User
from gomruk.core.audit import audit_record
from gomruk.core.errors import GomrukError, NotFound
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.lifecycle import lock_declaration, require_trader
from gomruk.declarations.models import Attachment, Declaration, State
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.services import declaration_edit_after_signing, declaration_update
from gomruk.declarations.states import Actor, can
from gomruk.document.model import Declaration as Document

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_FILENAME = 255

# (magic prefix, media type, file extension)
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def sniff_type(head: bytes) -> str | None:
    """The media type the bytes really are, of the accepted ones; None for anything else."""
    for magic, media_type, _extension in SIGNATURES:
        if head.startswith(magic):
            return media_type
    return None


def _refuse(code: str, *, status: int = 422, details: dict[str, Any] | None = None, **params: Any) -> GomrukError:
    return ERRORS.error(code, status=status, details=details, **{**(details or {}), **params})


def read_upload(upload: Any) -> bytes:
    """The whole file, stopping as soon as it is over the limit (never trusting ``size``)."""
    chunks: list[bytes] = []
    total = 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        total += len(chunk)
        if total > MAX_ATTACHMENT_BYTES:
            raise _refuse(
                "attachment_too_large", status=413, details={"limit": MAX_ATTACHMENT_BYTES},
                megabytes=MAX_ATTACHMENT_BYTES // (1024 * 1024),
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _check_line(document: Document, item_number: int, document_index: int) -> None:
    goods = document.goods
    if not 1 <= item_number <= len(goods) or not 1 <= document_index <= len(goods[item_number - 1].documents):
        raise _refuse(
            "attachment_line_unknown", details={"item_number": item_number, "document_index": document_index}
        )


DocumentKey = tuple[Any, Any, Any]


def document_key(line: Mapping[str, Any] | None) -> DocumentKey | None:
    """What names a document across items: code, number and date; none without a number."""
    if not line or not line.get("number"):
        return None
    return (line.get("code"), line.get("number"), line.get("issued_on"))


def _line_at(goods: Sequence[Any], item_number: int | None, document_index: int | None) -> Mapping[str, Any] | None:
    if not item_number or not document_index or not 1 <= item_number <= len(goods):
        return None
    lines = (goods[item_number - 1] or {}).get("documents") or []
    return lines[document_index - 1] if 1 <= document_index <= len(lines) else None


def attachments_by_line(data: Mapping[str, Any], attachments: Iterable[Attachment]) -> dict[tuple[int, int], list[Attachment]]:
    """(item number, document index) → the copies covering that box-44 line: the line each was
    uploaded for and every other line naming the same document."""
    goods = data.get("goods") or []
    naming: dict[DocumentKey, list[tuple[int, int]]] = defaultdict(list)
    for item_number, item in enumerate(goods, start=1):
        for index, line in enumerate((item or {}).get("documents") or [], start=1):
            key = document_key(line)
            if key is not None:
                naming[key].append((item_number, index))
    found: dict[tuple[int, int], list[Attachment]] = defaultdict(list)
    for attachment in attachments:
        own = (attachment.item_number or 0, attachment.document_index or 0)
        key = document_key(_line_at(goods, *own))
        for place in [own, *(p for p in naming.get(key, []) if p != own)] if key else [own]:
            found[place].append(attachment)
    return dict(found)


def _cover(document: Document, item_number: int, document_index: int, also_items: Iterable[int]) -> bool:
    """Write the uploaded line into the box 44 of ``also_items`` that do not name it yet;
    True when the document changed."""
    wanted = sorted(set(also_items) - {item_number})
    if not wanted:
        return False
    line = document.goods[item_number - 1].documents[document_index - 1]
    key = document_key(line.model_dump(mode="json"))
    if key is None:
        raise _refuse("attachment_share_unnamed", details={"item_number": item_number, "document_index": document_index})
    changed = False
    for number in wanted:
        if not 1 <= number <= len(document.goods):
            raise _refuse("attachment_item_unknown", details={"item_number": number})
        item = document.goods[number - 1]
        if not any(document_key(d.model_dump(mode="json")) == key for d in item.documents):
            item.documents.append(line.model_copy(deep=True))
            changed = True
    return changed


def clean_filename(name: str | None) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:MAX_FILENAME] or "attachment"


@transaction.atomic
def attachment_add(
    *, user: User, declaration_id: Any, upload: Any, item_number: int, document_index: int,
    also_items: Iterable[int] = (),
) -> Attachment:
    visible = declaration_get(user=user, declaration_id=declaration_id, with_document=False)
    declaration = lock_declaration(Declaration.objects.filter(pk=visible.pk), visible.pk)
    require_trader(user, declaration)
    content = read_upload(upload)
    media_type = sniff_type(content[:16])
    if not content or media_type is None:
        raise _refuse("attachment_type", status=415)
    document = Document.model_validate(declaration.document)
    _check_line(document, item_number, document_index)
    covered = _cover(document, item_number, document_index, also_items)
    if declaration.state != State.DRAFT:
        if not can("edit", declaration.state, Actor.TRADER):
            raise _refuse("not_editable#attachments", status=409, details={"state": declaration.state})
        # The attachment list is signed: a signed declaration becomes a new draft version.
        declaration_edit_after_signing(user=user, declaration=declaration, document=document, pending_input=None)
    elif covered:
        declaration_update(user=user, declaration_id=declaration.pk, document=document)
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        declaration=declaration,
        item_number=item_number,
        document_index=document_index,
        filename=clean_filename(getattr(upload, "name", None)),
        content_type=media_type,
        size=len(content),
        sha256=digest,
        uploaded_by=user,
    )
    attachment.file.save(digest, ContentFile(content), save=False)
    attachment.save()
    audit_record(
        actor=user, action="declaration.attachment_add", object_type="declaration", object_id=str(declaration.pk),
        details={
            "attachment": str(attachment.pk), "sha256": digest, "size": len(content), "type": media_type,
            "also_items": sorted(set(also_items) - {item_number}),
        },
    )
    return attachment


def attachment_list(*, user: User, declaration_id: Any) -> list[Attachment]:
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    return list(declaration.attachments.order_by("uploaded_at", "id"))


def attachment_get(*, user: User, declaration_id: Any, attachment_id: Any) -> Attachment:
    """One copy of a document, for whoever may see the declaration (declarant, its
    representative, the destination office's officers)."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    try:
        attachment = declaration.attachments.filter(pk=uuid.UUID(str(attachment_id))).first()
    except ValueError:
        attachment = None
    if attachment is None:
        raise NotFound("Sənədin surəti", "Attachment", id=str(attachment_id)[:100])
    return attachment

