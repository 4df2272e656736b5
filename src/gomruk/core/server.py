"""The HTTP server of ``gomruk serve`` and ``gomruk demo``: gunicorn's ASGI worker.

The gunicorn master keeps ``workers`` processes running (a killed worker is replaced, HUP
reloads them one by one); each worker runs an asyncio event loop that reads requests and their
bodies, and hands a request to one of its request threads only once the body is complete
(``gomruk.asgi``, ``gomruk.edge.gate``). Why this server: docs/adr/0011-http-server.md.
"""

from __future__ import annotations

import resource
import socket
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from gunicorn.app.base import BaseApplication

from gomruk.core import balance
from gomruk.core.memory import long_lived_process
from gomruk.env import env_export, env_is_set

# Connections one worker may hold open at once (sockets are file descriptors).
OPEN_FILES = 65536


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # settings.ASGI_APPLICATION (gomruk.asgi), named by a setting rather than imported:
        # core sits below every app, the ASGI module above them all.
        return import_string(settings.ASGI_APPLICATION)


def public_url(host: str, port: int) -> str:
    """The address the service is reached at when GOMRUK_PUBLIC_URL does not say: the one
    served on (a wildcard bind is named by this machine's name)."""
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 (a name for the wildcard bind, not a bind)
        host = socket.getfqdn()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def follow_public_url(host: str, port: int) -> str:
    """Unless set explicitly, GOMRUK_PUBLIC_URL (the PDF's QR code, links in documents) is where
    this server listens. Set in the settings of this process, which every worker is forked
    from, and in the environment, which processes started from here inherit."""
    if env_is_set("GOMRUK_PUBLIC_URL"):
        return str(settings.GOMRUK_PUBLIC_URL)
    url = public_url(host, port)
    env_export("GOMRUK_PUBLIC_URL", url)
    settings.GOMRUK_PUBLIC_URL = url
    return url


def _raise_open_files_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = OPEN_FILES if hard == resource.RLIM_INFINITY else min(OPEN_FILES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _worker_loaded(worker: Any) -> None:
    """gunicorn's ``post_worker_init``: the application is loaded in this worker."""
    long_lived_process()


def options(host: str, port: int, workers: int) -> dict[str, Any]:
    home = Path(settings.GOMRUK_HOME)
    return {
        "bind": f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}",
        "workers": workers,
        # gunicorn's ASGI worker, taking connections in turn with its siblings (ADR 0047).
        "worker_class": "gomruk.core.balance.BalancedWorker",
        "pre_fork": balance.pre_fork,
        "child_exit": balance.child_exit,
        # Django answers no ASGI lifespan events.
        "asgi_lifespan": "off",
        "accesslog": "-",
        # A worker that stops answering its master's heartbeat for this long is replaced; a
        # request body wait is bounded by it too (the gate's own limit comes first).
        "timeout": 60,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Request line and header limits (gunicorn's defaults, stated): 400/431 beyond them.
        "limit_request_line": 4094,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        # gunicornc's control socket: with the service's data, not in the user's home directory.
        "control_socket": str(home / "gunicorn.ctl"),
        "control_socket_mode": 0o600,
        # The collector tuned for a long-running process (gomruk.core.memory, ADR 0042).
        "post_worker_init": _worker_loaded,
    }


def serve(host: str, port: int, workers: int) -> None:
    follow_public_url(host, port)
    _raise_open_files_limit()
    _Gunicorn(options(host, port, workers)).run()
