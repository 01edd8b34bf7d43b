"""The judge laptop's own store: one SQLite file, `home/terminal.db`, plus the device key.

Holds the enrolment (pinned master fingerprint and key, judge and device ids, the event
snapshot), every record this device signed, the outbox (records the master has not yet
receipted), the master's verified receipts, the pull cursor and notices, checkpoints, and
the judge's drafts. The device's Ed25519 key lives in `home/device-key.pem` (mode 0600),
created on first use; it never leaves the laptop. Enrolling again with the same master needs a
new device key (the master refuses a key it already knows): it is made in
`device-key.next.pem` and replaces the old one only once the enrolment is committed; sheets the
old key signed that never reached the master are then re-signed, unchanged, by the new key.

`submit_sheet` validates a sheet against the event's rubric, signs it and commits the record
and its outbox entry in one transaction (WAL, `synchronous=FULL`) before it returns: only then
may a screen say "saved". A push's outcome (receipts, rejections) is committed without waiting
for the disk: whatever a power cut takes of it, the master gives again. `submit_sheet`
refuses, writing nothing, a value off the rubric, a missing or unknown criterion, an
unknown or recused contestant, a correction without a reason. Records are never edited or
deleted; a correction is a new signed revision. `confirm_review` signs and
queues a judge's "confirm as is" answer to a review request the same way. Receipts are stored
only after their signature verifies with the enrolled master's key.

Times come in as arguments (`now=`) or from the `clock` given to the store.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .canonical import canonical_bytes, sha256_hex
from .clock import Clock, utc_now
from .event import Event
from .home import private_folder, private_sqlite
from .identity import generate_signing_key, load_signing_key, public_key_bytes, save_private_key
from .problems import Said
from .records import (
    MAX_COMMENT,
    MAX_REASON,
    MAX_RECORD_BYTES,
    Confirmation,
    Receipt,
    RecordError,
    Sheet,
    SignedRecord,
    confirmation_from_body,
    device_id_of,
    plain_value,
    receipt_from_record,
    sheet_from_body,
    sign_confirmation,
    sign_sheet,
)
from .snapshot import SnapshotError, event_from_snapshot
from .succession import SUCCESSION_KIND, Succession, read_succession

__all__ = [
    "DB_FILE",
    "KEY_FILE",
    "NEXT_KEY_FILE",
    "CheckedReceipt",
    "Draft",
    "Enrolment",
    "Notice",
    "StoreError",
    "StoreStatus",
    "StoredRecord",
    "TerminalStore",
    "check_sheet_values",
]

DB_FILE = "terminal.db"
KEY_FILE = "device-key.pem"
NEXT_KEY_FILE = "device-key.next.pem"
SCHEMA_VERSION = 1
CONFIRMATION_REVISION = 0
"""`records.revision` of a confirmation; a sheet's revision is 1 or more."""
Rng = Callable[[int], bytes]
_QUERY_CHUNK = 500
"""Most `?` parameters one query gets (old SQLite builds allow 999)."""


class StoreError(Exception):
    """Something the store refuses to do; `reason` is one plain sentence for the judge."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory; its renames are journalled
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _iso(when: dt.datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return when.isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Enrolment:
    """Who this terminal is and which master it talks to."""

    pin: bytes
    host: str
    port: int
    master_key: bytes
    judge: str
    device: str
    event_id: str
    snapshot: Mapping[str, Any]
    event_digest: str
    enrolled_at: str

    @property
    def address(self) -> str:
        """The master's HOST:PORT, as screens show it."""
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class StoredRecord:
    """One record this device signed, with what the master said about it."""

    seq: int
    hash: str
    prev: str | None
    event: str
    judge: str
    contestant: str
    revision: int
    supersedes: str | None
    body: bytes
    signature: bytes
    created_at: str
    rejected_code: str | None
    rejected_reason: str | None
    replaced_by: str | None
    """Hash of the copy a newer device key re-signed, for a sheet that never reached the
    master before this laptop enrolled again."""
    receipted: bool
    in_outbox: bool

    @property
    def record(self) -> SignedRecord:
        return SignedRecord(self.body, self.signature)

    @property
    def sheet(self) -> Sheet:
        return sheet_from_body(self.record.parsed())

    @property
    def is_confirmation(self) -> bool:
        """A signed "confirm as is" answer to a review request (kept with revision 0)."""
        return self.revision == CONFIRMATION_REVISION

    @property
    def confirmation(self) -> Confirmation:
        return confirmation_from_body(self.record.parsed())


@dataclass(frozen=True)
class CheckedReceipt:
    """A master's receipt whose signature and fields `TerminalStore.check_receipts` checked
    against the enrolment with `master_key`, not yet stored."""

    receipt: Receipt
    signed: SignedRecord
    master_key: bytes


@dataclass(frozen=True)
class Draft:
    contestant: str
    values: dict[str, str]
    comment: str
    updated_at: str


