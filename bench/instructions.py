"""Instructions counted by valgrind's callgrind, for benches on a machine whose times wander.

On two shared cores the same in-process journey took 63 ms of CPU at one hour and 117 ms an
hour later; an A/B of two checkouts run side by side could still disagree on the sign of a 5 %
change. callgrind counts the instructions a piece of code runs, which is the same for the same
code, inputs and environment whatever else the machine is doing. It runs the process about 50
times slower, so only the measured calls are instrumented: the process starts with
instrumentation off, and ``count`` switches it on around one call and dumps the count
(``callgrind_control``).

    counter = Callgrind.here()          # None unless this process runs under callgrind
    Callgrind.reexec(sys.argv)          # run this script again under callgrind (does not return)
    response = counter.count("create", call)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

UNDER = "GOMRUK_BENCH_CALLGRIND"  # the directory the dumps go to; set when running under it


class Callgrind:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.pid = str(os.getpid())
        self.read: set[str] = set()
        self.counts: dict[str, list[int]] = defaultdict(list)
        # Switching on and off and dumping cost instructions of their own (a subprocess is
        # spawned while counting): measured around nothing and taken off every count.
        self.overhead = 0
        self.overhead = min(self._counted(lambda: None)[1] for _ in range(3))

    @staticmethod
    def reexec(argv: Sequence[str]) -> NoReturn:
        if shutil.which("valgrind") is None:
            raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
        directory = tempfile.mkdtemp(prefix="gomruk-callgrind-")
        os.environ[UNDER] = directory
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={directory}/cg.out",
                   sys.executable, *argv]
        os.execvp(command[0], command)

    @classmethod
    def here(cls) -> Callgrind | None:
        directory = os.environ.get(UNDER)
        return cls(Path(directory)) if directory else None

    def _control(self, *options: str) -> None:
        subprocess.run(["callgrind_control", *options, self.pid], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _counted(self, call: Callable[[], Any]) -> tuple[Any, int]:
        self._control("--instr=on")
        try:
            result = call()
        finally:
            self._control("--instr=off")
            self._control("--dump")
        return result, self._newest_total() - self.overhead

    def _newest_total(self) -> int:
        fresh = sorted((p for p in self.directory.glob("cg.out.*") if p.name not in self.read),
                       key=lambda p: int(p.name.rsplit(".", 1)[1]))
        if len(fresh) != 1:
            raise RuntimeError(f"expected one new callgrind dump in {self.directory}, found {len(fresh)}")
        self.read.add(fresh[0].name)
        for line in fresh[0].read_text().splitlines():
            if line.startswith("totals:"):
                return int(line.split()[1])
        raise RuntimeError(f"no totals in {fresh[0]}")

    def count(self, name: str, call: Callable[[], Any]) -> Any:
        result, instructions = self._counted(call)
        self.counts[name].append(instructions)
        return result
