"""Finding the rules: the rules app's own modules plus ``gomruk.<app>.rules`` of every installed
gomruk app (e.g. ``gomruk.duties.rules``)."""

from __future__ import annotations

import importlib
import importlib.util
import threading

from gomruk.rules.base import REGISTRY, Rule

OWN_MODULES = (
    "gomruk.rules.checks.profile",
    "gomruk.rules.checks.header",
    "gomruk.rules.checks.goods",
    "gomruk.rules.checks.cross",
    "gomruk.rules.checks.special",
)

_lock = threading.Lock()
_done = False


def _app_rule_modules() -> list[str]:
    try:
        from django.apps import apps

        names = [cfg.name for cfg in apps.get_app_configs()] if apps.ready else []
    except Exception:  # Django not configured: the rules app's own modules only
        names = []
    modules = []
    for name in names:
        if not name.startswith("gomruk.") or name == "gomruk.rules":
            continue
        module = f"{name}.rules"
        if importlib.util.find_spec(module) is not None:
            modules.append(module)
    return modules


def autodiscover() -> dict[str, Rule]:
    global _done
    if not _done:
        with _lock:
            if not _done:
                for module in (*OWN_MODULES, *_app_rule_modules()):
                    importlib.import_module(module)
                _done = True
    return REGISTRY


def all_rules() -> list[Rule]:
    return list(autodiscover().values())
