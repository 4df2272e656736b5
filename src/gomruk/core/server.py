"""A production-grade WSGI server for ``gomruk serve`` and ``gomruk demo``."""

from __future__ import annotations

from typing import Any

from django.core.servers.basehttp import get_internal_wsgi_application
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # settings.WSGI_APPLICATION (gomruk.wsgi), named by a setting rather than imported:
        # core sits below every app, the WSGI module above them all.
        return get_internal_wsgi_application()


def serve(host: str, port: int, workers: int) -> None:
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": 4,
            "worker_class": "gthread",
            "accesslog": "-",
            "timeout": 60,
        }
    ).run()
