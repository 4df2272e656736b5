"""A field rule answers "every value passes" for all goods items at once (``FieldRule._all_pass``)
and walks the items only to name the ones that fail: whatever the values, its findings are the
walk's, in the walk's order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gomruk.demo.rule_examples import example_document
from gomruk.document.model import CountryCodes, Declaration
from gomruk.reference.snapshot import packaged_reference
from gomruk.rules import base
from gomruk.rules.base import REGISTRY, Env, FieldRule, Required, ValidationContext, field_path
from gomruk.rules.profiles import profile_for
from gomruk.rules.registry import autodiscover

ON = date(2025, 1, 15)
REF = packaged_reference()
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EXAMPLE = Declaration.model_validate(example_document("01", "İD", "40", items=2))


def _scalar_item_field(rule: FieldRule) -> bool:
    """A goods items' field of texts or numbers."""
    values = field_path(rule.field).leaves(EXAMPLE)
    return values is not None and {type(v) for v in values} <= {str, Decimal, type(None)}


# The rules that take the one-pass answer.
ITEM_RULES = sorted(
    (rule for rule in autodiscover().values() if isinstance(rule, FieldRule) and _scalar_item_field(rule)),
    key=lambda rule: rule.code,
)

TEXTS = st.one_of(
    st.none(), st.just(""), st.sampled_from(["8516100000", "000", "10", "40", "4000", "01", "GB", "kq", "1", "9999"]),
    st.text(max_size=6),
)
NUMBERS = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False),  # a parsed document holds neither (pydantic refuses them)
    st.sampled_from([Decimal("0.00"), Decimal("-0.00"), Decimal("12.5"), Decimal("12.500"), Decimal("-1.00"),
                     Decimal("7.123"), Decimal("7.12"), Decimal("1E+2"), Decimal("-1.000")]),
    st.integers(min_value=-5, max_value=5),
)


def _walk(rule: FieldRule, env: Env) -> list:
    """The findings of the walk alone (the one-pass answer switched off)."""
    rule._all_pass = lambda values, env: False  # type: ignore[method-assign]
    try:
        return list(rule.check(env))
    finally:
        del rule._all_pass  # the class's again


def _env(document: Declaration) -> Env:
    return Env(doc=document, ref=REF, on=ON, context=ValidationContext(),
               profile=profile_for(document.declaration_type or "01", document.direction, document.procedure))


def _set(document: Declaration, pattern: str, item: int, value: object) -> None:
    """Put ``value`` at ``pattern`` of goods item ``item`` (its first entry of a list level),
    past the model's validation: the rules must judge whatever a model holds."""
    parts = field_path(pattern).parts[2:]
    node: object = document.goods[item]
    if "*" in parts:
        children = getattr(node, parts[0])
        if not children:
            return
        node, parts = children[0], parts[2:]
    for part in parts[:-1]:
        node = getattr(node, part)
        if node is None:
            return
    object.__setattr__(node, parts[-1], value)


@pytest.mark.parametrize("rule", ITEM_RULES, ids=lambda rule: rule.code)
@SETTINGS
@given(data=st.data())
def test_the_one_pass_answer_gives_the_walks_findings(rule, data):
    document = Declaration.model_validate(example_document("01", "İD", "40", items=data.draw(st.integers(1, 6))))
    numeric = any(isinstance(value, Decimal) for value in field_path(rule.field).leaves(document) or ())
    for item in range(len(document.goods)):
        if data.draw(st.booleans()):
            _set(document, rule.field, item, data.draw(NUMBERS if numeric else TEXTS))
    env = _env(document)
    assert list(rule.check(env)) == _walk(rule, env)


def test_the_rules_that_answer_at_once_are_the_goods_item_field_rules():
    codes = {rule.code for rule in ITEM_RULES}
    assert {"V-33-1", "V-35-1", "V-38-1", "V-42-1", "V-45-1", "V-44-4"} <= codes


def test_a_failing_value_is_still_named_at_its_item():
    document = Declaration.model_validate(example_document("01", "İD", "40", items=3))
    object.__setattr__(document.goods[1], "gross_mass", Decimal("12.5001"))  # four places, three allowed
    object.__setattr__(document.goods[2], "gross_mass", Decimal("-1.000"))
    found = [(e.rule, e.item, e.path) for e in REGISTRY["V-35-1"].check(_env(document))]
    assert found == [("V-35-1", 2, "/goods/1/gross_mass"), ("V-35-1", 3, "/goods/2/gross_mass")]


