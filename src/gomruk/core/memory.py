"""The cyclic garbage collector of a long-running process: a web worker, the task worker.

Such a process holds a large heap that lives as long as it does (Django, the apps, the
reference snapshots) and makes many short-lived objects per request (a 100-item document is
thousands of models). With CPython's defaults (a young collection every 700 net allocations,
a full one every 100 young ones) the journey of a declaration spent about a sixth of its CPU
collecting, most of it in full collections walking that permanent heap (~150 ms each, a
request stalled meanwhile). So a long-running process:

- collects young objects less often (:data:`THRESHOLD`): garbage without cycles is freed by
  reference counting anyway; the collector only looks for cycles;
- moves what is alive once it has started (and each snapshot once built) out of the
  collector's sight (``gc.freeze()``): still freed by reference counting when dropped, never
  walked again. The price: a reference cycle alive at that moment is never collected, which
  is a few objects once per start or snapshot rebuild.

ADR 0042-garbage-collection-of-long-running-processes. Tests and commands keep the defaults.
"""

from __future__ import annotations

import gc

#: (young, middle, old) thresholds of ``gc.set_threshold`` in a long-running process.
THRESHOLD = (50_000, 20, 10)

_long_lived = False


def long_lived_process(threshold: tuple[int, int, int] = THRESHOLD) -> None:
    """Called once the process has loaded what it serves with (a gunicorn worker after loading
    the application, ``gomruk worker`` before taking tasks)."""
    global _long_lived
    gc.set_threshold(*threshold)
    gc.collect()
    gc.freeze()
    _long_lived = True


def long_lived_built() -> None:
    """Called when a structure kept for the process's life has just been built (a reference,
    tariff or nomenclature snapshot): in a long-running process, moved out of the collector's
    sight with everything else alive now. Elsewhere (tests, commands) nothing happens."""
    if _long_lived:
        gc.freeze()


def is_long_lived() -> bool:
    return _long_lived
