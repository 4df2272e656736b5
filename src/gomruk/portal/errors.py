"""Rule errors as the editor shows them: beside their field or box, and in a linked summary.
(The portal refuses with the codes of the services it calls; it has no catalogue of its own.)"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import translation

from gomruk.core.i18n import is_english
from gomruk.declarations.portal_input import template_of, type_of
from gomruk.portal.boxes import box_title
from gomruk.portal.fields import GRID_COLUMNS, BoxGroup, Input, dom_id, section_of_box

_GRID_TEMPLATES = frozenset(f"/goods/*/{c}" for c in GRID_COLUMNS)



@dataclass
class ShownError:
    rule: str
    severity: str
    box: str | None
    item: int | None
    path: str
    message: str
    href: str

    @property
    def where(self) -> str:
        title = box_title(self.box)
        if self.item:
            return f"{title} · {translation.gettext('mal')} {self.item}"
        return title


def _message(error: Any) -> str:
    if isinstance(error, dict):
        message = error.get("message") or {}
        english = is_english()
        return str(message.get("en" if english else "az", ""))
    english = is_english()
    return str(error.message_en if english else error.message_az)


def _field(error: Any, name: str) -> Any:
    return error.get(name) if isinstance(error, dict) else getattr(error, name, None)


def href_for(declaration_id: Any, box: str | None, item: int | None, path: str) -> str:
    """Where the field of an error is typed in: its section (or goods item page) and anchor."""
    leaf = type_of(path) is not None
    anchor = dom_id(path) if leaf else (f"box-{box}" if box else "")
    if item is not None:
        if template_of(path) in _GRID_TEMPLATES:
            base = reverse("portal:section", args=[declaration_id, "goods"])
        else:
            base = reverse("portal:item", args=[declaration_id, item])
    else:
        base = reverse("portal:section", args=[declaration_id, section_of_box(box)])
    return f"{base}?check=1#{anchor}" if anchor else f"{base}?check=1"


def shown(declaration_id: Any, errors: Iterable[Any]) -> list[ShownError]:
    result = []
    for error in errors:
        box, item, path = _field(error, "box"), _field(error, "item"), str(_field(error, "path") or "")
        result.append(
            ShownError(
                rule=str(_field(error, "rule") or ""),
                severity=str(_field(error, "severity") or "error"),
                box=box,
                item=item,
                path=path,
                message=_message(error),
                href=href_for(declaration_id, box, item, path),
            )
        )
    return result


def place(
    errors: Sequence[ShownError], groups: Iterable[BoxGroup], inputs: Iterable[Input], item: int | None = None
) -> None:
    """Each error beside its input when the page has that input, otherwise in its box's fieldset."""
    by_path = {i.path: i for i in inputs}
    groups_by_box = {g.box: g for g in groups}
    for error in errors:
        if item is not None and error.item not in (None, item):
            continue
        target = by_path.get(error.path)
        if target is not None:
            target.errors.append(error)
            continue
        group = groups_by_box.get(error.box)
        if group is not None:
            group.errors.append(error)


def by_item(errors: Iterable[ShownError]) -> dict[int, list[ShownError]]:
    rows: dict[int, list[ShownError]] = defaultdict(list)
    for error in errors:
        if error.item is not None:
            rows[error.item].append(error)
    return dict(rows)
