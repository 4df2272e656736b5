"""The ``gomruk`` console script.

Every sub-command is a Django management command (``demo``, ``init``, ``serve``,
``validate``, ``print``, ``rates``, ``tariff``, ``audit``, ``sign`` …), so the CLI and
``manage.py`` are one and the same and each command lives in the app that owns it.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gomruk.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["gomruk", *args])
    return 0
