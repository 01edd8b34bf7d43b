"""The standby master's side (issue 26): enrol on the standby seat, then mirror the master's
ledger into this home's own `master.db`, verified entry by entry (`succession`).

The standby's home holds its own identity (`identity/`, made on first use: the keys it will
serve and sign with once promoted), its mirror of the ledger with the master's projections
(`master.db`), and `standby.json`: the master it mirrors (address, pinned TLS fingerprint,
signing key), its device id and the port it will serve on. It never answers judges while the
master is alive: it serves nothing until promoted.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sync.client import (
    PROTOCOL,
    MasterUnreachable,
    NotTheMaster,
    PinnedConnector,
    ProtocolViolation,
    SyncError,
    call_master,
    parse_code,
    pinned_session,
)
from sync.clock import Clock
from sync.identity import MasterIdentity, ensure_master_identity, public_key_bytes
from sync.pake import PakeError, TerminalExchange
from sync.problems import Said, os_reason
from sync.records import RecordError, SignedRecord, device_id_of, sign_body
from sync.succession import SUCCESSION_KIND, read_succession

from .checkpoints import PROMOTED_KIND, append_checkpoint
from .enrolment import STANDBY, STANDBY_SEAT
from .ledger import Ledger
from .master import DB_FILE, HEAD_JUDGE, refuse_damaged
from .projections import MasterProjections
from .refusals import Message
from .succession import Mirrored, MirrorError, mirror_entries

__all__ = ["LINK_FILE", "JudgeCode", "MirrorStatus", "Promotion", "StandbyLink",
           "StandbyRefused", "enrol_standby", "master_answers", "mirror_forever", "mirror_once",
           "open_mirror", "promote", "promoted"]

LINK_FILE: Final = "standby.json"
LAST_ANSWER_FILE: Final = "standby-last-answer.json"
"""The master's ledger size at its last mirror answer, and when: what `promote` reports as
not mirrored."""
MIRROR_INTERVAL: Final = 0.5
"""Seconds before asking again after the master did not answer (a caught-up standby asks
again at once: the master holds its request until there is a new entry)."""


@dataclass(frozen=True)
class StandbyLink:
    """The master this standby mirrors, as enrolment established it."""

    host: str
    port: int
    pin: bytes
    master_key: bytes
    device: str
    serve_port: int

    def save(self, home: Path) -> None:
        data = {"host": self.host, "port": self.port, "device": self.device,
                "pin": base64.b64encode(self.pin).decode("ascii"),
                "master_key": base64.b64encode(self.master_key).decode("ascii"),
                "serve_port": self.serve_port}
        path = home / LINK_FILE
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(data, indent=1), encoding="utf-8")
        partial.chmod(0o600)
        partial.replace(path)

    @classmethod
    def load(cls, home: Path) -> StandbyLink | None:
        try:
            data = json.loads((home / LINK_FILE).read_text(encoding="utf-8"))
            return cls(str(data["host"]), int(data["port"]), base64.b64decode(data["pin"]),
                       base64.b64decode(data["master_key"]), str(data["device"]),
                       int(data["serve_port"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SyncError(Message("file_cannot_be_read", path=home / LINK_FILE,
                                    error=os_reason(exc) if isinstance(exc, OSError) else exc)
                            ) from None


class JudgeCode(SyncError):
    """The code typed is a judge's seat's, not the standby's: nothing was sent."""

    def __init__(self, seat: int) -> None:
        super().__init__(f"this is the code of seat {seat}, a judge's; the standby's code is "
                         "printed by `head-judge enrol-codes --standby`")
        self.seat = seat


@dataclass(frozen=True)
class MirrorStatus:
    """Where the mirror stands after a request: entries held, the master's size, how many
    entries and seconds behind (0 when caught up), and the last error if the master did not
    answer."""

    mirrored: int
    size: int
    behind: int
    seconds_behind: float
    error: str | None = None
    problem: str | None = None
    """What kind of error: `unreachable`, `refused` (the master answered no), or
    `not_the_ledger` (what it sent did not verify; nothing of it was stored)."""


