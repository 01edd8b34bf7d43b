"""The terminal side of the wire protocol (docs/protocol.md): enrol, push, pull, live pokes.

`SyncClient` is the library the judge terminal, simulated judges in tests, the demo and the
benchmarks use. It reads and writes only through a `TerminalStore` and talks only to the
master whose certificate SPKI matches the pinned fingerprint: the enrolment code's pin while
enrolling, the stored pin afterwards.

The pin is checked on every new connection right after the TLS handshake and before aiohttp
writes a single byte of the request (`PinnedConnector`); a mismatch closes the connection and
raises `PinMismatch`, so a rogue master sees a TLS handshake and nothing else: no request
line, headers, code, device key or sheet. A second, independent guard on aiohttp's public
tracing hooks refuses any connection the pin check did not see (fail closed should aiohttp's
internals change). Enrolment codes are checked for typos locally before anything is sent.

Refuses: receipts not signed by the enrolled master key (the record stays in the outbox),
answers that do not match what was sent. Per-record rejections are stored on the record,
which leaves the outbox. Times come from the `clock` argument, jitter from `rng`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import datetime as dt
import errno
import json
import platform
import random
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any, Literal

import aiohttp
from aiohttp.client_proto import ResponseHandler
from yarl import URL

from .clock import Clock, utc_now
from .codes import EnrolmentCode, TypedCodeError
from .discovery import FoundMaster
from .identity import (
    client_ssl_context,
    fingerprint_of_cert_der,
    format_fingerprint,
    matches_pin,
    public_key_bytes,
)
from .pake import PakeError, TerminalExchange
from .problems import Said
from .records import RecordError, SignedRecord, device_id_of, sign_body
from .store import CheckedReceipt, Enrolment, Notice, StoredRecord, StoreError, TerminalStore

__all__ = [
    "PROTOCOL",
    "CodeTypo",
    "MasterRefused",
    "MasterUnreachable",
    "NotTheMaster",
    "PinMismatch",
    "PinnedConnector",
    "ProtocolViolation",
    "PullSummary",
    "PushSummary",
    "SyncClient",
    "SyncError",
    "SyncState",
    "parse_code",
]

PROTOCOL = 1
MAX_BATCH = 500
MAX_REQUEST_BYTES = 1024 * 1024
MAX_ANSWER_BYTES = 64 * 1024 * 1024
_NONCE = re.compile(r"^[0-9a-f]{16,256}$")
_VERIFY_CHUNK = 50
CLOCK_REPORT_STEP = dt.timedelta(seconds=1)
"""A change of the clock offset this large reaches `on_state` (the screen) at once."""
"""Receipts verified between two yields to the event loop."""

Connection = Literal["online", "reconnecting", "offline"]


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="milliseconds")


# --- errors -----------------------------------------------------------------------------------


class SyncError(Exception):
    """A sync step that did not happen; `reason` is a plain sentence for the judge."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CodeTypo(SyncError):
    """The typed enrolment code has a typo; nothing was sent. `kind` is TypedCodeError's."""

    def __init__(self, reason: str, group: int | None, kind: str = "") -> None:
        super().__init__(reason)
        self.group = group
        self.kind = kind


class NotTheMaster(SyncError):
    """The master reached during an enrolment could not prove it knows the code (a rogue, or
    one relaying to the real master). Nothing of its answer was kept and no score goes to it."""

    def __init__(self, fingerprint: bytes) -> None:
        super().__init__(Said("net_not_master", fingerprint=format_fingerprint(fingerprint)))
        self.fingerprint = fingerprint


class PinMismatch(SyncError):
    """The peer is not the pinned master. Nothing but the TLS handshake reached it."""

    def __init__(self, actual: bytes | None, expected: bytes) -> None:
        shown = format_fingerprint(actual) if actual else Said("net_none")
        super().__init__(Said("net_pin_mismatch", actual=shown,
                              expected=format_fingerprint(expected)))
        self.actual = actual
        self.expected = expected


class MasterUnreachable(SyncError):
    """No answer (network down, master not running, timeout, or the master failed)."""


class MasterRefused(SyncError):
    """The master answered 4xx `{"error": code, "reason": ...}`."""

    def __init__(self, status: int, code: str, reason: str) -> None:
        super().__init__(reason or code)
        self.status = status
        self.code = code


class ProtocolViolation(SyncError):
    """The master's answer does not follow docs/protocol.md; nothing of it was stored."""


# --- the pinned connection --------------------------------------------------------------------


