"""Issue 14's closing measures of the code's shape, from the source alone (no database).

    .venv/bin/python bench/structure.py

* app-level import cycles: groups of apps (``gomruk.<app>``) that import each other in a ring,
  from grimp's module graph (the import contract, tests/foundation/test_layers.py, forbids them);
* function-level imports across apps (the same count test_layers.py keeps at the explained ones);
* the largest module and the largest function, in lines, outside migrations.

Duplicated code is measured by the library's ``duplicates`` over a copy of src/gomruk without
rules/ and migrations/ (see the closing note for the command).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "gomruk"
sys.path.insert(0, str(ROOT))

from tests.foundation.test_layers import _function_level_imports  # noqa: E402


def _app(module: str) -> str:
    return ".".join(module.split(".")[:2])


def app_cycles() -> list[list[str]]:
    """Strongly connected groups of more than one app (Tarjan, iterative over a small graph)."""
    graph = grimp.build_graph("gomruk", include_external_packages=False)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        edges.setdefault(_app(module), set())
        for imported in graph.find_modules_directly_imported_by(module):
            if _app(imported) != _app(module):
                edges[_app(module)].add(_app(imported))
    reach = {app: _reachable(app, edges) for app in edges}
    groups = {frozenset({a} | {b for b in reach[a] if a in reach[b]}) for a in edges}
    return sorted(sorted(g) for g in groups if len(g) > 1)


def _reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        app = todo.pop()
        if app not in seen:
            seen.add(app)
            todo.extend(edges.get(app, ()))
    return seen


def largest() -> tuple[tuple[int, str], tuple[int, str]]:
    module, function = (0, ""), (0, "")
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        module = max(module, (len(text.splitlines()), name))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno:
                function = max(function, (node.end_lineno - node.lineno + 1, f"{name}:{node.lineno} {node.name}"))
    return module, function


def main() -> None:
    cycles = app_cycles()
    print(f"app-level import cycles: {len(cycles)} {cycles if cycles else ''}".rstrip())
    print(f"function-level imports across apps: {len(_function_level_imports())}")
    module, function = largest()
    print(f"largest module: {module[1]} ({module[0]} lines)")
    print(f"largest function: {function[1]} ({function[0]} lines)")


if __name__ == "__main__":
    main()
