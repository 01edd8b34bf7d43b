"""A real master for in-process tests: `head_judge.server` over TLS on loopback, on the test's
own event loop, with no periodic checkpoints; and the fixtures `event` (the livestream final)
and `running` (a master serving it), which a conftest brings in with
`from tests.masters import event, running`."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from head_judge.master import Master
from head_judge.server import MasterServer
from sync.codes import EnrolmentCode
from sync.event import Event
from sync.event_file import load_event
from sync.identity import public_key_bytes
from sync.pake import TerminalExchange


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
        (issued,) = self.master.issue_codes([judge], now=now())
        return issued.code.encode()

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


def enrol_in_process(master: Master, code: EnrolmentCode, device_key: Ed25519PrivateKey, *,
                     at: dt.datetime, name: str = "test laptop",
                     fingerprint: bytes | None = None) -> dict[str, Any]:
    """Both halves of an enrolment against `master` without a network, as `SyncClient.enrol`
    runs them (`fingerprint`: the master's TLS key as the terminal saw it; default the
    master's own). Returns the finish's answer once the master's confirmation checks;
    Rejection as the master raises it."""
    exchange = TerminalExchange(code.seat, code.password)
    started = master.enrol_start({"protocol": 1, "seat": code.seat,
                                  "pake": base64.b64encode(exchange.a).decode()}, at)
    public = public_key_bytes(device_key)
    confirm = exchange.confirm(base64.b64decode(started["pake"]),
                               fingerprint or master.identity.fingerprint, public, name)
    answer = master.enrol_finish({
        "protocol": 1, "session": started["session"],
        "device_key": base64.b64encode(public).decode(), "device_name": name,
        "confirm": base64.b64encode(confirm).decode()}, at)
    exchange.check_master(base64.b64decode(answer["confirm"]),
                          {k: answer[k] for k in ("judge", "device", "event_digest",
                                                  "master_key")})
    return answer


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
