"""The venue's oldest laptop (issue 25): one CPU at half speed, made with a cgroup.

A bench given `--old-laptop` confines the process that plays the laptop under test (the
master, the console or the terminal) to one CPU of the machine (a one-CPU cpuset) with a CPU
quota of half that CPU (50 ms of every 100 ms): cgroup v2 `cpu.max` + `cpuset.cpus` where the
kernel offers them, else v1 `cpu.cfs_quota_us` + `cpuset.cpus`. The load the bench makes
(other judges' laptops, viewers' phones) stays unconfined, as those are other machines.
The bench sets the cgroup up itself and removes it at the end; where it cannot be made (no
root, no cpu or cpuset controller) it says so, prints no figures and exits 0.

Under the profile each bench prints its usual key lines with `old_laptop_` in front
(`old_laptop_pack_s: 3.1 (target < 10 s) PASS`) and its old-laptop targets.

    .venv/bin/python -m bench.old_laptop          # what `make bench-old-laptop` runs

runs every bench once as usual and once on the profile, one after the other.
"""
# ruff: noqa: E402  (imports follow the sys.path fix below)

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
if any(Path(p or ".").resolve() == _HERE for p in sys.path):
    sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path
                                          if Path(p or ".").resolve() != _HERE]

import argparse
import contextlib
import os
import subprocess
import time
from collections.abc import Sequence
from types import TracebackType

ROOT = Path("/sys/fs/cgroup")
NAME = "finals-kiosk-old-laptop"
PERIOD_US = 100_000
QUOTA_US = 50_000
PROFILE = "one CPU at half speed (cpuset of 1 CPU, CPU quota 50 ms per 100 ms)"
PREFIX = "old_laptop_"


class Unavailable(Exception):
    """The cgroup could not be made here; the message says why."""


def _first_cpu(spec: str) -> str:
    return spec.strip().split(",")[0].split("-")[0]


class OldLaptop:
    """A cgroup of one CPU at half speed; processes are put in it with `confine`.

    Used as a context manager: made on entry, emptied (its processes moved back to the
    root) and removed on exit."""

    def __init__(self) -> None:
        self.version = 0
        self.dirs: list[Path] = []
        self.cpu = ""

    def __enter__(self) -> OldLaptop:
        if os.geteuid() != 0:
            raise Unavailable("not root: cgroups cannot be made")
        v2 = ROOT / "cgroup.controllers"
        if v2.exists() and {"cpu", "cpuset"} <= set(v2.read_text().split()):
            self._make_v2()
        elif (ROOT / "cpu" / "cpu.cfs_quota_us").exists() and (ROOT / "cpuset").is_dir():
            self._make_v1()
        else:
            raise Unavailable("no cgroup v2 cpu+cpuset controllers and no cgroup v1 cpu and "
                              "cpuset hierarchies under /sys/fs/cgroup")
        return self

    def _make_v2(self) -> None:
        try:
            (ROOT / "cgroup.subtree_control").write_text("+cpu +cpuset")
            group = ROOT / NAME
            group.mkdir(exist_ok=True)
            self.dirs = [group]
            self.cpu = _first_cpu((ROOT / "cpuset.cpus.effective").read_text())
            (group / "cpuset.cpus").write_text(self.cpu)
            (group / "cpu.max").write_text(f"{QUOTA_US} {PERIOD_US}")
        except OSError as exc:
            self._remove()
            raise Unavailable(f"cgroup v2: {exc}") from exc
        self.version = 2

    def _make_v1(self) -> None:
        try:
            cpu, cpuset = ROOT / "cpu" / NAME, ROOT / "cpuset" / NAME
            cpu.mkdir(exist_ok=True)
            cpuset.mkdir(exist_ok=True)
            self.dirs = [cpu, cpuset]
            (cpu / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (cpu / "cpu.cfs_quota_us").write_text(str(QUOTA_US))
            self.cpu = _first_cpu((ROOT / "cpuset" / "cpuset.effective_cpus").read_text())
            (cpuset / "cpuset.cpus").write_text(self.cpu)
            (cpuset / "cpuset.mems").write_text(
                (ROOT / "cpuset" / "cpuset.effective_mems").read_text().strip())
        except OSError as exc:
            self._remove()
            raise Unavailable(f"cgroup v1: {exc}") from exc
        self.version = 1

    def confine(self, pid: int) -> None:
        """Move process `pid` (all its threads, and the children it starts later) in."""
        for group in self.dirs:
            (group / "cgroup.procs").write_text(str(pid))

    def release(self, pid: int) -> None:
        """Move process `pid` back out, to the root of each hierarchy."""
        for group in self.dirs:
            with contextlib.suppress(OSError):  # it has ended
                (group.parent / "cgroup.procs").write_text(str(pid))

    def describe(self) -> str:
        return f"{PROFILE}, CPU {self.cpu}, cgroup v{self.version}"

    def _remove(self) -> None:
        for group in self.dirs:
            if not group.exists():
                continue
            for line in (group / "cgroup.procs").read_text().split():
                self.release(int(line))
            for _ in range(50):  # a moved process can take a moment to leave
                try:
                    group.rmdir()
                    break
                except OSError:
                    time.sleep(0.02)
        self.dirs = []

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._remove()


def add_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """The `--old-laptop` option of a bench; `what` names the process it confines."""
    parser.add_argument("--old-laptop", action="store_true",
                        help=f"confine {what} to {PROFILE} (needs root; issue 25)")


def open_or_exit(wanted: bool) -> OldLaptop | None:
    """The profile if `wanted`, or None; where it cannot be made, say why and exit 0."""
    if not wanted:
        return None
    laptop = OldLaptop()
    try:
        laptop.__enter__()
    except Unavailable as exc:
        print(f"old_laptop: unavailable ({exc}); no figures")
        raise SystemExit(0) from None
    print(f"old_laptop: {laptop.describe()}")
    return laptop


def key(name: str, laptop: OldLaptop | None) -> str:
    """`name`, or `old_laptop_name` under the profile."""
    return PREFIX + name if laptop is not None else name


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


BENCHES: list[tuple[str, list[str]]] = [
    ("bench.tabulate", []),
    ("bench.sync", []),
    ("bench.enrol", []),
    ("bench.printouts", []),
    ("bench.terminal", []),
    ("bench.console", []),
    ("bench.console", ["--tracks", "3", "--contestants", "100", "--judges", "15",
                       "--revisions", "0.1"]),
    ("bench.screen", []),
    ("bench.panel_report", []),
    ("bench.closing", []),
    ("bench.appeal", []),
]
"""What `make bench-old-laptop` runs, each once as usual and once with `--old-laptop`."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", action="append", default=[],
                        help="run only these benches (module names, repeatable)")
    args = parser.parse_args(argv)
    try:
        with OldLaptop() as laptop:
            print(f"old_laptop: {laptop.describe()}", flush=True)
    except Unavailable as exc:
        print(f"old_laptop: unavailable ({exc}); no figures")
        return 0
    for module, extra in BENCHES:
        if args.only and module not in args.only:
            continue
        for flags in ([], ["--old-laptop"]):
            command = [sys.executable, "-m", module, *extra, *flags]
            print(f"\n== {' '.join(['python -m', module, *extra, *flags])}", flush=True)
            subprocess.run(command, cwd=_HERE.parent, check=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
