"""Serve the ceiling with ``gomruk serve``'s server (``gomruk.core.server.serve``)."""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceiling.settings")

import django  # noqa: E402

django.setup()

from ceiling.urls import tables_create  # noqa: E402
from gomruk.core.server import serve  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8117)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tables_create()
    from django.db import connection

    connection.close()  # workers are forked: each opens its own
    serve("127.0.0.1", args.port, args.workers)


if __name__ == "__main__":
    main()
