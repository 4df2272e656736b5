"""Views and API endpoints stay thin (issue 14): they parse, call a selector or service, and
render. A query built in a view is logic the other door (portal or API) does not share, so no
view or API module names a model manager or chains a queryset method."""

from __future__ import annotations

import ast
from pathlib import Path

import gomruk

SRC = Path(gomruk.__file__).parent

#: Queryset methods that build or run a query. ``values`` and ``get`` are left out: dicts
#: have them too, and the AST does not know the receiver's type.
QUERYSET_METHODS = frozenset({
    "filter", "exclude", "order_by", "annotate", "aggregate", "select_related", "prefetch_related",
    "values_list", "select_for_update", "distinct", "only", "defer", "bulk_create", "update_or_create",
    "get_or_create", "in_bulk", "iterator", "exists",
})


def door_modules() -> list[Path]:
    """Every module a request reaches first: portal views, other apps' views, API routers."""
    paths = set(SRC.glob("portal/views/*.py")) | set(SRC.glob("*/views.py"))
    paths |= set(SRC.glob("*/api.py")) | set(SRC.glob("*/*_api.py")) | {SRC / "apiv1.py"}
    return sorted(p for p in paths if p.name != "__init__.py")


def queries_in(path: Path) -> list[str]:
    """``file:line: .method()`` for each manager access or queryset call in ``path``."""
    found = []
    name = path.relative_to(SRC) if path.is_relative_to(SRC) else path.name
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{name}:{node.lineno}: .objects")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERYSET_METHODS:
            found.append(f"{name}:{node.lineno}: .{node.func.attr}()")
    return found


def test_the_scan_sees_the_doors() -> None:
    names = {str(p.relative_to(SRC)) for p in door_modules()}
    assert {"portal/views/officer.py", "portal/views/home.py", "declarations/api.py", "border/views.py"} <= names


def test_the_scan_finds_a_query(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def view(r):\n    return Trader.objects.all(), rows.filter(a=1).order_by('b'), {}.values()\n")
    assert sorted(hit.rsplit(": ", 1)[1] for hit in queries_in(probe)) == [".filter()", ".objects", ".order_by()"]


def test_no_queries_in_views_or_api_modules() -> None:
    found = [hit for path in door_modules() for hit in queries_in(path)]
    assert not found, "queries belong in selectors and services:\n" + "\n".join(found)
