"""Scenario 2: `kill -9` of the master (`head-judge serve`, a real process) while simulated
judges (`python -m judge_terminal.simulate`, real processes, one per seat) push; the master is
restarted on the same port. Every sheet a terminal holds a receipt for is in the ledger, every
sheet arrives exactly once, and `audit` verifies the ledger after the restart. The final is
generated (bench/generated.py, with bench/sync.py's scoring and values): one seat per
terminal, 18 contestants. Short: 2 trials with 3 terminals; long: 20 trials with 10."""

from __future__ import annotations

import csv
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.generated import CRITERIA, contestant_id, write_event
from bench.sync import SCORING, sheet_values
from head_judge.audit import audit
from sync.store import TerminalStore

from .common import (
    REPO,
    figure,
    free_port,
    held_sheets,
    issue_codes,
    kill_all,
    pick,
    start_master,
    stop,
)

CONTESTANTS = 18


def generated_final(folder: Path, judges: int) -> tuple[Path, Path]:
    """A final with `judges` seats and its judges' sheets as `judge,contestant,...` CSV (the
    simulator's input): (event file, sheets file)."""
    folder.mkdir(parents=True, exist_ok=True)
    event_path = write_event(folder, event_id="chaos-master-kill", judges=judges,
                             contestants=CONTESTANTS, scoring=SCORING)
    sheets_csv = folder / "sheets.csv"
    with sheets_csv.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["judge", "contestant", *(cid for cid, _max in CRITERIA)])
        for j in range(1, judges + 1):
            for c in range(1, CONTESTANTS + 1):
                values = sheet_values(c, j)
                out.writerow([f"J{j}", contestant_id(c), *(values[cid] for cid, _ in CRITERIA)])
    return event_path, sheets_csv


def test_master_killed_during_ingest(tmp_path: Path) -> None:
    trials, terminals = int(pick(2, 20)), int(pick(3, 10))
    event_path, sheets_csv = generated_final(tmp_path / "final", terminals)
    judges = [f"J{j}" for j in range(1, terminals + 1)]
    rng = random.Random()
    lost_total = dup_total = receipted_total = 0
    audits_ok = 0
    at_kill: list[int] = []  # sheets the master held when it was killed, per trial
    for trial in range(trials):
        home = tmp_path / f"t{trial}" / "master"
        port = free_port()
        log = tmp_path / f"t{trial}" / "master.log"
        master = start_master(home, event_path, port, log)
        sims: list[subprocess.Popen[bytes]] = []
        try:
            codes = issue_codes(home)
            for j in judges:
                sims.append(subprocess.Popen(
                    [sys.executable, "-m", "judge_terminal.simulate", "--home",
                     str(tmp_path / f"t{trial}" / j), "--code", codes[j], "--judge", j,
                     "--sheets", str(sheets_csv), "--master", f"127.0.0.1:{port}",
                     "--pace", "0.08", "--exit-when-done"],
                    cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            kill_after = rng.randint(3, 12 * len(judges))
            deadline = time.monotonic() + 60
            while len(held_sheets(home)) < kill_after and time.monotonic() < deadline:
                time.sleep(0.02)
            master.send_signal(signal.SIGKILL)
            master.wait(10)
            at_kill.append(len(held_sheets(home)))
            time.sleep(rng.uniform(0.2, 1.5))
            master = start_master(home, event_path, port, log)
            for sim in sims:
                sim.wait(120)
        finally:
            kill_all(sims)
            stop(master)
        held = held_sheets(home)
        for j in judges:
            with TerminalStore.open(tmp_path / f"t{trial}" / j) as store:
                receipted = [r.hash for r in store.sheets() if store.receipt(r.hash)]
                receipted_total += len(receipted)
                lost_total += len(set(receipted) - set(held))
                assert store.outbox_size() == 0
        dup_total += len(held) - len(set(held))
        audits_ok += audit(home).ok
    figure("s02_master_kill", trials=trials, terminals=len(judges),
           sheets_per_trial=CONTESTANTS * len(judges),
           held_at_kill=f"{min(at_kill)}-{max(at_kill)}", receipted=receipted_total,
           receipted_lost=lost_total, duplicates=dup_total, audit_ok=f"{audits_ok}/{trials}")
    assert lost_total == 0 and dup_total == 0 and audits_ok == trials
    assert receipted_total == trials * CONTESTANTS * len(judges)  # all were delivered
    assert max(at_kill) < CONTESTANTS * len(judges)  # every kill was during ingest
