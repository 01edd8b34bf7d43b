"""bench/sync.py runs end to end at a tiny size: every figure line comes out and every sheet
got its stored receipt. (Its figures are not asserted: speed is measured, not tested.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

FIGURES = [
    "alone_submit_to_receipt_p50_ms", "alone_submit_to_receipt_p99_ms", "alone_echo_p50_ms",
    "alone_echo_p99_ms", "alone_p99_over_echo_p99", "submit_to_receipt_p50_ms",
    "submit_to_receipt_p99_ms", "echo_p99_ms", "latency_p99_over_echo_p99",
    "durable_echo_p50_ms", "durable_echo_p99_ms", "latency_p99_over_durable_echo_p99",
    "burst_submit_to_receipt_p50_ms", "burst_submit_to_receipt_p99_ms", "burst_echo_p99_ms",
    "burst_p99_over_echo_p99", "ingest_sheets_per_s", "raw_verify_commit_per_s",
    "ingest_over_raw", "offline_sync_s", "cpu_alone_s", "cpu_latency_s", "cpu_burst_s",
    "cpu_ingest_s", "cpu_offline_s",
]


def test_the_sync_bench_runs_every_phase_and_loses_no_sheet(tmp_path: Path) -> None:
    master, laptops = tmp_path / "master", tmp_path / "laptops"
    master.mkdir()
    laptops.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "bench.sync", "--terminals", "3", "--sheets-per-terminal", "3",
         "--interval", "0.05", "--alone-sheets", "5", "--ingest-per-terminal", "7",
         "--queued", "30", "--raw-rows", "20", "--dir", str(master),
         "--laptop-dir", str(laptops)],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", done.stdout, re.MULTILINE))
    assert [name for name in FIGURES if name not in printed] == []
    assert "problems" not in printed  # every sheet accepted and receipted
    assert printed["ingest_sheets_per_s"].split()[1:4] == ["(21", "sheets", "from"]
    assert printed["offline_sync_s"].split()[1] == "(30"
    # the other two terminals pushed their sheets for the offline terminal's contestants first
    assert "holding 2 other judges' sheets" in printed["offline_sync_s"]
    assert "3 terminals + 1 offline terminal" in printed["setup"]
    assert f"the terminals' in {laptops}/" in printed["setup"]
    assert "the laptops at niceness +10" in printed["setup"]
    assert list(master.iterdir()) == list(laptops.iterdir()) == []  # temporary homes gone
