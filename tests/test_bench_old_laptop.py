"""The old-laptop profile (bench/old_laptop.py): a confined process really gets one CPU and
half of it, the cgroup is gone afterwards, and every bench run with `--old-laptop` at a tiny
size prints its `old_laptop_` figures (or, where cgroups cannot be made, says so and exits 0).
Figures are not asserted: speed is measured, not tested."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.old_laptop import NAME, PERIOD_US, QUOTA_US, OldLaptop, Unavailable

REPO = Path(__file__).resolve().parents[1]


def test_a_confined_process_runs_on_one_cpu_at_half_speed() -> None:
    try:
        laptop = OldLaptop().__enter__()
    except Unavailable as exc:
        pytest.skip(f"no cgroups here: {exc}")
    try:
        spin = subprocess.Popen([sys.executable, "-c", "import sys\nsys.stdin.read()"],
                                stdin=subprocess.PIPE)
        laptop.confine(spin.pid)
        assert os.sched_getaffinity(spin.pid) == {int(laptop.cpu)}
        (cpu_group,) = [g for g in laptop.dirs if (g / "cpu.cfs_quota_us").exists()
                        or (g / "cpu.max").exists()]
        if laptop.version == 1:
            assert int((cpu_group / "cpu.cfs_quota_us").read_text()) == QUOTA_US
            assert int((cpu_group / "cpu.cfs_period_us").read_text()) == PERIOD_US
        else:
            assert (cpu_group / "cpu.max").read_text().split() == [str(QUOTA_US), str(PERIOD_US)]
        assert str(spin.pid) in (cpu_group / "cgroup.procs").read_text().split()
    finally:
        laptop.__exit__(None, None, None)
        spin.communicate(b"")
    assert not any(group.exists() for group in laptop.dirs)
    assert len(os.sched_getaffinity(0)) == len(os.sched_getaffinity(os.getpid()))


TINY = {
    "bench.tabulate": (["--contestants", "20", "--judges", "3", "--repeat", "1"],
                       ["tabulate_s", "tabulate_over_parse"]),
    "bench.printouts": (["--contestants", "6", "--judges", "3", "--repeat", "1"],
                        ["pack_s", "pack_over_plain"]),
    "bench.panel_report": (["--contestants", "12", "--judges", "4", "--repeat", "1"],
                           ["panel_report_s", "panel_report_over_tabulate"]),
    "bench.terminal": (["--contestants", "12", "--keys", "4", "--repeat", "1"],
                       ["launch_s", "key_p99_ms", "peak_mb"]),
    "bench.enrol": (["--terminals", "3", "--judges", "3", "--warmup", "1"],
                    ["enrol_p99_ms", "hello_p99_ms"]),
    "bench.sync": (["--terminals", "2", "--sheets-per-terminal", "3", "--interval", "0.05",
                    "--alone-sheets", "4", "--ingest-per-terminal", "3", "--queued", "10",
                    "--raw-rows", "10"],
                   ["submit_to_receipt_p99_ms", "latency_p99_over_durable_echo_p99",
                    "submit_to_receipt_p99_target", "offline_sync_s"]),
}


@pytest.mark.parametrize("module", sorted(TINY))
def test_every_bench_prints_its_old_laptop_figures(module: str) -> None:
    arguments, keys = TINY[module]
    done = subprocess.run([sys.executable, "-m", module, *arguments, "--old-laptop"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", done.stdout, re.MULTILINE))
    if printed["old_laptop"].startswith("unavailable"):
        assert not any(k.startswith("old_laptop_") for k in printed)
        return
    assert [k for k in keys if f"old_laptop_{k}" not in printed] == []
    assert not Path(f"/sys/fs/cgroup/cpu/{NAME}").exists()
    assert not Path(f"/sys/fs/cgroup/{NAME}").exists()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="no chromium")
def test_the_screen_bench_prints_its_old_laptop_figures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.screen", "--reveals", "2", "--viewers", "2", "--judges",
         "2", "--sheets-per-judge", "4", "--interval", "0.1", "--reveal-every", "0.2",
         "--old-laptop"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    if "skipped:" in done.stdout or "unavailable" in done.stdout:
        pytest.skip(done.stdout.strip().splitlines()[-1])
    printed = dict(re.findall(r"^(\w+): (.*)$", done.stdout, re.MULTILINE))
    assert {"old_laptop_reveal_painted_p99_ms", "old_laptop_viewer_update_p99_ms"} <= set(
        printed), done.stdout
