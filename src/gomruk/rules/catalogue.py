"""The rules catalogue, generated from the rule classes: ``GET /api/v1/rules`` and
``docs/rules.md`` (``gomruk rules-catalogue``; a test keeps the file in sync)."""

from __future__ import annotations

from typing import Any

from gomruk.rules.base import Rule
from gomruk.rules.profiles import BOX_RANK, COLUMN_TITLES, BoxStatus, matrix, profile_for
from gomruk.rules.registry import all_rules

# Rules of §3.3/§3.5 with no class of their own, and why (the catalogue lists them too).
COVERED_ELSEWHERE: dict[str, str] = {
    "V-1-1": "SCHEMA: box 1 direction is typed İX/İD; ASCII IX/ID are normalised on input",
    "V-1-5": "X-07",
    "V-3-3": "V-5-2 (33 additional sheets = 100 items)",
    "V-3-4": "V-3-2",
    "V-4-1": "SCHEMA: box 4 is a non-negative integer",
    "V-6-1": "SCHEMA: box 6 is a non-negative integer",
    "V-31-3": "V-19-2",
    "V-48-1": "SCHEMA: box 48 is a date; printed dd.mm.yy (Q-49)",
    "V-B-6": "X-14",
    "X-01": "V-5-2",
    "X-03": "V-5-1",
    "X-04": "V-12-1",
    "X-05": "V-22-2, V-22-3",
    "X-06": "V-B-1, V-B-2, V-B-3",
    "X-08": "V-16-1",
    "X-09": "V-15-1, V-17-1",
    "X-11": "V-35-1, V-38-1, V-35-3",
    "X-12": "V-19-2",
    "X-13": "V-36-2",
    "X-16": "V-47-5, V-B-1",
    "X-17": "V-44-3",
    "X-18": "V-44-5",
    "X-20": "M-1 (import profiles), V-43-2 (export)",
    "X-21": "V-2-1, V-8-1",
}
NOT_CHECKABLE: dict[str, str] = {
    "V-A-4": "additional sheets are generated at print time (Q-40); the declarant never edits them",
    "V-33-3": "the reserved sub-divisions of box 33 are not part of the document",
}


def applies_to(rule: Rule) -> str:
    parts = []
    if rule.declaration_types is not None:
        parts.append("types " + ", ".join(sorted(rule.declaration_types)))
    if rule.directions is not None:
        parts.append(", ".join(sorted(rule.directions)))
    if rule.procedures is not None:
        parts.append("procedures " + ", ".join(sorted(rule.procedures)))
    if rule.valid_from or rule.valid_to:
        parts.append(f"{rule.valid_from or '…'} – {rule.valid_to or '…'}")
    return "; ".join(parts) or "all"


def _sort_key(rule: Rule) -> tuple[int, str]:
    return (BOX_RANK.get(rule.boxes[0] if rule.boxes else None, -1), rule.code)


def rule_entry(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "severity": rule.severity,
        "boxes": list(rule.boxes) if not rule.reads_all_boxes else ["*"],
        "applies_to": {
            "declaration_types": sorted(rule.declaration_types) if rule.declaration_types is not None else None,
            "directions": sorted(rule.directions) if rule.directions is not None else None,
            "procedures": sorted(rule.procedures) if rule.procedures is not None else None,
            "valid_from": rule.valid_from.isoformat() if rule.valid_from else None,
            "valid_to": rule.valid_to.isoformat() if rule.valid_to else None,
        },
        "description": rule.describe(),
        "message": {"az": rule.text_az(), "en": rule.text_en()},
        "module": type(rule).__module__,
    }


def catalogue() -> list[dict[str, Any]]:
    return [rule_entry(r) for r in sorted(all_rules(), key=_sort_key)]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_markdown() -> str:
    rules = sorted(all_rules(), key=_sort_key)
    out = [
        "# Rules catalogue",
        "",
        "Generated from the rule classes by `gomruk rules-catalogue`; do not edit by hand",
        "(`tests/rules/test_catalogue.py` fails when this file and the classes differ).",
        "Codes follow `spec/methodology.md`: `V-<box>-<n>` (§3.3), `X-nn` (§3.5),",
        "`P-<procedure>-<n>` / `T-<type>-<n>` (derived from §4.3 / §4.4), `M-n` (§4.2 profiles);",
        "other apps' rules (e.g. `gomruk.duties.rules`) are listed with their module.",
        "Severity `error` blocks signing and sending; `warning` informs.",
        "",
        f"{len(rules)} rules.",
        "",
        "| Code | Severity | Boxes | Applies to | Rule | Message (az) | Message (en) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in rules:
        boxes = "all" if rule.reads_all_boxes else ", ".join(rule.boxes)
        out.append(
            f"| {rule.code} | {rule.severity} | {boxes} | {_cell(applies_to(rule))} | "
            f"{_cell(rule.describe())} | {_cell(rule.text_az())} | {_cell(rule.text_en())} |"
        )
    out += ["", "## Spec rules checked by another rule", "", "| Spec code | Checked by |", "| --- | --- |"]
    out += [f"| {code} | {_cell(by)} |" for code, by in COVERED_ELSEWHERE.items()]
    out += ["", "## Spec rules that cannot be checked on the document", "", "| Spec code | Why |", "| --- | --- |"]
    out += [f"| {code} | {_cell(why)} |" for code, why in NOT_CHECKABLE.items()]
    out += ["", *profiles_markdown()]
    return "\n".join(out) + "\n"


def profiles_markdown() -> list[str]:
    out = [
        "## Profiles (§4.2)",
        "",
        "Each declaration type × direction × procedure uses one column of the §4.2 matrix:",
        "GB 01 by procedure (10, 40, 71 → general export/import rules), the other types by type",
        "(SB 06 → GB import rules, Q-19). `must`: the declarant fills it (M-1); `may`: filled only",
        "in the cases its own rules name; `empty`: not listed, leave it empty (M-2); `system` /",
        "`customs`: the declarant must not fill it (V-7-1, V-C-1, V-D-1).",
        "",
    ]
    for column in matrix():
        az, en = COLUMN_TITLES[column]
        directions = ("İX", "İD")
        out.append(f"### {column} — {en} / {az}")
        out.append("")
        for direction in directions:
            dtype = "01" if column.startswith(("GB", "IP", "CW", "Temp", "EndUse", "Re", "Transit")) else _type_of(column)
            procedure = _procedure_of(column)
            profile = profile_for(dtype, direction, procedure)
            if profile.column != column:
                continue
            out.append(f"* **{direction}**")
            for status in BoxStatus:
                boxes = profile.boxes(status)
                if boxes:
                    out.append(f"  * {status.value}: {', '.join(boxes)}")
        out.append("")
    return out


def _type_of(column: str) -> str:
    from gomruk.rules.profiles import TYPE_COLUMNS

    return next(t for t, c in TYPE_COLUMNS.items() if c == column)


def _procedure_of(column: str) -> str | None:
    from gomruk.rules.profiles import GB_PROCEDURE_COLUMNS

    return next((p for p, c in GB_PROCEDURE_COLUMNS.items() if c == column), None)
