"""The head judge's laptop dies mid-final: a real master on loopback, three simulated judges
(`sync.client.SyncClient` over `sync.store.TerminalStore`) pushing signed sheets over TLS and
keeping the master's signed checkpoints; the master's folder is deleted, the judges keep
scoring offline, and `head-judge rebuild` makes a new master from their three stores.

The rebuilt master's current sheets (judge, contestant, revision, values) must be exactly the
union of what the laptops hold, and `audit` must pass on it. Then the laptops enrol with the
new master and catch up."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from head_judge.audit import audit
from head_judge.checkpoints import read_checkpoint
from head_judge.cli import main
from head_judge.master import Master
from head_judge.recovery import rebuild
from head_judge.server import MasterServer
from sync.client import SyncClient
from sync.event import Event
from sync.event_file import load_event
from sync.records import SignedRecord
from sync.store import TerminalStore
from tests.masters import now

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

JUDGES = ("J1", "J2", "J3")

Sheets = dict[tuple[str, str], tuple[int, dict[str, str]]]
"""(judge, contestant) -> (revision, values as signed)."""


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


@dataclass
class Judge:
    id: str
    store: TerminalStore
    client: SyncClient
    task: asyncio.Task[None] | None = None
    stop: asyncio.Event | None = None

    def start(self) -> None:
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(self.client.run(self.stop))

    async def halt(self) -> None:
        if self.stop is not None and self.task is not None:
            self.stop.set()
            await self.task
        self.task = self.stop = None

    def score(self, event: Event, contestant: str, bump: int = 0,
              reason: str | None = None) -> str:
        values = {c.id: c.max - c.step * (bump + 1) for c in event.criteria}
        saved = self.store.submit_sheet(contestant, values, reason=reason, now=now())
        self.client.wake()
        return saved.hash

    def current(self) -> Sheets:
        out: Sheets = {}
        for contestant in {r.contestant for r in self.store.sheets()}:
            stored = self.store.current_sheet(contestant)
            assert stored is not None
            out[(stored.judge, contestant)] = (stored.revision,
                                               json.loads(stored.body)["values"])
        return out


@asynccontextmanager
async def serve(home: Path, event: Event, port: int = 0,
                checkpoint_interval: float | None = 0.2) -> AsyncIterator[tuple[Master,
                                                                                 MasterServer,
                                                                                 int]]:
    master = Master.open(home, event, now=now())
    server = MasterServer(master, checkpoint_interval=checkpoint_interval)
    bound = await server.start("127.0.0.1", port)
    try:
        yield master, server, bound
    finally:
        await server.close()
        master.close()


def held(home: Path) -> Sheets:
    """The current sheets of the master in `home`, replayed from its ledger."""
    master = Master.open(home, now=now())
    try:
        out: Sheets = {}
        for entry in master.ledger.entries():
            if entry.kind == "sheet_received":
                body: dict[str, Any] = json.loads(entry.payload["body"])
                out[(body["judge"], body["contestant"])] = (body["revision"], body["values"])
        return out
    finally:
        master.close()


@pytest.fixture
def event(fixtures_dir: Path) -> Event:
    return load_event(fixtures_dir / "livestream-final" / "event.toml")


@pytest.fixture
async def judges(tmp_path: Path) -> AsyncIterator[dict[str, Judge]]:
    made = {}
    for judge_id in JUDGES:
        store = TerminalStore.open(tmp_path / judge_id)
        made[judge_id] = Judge(judge_id, store, SyncClient(
            store, backoff_initial=0.05, backoff_max=0.3, offline_after=0.5,
            poll_interval=0.05, pull_interval=0.5))
    yield made
    for judge in made.values():
        await judge.halt()
        await judge.client.close()
        judge.store.close()


async def play_until_the_master_dies(tmp_path: Path, event: Event,
                                     judges: dict[str, Judge]) -> Path:
    """Enrol, score and sync; the master's disk is lost; the judges keep scoring offline.
    Returns the dead master's folder (gone)."""
    home = tmp_path / "master"
    async with serve(home, event) as (master, _server, port):
        for judge in judges.values():
            [issued] = master.issue_codes([judge.id], now=now())
            await judge.client.enrol(issued.code.encode(), "127.0.0.1", port)
            judge.start()
        contestants = [c.id for c in event.contestants
                       if set(JUDGES) <= {j.id for j in event.panel_for(c)}]
        assert len(contestants) >= 9
        for i, contestant in enumerate(contestants[:6]):
            for judge in judges.values():
                judge.score(event, contestant, bump=i % 3)
            await asyncio.sleep(0.05)
        judges["J2"].score(event, contestants[1], bump=4, reason="misread the stopwatch")
        await wait_for(lambda: all(j.store.outbox_size() == 0 for j in judges.values()))
        await wait_for(lambda: master.ledger.conn.execute(
            "SELECT kind FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()[0] == "checkpoint")
        size = len(master.ledger) - 1
        # every terminal has been sent the checkpoint covering everything it pushed
        await wait_for(lambda: all(
            any(n.kind == "checkpoint" and read_checkpoint_size(n.payload) == size
                for n in j.store.notices()) for j in judges.values()))
        assert audit(master).ok
    shutil.rmtree(home)  # the head judge's laptop is gone, disk and key
    for i, contestant in enumerate(contestants[6:9]):
        for judge in judges.values():
            judge.score(event, contestant, bump=i)
    judges["J3"].score(event, contestants[7], bump=2, reason="second look at the replay")
    await asyncio.sleep(0.3)
    assert all(j.store.outbox_size() > 0 for j in judges.values())
    for judge in judges.values():
        await judge.halt()
    return home


def read_checkpoint_size(payload: Any) -> int:
    return read_checkpoint(SignedRecord.from_wire(payload["checkpoint"])).size


async def test_a_master_lost_mid_final_is_rebuilt_from_the_judges_laptops(
        tmp_path: Path, event: Event, judges: dict[str, Judge], fixtures_dir: Path) -> None:
    old_home = await play_until_the_master_dies(tmp_path, event, judges)
    assert not old_home.exists()
    union: Sheets = {}
    for judge in judges.values():
        union.update(judge.current())
    assert len(union) == 9 * 3

    new_home = tmp_path / "rebuilt"
    event_file = fixtures_dir / "livestream-final" / "event.toml"
    args = ["--home", str(new_home), "rebuild", "--event", str(event_file)]
    for judge in judges.values():
        args += ["--from-terminal", str(judge.store.home / "terminal.db")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "every terminal must enrol again" in result.output
    assert result.output.splitlines()[-1].startswith("audit of the rebuilt master: OK: ")
    assert result.output.splitlines()[-2].startswith("重建的主控机的审计：通过：")

    assert held(new_home) == union
    report = audit(new_home)
    assert report.ok, report.lines()
    every = sum(len(j.store.sheets()) for j in judges.values())
    assert report.signatures >= 2 * every  # each sheet's signature and its new receipt


async def test_the_rebuild_is_the_same_from_the_library(
        tmp_path: Path, event: Event, judges: dict[str, Judge]) -> None:
    await play_until_the_master_dies(tmp_path, event, judges)
    stores = [j.store.home for j in judges.values()]
    report = rebuild(tmp_path / "rebuilt", event, stores, now=now())
    assert report.complete and report.skipped == ()
    union: Sheets = {}
    for judge in judges.values():
        union.update(judge.current())
        source = next(s for s in report.stores if s.judge == judge.id)
        assert source.checkpoints, "each laptop kept the old master's checkpoints"
        assert source.receipts, "and the old master's receipts, which order the replay"
    assert held(tmp_path / "rebuilt") == union
    assert audit(tmp_path / "rebuilt").ok


async def test_the_laptops_enrol_with_the_rebuilt_master_and_catch_up(
        tmp_path: Path, event: Event, judges: dict[str, Judge]) -> None:
    await play_until_the_master_dies(tmp_path, event, judges)
    home = tmp_path / "rebuilt"
    rebuild(home, event, [j.store.home for j in judges.values()], now=now())
    before = held(home)
    async with serve(home, event) as (master, _server, port):
        for judge in judges.values():
            [issued] = master.issue_codes([judge.id], now=now())
            try:
                await judge.client.enrol(issued.code.encode(), "127.0.0.1", port)
            except Exception as exc:
                raise AssertionError(f"{judge.id} cannot enrol again: {exc}") from exc
            await judge.client.drain()
            assert judge.store.outbox_size() == 0
        assert audit(master).ok
    assert held(home) == before
