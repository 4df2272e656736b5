"""Saving what a person typed into a draft, field by field, without ever losing a keystroke.

The portal posts raw strings keyed by JSON Pointer (``/goods/2/gross_mass`` = "12,5"). Each
value is coerced the way a person means it (decimal comma, dd.mm.yyyy dates, comma-separated
lists), written into the document, and the document is parsed. A value the document model
cannot read is not dropped: it goes to the declaration's ``pending_input`` (with the reason)
and the field keeps showing it until it is corrected. Pending values are retried on every
save, so a row that becomes complete later (a box-44 line once its line number is typed)
takes in the values that were waiting for it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from gomruk.accounts.models import User
from gomruk.declarations.errors import ERRORS
from gomruk.declarations.models import Declaration
from gomruk.declarations.selectors import declaration_get
from gomruk.declarations.services import declaration_update
from gomruk.document.model import Declaration as Document
from gomruk.document.model import pointer
from gomruk.document.shape import FieldType, field_types
from gomruk.reference.snapshot import current_reference

#: Fields a person never types (the system or customs fills them).
READ_ONLY = frozenset({"/schema_version", "/registration_number", "/customs_notes", "/customs_control"})


# --- The document's fields, as pointer templates ----------------------------------------------
# (what each field holds is read from the model by gomruk.document.shape)

_INDEX = re.compile(r"/\d+(?=/|$)")


def template_of(path: str) -> str:
    return _INDEX.sub("/*", path)


def type_of(path: str) -> FieldType | None:
    return field_types().get(template_of(path))


# --- Raw text → JSON value ----------------------------------------------------------------------

_DMY = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\s*$")


def coerce(kind: FieldType, raw: str) -> Any:
    """What the person meant, as JSON; the document model judges it afterwards."""
    text = raw.strip()
    if text == "":
        return None
    if kind.kind == "decimal":
        return text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if kind.kind == "int":
        return text.replace(" ", "")
    if kind.kind == "date":
        match = _DMY.match(text)
        if match:
            day, month, year = match.groups()
            if len(year) == 2:
                year = f"20{year}"
            return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
        return text
    if kind.kind == "bool":
        return text.lower() in ("1", "true", "on", "yes", "bəli")
    if kind.kind == "list":
        return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]
    return text


# --- Reading and writing by pointer ---------------------------------------------------------


def split(path: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in path.strip("/").split("/") if p]


def get_value(data: Any, path: str) -> Any:
    node = data
    for part in split(path):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


def set_value(data: dict[str, Any], path: str, value: Any) -> None:
    """Write (or, for None, remove) a value, creating the objects and list rows on the way."""
    parts = split(path)
    if value is None:
        parent = get_value(data, "/" + "/".join(parts[:-1])) if len(parts) > 1 else data
        if isinstance(parent, dict):
            parent.pop(parts[-1], None)
        elif isinstance(parent, list) and parts[-1].isdigit() and int(parts[-1]) < len(parent):
            parent[int(parts[-1])] = None
        return
    node: Any = data
    for position, part in enumerate(parts[:-1]):
        following = parts[position + 1]
        if isinstance(node, list):
            index = int(part)
            while len(node) <= index:
                node.append({})
            if node[index] is None:
                node[index] = {}
            node = node[index]
            continue
        child = node.get(part)
        if child is None:
            child = [] if following.isdigit() else {}
            node[part] = child
        node = child
    last = parts[-1]
    if isinstance(node, list):
        index = int(last)
        while len(node) <= index:
            node.append(None)
        node[index] = value
    else:
        node[last] = value


MAX_INDEX = {"goods": 999, "documents": 199, "payments": 49, "financial_details": 3}


def acceptable_path(path: str) -> bool:
    """A pointer to a field a person may type into (known field, sane list indexes)."""
    if not path.startswith("/") or type_of(path) is None:
        return False
    parts = split(path)
    if f"/{parts[0]}" in READ_ONLY:
        return False
    for name, index in zip(parts, parts[1:], strict=False):
        if index.isdigit() and int(index) > MAX_INDEX.get(name, 499):
            return False
    return True


# --- Why a value was not taken ------------------------------------------------------------------

_REASONS: dict[str, tuple[str, str]] = {
    "decimal": ("Rəqəm yazın (məs. 1250.50).", "Enter a number (e.g. 1250.50)."),
    "int": ("Tam ədəd yazın.", "Enter a whole number."),
    "date": ("Tarixi GG.AA.İİİİ şəklində yazın.", "Enter the date as DD.MM.YYYY."),
    "choice": ("Siyahıdakı dəyərlərdən birini seçin.", "Choose one of the listed values."),
    "too_long": ("Mətn çox uzundur.", "The text is too long."),
    "negative": ("Mənfi ola bilməz.", "Cannot be negative."),
    "missing": (
        "Bu sətrin digər vacib sahəsi boşdur; o doldurulanda dəyər qəbul olunacaq.",
        "Another required field of this row is empty; the value is taken once it is filled.",
    ),
    "other": ("Dəyər oxuna bilmədi.", "The value could not be read."),
}


def _reason(error_type: str, kind: FieldType | None) -> tuple[str, str]:
    if error_type == "missing":
        return _REASONS["missing"]
    if "too_long" in error_type:
        return _REASONS["too_long"]
    if error_type.startswith("greater_than"):
        return _REASONS["negative"]
    if kind is not None and kind.kind in _REASONS:
        return _REASONS[kind.kind]
    return _REASONS["other"]


# --- The service ------------------------------------------------------------------------------


@dataclass
class InputResult:
    declaration: Declaration
    saved: list[str] = field(default_factory=list)
    #: pointer → {"raw", "az", "en"}: what was kept aside, and why
    pending: dict[str, dict[str, str]] = field(default_factory=dict)


def _related(error_path: str, typed: str, error_type: str) -> bool:
    if typed == error_path or typed.startswith(error_path + "/") or error_path.startswith(typed + "/"):
        return True
    # A required field missing in a row: blame the values typed into that row.
    return error_type == "missing" and typed.rsplit("/", 1)[0] == error_path.rsplit("/", 1)[0]


def apply_input(
    document: Mapping[str, Any], values: Mapping[str, str], pending: Mapping[str, Any]
) -> tuple[Document, list[str], dict[str, dict[str, str]]]:
    """The document with every readable value written in; the rest as pending input."""
    from gomruk.declarations.completion import (
        fill_document_lines,  # the completion imports this module
    )

    earlier = {p: (v.get("raw", "") if isinstance(v, dict) else str(v)) for p, v in pending.items()}
    candidates = {p: r for p, r in {**earlier, **values}.items() if acceptable_path(p)}
    accepted = {p: coerce(type_of(p) or FieldType("text"), r) for p, r in candidates.items()}
    rejected = _classifier_codes(document, candidates, accepted)
    base = copy.deepcopy(dict(document))
    for _attempt in range(len(accepted) + 2):
        data = copy.deepcopy(base)
        for path in rejected:
            if path in values:  # a new unreadable value replaces the old one
                set_value(data, path, None)
        for path, value in accepted.items():
            set_value(data, path, value)
        # A box-44 row typed as code, number and date takes its line from the code.
        fill_document_lines(data)
        try:
            parsed = Document.model_validate(data)
        except ValidationError as exc:
            blamed = False
            for error in exc.errors(include_url=False):
                error_path = pointer(*error["loc"]) if error["loc"] else "/"
                for path in list(accepted):
                    if _related(error_path, path, error["type"]):
                        az, en = _reason(error["type"], type_of(path))
                        rejected[path] = {"raw": candidates[path], "az": az, "en": en}
                        accepted.pop(path)
                        blamed = True
            if not blamed:
                # The clearing of a rejected value broke the row: keep the stored value instead.
                if any(path in values for path in rejected):
                    values = {p: v for p, v in values.items() if p not in rejected}
                    continue
                raise
            continue
        saved = [p for p in accepted if p in values]
        return parsed, saved, rejected
    raise RuntimeError("input could not be applied")  # pragma: no cover - bounded loop


def _classifier_codes(
    document: Mapping[str, Any], candidates: Mapping[str, str], accepted: dict[str, Any]
) -> dict[str, dict[str, str]]:
    """Classifier fields take codes: a letter code the world writes is stored in the spec's form
    ('USD' → 840); a name typed into a code field is kept aside as pending input, with what the
    field expected — never stored as a code (:mod:`gomruk.declarations.pickers`)."""
    from gomruk.declarations.pickers import (  # pickers read set_value from here
        Profile,
        is_picker,
        resolve,
    )

    wanted = [p for p, v in accepted.items() if isinstance(v, str) and is_picker(p)]
    if not wanted:
        return {}
    box_1 = {k: accepted.get(f"/{k}", document.get(k)) for k in ("declaration_type", "direction", "procedure")}
    profile = Profile.of(box_1, timezone.localdate())
    reference = current_reference()
    rejected: dict[str, dict[str, str]] = {}
    for path in wanted:
        found = resolve(path, accepted[path], profile, reference, document)
        if found.code is not None:
            accepted[path] = found.code
        elif found.expected is not None:
            az, en = found.expected
            rejected[path] = {"raw": candidates[path], "az": az, "en": en}
            accepted.pop(path)
    return rejected


def declaration_input_save(
    *, user: User, declaration_id: Any, values: Mapping[str, str], add_items: int = 0, max_items: int = 100
) -> InputResult:
    """Save typed values into a draft (the autosave and the section forms both come here);
    ``add_items`` empty goods items are numbered (box 32) after those the locked row holds, up to
    ``max_items`` — counted under the lock, so two "add" clicks at once never number alike."""
    with transaction.atomic():
        declaration = declaration_get(user=user, declaration_id=declaration_id, for_update=True)
        if add_items > 0:
            count = len(declaration.document.get("goods") or [])
            values = dict(values)
            for index in range(count, min(count + add_items, max_items)):
                values[f"/goods/{index}/item_number"] = str(index + 1)
        document, saved, pending = apply_input(declaration.document, values, declaration.pending_input or {})
        unchanged = document.to_data() == declaration.document and pending == (declaration.pending_input or {})
        if not unchanged:
            declaration = declaration_update(
                user=user, declaration_id=declaration.pk, document=document, pending_input=pending
            )
    return InputResult(declaration=declaration, saved=saved, pending=pending)


def rows_remove(document: Mapping[str, Any], path: str, index: int) -> Document:
    """The document without row ``index`` of the list at ``path`` (goods, box-44 lines…)."""
    data = copy.deepcopy(dict(document))
    rows = get_value(data, path)
    if isinstance(rows, list) and 0 <= index < len(rows):
        rows.pop(index)
    return Document.model_validate(data)


def pending_shift(pending: Mapping[str, Any], path: str, index: int) -> dict[str, Any]:
    """Pending values after row ``index`` of ``path`` is removed: that row's go, later rows move up."""
    prefix = path.rstrip("/") + "/"
    result: dict[str, Any] = {}
    for key, value in pending.items():
        if not key.startswith(prefix):
            result[key] = value
            continue
        rest = key[len(prefix) :]
        head, _, tail = rest.partition("/")
        if not head.isdigit() or int(head) < index:
            result[key] = value
        elif int(head) > index:
            result[f"{prefix}{int(head) - 1}/{tail}" if tail else f"{prefix}{int(head) - 1}"] = value
    return result


def declaration_row_remove(*, user: User, declaration_id: Any, path: str, index: int) -> Declaration:
    """Remove a goods item or a row of a repeated box (box 44 line, box 47 line …)."""
    declaration = declaration_get(user=user, declaration_id=declaration_id)
    if not any(t.startswith(template_of(path) + "/*/") for t in field_types()):
        raise ERRORS.error("not_a_list", status=422, details={"path": path})
    document = rows_remove(declaration.document, path, index)
    pending = pending_shift(declaration.pending_input or {}, path, index)
    if path == "/goods":
        document = _renumber(document)
    return declaration_update(user=user, declaration_id=declaration.pk, document=document, pending_input=pending)


def _renumber(document: Document) -> Document:
    """Box 32 is the item's sequence number: after a removal the items are numbered again."""
    for number, item in enumerate(document.goods, start=1):
        item.item_number = number
    return document


def iter_rows(data: Mapping[str, Any], path: str) -> Iterator[tuple[int, Any]]:
    rows = get_value(data, path)
    if isinstance(rows, list):
        yield from enumerate(rows)
