"""The master's core, without a network: enrolment, ingest of judges' signed records, pull,
notices, and the discrepancy flags a landing sheet raises or clears.

`Master` keeps everything in `home/master.db`: the ledger (`head_judge.ledger`) and the
projections `head_judge.projections.MasterProjections` derives from it. Each request handler
checks its input completely before writing, then appends ledger entries in one transaction;
the projections follow in that same transaction, so an answer is only given after the facts
it reports are committed. A sheet that lands is evaluated against the event's discrepancy
rules in that same transaction (`reevaluate_flags`: `flag_raised`, `flag_cleared`), and
answers the judge's open review request (`review_answered`); a signed confirmation answers
one as well (`review_confirmed`). The head judge's own actions live in
`head_judge.actions` and `head_judge.appeals`, over `Master.write()`.

It refuses, with a `Rejection` carrying a code from docs/protocol.md and a reason a judge can
read: malformed requests, unknown seats, wrong or used or expired enrolment codes (each one
counted; ten lock the seat), unknown and revoked devices, records that are badly signed, for
another event, device or judge, for unknown, recused or locked contestants, sheets outside
the rubric, for a withdrawn sheet or an excused seat, or revising something that is not the
judge's current sheet, and confirmations of no open review or of a sheet that is not
current. A rejection writes nothing, except the counted failed enrolment and the equivocation
alarm. No hidden clock: every method that records something takes `now`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import json
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sync.canonical import sha256_hex
from sync.codes import SEAT_NUMBER_MAX
from sync.event import Event, Judge
from sync.home import private_folder
from sync.identity import (
    MasterIdentity,
    ensure_master_identity,
    load_master_identity,
    public_key_bytes,
)
from sync.pake import CONFIRM_SIZE, MasterExchange, PakeError
from sync.records import (
    Confirmation,
    Receipt,
    RecordError,
    Sheet,
    SignedRecord,
    device_id_of,
    judge_record_from_body,
    sign_body,
)
from sync.snapshot import SnapshotError, event_from_snapshot, event_snapshot, snapshot_digest
from sync.succession import SUCCESSION_KIND, succession_body

from .blind import blind_event, blind_state
from .checkpoints import CHECKPOINT_KIND, PROMOTED_KIND, MasterKeys, append_checkpoint
from .discrepancy import Flag, evaluate
from .enrolment import (
    CODES_FOLDER,
    EXCHANGE_TTL,
    STANDBY,
    STANDBY_JUDGE,
    CodeBook,
    Exchanges,
    IssuedCode,
    WaitingExchange,
    new_codes,
    seat_judge,
    seat_number,
)
from .ledger import Entry, Ledger, LedgerError
from .paper import rubric_problem
from .projections import WHOLE_FINAL, MasterProjections, flag_rows, review_rows
from .refusals import Message, Refused, message
from .scoring import plain
from .succession import MIRROR_BATCH, MIRROR_FIELDS

__all__ = [
    "DB_FILE",
    "DEFAULT_CODE_TTL",
    "ENROL_FAILURE_LIMIT",
    "MAX_RECORDS_PER_PUSH",
    "PROTOCOL_VERSION",
    "Device",
    "Master",
    "MasterError",
    "MasterProjections",
    "Notice",
    "Rejection",
    "Seat",
    "Signed",
    "iso",
    "verified_signatures",
]

log = logging.getLogger(__name__)

PROTOCOL_VERSION: Final = 1
DB_FILE: Final = "master.db"
MAX_RECORDS_PER_PUSH: Final = 500
ENROL_FAILURE_LIMIT: Final = 10
DEFAULT_CODE_TTL: Final = dt.timedelta(hours=12)
MAX_DEVICE_NAME: Final = 64
MAX_DEVICE_TIME: Final = 64

HEAD_JUDGE: Final = "head-judge"
"""Actor of entries the head judge caused (loading the event, issuing codes, reopening)."""
MASTER: Final = "master"
"""Actor of entries the master records as a consequence of another (revoking a device)."""
UNAUTHENTICATED: Final = "unauthenticated"
"""Actor of a failed enrolment: whoever sent it has proven nothing."""

_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_SESSION_HEX = re.compile(r"^[0-9a-f]{32}$")


def iso(moment: dt.datetime) -> str:
    """`moment` as the ISO UTC text the ledger records, e.g. `2025-05-17T08:30:00.000Z`."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class Rejection(Exception):
    """A request the master refuses: protocol error `code`, `reason` for the judge."""

    def __init__(self, code: str, reason: str, http_status: int = 400) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.http_status = http_status

    def answer(self) -> dict[str, str]:
        return {"error": self.code, "reason": self.reason}


SQLITE_HEADER: Final = b"SQLite format 3\x00"
PROMOTE: Final = "`head-judge --home SPARE promote --reason ...`"
REBUILD: Final = ("`head-judge --home NEW-FOLDER rebuild --event EVENT.toml --from-terminal "
                  "terminal.db ...`")


def refuse_damaged(path: Path) -> None:
    """MasterError `master_damaged` when `path` exists but cannot be the master's database
    (empty, or not SQLite): SQLite would silently make a new, empty master over it."""
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    if not header:
        raise MasterError("master_damaged", path=path, error=message("master_empty_file"),
                          command=REBUILD, promote=PROMOTE)
    if header != SQLITE_HEADER:
        raise MasterError("master_damaged", path=path, error=message("master_not_sqlite"),
                          command=REBUILD, promote=PROMOTE)


def damaged(path: Path, exc: sqlite3.DatabaseError) -> MasterError:
    """The refusal for a master database SQLite found damaged while reading it."""
    return MasterError("master_damaged", path=path, error=str(exc), command=REBUILD,
                       promote=PROMOTE)


class MasterError(Refused):
    """The head judge asked for something that cannot be done (shown as one line, exit 2)."""


@dataclass(frozen=True)
class Device:
    id: str
    judge: str
    public_key: bytes
    name: str
    enrolled_seq: int
    revoked_seq: int | None

    @property
    def revoked(self) -> bool:
        return self.revoked_seq is not None


@dataclass(frozen=True)
class Seat:
    """Enrolment state of one judge's seat."""

    judge: str
    code_id: str | None = None
    code_expires: str | None = None
    used_code: str | None = None
    used_device: str | None = None
    failures: int = 0
    locked: bool = False


@dataclass(frozen=True)
class Notice:
    """Something a terminal must learn at its next pull; `judge` None means every judge."""

    id: int
    kind: str
    judge: str | None
    payload: Mapping[str, Any]

    def to_wire(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "judge": self.judge,
                "payload": dict(self.payload)}


@dataclass(frozen=True)
class DeviceStatus:
    """What a live terminal last told the master (kept in memory only)."""

    last_seen: str
    outbox: int | None = None
    device_time: str | None = None


