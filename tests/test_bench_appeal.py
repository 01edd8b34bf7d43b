"""bench/appeal.py runs at a tiny size: both ways publish the same version 2 and every figure
comes out (not asserted: speed is measured, not tested)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIGURES = ["machine", "final", "before", "now", "appeal_commands", "appeal_seconds",
           "appeal_seconds_before", "appeal_seconds_over_before", "sheets_printed"]


def test_the_appeal_bench_runs_both_ways_on_a_tiny_final_and_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.appeal", "--contestants", "6", "--judges", "3",
         "--tracks", "2"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", done.stdout, re.MULTILINE))
    assert [name for name in FIGURES if name not in printed] == []
    assert printed["appeal_commands"] == "6 + 3 committee votes (before: 10)"
    assert printed["now"].split(", ")[-1].startswith("print ")
    assert re.fullmatch(r"\d+\.\d\dx", printed["appeal_seconds_over_before"])
    reprinted, whole = map(int, re.findall(r"\d+", printed["sheets_printed"]))
    assert 0 < reprinted < whole
