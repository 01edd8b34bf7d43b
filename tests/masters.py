"""A real master for in-process tests: `head_judge.server` over TLS on loopback, on the test's
own event loop, with no periodic checkpoints; and the fixtures `event` (the livestream final)
and `running` (a master serving it), which a conftest brings in with
`from tests.masters import event, running`."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from head_judge.master import Master
from head_judge.server import MasterServer
from sync.event import Event
from sync.event_file import load_event


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
        """Hashes of the sheets the master's ledger holds (once each)."""
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
