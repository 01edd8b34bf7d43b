"""Scenario 10: a terminal whose clock is off by +2 h, -2 h, or jumps between the two while it
scores, against a real master over TLS. The master's sheets and its tabulated results are
identical to those of an unskewed run; the offset is shown to the terminal (SyncState's
clock_offset) and to the head judge (the live status's device time against the master's)."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from head_judge.scoring import PanelSheet, tabulate
from sync.client import SyncClient, SyncState
from sync.event import Event
from sync.store import TerminalStore
from tests.e2e.test_sync_e2e import Running, sheet, start_master, wait_for

from .common import figure

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
HOURS2 = dt.timedelta(hours=2)


def skewed(kind: str) -> Callable[[], dt.datetime]:
    flips = itertools.count()

    def clock() -> dt.datetime:
        real = dt.datetime.now(dt.UTC)
        if kind == "none":
            return real
        if kind == "+2h":
            return real + HOURS2
        if kind == "-2h":
            return real - HOURS2
        return real + (HOURS2 if next(flips) % 2 else -HOURS2)  # jumping both ways
    return clock


def results_of(running: Running, event: Event) -> tuple[list[tuple[str, str, int, str]], str]:
    """The sheets the master holds (judge, contestant, revision, values) and the results."""
    latest: dict[tuple[str, str], PanelSheet] = {}
    held = []
    for entry in running.master.ledger.entries():
        if entry.kind != "sheet_received":
            continue
        body = json.loads(entry.payload["body"])
        held.append((body["judge"], body["contestant"], body["revision"],
                     json.dumps(body["values"], sort_keys=True)))
        latest[(body["judge"], body["contestant"])] = PanelSheet(
            body["judge"], body["contestant"],
            {k: type(c.max)(v) for k, v in body["values"].items()
             for c in event.criteria if c.id == k})
    return sorted(held), repr(tabulate(event, latest.values()))


async def one_run(home: Path, event: Event, kind: str) -> tuple[object, list[float], list[float]]:
    running = await start_master(home / "master", event)
    states: list[SyncState] = []
    try:
        clock = skewed(kind)
        with TerminalStore.open(home / "judge", clock=clock) as store:
            client = SyncClient(store, clock=clock, on_state=states.append,
                                poll_interval=0.1)
            await client.enrol(running.code(), "127.0.0.1", running.port)
            stop = asyncio.Event()
            task = asyncio.create_task(client.run(stop))
            try:
                for i, c in enumerate(event.contestants[:8]):
                    store.submit_sheet(c.id, sheet(event, i % 3), now=clock())
                    if i % 3 == 2:
                        store.submit_sheet(c.id, sheet(event, 1), reason="recount",
                                           now=clock())
                    client.wake()
                    await asyncio.sleep(0.05)
                await wait_for(lambda: store.outbox_size() == 0, timeout=20)
                await wait_for(lambda: bool(running.master.online), timeout=10)
                master_seen = []
                for status in running.master.online.values():
                    if status.device_time:
                        told = dt.datetime.fromisoformat(status.device_time)
                        seen = dt.datetime.fromisoformat(status.last_seen)
                        master_seen.append((told - seen).total_seconds())
            finally:
                stop.set()
                await asyncio.wait_for(task, 20)
                await client.close()
        outcome = results_of(running, event)
    finally:
        await running.stop()
    shown = [-s.clock_offset.total_seconds() for s in states if s.clock_offset is not None]
    return outcome, shown, master_seen


async def test_skewed_and_jumping_clocks_give_identical_results(tmp_path: Path,
                                                                event: Event) -> None:
    baseline, _shown, _seen = await one_run(tmp_path / "none", event, "none")
    identical = {}
    offsets = {}
    for kind in ("+2h", "-2h", "jumping"):
        outcome, shown, master_seen = await one_run(tmp_path / kind.replace("+", "p"),
                                                    event, kind)
        identical[kind] = outcome == baseline
        offsets[kind] = (shown, master_seen)
    figure("s10_clock_skew", identical=all(identical.values()),
           terminal_offset_plus2h=f"{offsets['+2h'][0][-1]:+.0f}s",
           terminal_offset_minus2h=f"{offsets['-2h'][0][-1]:+.0f}s",
           master_shown_plus2h=(f"{offsets['+2h'][1][-1]:+.0f}s" if offsets['+2h'][1]
                                else "none"),
           jumping_offsets_seen=len({round(o / 3600) for o in offsets["jumping"][0]}))
    assert all(identical.values()), identical
    for kind, sign in (("+2h", 1), ("-2h", -1)):
        shown, _ = offsets[kind]
        assert shown and all(abs(o - sign * 7200) < 60 for o in shown), (kind, shown)
