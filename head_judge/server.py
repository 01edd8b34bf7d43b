"""The master's HTTPS server (aiohttp, TLS 1.3 only): the routes of docs/protocol.md over a
`Master`, the live websocket that pokes terminals, and the mDNS advertisement.

Every request body is read with a 1 MiB limit (413 `too_large`) and parsed strictly before
the master sees it: UTF-8, JSON nested at most `MAX_REQUEST_DEPTH` deep (checked before the
parser recurses), no duplicate keys, no fractions, NaN or Infinity (400 `bad_request`). Every
error answer is `{"error": CODE, "reason": TEXT}`; a 500 only ever comes from a bug, and is
logged. Ledger writes are serialised by one asyncio lock, and pushes that arrive together
are committed together; the clock is read here, never in the master.

While serving, the master signs a checkpoint of the ledger every `checkpoint_interval` seconds
(default 5 minutes) when anything was appended since the last one; each checkpoint reaches
every terminal as a `checkpoint` notice at its next periodic pull (not poked, so that they do
not all pull at once), so copies of it live on laptops the master does not control.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import ipaddress
import json
import logging
import os
import signal
import socket
import ssl
from asyncio import sslproto
from collections.abc import Awaitable, Callable, Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, NoReturn

import ifaddr
from aiohttp import WSMsgType, web

from sync import discovery
from sync.clock import Clock, utc_now
from sync.event_file import load_event
from sync.home import HomeInUse, HomeLock
from sync.problems import os_reason

from .actions import HeadJudge
from .appeals import ScopeStanding, declare_official
from .checkpoints import DEFAULT_CHECKPOINT_INTERVAL
from .glyphs import event_warnings
from .ledger import Entry
from .master import MAX_RECORDS_PER_PUSH, Device, Master, MasterError, Notice, Rejection, Signed
from .refusals import Message
from .screen_server import ScreenServer, ScreenUnavailable, open_screen
from .signature_checker import SignatureChecker

__all__ = [
    "DEFAULT_CHECKPOINT_INTERVAL",
    "DEFAULT_PORT",
    "MAX_BODY_BYTES",
    "MAX_REQUEST_DEPTH",
    "OFFICIAL_INTERVAL",
    "SERVE_LOCK",
    "MasterServer",
    "freeze_heap",
    "lan_addresses",
    "lock_home",
    "parse_request_json",
    "run_master",
]

log = logging.getLogger("head_judge")

DEFAULT_PORT: Final = 8765
MAX_BODY_BYTES: Final = 1024 * 1024
MAX_REQUEST_DEPTH: Final = 4
"""Containers a request may nest: a push is `{"records": [{"body", "sig"}]}`, depth 3."""
UNHURRIED_NOTICES: Final = frozenset({"checkpoint"})
"""Notices that wait for each terminal's next periodic pull instead of a poke: nothing waits
on them, and a poke would make every terminal pull (with all its receipts) at the same
moment, in the middle of the final's pushes."""
VERIFY_OFF_LOOP_FROM: Final = 16
"""Pushes of at least this many records have their signatures checked by the
`SignatureChecker`'s process while they are ingested; for fewer, the hop to the other
process would cost more than it saves."""
HELLO_TIMEOUT: Final = 10.0
LIVE_MAX_MESSAGE: Final = 64 * 1024
MIRROR_WAIT: Final = 2.0
"""Seconds the standby's mirror request waits for a new entry before answering empty."""
MIRROR_POLL: Final = 0.02
STANDBY_WAIT: Final = 3.0
"""Seconds an enrolment waits for a mirroring standby to hold it before answering anyway."""



