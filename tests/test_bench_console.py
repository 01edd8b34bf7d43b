"""bench/console.py runs a tiny bigger final (tracks, revisions, the big screen watched) and
prints every key figure (not asserted: speed is measured, not tested)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIGURES = ["sheets", "revisions", "screen", "console_p99_ms", "master_rss_mb",
           "terminal_rss_mb"]


def test_the_console_bench_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.console", "--tracks", "2", "--contestants", "3",
         "--judges", "2", "--revisions", "0.5"],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", done.stdout, re.MULTILINE))
    assert [name for name in FIGURES if name not in printed] == []
    assert printed["sheets"] == "12"  # 2 tracks x 3 contestants x 2 judges
    assert int(printed["revisions"]) > 0
    assert printed["screen"].startswith("present")
    assert float(printed["master_rss_mb"].split()[0]) > 0
    assert float(printed["terminal_rss_mb"].split()[0]) > 0
    assert "latency arrival->matrix p99:" in done.stdout  # the issue 7 lines are kept


def test_the_console_bench_refuses_a_fraction_out_of_range() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.console", "--revisions", "2"],
        cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--revisions" in done.stderr
