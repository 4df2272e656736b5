"""Settings are read once: every default is written in gomruk/settings.py (from the
environment through gomruk/env.py), code asks ``settings.X`` plainly, and one flag says
production (issue 14, item 6). A failure names the file and line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "gomruk"
#: Modules that may touch the environment: the settings themselves and their helpers.
ENVIRONMENT_READERS = {"env.py", "settings.py", "settings_test.py"}
#: Entry points name the settings module before Django starts, as Django's own templates do.
ENTRY_POINTS = {"cli.py", "asgi.py", "wsgi.py", "__main__.py"}


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(SRC)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(SRC.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _is_settings_getattr_with_default(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) == 3
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == "settings"
    )


def _environment_access(node: ast.AST) -> bool:
    """``os.environ`` or ``os.getenv`` (named through the os module)."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in {"environ", "getenv", "putenv", "unsetenv"}
    )


def _settings_module_named(node: ast.AST) -> bool:
    """``os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`` in an entry point."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "setdefault"
        and _environment_access(node.func.value)
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "DJANGO_SETTINGS_MODULE"
    )


def test_no_setting_is_read_with_a_second_default():
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        for node in ast.walk(tree)
        if _is_settings_getattr_with_default(node)
    ]
    assert not found, f"define the default once in settings.py and read settings.X: {found}"


def test_only_the_settings_read_the_environment():
    found = []
    for name, tree in _modules():
        if Path(name).name in ENVIRONMENT_READERS and "/" not in name:
            continue
        allowed = {
            id(call.func.value)
            for call in ast.walk(tree)
            if Path(name).name in ENTRY_POINTS and _settings_module_named(call)
        }
        found += [f"{name}:{node.lineno}" for node in ast.walk(tree) if _environment_access(node) and id(node) not in allowed]
    assert not found, f"read the environment in settings.py (through gomruk.env), not here: {found}"


def test_production_is_one_flag_not_a_string_comparison():
    found = [
        f"{name}:{node.lineno}"
        for name, tree in _modules()
        if name not in ENVIRONMENT_READERS
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value == "production"
    ]
    assert not found, f"ask settings.GOMRUK_PRODUCTION instead of comparing GOMRUK_ENV: {found}"


def test_the_checks_catch_what_they_forbid():
    bad = ast.parse(
        'x = getattr(settings, "GOMRUK_X", 3)\ny = os.environ.get("A")\nz = os.getenv("B")\n'
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings")\n'
    )
    assert sum(_is_settings_getattr_with_default(n) for n in ast.walk(bad)) == 1
    assert sum(_environment_access(n) for n in ast.walk(bad)) == 3
    assert sum(_settings_module_named(n) for n in ast.walk(bad)) == 1


def test_every_default_the_code_reads_is_defined_in_settings():
    from django.conf import settings

    read = {
        node.attr
        for _, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "settings"
        and node.attr.startswith("GOMRUK_")
    }
    missing = sorted(name for name in read if not hasattr(settings, name))
    assert not missing, f"settings.py defines no default for: {missing}"


@pytest.mark.parametrize("production", [False, True])
def test_production_flag_follows_gomruk_env(production, tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GOMRUK_ENV", "SECRET_KEY")}
    env.update(GOMRUK_HOME=str(tmp_path), DJANGO_SETTINGS_MODULE="gomruk.settings")
    if production:
        env.update(
            GOMRUK_ENV="production", SECRET_KEY="x" * 50, GOMRUK_AUDIT_KEY="k" * 40,
            GOMRUK_AUDIT_SIGNING_KEY="A" * 43 + "=", ALLOWED_HOSTS="gomruk.example.az",
        )
    code = "from django.conf import settings; print(settings.GOMRUK_PRODUCTION, settings.GOMRUK_ASAN_SIMULATOR)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ([str(production), str(not production)])


def test_public_url_follows_the_served_port_unless_set(monkeypatch, settings):
    from gomruk.core.server import follow_public_url

    # Set first, so the variable follow_public_url exports is removed again after the test.
    monkeypatch.setenv("GOMRUK_PUBLIC_URL", "unset")
    monkeypatch.delenv("GOMRUK_PUBLIC_URL")
    assert follow_public_url("127.0.0.1", 8102) == "http://127.0.0.1:8102"
    assert settings.GOMRUK_PUBLIC_URL == "http://127.0.0.1:8102"
    monkeypatch.setenv("GOMRUK_PUBLIC_URL", "https://gomruk.example.az")
    settings.GOMRUK_PUBLIC_URL = "https://gomruk.example.az"
    assert follow_public_url("127.0.0.1", 8103) == "https://gomruk.example.az"


def test_readme_documents_the_public_url():
    readme = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`GOMRUK_PUBLIC_URL`" in readme and "gomruk serve" in readme
