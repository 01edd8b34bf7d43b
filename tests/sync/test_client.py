"""`SyncClient` against a small stand-in master on loopback (real TLS, real aiohttp), for what
the real master never does on purpose: fail, misbehave, move, lack a live channel.

The stand-in implements docs/protocol.md minimally and can be told to misbehave; end-to-end
runs against the real master are in tests/e2e/test_sync_e2e.py.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import os
import random
import socket
import time
from collections.abc import AsyncIterator, Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiohttp import WSMsgType, web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.client import (
    MasterRefused,
    MasterUnreachable,
    NotTheMaster,
    ProtocolViolation,
    SyncClient,
    SyncState,
)
from sync.codes import EnrolmentCode
from sync.discovery import FoundMaster
from sync.event import Event
from sync.identity import (
    MasterIdentity,
    ensure_master_identity,
    generate_signing_key,
    public_key_bytes,
)
from sync.pake import MasterExchange
from sync.records import Receipt, SignedRecord, device_id_of, sheet_from_body, sign_body
from sync.snapshot import event_snapshot, snapshot_digest
from sync.store import TerminalStore
from tests.sync.test_client_pin import RecordingTLSServer
from tests.sync.test_store import livestream

NOW = dt.datetime(2025, 5, 17, 9, 30, tzinfo=dt.UTC)
CODE = EnrolmentCode(1, "48271956")
"""The one code the stand-in holds: seat 1 (J1)."""


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


class StandIn:
    """A minimal master: enrols with the one code it holds (the two-step SPAKE2 exchange of
    docs/protocol.md, `sync.pake.MasterExchange`), accepts valid sheets, signs receipts,
    serves notices and pokes. Attributes switch on misbehaviour."""

    def __init__(self, identity: MasterIdentity, event: Event, code: EnrolmentCode = CODE
                 ) -> None:
        self.identity = identity
        self.event = event
        self.code = code
        """The code it issued; a rogue (`knows_code` False) runs the exchange with a guess."""
        self.knows_code = True
        self.alter_answer = False
        """Confirm one answer and send another (another master key): a tampered answer."""
        self.exchanges: dict[str, MasterExchange] = {}
        self.enrol_bodies: list[dict[str, Any]] = []
        """Every enrolment request body received, start and finish."""
        self.receipt_key: Ed25519PrivateKey = identity.signing_key
        self.devices: dict[str, bytes] = {}
        self.held: dict[tuple[str, int], tuple[str, dict[str, str]]] = {}
        self.ledger: list[str] = []
        self.notices: list[dict[str, Any]] = []
        self.pushes: list[int] = []
        self.pulls = 0
        self.failures: list[tuple[str, int, dict[str, str]]] = []
        """Answers to give instead of the real ones: (path, status, body), first first."""
        self.shuffle_results = False
        self.reject_contestants: set[str] = set()
        self.max_records = 500
        self.on_push: Callable[[], None] | None = None
        """Called as each push arrives (a judge scoring on while the terminal drains)."""
        self.live_enabled = True
        self.enrolled_device: str | None = None
        self.sockets: list[web.WebSocketResponse] = []
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, port: int = 0) -> StandIn:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/v1/enrol/start", self.enrol_start)
        app.router.add_post("/v1/enrol/finish", self.enrol_finish)
        app.router.add_post("/v1/push", self.push)
        app.router.add_post("/v1/pull", self.pull)
        app.router.add_get("/v1/hello", self.hello)
        app.router.add_get("/v1/live", self.live)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port,
                           ssl_context=self.identity.server_ssl_context(), reuse_address=True)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        for ws in list(self.sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def _failure(self, path: str) -> web.Response | None:
        for i, (where, status, body) in enumerate(self.failures):
            if where == path:
                del self.failures[i]
                return web.json_response(body, status=status)
        return None

    async def hello(self, _request: web.Request) -> web.Response:
        return web.json_response({"event": self.event.id, "protocol": 1,
                                  "name": {"zh": self.event.name.zh, "en": self.event.name.en}})

    async def enrol_start(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.enrol_bodies.append(body)
        if (failed := self._failure("/v1/enrol/start")) is not None:
            return failed
        password = (self.code.password if self.knows_code
                    else EnrolmentCode(body["seat"], "00000000").password)  # a guess
        exchange = MasterExchange(body["seat"], password, base64.b64decode(body["pake"]))
        session = os.urandom(16).hex()
        self.exchanges[session] = exchange
        return web.json_response({"session": session,
                                  "pake": base64.b64encode(exchange.b).decode()})

    async def enrol_finish(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.enrol_bodies.append(body)
        if (failed := self._failure("/v1/enrol/finish")) is not None:
            return failed
        exchange = self.exchanges.pop(body["session"])
        key = base64.b64decode(body["device_key"])
        knew = exchange.check_terminal(base64.b64decode(body["confirm"]),
                                       self.identity.fingerprint, key, body["device_name"])
        if not knew and self.knows_code:
            return web.json_response({"error": "bad_code", "reason": "wrong code"}, status=403)
        # a rogue cannot tell: it answers as if the terminal's confirmation had checked
        device = self.enrolled_device or device_id_of(key)
        if self.knows_code:
            self.devices[device] = key
        answer: dict[str, Any] = {
            "device": device, "judge": self.event.judges[exchange.seat - 1].id,
            "event": event_snapshot(self.event), "event_digest": snapshot_digest(self.event),
            "master_key": base64.b64encode(public_key_bytes(self.identity.signing_key)).decode(),
            "server_time": iso_now(),
        }
        binding = {k: answer[k] for k in ("judge", "device", "event_digest", "master_key")}
        answer["confirm"] = base64.b64encode(exchange.confirm(binding)).decode()
        if self.alter_answer:
            other = public_key_bytes(generate_signing_key())
            answer["master_key"] = base64.b64encode(other).decode()
        return web.json_response(answer)

    def _receipt(self, device: str, seq: int, record_hash: str, position: int) -> dict[str, str]:
        body = Receipt(self.event.id, device, seq, record_hash, position, iso_now()).body()
        return sign_body(self.receipt_key, body).to_wire()

    async def push(self, request: web.Request) -> web.Response:
        if (failed := self._failure("/v1/push")) is not None:
            return failed
        body = await request.json()
        if len(body["records"]) > self.max_records:
            return web.json_response({"error": "too_large", "reason": "too many"}, status=413)
        device = body["device"]
        self.pushes.append(len(body["records"]))
        if self.on_push is not None:
            self.on_push()
        results = []
        for wire in body["records"]:
            record = SignedRecord.from_wire(wire)
            assert record.verify(self.devices[device])
            sheet = sheet_from_body(record.parsed())
            if sheet.contestant in self.reject_contestants:
                results.append({"hash": record.hash, "seq": sheet.seq, "status": "rejected",
                                "code": "locked", "reason": f"{sheet.contestant} is locked",
                                "receipt": None})
                continue
            key = (device, sheet.seq)
            status = "duplicate" if key in self.held else "accepted"
            if status == "accepted":
                self.ledger.append(record.hash)
                self.held[key] = (record.hash, self._receipt(device, sheet.seq, record.hash,
                                                             len(self.ledger)))
            results.append({"hash": record.hash, "seq": sheet.seq, "status": status,
                            "code": None, "reason": None, "receipt": self.held[key][1]})
        if self.shuffle_results:
            results.reverse()
        return web.json_response({"results": results, "server_time": iso_now()})

    async def pull(self, request: web.Request) -> web.Response:
        if (failed := self._failure("/v1/pull")) is not None:
            return failed
        record = SignedRecord.from_wire(await request.json())
        body = record.parsed()
        assert record.verify(self.devices[body["device"]])
        self.pulls += 1
        cursor = body["cursor"]
        return web.json_response({
            "cursor": len(self.notices),
            "notices": [n for n in self.notices if n["id"] > cursor],
            "receipts": [r for (d, _s), (_h, r) in sorted(self.held.items())
                         if d == body["device"]],
            "event_digest": snapshot_digest(self.event), "server_time": iso_now(),
        })

    async def live(self, request: web.Request) -> web.StreamResponse:
        if not self.live_enabled:
            raise web.HTTPNotFound()
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        nonce = os.urandom(16).hex()
        await ws.send_json({"type": "challenge", "nonce": nonce})
        hello = SignedRecord.from_wire(await ws.receive_json())
        body = hello.parsed()
        assert body["nonce"] == nonce and hello.verify(self.devices[body["device"]])
        self.sockets.append(ws)
        try:
            async for message in ws:
                assert message.type is WSMsgType.TEXT
        finally:
            self.sockets.remove(ws)
        return ws

    async def notice(self, kind: str, payload: dict[str, Any]) -> None:
        self.notices.append({"id": len(self.notices) + 1, "kind": kind, "judge": None,
                             "payload": payload})
        for ws in list(self.sockets):
            await ws.send_json({"type": "poke", "cursor": len(self.notices)})


@pytest.fixture
def event(fixtures_dir: Path) -> Event:
    return livestream(fixtures_dir)


@pytest.fixture
def identity(tmp_path: Path) -> MasterIdentity:
    return ensure_master_identity(tmp_path / "master", now=NOW)


@pytest.fixture
async def stand_in(identity: MasterIdentity, event: Event) -> AsyncIterator[StandIn]:
    master = await StandIn(identity, event).start()
    yield master
    await master.stop()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TerminalStore]:
    s = TerminalStore.open(tmp_path / "judge")
    yield s
    s.close()


def code() -> str:
    """The stand-in's code as a judge types it."""
    return CODE.encode()