@dataclass(frozen=True)
class Notice:
    """A message from the head judge (lock, unlock, review request, ...)."""

    id: int
    kind: str
    judge: str | None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoreStatus:
    enrolled: bool
    judge: str | None
    event_id: str | None
    master: str | None
    sheets: int
    outbox: int
    rejected: int
    receipts: int
    stranded: int
    """Outbox entries of an event this terminal is no longer enrolled in."""
    last_receipt_at: str | None
    cursor: int


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS enrolment (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pin BLOB NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL, master_key BLOB NOT NULL,
    judge TEXT NOT NULL, device TEXT NOT NULL, event_id TEXT NOT NULL,
    snapshot TEXT NOT NULL, event_digest TEXT NOT NULL, enrolled_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    hash TEXT PRIMARY KEY,
    event TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL, prev TEXT,
    judge TEXT NOT NULL, contestant TEXT NOT NULL, revision INTEGER NOT NULL, supersedes TEXT,
    body BLOB NOT NULL, sig BLOB NOT NULL, created_at TEXT NOT NULL,
    rejected_code TEXT, rejected_reason TEXT, rejected_at TEXT, replaced_by TEXT,
    UNIQUE (event, device, seq)
);
CREATE INDEX IF NOT EXISTS records_by_sheet ON records (event, judge, contestant, revision);
CREATE TABLE IF NOT EXISTS outbox (
    hash TEXT PRIMARY KEY REFERENCES records (hash),
    event TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_by_seq ON outbox (event, device, seq);
CREATE TABLE IF NOT EXISTS receipts (
    record TEXT NOT NULL REFERENCES records (hash),
    master_key BLOB NOT NULL,
    seq INTEGER NOT NULL, ledger INTEGER NOT NULL, at TEXT NOT NULL,
    body BLOB NOT NULL, sig BLOB NOT NULL, body_hash TEXT NOT NULL, received_at TEXT NOT NULL,
    PRIMARY KEY (record, master_key)
);
CREATE INDEX IF NOT EXISTS receipts_by_time ON receipts (received_at);
CREATE TABLE IF NOT EXISTS notices (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL, judge TEXT, payload TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
    size INTEGER PRIMARY KEY, root TEXT NOT NULL, body BLOB NOT NULL, sig BLOB NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS drafts (
    event TEXT NOT NULL, contestant TEXT NOT NULL, "values" TEXT NOT NULL,
    comment TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (event, contestant)
);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_RECORD_COLUMNS = (
    "r.seq, r.hash, r.prev, r.event, r.judge, r.contestant, r.revision, r.supersedes, r.body, "
    "r.sig, r.created_at, r.rejected_code, r.rejected_reason, r.replaced_by, "
    "EXISTS (SELECT 1 FROM receipts c WHERE c.record = r.hash), "
    "EXISTS (SELECT 1 FROM outbox o WHERE o.hash = r.hash)"
)


def check_sheet_values(
    event: Event, judge_id: str, contestant_id: str, values: Mapping[str, Decimal]
) -> list[str]:
    """Every reason `values` is not a valid sheet of `judge_id` for `contestant_id` (pure)."""
    problems: list[str] = []
    judge = event.judge(judge_id)
    contestant = event.contestant(contestant_id)
    if judge is None:
        problems.append(Said("sv_not_on_panel", judge=judge_id))
    if contestant is None:
        problems.append(Said("sv_no_contestant", contestant=repr(contestant_id)))
    if judge is not None and contestant is not None and event.is_recused(judge, contestant):
        problems.append(Said("sv_recused", judge=judge_id, contestant=contestant_id))
    known = {c.id for c in event.criteria}
    unknown = sorted(set(values) - known)
    if unknown:
        problems.append(Said("sv_unknown", criteria=", ".join(unknown)))
    for criterion in event.criteria:
        if criterion.id not in values:
            problems.append(Said("sv_missing", criterion=criterion.id, max=criterion.max,
                                 step=criterion.step))
            continue
        value = values[criterion.id]
        if not isinstance(value, Decimal) or not value.is_finite():
            problems.append(Said("sv_not_number", criterion=criterion.id, value=repr(value)))
            continue
        if value < 0 or value > criterion.max:
            problems.append(Said("sv_outside", criterion=criterion.id, value=value,
                                 max=criterion.max))
        elif value % criterion.step != 0:
            problems.append(Said("sv_not_multiple", criterion=criterion.id, value=value,
                                 step=criterion.step))
        else:
            try:
                plain_value(value)
            except RecordError:
                problems.append(Said("sv_not_score", criterion=criterion.id, value=value))
    return problems


class TerminalStore:
    """A judge laptop's store. Open with `TerminalStore.open(home)`; one per process."""

    def __init__(
        self, home: Path, db: sqlite3.Connection, key: Ed25519PrivateKey, clock: Clock
    ) -> None:
        self.home = home
        self._db = db
        self._key = key
        self._clock = clock
        self._rng: Rng = os.urandom
        self._event_cache: tuple[str, Event] | None = None
        self._enrolment_cache: tuple[tuple[object, ...], Enrolment] | None = None

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, home: Path | str, *, clock: Clock = utc_now, rng: Rng = os.urandom
    ) -> TerminalStore:
        """Open (creating on first use) the store and the device key in `home`."""
        folder = private_folder(home)
        key_path = folder / KEY_FILE
        if not key_path.exists():
            with contextlib.suppress(FileExistsError):  # another process won the race
                save_private_key(key_path, generate_signing_key(rng))
        private_sqlite(folder / DB_FILE)  # 0600 before SQLite makes -wal and -shm in its mode
        db = sqlite3.connect(folder / DB_FILE, isolation_level=None, timeout=30.0)
        try:
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(Said("st_no_wal", file=folder / DB_FILE))
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            store = cls(folder, db, load_signing_key(key_path), clock)
            store._rng = rng
            with store._tx():
                store._create_schema()
            store._finish_key_rotation()
        except BaseException as exc:
            db.close()
            if isinstance(exc, sqlite3.DatabaseError) \
                    and not isinstance(exc, sqlite3.OperationalError):  # not merely busy
                raise StoreError(Said("st_damaged", file=folder / DB_FILE, error=exc)) from None
            raise
        return store

    def _finish_key_rotation(self) -> None:
        """An enrolment committed with the next key but the process stopped before that key
        replaced the old file: finish the swap."""
        next_path = self.home / NEXT_KEY_FILE
        enrolment = self.enrolment()
        if enrolment is None or not next_path.exists():
            return
        next_key = load_signing_key(next_path)
        if device_id_of(public_key_bytes(next_key)) == enrolment.device != self.device_id:
            os.replace(next_path, self.home / KEY_FILE)
            _fsync_dir(self.home)
            self._key = next_key

    def _create_schema(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(Said("st_newer", file=self.home / DB_FILE))
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                self._db.execute(statement)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TerminalStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _tx(self, *, flush: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE), committed on success.

        `flush=False` commits without waiting for the disk (synchronous=NORMAL): a crash of
        the program keeps it, a power cut may undo it, until the next flushed commit (the
        log is written in order, so that one makes it durable too). Only for what the
        master can give again: a receipt lost so is fetched again by the next push or pull.
        """
        if not flush:
            self._db.execute("PRAGMA synchronous=NORMAL")
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        finally:
            if not flush:
                self._db.execute("PRAGMA synchronous=FULL")

    # --- identity and enrolment ---------------------------------------------------------------

    @property
    def device_key(self) -> Ed25519PrivateKey:
        return self._key

    @property
    def device_public_key(self) -> bytes:
        return public_key_bytes(self._key)

    @property
    def device_id(self) -> str:
        return device_id_of(self.device_public_key)

    def next_device_key(self) -> Ed25519PrivateKey:
        """The key a new enrolment with an already known master uses (made once, kept in
        `device-key.next.pem` until an enrolment with it is committed)."""
        path = self.home / NEXT_KEY_FILE
        if not path.exists():
            with contextlib.suppress(FileExistsError):
                save_private_key(path, generate_signing_key(self._rng))
        return load_signing_key(path)

    def enrolment(self) -> Enrolment | None:
        # Read on almost every call, so the row is read without its snapshot (a big event
        # is megabytes of JSON) and the last answer is reused while the row is unchanged: the
        # snapshot is whatever canonical JSON `event_digest` is the hash of. The snapshot
        # mapping is shared between answers; do not mutate it.
        row = self._db.execute(
            "SELECT pin, host, port, master_key, judge, device, event_id, event_digest, "
            "enrolled_at FROM enrolment WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        if self._enrolment_cache is not None and self._enrolment_cache[0] == row:
            return self._enrolment_cache[1]
        cached = self._enrolment_cache[1] if self._enrolment_cache is not None else None
        if cached is not None and cached.event_digest == row[7]:
            snapshot = cached.snapshot
        else:
            found = self._db.execute(
                "SELECT snapshot, event_digest FROM enrolment WHERE id = 1").fetchone()
            if found is None or found[1] != row[7]:  # pragma: no cover - another process
                return self.enrolment()  # changed it between the two reads: read again
            snapshot = json.loads(found[0])
        enrolment = Enrolment(
            pin=bytes(row[0]), host=row[1], port=row[2], master_key=bytes(row[3]),
            judge=row[4], device=row[5], event_id=row[6], snapshot=snapshot,
            event_digest=row[7], enrolled_at=row[8],
        )
        self._enrolment_cache = (tuple(row), enrolment)
        return enrolment

    def require_enrolment(self) -> Enrolment:
        enrolment = self.enrolment()
        if enrolment is None:
            raise StoreError(Said("st_not_enrolled"))
        return enrolment

    def event(self) -> Event:
        """The enrolled event, rebuilt from its snapshot."""
        enrolment = self.require_enrolment()
        if self._event_cache is None or self._event_cache[0] != enrolment.event_digest:
            try:
                event = event_from_snapshot(enrolment.snapshot)
            except SnapshotError as exc:
                raise StoreError(Said("st_event_unreadable", problem=exc)) from None
            self._event_cache = (enrolment.event_digest, event)
        return self._event_cache[1]

    def save_enrolment(
        self,
        *,
        pin: bytes,
        host: str,
        port: int,
        master_key: bytes,
        judge: str,
        device: str,
        snapshot: Mapping[str, Any],
        event_digest: str,
        now: dt.datetime | None = None,
    ) -> Enrolment:
        """Record a successful enrolment, replacing any earlier one.

        `device` is this laptop's device id or the id of `next_device_key()`; in the second
        case that key becomes the device key once this is committed, and the sheets of this
        event still in the outbox under an older key are re-signed by it (same content, next
        sequence numbers of the new device; the old copies are marked `replaced_by`).

        Checks the snapshot rebuilds an event whose digest is `event_digest`. When the
        master's key or the event changed, the pull cursor and notices start afresh, and every
        record of this device and event without a receipt from the new key goes back in the
        outbox (a rebuilt master gets them all again; it answers `duplicate` for what it has).
        """
        key = self._key
        if device != self.device_id:
            next_path = self.home / NEXT_KEY_FILE
            candidate = load_signing_key(next_path) if next_path.exists() else None
            if candidate is None or device_id_of(public_key_bytes(candidate)) != device:
                raise StoreError(Said("st_other_device"))
            key = candidate
        try:
            event = event_from_snapshot(dict(snapshot))
        except SnapshotError as exc:
            raise StoreError(Said("st_sent_unreadable", problem=exc)) from None
        if sha256_hex(canonical_bytes(dict(snapshot))) != event_digest:
            raise StoreError(Said("st_digest"))
        moment = now or self._clock()
        when = _iso(moment)
        before = self.enrolment()
        with self._tx() as db:
            db.execute("DELETE FROM enrolment")
            db.execute(
                "INSERT INTO enrolment (id, pin, host, port, master_key, judge, device, "
                "event_id, snapshot, event_digest, enrolled_at) "
                "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (pin, host, port, master_key, judge, device, event.id,
                 json.dumps(dict(snapshot), ensure_ascii=False, sort_keys=True),
                 event_digest, when),
            )
            if before is None or before.master_key != master_key or before.event_id != event.id:
                db.execute("DELETE FROM state WHERE key IN ('cursor', 'master_event_digest')")
                db.execute("DELETE FROM notices")
            db.execute(
                "INSERT OR IGNORE INTO outbox (hash, event, device, seq) "
                "SELECT r.hash, r.event, r.device, r.seq FROM records r WHERE r.event = ? "
                "AND r.device = ? AND r.rejected_code IS NULL AND r.replaced_by IS NULL "
                "AND NOT EXISTS "
                "(SELECT 1 FROM receipts c WHERE c.record = r.hash AND c.master_key = ?)",
                (event.id, device, master_key),
            )
            self._resign_outbox(db, key, device, event.id, judge, moment)
        if key is not self._key:
            os.replace(self.home / NEXT_KEY_FILE, self.home / KEY_FILE)
            _fsync_dir(self.home)
            self._key = key
        self._event_cache = (event_digest, event)  # built from this very snapshot above
        return self.require_enrolment()

    def _resign_outbox(self, db: sqlite3.Connection, key: Ed25519PrivateKey, device: str,
                       event_id: str, judge: str, now: dt.datetime) -> None:
        """Re-sign, in order, this judge's outbox sheets of this event signed by older device
        keys, with `key`. (Sheets of another seat stay where they are: `status().stranded`.)"""
        old = self._records(
            "r.event = ? AND r.device != ? AND r.judge = ? "
            "AND r.hash IN (SELECT hash FROM outbox) ORDER BY r.created_at, r.seq",
            (event_id, device, judge))
        if not old:
            return
        last = db.execute(
            "SELECT seq, hash FROM records WHERE event = ? AND device = ? "
            "ORDER BY seq DESC LIMIT 1", (event_id, device)).fetchone()
        seq, prev = (last[0], last[1]) if last else (0, None)
        renamed: dict[str, str] = {}
        for stored in old:
            seq += 1
            if stored.is_confirmation:
                confirmation = stored.confirmation
                again = replace(confirmation, device=device, seq=seq, prev=prev,
                                sheet=renamed.get(confirmation.sheet, confirmation.sheet),
                                device_time=_iso(now))
                signed = sign_confirmation(key, again)
                self._insert_confirmation(db, again, signed)
                db.execute("UPDATE records SET replaced_by = ? WHERE hash = ?",
                           (signed.hash, stored.hash))
                db.execute("DELETE FROM outbox WHERE hash = ?", (stored.hash,))
                prev = signed.hash
                continue
            sheet = stored.sheet
            copy = replace(
                sheet, device=device, seq=seq, prev=prev,
                supersedes=renamed.get(sheet.supersedes or "", sheet.supersedes),
                device_time=_iso(now),
            )
            signed = sign_sheet(key, copy)
            self._insert_record(db, copy, signed)
            db.execute("UPDATE records SET replaced_by = ? WHERE hash = ?",
                       (signed.hash, stored.hash))
            db.execute("DELETE FROM outbox WHERE hash = ?", (stored.hash,))
            renamed[stored.hash] = signed.hash
            prev = signed.hash

    @staticmethod
    def _insert_record(db: sqlite3.Connection, sheet: Sheet, signed: SignedRecord) -> None:
        db.execute(
            "INSERT INTO records (hash, event, device, seq, prev, judge, contestant, "
            "revision, supersedes, body, sig, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (signed.hash, sheet.event, sheet.device, sheet.seq, sheet.prev, sheet.judge,
             sheet.contestant, sheet.revision, sheet.supersedes, signed.body, signed.signature,
             sheet.device_time),
        )
        db.execute("INSERT INTO outbox (hash, event, device, seq) VALUES (?, ?, ?, ?)",
                   (signed.hash, sheet.event, sheet.device, sheet.seq))

    @staticmethod
    def _insert_confirmation(db: sqlite3.Connection, confirmation: Confirmation,
                             signed: SignedRecord) -> None:
        db.execute(
            "INSERT INTO records (hash, event, device, seq, prev, judge, contestant, "
            "revision, supersedes, body, sig, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
            (signed.hash, confirmation.event, confirmation.device, confirmation.seq,
             confirmation.prev, confirmation.judge, confirmation.contestant,
             CONFIRMATION_REVISION, signed.body, signed.signature, confirmation.device_time),
        )
        db.execute("INSERT INTO outbox (hash, event, device, seq) VALUES (?, ?, ?, ?)",
                   (signed.hash, confirmation.event, confirmation.device, confirmation.seq))

    def set_master_address(self, host: str, port: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE enrolment SET host = ?, port = ? WHERE id = 1", (host, port))

    def keep_succession(self, record: SignedRecord) -> None:
        """Keep the succession record an enrolment answer carried (RecordError, keeping
        nothing, unless the enrolled master signed it)."""
        read_succession(record, self.require_enrolment().master_key)
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('succession', ?)",
                       (json.dumps(record.to_wire()),))

    def successor(self) -> Succession | None:
        """The master's successor as the latest `succession` notice (or, before the first
        pull, the enrolment answer) names it, if the master this laptop follows now signed
        it (issue 26)."""
        enrolment = self.require_enrolment()
        kept = self._state("succession")
        records = [n.payload.get("succession") for n in reversed(self.notices())
                   if n.kind == SUCCESSION_KIND] + ([json.loads(kept)] if kept else [])
        for wire in records:
            try:
                named = read_succession(SignedRecord.from_wire(wire), enrolment.master_key)
            except RecordError:
                continue
            if named.event == enrolment.event_id and named.key != enrolment.master_key:
                return named
        return None

    def past_master_keys(self) -> list[bytes]:
        """The keys of the masters this laptop followed before its current one, newest
        first."""
        return [bytes.fromhex(k) for k in json.loads(self._state("past_master_keys") or "[]")]

    def follow_successor(self, successor: Succession, host: str) -> None:
        """From now on talk to `successor` at `host`: its TLS fingerprint is the pin and its
        key signs receipts. Receipts already held stay, under the key that signed them; the
        old key still verifies the receipts the successor hands back."""
        enrolment = self.require_enrolment()
        past = [enrolment.master_key.hex(), *(k.hex() for k in self.past_master_keys())]
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES "
                       "('past_master_keys', ?)", (json.dumps(past),))
            # Everything again, once: what the old master receipted but the standby had not
            # mirrored yet is in no other place; the rest comes back as duplicates with the
            # receipts already held.
            db.execute(
                "INSERT OR IGNORE INTO outbox (hash, event, device, seq) "
                "SELECT r.hash, r.event, r.device, r.seq FROM records r WHERE r.event = ? "
                "AND r.device = ? AND r.rejected_code IS NULL AND r.replaced_by IS NULL",
                (enrolment.event_id, enrolment.device))
            db.execute("UPDATE enrolment SET pin = ?, master_key = ?, host = ?, port = ? "
                       "WHERE id = 1", (successor.fingerprint, successor.key, host,
                                        successor.port))

    # --- sheets -------------------------------------------------------------------------------

    def submit_sheet(
        self,
        contestant: str,
        values: Mapping[str, Decimal],
        comment: str = "",
        reason: str | None = None,
        *,
        now: dt.datetime,
    ) -> StoredRecord:
        """Validate, sign and durably store the judge's sheet for `contestant`.

        The next revision supersedes the judge's current sheet for the contestant (the latest
        one the master has not rejected) and needs a `reason`. Returns after the commit.
        """
        enrolment = self.require_enrolment()
        if enrolment.device != self.device_id:
            raise StoreError(Said("st_key_changed"))
        event = self.event()
        try:
            clean = {k: Decimal(v) if not isinstance(v, Decimal) else v
                     for k, v in values.items()}
        except (InvalidOperation, TypeError, ValueError):
            raise StoreError(Said("st_not_numbers")) from None
        problems = check_sheet_values(event, enrolment.judge, contestant, clean)
        if problems:
            raise StoreError(Said("st_all", problems=problems))
        if len(comment) > MAX_COMMENT:
            raise StoreError(Said("st_comment_long", n=MAX_COMMENT))
        reason = reason.strip() if reason is not None else None
        if reason is not None and len(reason) > MAX_REASON:
            raise StoreError(Said("st_reason_long", n=MAX_REASON))
        device_time = _iso(now)
        with self._tx() as db:
            last = db.execute(
                "SELECT seq, hash FROM records WHERE event = ? AND device = ? "
                "ORDER BY seq DESC LIMIT 1", (event.id, enrolment.device),
            ).fetchone()
            current = db.execute(
                "SELECT revision, hash FROM records WHERE event = ? AND judge = ? "
                "AND contestant = ? AND rejected_code IS NULL AND replaced_by IS NULL "
                "AND revision > 0 ORDER BY revision DESC, seq DESC LIMIT 1",
                (event.id, enrolment.judge, contestant),
            ).fetchone()
            revision = current[0] + 1 if current else 1
            if revision > 1 and not reason:
                raise StoreError(Said("st_has_sheet", contestant=contestant,
                                      revision=current[0]))
            if revision == 1 and reason:
                raise StoreError(Said("st_first_sheet", contestant=contestant))
            sheet = Sheet(
                event=event.id, judge=enrolment.judge, device=enrolment.device,
                seq=last[0] + 1 if last else 1, prev=last[1] if last else None,
                contestant=contestant, values=dict(clean), comment=comment,
                revision=revision, supersedes=current[1] if current else None,
                reason=reason if revision > 1 else None, device_time=device_time,
            )
            try:
                signed = sign_sheet(self._key, sheet)
            except RecordError as exc:
                raise StoreError(Said("st_unsignable", reason=exc.reason)) from None
            if len(signed.body) > MAX_RECORD_BYTES:
                raise StoreError(Said("st_too_large"))
            self._insert_record(db, sheet, signed)
            db.execute("DELETE FROM drafts WHERE event = ? AND contestant = ?",
                       (event.id, contestant))
        # exactly the row just committed (no need to read it back)
        return StoredRecord(
            seq=sheet.seq, hash=signed.hash, prev=sheet.prev, event=sheet.event,
            judge=sheet.judge, contestant=sheet.contestant, revision=sheet.revision,
            supersedes=sheet.supersedes, body=signed.body, signature=signed.signature,
            created_at=sheet.device_time, rejected_code=None, rejected_reason=None,
            replaced_by=None, receipted=False, in_outbox=True,
        )

    def confirm_review(self, review: int, comment: str = "", *,
                       now: dt.datetime) -> StoredRecord:
        """Answer the head judge's review request `review` with "my sheet stands as it is".

        Signs a `Confirmation` of the judge's current sheet for the request's contestant and
        commits it with its outbox entry in one transaction, like `submit_sheet`. It takes the
        device's next sequence number and is kept in `records` with revision 0
        (`StoredRecord.is_confirmation`). Refuses a review id this terminal has no
        `review_request` notice for, and a contestant it has no sheet for.
        """
        enrolment = self.require_enrolment()
        if enrolment.device != self.device_id:
            raise StoreError(Said("st_key_changed"))
        request = next((n for n in self.notices() if n.kind == "review_request"
                        and n.payload.get("review") == review
                        and n.judge in (None, enrolment.judge)), None)
        contestant = request.payload.get("contestant") if request is not None else None
        if not isinstance(contestant, str):
            raise StoreError(Said("st_no_review", review=review))
        comment = comment.strip()
        if len(comment) > MAX_REASON:
            raise StoreError(Said("st_comment_long", n=MAX_REASON))
        with self._tx() as db:
            last = db.execute(
                "SELECT seq, hash FROM records WHERE event = ? AND device = ? "
                "ORDER BY seq DESC LIMIT 1", (enrolment.event_id, enrolment.device),
            ).fetchone()
            current = db.execute(
                "SELECT hash FROM records WHERE event = ? AND judge = ? AND contestant = ? "
                "AND rejected_code IS NULL AND replaced_by IS NULL AND revision > 0 "
                "ORDER BY revision DESC, seq DESC LIMIT 1",
                (enrolment.event_id, enrolment.judge, contestant),
            ).fetchone()
            if current is None:
                raise StoreError(Said("st_nothing_to_confirm", contestant=contestant))
            confirmation = Confirmation(
                event=enrolment.event_id, judge=enrolment.judge, device=enrolment.device,
                seq=last[0] + 1 if last else 1, prev=last[1] if last else None,
                contestant=contestant, sheet=current[0], review=review, comment=comment,
                device_time=_iso(now),
            )
            try:
                signed = sign_confirmation(self._key, confirmation)
            except RecordError as exc:
                raise StoreError(Said("st_unsignable", reason=exc.reason)) from None
            self._insert_confirmation(db, confirmation, signed)
        stored = self.record(signed.hash)
        assert stored is not None
        return stored

    def _records(self, where: str, params: Sequence[object]) -> list[StoredRecord]:
        rows = self._db.execute(
            f"SELECT {_RECORD_COLUMNS} FROM records r WHERE {where}", tuple(params)
        ).fetchall()
        return [
            StoredRecord(
                seq=r[0], hash=r[1], prev=r[2], event=r[3], judge=r[4], contestant=r[5],
                revision=r[6], supersedes=r[7], body=bytes(r[8]), signature=bytes(r[9]),
                created_at=r[10], rejected_code=r[11], rejected_reason=r[12],
                replaced_by=r[13], receipted=bool(r[14]), in_outbox=bool(r[15]),
            )
            for r in rows
        ]

    def record(self, record_hash: str) -> StoredRecord | None:
        found = self._records("r.hash = ?", (record_hash,))
        return found[0] if found else None

    def sheets(self, *, all_events: bool = False) -> list[StoredRecord]:
        """Every record this device signed (for the enrolled event unless `all_events`)."""
        if all_events:
            return self._records("1 ORDER BY r.event, r.seq", ())
        enrolment = self.enrolment()
        if enrolment is None:
            return []
        return self._records("r.event = ? ORDER BY r.seq", (enrolment.event_id,))

    def current_sheet(self, contestant: str) -> StoredRecord | None:
        """The judge's latest revision for `contestant` that the master has not rejected."""
        enrolment = self.enrolment()
        if enrolment is None:
            return None
        found = self._records(
            "r.event = ? AND r.judge = ? AND r.contestant = ? AND r.rejected_code IS NULL "
            "AND r.replaced_by IS NULL AND r.revision > 0 "
            "ORDER BY r.revision DESC, r.seq DESC LIMIT 1",
            (enrolment.event_id, enrolment.judge, contestant),
        )
        return found[0] if found else None

    def rejected(self) -> list[StoredRecord]:
        enrolment = self.enrolment()
        if enrolment is None:
            return []
        return self._records("r.event = ? AND r.rejected_code IS NOT NULL ORDER BY r.seq",
                             (enrolment.event_id,))

    # --- outbox, receipts, rejections ---------------------------------------------------------

    def outbox(self, limit: int = 500, *, after: int = 0) -> list[StoredRecord]:
        """The oldest `limit` records of the enrolled event and device still waiting for a
        receipt, in seq order; only those with a seq above `after` (the client asks for the
        next batch while the previous one's receipts are still being stored)."""
        enrolment = self.enrolment()
        if enrolment is None:
            return []
        return self._records(
            "r.hash IN (SELECT hash FROM outbox WHERE event = ? AND device = ? AND seq > ? "
            "ORDER BY seq LIMIT ?) ORDER BY r.seq",
            (enrolment.event_id, enrolment.device, after, limit),
        )

    def outbox_size(self) -> int:
        enrolment = self.enrolment()
        if enrolment is None:
            return 0
        row = self._db.execute("SELECT count(*) FROM outbox WHERE event = ? AND device = ?",
                               (enrolment.event_id, enrolment.device)).fetchone()
        return int(row[0])

    def check_receipts(
        self, receipts: Iterable[SignedRecord]
    ) -> tuple[list[CheckedReceipt], list[str]]:
        """Verify receipts with the enrolled master's key and match each to the record of
        this device it names; stores nothing. Returns the good ones and, in order, a reason
        for each one that is not (`record_push_outcome` stores only good ones)."""
        enrolment = self.require_enrolment()
        keys = [enrolment.master_key, *self.past_master_keys()]
        outcome: list[tuple[Receipt, SignedRecord, bytes] | str] = []
        for signed in receipts:
            found: tuple[Receipt, bytes] | str = ""
            for key in keys:  # a successor hands back its predecessor's receipts
                try:
                    found = (receipt_from_record(signed, key), key)
                    break
                except RecordError as exc:
                    found = found or exc.reason
            if isinstance(found, str):
                outcome.append(found)
                continue
            receipt, signer = found
            if receipt.event != enrolment.event_id or receipt.device != enrolment.device:
                outcome.append(Said("rc_other_event"))
            else:
                outcome.append((receipt, signed, signer))
        named = list({item[0].record for item in outcome if not isinstance(item, str)})
        held: dict[str, tuple[int, str]] = {}
        for start in range(0, len(named), _QUERY_CHUNK):
            chunk = named[start:start + _QUERY_CHUNK]
            held.update((row[0], (row[1], row[2])) for row in self._db.execute(
                f"SELECT hash, seq, event FROM records WHERE hash IN "
                f"({', '.join('?' * len(chunk))})", chunk))
        good: list[CheckedReceipt] = []
        problems: list[str] = []
        for item in outcome:
            if isinstance(item, str):
                problems.append(item)
                continue
            receipt, signed, signer = item
            row = held.get(receipt.record)
            if row is None:
                problems.append(Said("rc_unknown_record", record=receipt.record[:12]))
            elif row != (receipt.seq, receipt.event):
                problems.append(Said("rc_wrong_seq"))
            else:
                good.append(CheckedReceipt(receipt, signed, signer))
        return good, problems

    @staticmethod
    def _store_receipts(db: sqlite3.Connection, checked: Sequence[CheckedReceipt],
                        when: str) -> None:
        db.executemany(
            "INSERT OR IGNORE INTO receipts (record, master_key, seq, ledger, at, body, sig, "
            "body_hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.receipt.record, c.master_key, c.receipt.seq, c.receipt.ledger, c.receipt.at,
              c.signed.body, c.signed.signature, c.signed.hash, when) for c in checked],
        )
        db.executemany("DELETE FROM outbox WHERE hash = ?",
                       [(c.receipt.record,) for c in checked])

    def mark_receipted(self, receipt: SignedRecord, *, now: dt.datetime | None = None) -> Receipt:
        """Verify a receipt with the master's key, store it and take its record off the outbox.

        Raises StoreError, storing nothing, if it is not a valid receipt for one of ours.
        """
        stored, problems = self.record_push_outcome([receipt], [], now=now)
        if problems:
            raise StoreError(problems[0])
        return stored[0]

    def record_push_outcome(
        self,
        receipts: Iterable[SignedRecord | CheckedReceipt],
        rejections: Iterable[tuple[str, str, str]],
        *,
        now: dt.datetime | None = None,
    ) -> tuple[list[Receipt], list[str]]:
        """Store verified receipts and (hash, code, reason) rejections in one transaction.

        A rejected record leaves the outbox (it would be rejected again) and keeps the code
        and reason for the judge to see. Receipts that do not verify are not stored; their
        problems are returned and their records stay in the outbox. Receipts may come
        already checked (`check_receipts`); those checked against another enrolment than
        the current one are refused.
        """
        enrolment = self.require_enrolment()
        when = _iso(now or self._clock())
        given = list(receipts)
        good, problems = self.check_receipts(
            [r for r in given if isinstance(r, SignedRecord)])
        keys = {enrolment.master_key, *self.past_master_keys()}
        for item in given:
            if not isinstance(item, CheckedReceipt):
                continue
            if (item.master_key not in keys or item.receipt.event
                    != enrolment.event_id or item.receipt.device != enrolment.device):
                problems.append(Said("rc_enrolled_again"))
            else:
                good.append(item)
        rejections = list(rejections)
        # the judge waits for this one (submit to receipt): the disk need not, as a receipt
        # or rejection lost in a power cut leaves its record in the outbox, and pushing it
        # again brings the same receipt back as a duplicate
        with self._tx(flush=False) as db:
            self._store_receipts(db, good, when)
            for record_hash, code, reason in rejections:
                updated = db.execute(
                    "UPDATE records SET rejected_code = ?, rejected_reason = ?, rejected_at = ? "
                    "WHERE hash = ? AND NOT EXISTS "
                    "(SELECT 1 FROM receipts c WHERE c.record = records.hash)",
                    (code[:64], reason[:MAX_REASON], when, record_hash),
                ).rowcount
                if updated:
                    db.execute("DELETE FROM outbox WHERE hash = ?", (record_hash,))
        return [c.receipt for c in good], problems

    def mark_rejected(self, record_hash: str, code: str, reason: str,
                      *, now: dt.datetime | None = None) -> None:
        self.record_push_outcome([], [(record_hash, code, reason)], now=now)

    def receipt(self, record_hash: str) -> SignedRecord | None:
        row = self._db.execute(
            "SELECT body, sig FROM receipts WHERE record = ? ORDER BY received_at DESC LIMIT 1",
            (record_hash,),
        ).fetchone()
        return SignedRecord(bytes(row[0]), bytes(row[1])) if row else None

    # --- pull: cursor, notices, checkpoints ---------------------------------------------------

    def cursor(self) -> int:
        return int(self._state("cursor") or 0)

    def _state(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def master_event_digest(self) -> str | None:
        """The event digest the master reported at the last pull."""
        return self._state("master_event_digest")

    def save_pull(
        self,
        cursor: int,
        notices: Sequence[Notice],
        receipts: Iterable[SignedRecord],
        event_digest: str | None,
        *,
        now: dt.datetime | None = None,
    ) -> tuple[list[Notice], list[Receipt], list[str]]:
        """Store one pull answer in one transaction; returns (new notices, new receipts,
        problems with receipts that did not verify)."""
        enrolment = self.require_enrolment()
        when = _iso(now or self._clock())
        # the very bytes already verified and stored, under whichever master's key signed them
        # (a successor hands back its predecessor's receipts: issue 26)
        known = {row[0] for row in self._db.execute("SELECT body_hash FROM receipts")}
        # skip the very bytes already verified and stored
        good, problems = self.check_receipts([r for r in receipts if r.hash not in known])
        fresh: list[Notice] = []
        new_receipts: list[Receipt] = []
        with self._tx() as db:
            seen: set[str] = set()
            for checked in good:
                have = checked.receipt.record in seen or db.execute(
                    "SELECT 1 FROM receipts WHERE record = ? AND master_key = ?",
                    (checked.receipt.record, enrolment.master_key),
                ).fetchone()
                seen.add(checked.receipt.record)
                if not have:
                    new_receipts.append(checked.receipt)
            self._store_receipts(db, good, when)
            for notice in notices:
                added = db.execute(
                    "INSERT OR IGNORE INTO notices (id, kind, judge, payload, received_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (notice.id, notice.kind, notice.judge,
                     json.dumps(dict(notice.payload), ensure_ascii=False, sort_keys=True), when),
                ).rowcount
                if added:
                    fresh.append(notice)
                    if notice.kind == "event_changed":
                        self._apply_event_change(db, enrolment, notice.payload)
            if cursor > self.cursor():
                db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('cursor', ?)",
                           (str(cursor),))
            if event_digest is not None:
                db.execute("INSERT OR REPLACE INTO state (key, value) "
                           "VALUES ('master_event_digest', ?)", (event_digest,))
        return fresh, new_receipts, problems

    def _apply_event_change(self, db: sqlite3.Connection, enrolment: Enrolment,
                            payload: Mapping[str, Any]) -> None:
        """Adopt the event an `event_changed` notice carries (`event`, `event_digest`) if it is
        the same final and its digest checks; anything else is ignored."""
        snapshot, digest = payload.get("event"), payload.get("event_digest")
        if not isinstance(snapshot, dict) or not isinstance(digest, str):
            return
        try:
            event = event_from_snapshot(snapshot)
            if sha256_hex(canonical_bytes(snapshot)) != digest or event.id != enrolment.event_id:
                return
        except (SnapshotError, TypeError, ValueError):
            return
        db.execute("UPDATE enrolment SET snapshot = ?, event_digest = ? WHERE id = 1",
                   (json.dumps(snapshot, ensure_ascii=False, sort_keys=True), digest))
        self._event_cache = None

    def notices(self) -> list[Notice]:
        rows = self._db.execute(
            "SELECT id, kind, judge, payload FROM notices ORDER BY id").fetchall()
        return [Notice(r[0], r[1], r[2], json.loads(r[3])) for r in rows]

    def save_checkpoint(self, size: int, root: str, signed: SignedRecord,
                        *, now: dt.datetime | None = None) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR IGNORE INTO checkpoints (size, root, body, sig, received_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (size, root, signed.body, signed.signature, _iso(now or self._clock())),
            )

    def checkpoints(self) -> list[tuple[int, str, SignedRecord]]:
        rows = self._db.execute(
            "SELECT size, root, body, sig FROM checkpoints ORDER BY size").fetchall()
        return [(r[0], r[1], SignedRecord(bytes(r[2]), bytes(r[3]))) for r in rows]

    # --- drafts -------------------------------------------------------------------------------

    def _draft_event(self) -> str:
        enrolment = self.enrolment()
        return enrolment.event_id if enrolment else ""

    def save_draft(self, contestant: str, values: Mapping[str, str], comment: str = "",
                   *, now: dt.datetime | None = None) -> None:
        """Autosave what the judge has typed so far for `contestant` (not validated)."""
        with self._tx() as db:
            db.execute(
                'INSERT OR REPLACE INTO drafts (event, contestant, "values", comment, updated_at) '
                "VALUES (?, ?, ?, ?, ?)",
                (self._draft_event(), contestant,
                 json.dumps({str(k): str(v) for k, v in values.items()}, ensure_ascii=False),
                 comment, _iso(now or self._clock())),
            )

    def draft(self, contestant: str) -> Draft | None:
        row = self._db.execute(
            'SELECT "values", comment, updated_at FROM drafts WHERE event = ? AND contestant = ?',
            (self._draft_event(), contestant),
        ).fetchone()
        if row is None:
            return None
        return Draft(contestant, dict(json.loads(row[0])), row[1], row[2])

    def drafts(self) -> dict[str, Draft]:
        """Every draft of the enrolled event, by contestant (one query, for the queue)."""
        rows = self._db.execute(
            'SELECT contestant, "values", comment, updated_at FROM drafts WHERE event = ?',
            (self._draft_event(),)).fetchall()
        return {r[0]: Draft(r[0], dict(json.loads(r[1])), r[2], r[3]) for r in rows}

    def discard_draft(self, contestant: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM drafts WHERE event = ? AND contestant = ?",
                       (self._draft_event(), contestant))

    # --- status -------------------------------------------------------------------------------

    def last_receipt_at(self) -> str | None:
        """When the newest receipt was stored (an index lookup: the sync client asks after
        every batch, where `status` counts whole tables)."""
        row = self._db.execute("SELECT max(received_at) FROM receipts").fetchone()
        return str(row[0]) if row[0] is not None else None

    def status(self) -> StoreStatus:
        enrolment = self.enrolment()
        event_id = enrolment.event_id if enrolment else ""
        device = enrolment.device if enrolment else ""
        one = self._db.execute(
            "SELECT "
            "(SELECT count(*) FROM records WHERE event = :e AND replaced_by IS NULL),"
            "(SELECT count(*) FROM outbox WHERE event = :e AND device = :d),"
            "(SELECT count(*) FROM records WHERE event = :e AND rejected_code IS NOT NULL),"
            "(SELECT count(*) FROM receipts c JOIN records r ON r.hash = c.record "
            " WHERE r.event = :e),"
            "(SELECT count(*) FROM outbox WHERE event != :e OR device != :d)",
            {"e": event_id, "d": device},
        ).fetchone()
        return StoreStatus(
            enrolled=enrolment is not None,
            judge=enrolment.judge if enrolment else None,
            event_id=enrolment.event_id if enrolment else None,
            master=enrolment.address if enrolment else None,
            sheets=one[0], outbox=one[1], rejected=one[2], receipts=one[3], stranded=one[4],
            last_receipt_at=self.last_receipt_at(), cursor=self.cursor(),
        )

    def integrity_check(self) -> str:
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])
