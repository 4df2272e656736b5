"""bench/instructions.py counts what a call runs, the same each time (issue 17: the figure that
does not wander with the machine)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

SCRIPT = """
import json, sys
sys.path.insert(0, {bench!r})
from instructions import Callgrind
counter = Callgrind.here()
if counter is None:
    Callgrind.reexec(sys.argv)
def loop(n):
    total = 0
    for i in range(n):
        total += i * i
    return total
for _ in range(3):
    assert counter.count("small", lambda: loop(1_000)) == sum(i * i for i in range(1_000))
    counter.count("large", lambda: loop(100_000))
print(json.dumps(dict(counter.counts)))
"""


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="needs valgrind")
def test_instructions_are_counted_per_call_and_repeat(tmp_path):
    script = tmp_path / "count.py"
    script.write_text(SCRIPT.format(bench=str(BENCH)))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=True)
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    small, large = counts["small"], counts["large"]
    assert len(small) == len(large) == 3
    # A hundred times the loop is about a hundred times the instructions; the same call counts
    # the same each time (within a hair: the interpreter's caches warm on the first run).
    assert 50 < min(large) / max(small) < 200
    assert max(large) - min(large) < 0.02 * min(large)
