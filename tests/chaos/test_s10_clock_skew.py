"""Scenario 10: a terminal whose clock is off by +2 h, -2 h, or jumps between the two while it
scores, against a real master over TLS. The master's sheets and its tabulated results are
identical to those of an unskewed run; the offset is shown to the terminal (SyncState's
clock_offset) and to the head judge (the live status's device time against the master's)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from head_judge.scoring import PanelSheet, tabulate
from sync.client import SyncClient, SyncState
from sync.event import Event
from sync.store import TerminalStore
from tests.e2e.test_sync_e2e import sheet, wait_for
from tests.masters import Running, start_master

from .common import figure

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
HOURS2 = dt.timedelta(hours=2)
SETTLE = 0.2  # seconds for a status to reach the head judge
JUMP_AT = (3, 6)  # the jumping clock jumps before these sheets: +2 h, then -2 h, then +2 h


class Skewed:
    """A terminal's clock: right, +2 h, -2 h, or jumping between +2 h and -2 h when told
    (`jump`). Jumps come between requests: a clock that flipped on every reading would
    average out within one request, and the terminal would see no offset at all."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.offset = {"none": dt.timedelta(0), "-2h": -HOURS2}.get(kind, HOURS2)

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset

    def jump(self) -> None:
        self.offset = -self.offset


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


@dataclass
class Run:
    outcome: object  # the master's sheets and results
    shown: list[float]  # every offset reported to the terminal's display (on_state), seconds
    segments: list[tuple[float | None, float | None]]
    """After each stretch between jumps (once all was sent): the offset in the terminal's
    sync state, and the one the head judge's live status shows (device time - its time)."""


async def one_run(home: Path, event: Event, kind: str) -> Run:
    running = await start_master(home / "master", event)
    states: list[SyncState] = []
    segments: list[tuple[float | None, float | None]] = []
    try:
        clock = Skewed(kind)
        with TerminalStore.open(home / "judge", clock=clock) as store:
            # the live channel tells the head judge the device's time when its clock jumps
            # (pulls, which carry it too, come only every 30 s)
            client = SyncClient(store, clock=clock, on_state=states.append,
                                poll_interval=0.1)
            await client.enrol(running.code(), "127.0.0.1", running.port)
            stop = asyncio.Event()
            task = asyncio.create_task(client.run(stop))

            async def sample() -> None:
                await wait_for(lambda: store.outbox_size() == 0, timeout=20)
                await wait_for(lambda: bool(running.master.online), timeout=10)
                await asyncio.sleep(3 * SETTLE)  # statuses at this clock
                offset = client.state.clock_offset
                seen = [(dt.datetime.fromisoformat(status.device_time)
                         - dt.datetime.fromisoformat(status.last_seen)).total_seconds()
                        for status in running.master.online.values() if status.device_time]
                segments.append((-offset.total_seconds() if offset else None,
                                 seen[-1] if seen else None))

            try:
                for i, c in enumerate(event.contestants[:8]):
                    if kind == "jumping" and i in JUMP_AT:  # mid-final, once all is sent
                        await sample()
                        clock.jump()
                    store.submit_sheet(c.id, sheet(event, i % 3), now=clock())
                    if i % 3 == 2:
                        store.submit_sheet(c.id, sheet(event, 1), reason="recount",
                                           now=clock())
                    client.wake()
                    await asyncio.sleep(0.05)
                await sample()
            finally:
                stop.set()
                await asyncio.wait_for(task, 20)
                await client.close()
        outcome = results_of(running, event)
    finally:
        await running.stop()
    shown = [-s.clock_offset.total_seconds() for s in states if s.clock_offset is not None]
    return Run(outcome, shown, segments)


def hours(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds / 3600)


async def test_skewed_and_jumping_clocks_give_identical_results(tmp_path: Path,
                                                                event: Event) -> None:
    baseline = await one_run(tmp_path / "none", event, "none")
    runs = {kind: await one_run(tmp_path / kind.replace("+", "p"), event, kind)
            for kind in ("+2h", "-2h", "jumping")}
    identical = {kind: run.outcome == baseline.outcome for kind, run in runs.items()}
    jumping = runs["jumping"]
    followed = [(hours(t), hours(m)) for t, m in jumping.segments]
    displayed = sorted({h for h in map(hours, jumping.shown) if h is not None})
    figure("s10_clock_skew", identical=all(identical.values()),
           terminal_offset_plus2h=f"{runs['+2h'].segments[-1][0]:+.0f}s",
           terminal_offset_minus2h=f"{runs['-2h'].segments[-1][0]:+.0f}s",
           master_shown_plus2h=f"{runs['+2h'].segments[-1][1]:+.0f}s",
           master_shown_minus2h=f"{runs['-2h'].segments[-1][1]:+.0f}s",
           jumping_terminal_and_master_h="/".join(f"{t:+d},{m:+d}" for t, m in followed),
           jumping_offsets_displayed_h="/".join(f"{h:+d}" for h in displayed))
    assert all(identical.values()), identical
    for kind, sign in (("+2h", 1), ("-2h", -1)):
        shown = runs[kind].shown
        assert shown and all(abs(o - sign * 7200) < 60 for o in shown), (kind, shown)
        assert [(hours(t), hours(m)) for t, m in runs[kind].segments] == [(2 * sign,
                                                                           2 * sign)]
    # the jumps are followed by the terminal's sync state and the head judge's live status
    assert followed == [(2, 2), (-2, -2), (2, 2)], jumping.segments
    assert -2 in displayed, displayed  # and shown on the terminal's screen
