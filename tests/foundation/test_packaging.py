"""Every data file in the source tree must be shipped by a non-editable install
(``pip install .`` is the README's demo command)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_data_file_matches_a_package_data_pattern():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    missing = []
    for path in (ROOT / "src" / "gomruk").rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        if not any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns):
            missing.append(str(path.relative_to(ROOT)))
    assert not missing, f"not shipped by pip install .: {missing}"