@dataclass(frozen=True)
class StandbyStatus:
    """Where the standby's mirror stood at its last request (in memory only)."""

    device: str
    mirrored: int
    size: int
    last_seen: str


# --- request shapes ---------------------------------------------------------------------------


def _bad(reason: str) -> Rejection:
    return Rejection("bad_request", reason, 400)


def _exact_fields(obj: object, fields: frozenset[str], what: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict):
        raise _bad(f"{what} must be a JSON object")
    if set(obj) != fields:
        unknown = sorted(set(obj) - fields)
        missing = sorted(fields - set(obj))
        parts = [f"unknown field(s) {', '.join(unknown)}" if unknown else "",
                 f"missing field(s) {', '.join(missing)}" if missing else ""]
        raise _bad(f"{what}: " + "; ".join(p for p in parts if p))
    return obj


def _identifier(value: object, name: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise _bad(f"`{name}` must be an id of 1-64 letters, digits or _.:-")
    return value


@dataclass(frozen=True)
class _EnrolFinish:
    session: str
    device_key: bytes
    device_name: str
    confirm: bytes


_ENROL_START_FIELDS: Final = frozenset({"protocol", "seat", "pake"})
_ENROL_FINISH_FIELDS: Final = frozenset({"protocol", "session", "device_key", "device_name",
                                         "confirm"})
_PUSH_FIELDS: Final = frozenset({"device", "records"})
_PULL_FIELDS: Final = frozenset({"v", "kind", "device", "cursor", "device_time"})
_HELLO_FIELDS: Final = frozenset({"v", "kind", "device", "nonce"})


def _base64(value: object, name: str, size: int, what: str) -> bytes:
    try:
        if not isinstance(value, str) or len(value) > 4 * size:
            raise ValueError
        data = base64.b64decode(value, validate=True)
        if len(data) != size:
            raise ValueError
    except (ValueError, binascii.Error):
        raise _bad(f"`{name}` must be {what} in base64 ({size} bytes)") from None
    return data


def _protocol(obj: Mapping[str, Any]) -> None:
    if type(obj["protocol"]) is not int or obj["protocol"] != PROTOCOL_VERSION:
        raise _bad(f"this master speaks protocol {PROTOCOL_VERSION}; update the terminal")


def _parse_enrol_start(request: object) -> tuple[int, bytes]:
    obj = _exact_fields(request, _ENROL_START_FIELDS, "an enrolment start")
    _protocol(obj)
    seat = obj["seat"]
    if type(seat) is not int or not 1 <= seat <= SEAT_NUMBER_MAX:
        raise _bad(f"`seat` must be the code's seat number, 1-{SEAT_NUMBER_MAX}")
    return seat, _base64(obj["pake"], "pake", 33, "a SPAKE2 message")


def _parse_enrol_finish(request: object) -> _EnrolFinish:
    obj = _exact_fields(request, _ENROL_FINISH_FIELDS, "an enrolment finish")
    _protocol(obj)
    session = obj["session"]
    if not isinstance(session, str) or not _SESSION_HEX.match(session):
        raise _bad("`session` must be the session id the start answered")
    device_key = _base64(obj["device_key"], "device_key", 32, "an Ed25519 public key")
    try:
        Ed25519PublicKey.from_public_bytes(device_key)
    except ValueError:
        raise _bad("`device_key` must be an Ed25519 public key") from None
    name = obj["device_name"]
    if not isinstance(name, str) or len(name) > MAX_DEVICE_NAME or not name.isprintable():
        raise _bad(f"`device_name` must be printable text of at most {MAX_DEVICE_NAME} "
                   "characters")
    confirm = _base64(obj["confirm"], "confirm", CONFIRM_SIZE, "the key confirmation")
    return _EnrolFinish(session, device_key, name, confirm)


def _parse_push(request: object) -> tuple[str, list[object]]:
    obj = _exact_fields(request, _PUSH_FIELDS, "a push")
    device = _identifier(obj["device"], "device")
    records = obj["records"]
    if not isinstance(records, list) or not 1 <= len(records) <= MAX_RECORDS_PER_PUSH:
        raise _bad(f"`records` must be a list of 1-{MAX_RECORDS_PER_PUSH} records")
    return device, records


def _require_one_signed(device: Device, records: Sequence[object]) -> None:
    """Refuse a push (403 `bad_signature`) in which no record is signed by `device` and some
    record is signed by another key: nothing in it shows it comes from the device it names,
    like a push naming a device that is not enrolled. Once one record verifies, the push is
    the device's and each record gets its own result (a badly signed one `bad_signature`).
    Records too malformed to check are left to ingest (`malformed`)."""
    signed_by_another = False
    for raw in records:
        try:
            record = SignedRecord.from_wire(raw)
        except RecordError:
            continue
        if record.verify(device.public_key):
            return
        signed_by_another = True
    if signed_by_another:
        raise Rejection("bad_signature", "no record in this push is signed with this "
                        "terminal's key; enrol it again with a new code", 403)


# --- the master -------------------------------------------------------------------------------


class Master:
    """The head judge's master: one event, one ledger, one identity, in `home`."""

    def __init__(self, home: Path, identity: MasterIdentity, ledger: Ledger) -> None:
        self.home = Path(home)
        self.identity = identity
        self.ledger = ledger
        if not isinstance(ledger.projector, MasterProjections):
            raise TypeError("the master's ledger must keep MasterProjections")
        self._projections = ledger.projector
        self.on_notice: Callable[[Notice], None] | None = None
        """Called after commit for every notice appended (the server pokes live terminals)."""
        self.online: dict[str, DeviceStatus] = {}
        self.standby_status: StandbyStatus | None = None
        self._keys: tuple[int, MasterKeys] | None = None
        self._event: Event | None = None
        self._event_digest = ""
        self._master_key = public_key_bytes(identity.signing_key)
        self._blind_views: dict[tuple[str, str, frozenset[tuple[str, str]]],
                                tuple[dict[str, Any], str]] = {}
        self.codes = CodeBook(identity.folder / CODES_FOLDER)
        self._exchanges = Exchanges()
        stored = ledger.conn.execute("SELECT snapshot, digest FROM event_config").fetchone()
        if stored is not None:
            try:
                self._event = event_from_snapshot(json.loads(stored[0]))
            except SnapshotError as exc:
                raise MasterError("master_event_unreadable", path=ledger.path,
                                  error=exc) from None
            self._event_digest = stored[1]

    @classmethod
    def open(
        cls,
        home: Path,
        event: Event | None = None,
        *,
        now: dt.datetime,
        allow_event_change: bool = True,
    ) -> Master:
        """Open (or create) the master in `home`.

        With `event`, the first run records it (`event_loaded`); a later run with the same id
        but other content records `event_changed` and a notice (refused with MasterError when
        `allow_event_change` is false); another event id is always refused. Without `event`,
        the recorded one is used; MasterError if there is none, and nothing is created.
        """
        home = Path(home)
        if event is None and not (home / DB_FILE).exists():
            raise MasterError("no_event_loaded", home=home,
                              command="`head-judge serve EVENT.toml`")
        refuse_damaged(home / DB_FILE)
        private_folder(home)
        # Only a run given the event may make an identity: beside an existing ledger a new
        # one would be a new head judge, stranding every enrolled terminal.
        identity = (ensure_master_identity(home, now=now) if event is not None
                    else load_master_identity(home))
        try:
            ledger = Ledger(home / DB_FILE, MasterProjections())
        except sqlite3.DatabaseError as exc:
            raise damaged(home / DB_FILE, exc) from None
        try:
            master = cls(home, identity, ledger)
            if event is not None:
                master.load_event(event, now=now, allow_change=allow_event_change)
            elif master._event is None:
                raise MasterError("no_event_loaded", home=home,
                                  command="`head-judge serve EVENT.toml`")
        except sqlite3.DatabaseError as exc:
            ledger.close()
            raise damaged(home / DB_FILE, exc) from None
        except BaseException:
            ledger.close()
            raise
        return master

    def close(self) -> None:
        self.ledger.close()

    def __enter__(self) -> Master:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def event(self) -> Event:
        if self._event is None:
            raise MasterError("master_no_event")
        return self._event

    @property
    def event_digest(self) -> str:
        return self._event_digest

    def keys(self) -> MasterKeys:
        """The master's key over the ledger: this master's own, or, where a standby took
        over, the predecessor's before its `promoted` entry (`checkpoints.MasterKeys`)."""
        size = self.ledger_size()
        if self._keys is None or self._keys[0] != size:
            promotions = [e for e in self.ledger.entries() if e.kind == PROMOTED_KIND] \
                if self.ledger.conn.execute("SELECT 1 FROM ledger WHERE kind = ? LIMIT 1",
                                            (PROMOTED_KIND,)).fetchone() else []
            self._keys = (size, MasterKeys.from_entries(promotions, self.master_key))
        return self._keys[1]

    @property
    def master_key(self) -> bytes:
        """The raw Ed25519 public key receipts are signed with."""
        return self._master_key

    # --- writing ------------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[None]:
        """One ledger transaction; notices it appended are announced after the commit.

        Everything appended inside commits together, or nothing does when the block raises.
        """
        conn = self.ledger.conn
        with self.ledger.transaction():
            before = conn.execute("SELECT coalesce(max(id), 0) FROM notices").fetchone()[0]
            yield
            fresh = self._notice_rows("WHERE id > ? ORDER BY id", (before,))
        if self.on_notice is not None:
            for notice in fresh:
                try:
                    self.on_notice(notice)
                except Exception:  # a broken listener must not undo a committed answer
                    log.exception("notice listener failed")

    def load_event(self, event: Event, *, now: dt.datetime, allow_change: bool = True) -> str:
        """Record `event` as this master's event: "loaded", "changed" or "unchanged"."""
        digest = snapshot_digest(event)
        outcome = "unchanged"
        with self.write():
            stored = self.ledger.conn.execute(
                "SELECT event_id, digest FROM event_config").fetchone()
            payload = {"event_id": event.id, "digest": digest, "event": event_snapshot(event)}
            if stored is None:
                self.ledger.append("event_loaded", HEAD_JUDGE, payload, iso(now))
                outcome = "loaded"
            elif stored[0] != event.id:
                raise MasterError(
                    f"this data folder holds the final {stored[0]!r}, not {event.id!r}; "
                    "use another --home for another final")
            elif stored[1] != digest:
                if not allow_change:
                    raise MasterError(
                        f"the event file for {event.id!r} differs from the one the master "
                        "runs; restart `head-judge serve` with it to record the change")
                self.ledger.append("event_changed", HEAD_JUDGE,
                                   {**payload, "previous_digest": stored[1]}, iso(now))
                outcome = "changed"
        self._event, self._event_digest = event, digest
        return outcome

    def issue_codes(
        self,
        judges: Sequence[str] | None = None,
        *,
        now: dt.datetime,
        ttl: dt.timedelta = DEFAULT_CODE_TTL,
        rng: Callable[[int], bytes] = os.urandom,
    ) -> list[IssuedCode]:
        """New one-time codes for these seats (default: the whole panel).

        A new code replaces the seat's outstanding one. The ledger keeps each code's id, seat
        and expiry; its digits are kept in `self.codes`, outside the ledger."""
        with self.write():
            issued, _entry = self.append_codes(self._judges(judges), now=now, ttl=ttl, rng=rng)
        return issued

    def append_codes(self, judges: Sequence[Judge], *, now: dt.datetime, ttl: dt.timedelta,
                     rng: Callable[[int], bytes] = os.urandom) -> tuple[list[IssuedCode], Entry]:
        """`issue_codes` inside the caller's `write()` (a print issues its cards' codes in
        its own transaction); returns the codes and their `codes_issued` entry."""
        if ttl <= dt.timedelta(0):
            raise MasterError("code_ttl")
        try:
            issued, payload = new_codes(self.event, judges, self.codes, now=now,
                                        expires=iso(now + ttl), rng=rng)
        except ValueError as exc:
            raise MasterError("code_failed", error=str(exc)) from None
        replaced = [self.seat(j.id) for j in judges]
        entry = self.ledger.append("codes_issued", HEAD_JUDGE, payload, iso(now))
        for seat in replaced:  # a seat's earlier codes can never enrol again: fail closed
            for code_id in (seat.code_id, seat.used_code):
                if code_id is not None:
                    self.codes.forget(code_id)
        return issued, entry

    def issue_standby_code(self, *, now: dt.datetime, ttl: dt.timedelta = DEFAULT_CODE_TTL,
                           rng: Callable[[int], bytes] = os.urandom) -> IssuedCode:
        """A one-time code for the standby master's seat (`head-judge standby`); refused when
        the panel takes every seat number."""
        if seat_number(self.event, STANDBY) is None:
            raise MasterError("standby_no_seat", seats=SEAT_NUMBER_MAX)
        with self.write():
            (issued,), _entry = self.append_codes([STANDBY_JUDGE], now=now, ttl=ttl, rng=rng)
        return issued

    def _judges(self, ids: Sequence[str] | None) -> list[Judge]:
        if ids is None:
            return list(self.event.judges)
        unknown = [j for j in ids if self.event.judge(j) is None]
        if unknown:
            raise MasterError("unknown_judges", judges=unknown,
                              panel=[j.id for j in self.event.judges])
        return [j for j in self.event.judges if j.id in set(ids)]

    def reopen_seat(self, judge: str, reason: str, *, now: dt.datetime) -> bool:
        """Unlock a seat and clear its failed attempts; False (nothing written) if there were
        none."""
        (seat_judge,) = self._judges([judge])
        if not reason.strip():
            raise MasterError("seat_reason_required")
        with self.write():
            seat = self.seat(seat_judge.id)
            if not seat.locked and seat.failures == 0:
                return False
            self.ledger.append("seat_reopened", HEAD_JUDGE,
                               {"seat": seat_judge.id, "reason": reason.strip(),
                                "failures": seat.failures}, iso(now))
        return True

    # --- reading projections ------------------------------------------------------------------

    def seat(self, judge: str) -> Seat:
        row = self.ledger.conn.execute(
            "SELECT code_id, code_expires, used_code, used_device, failures, locked "
            "FROM seats WHERE judge = ?", (judge,)).fetchone()
        if row is None:
            return Seat(judge)
        return Seat(judge, row[0], row[1], row[2], row[3], row[4], bool(row[5]))

    def device(self, device_id: str) -> Device | None:
        row = self.ledger.conn.execute(
            "SELECT device, judge, public_key, name, enrolled_seq, revoked_seq FROM devices "
            "WHERE device = ?", (device_id,)).fetchone()
        if row is None:
            return None
        return Device(row[0], row[1], base64.b64decode(row[2]), row[3], row[4], row[5])

    def devices_of(self, judge: str) -> list[Device]:
        ids = self.ledger.conn.execute(
            "SELECT device FROM devices WHERE judge = ? ORDER BY enrolled_seq", (judge,))
        return [d for (device_id,) in ids.fetchall() if (d := self.device(device_id))]

    def _notice_rows(self, where: str, args: tuple[object, ...]) -> list[Notice]:
        rows = self.ledger.conn.execute(
            f"SELECT id, kind, judge, payload FROM notices {where}", args).fetchall()
        return [Notice(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def notices_since(self, judge: str, cursor: int) -> tuple[list[Notice], int]:
        """Notices for `judge` or for everyone after `cursor`, and the newest notice id.

        In a blind final every `event_changed` notice carries the event as this judge's
        terminal may see it now (`terminal_event`), never the event as recorded: the draw and
        the reveal of identities change what a terminal sees, and an old notice must not
        bring back names the draw hid."""
        with self.ledger.snapshot() as conn:
            notices = self._notice_rows(
                "WHERE id > ? AND (judge IS NULL OR judge = ?) ORDER BY id", (cursor, judge))
            newest = conn.execute("SELECT coalesce(max(id), 0) FROM notices").fetchone()[0]
            if self.event.blind and any(n.kind == "event_changed" for n in notices):
                snapshot, digest = self.terminal_event(judge)
                notices = [Notice(n.id, n.kind, n.judge,
                                  {"event_digest": digest, "event": snapshot})
                           if n.kind == "event_changed" else n for n in notices]
        return notices, int(newest)

    def terminal_event(self, judge: str) -> tuple[dict[str, Any], str]:
        """The event snapshot judge `judge`'s terminal gets, and its digest: while identities
        are hidden in a blind final, `blind_event` (draw numbers, no names, organisations,
        members or instructors, this judge's recusals only); otherwise the event itself."""
        event = self.event
        if not event.blind:
            return event_snapshot(event), self.event_digest
        with self.ledger.snapshot() as conn:
            state = blind_state(conn, event)
        if not state.hidden:
            return event_snapshot(event), self.event_digest
        key = (judge, self.event_digest, frozenset(state.draws.items()))
        view = self._blind_views.get(key)
        if view is None:
            seen = blind_event(event, state.draws, judge)
            if len(self._blind_views) > 4 * SEAT_NUMBER_MAX:
                self._blind_views.clear()
            view = self._blind_views[key] = (event_snapshot(seen), snapshot_digest(seen))
        return view

    def terminal_digest(self, judge: str) -> str:
        """The digest of the event `judge`'s terminal should hold now (`terminal_event`)."""
        if not self.event.blind:
            return self.event_digest
        return self.terminal_event(judge)[1]

    def hello(self) -> dict[str, Any]:
        return {"event": self.event.id, "protocol": PROTOCOL_VERSION,
                "name": {"zh": self.event.name.zh, "en": self.event.name.en}}

    # --- enrolment ----------------------------------------------------------------------------

    def enrol_start(self, request: object, now: dt.datetime) -> dict[str, str]:
        """Answer a terminal's first SPAKE2 message for a seat with ours and a session id.

        Writes nothing: a start tests no guess (the terminal's confirmation does, at the
        finish). Refused when the seat is unknown or locked, or has no code to enrol with."""
        number, a = _parse_enrol_start(request)
        judge = seat_judge(self.event, number)
        if judge is None:
            raise Rejection("unknown_seat", f"there is no seat {number} on this final's panel "
                            f"(seats 1-{len(self.event.judges)}); check the code with the head "
                            "judge", 404)
        seat = self.seat(judge.id)
        if seat.locked:
            raise _seat_locked(judge.id)
        code_id = seat.code_id if seat.code_id is not None else seat.used_code
        if seat.code_id is not None and seat.code_expires is not None \
                and now >= parse_time(seat.code_expires):
            raise Rejection("bad_code", f"the enrolment code for seat {number} ({judge.id}) has "
                            "expired; ask the head judge for a new one", 403)
        password = self.codes.password(code_id) if code_id is not None else None
        if code_id is None or password is None:
            raise Rejection("bad_code", f"no enrolment code is waiting for seat {number} "
                            f"({judge.id}); ask the head judge for one", 403)
        try:
            exchange = MasterExchange(number, password, a)
        except PakeError:
            raise _bad("`pake` is not a SPAKE2 message from a terminal") from None
        session = os.urandom(16).hex()
        self._exchanges.add(session, WaitingExchange(judge.id, code_id, exchange,
                                                     now + EXCHANGE_TTL), now)
        return {"session": session, "pake": _b64(exchange.b)}

    def enrol_finish(self, request: object, now: dt.datetime) -> dict[str, Any]:
        """Check the terminal's key confirmation and enrol its device key for the seat; the
        answer carries our own confirmation. A wrong confirmation is a wrong try (ten lock
        the seat)."""
        wanted = _parse_enrol_finish(request)
        waiting = self._exchanges.take(wanted.session, now)
        if waiting is None:
            raise Rejection("stale_session", "this enrolment was not finished in time or was "
                            "started again; enter the code again", 409)
        with self.write():
            outcome = self._enrol(waiting, wanted, now)
        if isinstance(outcome, Rejection):
            raise outcome
        binding = {k: outcome[k] for k in ("judge", "device", "event_digest", "master_key")}
        return {**outcome, "confirm": _b64(waiting.exchange.confirm(binding))}

    def _enrol(self, waiting: WaitingExchange, wanted: _EnrolFinish, now: dt.datetime
               ) -> dict[str, Any] | Rejection:
        judge = STANDBY_JUDGE if waiting.judge == STANDBY else self.event.judge(waiting.judge)
        seat = self.seat(waiting.judge)
        if judge is None or waiting.code_id not in (seat.code_id, seat.used_code):
            return Rejection("stale_session", "the head judge issued a new code for this seat "
                             "meanwhile; enter the new code", 409)
        if seat.locked:
            return _seat_locked(judge.id)
        device_id = device_id_of(wanted.device_key)
        knew = waiting.exchange.check_terminal(wanted.confirm, self.identity.fingerprint,
                                               wanted.device_key, wanted.device_name)
        existing = self.device(device_id)
        fresh = waiting.code_id == seat.code_id
        if knew and existing is not None and not fresh and existing.judge == judge.id \
                and not existing.revoked and seat.used_device == device_id:
            return self._enrol_answer(existing, now)  # a retry whose answer was lost
        if knew and fresh and seat.code_expires is not None \
                and now >= parse_time(seat.code_expires):
            # Started in time, finished after the card's expiry: the expiry holds (nothing
            # is recorded: the code was right, as at a start refused for expiry).
            return Rejection("bad_code", "this code has expired; ask the head judge for a new "
                             "one", 403)
        if knew and fresh:
            if existing is None:
                return self._enrol_device(judge, wanted, device_id, waiting.code_id, now)
            if existing.judge == judge.id and not existing.revoked and self._recovered(existing):
                # A laptop whose store rebuilt this master: a fresh code confirms it is the
                # head judge's choice to talk to it again; its key is already known.
                self.ledger.append("device_confirmed", f"device:{device_id}", {
                    "device": device_id, "judge": judge.id, "code": waiting.code_id}, iso(now))
                return self._enrol_answer(existing, now)
            return _bad("this device key is already enrolled; the terminal must make a new key "
                        "to enrol again")
        if knew:
            cause, reason = "used", "this code was already used; ask the head judge for a new one"
        else:
            cause, reason = "wrong", ("wrong code for this seat, or not this head judge's code; "
                                      "check it with the head judge")
        at = iso(now)
        self.ledger.append("enrol_failed", UNAUTHENTICATED,
                           {"seat": judge.id, "device": device_id, "cause": cause}, at)
        if seat.failures + 1 >= ENROL_FAILURE_LIMIT:
            self.ledger.append("seat_locked", MASTER,
                               {"seat": judge.id, "failures": seat.failures + 1}, at)
            return _seat_locked(judge.id)
        return Rejection("bad_code", reason, 403)

    def _recovered(self, device: Device) -> bool:
        """Whether the device was enrolled by a rebuild from the terminals' stores."""
        row = self.ledger.conn.execute("SELECT payload FROM ledger WHERE seq = ?",
                                       (device.enrolled_seq,)).fetchone()
        return row is not None and "recovered" in json.loads(row[0])

    def _enrol_device(self, judge: Judge, wanted: _EnrolFinish, device_id: str, code_id: str,
                      now: dt.datetime) -> dict[str, Any]:
        at = iso(now)
        earlier = [d for d in self.devices_of(judge.id) if not d.revoked]
        entry = self.ledger.append("device_enrolled", f"device:{device_id}", {
            "device": device_id, "judge": judge.id, "public_key": _b64(wanted.device_key),
            "device_name": wanted.device_name, "code": code_id}, at)
        for old in earlier:
            self.ledger.append("device_revoked", MASTER, {
                "device": old.id, "judge": judge.id, "replaced_by": device_id,
                "reason": Message("why_device_replaced", judge=judge.id, entry=entry.seq)}, at)
        device = self.device(device_id)
        if device is None:  # pragma: no cover - the projection was just written
            raise LedgerError("enrolled device missing from its projection")
        return self._enrol_answer(device, now)

    def _enrol_answer(self, device: Device, now: dt.datetime) -> dict[str, Any]:
        snapshot, digest = self.terminal_event(device.judge)
        answer = {"device": device.id, "judge": device.judge,
                  "event": snapshot, "event_digest": digest,
                  "master_key": _b64(self.master_key), "server_time": iso(now)}
        succession = self.succession_record()
        if succession is not None:  # a terminal knows the successor before its first pull
            answer["succession"] = succession
        return answer

    # --- push ---------------------------------------------------------------------------------

    def push(self, request: object, now: dt.datetime) -> dict[str, Any]:
        """Ingest a batch of signed sheets; answers after everything accepted is committed.
        Raises Rejection when the request as a whole is refused."""
        (answer,) = self.push_many([request], now)
        if isinstance(answer, Rejection):
            raise answer
        return answer

    def push_many(self, requests: Sequence[object], now: dt.datetime,
                  verified: Container[Signed] = frozenset()
                  ) -> list[dict[str, Any] | Rejection]:
        """`push` for several requests in one transaction (group commit: one fsync for all
        the pushes that queued up meanwhile); each gets its answer or its Rejection.

        The discrepancy rules run once per contestant that got sheets, after all of them have
        landed, with the last of those sheets as the flags' cause: when a whole panel's
        sheets arrive together, a flag is raised (or cleared) once, for the panel as it
        stands, rather than raised and cleared again as each sheet lands.

        `verified`: signatures already checked (`verified_signatures`, in another process);
        every other record's signature is checked here."""
        at = iso(now)
        answers: list[dict[str, Any] | Rejection] = []
        landed: dict[str, int] = {}  # contestant -> the last sheet entry that changed it
        with self.write():
            holds = _HeadJudgeHolds.read(self.ledger.conn)
            if self.event.blind:
                state = blind_state(self.ledger.conn, self.event)
                holds.drawn = frozenset(state.draws) if state.hidden else None
            for request in requests:
                try:
                    device_id, records = _parse_push(request)
                    device = self._active_device(device_id)
                    _require_one_signed(device, records)
                except Rejection as exc:
                    answers.append(exc)
                    continue
                answers.append({"results": [self._ingest(device, raw, at, landed, holds,
                                                         verified)
                                            for raw in records], "server_time": at})
            self._projections.read_panels(self.ledger.conn, landed)
            for contestant, cause in landed.items():
                self.reevaluate_flags(contestant, cause, at)
        return answers

    def _active_device(self, device_id: str) -> Device:
        """The enrolled, active device a push names: Rejection (403) otherwise."""
        device = self.device(device_id)
        if device is None:
            raise Rejection("unknown_device", "this terminal is not enrolled with this head "
                            "judge; enrol it with a code", 403)
        if device.revoked:
            raise Rejection("revoked_device", f"this terminal was replaced by another device "
                            f"for {device.judge}; it can no longer send scores", 403)
        return device

    def _ingest(self, device: Device, raw: object, at: str, landed: dict[str, int],
                holds: _HeadJudgeHolds, verified: Container[Signed]) -> dict[str, Any]:
        """One signed record of a push: its result. An accepted sheet's contestant goes into
        `landed`, for the discrepancy rules."""
        def rejected(code: str, reason: str, record_hash: str | None = None,
                     seq: int | None = None) -> dict[str, Any]:
            return {"hash": record_hash, "seq": seq, "status": "rejected", "code": code,
                    "reason": reason, "receipt": None}

        try:
            record = SignedRecord.from_wire(raw)
        except RecordError as exc:
            body = raw.get("body") if isinstance(raw, dict) else None
            record_hash = (sha256_hex(body.encode("utf-8", "surrogatepass"))
                           if isinstance(body, str) else None)
            return rejected("malformed", exc.reason, record_hash)
        record_hash = record.hash
        vouched = (device.public_key, record.signature, record.body) in verified
        if not vouched and not record.verify(device.public_key):
            return rejected("bad_signature", "the signature does not match this terminal's "
                            "key", record_hash)
        try:
            # canonical JSON of an object, as the checker found: the plain parser reads it
            # exactly as `parsed` would, in a tenth of the time
            body = json.loads(record.body) if vouched else record.parsed()
        except RecordError as exc:
            return rejected("malformed", exc.reason, record_hash)
        seq_hint = body.get("seq") if type(body.get("seq")) is int else None
        try:
            judged = judge_record_from_body(body)
        except RecordError as exc:
            return rejected("malformed", exc.reason, record_hash, seq_hint)
        seq = judged.seq
        what = "sheet" if isinstance(judged, Sheet) else "confirmation"

        def refuse(code: str, reason: str) -> dict[str, Any]:
            return rejected(code, reason, record_hash, seq)

        if judged.device != device.id:
            return refuse("wrong_device", f"the {what} names another terminal than the one "
                          "sending it")
        if judged.event != self.event.id:
            return refuse("wrong_event", f"the {what} is for the final {judged.event!r}, but "
                          f"this head judge runs {self.event.id!r}")
        held = self.ledger.conn.execute(
            "SELECT hash, receipt_body, receipt_sig FROM records WHERE device = ? AND seq = ?",
            (device.id, seq)).fetchone()
        if held is not None:
            if held[0] == record_hash:
                return {"hash": record_hash, "seq": seq, "status": "duplicate", "code": None,
                        "reason": None, "receipt": {"body": held[1], "sig": held[2]}}
            self.ledger.append("alarm", f"device:{device.id}", {
                "alarm": "equivocation", "device": device.id, "seq": seq,
                "detail": Message("why_signed_twice", device=device.id, seq=seq),
                "held": held[0], "offered": record_hash,
                "body": record.body.decode("utf-8"), "sig": _b64(record.signature)}, at)
            return refuse("equivocation", f"this terminal already sent a different record as "
                          f"number {seq}; the head judge has been alerted")
        problem = self._panel_problem(device, judged.judge, judged.contestant, holds)
        if problem is None:
            if isinstance(judged, Sheet):
                problem = self._sheet_problem(judged, holds)
            else:
                problem = self._confirmation_problem(judged)
        if problem is not None:
            return refuse(*problem)
        if isinstance(judged, Sheet):
            entry, receipt = self._append_signed("sheet_received", device, record, judged.event,
                                                 seq, {}, at)
            self._answer_reviews(judged, entry, at, holds)
            landed[judged.contestant] = entry.seq
        else:
            entry, receipt = self._append_signed("review_confirmed", device, record,
                                                 judged.event, seq,
                                                 {"review": judged.review}, at)
            holds.closed(judged.judge, judged.contestant, judged.review)
        return {"hash": record_hash, "seq": seq, "status": "accepted", "code": None,
                "reason": None, "receipt": receipt.to_wire()}

    def _append_signed(self, kind: str, device: Device, record: SignedRecord, event_id: str,
                       seq: int, extra: Mapping[str, Any], at: str) -> tuple[Entry, SignedRecord]:
        """Append a judge's signed record with the master's receipt for it."""
        ledger_seq = self.ledger.next_seq()
        receipt = sign_body(self.identity.signing_key, Receipt(
            event=event_id, device=device.id, seq=seq, record=record.hash,
            ledger=ledger_seq, at=at).body())
        entry = self.ledger.append(kind, f"device:{device.id}", {
            "device": device.id, "hash": record.hash, "body": record.body.decode("utf-8"),
            "sig": _b64(record.signature), "receipt_sig": _b64(receipt.signature), **extra}, at)
        if entry.seq != ledger_seq:  # pragma: no cover - next_seq is exact in a transaction
            raise LedgerError("receipt names the wrong ledger position")
        return entry, receipt

    def _answer_reviews(self, sheet: Sheet, entry: Entry, at: str,
                        holds: _HeadJudgeHolds) -> None:
        """An accepted sheet answers the judge's open review of that contestant."""
        for review in holds.open_reviews.pop((sheet.judge, sheet.contestant), []):
            self.ledger.append("review_answered", MASTER, {
                "review": review, "judge": sheet.judge, "contestant": sheet.contestant,
                "sheet": entry.payload["hash"], "revision": sheet.revision,
                "reason": sheet.reason or ""}, at)

    def reevaluate_flags(self, contestant: str, cause: int, at: str) -> list[Entry]:
        """Evaluate the event's discrepancy rules over the contestant's sheets in force
        (overrides applied, withdrawn sheets left out): raise every flag that holds and is
        not yet held (`flag_raised`), clear every held flag (open or accepted) that no
        longer holds (`flag_cleared`). `cause` is the entry that changed the values. Only
        inside `write()`."""
        conn = self.ledger.conn
        in_force = self._projections.panel(conn, contestant)
        ordered = {j.id: in_force[j.id] for j in self.event.judges if j.id in in_force}
        found = {f.key: f for f in evaluate(self.event.discrepancy, contestant, ordered)}
        held = {f.key: f for f in flag_rows(conn, contestant=contestant)
                if f.status != "cleared"}
        entries: list[Entry] = []
        for key, row in held.items():
            if key not in found:
                entries.append(self.ledger.append("flag_cleared", MASTER, {
                    "flag": row.id, "key": key, "contestant": contestant, "cause": cause}, at))
        for key, flag in found.items():
            if key not in held:
                entries.append(self.ledger.append("flag_raised", MASTER,
                                                  _flag_payload(flag, cause), at))
        return entries

    def _panel_problem(self, device: Device, judge_id: str, contestant_id: str,
                       holds: _HeadJudgeHolds) -> tuple[str, str] | None:
        """Why this judge may not send anything about this contestant now, or None."""
        event = self.event
        if judge_id != device.judge:
            return "not_your_seat", (f"this terminal is enrolled for {device.judge}, "
                                     f"not {judge_id}")
        judge = event.judge(judge_id)
        if judge is None:
            return "not_your_seat", f"{judge_id} is no longer on the panel of this final"
        contestant = event.contestant(contestant_id)
        if contestant is None or (holds.drawn is not None and contestant_id not in holds.drawn):
            # while identities are hidden a terminal knows only the contestants with a draw
            return "unknown_contestant", f"there is no contestant {contestant_id!r} in this final"
        if event.is_recused(judge, contestant):
            return "recused", (f"{judge_id} does not score {contestant_id} (same organisation "
                               "or a declared conflict)")
        locked = holds.locks.get(contestant_id)
        if locked is not None:
            return "locked", (f"the head judge has locked {contestant_id}"
                              + (f": {locked}" if locked else ""))
        return None

    def _sheet_problem(self, sheet: Sheet, holds: _HeadJudgeHolds) -> tuple[str, str] | None:
        event, conn = self.event, self.ledger.conn
        withdrawn = holds.withdrawn.get((sheet.judge, sheet.contestant))
        if withdrawn is not None:
            return "withdrawn", (f"the head judge withdrew {sheet.judge}'s sheet for "
                                 f"{sheet.contestant}: {withdrawn}")
        excused = holds.excused.get((sheet.judge, sheet.contestant))
        whole = holds.excused.get((sheet.judge, WHOLE_FINAL))
        if excused is not None or whole is not None:
            scope = "the whole final" if whole is not None else sheet.contestant
            return "excused", (f"the head judge excused {sheet.judge} from scoring {scope}: "
                               f"{whole if whole is not None else excused}")
        values = sheet.values
        criteria = [c.id for c in event.criteria]
        missing = [c for c in criteria if c not in values]
        unknown = sorted(c for c in values if event.criterion(c) is None)
        if missing or unknown:
            parts = [f"missing {', '.join(missing)}" if missing else "",
                     f"unknown {', '.join(unknown)}" if unknown else ""]
            return "out_of_rubric", "criteria wrong: " + "; ".join(p for p in parts if p)
        for criterion in criteria:
            reason = rubric_problem(event, criterion, values[criterion])
            if reason is not None:
                return "out_of_rubric", f"{criterion}: {reason}"
        current = conn.execute(
            "SELECT hash, revision FROM sheets WHERE judge = ? AND contestant = ?",
            (sheet.judge, sheet.contestant)).fetchone()
        if current is None and sheet.revision != 1:
            return "bad_revision", (f"revision {sheet.revision} replaces a sheet the head "
                                    f"judge does not hold for {sheet.contestant}")
        if current is not None and (sheet.supersedes != current[0]
                                    or sheet.revision != current[1] + 1):
            return "bad_revision", (f"the head judge holds revision {current[1]} of "
                                    f"{sheet.judge}'s sheet for {sheet.contestant}; a "
                                    f"correction must replace exactly that one as revision "
                                    f"{current[1] + 1}")
        return None

    def _confirmation_problem(self, confirmation: Confirmation) -> tuple[str, str] | None:
        judge, contestant = confirmation.judge, confirmation.contestant
        reviews = review_rows(self.ledger.conn, review_id=confirmation.review)
        if not reviews or reviews[0].status != "open" or reviews[0].judge != judge \
                or reviews[0].contestant != contestant:
            return "unknown_review", (f"there is no open review request "
                                      f"{confirmation.review} of {judge}'s sheet for "
                                      f"{contestant}")
        current = self.ledger.conn.execute(
            "SELECT hash, revision FROM sheets WHERE judge = ? AND contestant = ?",
            (judge, contestant)).fetchone()
        if current is None or current[0] != confirmation.sheet:
            return "not_current", (f"the confirmation names a sheet that is not {judge}'s "
                                   f"current sheet for {contestant}")
        return None

    # --- pull and the live channel ------------------------------------------------------------

    def _signed_by_device(self, raw: object, kind: str,
                          fields: frozenset[str]) -> tuple[Device, Mapping[str, Any]]:
        """A request record signed by an enrolled, active device: the device and the body.

        The body is parsed (strictly: canonical JSON, at most 16 KiB) only to learn which
        device's key to check; nothing in it is used before the signature is verified.
        """
        try:
            record = SignedRecord.from_wire(raw)
            body = record.parsed()
        except RecordError as exc:
            raise _bad(exc.reason) from None
        device_id = body.get("device")
        if not isinstance(device_id, str) or not _ID.match(device_id):
            raise _bad("`device` must be the terminal's device id")
        device = self.device(device_id)
        if device is None:
            raise Rejection("unknown_device", "this terminal is not enrolled with this head "
                            "judge; enrol it with a code", 403)
        if not record.verify(device.public_key):
            raise Rejection("bad_signature", "the signature does not match this terminal's "
                            "key", 403)
        if device.revoked:
            raise Rejection("revoked_device", f"this terminal was replaced by another device "
                            f"for {device.judge}", 403)
        _exact_fields(body, fields, f"a {kind} record")
        if body["v"] != 1 or body["kind"] != kind:
            raise _bad(f"expected a version 1 `{kind}` record")
        return device, body

    def pull(self, raw: object, now: dt.datetime) -> dict[str, Any]:
        """Notices after the cursor and every receipt for the requesting device."""
        device, body = self._signed_by_device(raw, "pull", _PULL_FIELDS)
        cursor, device_time = body["cursor"], body["device_time"]
        if type(cursor) is not int or not 0 <= cursor <= 2**53:
            raise _bad("`cursor` must be a whole number from 0")
        if not isinstance(device_time, str) or len(device_time) > MAX_DEVICE_TIME:
            raise _bad(f"`device_time` must be text of at most {MAX_DEVICE_TIME} characters")
        at = iso(now)
        with self.ledger.snapshot() as conn:
            notices, newest = self.notices_since(device.judge, cursor)
            receipts = [{"body": b, "sig": s} for b, s in conn.execute(
                "SELECT receipt_body, receipt_sig FROM records WHERE device = ? ORDER BY seq",
                (device.id,))]
        previous = self.online.get(device.id)
        self.online[device.id] = DeviceStatus(at, previous.outbox if previous else None,
                                              device_time)
        return {"cursor": newest, "notices": [n.to_wire() for n in notices],
                "receipts": receipts, "event_digest": self.terminal_digest(device.judge),
                "server_time": at}

    def mirror(self, raw: object, now: dt.datetime) -> dict[str, Any]:
        """The ledger after `after`, for the enrolled standby (`head_judge.succession`): at
        most `MIRROR_BATCH` entries, as stored. The first request, and one from a new
        address, appends the signed `succession` record naming the standby."""
        device, body = self._signed_by_device(raw, "mirror", MIRROR_FIELDS)
        if device.judge != STANDBY:
            raise Rejection("not_standby", "only the enrolled standby master mirrors the "
                            "ledger", 403)
        after, port, addresses = body["after"], body["port"], body["addresses"]
        fingerprint = _base64(body["fingerprint"], "fingerprint", 32,
                              "the standby's TLS fingerprint")
        if type(after) is not int or not 0 <= after <= 2**53:
            raise _bad("`after` must be a whole number from 0")
        if type(port) is not int or not 0 < port < 65536:
            raise _bad("`port` must be a TCP port, 1-65535")
        if not isinstance(addresses, list) or not 0 < len(addresses) <= 16 or not all(
                isinstance(a, str) and 0 < len(a) <= 64 for a in addresses):
            raise _bad("`addresses` must list the standby's addresses")
        wanted = succession_body(event=self.event.id, key=device.public_key,
                                 fingerprint=fingerprint, addresses=addresses, port=port,
                                 at="")
        if self._succession_named() != {**wanted, "at": None}:
            with self.write():
                at = iso(now)
                signed = sign_body(self.identity.signing_key, {**wanted, "at": at})
                self.ledger.append(SUCCESSION_KIND, MASTER, {
                    "device": device.id, "record": signed.to_wire()}, at)
        with self.ledger.snapshot() as conn:
            rows = conn.execute(
                "SELECT seq, kind, actor, at, payload, prev, hash FROM ledger WHERE seq > ? "
                "ORDER BY seq LIMIT ?", (after, MIRROR_BATCH)).fetchall()
            size = self.ledger_size()
        self.standby_status = StandbyStatus(device.id, min(after, size), size, iso(now))
        return {"entries": [dict(zip(("seq", "kind", "actor", "at", "payload", "prev", "hash"),
                                     row, strict=True)) for row in rows],
                "size": size, "server_time": iso(now)}

    def ledger_size(self) -> int:
        """Entries in the ledger now, whoever wrote them (another process too)."""
        return int(self.ledger.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM ledger"
                                            ).fetchone()[0])

    def succession_record(self) -> dict[str, str] | None:
        """The latest succession record the master signed (its wire form), if any."""
        row = self.ledger.conn.execute(
            "SELECT payload FROM ledger WHERE kind = ? ORDER BY seq DESC LIMIT 1",
            (SUCCESSION_KIND,)).fetchone()
        return None if row is None else dict(json.loads(row[0])["record"])

    def _succession_named(self) -> dict[str, Any] | None:
        """The body of the latest succession record, its time left out."""
        record = self.succession_record()
        return None if record is None else {**json.loads(record["body"]), "at": None}

    def authenticate_live(self, raw: object, nonce: str, now: dt.datetime) -> Device:
        """Check a live channel's `hello` record answers `nonce`; the device it proves."""
        device, body = self._signed_by_device(raw, "hello", _HELLO_FIELDS)
        offered = body["nonce"]
        if not isinstance(offered, str) or not hmac.compare_digest(
                offered.encode("utf-8", "surrogatepass"), nonce.encode("ascii")):
            raise Rejection("bad_signature", "the hello does not answer this challenge", 403)
        self.online[device.id] = DeviceStatus(iso(now))
        return device

    def record_status(self, device_id: str, outbox: int, device_time: str,
                      now: dt.datetime) -> None:
        """A live terminal's report of its outbox backlog (memory only, for the console)."""
        self.online[device_id] = DeviceStatus(iso(now), outbox, device_time)

    def checkpoint(self, reason: str, *, now: dt.datetime, only_if_new: bool = False
                   ) -> Entry | None:
        """Sign the ledger as it stands and append the checkpoint; every terminal is sent it
        as a `checkpoint` notice. With `only_if_new`, nothing is written (None) when the newest
        entry is already a checkpoint."""
        with self.write():
            last = self.ledger.conn.execute(
                "SELECT kind FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
            if only_if_new and last is not None and last[0] == CHECKPOINT_KIND:
                return None
            return append_checkpoint(self.ledger, self.identity.signing_key, self.event.id,
                                     iso(now), reason)


@dataclass
class _HeadJudgeHolds:
    """What the head judge's decisions hold that ingest checks for every record, read once
    per `push_many`: a push cannot change them (only the head judge's actions do, each in a
    write of its own), except that the records it lands answer open review requests."""

    locks: dict[str, str]  # contestant -> reason
    withdrawn: dict[tuple[str, str], str]  # (judge, contestant) -> reason
    excused: dict[tuple[str, str], str]  # (judge, contestant or WHOLE_FINAL) -> reason
    open_reviews: dict[tuple[str, str], list[int]]  # (judge, contestant) -> review ids
    drawn: frozenset[str] | None = None
    """While identities are hidden in a blind final, the contestants with a draw number (the
    only ones terminals know); None otherwise."""

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> _HeadJudgeHolds:
        reviews: dict[tuple[str, str], list[int]] = {}
        for review in review_rows(conn, status="open"):
            reviews.setdefault((review.judge, review.contestant), []).append(review.id)
        return cls(
            dict(conn.execute("SELECT contestant, reason FROM locks").fetchall()),
            {(j, c): r for j, c, r in conn.execute(
                "SELECT judge, contestant, reason FROM withdrawals").fetchall()},
            {(j, c): r for j, c, r in conn.execute(
                "SELECT judge, contestant, reason FROM excusals").fetchall()},
            reviews)

    def closed(self, judge: str, contestant: str, review: int) -> None:
        """A confirmation landed: its review request is no longer open."""
        left = [r for r in self.open_reviews.get((judge, contestant), []) if r != review]
        self.open_reviews[(judge, contestant)] = left


Signed = tuple[bytes, bytes, bytes]
"""(public key, signature, body) of a record whose signature and encoding have been checked."""


def verified_signatures(public_key: bytes, raws: Sequence[object]) -> frozenset[Signed]:
    """The records among `raws` (wire form) that `public_key` signed and whose body is
    canonical JSON of an object, for `push_many`, which then parses them without checking
    the encoding again. Pure: the server runs it in another process for a big push
    (`SignatureChecker`: the checks hold the interpreter lock, so a thread would not run
    beside the event loop). Records it leaves out are checked (and refused, with reasons)
    by ingest."""
    good: set[Signed] = set()
    for raw in raws:
        try:
            record = SignedRecord.from_wire(raw)
            if record.verify(public_key):
                record.parsed()
                good.add((public_key, record.signature, record.body))
        except RecordError:
            continue
    return frozenset(good)


def _seat_locked(judge: str) -> Rejection:
    return Rejection("seat_locked", f"enrolment for {judge} is locked after "
                     f"{ENROL_FAILURE_LIMIT} wrong codes; the head judge must reopen the seat",
                     403)


def _flag_payload(flag: Flag, cause: int) -> dict[str, Any]:
    return {"contestant": flag.contestant, "rule": flag.rule, "criterion": flag.criterion,
            "judges": list(flag.judges), "values": {j: plain(v) for j, v in flag.values.items()},
            "difference": plain(flag.difference), "threshold": plain(flag.threshold),
            "key": flag.key, "cause": cause}


def parse_time(text: str) -> dt.datetime:
    """A time as `iso` wrote it, back as an aware datetime."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
