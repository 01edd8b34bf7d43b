"""Shared machinery for the chaos suite: the short/long switch, the FIGURE lines that
tools/report.py collects, real master processes, and reading a master's ledger from outside.

Every scenario prints `FIGURE <scenario>: name=value ...` (one line, on stdout) with its
measured figures; `CHAOS_LONG=1` (set by `make chaos`) selects the long versions.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LONG = os.environ.get("CHAOS_LONG", "") not in ("", "0")


def pick(short: int | float, long: int | float) -> int | float:
    """The short or the long value of a parameter, by CHAOS_LONG."""
    return long if LONG else short


def figure(scenario: str, **values: object) -> str:
    """Print (and return) the parseable figure line of a scenario."""
    shown = " ".join(f"{k}={v}" for k, v in values.items())
    line = f"FIGURE {scenario}: {shown} mode={'long' if LONG else 'short'}"
    print(line, flush=True)
    return line


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
                      "--port", port, *([] if mdns else ["--no-mdns"]))
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
    out = subprocess.run(head_judge("--home", home, "enrol-codes", "--judge", judge),
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return out.strip().splitlines()[-1].split("\t")[-1]


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


def stop(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after `timeout`."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
