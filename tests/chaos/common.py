"""Shared machinery for the chaos suite: the short/long switch, the FIGURE lines and results
files that tools/report.py collects, real master processes, and reading a master's ledger from
outside.

Every scenario prints `FIGURE <scenario>: name=value ...` (one line, on stdout) with its
measured figures; `CHAOS_LONG=1` (set by `make chaos`) selects the long versions.

Results files: with `CHAOS_RESULTS=DIR`, or in a long run (default DIR build/chaos-results),
each test also writes `DIR/<scenario>.<short|long>.json` once it has finished (tests/chaos/
conftest.py): its figures, mode, outcome, duration, date, machine, commit and the command that
reruns it. tools/report.py puts the latest long results next to the short run's in the docs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LONG = os.environ.get("CHAOS_LONG", "") not in ("", "0")
MODE = "long" if LONG else "short"
DEFAULT_RESULTS = REPO / "build" / "chaos-results"
RESULTS: Path | None = (Path(os.environ["CHAOS_RESULTS"]) if os.environ.get("CHAOS_RESULTS")
                        else DEFAULT_RESULTS if LONG else None)
_figures: list[tuple[str, dict[str, str], str]] = []
"""The figures printed by the test that is running: (scenario, values, line)."""
_details: dict[str, dict[str, object]] = {}
_under_test: list[str] = []  # the commit checked out when the running test began


def pick(short: int | float, long: int | float) -> int | float:
    """The short or the long value of a parameter, by CHAOS_LONG."""
    return long if LONG else short


def figure(scenario: str, **values: object) -> str:
    """Print (and return) the parseable figure line of a scenario."""
    shown = " ".join(f"{k}={v}" for k, v in values.items())
    line = f"FIGURE {scenario}: {shown} mode={MODE}"
    print(line, flush=True)
    _figures.append((scenario, {k: str(v) for k, v in values.items()}, line))
    return line


def details(scenario: str, **data: object) -> None:
    """Extra data (series, samples) for the results file of `scenario`, not printed."""
    _details.setdefault(scenario, {}).update(data)


def machine() -> str:
    """Cores, memory, OS and Python of this machine, for the record."""
    mem = "unknown memory"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB memory"
    except OSError:
        pass
    return (f"{os.cpu_count()} cores, {mem}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def _commit() -> str:
    """The checked-out commit (read-only git), `+dirty` with local changes; '' without git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO, text=True,
                              capture_output=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=REPO, text=True, capture_output=True, timeout=10,
                               check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+dirty" if dirty else "")


def begin_test() -> None:
    """Forget the figures of the previous test and note the commit under test, before it runs
    (tests/chaos/conftest.py, at set-up)."""
    _figures.clear()
    _details.clear()
    _under_test[:] = [_commit()] if RESULTS is not None else []


def record_results(nodeid: str, outcome: str, started: float, seconds: float,
                   reason: str = "") -> list[Path]:
    """Write the results file of each scenario the finished test `nodeid` printed a figure
    for (or, if it printed none, one for the test itself); the paths written. Nothing
    without a results directory (see the module's doc)."""
    if RESULTS is None:
        return []
    RESULTS.mkdir(parents=True, exist_ok=True)
    module = Path(nodeid.split("::")[0]).stem.removeprefix("test_")
    printed = list(_figures) or [(module, {}, "")]
    base = {
        "test": nodeid, "mode": MODE, "outcome": outcome, "reason": reason,
        "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(timespec="seconds"),
        "duration_s": round(seconds, 1), "machine": machine(),
        "commit": _under_test[0] if _under_test else _commit(),
        "command": f"{'CHAOS_LONG=1 ' if LONG else ''}.venv/bin/pytest -s -v {nodeid}",
    }
    written = []
    for scenario, values, line in printed:
        path = RESULTS / f"{scenario}.{MODE}.json"
        data = {"scenario": scenario, **base, "figures": values, "line": line,
                "details": _details.get(scenario, {})}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(predicate: Callable[[], bool], seconds: float, what: str,
               step: float = 0.1) -> float:
    """Poll `predicate` until true; the seconds it took. AssertionError after `seconds`."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"timed out after {seconds:g} s waiting for {what}")
        time.sleep(step)
    return time.monotonic() - start


def head_judge(*args: str | Path) -> list[str]:
    return [str(BIN / "head-judge"), *map(str, args)]


def start_master(home: Path, event: Path, port: int, log: Path, host: str = "127.0.0.1",
                 prefix: list[str] | None = None, mdns: bool = False,
                 timeout: float = 30.0) -> subprocess.Popen[bytes]:
    """`head-judge serve --headless` as a real process; returns once it is listening."""
    log.parent.mkdir(parents=True, exist_ok=True)
    mark = log.read_text(errors="replace").count("listening on") if log.exists() else 0
    argv = head_judge("--home", home, "serve", event, "--headless", "--host", host,
                      "--port", str(port), *([] if mdns else ["--no-mdns"]))
    proc = subprocess.Popen([*(prefix or []), *argv], stdout=log.open("ab"),
                            stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + timeout
    while log.read_text(errors="replace").count("listening on") <= mark:
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"master did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    return proc


def issue_code(home: Path, judge: str) -> str:
    """A fresh enrolment code for `judge` (`head-judge enrol-codes --judge`), as typed."""
    return issue_codes(home, judges=[judge])[judge]


def issue_codes(home: Path, event: Path | None = None,
                judges: Sequence[str] = ()) -> dict[str, str]:
    """One enrolment code for every seat of the panel (or for `judges`), in one `enrol-codes`
    run: its rows are `judge<TAB>N<TAB>name<TAB>code[  (note)]`, N the seat."""
    extra: list[str | Path] = ["--event", event] if event else []
    for judge in judges:
        extra += ["--judge", judge]
    out = subprocess.run(head_judge("--home", home, "enrol-codes", *extra),
                         capture_output=True, text=True, check=True, timeout=120).stdout
    codes = {}
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) >= 4 and fields[1].isdigit():
            codes[fields[0]] = fields[-1].split()[0]
    assert codes and set(judges) <= set(codes), out
    return codes


def ledger_rows(home: Path) -> list[tuple[int, str, str, str]]:
    """(seq, kind, actor, payload) of every ledger entry, read-only from outside."""
    db = sqlite3.connect(f"file:{home / 'master.db'}?mode=ro", uri=True, timeout=10)
    try:
        return db.execute("SELECT seq, kind, actor, payload FROM ledger ORDER BY seq").fetchall()
    finally:
        db.close()


def held_sheets(home: Path) -> list[str]:
    """Hashes of the sheets in a master's ledger, in ledger order (once per entry)."""
    return [json.loads(p)["hash"] for _s, kind, _a, p in ledger_rows(home)
            if kind == "sheet_received"]


def kill_all(procs: Sequence[subprocess.Popen[bytes]]) -> None:
    """SIGKILL whichever of `procs` still run (a test's clean-up after a failure)."""
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def stop(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after `timeout`."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