class PinnedConnector(aiohttp.TCPConnector):
    """A TLS-only connector that checks the peer's SPKI fingerprint against `pin` after the
    handshake and before the connection is handed to aiohttp for the request. With `pin`
    None (an enrolment, before the code's exchange has proven who the master is), the first
    connection's fingerprint becomes the pin for every later one."""

    def __init__(self, pin: bytes | None, **kwargs: Any) -> None:
        super().__init__(ssl=client_ssl_context(), **kwargs)
        self.pin = pin
        self.verified = 0

    async def _wrap_create_connection(  # aiohttp's hook: handshake done, nothing sent yet
        self, *args: Any, **kwargs: Any
    ) -> tuple[asyncio.Transport, ResponseHandler]:
        if not kwargs.get("ssl"):
            raise ProtocolViolation(Said("net_no_tls", tls="TLS"))
        transport, protocol = await super()._wrap_create_connection(*args, **kwargs)
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        if self.pin is None:
            with contextlib.suppress(ValueError):
                self.pin = fingerprint_of_cert_der(der) if der else None
            if self.pin is None:
                transport.abort()
                raise ProtocolViolation(Said("net_no_certificate"))
        if not matches_pin(der, self.pin):
            transport.abort()  # no request, no close_notify: nothing more reaches the peer
            actual = None
            with contextlib.suppress(ValueError):
                actual = fingerprint_of_cert_der(der) if der else None
            raise PinMismatch(actual, self.pin)
        self.verified += 1
        return transport, protocol


def _pin_guard(connector: PinnedConnector) -> aiohttp.TraceConfig:
    """Fail closed if a new connection ever reaches aiohttp without the pin check having run
    (this fires after the connection is made and before any request byte is written)."""
    created = [0]

    async def on_created(
        _session: aiohttp.ClientSession, _ctx: SimpleNamespace,
        _params: aiohttp.TraceConnectionCreateEndParams,
    ) -> None:
        created[0] += 1
        if created[0] > connector.verified:
            await connector.close()
            raise ProtocolViolation(Said("net_skipped_pin"))

    guard = aiohttp.TraceConfig()
    guard.on_connection_create_end.append(on_created)
    return guard


def _body_signal() -> aiohttp.TraceConfig:
    """Set the asyncio.Event a request passes as `trace_request_ctx` once its body is being
    written: aiohttp calls this just before it hands the body to the connection, in the same
    step, so whoever waits on the event resumes with the request on its way."""
    async def on_chunk(
        _session: aiohttp.ClientSession, ctx: SimpleNamespace,
        _params: aiohttp.TraceRequestChunkSentParams,
    ) -> None:
        if isinstance(ctx.trace_request_ctx, asyncio.Event):
            ctx.trace_request_ctx.set()

    signal = aiohttp.TraceConfig()
    signal.on_request_chunk_sent.append(on_chunk)
    return signal


def pinned_session(pin: bytes | None, *, connect_timeout: float = 5.0,
                   request_timeout: float = 30.0) -> aiohttp.ClientSession:
    """An aiohttp session that only ever talks to the master with fingerprint `pin` (None:
    with the fingerprint of its first connection, `session.connector.pin`)."""
    connector = PinnedConnector(pin, limit_per_host=4)
    return aiohttp.ClientSession(
        connector=connector,
        trace_configs=[_pin_guard(connector), _body_signal()],
        timeout=aiohttp.ClientTimeout(total=request_timeout, sock_connect=connect_timeout),
        trust_env=False,  # never a proxy: the pin is checked on the master's own connection
        auto_decompress=False,
        skip_auto_headers=("User-Agent",),
    )


async def call_master(
    session: aiohttp.ClientSession, method: str, host: str, port: int, path: str,
    payload: object | None = None, body_written: asyncio.Event | None = None,
) -> dict[str, Any]:
    """One request to the master; returns the JSON object of a 200 answer or raises a
    SyncError. `body_written` is set once the request's body is handed to the connection."""
    data = None
    headers = {}
    if payload is not None:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers["Content-Type"] = "application/json"
    where = f"{host}:{port}"
    try:
        async with session.request(method, _url(host, port, path), data=data,
                                   headers=headers, allow_redirects=False,
                                   trace_request_ctx=body_written) as response:
            body = await _read_capped(response, MAX_ANSWER_BYTES)
            status = response.status
    except SyncError:
        raise
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        raise MasterUnreachable(Said("net_cannot_reach", where=where,
                                     why=_describe(exc))) from None
    if status >= 500:
        raise MasterUnreachable(Said("net_master_failed", where=where, status=f"HTTP {status}"))
    try:
        answer = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        answer = None
    if status != 200:
        if isinstance(answer, dict) and isinstance(answer.get("error"), str):
            reason = answer.get("reason")
            raise MasterRefused(status, answer["error"],
                                reason if isinstance(reason, str) else answer["error"])
        raise MasterRefused(status, "http_error", Said("net_answered", status=f"HTTP {status}"))
    if not isinstance(answer, dict):
        raise ProtocolViolation(Said("net_not_json", where=where, format="JSON"))
    return answer


def _url(host: str, port: int, path: str) -> URL:
    return URL.build(scheme="https", host=host, port=port, path=path)


# --- what the client reports ------------------------------------------------------------------


