"""Rule base classes, the error object and the validation context.

A rule is a small class named by its code in ``spec/methodology.md``: ``V_33_1`` is rule
``V-33-1`` (``V-<box>-<n>`` of §3.3), ``X_05`` is ``X-05`` (§3.5); rules derived from §4 use
``P-<procedure>-<n>`` and ``T-<declaration type>-<n>``; ``D-<box>-<n>`` are the duty-calculation comparisons of ``gomruk.duties.rules``; ``M-<n>`` are the profile rules of
the §4.2 matrix. Defining a subclass with such a name registers it (``__init_subclass__``);
nothing else is needed. Other apps put their rules in ``gomruk.<app>.rules`` (the engine
imports that module of every installed gomruk app) and use the same base classes::

    from gomruk.rules.base import Rule, InClassifier

    class V_47_2(InClassifier):
        message_az = "Ödəniş növü 8 nömrəli əlavədə yoxdur: {value}."
        message_en = "Payment type is not in Appendix 8: {value}."
        boxes = ("47",)
        field = "/goods/*/payments/*/payment_type"
        classifier = "payment-types"

Class attributes:

* ``message_az`` and ``message_en``: ``str.format`` templates; ``{value}`` is the offending
  value, rules may pass more fields. The class is the one source of both texts: rule messages
  are not marked for gettext, so they never enter the ``.po`` catalogue (a test checks).
* ``severity``: ``"error"`` blocks signing and sending, ``"warning"`` informs.
* ``boxes``: the boxes the rule reads; the first is where its errors are reported unless the
  error's JSON Pointer maps to another box.
* where it applies: ``declaration_types`` (Appendix 15 codes), ``directions`` (``İX``/``İD``),
  ``procedures`` (Appendix 2 codes), ``valid_from``/``valid_to`` (dates of the acceptance
  date); ``None`` means "all".
* ``check(env)`` yields :class:`RuleError` objects through ``self.error(...)``.

Generic rules are configured by attributes: :class:`Required`, :class:`Forbidden`,
:class:`InClassifier`, :class:`Pattern`, :class:`DecimalPlaces`, :class:`MinValue`,
:class:`OneOf`, :class:`SumEquals`, :class:`SameCountryRow`. Set ``when(env)`` for a
conditional rule. Rules never touch the database: whatever lies outside the document comes
through :class:`ValidationContext`, and a rule that lacks its data there is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel

from gomruk.core.money import CENT, GRAM
from gomruk.document.model import Declaration
from gomruk.document.shape import locate
from gomruk.reference.snapshot import ReferenceData

if TYPE_CHECKING:
    from gomruk.rules.profiles import Profile

__all__ = [
    "REGISTRY",
    "DecimalPlaces",
    "Env",
    "FieldPath",
    "Forbidden",
    "InClassifier",
    "KnownDeclaration",
    "MinValue",
    "OneOf",
    "Pattern",
    "Required",
    "Rule",
    "RuleError",
    "SameCountryRow",
    "Severity",
    "SumEquals",
    "ValidationContext",
    "is_empty",
]

Severity = Literal["error", "warning"]
CODE_PATTERN = re.compile(r"^(V|X|P|T|M|D)-[0-9A-Za-z]+(-[0-9A-Za-z]+)?$")

# Registration order is the catalogue's order within a box; the engine sorts errors anyway.
REGISTRY: dict[str, Rule] = {}


# --- The error object ------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """The offending value as JSON: decimals as strings (no float rounding), dates ISO."""
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return str(value)


@dataclass(frozen=True, slots=True)
class RuleError:
    rule: str
    severity: Severity
    box: str | None
    item: int | None
    path: str
    value: Any
    message_az: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "box": self.box,
            "item": self.item,
            "path": self.path,
            "value": json_value(self.value),
            "message": {"az": self.message_az, "en": self.message_en},
        }

    @property
    def blocking(self) -> bool:
        return self.severity == "error"


# --- What lies outside the document ----------------------------------------------------------


@dataclass(frozen=True)
class KnownDeclaration:
    """A declaration the system knows, as box 40 may refer to it (V-40-1, V-RI-1)."""

    number: str
    trader_voen: str | None = None
    declaration_type: str | None = None
    direction: str | None = None
    procedure: str | None = None
    date: date | None = None


@dataclass(frozen=True)
class ValidationContext:
    """Facts from outside the document. ``None`` means "not known": the rules that need the
    fact are skipped, never guessed."""

    acceptance_date: date | None = None
    signing_date: date | None = None
    declarant_is_aeo: bool | None = None
    declarant_voen: str | None = None
    known_declarations: Mapping[str, KnownDeclaration] | None = None
    # (numeric currency code, date) -> AZN per unit (CBAR), or None when not published.
    exchange_rate: Callable[[str, date], Decimal | None] | None = None
    # (numeric currency code, date) -> the date of the CBAR bulletin in force that day (V-A-2).
    rate_date: Callable[[str, date], date | None] | None = None
    # The commodity nomenclature (HS subheadings, national XİF MN list) for V-33-2: an object
    # with is_subheading(code), national_loaded and national(code, on) (gomruk.reference.nomenclature).
    nomenclature: Any = None
    # The number of attachment sheets of the printed form (V-A-3), when it was counted.
    attachment_sheets: int | None = None
    # Customs officers may fill boxes 7, C and D; declarants may not (V-7-1, V-C-1, V-D-1).
    customs_view: bool = False
    # The duty calculation of gomruk.duties for this document, read by gomruk.duties.rules.
    calculation: Any = None


# --- Reading fields --------------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    """Not filled: None, blank text, empty list, False, or a part whose fields are all at their
    defaults (e.g. a ``Party`` with nothing but ``person_kind="legal"``)."""
    if value is None or value is False:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return all(is_empty(v) for v in value)
    if isinstance(value, BaseModel):
        for name, default in _field_defaults(type(value)):
            v = getattr(value, name)
            if v == default and not isinstance(v, BaseModel):
                continue
            if not is_empty(v):
                return False
        return True
    return False


@cache
def _field_defaults(model: type[BaseModel]) -> tuple[tuple[str, Any], ...]:
    # Read per part on every emptiness test of a 100-item document: taken from the class once.
    return tuple((name, info.default) for name, info in model.model_fields.items())


# Values that are filled whatever they hold (``is_empty`` is False for each).
_FILLED_KINDS = frozenset({Decimal, int, date})


def filled_everywhere(values: list[Any] | None) -> bool:
    """Whether none of ``values`` (a goods items' column: :meth:`FieldPath.leaves`) is empty,
    answered by C loops for columns of numbers, dates and texts; False also when that is not
    known this way (None, parts, lists): those are looked at one by one."""
    if values is None:
        return False
    kinds = set(map(type, values))
    return kinds <= _FILLED_KINDS or (kinds == {str} and all(map(str.strip, values)))


class FieldPath:
    """A JSON Pointer pattern such as ``/goods/*/origin_country/alpha``: ``*`` walks a list.

    ``iter(doc)`` yields ``(indices, value)`` for every existing position (missing parents are
    skipped, a missing leaf gives ``None``); ``pointer(indices)`` spells the JSON Pointer, so
    the string is built only for values that fail a rule. ``leaves(doc)`` gives the same values
    without their positions, for the goods items' shapes, in one pass."""

    __slots__ = ("_getter", "_nested", "_tail", "parts", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.parts = tuple(p for p in pattern.strip("/").split("/") if p)
        # The common shape /goods/*/<field>[/<sub>]: one loop, no recursion.
        tail = self.parts[2:]
        self._tail = tail if self.parts[:2] == ("goods", "*") and "*" not in tail else None
        # /goods/*/<list>/*/<field>: two plain loops.
        self._nested = self.parts[2] if len(self.parts) == 5 and self.parts[:2] == ("goods", "*") and self.parts[3] == "*" else None
        self._getter = attrgetter(".".join(tail)) if tail else None

    def iter(self, doc: Any) -> Iterator[tuple[tuple[int, ...], Any]]:
        tail = self._tail
        if tail is not None:
            if len(tail) == 1:
                name = tail[0]
                for i, item in enumerate(doc.goods):
                    yield (i,), getattr(item, name)
                return
            for i, item in enumerate(doc.goods):
                value = item
                for part in tail:
                    value = getattr(value, part, None)
                    if value is None:
                        break
                yield (i,), value
            return
        nested = self._nested
        if nested is not None:
            leaf = self.parts[4]
            for i, item in enumerate(doc.goods):
                for j, child in enumerate(getattr(item, nested) or ()):
                    yield (i, j), getattr(child, leaf, None)
            return
        yield from self._walk(doc, 0, ())

    def leaves(self, doc: Any) -> list[Any] | None:
        """The values ``iter(doc)`` yields, in its order, without their positions, for
        ``/goods/*/<field>[/<part>…]`` and ``/goods/*/<list>/*/<field>``; None for any other
        pattern. A rule asks this first: a hundred items' values are read by C loops, where
        ``iter`` makes two tuples and a generator step for each."""
        getter = self._getter
        if getter is not None:
            try:
                return list(map(getter, doc.goods))
            except AttributeError:  # a part on the way is missing: iter's None for that item
                return [value for _, value in self.iter(doc)]
        nested = self._nested
        if nested is not None:
            leaf = self.parts[4]
            return [getattr(child, leaf, None) for item in doc.goods for child in getattr(item, nested) or ()]
        return None

    def _walk(self, node: Any, index: int, indices: tuple[int, ...]) -> Iterator[tuple[tuple[int, ...], Any]]:
        parts = self.parts
        while index < len(parts):
            part = parts[index]
            if part == "*":
                if not node:
                    return
                for i, child in enumerate(node):
                    yield from self._walk(child, index + 1, (*indices, i))
                return
            if node is None:
                return
            node = getattr(node, part, None)
            index += 1
        yield indices, node

    def pointer(self, indices: tuple[int, ...]) -> str:
        found = iter(indices)
        return "/" + "/".join(str(next(found)) if p == "*" else p for p in self.parts)

    def values(self, doc: Any) -> Iterator[tuple[str, Any]]:
        for indices, value in self.iter(doc):
            yield self.pointer(indices), value


@cache
def field_path(pattern: str) -> FieldPath:
    return FieldPath(pattern)


# --- Per-run facts ---------------------------------------------------------------------------


class Env:
    """What one validation run knows: the document, the classifiers, the date, the context and
    the profile of the declaration (§4.2)."""

    __slots__ = ("context", "doc", "memo", "on", "profile", "ref")

    def __init__(
        self,
        *,
        doc: Declaration,
        ref: ReferenceData,
        on: date,
        context: ValidationContext,
        profile: Profile,
    ) -> None:
        self.doc = doc
        self.ref = ref
        self.on = on
        self.context = context
        self.profile = profile
        # Values several rules derive from the document (e.g. Box B sums), computed once.
        self.memo: dict[str, Any] = {}

    def listed(self, box: str) -> bool:
        """The declarant may or must fill this box in this declaration's profile."""
        return self.profile.fillable(box)

    def must(self, box: str) -> bool:
        return self.profile.must(box)


# --- Rules -----------------------------------------------------------------------------------


class SafeFormat(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def code_from_name(name: str) -> str:
    return name.replace("_", "-")


class Rule:
    code: ClassVar[str] = ""
    severity: ClassVar[Severity] = "error"
    boxes: ClassVar[tuple[str, ...]] = ()
    message_az: ClassVar[str] = ""
    message_en: ClassVar[str] = ""
    declaration_types: ClassVar[frozenset[str] | None] = None
    directions: ClassVar[frozenset[str] | None] = None
    procedures: ClassVar[frozenset[str] | None] = None
    valid_from: ClassVar[date | None] = None
    valid_to: ClassVar[date | None] = None
    # Rules that read every box (the profile rules) have their errors filtered by section.
    reads_all_boxes: ClassVar[bool] = False
    # Document-level: ``when`` restricts a rule to documents where a condition holds.
    abstract: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "abstract" not in cls.__dict__:
            cls.abstract = False
        if "code" not in cls.__dict__:
            cls.code = code_from_name(cls.__name__)
        if cls.abstract or not CODE_PATTERN.match(cls.code) or cls.__dict__.get("register") is False:
            return
        if cls.code in REGISTRY and type(REGISTRY[cls.code]).__qualname__ != cls.__qualname__:
            raise RuntimeError(f"Rule {cls.code} is defined twice")
        REGISTRY[cls.code] = cls()

    # --- Applicability ---

    def applies_to(self, declaration_type: str, direction: str | None, procedure: str | None) -> bool:
        if self.declaration_types is not None and declaration_type not in self.declaration_types:
            return False
        if self.directions is not None and direction not in self.directions:
            return False
        return self.procedures is None or procedure in self.procedures

    def effective_on(self, on: date) -> bool:
        if self.valid_from and on < self.valid_from:
            return False
        return not (self.valid_to and on > self.valid_to)

    def when(self, env: Env) -> bool:
        """A document-level condition; the rule is skipped where it does not hold."""
        return True

    # --- Messages ---

    @classmethod
    def text_az(cls) -> str:
        return cls.message_az

    @classmethod
    def text_en(cls) -> str:
        return cls.message_en

    @classmethod
    def describe(cls) -> str:
        return (cls.__doc__ or "").strip()

    # --- Checking ---

    def check(self, env: Env) -> Iterable[RuleError]:
        raise NotImplementedError

    def error(
        self,
        path: str,
        value: Any = None,
        *,
        box: str | None = None,
        item: int | None = None,
        **fmt: Any,
    ) -> RuleError:
        located_box, located_item = locate(path)
        fmt.setdefault("value", "" if value is None else json_value(value))
        values = SafeFormat(fmt)
        return RuleError(
            rule=self.code,
            severity=self.severity,
            box=box or located_box or (self.boxes[0] if self.boxes else None),
            item=item if item is not None else located_item,
            path=path,
            value=json_value(value),
            message_az=self.text_az().format_map(values),
            message_en=self.text_en().format_map(values),
        )


_NONE = type(None)
_NUMBERS = frozenset({Decimal, int})


class FieldRule(Rule):
    """Checks every filled value at ``field`` with ``ok(value, env)``."""

    abstract = True
    field: ClassVar[str] = ""

    def check(self, env: Env) -> Iterator[RuleError]:
        ok = self.ok
        fp = field_path(self.field)
        values = fp.leaves(env.doc)
        if values is not None and self._all_pass(values, env):
            return  # the usual case, answered without walking the items one by one
        # A hundred goods items repeat a handful of codes, and ``ok`` reads only the value and
        # the run's env: each text is judged once per run. (Not Decimals: 1.0 == 1.00.)
        judged: dict[str, bool] = {}
        for indices, value in fp.iter(env.doc):
            if value is None or value == "":
                continue
            if type(value) is str:
                verdict = judged.get(value)
                if verdict is None:
                    verdict = judged[value] = bool(ok(value, env))
            else:
                verdict = ok(value, env)
            if not verdict:
                yield self.error(fp.pointer(indices), value)

    def ok(self, value: Any, env: Env) -> bool:
        raise NotImplementedError

    def _all_pass(self, values: list[Any], env: Env) -> bool:
        """Whether every filled value passes; False also when that is not known this way (the
        walk then judges each value and names the ones that fail). Texts: each distinct one
        judged once, as the walk does. Other kinds: :meth:`all_ok`."""
        kinds = set(map(type, values))
        kinds.discard(_NONE)
        if not kinds:
            return True
        if kinds == {str}:
            distinct = set(values)
            distinct.discard(None)
            distinct.discard("")
            ok = self.ok
            return all(ok(value, env) for value in distinct)
        if type(self).all_ok is FieldRule.all_ok:
            return False  # parts, lists, dates…: judged one by one
        filled = values if None not in values else [value for value in values if value is not None]
        return self.all_ok(filled, kinds, env)

    def all_ok(self, values: list[Any], kinds: set[type], env: Env) -> bool:
        """Whether every value of ``values`` (none None; their types ``kinds``) passes, answered
        for all at once; False: not known (the default), or not all pass."""
        return False


class Required(Rule):
    """Every pointer in ``fields`` is filled: when ``when(env)`` holds and, unless ``always``,
    when the profile lists the rule's first box."""

    abstract = True
    fields: ClassVar[tuple[str, ...]] = ()
    always: ClassVar[bool] = False

    def check(self, env: Env) -> Iterator[RuleError]:
        if not self.always and not env.listed(self.boxes[0]):
            return
        # One finding per box and goods item: the first missing field of each.
        seen: set[tuple[str | None, int | None]] = set()
        for error in self._missing(env):
            key = (error.box, error.item)
            if key not in seen:
                seen.add(key)
                yield error

    def _missing(self, env: Env) -> Iterator[RuleError]:
        for pattern in self.fields:
            fp = field_path(pattern)
            if "*" in fp.parts:
                yield from self._missing_in_items(env, fp)
                continue
            for indices, value in fp.iter(env.doc):
                if is_empty(value):
                    yield self.error(fp.pointer(indices), value)
            if not any(True for _ in fp.iter(env.doc)):
                yield self.error(pattern, None)

    def _missing_in_items(self, env: Env, fp: FieldPath) -> Iterator[RuleError]:
        # /goods/*/x: a missing parent part counts as a missing leaf of that item.
        if fp.parts.count("*") == 1 and filled_everywhere(fp.leaves(env.doc)):
            return  # the usual case, answered for all items at once
        star = fp.parts.index("*")
        head, tail = fp.parts[:star], fp.parts[star + 1 :]
        node: Any = env.doc
        for part in head:
            node = getattr(node, part, None)
        for i, child in enumerate(node or ()):
            value = child
            for part in tail:
                value = getattr(value, part, None) if value is not None else None
            if is_empty(value):
                path = "/" + "/".join((*head, str(i), *tail))
                yield self.error(path, value)


class Forbidden(Rule):
    """Every pointer in ``fields`` is empty (when ``when(env)`` holds)."""

    abstract = True
    fields: ClassVar[tuple[str, ...]] = ()

    def check(self, env: Env) -> Iterator[RuleError]:
        for pattern in self.fields:
            fp = field_path(pattern)
            for indices, value in fp.iter(env.doc):
                if not is_empty(value):
                    yield self.error(fp.pointer(indices), value)


class InClassifier(FieldRule):
    """The value is a code of ``classifier`` valid on the acceptance date, or one of
    ``extra_values``."""

    abstract = True
    classifier: ClassVar[str] = ""
    extra_values: ClassVar[frozenset[str]] = frozenset()
    dated: ClassVar[bool] = True

    def ok(self, value: Any, env: Env) -> bool:
        value = str(value)
        if value in self.extra_values:
            return True
        return env.ref.has(self.classifier, value, env.on if self.dated else None)


class Pattern(FieldRule):
    abstract = True
    pattern: ClassVar[re.Pattern[str]]

    def ok(self, value: Any, env: Env) -> bool:
        return self.pattern.fullmatch(str(value)) is not None


class OneOf(FieldRule):
    abstract = True
    values: ClassVar[frozenset[str]] = frozenset()

    def ok(self, value: Any, env: Env) -> bool:
        return str(value) in self.values


class MinValue(FieldRule):
    """value ≥ ``minimum`` (``strict``: value > minimum)."""

    abstract = True
    minimum: ClassVar[Decimal] = Decimal(0)
    strict: ClassVar[bool] = False

    def ok(self, value: Any, env: Env) -> bool:
        return value > self.minimum if self.strict else value >= self.minimum

    def all_ok(self, values: list[Any], kinds: set[type], env: Env) -> bool:
        if not kinds <= _NUMBERS:
            return False
        try:
            least = min(values)
            return bool(least > self.minimum if self.strict else least >= self.minimum)
        except ArithmeticError:  # a NaN among them: judged one by one
            return False


_QUANTA: dict[int, Decimal] = {2: CENT, 3: GRAM}  # the places DecimalPlaces rules ask; others added on first use


class DecimalPlaces(FieldRule):
    """A non-negative decimal with at most ``places`` decimals (the document pads shorter values
    to exactly ``places``, so "at most" and "exactly" coincide after parsing)."""

    abstract = True
    places: ClassVar[int] = 2

    def _quantum(self) -> Decimal:
        quantum = _QUANTA.get(self.places)
        if quantum is None:
            quantum = _QUANTA[self.places] = Decimal(1).scaleb(-self.places)
        return quantum

    def all_ok(self, values: list[Any], kinds: set[type], env: Env) -> bool:
        # A parsed document pads every value to ``places`` decimals: the same exponent as the
        # quantum (which also rules out NaN and infinities) and none below zero.
        return kinds == {Decimal} and all(map(self._quantum().same_quantum, values)) and min(values) >= 0

    def ok(self, value: Any, env: Env) -> bool:
        if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
            return False
        # Parsed documents carry exactly ``places`` decimals: one C call answers them, where
        # as_tuple() builds a tuple of every digit (three boxes of a hundred items a run).
        quantum = self._quantum()
        if value.same_quantum(quantum):
            return True
        exponent = value.as_tuple().exponent
        return isinstance(exponent, int) and -exponent <= self.places


class SumEquals(Rule):
    """``total`` equals the sum of ``addends`` (skipped while an addend is missing, which other
    rules report, or when the profile does not list the addends' box)."""

    abstract = True
    total: ClassVar[str] = ""
    addends: ClassVar[str] = ""
    addend_box: ClassVar[str] = ""

    def check(self, env: Env) -> Iterator[RuleError]:
        total = getattr(env.doc, self.total.strip("/"))
        if total is None or (self.addend_box and not env.listed(self.addend_box)):
            return
        values = [v for _, v in field_path(self.addends).iter(env.doc)]
        if not values or any(v is None for v in values):
            return
        expected = sum(values, Decimal(0))
        if total != expected:
            yield self.error(self.total, total, expected=expected)


class SameCountryRow(FieldRule):
    """A ``CountryCodes`` pair (letter code + numeric code) from one row of Appendix 3
    (duplicated numeric/alpha-3 codes are compared by row, Q-34)."""

    abstract = True
    alpha_column: ClassVar[str] = "alpha2"

    def alpha_column_for(self, env: Env) -> str:
        return self.alpha_column

    def check(self, env: Env) -> Iterator[RuleError]:
        column = self.alpha_column_for(env)
        fp = field_path(self.field)
        values = fp.leaves(env.doc)
        if values is not None and self._pairs_pass(values, column, env):
            return  # the usual case: a few pairs among a hundred items, each looked up once
        for indices, value in fp.iter(env.doc):
            if value is None or (not value.alpha and not value.numeric):
                continue
            rows = env.ref.by_attribute("countries", column, value.alpha) if value.alpha else ()
            if not value.alpha or not value.numeric:
                missing = "alpha" if not value.alpha else "numeric"
                yield self.error(f"{fp.pointer(indices)}/{missing}", None, column=column)
            elif not any(row.code == value.numeric for row in rows):
                yield self.error(fp.pointer(indices), f"{value.alpha}/{value.numeric}", column=column)

    @staticmethod
    def _pairs_pass(values: list[Any], column: str, env: Env) -> bool:
        """Whether every filled pair has both codes, from one row; False also when some part
        is not a pair (the walk then names what fails)."""
        try:
            pairs = {(value.alpha, value.numeric) for value in values if value is not None}
        except AttributeError:
            return False
        for alpha, numeric in pairs:
            if not alpha and not numeric:
                continue
            if not alpha or not numeric:
                return False
            if not any(row.code == numeric for row in env.ref.by_attribute("countries", column, alpha)):
                return False
        return True
