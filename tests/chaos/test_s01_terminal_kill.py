"""Scenario 1: `kill -9` of a judge terminal at a random moment during 1,000 submissions, N
trials (short 3, long 20). Every sheet the terminal reported saved to the judge survives,
`PRAGMA integrity_check` is ok, and after draining to a real master over TLS every saved sheet
is in the ledger exactly once."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from sync.client import SyncClient
from sync.event import Event
from sync.store import TerminalStore
from tests.masters import start_master
from tests.sync.test_store import _run_and_kill

from .common import figure, pick

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
SUBMISSIONS = 1000


async def test_terminal_killed_during_1000_submissions(tmp_path: Path, event: Event) -> None:
    trials = int(pick(3, 20))
    running = await start_master(tmp_path / "master", event)
    try:
        home = tmp_path / "judge"
        with TerminalStore.open(home) as store:
            async with SyncClient(store) as client:
                await client.enrol(running.code(), "127.0.0.1", running.port)
        rng = random.Random()
        seed = rng.randrange(2**32)
        rng.seed(seed)
        reported: list[tuple[int, str]] = []
        for _ in range(trials):
            reported += _run_and_kill(home, SUBMISSIONS, rng.randint(2, SUBMISSIONS - 1))
        with TerminalStore.open(home) as store:
            integrity = store.integrity_check()
            on_disk = {r.hash for r in store.sheets()}
            lost_locally = [h for _seq, h in reported if h not in on_disk]
            async with SyncClient(store) as client:
                await client.drain()
            held = running.held()
            outbox = store.outbox_size()
    finally:
        await running.stop()
    lost = len({h for _s, h in reported} - set(held))
    duplicates = len(held) - len(set(held))
    figure("s01_terminal_kill", trials=trials, reported_saved=len(reported),
           lost=lost + len(lost_locally), duplicates=duplicates, integrity=integrity,
           outbox_after_drain=outbox, seed=seed)
    assert integrity == "ok"
    assert lost_locally == [] and lost == 0 and duplicates == 0 and outbox == 0
    assert len(reported) >= trials  # every trial reported at least its kill point
