"""bench/enrol.py runs end to end at a tiny size: every figure line comes out and every
terminal was enrolled by the real master. (Its figures are not asserted: speed is measured,
not tested.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

FIGURES = ["machine", "setup", "enrol_p50_ms", "enrol_p99_ms", "hello_p50_ms", "hello_p99_ms",
           "enrol_p50_over_hello_p50", "enrol_p99_over_hello_p99", "terminal_spake2_ms",
           "enrolled_devices"]


def test_the_enrol_bench_enrols_every_terminal_and_prints_every_figure(tmp_path: Path) -> None:
    master, laptops = tmp_path / "master", tmp_path / "laptops"
    master.mkdir()
    laptops.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "bench.enrol", "--terminals", "5", "--judges", "3", "--warmup",
         "1", "--dir", str(master), "--laptop-dir", str(laptops)],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", done.stdout, re.MULTILINE))
    assert [name for name in FIGURES if name not in printed] == []
    # 6 fresh devices, the last three replacing the first three on the panel's 3 seats
    assert printed["enrolled_devices"] == "6 of 6", done.stdout + done.stderr
    assert "problem" not in done.stderr
    assert "a panel of 3 seats, codes issued by `enrol-codes` before each of 2 rounds" \
        in printed["setup"]
    assert float(printed["enrol_p50_ms"]) > 0 and printed["enrol_p99_over_hello_p99"].endswith(
        "x (no target)")
    assert list(master.iterdir()) == list(laptops.iterdir()) == []  # temporary homes gone
