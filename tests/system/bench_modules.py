"""A module of ``bench/`` (not a package: its scripts import one another by file name) loaded
for a test under a name of its own."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def bench_module(file_name: str) -> ModuleType:
    name = f"bench_{Path(file_name).stem.lstrip('_')}_under_test"
    spec = importlib.util.spec_from_file_location(name, BENCH / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
