"""The task worker that ``gomruk serve`` (and so ``gomruk demo``) starts beside the web server,
so the one-command set-up runs background work too. A deployment with its own ``gomruk worker``
processes sets GOMRUK_SERVE_WORKER=0.

The worker is a child process (``gomruk worker``), not a thread of the server: it is stopped
when the server exits, and on Linux it is also told to stop if the server dies without exiting.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys

from django.conf import settings

_PR_SET_PDEATHSIG = 1


def worker_alongside() -> subprocess.Popen[bytes] | None:
    """Start ``gomruk worker`` as a child of this process, unless GOMRUK_SERVE_WORKER=0."""
    if not settings.GOMRUK_SERVE_WORKER:
        return None
    child = subprocess.Popen(
        [sys.executable, "-m", "gomruk", "worker", "--no-startup-delay", "--no-reload", "--verbosity", "0"],
        preexec_fn=_stop_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509 - no threads yet
    )
    atexit.register(_stop, child, os.getpid())
    return child


def _stop_with_parent() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop(child: subprocess.Popen[bytes], parent: int) -> None:
    if os.getpid() != parent or child.poll() is not None:
        return  # a forked web worker inherited this hook: the worker is not its child
    child.terminate()  # the worker finishes the task it is running, then exits
    try:
        child.wait(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
