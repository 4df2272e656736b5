"""The editor's computed boxes (issue 16.1): what the last completion filled is shown read-only
with its formula; where the Methodology lets the declarant state the value (6, 45, 47) the field
stays editable, says what the system computes, and marks the declarant's own value.

The completion itself is :mod:`gomruk.declarations.completion`; the draft keeps what it
computed in ``Declaration.computed_values`` (pointer → value, box, formula, overridable,
overridden), which is all this module reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gomruk.core.i18n import language
from gomruk.portal.fields import BoxGroup, GridCell, GridList, Input, RowTable


def _formula(entry: Mapping[str, Any]) -> str:
    formula = entry.get("formula") or {}
    return str(formula.get(language()) or formula.get("az") or "")


def _state(entry: Mapping[str, Any]) -> str:
    if entry.get("overridden"):
        return "overridden"
    return "overridable" if entry.get("overridable") else "system"


def _shown(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return ""
    return "" if value is None else str(value)


def _mark_input(field: Input, entry: Mapping[str, Any], *, row: bool = False) -> None:
    field.computed = _state(entry)
    if not row:
        field.formula = _formula(entry)
        field.computed_value = _shown(entry.get("value"))
    # A value still waiting in pending input is the declarant's to correct: keep it editable.
    if field.computed == "system" and field.pending is None:
        field.read_only = True


def _mark_table(table: RowTable | GridList, entries: Mapping[str, Mapping[str, Any]]) -> None:
    """Box 47 per item and box B: the rows are computed as a whole; elsewhere single cells
    (box 44's line, which follows its document code) carry their own formula."""
    entry = entries.get(table.path)
    if entry is None:
        for row in table.rows:
            for field in row:
                cell = entries.get(field.path)
                if cell is not None:
                    _mark_input(field, cell)
        return
    table.formula = _formula(entry)
    table.computed = _state(entry)
    for row in table.rows:
        for field in row:
            _mark_input(field, entry, row=True)


def mark_computed(
    groups: Iterable[BoxGroup], remembered: Mapping[str, Any] | None, rows: Iterable[list[GridCell]] = ()
) -> None:
    """Mark the inputs and row tables of a page that the system computes."""
    entries = {p: e for p, e in (remembered or {}).items() if isinstance(e, Mapping)}
    if not entries:
        return
    for group in groups:
        for field in group.inputs:
            entry = entries.get(field.path)
            if entry is not None:
                _mark_input(field, entry)
        for table in group.tables:
            _mark_table(table, entries)
    for row in rows:
        for cell in row:
            if isinstance(cell, GridList):
                _mark_table(cell, entries)
                continue
            entry = entries.get(cell.path)
            if entry is not None:
                _mark_input(cell, entry)
