"""A real master (head_judge.server over TLS on loopback, in-process) for the Pilot tests,
and helpers to drive the app."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from head_judge.master import Master
from head_judge.server import MasterServer
from sync.client import SyncClient
from sync.event import Event
from sync.event_file import load_event
from sync.store import TerminalStore

FAST = {"backoff_initial": 0.05, "backoff_max": 0.3, "offline_after": 1.0,
        "poll_interval": 0.2, "connect_timeout": 1.0, "request_timeout": 5.0}
"""SyncClient options so reconnecting takes a fraction of a second in tests."""


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Running:
    master: Master
    server: MasterServer
    port: int
    home: Path
    event: Event
    stopped: bool = False

    def code(self, judge: str = "J1") -> str:
        ((_judge, code),) = self.master.issue_codes([judge], now=now())
        return code.encode()

    def held(self) -> list[str]:
        return [e.payload["hash"] for e in self.master.ledger.entries()
                if e.kind == "sheet_received"]

    async def stop(self) -> None:
        await self.server.close()
        self.master.close()
        self.stopped = True

    async def restart(self) -> None:
        """Open the same master again and listen on the same port."""
        self.master = Master.open(self.home, self.event, now=now())
        self.server = MasterServer(self.master, checkpoint_interval=None)
        self.port = await self.server.start("127.0.0.1", self.port)
        self.stopped = False


async def start_master(home: Path, event: Event, port: int = 0) -> Running:
    master = Master.open(home, event, now=now())
    server = MasterServer(master, checkpoint_interval=None)
    bound = await server.start("127.0.0.1", port)
    return Running(master, server, bound, home, event)


@pytest.fixture
def event(fixtures_dir: Path) -> Event:
    return load_event(fixtures_dir / "livestream-final" / "event.toml")


@pytest.fixture
async def running(tmp_path: Path, event: Event) -> AsyncIterator[Running]:
    master = await start_master(tmp_path / "master", event)
    yield master
    if not master.stopped:
        await master.stop()


async def enrolled_store(home: Path, running: Running, judge: str = "J1") -> TerminalStore:
    """A terminal store enrolled with `running` (the way the CLI's `enrol` does it)."""
    store = TerminalStore.open(home)
    async with SyncClient(store) as client:
        await client.enrol(running.code(judge), "127.0.0.1", running.port)
    return store


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 5.0,
                what: str = "condition") -> float:
    """Let the app run until `condition` holds; the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what} not met within {timeout} s")
        await pilot.pause(0.02)
    return time.monotonic() - start


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Send keys as one burst, the way a fast typist or a code scanner does (Pilot.press
    waits for the app to go idle after every key), then let the app catch up. Single
    characters are typed; longer names are keys (`enter`, `f2`)."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        names = [key] if len(key) > 1 else [_character_to_key(key) if not key.isalnum() else key]
        for name in names:
            char = key if len(key) == 1 else None
            event = events.Key(name, char)
            event.set_sender(app)
            driver.send_message(event)
    await pilot.pause()


def chars(text: str) -> list[str]:
    return list(text)
