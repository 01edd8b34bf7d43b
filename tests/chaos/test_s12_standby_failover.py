"""Scenario 12 (issue 26): `kill -9` of the master (`head-judge serve`, a real process) at a
random moment during ingest, with a standby (`head-judge standby`, a real process) mirroring
it; `head-judge promote` on the standby's home; the simulated judges
(`python -m judge_terminal.simulate`, one process per seat) follow the succession record to
the promoted standby without enrolling again and finish. Every sheet a terminal holds a
receipt for is in the promoted ledger, once; `audit` passes on it across the succession; the
entries the dead master held beyond the last mirrored one are counted (the head judge's
among them are what `promote` asks to redo).

Figures: the mirror's lag during ingest (an entry's commit on the master to its arrival on the
standby, p50/p99), and the time from the kill to the first sheet the promoted standby
receipted (the software's part: from `promote` on). Short: 2 trials with 3 terminals; long: 20
trials with 10."""

from __future__ import annotations

import datetime as dt
import json
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from head_judge.audit import audit
from sync.store import TerminalStore

from .common import (
    REPO,
    figure,
    free_port,
    head_judge,
    held_sheets,
    issue_codes,
    kill_all,
    ledger_rows,
    pick,
    start_master,
    stop,
)
from .test_s02_master_kill import CONTESTANTS, generated_final


def _entries(home: Path, after: int) -> list[tuple[int, str, str]]:
    """(seq, kind, at) of the entries after `after`, read-only from outside."""
    db = home / "master.db"
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT seq, kind, at FROM ledger WHERE seq > ? ORDER BY seq",
                            (after,)).fetchall()
    except sqlite3.OperationalError:  # not made yet
        return []
    finally:
        conn.close()


def _enrolled(home: Path) -> bool:
    """Whether a simulated judge's store holds its enrolment (read-only from outside)."""
    db = home / "terminal.db"
    if not db.exists():
        return False
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return bool(conn.execute("SELECT COUNT(*) FROM enrolment").fetchone()[0])
    except sqlite3.OperationalError:  # not made yet
        return False
    finally:
        conn.close()


class LagWatch(threading.Thread):
    """Polls the standby's ledger every 10 ms: for each entry, when it arrived there minus
    when the master committed it (`at`), in seconds."""

    def __init__(self, home: Path) -> None:
        super().__init__(daemon=True)
        self.home, self.done = home, threading.Event()
        self.lags: list[float] = []

    def run(self) -> None:
        seen = max((seq for seq, _k, _a in _entries(self.home, 0)), default=0)
        while not self.done.is_set():
            for seq, kind, at in _entries(self.home, seen):
                if kind == "promoted":
                    return
                arrived = dt.datetime.now(dt.UTC)
                self.lags.append((arrived - dt.datetime.fromisoformat(at)).total_seconds())
                seen = seq
            time.sleep(0.01)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if values else 0