@dataclass(frozen=True)
class SyncState:
    """What the terminal shows about syncing."""

    connection: Connection = "offline"
    outbox: int = 0
    last_receipt_at: str | None = None
    clock_offset: dt.timedelta | None = None
    """server_time minus this laptop's time, from the last answer."""
    master: str | None = None
    error: str | None = None
    event_changed: bool = False
    """The master's event digest differs from the enrolled snapshot's."""
    error_code: str | None = None
    """The master's refusal code behind `error` (`revoked_device`, `unknown_device`, ...)."""


@dataclass(frozen=True)
class PushSummary:
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class PullSummary:
    cursor: int
    notices: tuple[Notice, ...]
    receipts: int
    problems: tuple[str, ...] = ()


# --- the client -------------------------------------------------------------------------------


class SyncClient:
    """Moves a terminal's signed sheets to its pinned master and brings back receipts and
    notices. One per store; not thread-safe (use from one event loop)."""

    def __init__(
        self,
        store: TerminalStore,
        *,
        device_name: str | None = None,
        on_state: Callable[[SyncState], None] | None = None,
        on_notice: Callable[[Notice], None] | None = None,
        discover: Callable[[], Awaitable[Sequence[FoundMaster]]] | None = None,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        batch_size: int = MAX_BATCH,
        backoff_initial: float = 0.2,
        backoff_max: float = 5.0,
        offline_after: float = 10.0,
        poll_interval: float = 1.0,
        pull_interval: float = 30.0,
        connect_timeout: float = 5.0,
        request_timeout: float = 30.0,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be 1-{MAX_BATCH}")
        self.store = store
        name = "".join(ch for ch in (device_name or platform.node()) if ch.isprintable())
        self.device_name = name.strip()[:64] or "judge laptop"
        self._on_state = on_state
        self._on_notice = on_notice
        self._discover = discover
        self._clock = clock
        self._rng = rng or random.Random()
        self.batch_size = batch_size
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.offline_after = offline_after
        self.poll_interval = poll_interval
        self.pull_interval = pull_interval
        self._connect_timeout = connect_timeout
        self._request_timeout = request_timeout
        self._session: aiohttp.ClientSession | None = None
        self._session_pin: bytes | None = None
        self._kick = asyncio.Event()
        self._poked = False
        self._state = SyncState()

    # --- state --------------------------------------------------------------------------------

    @property
    def state(self) -> SyncState:
        return self._state

    def _report(self, **changes: Any) -> None:
        if "error" in changes:
            changes.setdefault("error_code", None)
        event_changed = False
        enrolment = self.store.enrolment()
        master_digest = self.store.master_event_digest()
        if enrolment is not None and master_digest is not None:
            event_changed = master_digest != enrolment.event_digest
        new = replace(self._state, outbox=self.store.outbox_size(),
                      last_receipt_at=self.store.last_receipt_at(),
                      master=enrolment.address if enrolment else None,
                      event_changed=event_changed, **changes)
        if new != self._state:
            self._state = new
            if self._on_state is not None:
                self._on_state(new)

    def wake(self) -> None:
        """Tell a running `run` loop that the outbox may have grown (e.g. a sheet was saved)."""
        self._kick.set()

    # --- sessions and requests ----------------------------------------------------------------

    def _session_for(self, pin: bytes) -> aiohttp.ClientSession:
        if self._session is None or self._session_pin != pin or self._session.closed:
            if self._session is not None and not self._session.closed:
                asyncio.get_running_loop().create_task(self._session.close())
            self._session = pinned_session(pin, connect_timeout=self._connect_timeout,
                                           request_timeout=self._request_timeout)
            self._session_pin = pin
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> SyncClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    def _note_server_time(self, value: object, sent: dt.datetime, got: dt.datetime) -> None:
        if not isinstance(value, str):
            return
        try:
            server = dt.datetime.fromisoformat(value)
        except ValueError:
            return
        if server.tzinfo is None:
            return
        offset = server - (sent + (got - sent) / 2)
        shown = self._state.clock_offset
        if shown is None or abs(offset - shown) >= CLOCK_REPORT_STEP:
            self._report(clock_offset=offset)  # the judge's screen follows a clock that jumps
        else:  # network jitter: no need to redraw anything
            self._state = replace(self._state, clock_offset=offset)

    # --- enrolment ----------------------------------------------------------------------------

    async def enrol(self, code_text: str, host: str, port: int) -> Enrolment:
        """Enrol this laptop with the master at `host:port` using a typed enrolment code.

        Typos raise CodeTypo before any connection. The code is the password of a SPAKE2
        exchange (`sync.pake`) bound to the TLS key of the master we reach: a refusal raises
        MasterRefused (`bad_code`, `seat_locked`, ...); a master that cannot prove it knows
        the code raises NotTheMaster, and nothing of its answer is kept. On success the
        master's fingerprint is pinned and the enrolment committed to the store.
        """
        code = parse_code(code_text)
        exchange = TerminalExchange(code.seat, code.password)
        async with pinned_session(None, connect_timeout=self._connect_timeout,
                                  request_timeout=self._request_timeout) as session:
            started = await call_master(session, "POST", host, port, "/v1/enrol/start", {
                "protocol": PROTOCOL, "seat": code.seat, "pake": _b64(exchange.a)})
            connector = session.connector
            pin = connector.pin if isinstance(connector, PinnedConnector) else None
            b, sid = _b64_bytes(started.get("pake")), started.get("session")
            if pin is None or b is None or not isinstance(sid, str):
                raise ProtocolViolation(Said("net_enrol_start"))
            # A master refuses a device key it already knows: enrolling with the same master
            # again (another seat, or after this laptop was replaced) uses a new key.
            current = self.store.enrolment()
            key = (self.store.next_device_key()
                   if current is not None and current.pin == pin else self.store.device_key)
            public = public_key_bytes(key)
            try:
                confirm = exchange.confirm(b, pin, public, self.device_name)
            except PakeError:
                raise ProtocolViolation(Said("net_pake", pake="SPAKE2")) from None
            sent = self._clock()
            answer = await call_master(session, "POST", host, port, "/v1/enrol/finish", {
                "protocol": PROTOCOL, "session": sid, "device_key": _b64(public),
                "device_name": self.device_name, "confirm": _b64(confirm)})
            self._note_server_time(answer.get("server_time"), sent, self._clock())
        binding = {k: answer.get(k) for k in ("judge", "device", "event_digest", "master_key")}
        proof = _b64_bytes(answer.get("confirm"))
        try:
            exchange.check_master(proof or b"", binding)
        except PakeError:
            raise NotTheMaster(pin) from None
        device, judge = answer.get("device"), answer.get("judge")
        snapshot, digest = answer.get("event"), answer.get("event_digest")
        if device != device_id_of(public):
            raise ProtocolViolation(Said("net_other_device"))
        if not isinstance(judge, str):
            raise ProtocolViolation(Said("net_no_judge"))
        if not isinstance(snapshot, dict) or not isinstance(digest, str):
            raise ProtocolViolation(Said("net_no_event"))
        master_key = _b64_key(answer.get("master_key"))
        try:
            enrolment = self.store.save_enrolment(
                pin=pin, host=host, port=port, master_key=master_key,
                judge=judge, device=device, snapshot=snapshot, event_digest=digest,
                now=self._clock(),
            )
        except StoreError as exc:
            raise ProtocolViolation(exc.reason) from None
        succession = answer.get("succession")
        if isinstance(succession, dict):
            with contextlib.suppress(RecordError):  # kept only if the master signed it
                self.store.keep_succession(SignedRecord.from_wire(succession))
        await self.close()  # the next requests use the (possibly new) stored pin
        self._report(error=None)
        return enrolment

    async def enrol_any(
        self, code_text: str, candidates: Sequence[tuple[str, int]]
    ) -> tuple[Enrolment, list[SyncError]]:
        """Try `enrol` with each address of one head judge in turn until one answers.

        Addresses that cannot be reached are skipped (their errors are returned); any answer
        ends the search, since each try with another master would cost the code a guess.
        Raises the last error if none worked, SyncError if there was nothing to try.
        """
        parse_code(code_text)
        skipped: list[SyncError] = []
        for host, port in candidates:
            try:
                return await self.enrol(code_text, host, port), skipped
            except MasterUnreachable as exc:
                skipped.append(exc)
        if skipped:
            raise skipped[-1]
        raise SyncError(Said("net_nobody", option="--master"))

    # --- push ---------------------------------------------------------------------------------

    def _enrolled_session(self) -> tuple[Enrolment, aiohttp.ClientSession]:
        try:
            enrolment = self.store.require_enrolment()
        except StoreError as exc:
            raise SyncError(exc.reason) from None
        return enrolment, self._session_for(enrolment.pin)

    async def push_once(self) -> PushSummary:
        """Send the oldest outbox records (up to `batch_size`, within 1 MiB) in seq order and
        store what the master answered. Returns an empty summary if the outbox is empty."""
        enrolment, session = self._enrolled_session()
        batch, wires = self._next_batch(0)
        if not batch:
            return PushSummary()
        answer = await self._send(enrolment, session, wires)
        if answer is None:
            return PushSummary()
        return await self._settle(batch, answer)

    def _next_batch(self, after: int) -> tuple[list[StoredRecord], list[dict[str, str]]]:
        """The next outbox records with a seq above `after` (at most `batch_size`, within
        1 MiB as a request) and their wire form."""
        batch = self.store.outbox(self.batch_size, after=after)
        wires: list[dict[str, str]] = []
        size = 64
        for stored in batch:
            wire = stored.record.to_wire()
            grown = size + len(json.dumps(wire, ensure_ascii=False).encode()) + 1
            if wires and grown > MAX_REQUEST_BYTES - 1024:
                break
            wires.append(wire)
            size = grown
        return batch[: len(wires)], wires

    async def _send(self, enrolment: Enrolment, session: aiohttp.ClientSession,
                    wires: list[dict[str, str]], body_written: asyncio.Event | None = None,
                    ) -> dict[str, Any] | None:
        """POST one batch; the answer, or None when the master found it too large (the batch
        size is then halved)."""
        sent = self._clock()
        try:
            answer = await call_master(session, "POST", enrolment.host, enrolment.port,
                                      "/v1/push", {"device": enrolment.device, "records": wires},
                                      body_written)
        except MasterRefused as exc:
            if exc.code == "too_large" and len(wires) > 1:
                self.batch_size = max(1, len(wires) // 2)
                return None
            raise
        self._note_server_time(answer.get("server_time"), sent, self._clock())
        return answer

    async def _settle(self, batch: Sequence[StoredRecord],
                      answer: Mapping[str, Any]) -> PushSummary:
        """Check a push answer against the batch sent, verify the receipts (yielding to the
        event loop between chunks, so the next request and the judge's screen keep moving)
        and store receipts and rejections in one transaction."""
        results = answer.get("results")
        if not isinstance(results, list) or len(results) != len(batch):
            raise ProtocolViolation(Said("net_push_count"))
        receipts: list[SignedRecord] = []
        rejections: list[tuple[str, str, str]] = []
        counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
        problems: list[str] = []
        for stored, result in zip(batch, results, strict=True):
            if not isinstance(result, dict):
                raise ProtocolViolation(Said("net_push_objects"))
            status = result.get("status")
            if result.get("hash") != stored.hash and not (
                status == "rejected" and result.get("hash") is None
            ):
                raise ProtocolViolation(Said("net_push_records"))
            if status in ("accepted", "duplicate"):
                counts[status] += 1
                try:
                    receipts.append(SignedRecord.from_wire(result.get("receipt")))
                except RecordError as exc:
                    problems.append(Said("rc_seq_unreadable", seq=stored.seq, reason=exc.reason))
            elif status == "rejected":
                counts["rejected"] += 1
                code = result.get("code")
                reason = result.get("reason")
                rejections.append((stored.hash, code if isinstance(code, str) else "rejected",
                                   reason if isinstance(reason, str) else "rejected"))
            else:
                raise ProtocolViolation(Said("net_push_status", status=repr(status)))
        checked: list[CheckedReceipt] = []
        refused: list[str] = []
        for start in range(0, len(receipts), _VERIFY_CHUNK):
            if start:
                await asyncio.sleep(0)
            good, bad = self.store.check_receipts(receipts[start:start + _VERIFY_CHUNK])
            checked.extend(good)
            refused.extend(bad)
        _stored, late = self.store.record_push_outcome(checked, rejections, now=self._clock())
        problems.extend(refused + late)
        return PushSummary(len(batch), counts["accepted"], counts["duplicate"],
                           counts["rejected"], tuple(problems))

    async def drain(self) -> PushSummary:
        """Push until the outbox is empty or a round makes no progress.

        Pipelined: as soon as the master has answered one batch, the next one (the records
        after it, read from the outbox while the master was busy) is sent; once its body is
        on its way, the answered batch's receipts are verified and stored while the master
        ingests it. Batches still reach the master in seq order, each only after the one
        before it was answered; each batch's outcome is one transaction.
        """
        total = PushSummary()
        after = 0
        device: str | None = None
        stopping = False
        flight: tuple[list[StoredRecord], asyncio.Future[dict[str, Any] | None]] | None = None
        # the batch after `after` as read ahead: (after, batch size, batch, wires)
        ahead: tuple[int, int, list[StoredRecord], list[dict[str, str]]] | None = None

        async def take_off() -> None:
            """Send the batch after `after`; return once its body is on its way (or the push
            is over), so that nothing run next holds the request up."""
            nonlocal flight, device
            if stopping:
                return
            enrolment, session = self._enrolled_session()
            if device is not None and enrolment.device != device:
                return  # enrolled again meanwhile: the next drain starts from the new device
            device = enrolment.device
            if ahead is not None and ahead[:2] == (after, self.batch_size):
                batch, wires = ahead[2], ahead[3]
            else:
                batch, wires = self._next_batch(after)
            if not batch:
                return
            written = asyncio.Event()
            pending = asyncio.ensure_future(self._send(enrolment, session, wires, written))
            flight = batch, pending
            waiting = asyncio.ensure_future(written.wait())
            try:
                await asyncio.wait((waiting, pending), return_when=asyncio.FIRST_COMPLETED)
            finally:
                waiting.cancel()

        try:
            await take_off()
            while flight is not None:
                batch, pending = flight
                flight = None
                answer = await pending
                if answer is None:  # too large: the batch size was halved, send again
                    await take_off()
                    continue
                before = self.store.outbox_size()
                after = batch[-1].seq
                await take_off()
                summary = await self._settle(batch, answer)
                total = PushSummary(
                    total.sent + summary.sent, total.accepted + summary.accepted,
                    total.duplicate + summary.duplicate, total.rejected + summary.rejected,
                    total.problems + summary.problems,
                )
                self._report()
                if self.store.outbox_size() >= before and summary.sent:
                    # receipts that do not verify: stop rather than loop (once the batch
                    # already on its way is settled: its answer is as good as any)
                    stopping = True
                elif flight is not None:  # read the next batch while the master works
                    following = flight[0][-1].seq
                    ahead = (following, self.batch_size, *self._next_batch(following))
        finally:
            if flight is not None:
                flight[1].cancel()
                await asyncio.wait([flight[1]])
                if not flight[1].cancelled():
                    flight[1].exception()  # retrieved: a cancelled push needs no report
        return total

    # --- pull ---------------------------------------------------------------------------------

    async def pull_once(self) -> PullSummary:
        """Fetch notices and receipts since the stored cursor and store them."""
        enrolment, session = self._enrolled_session()
        sent = self._clock()
        request = sign_body(self.store.device_key, {
            "v": 1, "kind": "pull", "device": enrolment.device, "cursor": self.store.cursor(),
            "device_time": _iso(sent),
        })
        answer = await call_master(session, "POST", enrolment.host, enrolment.port,
                                  "/v1/pull", request.to_wire())
        self._note_server_time(answer.get("server_time"), sent, self._clock())
        cursor = answer.get("cursor")
        raw_notices = answer.get("notices")
        raw_receipts = answer.get("receipts")
        digest = answer.get("event_digest")
        if type(cursor) is not int or cursor < 0:
            raise ProtocolViolation(Said("net_pull_cursor"))
        if not isinstance(raw_notices, list) or not isinstance(raw_receipts, list):
            raise ProtocolViolation(Said("net_pull_empty"))
        notices = [_notice(n) for n in raw_notices]
        receipts: list[SignedRecord] = []
        problems: list[str] = []
        for raw in raw_receipts:
            try:
                receipts.append(SignedRecord.from_wire(raw))
            except RecordError as exc:
                problems.append(Said("rc_unreadable", reason=exc.reason))
        fresh, new_receipts, refused = self.store.save_pull(
            cursor, notices, receipts, digest if isinstance(digest, str) else None,
            now=self._clock(),
        )
        problems.extend(refused)
        if self._on_notice is not None:
            for notice in fresh:
                self._on_notice(notice)
        return PullSummary(cursor, tuple(fresh), len(new_receipts), tuple(problems))

    async def hello(self, host: str, port: int, pin: bytes | None = None) -> dict[str, Any]:
        """`GET /v1/hello` from `host:port`, pinned to `pin` (default: the enrolled one)."""
        if pin is None:
            _enrolment, session = self._enrolled_session()
            return await call_master(session, "GET", host, port, "/v1/hello")
        async with pinned_session(pin, connect_timeout=self._connect_timeout,
                                  request_timeout=self._request_timeout) as session:
            return await call_master(session, "GET", host, port, "/v1/hello")

    # --- the loop -----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Keep the outbox drained and notices coming until `stop` is set.

        Retries with jittered exponential backoff (`backoff_initial` doubling to
        `backoff_max`); reports every change through `on_state`. Never raises for network,
        pin or refusal problems: it reports them and keeps trying (a re-enrolment in the store
        is picked up on the next attempt). Returns as soon as `stop` is set, even in the
        middle of a discovery or a push: records whose receipts have not been stored stay in
        the outbox, and the master answers them as duplicates, with their receipts, next time.
        """
        work = asyncio.ensure_future(self._run(stop))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopped.cancel()
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await work

    async def _run(self, stop: asyncio.Event) -> None:
        stopper = asyncio.ensure_future(self._kick_on(stop))
        backoff = self.backoff_initial
        failing_since: float | None = None
        failures = 0
        loop = asyncio.get_running_loop()
        try:
            while not stop.is_set():
                try:
                    try:
                        await self._connected(stop)
                    except (aiohttp.ClientError, ConnectionError) as exc:
                        # any connection that breaks mid-exchange is the network's doing
                        raise MasterUnreachable(Said("net_broke", why=_describe(exc))) from None
                    return
                except (SyncError, StoreError) as exc:
                    reason = exc.reason
                    if self._state.connection == "online":
                        backoff, failing_since, failures = self.backoff_initial, None, 0
                    now = loop.time()
                    failing_since = now if failing_since is None else failing_since
                    failures += 1
                    offline = now - failing_since >= self.offline_after
                    self._report(connection="offline" if offline else "reconnecting",
                                 error=reason, error_code=getattr(exc, "code", None))
                    if isinstance(exc, MasterUnreachable | PinMismatch) and failures >= 2:
                        await self._rediscover()
                        if isinstance(exc, MasterUnreachable) \
                                and await self.follow_successor():
                            backoff = self.backoff_initial
                            continue
                    delay = backoff * self._rng.uniform(0.5, 1.0)
                    if isinstance(exc, MasterRefused | StoreError) or (
                        isinstance(exc, SyncError) and type(exc) is SyncError
                    ):
                        delay = self.backoff_max  # needs a person: no point hurrying
                    backoff = min(backoff * 2, self.backoff_max)
                    await self._pause(stop, delay)
        finally:
            stopper.cancel()
            self._report(connection="offline")

    async def _pause(self, stop: asyncio.Event, delay: float) -> None:
        """Wait `delay` seconds before the next attempt, or until `stop`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)

    async def _kick_on(self, stop: asyncio.Event) -> None:
        await stop.wait()
        self._kick.set()

    async def _connected(self, stop: asyncio.Event) -> None:
        """One connected period: drain, pull, then follow the live channel. Returns on stop;
        raises when the connection is lost."""
        await self.drain()
        enrolment, session = self._enrolled_session()
        url = _url(enrolment.host, enrolment.port, "/v1/live")
        try:
            ws = await session.ws_connect(url, heartbeat=10.0, max_msg_size=1024 * 1024,
                                          autoping=True)
        except aiohttp.WSServerHandshakeError as exc:
            if 400 <= exc.status < 500:  # no live channel here: poll instead
                await self.pull_once()
                self._report(connection="online", error=None)
                await self._follow(stop, None)
                return
            raise MasterUnreachable(Said("net_live_failed", why=exc.message)) from None
        except SyncError:
            raise
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise MasterUnreachable(Said("net_live_failed", why=_describe(exc))) from None
        async with ws:
            await self._live_hello(ws, enrolment)
            # pull after the hello: a notice from before it was not poked to this terminal
            await self.pull_once()
            self._report(connection="online", error=None)
            await self._follow(stop, ws)

    async def _live_hello(self, ws: aiohttp.ClientWebSocketResponse,
                          enrolment: Enrolment) -> None:
        try:
            challenge = await ws.receive_json(timeout=10.0)
        except (TypeError, ValueError, TimeoutError, aiohttp.ClientError) as exc:
            raise MasterUnreachable(Said("net_live_no_challenge", why=repr(exc))) from None
        nonce = challenge.get("nonce") if isinstance(challenge, dict) else None
        if (not isinstance(challenge, dict) or challenge.get("type") != "challenge"
                or not isinstance(nonce, str) or not _NONCE.match(nonce)):
            raise ProtocolViolation(Said("net_live_challenge"))
        hello = sign_body(self.store.device_key,
                          {"v": 1, "kind": "hello", "device": enrolment.device, "nonce": nonce})
        await ws.send_json(hello.to_wire())

    async def _follow(
        self, stop: asyncio.Event, ws: aiohttp.ClientWebSocketResponse | None
    ) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.ensure_future(self._read_live(ws)) if ws is not None else None
        reported: tuple[int, float] | None = None  # outbox size and clock drift last sent
        # one more pull shortly after connecting: the master may have registered this live
        # channel only after the pull that preceded it, so a notice in between was not poked
        last_pull = loop.time() - self.pull_interval + min(0.5, self.poll_interval)
        try:
            while True:
                if ws is not None:
                    size, now = self.store.outbox_size(), self._clock()
                    # the laptop's clock against the loop's: a jump is told at once
                    drift = now.timestamp() - loop.time()
                    if (reported is None or size != reported[0]
                            or abs(drift - reported[1]) >= CLOCK_REPORT_STEP.total_seconds()):
                        try:
                            await ws.send_json({"type": "status", "outbox": size,
                                                "device_time": _iso(now)})
                        except (aiohttp.ClientError, ConnectionError) as broken:
                            raise MasterUnreachable(
                                Said("net_live_broke", why=_describe(broken))) from None
                        reported = size, drift
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._kick.wait(), self.poll_interval)
                self._kick.clear()
                if stop.is_set():
                    return
                if reader is not None and reader.done():
                    exc = reader.exception()
                    if isinstance(exc, SyncError):
                        raise exc
                    raise MasterUnreachable(Said("net_live_closed"))
                periodic = (ws is None and loop.time() - last_pull >= 2 * self.poll_interval) \
                    or loop.time() - last_pull >= self.pull_interval
                if self._poked or periodic:
                    self._poked = False
                    await self.pull_once()
                    last_pull = loop.time()
                if self.store.outbox_size():
                    await self.drain()
                self._report()
        finally:
            if reader is not None:
                reader.cancel()
                with contextlib.suppress(BaseException):
                    await reader

    async def _read_live(self, ws: aiohttp.ClientWebSocketResponse | None) -> None:
        assert ws is not None
        error: tuple[str, str] | None = None
        async for message in ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                continue
            try:
                data = json.loads(message.data)
            except ValueError:
                continue
            if isinstance(data, dict) and data.get("type") == "poke":
                self._poked = True
                self._kick.set()
            elif isinstance(data, dict) and data.get("type") == "error":
                error = (str(data.get("error")), str(data.get("reason") or data.get("error")))
        self._kick.set()
        if error is not None:  # the master said why before it closed the channel
            raise MasterRefused(403, *error)

    async def follow_successor(self) -> bool:
        """When the master is gone: reach the successor its signed succession record names
        (at the record's addresses, or where mDNS finds it), pinned to the successor's own
        fingerprint, and follow it from now on. No other key is ever accepted (issue 26).
        True if the successor answered for this final."""
        enrolment = self.store.enrolment()
        successor = self.store.successor() if enrolment is not None else None
        if enrolment is None or successor is None:
            return False
        hosts = list(successor.addresses)
        if self._discover is not None:
            with contextlib.suppress(Exception):  # discovery is best effort
                hosts += [host for found in await self._discover()
                          if found.event_id == enrolment.event_id
                          and found.port == successor.port
                          for host in (found.addresses or (found.host,)) if "%" not in host]
        for host in dict.fromkeys(hosts):
            try:
                hello = await self.hello(host, successor.port, successor.fingerprint)
            except SyncError:
                continue
            if hello.get("event") == enrolment.event_id:
                self.store.follow_successor(successor, host)
                await self.close()  # the session was pinned to the old master
                self._report(error=None)
                return True
        return False

    async def _rediscover(self) -> None:
        """Look for the enrolled master at a new address (mDNS is a hint; the pin decides)."""
        if self._discover is None:
            return
        enrolment = self.store.enrolment()
        if enrolment is None:
            return
        try:
            found = await self._discover()
        except Exception:  # discovery is best effort
            return
        for master in found:
            if master.event_id != enrolment.event_id or (
                (master.host, master.port) == (enrolment.host, enrolment.port)
            ):
                continue
            for host in master.addresses or (master.host,):
                if "%" in host:  # link-local IPv6 with an interface: not usable in a URL
                    continue
                try:
                    hello = await self.hello(host, master.port, enrolment.pin)
                except PinMismatch as exc:
                    self._report(error=Said("net_at", where=f"{host}:{master.port}",
                                                   problem=exc.reason))
                    continue
                except SyncError:
                    continue
                if hello.get("event") == enrolment.event_id:
                    self.store.set_master_address(host, master.port)
                    self._report()
                    return


