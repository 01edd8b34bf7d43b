"""Checkpoints while serving: the server signs one every interval when the ledger grew, never
two in a row, each one verifies, and every terminal is sent it as a notice."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from head_judge.audit import audit
from head_judge.checkpoints import CHECKPOINT_KIND, read_checkpoint
from head_judge.master import Master
from head_judge.server import DEFAULT_CHECKPOINT_INTERVAL, MasterServer
from sync.records import SignedRecord

from .test_master import NOW, enrolled, fixture_event


def checkpoints(master: Master) -> list[int]:
    return [e.seq for e in master.ledger.entries() if e.kind == CHECKPOINT_KIND]


async def eventually(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_the_server_signs_a_checkpoint_each_interval_when_the_ledger_grew(
        tmp_path: Path, fixtures_dir: Path) -> None:
    master = Master.open(tmp_path / "home", fixture_event(fixtures_dir), now=NOW)
    server = MasterServer(master, checkpoint_interval=0.05)
    await server.start("127.0.0.1", 0)
    try:
        await eventually(lambda: len(checkpoints(master)) == 1)
        await asyncio.sleep(0.3)  # several more ticks: nothing new to sign
        assert checkpoints(master) == [2]
        master.issue_codes(["J1"], now=NOW)
        await eventually(lambda: len(checkpoints(master)) == 2)
        assert checkpoints(master) == [2, 4]
        [entry] = [e for e in master.ledger.entries() if e.seq == 4]
        assert entry.payload["reason"] == "periodic"
        assert read_checkpoint(SignedRecord.from_wire(entry.payload["checkpoint"])).size == 3
        assert audit(master).ok
    finally:
        await server.close()
        master.close()


async def test_no_timer_without_an_interval_and_a_checkpoint_on_demand(
        tmp_path: Path, fixtures_dir: Path) -> None:
    master = Master.open(tmp_path / "home", fixture_event(fixtures_dir), now=NOW)
    server = MasterServer(master, checkpoint_interval=None)
    await server.start("127.0.0.1", 0)
    try:
        await asyncio.sleep(0.1)
        assert checkpoints(master) == []
        entry = await server.checkpoint("before the break")
        assert entry is not None and entry.payload["reason"] == "before the break"
        assert await server.checkpoint() is None  # nothing appended since
        assert (await server.checkpoint("forced", only_if_new=False)) is not None
        assert checkpoints(master) == [2, 3]
    finally:
        await server.close()
        master.close()
    assert DEFAULT_CHECKPOINT_INTERVAL == 300.0
    with pytest.raises(ValueError, match="positive"):
        MasterServer(master, checkpoint_interval=0)


def test_every_terminal_is_sent_each_checkpoint(tmp_path: Path, fixtures_dir: Path) -> None:
    master = Master.open(tmp_path / "home", fixture_event(fixtures_dir), now=NOW)
    try:
        enrolled(master, "J2")
        entry = master.checkpoint("test", now=NOW)
        assert entry is not None
        notices, _ = master.notices_since("J2", 0)
        sent = [n for n in notices if n.kind == "checkpoint"]
        assert [(n.judge, n.payload["checkpoint"]) for n in sent] == [
            (None, entry.payload["checkpoint"])]
    finally:
        master.close()
