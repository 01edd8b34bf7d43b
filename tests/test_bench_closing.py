"""bench/closing.py runs at a tiny size: every step succeeds and every figure comes out (not
asserted: speed is measured, not tested)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STEPS = ["lock_ready", "publish", "print", "audit", "verify"]
FIGURES = ["machine", "final", *(f"closing_{s}_s" for s in STEPS), "closing_total_s",
           "printed_sheets", "verified_codes"]


def test_the_closing_bench_closes_a_tiny_final_and_prints_every_figure() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.closing", "--contestants", "6", "--judges", "3",
         "--tracks", "2"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", done.stdout, re.MULTILINE))
    assert [name for name in FIGURES if name not in printed] == []
    assert "problem" not in printed
    assert printed["final"].startswith("6 contestants x 3 judges = 18 sheets in 2 ranking(s)")
    assert re.fullmatch(r"\d+\.\d\d \(\d+%\)", printed["closing_verify_s"])
    sheets = int(printed["printed_sheets"])
    assert sheets > 6  # a sheet per contestant, per judge, per ranking, and more
    assert printed["verified_codes"] == f"{sheets} of {sheets}"
