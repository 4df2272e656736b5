"""One error catalogue per app (issue 14 item 4): every GomrukError is built from its app's
``errors.ERRORS`` table, whose codes all have an Azerbaijani and an English message, and one
helper (``gomruk.core.i18n``) picks the language. A failure names the file and line."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gomruk.core.errors import CATALOGUES, Catalogue

SRC = Path(__file__).resolve().parents[2] / "src" / "gomruk"
CODE = re.compile(r"^[a-z][a-z0-9_]*(#[a-z0-9_]+)?$")


def _modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or "management" in path.parts:
            continue
        module = "gomruk." + ".".join(path.relative_to(SRC).with_suffix("").parts)
        yield module.removesuffix(".__init__"), path, ast.parse(path.read_text(encoding="utf-8"))


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(SRC)}:{getattr(node, 'lineno', 0)}"


def _catalogue_of_call(namespace: dict[str, Any], call: ast.Call) -> Catalogue | None:
    """The catalogue a call with a literal code reads: ``ERRORS.error("x")`` (also ``fields``,
    ``texts``) or a helper whose first parameter is ``code`` in a module with a catalogue
    (``signature_error("x")``, ``request_error("x")``)."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in {"error", "fields", "texts"} and isinstance(func.value, ast.Name):
        found = namespace.get(func.value.id)
        return found if isinstance(found, Catalogue) else None
    if isinstance(func, ast.Name) and inspect.isfunction(namespace.get(func.id)):
        helper = namespace[func.id]
        try:
            first = next(iter(inspect.signature(helper).parameters), None)
        except (TypeError, ValueError):
            return None
        owner = importlib.import_module(helper.__module__)
        catalogue = getattr(owner, "ERRORS", None)
        if first == "code" and isinstance(catalogue, Catalogue):
            return catalogue
    return None


def _all_catalogues() -> dict[str, Catalogue]:
    for module, path, _ in _modules():
        if path.name == "errors.py":
            importlib.import_module(module)
    return CATALOGUES


def test_no_error_is_written_inline():
    """GomrukError is only built by core.errors (Catalogue.error / .fields)."""
    found = [
        _where(path, node)
        for module, path, tree in _modules()
        if module != "gomruk.core.errors"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "GomrukError"
        or isinstance(node, ast.keyword) and node.arg in {"message_az", "message_en"}
        and isinstance(node.value, (ast.Constant, ast.JoinedStr))
    ]
    assert not found, f"put the code and its messages in the app's errors.ERRORS: {found}"


def test_every_code_raised_is_in_its_catalogue():
    missing, checked = [], 0
    for module, path, tree in _modules():
        text = path.read_text(encoding="utf-8")
        if "error(" not in text and "fields(" not in text and "_refuse(" not in text:
            continue
        namespace = vars(importlib.import_module(module))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            catalogue = _catalogue_of_call(namespace, node)
            if catalogue is None:
                continue
            checked += 1
            if node.args[0].value not in catalogue:
                missing.append(f"{_where(path, node)} {node.args[0].value!r} not in {catalogue.app}")
    assert checked > 100, f"the scan found only {checked} catalogued calls: is it still looking?"
    assert not missing, missing


def test_every_app_that_raises_has_one_catalogue():
    """An app raising with a catalogue's codes raises with its own, or with the catalogue of
    the service it stands in front of (the portal's risk pages with risk's)."""
    catalogues = _all_catalogues()
    raising: dict[str, set[str]] = {}
    for module, path, tree in _modules():
        if "ERRORS.error(" not in path.read_text(encoding="utf-8") and "ERRORS.fields(" not in path.read_text(encoding="utf-8"):
            continue
        namespace = vars(importlib.import_module(module))
        used = raising.setdefault(path.relative_to(SRC).parts[0], set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                catalogue = _catalogue_of_call(namespace, node)
                if catalogue is not None:
                    used.add(catalogue.app)
    strays = {app: used for app, used in raising.items() if not used}
    assert not strays, f"ERRORS calls that resolve to no catalogue: {strays}"
    assert all(app in catalogues for used in raising.values() for app in used)
    assert {app for app, used in raising.items() if app in used} >= set(catalogues) - {"core"}, sorted(
        set(catalogues) - {app for app, used in raising.items() if app in used}
    )


def _fields(template: str) -> set[str]:
    return {n.removesuffix("_az").removesuffix("_en") for _, n, _, _ in string.Formatter().parse(template) if n}


def test_every_code_has_az_and_en_with_the_same_fields():
    wrong = [
        f"{catalogue.app}:{code}"
        for catalogue in _all_catalogues().values()
        for code, (az, en) in catalogue.items()
        if not CODE.match(code) or not az.strip() or not en.strip() or _fields(az) != _fields(en) or az == en != "{reason}"
    ]
    assert not wrong, f"codes without both messages, or whose fields differ: {wrong}"


def test_every_catalogued_code_is_raised_somewhere():
    used = {
        node.value
        for _, path, tree in _modules()
        if path.name != "errors.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    unused = [
        f"{catalogue.app}:{code}"
        for catalogue in _all_catalogues().values()
        for code in catalogue
        # NotFound and PermissionDenied (core) name their code themselves; http_<status> is
        # picked by the status a view answered with.
        if code not in used and code not in {"not_found", "forbidden"} and not code.startswith("http_")
    ]
    assert not unused, f"catalogued but never raised (remove, or raise it): {unused}"


def test_variants_keep_the_code_clients_see():
    from gomruk.declarations.errors import ERRORS

    error = ERRORS.error("not_editable#attachments", status=409)
    assert error.code == "not_editable" and "fayl" in error.message_az


def test_bilingual_values_fill_each_language():
    from gomruk.core.errors import Bilingual
    from gomruk.declarations.errors import ERRORS

    error = ERRORS.error("not_editable", status=409, state=Bilingual("qaralama", "draft"))
    assert error.message_az == "Bəyannaməni «qaralama» mərhələsində dəyişmək olmaz."
    assert error.message_en == "The declaration cannot be changed while it is 'draft'."


def test_a_catalogue_refuses_an_unknown_code():
    from gomruk.api.errors import ERRORS

    with pytest.raises(KeyError):
        ERRORS.error("no_such_code")


def test_one_helper_picks_the_language():
    found = [
        _where(path, node)
        for module, path, tree in _modules()
        if module != "gomruk.core.i18n"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "startswith"
        and node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value == "en"
    ]
    assert not found, f"use gomruk.core.i18n (language, is_english, pick): {found}"


def test_i18n_picks_english_only_for_english():
    from django.utils import translation

    from gomruk.core.i18n import is_english, language, pick

    assert language("en-GB") == "en" and language("az") == "az" and language("de") == "az"
    with translation.override("en"):
        assert is_english() and pick("az", "en") == "en"
    with translation.override("az"):
        assert not is_english() and pick("az", "en") == "az"
