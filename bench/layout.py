"""The layout figures of issue 14: app-level import cycles, function-level imports of another
app, the largest module and function (lines). Not a timing benchmark: counts from the source.

    .venv/bin/python bench/layout.py [-v]

An app is the second dotted name (``gomruk.<app>``; top-level modules count as their own);
migrations are left out. Cycles are the strongly connected groups of the app graph (grimp).
A function-level import is an ``import``/``from … import`` inside a function or lambda whose
target is another app.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

SRC = Path(__file__).resolve().parents[1] / "src" / "gomruk"


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def sources() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if "migrations" not in p.parts]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_graph() -> dict[str, set[str]]:
    graph = grimp.build_graph("gomruk", include_external_packages=False)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if ".migrations" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if ".migrations" not in imported and app_of(module) != app_of(imported):
                edges.setdefault(app_of(module), set()).add(app_of(imported))
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one app."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def function_level_imports() -> list[tuple[str, str]]:
    found = []
    for path in sources():
        own = module_name(path)
        package = own if path.name == "__init__.py" else own.rsplit(".", 1)[0]

        def walk(node: ast.AST, inside: bool, own: str = own, package: str = package, path: Path = path) -> None:
            for child in ast.iter_child_nodes(node):
                if inside and isinstance(child, ast.Import | ast.ImportFrom):
                    if isinstance(child, ast.Import):
                        targets = [alias.name for alias in child.names]
                    else:
                        base = child.module or ""
                        if child.level:
                            parts = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                            base = ".".join(parts + ([base] if base else []))
                        targets = [base]
                    for target in targets:
                        if target.startswith("gomruk.") and app_of(target) != app_of(own):
                            found.append((f"{path.relative_to(SRC.parent)}:{child.lineno}", target))
                walk(child, inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

        walk(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def main() -> None:
    verbose = "-v" in sys.argv
    edges = app_graph()
    if verbose:
        for app in sorted(edges):
            print(f"  {app} -> {', '.join(sorted(edges[app]))}")
    mutual = sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, set())})
    print(f"app pairs importing each other: {len(mutual)} {mutual}")
    print(f"app-level cycles (strongly connected groups): {cycles(edges)}")
    imports = function_level_imports()
    print(f"function-level imports of another app: {len(imports)}")
    if verbose:
        for where, target in imports:
            print(f"  {where} {target}")
    modules = sorted(((len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(SRC.parent))) for p in sources()), reverse=True)
    print(f"largest module: {modules[0][1]} ({modules[0][0]} lines)")
    functions = []
    for path in sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions.append((node.end_lineno - node.lineno + 1, f"{path.relative_to(SRC.parent)}:{node.lineno} {node.name}"))
    length, where = max(functions)
    print(f"largest function: {where} ({length} lines)")


if __name__ == "__main__":
    main()