def test_leaves_are_the_walks_values_in_its_order():
    document = Declaration.model_validate(example_document("01", "İD", "40", items=4))
    document.goods[2].documents = []
    for pattern in ("/goods/*/commodity_code", "/goods/*/origin_country/alpha", "/goods/*/documents/*/code",
                    "/goods/*/valuation/method"):
        path = field_path(pattern)
        assert path.leaves(document) == [value for _, value in path.iter(document)]
    assert field_path("/invoice_currency").leaves(document) is None


PAIRS = st.one_of(
    st.none(),
    st.builds(
        CountryCodes,
        alpha=st.sampled_from([None, "", "GB", "DE", "TR", "XX", "gb"]),
        numeric=st.sampled_from([None, "", "826", "276", "792", "000", "31"]),
    ),
)


@SETTINGS
@given(data=st.data())
def test_country_pairs_answered_at_once_give_the_walks_findings(data):
    rule = autodiscover()["V-34-1"]
    document = Declaration.model_validate(example_document("01", "İD", "40", items=data.draw(st.integers(1, 6))))
    for item in document.goods:
        if data.draw(st.booleans()):
            object.__setattr__(item, "origin_country", data.draw(PAIRS))
    env = _env(document)
    assert list(rule.check(env)) == _walk_pairs(rule, env)


def _walk_pairs(rule, env: Env) -> list:
    rule._pairs_pass = lambda values, column, env: False
    try:
        return list(rule.check(env))
    finally:
        del rule._pairs_pass  # the class's again


def _required_item_rules() -> list:
    rules = []
    for rule in autodiscover().values():
        if isinstance(rule, Required):
            patterns = [p for p in rule.fields if field_path(p).leaves(EXAMPLE) is not None and p.count("*") == 1]
            values = [v for p in patterns for v in field_path(p).leaves(EXAMPLE)]
            if patterns and {type(v) for v in values} <= {str, Decimal, type(None)}:
                rules.append((rule, patterns))
    return sorted(rules, key=lambda pair: pair[0].code)


REQUIRED_RULES = _required_item_rules()


def _spoilt(data: st.DataObject, patterns: list[str]) -> Declaration:
    """An example document of 1–6 items whose values at ``patterns`` are drawn for some items:
    numbers where the field holds numbers, else texts (blank ones included)."""
    document = Declaration.model_validate(example_document("01", "İD", "40", items=data.draw(st.integers(1, 6))))
    for pattern in patterns:
        numeric = any(isinstance(v, Decimal) for v in field_path(pattern).leaves(document) or ())
        for item in range(len(document.goods)):
            if data.draw(st.booleans()):
                _set(document, pattern, item, data.draw(NUMBERS if numeric else st.one_of(TEXTS, st.just("  "))))
    return document


@pytest.mark.parametrize(("rule", "patterns"), REQUIRED_RULES, ids=lambda value: getattr(value, "code", ""))
@SETTINGS
@given(data=st.data())
def test_required_item_fields_answered_at_once_give_the_walks_findings(rule, patterns, data):
    env = _env(_spoilt(data, patterns))
    found = list(rule.check(env))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(base, "filled_everywhere", lambda values: False)
        assert found == list(rule.check(env))


def test_the_required_rules_answered_at_once_include_the_goods_boxes():
    assert {"V-31-2"} <= {rule.code for rule, _ in REQUIRED_RULES}


def _m1_item_leaves() -> list[str]:
    """The goods-item leaves M-1 reads for the example's profile (İD 40)."""
    from gomruk.rules.checks.profile import _m1_plan

    _, goods, _ = _m1_plan(_env(EXAMPLE).profile)
    return [f"/goods/*/{subpath}" for _, subpath, _ in goods]


@SETTINGS
@given(data=st.data())
def test_mandatory_boxes_answered_by_columns_give_the_walks_findings(data):
    """M-1 walks only the leaves not filled in every item; its findings are those of the walk
    over every leaf, in the same order."""
    from gomruk.rules.checks import profile

    rule = autodiscover()["M-1"]
    env = _env(_spoilt(data, data.draw(st.lists(st.sampled_from(_m1_item_leaves()), max_size=4, unique=True))))
    found = list(rule.check(env))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(profile, "_filled_in_every_item", lambda goods, read: False)
        assert found == list(rule.check(env))


def test_mandatory_boxes_still_name_the_item_that_misses_one():
    document = Declaration.model_validate(example_document("01", "İD", "40", items=3))
    object.__setattr__(document.goods[1], "net_mass", None)
    object.__setattr__(document.goods[2], "procedure_code", "  ")
    found = [(e.box, e.item, e.path) for e in autodiscover()["M-1"].check(_env(document))]
    assert ("38", 2, "/goods/1/net_mass") in found and ("37", 3, "/goods/2/procedure_code") in found
    assert len(_m1_item_leaves()) >= 10
