"""The rules engine: every applicable rule over one declaration, every error reported.

Public API (other apps call these): :func:`validate`, :func:`validate_payload`,
:func:`has_blocking`, :class:`RuleError`, :class:`ValidationContext`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from gomruk.clock import service_today
from gomruk.document.model import Declaration
from gomruk.document.schema_errors import schema_errors
from gomruk.reference.snapshot import ReferenceData, current_reference, packaged_reference
from gomruk.rules.base import Env, Rule, RuleError, Severity, ValidationContext
from gomruk.rules.profiles import BOX_RANK, profile_for
from gomruk.rules.registry import autodiscover

__all__ = ["RuleError", "ValidationContext", "has_blocking", "rules_for", "validate", "validate_payload"]


def default_reference() -> ReferenceData:
    """The administrators' classifiers when the database is usable, else the packaged ones."""
    try:
        from django.apps import apps

        return current_reference() if apps.ready else packaged_reference()
    except Exception:  # no settings, no database, or database access not allowed here
        return packaged_reference()


def today() -> date:
    return service_today()


@lru_cache(maxsize=512)
def rules_for(declaration_type: str, direction: str | None, procedure: str | None) -> tuple[Rule, ...]:
    """The rules that apply to one profile, computed once."""
    return tuple(r for r in autodiscover().values() if r.applies_to(declaration_type, direction, procedure))


def sort_key(error: RuleError) -> tuple[int, int, str, str]:
    return (BOX_RANK.get(error.box, len(BOX_RANK)), error.item or 0, error.path, error.rule)


def validate(
    document: Declaration,
    *,
    reference: ReferenceData | None = None,
    on: date | None = None,
    context: ValidationContext | None = None,
    boxes: Iterable[str] | None = None,
    severity: Severity | None = None,
) -> list[RuleError]:
    """Every error of the declaration, sorted by box (form order) then item.

    ``on``: the date classifiers and rules are taken at (default: the context's acceptance
    date, else today). ``boxes``: only the rules that read one of these boxes (a section of
    the editor, see :data:`gomruk.rules.sections.SECTION_BOXES`). ``severity``: only the rules
    of that severity (a rule's findings all have its severity).
    """
    context = context or ValidationContext()
    on = on or context.acceptance_date or today()
    declaration_type = document.declaration_type or "01"
    env = Env(
        doc=document,
        ref=reference or default_reference(),
        on=on,
        context=context,
        profile=profile_for(declaration_type, document.direction, document.procedure),
    )
    wanted = frozenset(boxes) if boxes is not None else None
    errors: list[RuleError] = []
    rules = rules_for(declaration_type, document.direction, document.procedure)
    if not env.ref.has("declaration-types", declaration_type):
        # No profile (§4.2) belongs to an unknown type: V-1-6 alone, not the GB import rules.
        rules = tuple(r for r in rules if r.code == "V-1-6")
    for rule in rules:
        if wanted is not None and wanted.isdisjoint(rule.boxes):
            continue
        if severity is not None and rule.severity != severity:
            continue
        if not rule.effective_on(on) or not rule.when(env):
            continue
        found = rule.check(env)
        if wanted is not None and rule.reads_all_boxes:
            errors.extend(e for e in found if e.box in wanted)
        else:
            errors.extend(found)
    errors.sort(key=sort_key)
    return errors


def schema_rule_errors(exc: ValidationError) -> list[RuleError]:
    result = []
    for error in schema_errors(exc):
        data = error.as_dict()
        result.append(
            RuleError(
                rule="SCHEMA",
                severity="error",
                box=data["box"],
                item=data["item"],
                path=data["path"],
                value=data["value"],
                message_az=data["message"]["az"],
                message_en=data["message"]["en"],
            )
        )
    result.sort(key=sort_key)
    return result


def _drop(data: Any, loc: tuple[Any, ...]) -> bool:
    """Remove the value at ``loc`` from ``data``; False when there is nothing to remove."""
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = loc[-1] if loc else None
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        del node[last]
        return True
    return False


def readable_part(data: dict[str, Any] | str | bytes) -> tuple[list[RuleError], Declaration | None]:
    """The ``SCHEMA`` errors of raw input and the document made of every field that could be
    read (the unreadable ones left out), so one bad field does not hide the content rules of
    the other boxes. ``None`` when nothing can be read (not JSON, not an object)."""
    import copy
    import json

    if isinstance(data, (str, bytes)):
        try:
            parsed = json.loads(data)
        except ValueError:
            try:
                Declaration.model_validate_json(data)
            except ValidationError as exc:
                return schema_rule_errors(exc), None
            parsed = None
        data = parsed if parsed is not None else {}
    if not isinstance(data, dict):
        try:
            Declaration.model_validate(data)
        except ValidationError as exc:
            return schema_rule_errors(exc), None
    try:
        return [], Declaration.model_validate(data)
    except ValidationError as exc:
        first = exc
    schema = schema_rule_errors(first)
    work = copy.deepcopy(data)
    errors: ValidationError | None = first
    for _ in range(200):  # each pass removes at least one value
        assert errors is not None
        removed = False
        for error in errors.errors(include_url=False):
            loc = tuple(error["loc"])
            if error["type"] == "missing" and len(loc) > 1:
                loc = loc[:-1]  # a required part of a sub-object: leave the whole object out
            removed = _drop(work, loc) or removed
        if not removed:
            return schema, None
        try:
            return schema, Declaration.model_validate(work)
        except ValidationError as exc:
            errors = exc
    return schema, None


def validate_payload(
    data: dict[str, Any] | str | bytes,
    *,
    reference: ReferenceData | None = None,
    on: date | None = None,
    context: ValidationContext | None = None,
    boxes: Iterable[str] | None = None,
) -> list[RuleError]:
    """Validate raw input without facts from the database (the pure engine; the doors use
    :func:`gomruk.declarations.validation.payload_check`): fields of the wrong type come back
    as rule ``SCHEMA`` errors, and the content rules run on the rest of the document; their
    findings in a box and item that has a ``SCHEMA`` error are left out."""
    schema, document = readable_part(data)
    if document is None:
        return schema
    return merge_schema_errors(schema, validate(document, reference=reference, on=on, context=context, boxes=boxes))


def merge_schema_errors(schema: list[RuleError], errors: list[RuleError]) -> list[RuleError]:
    """Schema errors with the content findings, minus those in a box and item that has a schema
    error (they would only see the unreadable field as missing)."""
    if not schema:
        return errors
    hidden = {(e.box, e.item) for e in schema}
    return sorted([*schema, *(e for e in errors if (e.box, e.item) not in hidden)], key=sort_key)


def has_blocking(errors: Iterable[RuleError]) -> bool:
    """Whether any error blocks signing and sending (warnings do not)."""
    return any(e.severity == "error" for e in errors)
