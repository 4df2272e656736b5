"""The in-process audit sealer of deferred mode (ADR 0004).

One daemon thread per process, started on the first wake-up (so after a server forks its
workers, each has its own). A commit that wrote audit entries wakes it; it waits a moment so
one batch collects the entries of many requests, then seals. It also sweeps every few seconds,
so entries whose process died before sealing them are sealed by another.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

log = logging.getLogger("gomruk.audit")


class Sealer:
    def __init__(self) -> None:
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()  # nothing woke it yet, so nothing is waiting for it
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def wake(self) -> None:
        self._ensure_running()
        self._idle.clear()
        self._wake.set()

    def wait_idle(self, timeout: float) -> bool:
        """For tests and shutdown: wait until the sealer has nothing left from its wake-ups."""
        return self._idle.wait(timeout)

    def _ensure_running(self) -> None:
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        with self._start_lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            if self._pid != os.getpid():
                atexit.register(self._flush)  # a worker that stops cleanly leaves nothing pending
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="gomruk-audit-sealer", daemon=True)
            self._thread.start()

    def _flush(self) -> None:
        from gomruk.core.audit import audit_seal, sealing_mode

        if sealing_mode() != "deferred" or self._idle.is_set():
            return  # nothing this process committed is waiting for its sealer
        try:
            audit_seal()
        except Exception:  # exiting anyway: the next sealer or `gomruk audit seal` takes them
            log.exception("audit entries left pending at exit")

    def _run(self) -> None:
        from gomruk.core.audit import audit_seal, sealing_mode

        gather = float(getattr(settings, "GOMRUK_AUDIT_SEAL_GATHER", 0.02))
        sweep = float(getattr(settings, "GOMRUK_AUDIT_SEAL_SWEEP", 5.0))
        while True:
            woken = self._wake.wait(timeout=sweep)
            if woken and gather:
                time.sleep(gather)  # commits that wake us meanwhile join this batch
            self._wake.clear()  # a commit after this point wakes us again
            if not woken and sealing_mode() != "deferred":
                continue  # sweeps belong to deferred mode only
            try:
                close_old_connections()
                audit_seal()
            except Exception:  # the next wake-up or sweep retries; nothing is lost
                log.exception("audit sealing failed; entries stay pending until the next attempt")
                connection.close()
                continue  # not idle: what woke us is still owed
            if not self._wake.is_set():
                connection.close()  # idle: hold no connection (busy bursts keep theirs)
                self._idle.set()


sealer = Sealer()