# --- helpers ----------------------------------------------------------------------------------


async def _read_capped(response: aiohttp.ClientResponse, limit: int) -> bytes:
    if response.content_length is not None and response.content_length > limit:
        raise ProtocolViolation(Said("net_too_large"))
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            raise ProtocolViolation(Said("net_too_large"))
        chunks.append(chunk)
    return b"".join(chunks)


def _describe(exc: BaseException) -> str:
    """Why a connection failed: in both languages for the common causes, else the system's
    (English) words."""
    if isinstance(exc, TimeoutError):
        return Said("net_timeout")
    if isinstance(exc, aiohttp.ClientConnectorError):
        cause = exc.os_error.errno
        if cause == errno.ECONNREFUSED:
            return Said("net_refused")
        if cause in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return Said("net_no_route")
        return exc.strerror or str(exc.os_error) or Said("net_refused")
    return str(exc) or type(exc).__name__


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64_bytes(value: object) -> bytes | None:
    if not isinstance(value, str) or len(value) > 1024:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def parse_code(text: str) -> EnrolmentCode:
    """`EnrolmentCode.parse`, with a typo raised as CodeTypo (nothing is sent)."""
    try:
        return EnrolmentCode.parse(text)
    except TypedCodeError as exc:
        raise CodeTypo(str(exc), exc.group, exc.kind) from None


def _b64_key(value: object) -> bytes:
    if not isinstance(value, str):
        raise ProtocolViolation(Said("net_no_master_key"))
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ProtocolViolation(Said("net_key_encoding")) from None
    if len(key) != 32:
        raise ProtocolViolation(Said("net_key_kind", algorithm="Ed25519"))
    return key


def _notice(raw: object) -> Notice:
    if not isinstance(raw, dict):
        raise ProtocolViolation(Said("net_notice_object"))
    nid, kind, judge, payload = raw.get("id"), raw.get("kind"), raw.get("judge"), raw.get("payload")
    if type(nid) is not int or not isinstance(kind, str) or not (
        judge is None or isinstance(judge, str)
    ) or not isinstance(payload, dict):
        raise ProtocolViolation(Said("net_notice_fields"))
    return Notice(nid, kind, judge, payload)
