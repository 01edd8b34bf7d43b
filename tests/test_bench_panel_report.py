"""bench/panel_report.py runs at a tiny size and prints every figure (not asserted: speed is
measured, not tested)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIGURES = ["tabulate_s", "panel_report_s", "panel_report_over_tabulate", "judge_profiles",
           "fragile_results"]


def test_the_panel_report_bench_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.panel_report", "--contestants", "12", "--judges", "4",
         "--repeat", "1"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", done.stdout, re.MULTILINE))
    assert [name for name in FIGURES if name not in printed] == []
    assert int(printed["judge_profiles"]) >= 4  # each judge, in each ranking they scored