def marks(event: Event, minus: int = 0) -> dict[str, Decimal]:
    return {c.id: c.max - c.step * minus for c in event.criteria}


def fill(store: TerminalStore, event: Event, count: int) -> list[str]:
    """`count` sheets: each contestant of J1's panel in turn, corrections after the first."""
    panel = [c.id for c in event.contestants]
    hashes = []
    for i in range(count):
        cid = panel[i % len(panel)]
        reason = "again" if store.current_sheet(cid) else None
        hashes.append(store.submit_sheet(cid, marks(event, i % 3), "", reason, now=NOW).hash)
    return hashes


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


# --- push -------------------------------------------------------------------------------------


async def test_push_sends_batches_of_500_in_seq_order(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
        hashes = fill(store, event, 1201)
        summary = await client.drain()
    assert stand_in.pushes == [500, 500, 201]
    assert stand_in.ledger == hashes
    assert (summary.sent, summary.accepted) == (1201, 1201) and store.outbox_size() == 0


async def test_the_next_batch_is_on_its_way_before_the_last_one_is_settled(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The master ingests batch n+1 while the terminal checks and stores batch n's receipts:
    the request's body is handed to the connection before that work starts."""
    steps: list[tuple[str, int]] = []
    send, settle = SyncClient._send, SyncClient._settle

    class Logged(asyncio.Event):
        def __init__(self, first: int) -> None:
            super().__init__()
            self.first = first

        def set(self) -> None:
            if not self.is_set():
                steps.append(("sent", self.first))
            super().set()

    async def logged_send(client: SyncClient, enrolment: Any, session: Any,
                          wires: list[dict[str, str]], body_written: Any = None) -> Any:
        first = sheet_from_body(SignedRecord.from_wire(wires[0]).parsed()).seq
        return await send(client, enrolment, session, wires, Logged(first))

    async def logged_settle(client: SyncClient, batch: Any, answer: Any) -> Any:
        steps.append(("settle", batch[0].seq))
        return await settle(client, batch, answer)

    monkeypatch.setattr(SyncClient, "_send", logged_send)
    monkeypatch.setattr(SyncClient, "_settle", logged_settle)
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
        fill(store, event, 1201)
        await client.drain()
    assert steps == [("sent", 1), ("sent", 501), ("settle", 1), ("sent", 1001),
                     ("settle", 501), ("settle", 1001)]
    assert store.outbox_size() == 0


async def test_sheets_saved_during_a_drain_go_in_the_same_drain(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
        hashes = fill(store, event, 1201)
        stand_in.on_push = lambda: hashes.extend(
            fill(store, event, 1) if len(stand_in.pushes) == 2 else [])
        summary = await client.drain()
    assert stand_in.ledger == hashes and len(hashes) == 1202  # each once, in seq order
    assert summary.accepted == 1202 and store.outbox_size() == 0


async def test_too_large_halves_the_batch(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    stand_in.max_records = 150
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
        fill(store, event, 400)
        await client.drain()
    assert stand_in.pushes == [100, 100, 100, 100] and store.outbox_size() == 0  # 400, 200: 413


async def test_receipts_from_another_key_are_refused_and_the_sheets_wait(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    stand_in.receipt_key = generate_signing_key()
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
        fill(store, event, 3)
        summary = await client.drain()  # returns: no looping on receipts that never verify
    assert summary.accepted == 3 and len(summary.problems) == 3
    assert all("not signed by the enrolled head judge" in p for p in summary.problems)
    assert store.outbox_size() == 3 and store.status().receipts == 0


async def test_results_that_do_not_match_the_records_sent_store_nothing(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    stand_in.shuffle_results = True
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
        fill(store, event, 2)
        with pytest.raises(ProtocolViolation):
            await client.push_once()
    assert store.outbox_size() == 2 and store.status().receipts == 0


async def test_rejections_are_stored_and_leave_the_outbox(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    stand_in.reject_contestants = {"L02"}
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
        hashes = fill(store, event, 3)
        summary = await client.push_once()
    assert (summary.accepted, summary.rejected) == (2, 1)
    rejected = store.record(hashes[1])
    assert rejected is not None and not rejected.in_outbox
    assert (rejected.rejected_code, rejected.rejected_reason) == ("locked", "L02 is locked")
    assert store.outbox_size() == 0


async def test_whole_request_refusals_raise_with_the_masters_reason(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
        fill(store, event, 1)
        stand_in.failures.append(("/v1/push", 403, {
            "error": "revoked_device", "reason": "this terminal was replaced by another device"}))
        with pytest.raises(MasterRefused) as caught:
            await client.push_once()
        assert caught.value.code == "revoked_device" and "replaced" in str(caught.value)
        stand_in.failures.append(("/v1/push", 502, {}))
        with pytest.raises(MasterUnreachable, match="HTTP 502"):
            await client.push_once()
    assert store.outbox_size() == 1


# --- enrolment --------------------------------------------------------------------------------


async def test_enrol_refusals_and_bad_answers_store_nothing(
    store: TerminalStore, stand_in: StandIn
) -> None:
    async with SyncClient(store) as client:
        stand_in.failures.append(("/v1/enrol/start", 403, {
            "error": "seat_locked", "reason": "seat J1 is locked after 10 wrong codes"}))
        with pytest.raises(MasterRefused, match="locked after 10 wrong codes") as caught:
            await client.enrol(code(), "127.0.0.1", stand_in.port)
        assert caught.value.code == "seat_locked"
        # a well-formed code that is not the one the master issued: its confirmation fails
        other = EnrolmentCode(CODE.seat, "48271957").encode()
        with pytest.raises(MasterRefused, match="wrong code") as caught:
            await client.enrol(other, "127.0.0.1", stand_in.port)
        assert caught.value.code == "bad_code"
        stand_in.failures.append(("/v1/enrol/finish", 409, {
            "error": "stale_session", "reason": "enter the code again"}))
        with pytest.raises(MasterRefused, match="enter the code again"):
            await client.enrol(code(), "127.0.0.1", stand_in.port)
        stand_in.enrolled_device = "0000000000000000"
        with pytest.raises(ProtocolViolation, match="another device id"):
            await client.enrol(code(), "127.0.0.1", stand_in.port)
    assert store.enrolment() is None
    assert [sorted(b) for b in stand_in.enrol_bodies[1:3]] == [
        ["pake", "protocol", "seat"], ["confirm", "device_key", "device_name", "protocol",
                                       "session"]]
    sent = b"".join(repr(b).encode() for b in stand_in.enrol_bodies)
    assert CODE.password not in sent and CODE.digits.encode() not in sent  # never sent


@pytest.fixture
async def rogue(tmp_path: Path, event: Event) -> AsyncIterator[StandIn]:
    """A stand-in with a key of its own that does not know the code: it runs the exchange
    with a guess and answers whatever the terminal confirms."""
    master = StandIn(ensure_master_identity(tmp_path / "rogue", now=NOW), event)
    master.knows_code = False
    await master.start()
    yield master
    await master.stop()


async def test_a_master_that_does_not_know_the_code_is_not_the_master(
    store: TerminalStore, stand_in: StandIn, rogue: StandIn, identity: MasterIdentity
) -> None:
    async with SyncClient(store) as client:
        with pytest.raises(NotTheMaster, match="could not prove it knows your enrolment code"
                           ) as caught:
            await client.enrol(code(), "127.0.0.1", rogue.port)
        assert caught.value.fingerprint == rogue.identity.fingerprint
        assert len(rogue.enrol_bodies) == 2  # it answered both halves, with its own guess
        assert store.enrolment() is None  # nothing stored, the rogue's key not pinned
        enrolment = await client.enrol(code(), "127.0.0.1", stand_in.port)
    assert enrolment.pin == identity.fingerprint != rogue.identity.fingerprint
    assert enrolment.master_key == public_key_bytes(identity.signing_key)


async def test_a_confirmation_that_covers_another_answer_is_not_the_master(
    store: TerminalStore, stand_in: StandIn
) -> None:
    """The master knows the code but its answer (here the master key receipts are checked
    with) is not the one its confirmation covers: tampered with on the way, or a relay."""
    stand_in.alter_answer = True
    async with SyncClient(store) as client:
        with pytest.raises(NotTheMaster):
            await client.enrol(code(), "127.0.0.1", stand_in.port)
        assert store.enrolment() is None
        stand_in.alter_answer = False  # control: the same exchange, the answer untouched
        assert (await client.enrol(code(), "127.0.0.1", stand_in.port)).judge == "J1"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once it is closed


async def test_enrol_any_skips_what_cannot_be_reached_and_enrols_with_the_first_answer(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity
) -> None:
    async with SyncClient(store) as client:
        enrolment, skipped = await client.enrol_any(
            code(), [("127.0.0.1", closed_port()), ("127.0.0.1", stand_in.port)])
    assert enrolment.port == stand_in.port and enrolment.pin == identity.fingerprint
    assert len(skipped) == 1 and isinstance(skipped[0], MasterUnreachable)


async def test_enrol_any_stops_at_the_first_master_that_answers(
    store: TerminalStore, stand_in: StandIn, rogue: StandIn
) -> None:
    """Each master tried costs the code a guess: a rogue that answers ends the search."""
    async with SyncClient(store) as client:
        with pytest.raises(NotTheMaster):
            await client.enrol_any(code(), [("127.0.0.1", rogue.port),
                                            ("127.0.0.1", stand_in.port)])
        stand_in.failures.append(("/v1/enrol/start", 403, {
            "error": "bad_code", "reason": "no enrolment code is waiting for seat 1"}))
        with pytest.raises(MasterRefused, match="no enrolment code is waiting"):
            await client.enrol_any(code(), [("127.0.0.1", stand_in.port),
                                            ("127.0.0.1", rogue.port)])
    assert len(rogue.enrol_bodies) == 2 and len(stand_in.enrol_bodies) == 1
    assert store.enrolment() is None


# --- the run loop -----------------------------------------------------------------------------


async def test_backoff_doubles_from_0_2_to_5_seconds_with_jitter(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
    await stand_in.stop()  # nobody answers any more
    fill(store, event, 1)

    class Recording(SyncClient):
        delays: ClassVar[list[float]] = []

        async def _pause(self, stop: asyncio.Event, delay: float) -> None:
            self.delays.append(delay)
            if len(self.delays) >= 9:
                stop.set()

    stop = asyncio.Event()
    client = Recording(store, rng=random.Random(3))
    await asyncio.wait_for(client.run(stop), 10)
    await client.close()
    ceilings = [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0, 5.0, 5.0]
    assert all(c / 2 <= d <= c for d, c in zip(client.delays, ceilings, strict=True))
    assert len(set(client.delays)) == len(client.delays)  # jittered


async def test_run_goes_offline_and_back_online_and_drains(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    states: list[SyncState] = []
    client = SyncClient(store, on_state=states.append, backoff_initial=0.02, backoff_max=0.1,
                        offline_after=0.2)
    await client.enrol(code(), "127.0.0.1", stand_in.port)
    port = stand_in.port
    stop = asyncio.Event()
    task = asyncio.create_task(client.run(stop))
    try:
        await wait_for(lambda: client.state.connection == "online")
        await stand_in.stop()
        hashes = fill(store, event, 5)
        client.wake()
        await wait_for(lambda: client.state.connection == "offline")
        assert client.state.outbox == 5 and client.state.error
        await stand_in.start(port)
        await wait_for(lambda: client.state.connection == "online" and client.state.outbox == 0)
    finally:
        stop.set()
        await task
        await client.close()
    assert stand_in.ledger == hashes
    seen = [s.connection for s in states]
    after = seen[seen.index("online"):]
    assert after.index("reconnecting") < after.index("offline") < after.index("online", 1)
    assert states[-1].connection == "offline" and states[-1].last_receipt_at
    status = store.status()  # what the screen shows agrees with the store's full status
    assert (states[-1].outbox, states[-1].last_receipt_at, states[-1].master) == (
        status.outbox, status.last_receipt_at, status.master)


async def test_without_a_live_channel_the_client_polls_for_notices(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity
) -> None:
    stand_in.live_enabled = False
    got: list[str] = []
    client = SyncClient(store, poll_interval=0.05, on_notice=lambda n: got.append(n.kind))
    await client.enrol(code(), "127.0.0.1", stand_in.port)
    stop = asyncio.Event()
    task = asyncio.create_task(client.run(stop))
    try:
        await wait_for(lambda: client.state.connection == "online")
        await stand_in.notice("review_request", {"contestant": "L01"})
        await wait_for(lambda: got == ["review_request"], timeout=1.0)
    finally:
        stop.set()
        await task
        await client.close()


async def test_a_poke_on_the_live_channel_pulls_at_once(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity
) -> None:
    got: list[float] = []
    client = SyncClient(store, on_notice=lambda n: got.append(time.monotonic()))
    await client.enrol(code(), "127.0.0.1", stand_in.port)
    stop = asyncio.Event()
    task = asyncio.create_task(client.run(stop))
    try:
        await wait_for(lambda: bool(stand_in.sockets) and client.state.connection == "online")
        await wait_for(lambda: stand_in.pulls == 2)  # the one extra pull after connecting
        await asyncio.sleep(0.1)
        pulls = stand_in.pulls
        sent = time.monotonic()
        await stand_in.notice("lock", {"contestant": "L03"})
        await wait_for(lambda: bool(got), timeout=1.0)
        assert got[0] - sent < 0.5 and stand_in.pulls == pulls + 1
    finally:
        stop.set()
        await task
        await client.close()
    assert [n.kind for n in store.notices()] == ["lock"]


async def test_run_stops_at_once_even_in_the_middle_of_a_discovery(
    store: TerminalStore, stand_in: StandIn, identity: MasterIdentity, event: Event
) -> None:
    """A judge closing the laptop's terminal must not wait for a slow discovery (or a push
    to a master that does not answer) to time out."""
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
    await stand_in.stop()
    fill(store, event, 1)
    browsing = asyncio.Event()

    async def slow_discovery() -> list[FoundMaster]:
        browsing.set()
        await asyncio.sleep(3600)
        return []

    client = SyncClient(store, discover=slow_discovery, backoff_initial=0.01,
                        backoff_max=0.02)
    stop = asyncio.Event()
    task = asyncio.create_task(client.run(stop))
    await asyncio.wait_for(browsing.wait(), 10)
    stop.set()
    await asyncio.wait_for(task, 10)  # a liveness guard: without the fix, an hour
    await client.close()
    assert client.state.connection == "offline" and store.outbox_size() == 1


async def test_a_master_that_moved_is_found_again_by_discovery_and_the_pin(
    tmp_path: Path, store: TerminalStore, stand_in: StandIn, identity: MasterIdentity,
    event: Event,
) -> None:
    rogue = ensure_master_identity(tmp_path / "rogue", now=NOW)
    async with SyncClient(store) as client:
        await client.enrol(code(), "127.0.0.1", stand_in.port)
    store.set_master_address("127.0.0.1", 9)  # the master moved: nothing answers there now
    fill(store, event, 2)
    async with RecordingTLSServer(rogue) as fake:
        async def discover() -> list[FoundMaster]:
            return [FoundMaster("127.0.0.1", fake.port, event.id, 1, "head judge"),
                    FoundMaster("127.0.0.1", stand_in.port, event.id, 1, "head judge (2)")]

        states: list[SyncState] = []
        client = SyncClient(store, discover=discover, backoff_initial=0.01, backoff_max=0.05,
                            on_state=states.append)
        stop = asyncio.Event()
        task = asyncio.create_task(client.run(stop))
        try:
            await wait_for(lambda: store.outbox_size() == 0)
        finally:
            stop.set()
            await task
            await client.close()
    assert store.require_enrolment().port == stand_in.port and fake.received == b""
    assert any(s.error and "not the head judge you enrolled with" in s.error for s in states)