async def enrol_standby(home: Path, code_text: str, host: str, port: int, serve_port: int,
                        *, device_name: str = "standby master") -> StandbyLink:
    """Enrol this home as the standby of the master at `host:port` with the standby seat's
    one-time code: the SPAKE2 exchange judges' terminals use, with this home's signing key as
    the device key. Saves and returns the link."""
    code = parse_code(code_text)
    if code.seat != STANDBY_SEAT:  # a judge's code would enrol this laptop as that judge
        raise JudgeCode(code.seat)
    identity = ensure_master_identity(home)
    public = public_key_bytes(identity.signing_key)
    exchange = TerminalExchange(code.seat, code.password)
    async with pinned_session(None) as session:
        started = await call_master(session, "POST", host, port, "/v1/enrol/start", {
            "protocol": PROTOCOL, "seat": code.seat,
            "pake": base64.b64encode(exchange.a).decode("ascii")})
        connector = session.connector
        pin = connector.pin if isinstance(connector, PinnedConnector) else None
        b, sid = started.get("pake"), started.get("session")
        if pin is None or not isinstance(b, str) or not isinstance(sid, str):
            raise ProtocolViolation(Said("net_enrol_start"))
        try:
            confirm = exchange.confirm(base64.b64decode(b), pin, public, device_name)
        except (PakeError, ValueError):
            raise ProtocolViolation(Said("net_pake", pake="SPAKE2")) from None
        answer = await call_master(session, "POST", host, port, "/v1/enrol/finish", {
            "protocol": PROTOCOL, "session": sid,
            "device_key": base64.b64encode(public).decode("ascii"),
            "device_name": device_name,
            "confirm": base64.b64encode(confirm).decode("ascii")})
    binding = {k: answer.get(k) for k in ("judge", "device", "event_digest", "master_key")}
    try:
        exchange.check_master(base64.b64decode(str(answer.get("confirm", ""))), binding)
    except (PakeError, ValueError):
        raise NotTheMaster(pin) from None
    if answer.get("judge") != STANDBY or answer.get("device") != device_id_of(public):
        raise ProtocolViolation(Message("standby_not_standby_code",
                                        command="`head-judge enrol-codes --standby`"))
    link = StandbyLink(host, port, pin, base64.b64decode(str(answer["master_key"])),
                       device_id_of(public), serve_port)
    link.save(home)
    return link


def open_mirror(home: Path) -> Ledger:
    """This standby's ledger (refusing a damaged file, as a master does)."""
    refuse_damaged(home / DB_FILE)
    return Ledger(home / DB_FILE, MasterProjections())


def local_addresses() -> list[str]:
    """This laptop's IPv4 addresses, loopback last (where terminals will look for it)."""
    found: list[str] = []
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if address not in found and not address.startswith("127."):
                found.append(address)
    except OSError:
        pass
    return [*found, "127.0.0.1"]


async def mirror_once(session: Any, link: StandbyLink, identity: MasterIdentity,
                      ledger: Ledger, addresses: list[str], now: dt.datetime) -> tuple[
                          Mirrored, int]:
    """One mirror request and its entries stored: (what was stored, the master's size)."""
    after = ledger.next_seq() - 1
    record = sign_body(identity.signing_key, {
        "v": 1, "kind": "mirror", "device": link.device, "after": after,
        "port": link.serve_port, "addresses": addresses,
        "fingerprint": base64.b64encode(identity.fingerprint).decode("ascii"),
        "device_time": now.isoformat()})
    answer = await call_master(session, "POST", link.host, link.port, "/v1/mirror",
                               record.to_wire())
    entries, size = answer.get("entries"), answer.get("size")
    if not isinstance(entries, list) or type(size) is not int:
        raise ProtocolViolation(Message("standby_mirror_answer"))
    return mirror_entries(ledger, entries, link.master_key), size


async def mirror_forever(home: Path, link: StandbyLink, report: Callable[[MirrorStatus], None],
                         *, clock: Clock, stop: asyncio.Event,
                         interval: float = MIRROR_INTERVAL) -> None:
    """Mirror until `stop` is set, reporting after every request; an unreachable master is
    reported and tried again (the head judge decides on `promote`)."""
    identity = ensure_master_identity(home)
    ledger = open_mirror(home)
    addresses = local_addresses()
    caught_up_at = clock()
    try:
        async with pinned_session(link.pin, connect_timeout=2.0,
                                  request_timeout=10.0) as session:
            while not stop.is_set():
                now = clock()
                answered = False
                try:
                    if promoted(ledger):
                        return
                    stored, size = await mirror_once(session, link, identity, ledger,
                                                     addresses, now)
                    _note_answer(home, size, now)
                    behind = max(0, size - stored.last_seq)
                    if behind == 0:
                        caught_up_at = now
                    answered = True  # the master holds a request until there is news
                    report(MirrorStatus(stored.last_seq, size, behind,
                                        (now - caught_up_at).total_seconds()))
                except (SyncError, MirrorError) as exc:
                    held = ledger.next_seq() - 1
                    problem = ("unreachable" if isinstance(exc, MasterUnreachable) else
                               "not_the_ledger" if isinstance(exc, MirrorError) else "refused")
                    report(MirrorStatus(held, held, 0, (now - caught_up_at).total_seconds(),
                                        str(exc), problem))
                if not answered:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), interval)
    finally:
        ledger.close()


