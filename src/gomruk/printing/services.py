"""Printing a stored declaration for a user who may see it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gomruk.declarations.models import Declaration
from gomruk.declarations.selectors import audit_foreign_read, declaration_get
from gomruk.declarations.services import declaration_document
from gomruk.declarations.versions import VersionInfo, declaration_version
from gomruk.document.model import Declaration as Document
from gomruk.printing.errors import ERRORS
from gomruk.printing.render import PrintContext, plan_pages, render_declaration
from gomruk.printing.selectors import print_context, version_print_context
from gomruk.reference.snapshot import current_reference


@dataclass(frozen=True)
class PrintedDeclaration:
    filename: str
    content: bytes


def pdf_filename(declaration: Declaration) -> str:
    stem = declaration.registration_number or str(declaration.pk)
    return "beyanname-" + re.sub(r"[^A-Za-z0-9._-]+", "-", stem) + ".pdf"


def declaration_render(declaration: Declaration) -> PrintedDeclaration:
    """The PDF of a declaration already read by a scoped selector (or by the operator's CLI)."""
    content = render_declaration(
        declaration_document(declaration),
        context=print_context(declaration),
        reference=current_reference(),
    )
    return PrintedDeclaration(filename=pdf_filename(declaration), content=content)


def version_render(declaration: Declaration, info: VersionInfo) -> PrintedDeclaration:
    """The PDF of one frozen version, as it was signed: its own document and signature, and a
    line saying which version it is and whether it is the one customs holds."""
    content = render_declaration(
        Document.model_validate(info.version.document),
        context=version_print_context(declaration, info),
        reference=current_reference(),
    )
    stem = pdf_filename(declaration).removesuffix(".pdf")
    return PrintedDeclaration(filename=f"{stem}-v{info.version.number}.pdf", content=content)


def declaration_print(*, user: Any, declaration_id: Any, version: int | None = None) -> PrintedDeclaration:
    """The printed form for its owner, its representative, or an officer of its office;
    ``version``: that frozen version instead of the current document."""
    if not getattr(user, "is_authenticated", False):
        raise ERRORS.error("unauthenticated", status=401)
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    if version is None:
        printed = declaration_render(declaration)
    else:
        printed = version_render(
            declaration, declaration_version(user=user, declaration_id=declaration.pk, number=version)
        )
    audit_foreign_read(user=user, declaration=declaration, what="pdf")
    return printed


def attachment_sheet_count(*, document: Document, **_: Any) -> int:
    """Hook of ``declaration.attachment_sheets`` (``settings.GOMRUK_HOOKS``): the number of
    attachment sheets the printed form has — what its box A "Qoşma-SS" prints (V-A-3)."""
    _pages, count = plan_pages(document, PrintContext(), current_reference())
    return count
