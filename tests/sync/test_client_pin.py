"""The pin check: a master with another key gets a TLS handshake and not one HTTP byte.

The rogue is a real TLS server with its own certificate on loopback that records every
decrypted byte a client sends it. A positive control (an enrolment's first connection, which
nothing pins yet) shows the recorder does see a request when the pin allows it. An enrolment
pins on first use (`pinned_session(None)`): whoever answers its first connection is the only
one its later connections may reach, and the code's exchange (tests/sync/test_client.py)
decides whether that was the head judge.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from sync.client import (
    CodeTypo,
    MasterUnreachable,
    PinMismatch,
    PinnedConnector,
    ProtocolViolation,
    SyncClient,
    SyncState,
    pinned_session,
)
from sync.codes import EnrolmentCode
from sync.event import Event
from sync.identity import MasterIdentity, ensure_master_identity, format_fingerprint
from sync.store import TerminalStore
from tests.sync.test_store import enrol_store, livestream

NOW = dt.datetime(2025, 5, 17, 9, 30, tzinfo=dt.UTC)
CODE = EnrolmentCode(7, "31415926")


class RecordingTLSServer:
    """Accepts TCP, does the TLS handshake with `identity`'s certificate, records every
    application byte received. Never answers."""

    def __init__(self, identity: MasterIdentity) -> None:
        self.identity = identity
        self.accepted = 0
        self.handshakes = 0
        self.received = bytearray()
        self._server: asyncio.Server | None = None
        self._done = asyncio.Event()

    async def __aenter__(self) -> RecordingTLSServer:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            await writer.start_tls(self.identity.server_ssl_context())
            self.handshakes += 1
            while data := await reader.read(65536):
                self.received += data
        except (ConnectionError, ssl.SSLError, OSError):
            pass
        finally:
            writer.close()
            self._done.set()

    async def wait_for_connection(self, timeout: float = 5.0) -> None:
        await asyncio.wait_for(self._done.wait(), timeout)


@pytest.fixture
def real(tmp_path: Path) -> MasterIdentity:
    return ensure_master_identity(tmp_path / "real-master", now=NOW)


@pytest.fixture
def rogue(tmp_path: Path) -> MasterIdentity:
    return ensure_master_identity(tmp_path / "rogue-master", now=NOW)


@pytest.fixture
def event(fixtures_dir: Path) -> Event:
    return livestream(fixtures_dir)


class Hello:
    """A real aiohttp TLS server with `identity`'s certificate that answers GET /v1/hello."""

    def __init__(self, identity: MasterIdentity) -> None:
        self.identity = identity
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> Hello:
        app = web.Application()
        app.router.add_get("/v1/hello", self._hello)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0,
                           ssl_context=self.identity.server_ssl_context())
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _hello(self, _request: web.Request) -> web.Response:
        return web.json_response({"protocol": 1})


async def test_first_use_pin_takes_the_first_connections_key_and_holds_it(
    real: MasterIdentity, rogue: MasterIdentity
) -> None:
    async with Hello(real) as master, RecordingTLSServer(rogue) as server, \
            pinned_session(None) as session:
        connector = session.connector
        assert isinstance(connector, PinnedConnector) and connector.pin is None
        async with session.get(f"https://127.0.0.1:{master.port}/v1/hello") as response:
            assert response.status == 200 and (await response.json())["protocol"] == 1
        assert connector.pin == real.fingerprint and connector.verified == 1
        # a later connection of the same session (an enrolment's finish, say) to another key
        with pytest.raises(PinMismatch) as caught:
            async with session.post(f"https://127.0.0.1:{server.port}/v1/enrol/finish",
                                    data=b'{"confirm": "x"}'):
                pass
        await server.wait_for_connection()
        assert connector.pin == real.fingerprint  # not moved by the failed connection
    assert server.handshakes == 1 and server.received == b""
    assert f"fingerprint {rogue.fingerprint_text}" in str(caught.value)
    assert f"expected {real.fingerprint_text}" in str(caught.value)


async def test_control_the_recorder_sees_the_start_and_never_the_code(
    tmp_path: Path, rogue: MasterIdentity
) -> None:
    """An enrolment's first connection reaches whoever answers (nothing is pinned yet): the
    recorder sees the start, with the seat and a SPAKE2 message, and no digit of the code."""
    with TerminalStore.open(tmp_path / "t") as store:
        async with RecordingTLSServer(rogue) as server, \
                SyncClient(store, request_timeout=1.0) as client:
            with pytest.raises(MasterUnreachable):  # the recorder never answers
                await client.enrol(CODE.encode(), "127.0.0.1", server.port)
        assert bytes(server.received).startswith(b"POST /v1/enrol/start HTTP/1.1\r\n")
        assert b'"seat":7' in server.received and b'"pake":' in server.received
        assert CODE.password not in server.received
        assert CODE.digits.encode() not in server.received
        assert store.enrolment() is None


