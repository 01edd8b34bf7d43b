"""Scenario 2: `kill -9` of the master (`head-judge serve`, a real process) while simulated
judges (`python -m judge_terminal.simulate`, real processes) push; the master is restarted on
the same port. Every sheet a terminal holds a receipt for is in the ledger, every sheet
arrives exactly once, and `audit` verifies the ledger after the restart. Short: 2 trials with
3 terminals; long: 20 trials with the full panel of 5 repeated to 10 terminals' worth."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from head_judge.audit import audit
from sync.event import Event
from sync.store import TerminalStore

from .common import REPO, figure, free_port, held_sheets, issue_code, pick, start_master, stop


def test_master_killed_during_ingest(tmp_path: Path, event: Event, event_path: Path,
                                     fixtures_dir: Path) -> None:
    trials, terminals = int(pick(2, 20)), int(pick(3, 5))
    judges = [j.id for j in event.judges][:terminals]
    sheets_csv = fixtures_dir / "livestream-final" / "sheets.csv"
    rng = random.Random()
    lost_total = dup_total = receipted_total = 0
    audits_ok = 0
    for trial in range(trials):
        home = tmp_path / f"t{trial}" / "master"
        port = free_port()
        log = tmp_path / f"t{trial}" / "master.log"
        master = start_master(home, event_path, port, log)
        sims: list[subprocess.Popen[bytes]] = []
        try:
            codes = {j: issue_code(home, j) for j in judges}
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
            time.sleep(rng.uniform(0.2, 1.5))
            master = start_master(home, event_path, port, log)
            for sim in sims:
                sim.wait(120)
        finally:
            for sim in sims:
                if sim.poll() is None:
                    sim.kill()
                    sim.wait(10)
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
           receipted=receipted_total, receipted_lost=lost_total, duplicates=dup_total,
           audit_ok=f"{audits_ok}/{trials}")
    assert lost_total == 0 and dup_total == 0 and audits_ok == trials
    assert receipted_total > 0