def _bad(reason: str) -> Rejection:
    return Rejection("bad_request", reason, 400)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _bad(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _no_fraction(literal: str) -> NoReturn:
    raise _bad(f"the number {literal} has a fraction or exponent; scores travel as text")


def _no_constant(literal: str) -> NoReturn:
    raise _bad(f"{literal} is not JSON")


def parse_request_json(raw: bytes, max_depth: int = MAX_REQUEST_DEPTH) -> object:
    """A request body as JSON, or Rejection `bad_request` saying what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(f"the body is not UTF-8 (byte {exc.start})") from None
    try:
        # the parser stops a deep nest at the interpreter's recursion limit, which a 1 MiB
        # body reaches in microseconds: cheaper than a scan of every body before parsing
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_float=_no_fraction,
                           parse_constant=_no_constant)
    except Rejection:
        raise
    except RecursionError:
        raise _too_deep(max_depth) from None
    except ValueError as exc:  # JSONDecodeError, and int() digit limits
        raise _bad(f"the body is not JSON: {exc}") from None
    if _deeper_than(value, max_depth):
        raise _too_deep(max_depth)
    return value


def _too_deep(max_depth: int) -> Rejection:
    return _bad(f"the body is nested deeper than {max_depth} levels")


def _deeper_than(value: object, limit: int) -> bool:
    """Whether `value` has containers nested more than `limit` deep (`[]` is depth 1)."""
    level: list[object] = [value]
    for _ in range(limit):
        level = [child for item in level
                 for child in (item.values() if isinstance(item, dict)
                               else item if isinstance(item, list) else ())]
        if not level:
            return False
    return any(isinstance(item, (dict, list)) for item in level)


async def _read_json(request: web.Request) -> object:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise _too_large()
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise _too_large() from None
    return parse_request_json(raw)


def _too_large() -> Rejection:
    return Rejection("too_large", f"the request is over {MAX_BODY_BYTES // 1024} KiB; "
                     "send fewer sheets at a time", 413)


_HTTP_ERROR_CODES: Final = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}


@web.middleware
async def _answer_errors(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Rejections and HTTP errors as `{"error", "reason"}`; anything else is a logged 500."""
    try:
        return await handler(request)
    except Rejection as exc:
        return web.json_response(exc.answer(), status=exc.http_status)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = _HTTP_ERROR_CODES.get(exc.status, "bad_request")
        reason = (_too_large().reason if exc.status == 413
                  else f"{request.method} {request.path}: {exc.reason}")
        return web.json_response({"error": code, "reason": reason}, status=exc.status)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("bug while answering %s %s", request.method, request.path)
        return web.json_response(
            {"error": "internal", "reason": "the head judge's computer hit a bug; the request "
             "was not recorded, try again"}, status=500)


@dataclass(eq=False)
class _LiveConnection:
    ws: web.WebSocketResponse
    device: Device
    pokes: asyncio.Queue[int] = field(default_factory=asyncio.Queue)

    async def send_pokes(self) -> None:
        while True:
            cursor = await self.pokes.get()
            while not self.pokes.empty():  # one poke covers every notice up to the newest
                cursor = max(cursor, self.pokes.get_nowait())
            try:
                await self.ws.send_json({"type": "poke", "cursor": cursor})
            except (ConnectionError, RuntimeError):
                return


class _AnyOf:
    """Signatures vouched for by any of a group's pushes (each push's own checks)."""

    def __init__(self, parts: list[Container[Signed]]) -> None:
        self._parts = [part for part in parts if not (isinstance(part, frozenset) and not part)]

    def __contains__(self, item: object) -> bool:
        return any(item in part for part in self._parts)


class _AlertingTLS(sslproto.SSLProtocol):
    """asyncio's TLS, except that a TLS error sends the alert OpenSSL wrote for the peer before
    the connection is dropped: asyncio drops it (CPython gh-98078, fixed upstream only in
    2026), so a TLS 1.2 client saw the connection close where a TLS server answers the
    `protocol_version` alert (70) and the client can say "TLS 1.3 needed"."""

    def _fatal_error(self, exc: BaseException, message: str = "Fatal error on transport"
                     ) -> None:
        outgoing = getattr(self, "_outgoing", None)  # the MemoryBIO OpenSSL writes to
        transport = self._transport
        if (isinstance(exc, ssl.SSLError) and isinstance(outgoing, ssl.MemoryBIO)
                and isinstance(transport, asyncio.WriteTransport)
                and not transport.is_closing()):
            with contextlib.suppress(Exception):  # best effort: the peer may be gone
                alert = outgoing.read()
                if alert:
                    transport.write(alert)  # sent at once: a fresh socket's buffer is empty
        super()._fatal_error(exc, message)


class _TLSSite(web.SockSite):
    """aiohttp's `SockSite` over `_AlertingTLS` instead of asyncio's own TLS."""

    async def start(self) -> None:
        await super(web.SockSite, self).start()  # BaseSite: registers the site
        loop = asyncio.get_running_loop()
        handler, context = self._runner.server, self._ssl_context
        assert handler is not None and context is not None

        def tls() -> _AlertingTLS:
            waiter = loop.create_future()  # done when the handshake is; nobody waits on it
            waiter.add_done_callback(lambda f: f.cancelled() or f.exception())
            return _AlertingTLS(loop, handler(), context, waiter, server_side=True)

        self._server = await loop.create_server(tls, sock=self._sock, backlog=self._backlog)


OFFICIAL_INTERVAL: Final = 30.0
"""Seconds between two looks for rankings whose appeal window closed (`results_official`)."""


class MasterServer:
    """The aiohttp application over one `Master`. `start` binds; `close` stops."""

    def __init__(self, master: Master, *, clock: Clock = utc_now,
                 checkpoint_interval: float | None = DEFAULT_CHECKPOINT_INTERVAL,
                 official_interval: float = OFFICIAL_INTERVAL) -> None:
        if checkpoint_interval is not None and checkpoint_interval <= 0:
            raise ValueError("checkpoint_interval must be positive (or None for none)")
        if official_interval <= 0:
            raise ValueError("official_interval must be positive")
        self.master = master
        self.clock = clock
        self.checkpoint_interval = checkpoint_interval
        self.official_interval = official_interval
        self._checkpointer: asyncio.Task[None] | None = None
        self._officiator: asyncio.Task[None] | None = None
        self.live: dict[str, set[_LiveConnection]] = {}
        self._write_lock = asyncio.Lock()
        self._queued_pushes: list[
            tuple[object, Container[Signed], asyncio.Future[dict[str, Any]]]] = []
        self._signatures = SignatureChecker()
        self._committer: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._socket: socket.socket | None = None
        self.app = web.Application(client_max_size=MAX_BODY_BYTES,
                                   middlewares=[_answer_errors])
        self.app.router.add_post("/v1/enrol/start", self._enrol_start)
        self.app.router.add_post("/v1/enrol/finish", self._enrol_finish)
        self.app.router.add_post("/v1/push", self._push)
        self.app.router.add_post("/v1/pull", self._pull)
        self.app.router.add_post("/v1/mirror", self._mirror)
        self.app.router.add_get("/v1/hello", self._hello)
        self.app.router.add_get("/v1/live", self._live)
        master.on_notice = self._poke

    async def start(self, host: str, port: int) -> int:
        """Listen with TLS 1.3 on `host:port` (0: any free port); the port bound."""
        try:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            sock = socket.create_server((host, port), family=family, backlog=128)
        except OSError as exc:
            raise MasterError("cannot_listen", host=host, port=port,
                              error=os_reason(exc)) from None
        self._socket = sock
        self.master.ledger.leaves()  # read now, so the first checkpoint does not stall a push
        self._signatures.start()
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = _TLSSite(self._runner, sock,
                        ssl_context=self.master.identity.server_ssl_context())
        await site.start()
        if self.checkpoint_interval is not None:
            self._checkpointer = asyncio.create_task(
                self._checkpoint_every(self.checkpoint_interval))
        if self.master.event.appeal_rules.window_minutes is not None:
            self._officiator = asyncio.create_task(self._official_every(self.official_interval))
        return int(sock.getsockname()[1])

    async def declare_official(self) -> list[ScopeStanding]:
        """Make official every ranking whose appeal window closed with nothing open (between
        requests); the rankings it made official."""
        async with self._write_lock:
            made = declare_official(HeadJudge(self.master, clock=self.clock))
        for s in made:  # one line per language of the event, as the screen's addresses
            said = Message("cli_official_made", version=s.version,
                           scope="/".join(p for p in (s.track, s.group) if p))
            for lang in self.master.event.languages:
                log.info("%s", said.render(lang))
        return made

    async def _official_every(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.declare_official()
            except Exception:  # never stop the server over it; try next time
                log.exception("making results official failed")

    async def checkpoint(self, reason: str = "periodic", *, only_if_new: bool = True
                         ) -> Entry | None:
        """Sign and append a checkpoint now (between requests); None if nothing was appended
        since the last one and `only_if_new`."""
        async with self._write_lock:
            entry = self.master.checkpoint(reason, now=self.clock(), only_if_new=only_if_new)
        if entry is not None:
            log.info("signed checkpoint of %d ledger entries (entry %d)", entry.seq - 1,
                     entry.seq)
        return entry

    async def _checkpoint_every(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.checkpoint()
            except Exception:  # a failed checkpoint must not stop the server; try next time
                log.exception("the periodic checkpoint failed")

    async def close(self) -> None:
        for task in (self._checkpointer, self._officiator):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._checkpointer = self._officiator = None
        for connections in list(self.live.values()):
            for connection in list(connections):
                with contextlib.suppress(Exception):
                    await connection.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._signatures.close()

    # --- handlers -----------------------------------------------------------------------------

    async def _hello(self, _request: web.Request) -> web.Response:
        return web.json_response(self.master.hello())

    async def _enrol_start(self, request: web.Request) -> web.Response:
        body = await _read_json(request)
        try:
            answer = self.master.enrol_start(body, self.clock())
        except Rejection as exc:
            seat = body.get("seat") if isinstance(body, dict) else None
            log.info("enrolment start refused for seat %r: %s", seat, exc.code)
            raise
        return web.json_response(answer)

    async def _enrol_finish(self, request: web.Request) -> web.Response:
        body = await _read_json(request)
        async with self._write_lock:
            try:
                answer = self.master.enrol_finish(body, self.clock())
            except Rejection as exc:
                log.info("enrolment refused: %s", exc.code)
                raise
        log.info("enrolled %s on device %s", answer["judge"], answer["device"])
        await self._standby_holds(self.master.ledger_size())
        for connection in list(self.live.get(answer["judge"], ())):
            if connection.device.id != answer["device"]:  # revoked just now
                await connection.ws.close(code=1008, message=b"device revoked")
        return web.json_response(answer)

    async def _push(self, request: web.Request) -> web.Response:
        body = await _read_json(request)
        verified = self._check_signatures(body)
        answered: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._queued_pushes.append((body, verified, answered))
        if self._committer is None or self._committer.done():
            self._committer = asyncio.create_task(self._commit_pushes())
        device = body.get("device") if isinstance(body, dict) else None
        try:
            answer = await answered
        except Rejection as exc:
            log.info("push from device %s refused: %s", device, exc.code)
            raise
        counts: dict[str, int] = {}
        for result in answer["results"]:
            key = result["code"] or result["status"]
            counts[key] = counts.get(key, 0) + 1
        log.info("push from device %s: %s", device,
                 ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        return web.json_response(answer)

    async def _commit_pushes(self) -> None:
        """Group commit: every push queued while the previous group was being written goes
        into one transaction, so concurrent terminals share one fsync. Each push still gets
        its own answer, and only after the commit."""
        while self._queued_pushes:
            async with self._write_lock:
                queued, self._queued_pushes = self._queued_pushes, []
                verified = _AnyOf([checked for _, checked, _ in queued])
                answers: list[dict[str, Any] | BaseException]
                try:
                    answers = [*self.master.push_many([body for body, _, _ in queued],
                                                      self.clock(), verified)]
                except Exception:  # a bug, rolled back: one by one, so only its push fails
                    answers = [self._push_alone(body) for body, _, _ in queued]
            for (_, _, answered), answer in zip(queued, answers, strict=True):
                if answered.done():  # the terminal hung up; its retry will be a duplicate
                    continue
                if isinstance(answer, BaseException):
                    answered.set_exception(answer)
                else:
                    answered.set_result(answer)
            await asyncio.sleep(0)  # let pushes that arrived meanwhile join the next group

    def _check_signatures(self, body: object) -> Container[Signed]:
        """For a push of many records from an enrolled device, start checking their
        signatures in the checker's process (`SignatureChecker`)."""
        records = body.get("records") if isinstance(body, dict) else None
        device_id = body.get("device") if isinstance(body, dict) else None
        if (not isinstance(records, list) or not isinstance(device_id, str)
                or not VERIFY_OFF_LOOP_FROM <= len(records) <= MAX_RECORDS_PER_PUSH):
            return frozenset()
        device = self.master.device(device_id)
        if device is None:
            return frozenset()
        return self._signatures.check(device.public_key, records)

    def _push_alone(self, body: object) -> dict[str, Any] | BaseException:
        try:
            return self.master.push(body, self.clock())
        except Exception as exc:
            return exc

    async def _pull(self, request: web.Request) -> web.Response:
        body = await _read_json(request)
        return web.json_response(self.master.pull(body, self.clock()))

    async def _mirror(self, request: web.Request) -> web.Response:
        """The standby's long poll: entries after what it holds, as soon as there are any
        (waiting up to `MIRROR_WAIT` seconds for one), so that it lags by milliseconds."""
        body = await _read_json(request)
        waited = 0.0
        while True:
            async with self._write_lock:  # it may append the succession record
                answer = self.master.mirror(body, self.clock())
            if answer["entries"] or waited >= MIRROR_WAIT:
                return web.json_response(answer)
            size = answer["size"]
            while waited < MIRROR_WAIT and self.master.ledger_size() == size:
                await asyncio.sleep(MIRROR_POLL)
                waited += MIRROR_POLL

    async def _standby_holds(self, seq: int) -> None:
        """Wait (at most `STANDBY_WAIT` seconds) until a standby that is mirroring holds entry
        `seq`: an enrolment answered only once the standby has it cannot be lost with this
        master (the terminal could not prove it to the successor)."""
        waited = 0.0
        while waited < STANDBY_WAIT:
            status = self.master.standby_status
            if status is None or status.mirrored >= seq or (
                    self.clock() - dt.datetime.fromisoformat(status.last_seen)
            ).total_seconds() > STANDBY_WAIT:
                return
            await asyncio.sleep(MIRROR_POLL)
            waited += MIRROR_POLL

    async def _live(self, request: web.Request) -> web.WebSocketResponse:
        if request.headers.get("Upgrade", "").lower() != "websocket":
            raise _bad("the live channel is a websocket: connect with an Upgrade request")
        ws = web.WebSocketResponse(heartbeat=20.0, max_msg_size=LIVE_MAX_MESSAGE)
        await ws.prepare(request)
        nonce = os.urandom(32).hex()
        await ws.send_json({"type": "challenge", "nonce": nonce})
        try:
            device = await self._live_hello(ws, nonce)
        except Rejection as exc:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await ws.send_json({"type": "error", **exc.answer()})
            await ws.close(code=1008, message=exc.code.encode())
            return ws
        connection = _LiveConnection(ws, device)
        self.live.setdefault(device.judge, set()).add(connection)
        sender = asyncio.create_task(connection.send_pokes())
        log.info("%s online (device %s)", device.judge, device.id)
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    await self._live_message(ws, device, message.data)
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
            self.live.get(device.judge, set()).discard(connection)
            log.info("%s offline (device %s)", device.judge, device.id)
        return ws

    async def _live_hello(self, ws: web.WebSocketResponse, nonce: str) -> Device:
        try:
            message = await ws.receive(timeout=HELLO_TIMEOUT)
        except TimeoutError:
            raise Rejection("bad_request", "no hello within "
                            f"{HELLO_TIMEOUT:g} seconds") from None
        if message.type is not WSMsgType.TEXT:
            raise _bad("expected a signed hello record as JSON text")
        raw = parse_request_json(str(message.data).encode("utf-8", "surrogatepass"))
        return self.master.authenticate_live(raw, nonce, self.clock())

    async def _live_message(self, ws: web.WebSocketResponse, device: Device, data: str) -> None:
        try:
            status = parse_request_json(data.encode("utf-8", "surrogatepass"))
            if (not isinstance(status, dict) or set(status) != {"type", "outbox", "device_time"}
                    or status["type"] != "status" or type(status["outbox"]) is not int
                    or status["outbox"] < 0 or not isinstance(status["device_time"], str)
                    or len(status["device_time"]) > 64):
                raise _bad('expected {"type": "status", "outbox": N, "device_time": ISO}')
        except Rejection as exc:
            await ws.send_json({"type": "error", **exc.answer()})
            return
        self.master.record_status(device.id, status["outbox"], status["device_time"],
                                  self.clock())

    def _poke(self, notice: Notice) -> None:
        if notice.kind in UNHURRIED_NOTICES:
            return
        if notice.judge is None:
            targets = [c for connections in self.live.values() for c in connections]
        else:
            targets = list(self.live.get(notice.judge, ()))
        for connection in targets:
            connection.pokes.put_nowait(notice.id)


# --- running it -------------------------------------------------------------------------------


def lan_addresses(host: str) -> list[str]:
    """The addresses to advertise for a server bound to `host`: `host` itself, or for a
    wildcard every IPv4 address of this machine that is not loopback (loopback if none)."""
    address = ipaddress.ip_address(host) if host else ipaddress.IPv4Address("0.0.0.0")
    if not address.is_unspecified:
        return [str(address)]
    found = [str(ip.ip) for adapter in ifaddr.get_adapters() for ip in adapter.ips
             if isinstance(ip.ip, str) and not ipaddress.ip_address(ip.ip).is_loopback]
    return list(dict.fromkeys(found)) or ["127.0.0.1"]


def freeze_heap() -> None:
    """Put what is alive now (the modules, the event, what the master loaded) out of the
    cycle collector's reach, after one last collection: a process that serves keeps it to
    the end, and every full collection that walks it stalls every request in flight
    (measured in the sync bench's master: 53 ms, and 4 ms once frozen). Frozen objects are
    still freed when nothing refers to them; only cycles alive now are never collected, so
    call it once, after startup, in a process of its own."""
    gc.collect()
    gc.freeze()


SERVE_LOCK: Final = "serve.lock"
"""The file in the master's home that `lock_home` locks while a master serves from it."""


def lock_home(home: Path) -> HomeLock:
    """Hold `home` for this serving process until the lock is released or the process ends:
    one master per home. MasterError, naming the other's PID and port, if another
    `head-judge serve` holds it (commands that write through SQLite need no lock)."""
    try:
        return HomeLock.acquire(home, SERVE_LOCK, "head-judge serve")
    except HomeInUse as exc:
        raise MasterError(str(exc)) from None


async def run_master(
    home: Path,
    event_path: Path | None,
    host: str = "0.0.0.0",
    port: int = DEFAULT_PORT,
    advertise: bool = True,
    *,
    stop: asyncio.Event | None = None,
    on_listening: Callable[[int], None] | None = None,
    checkpoint_interval: float | None = DEFAULT_CHECKPOINT_INTERVAL,
    screen_port: int | None = None,
) -> None:
    """Serve the event in `event_path` (None: the one `home` recorded, as a promoted standby
    does) from `home` until cancelled (Ctrl-C), SIGTERM or
    `stop` is set; `on_listening` gets the bound port. Signs a checkpoint every
    `checkpoint_interval` seconds (None: never). Serves the audience's screen on
    `screen_port` (0: any free port, None: no screen; a port that cannot be bound is logged
    and the judges are served without it). Raises InputProblems for a bad event
    file and MasterError for a home that holds another final, that another master serves
    from (`lock_home`) or a port that cannot be bound, before anything is served."""
    given = load_event(event_path) if event_path is not None else None
    lock = lock_home(home)
    try:
        master = Master.open(home, given, now=utc_now())
    except BaseException:
        lock.release()
        raise
    event = master.event
    server = MasterServer(master, checkpoint_interval=checkpoint_interval)
    stop = stop or asyncio.Event()
    advertisement: discovery.Advertisement | None = None
    screen: ScreenServer | ScreenUnavailable | None = None
    loop = asyncio.get_running_loop()
    try:
        bound = await server.start(host, port)
        lock.listening(bound)
        freeze_heap()
        log.info("head judge for %s (%s)", event.id, event.name.both(event.languages))
        log.info("fingerprint %s", master.identity.fingerprint_text)
        for warning in event_warnings(event):  # a name the sheets cannot print
            log.warning("%s", warning)
        log.info("listening on https://%s:%d", host, bound)
        if on_listening is not None:
            on_listening(bound)
        if screen_port is not None:
            screen = await open_screen(HeadJudge(master), host, screen_port,
                                       lan_addresses(host))
        if advertise:
            try:
                advertisement = await discovery.advertise(
                    event.id, f"head judge {event.id}", bound, lan_addresses(host))
                log.info("advertised on the LAN as %r", advertisement.name)
            except Exception as exc:  # mDNS is a convenience; terminals can use --master
                log.warning("mDNS advertising failed (%s); terminals can connect with "
                            "--master HOST:%d", exc, bound)
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on Windows
            loop.add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGTERM)
        if advertisement is not None:
            await advertisement.close()
        if isinstance(screen, ScreenServer):
            await screen.close()
        await server.close()
        master.close()
        lock.release()
        log.info("stopped")