def _note_answer(home: Path, size: int, now: dt.datetime) -> None:
    path = home / LAST_ANSWER_FILE
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"size": size, "at": now.isoformat()}), encoding="utf-8")
    partial.replace(path)


def promoted(ledger: Ledger) -> bool:
    """Whether this standby has taken over (a `promoted` entry)."""
    return ledger.conn.execute("SELECT 1 FROM ledger WHERE kind = ? LIMIT 1",
                               (PROMOTED_KIND,)).fetchone() is not None


async def master_answers(link: StandbyLink, timeout: float = 3.0) -> bool:
    """Whether the master this standby mirrors still answers (its pinned key, a hello)."""
    try:
        async with pinned_session(link.pin, connect_timeout=timeout,
                                  request_timeout=timeout) as session:
            await call_master(session, "GET", link.host, link.port, "/v1/hello")
    except SyncError:
        return False
    return True


@dataclass(frozen=True)
class Promotion:
    """What `promote` wrote and what it knows was not mirrored."""

    entry: int
    mirrored: int
    master_size: int | None
    last_answer: str | None

    @property
    def not_mirrored(self) -> int:
        return max(0, (self.master_size or self.mirrored) - self.mirrored)


def promote(home: Path, reason: str, *, forced: bool, now: dt.datetime) -> Promotion:
    """Take over: append `promoted` (continuing the mirrored chain, naming the predecessor's
    key, this standby's key and the succession entry that named it) and a checkpoint signed
    with this standby's key, in one transaction. StandbyRefused, with nothing written, when
    this home is not a standby, was never named successor, or has taken over already."""
    link = StandbyLink.load(home)
    if link is None:
        raise StandbyRefused("promote_not_standby", home=home)
    identity = ensure_master_identity(home)
    own = public_key_bytes(identity.signing_key)
    ledger = open_mirror(home)
    try:
        if promoted(ledger):
            raise StandbyRefused("promote_already")
        named = _succession_naming(ledger, link.master_key, own)
        if named is None:
            raise StandbyRefused("promote_not_named")
        event_row = ledger.conn.execute(
            "SELECT payload FROM ledger WHERE kind = 'event_loaded' ORDER BY seq LIMIT 1"
        ).fetchone()
        event_id = str(json.loads(event_row[0])["event_id"])
        try:
            answer = json.loads((home / LAST_ANSWER_FILE).read_text(encoding="utf-8"))
            size, answered = int(answer["size"]), str(answer["at"])
        except (OSError, ValueError, KeyError, TypeError):
            size, answered = None, None
        mirrored = ledger.next_seq() - 1
        at = now.isoformat()
        with ledger.transaction():
            entry = ledger.append(PROMOTED_KIND, HEAD_JUDGE, {
                "reason": reason, "forced": forced, "succession": named,
                "predecessor_key": base64.b64encode(link.master_key).decode("ascii"),
                "successor_key": base64.b64encode(own).decode("ascii"),
                "mirrored": mirrored, "master_size": size, "last_answer": answered}, at)
            append_checkpoint(ledger, identity.signing_key, event_id, at, "promote")
        return Promotion(entry.seq, mirrored, size, answered)
    finally:
        ledger.close()


def _succession_naming(ledger: Ledger, master_key: bytes, own: bytes) -> int | None:
    """The seq of the latest succession entry the master signed naming `own`, if any."""
    for seq, payload in ledger.conn.execute(
            "SELECT seq, payload FROM ledger WHERE kind = ? ORDER BY seq DESC",
            (SUCCESSION_KIND,)):
        try:
            record = SignedRecord.from_wire(json.loads(payload)["record"])
            if read_succession(record, master_key).key == own:
                return int(seq)
        except (RecordError, KeyError, ValueError):
            continue
    return None


class StandbyRefused(Exception):
    """A standby action that cannot be done; `message` says why in every language."""

    def __init__(self, message_id: str, **params: object) -> None:
        self.message = Message(message_id, **params)
        super().__init__(str(self.message))