async def test_a_typo_in_the_code_is_caught_before_connecting(
    tmp_path: Path, real: MasterIdentity
) -> None:
    code = CODE.encode()
    typo = code[:3] + str((int(code[3]) + 1) % 10) + code[4:]
    with TerminalStore.open(tmp_path / "t") as store:
        async with RecordingTLSServer(real) as server, SyncClient(store) as client:
            with pytest.raises(CodeTypo) as caught:
                await client.enrol(typo, "127.0.0.1", server.port)
        assert server.accepted == 0
        assert caught.value.kind == "check" and "check digit" in str(caught.value)


async def _enrolled_with_sheets(tmp_path: Path, event: Event, pin: bytes, port: int
                                ) -> TerminalStore:
    store = TerminalStore.open(tmp_path / "t")
    enrol_store(store, event, pin=pin, port=port)
    for cid in ("L01", "L02", "L03"):
        store.submit_sheet(cid, {c.id: c.max for c in event.criteria}, now=NOW)
    return store


async def test_push_pull_and_hello_send_nothing_to_a_master_whose_key_changed(
    tmp_path: Path, real: MasterIdentity, rogue: MasterIdentity, event: Event
) -> None:
    # the enrolled master's address now answers with another key (a rogue, or a master that
    # lost its identity): refused until this laptop is enrolled again
    async with RecordingTLSServer(rogue) as server:
        with await _enrolled_with_sheets(tmp_path, event, real.fingerprint, server.port) as store:
            async with SyncClient(store) as client:
                for attempt in (client.push_once, client.pull_once,
                                lambda: client.hello("127.0.0.1", server.port)):
                    with pytest.raises(PinMismatch, match="not the head judge you enrolled"):
                        await attempt()
            assert store.outbox_size() == 3 and store.cursor() == 0
            assert all(r.rejected_code is None for r in store.sheets())
    assert server.accepted == 3 and server.received == b""


async def test_run_reports_the_mismatch_and_keeps_sending_nothing(
    tmp_path: Path, real: MasterIdentity, rogue: MasterIdentity, event: Event
) -> None:
    states: list[SyncState] = []
    async with RecordingTLSServer(rogue) as server:
        with await _enrolled_with_sheets(tmp_path, event, real.fingerprint, server.port) as store:
            client = SyncClient(store, on_state=states.append, backoff_initial=0.01,
                                backoff_max=0.05)
            stop = asyncio.Event()
            task = asyncio.create_task(client.run(stop))
            for _ in range(200):
                await asyncio.sleep(0.01)
                if server.accepted >= 3:
                    break
            stop.set()
            await asyncio.wait_for(task, 5)
            await client.close()
    assert server.accepted >= 3 and server.received == b""
    errors = {s.error for s in states if s.error}
    assert any(e.startswith("this is not the head judge you enrolled with") for e in errors)
    assert {s.connection for s in states} <= {"reconnecting", "offline"}
    assert states[-1].connection == "offline" and states[-1].outbox == 3


async def test_fail_closed_if_the_pin_hook_is_ever_skipped(
    tmp_path: Path, real: MasterIdentity, rogue: MasterIdentity, event: Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should a future aiohttp stop calling the hook, the trace guard refuses to send."""

    async def unchecked(self: PinnedConnector, *args: Any, **kwargs: Any) -> Any:
        return await aiohttp.TCPConnector._wrap_create_connection(self, *args, **kwargs)

    monkeypatch.setattr(PinnedConnector, "_wrap_create_connection", unchecked)
    async with RecordingTLSServer(rogue) as server:
        with await _enrolled_with_sheets(tmp_path, event, real.fingerprint, server.port) as store:
            async with SyncClient(store) as client:
                with pytest.raises(ProtocolViolation, match="skipped the pin check"):
                    await client.push_once()
            await asyncio.sleep(0.1)
    assert server.received == b""


def test_the_message_names_both_fingerprints(real: MasterIdentity,
                                             rogue: MasterIdentity) -> None:
    exc = PinMismatch(rogue.fingerprint, real.fingerprint)
    assert str(exc) == (
        "this is not the head judge you enrolled with (fingerprint "
        f"{format_fingerprint(rogue.fingerprint)}, expected {real.fingerprint_text})"
    )
