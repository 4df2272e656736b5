"""The layers of docs/adr/0005-layers.md hold: no app imports one above it, none of a layer's
independent apps imports another, and no app hides an import inside a function except where
that ADR says why. A failure names the offending import."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "gomruk"

#: Function-level imports of another gomruk package, each explained in the layers ADR.
# (path, imported module) pairs that docs/adr/0005-layers.md explains; none today.
ALLOWED_FUNCTION_LEVEL: set[tuple[str, str]] = set()


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    return list(contract["layers"])


def test_no_import_goes_up_a_layer_or_across_independent_apps():
    lint = Path(sys.executable).with_name("lint-imports")
    assert lint.exists(), "import-linter is not installed: pip install -e '.[test]'"
    result = subprocess.run(
        [str(lint), "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    report = result.stdout + result.stderr
    broken = report[report.find("Broken contracts"):] if "Broken contracts" in report else report
    assert result.returncode == 0, f"an import breaks the layers (docs/adr/0005-layers.md):\n{broken}"


def test_every_top_level_module_has_a_layer():
    listed = {
        name.strip()
        for layer in _layers()
        for name in layer.replace("|", ":").split(":")
    }
    present = {
        f"gomruk.{path.stem if path.is_file() else path.name}"
        for path in SRC.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    missing = sorted(present - listed)
    assert not missing, f"place these in a layer of [tool.importlinter] in pyproject.toml: {missing}"


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _function_level_imports() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        relative = path.relative_to(SRC).as_posix()
        own = _package("gomruk." + relative.replace("/", "."))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    targets = [node.module]
                elif isinstance(node, ast.Import):
                    targets = [alias.name for alias in node.names]
                else:
                    continue
                for target in targets:
                    if target.startswith("gomruk.") and _package(target) != own:
                        found.append((relative, node.lineno, target))
    return found


def test_function_level_imports_of_other_apps_are_the_explained_ones():
    unexplained = [
        f"{path}:{line} imports {target}"
        for path, line, target in _function_level_imports()
        if (path, target) not in ALLOWED_FUNCTION_LEVEL
    ]
    assert not unexplained, (
        "import these at module level, or explain them in docs/adr/0005-layers.md and "
        f"ALLOWED_FUNCTION_LEVEL: {unexplained}"
    )