def test_standby_takes_over_a_master_killed_during_ingest(tmp_path: Path) -> None:
    trials, terminals = int(pick(2, 20)), int(pick(3, 10))
    event_path, sheets_csv = generated_final(tmp_path / "final", terminals)
    judges = [f"J{j}" for j in range(1, terminals + 1)]
    rng = random.Random()
    lost = duplicates = receipted_total = audits_ok = 0
    unmirrored: list[int] = []
    reported: list[int] = []
    lags: list[float] = []
    to_first: list[float] = []
    software: list[float] = []
    for trial in range(trials):
        folder = tmp_path / f"t{trial}"
        home, spare = folder / "master", folder / "spare"
        port, standby_port = free_port(), free_port()
        master = start_master(home, event_path, port, folder / "master.log")
        standby: subprocess.Popen[bytes] | None = None
        sims: list[subprocess.Popen[bytes]] = []
        watch = LagWatch(spare)
        try:
            codes = issue_codes(home, judges=[*judges])
            standby_code = subprocess.run(
                head_judge("--home", home, "enrol-codes", "--standby"), capture_output=True,
                text=True, check=True).stdout.splitlines()[-1].split("\t")[3]
            standby = subprocess.Popen(
                head_judge("--home", spare, "standby", "--master", f"127.0.0.1:{port}",
                           "--port", str(standby_port), "--no-mdns", standby_code),
                stdout=(folder / "standby.log").open("ab"), stderr=subprocess.STDOUT,
                cwd=REPO)
            deadline = time.monotonic() + 30  # named successor before any judge enrols
            while not any(k == "succession" for _s, k, _a, _p in ledger_rows(home)):
                assert time.monotonic() < deadline, "the standby was never named"
                time.sleep(0.05)
            watch.start()
            for j in judges:
                sims.append(subprocess.Popen(
                    [sys.executable, "-m", "judge_terminal.simulate", "--home", str(folder / j),
                     "--code", codes[j], "--judge", j, "--sheets", str(sheets_csv),
                     "--master", f"127.0.0.1:{port}", "--pace", "0.08", "--exit-when-done"],
                    cwd=REPO, stdout=(folder / f"{j}.log").open("ab"),
                    stderr=subprocess.STDOUT))
            # during ingest, not during enrolment: a judge whose enrolment answer the dead
            # master never sent asks the successor for a new code (its code's digits were
            # only the old master's)
            deadline = time.monotonic() + 60
            while not all(_enrolled(folder / j) for j in judges):
                assert time.monotonic() < deadline, "the judges did not enrol"
                time.sleep(0.02)
            kill_after = rng.randint(3, 12 * len(judges))
            while len(held_sheets(home)) < kill_after and time.monotonic() < deadline:
                time.sleep(0.02)
            master.send_signal(signal.SIGKILL)
            master.wait(10)
            killed = dt.datetime.now(dt.UTC)
            time.sleep(rng.uniform(0.2, 1.5))  # the head judge notices
            typed = dt.datetime.now(dt.UTC)
            promoted = subprocess.run(head_judge("--home", spare, "promote", "--reason",
                                                 "主控机断电"),
                                      capture_output=True, text=True, timeout=60)
            assert promoted.returncode == 0, promoted.stderr
            for sim in sims:
                sim.wait(120)
        finally:
            watch.done.set()
            kill_all(sims)
            stop(master)
            if standby is not None:
                stop(standby)
        lags += watch.lags
        rows = ledger_rows(spare)
        promoted_seq, payload = next((s, json.loads(p)) for s, k, _a, p in rows
                                     if k == "promoted")
        dead_size = len(ledger_rows(home))
        unmirrored.append(dead_size - payload["mirrored"])
        # what promote knew: the master's size at its last answer, never beyond the truth
        assert payload["mirrored"] <= payload["master_size"] <= dead_size
        reported.append(payload["master_size"] - payload["mirrored"])
        first = next((dt.datetime.fromisoformat(a) for s, k, a in _entries(spare, promoted_seq)
                      if k == "sheet_received"), None)
        if first is not None:
            to_first.append((first - killed).total_seconds())
            software.append((first - typed).total_seconds())
        held = held_sheets(spare)
        for j in judges:
            with TerminalStore.open(folder / j) as store:
                receipted = [r.hash for r in store.sheets() if store.receipt(r.hash)]
                receipted_total += len(receipted)
                lost += len(set(receipted) - set(held))
                assert store.outbox_size() == 0
        duplicates += len(held) - len(set(held))
        audits_ok += audit(spare).ok
    figure("s12_standby_failover", trials=trials, terminals=len(judges),
           sheets_per_trial=CONTESTANTS * len(judges), receipted=receipted_total,
           receipted_lost=lost, duplicates=duplicates, audit_ok=f"{audits_ok}/{trials}",
           unmirrored_at_kill=f"{min(unmirrored)}-{max(unmirrored)}",
           reported_by_promote=f"{min(reported)}-{max(reported)}",
           mirror_lag_p50_ms=f"{pct(lags, 50) * 1000:.0f}",
           mirror_lag_p99_ms=f"{pct(lags, 99) * 1000:.0f}",
           kill_to_first_receipt_s=f"{max(to_first, default=0):.2f}",
           promote_to_first_receipt_s=f"{max(software, default=0):.2f}")
    assert lost == 0 and duplicates == 0 and audits_ok == trials
    assert receipted_total == trials * CONTESTANTS * len(judges)  # all were delivered
