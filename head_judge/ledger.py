"""The master's ledger: an append-only, hash-chained SQLite table and the projections built on it.

Every fact the master knows (event loaded, device enrolled, sheet received, alarm, and the
head judge's later actions) is one entry: `seq`, `kind`, `actor`, `at` (ISO UTC text),
`payload` (canonical JSON) and `prev`, the hash of the entry before it ("" for the first).
An entry's hash is `sha256_hex(canonical_bytes({"seq", "kind", "actor", "at", "payload",
"prev"}))`. `verify_chain` (pure) finds any edit, deletion, insertion or reordering; cutting
entries off the end is only visible against a signed checkpoint (next issue).

Every other table is a projection: a `Projector` creates its tables and applies one entry at a
time, in the same transaction as the append, so `rebuild()` (drop the projections, replay the
ledger) always gives the same tables. `Ledger.append` is the only way to write; triggers make
UPDATE and DELETE of ledger rows, and inserts that break the chain, fail inside SQLite itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sync.canonical import (
    CanonicalError,
    canonical_bytes,
    canonical_encoding,
    canonical_text_of_parsed,
    parse_canonical,
    sha256_hex,
)
from sync.home import private_sqlite
from sync.merkle import leaf_hash

from .refusals import Message, Refused

__all__ = [
    "Entry",
    "Ledger",
    "LedgerError",
    "Projector",
    "create_ledger_table",
    "entry_bytes",
    "entry_hash",
    "verify_chain",
]

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process's write transaction (e.g. `enrol-codes`)."""

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS ledger (
        seq INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    )""",
    """CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON ledger
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries are never updated'); END""",
    """CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON ledger
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries are never deleted'); END""",
    """CREATE TRIGGER IF NOT EXISTS ledger_chained BEFORE INSERT ON ledger
    WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM ledger)
      OR NEW.prev IS NOT coalesce((SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1), '')
    BEGIN SELECT RAISE(ABORT, 'a ledger entry must follow the last one'); END""",
)


def create_ledger_table(conn: sqlite3.Connection) -> None:
    """The ledger table and the triggers that guard it, unless they exist."""
    for statement in _SCHEMA:
        conn.execute(statement)


class LedgerError(Refused):
    """A ledger that cannot be read as it should (an entry altered on disk: said to the head
    judge with the command that finds everything wrong), or misuse of it (append outside a
    transaction, nested transactions: a bug)."""


@dataclass(frozen=True)
class Entry:
    """One ledger entry. `payload` is the decoded canonical JSON object."""

    seq: int
    kind: str
    actor: str
    at: str
    payload: Mapping[str, Any]
    prev: str
    hash: str


def entry_hash(
    seq: int, kind: str, actor: str, at: str, payload: Mapping[str, Any], prev: str
) -> str:
    """The hash an entry with these fields must carry: SHA-256 of the canonical encoding of
    {"seq", "kind", "actor", "at", "payload", "prev"}."""
    return _entry_hash(seq, kind, actor, at, canonical_bytes(dict(payload)), prev)


def entry_bytes(entry: Entry) -> bytes:
    """The canonical encoding of an entry: what its hash and its Merkle leaf are taken over."""
    return _envelope(entry.seq, entry.kind, entry.actor, entry.at,
                     canonical_bytes(dict(entry.payload)), entry.prev)


def _entry_hash(seq: int, kind: str, actor: str, at: str, payload: bytes, prev: str) -> str:
    return sha256_hex(_envelope(seq, kind, actor, at, payload, prev))


def _envelope(seq: int, kind: str, actor: str, at: str, payload: bytes, prev: str) -> bytes:
    """The canonical encoding of an entry from its payload's canonical bytes, spliced in
    rather than encoded again: the envelope is encoded with 0 in its place. No string member
    can contain the bytes `"payload":0,` (a quote inside a JSON string is escaped), so the
    first is the member."""
    envelope = canonical_text_of_parsed({"seq": seq, "kind": kind, "actor": actor, "at": at,
                                         "payload": 0, "prev": prev}).encode("utf-8")
    return envelope.replace(b'"payload":0,', b'"payload":' + payload + b",", 1)


def verify_chain(entries: Iterable[Entry]) -> list[Message]:
    """Every problem in a ledger read from its start, in order; empty when it is intact.

    Checks that sequence numbers run 1, 2, 3..., that each entry names the hash of the one
    before it ("" for the first), and that each hash matches the entry's content.
    """
    problems: list[Message] = []
    expected_seq, prev_hash = 1, ""
    for entry in entries:
        def at(text: Message, seq: int = entry.seq) -> Message:
            return Message("au_entry", seq=seq, text=text)

        if entry.seq != expected_seq:
            problems.append(at(Message("au_expected_seq", expected=expected_seq)))
        if entry.prev != prev_hash:
            problems.append(at(Message("au_not_following")))
        try:
            actual = entry_hash(entry.seq, entry.kind, entry.actor, entry.at, entry.payload,
                                entry.prev)
        except (TypeError, ValueError) as exc:
            problems.append(at(Message("au_cannot_hash_because", error=exc)))
        else:
            if actual != entry.hash:
                problems.append(at(Message("au_hash_mismatch")))
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    return problems


class Projector(Protocol):
    """Tables derived from the ledger, updated entry by entry."""

    @property
    def version(self) -> int:
        """The shape of the tables: a file stamped with another is rebuilt when opened."""

    @property
    def tables(self) -> Sequence[str]:
        """Names of the projection tables, dropped by `Ledger.rebuild`."""

    def create(self, conn: sqlite3.Connection) -> None:
        """Create the projection tables if they do not exist."""

    def apply(self, conn: sqlite3.Connection, entry: Entry) -> None:
        """Apply one entry; raise for a kind it does not know."""

    def began(self, conn: sqlite3.Connection) -> None:
        """A write transaction has begun (other connections may have written since the last
        one): what the projector keeps in memory must be checked against the file."""

    def rolled_back(self) -> None:
        """The transaction's entries were undone: forget what they did in memory."""


class Ledger:
    """The ledger table and its projections in one SQLite file (WAL, synchronous=FULL)."""

    def __init__(self, path: Path, projector: Projector | None = None) -> None:
        self.path = Path(path)
        self.projector = projector
        self.path.parent.mkdir(parents=True, exist_ok=True)
        private_sqlite(self.path)  # 0600 before SQLite makes -wal and -shm in its mode
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        self._in_transaction = False
        self._tail: tuple[int, str] | None = None
        self._leaves: list[bytes] = []  # of entries 1..n, the last of them `_leaves_end`
        self._leaves_end = ""
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            with self.transaction():
                create_ledger_table(self._conn)
                current = (projector is None or self._conn.execute(
                    "PRAGMA user_version").fetchone()[0] == projector.version)
                if not current:
                    self._rebuild()  # tables of another shape: derive them afresh
                elif projector is not None:
                    projector.create(self._conn)
        except BaseException:
            self._conn.close()
            raise

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection, for projection reads. Write only through `append`."""
        return self._conn

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: everything appended inside commits together or not at all."""
        if self._in_transaction:
            raise LedgerError("ledger transactions do not nest")
        self._conn.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        self._tail = None  # read outside a transaction, it may predate another writer's entry
        leaves_before = len(self._leaves), self._leaves_end
        try:
            if self.projector is not None:
                self.projector.began(self._conn)
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            del self._leaves[leaves_before[0]:]
            self._leaves_end = leaves_before[1]
            if self.projector is not None:
                self.projector.rolled_back()
            raise
        else:
            self._conn.execute("COMMIT")
        finally:
            self._in_transaction = False
            self._tail = None

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        if self._conn.in_transaction:  # inside a write (or an outer read): already consistent
            yield self._conn
            return
        self._conn.execute("BEGIN")
        try:
            yield self._conn
        finally:
            self._conn.execute("COMMIT")

    def _last(self) -> tuple[int, str]:
        if self._tail is None:
            row = self._conn.execute(
                "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
            self._tail = (row[0], row[1]) if row else (0, "")
        return self._tail

    def next_seq(self) -> int:
        """The number the next appended entry will get (inside a transaction: exact; outside,
        as this connection last saw the ledger)."""
        return self._last()[0] + 1

    def append(self, kind: str, actor: str, payload: Mapping[str, Any], at: str) -> Entry:
        """Append one entry and apply it to the projections. Only inside `transaction()`."""
        if not self._in_transaction:
            raise LedgerError("append only inside `with ledger.transaction():`")
        last_seq, prev = self._last()
        seq = last_seq + 1
        # `stored` is exactly what a replay will read back from `payload_bytes`
        stored, payload_bytes = canonical_encoding(dict(payload))
        envelope = _envelope(seq, kind, actor, at, payload_bytes, prev)
        entry = Entry(seq, kind, actor, at, stored, prev, sha256_hex(envelope))
        payload_text = payload_bytes.decode("utf-8")
        self._conn.execute(
            "INSERT INTO ledger (seq, kind, actor, at, payload, prev, hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (seq, kind, actor, at, payload_text, prev, entry.hash),
        )
        self._tail = (seq, entry.hash)
        if len(self._leaves) == seq - 1 and self._leaves_end == prev:
            self._leaves.append(leaf_hash(envelope))
            self._leaves_end = entry.hash
        if self.projector is not None:
            self.projector.apply(self._conn, entry)
        return entry

    def leaves(self) -> list[bytes]:
        """The Merkle leaf hash (RFC 9162) of every entry, in order: what a checkpoint signs
        the root of. Kept up as this ledger appends, so a checkpoint late in a long final
        reads only what another process appended since; read afresh if the file no longer
        holds the entry they ended with. The first call reads the whole ledger (a server
        makes it before it serves). LedgerError for an entry whose hash does not match."""
        if self._leaves:
            row = self._conn.execute("SELECT hash FROM ledger WHERE seq = ?",
                                     (len(self._leaves),)).fetchone()
            if row is None or row[0] != self._leaves_end:
                self._leaves, self._leaves_end = [], ""
        for seq, kind, actor, at, payload, prev, hash_ in self._rows(len(self._leaves)):
            # the stored payload is its canonical encoding, which the entry's hash proves
            envelope = _envelope(seq, kind, actor, at, str(payload).encode("utf-8"), prev)
            if sha256_hex(envelope) != hash_:
                raise LedgerError("ledger_altered", problem=Message(
                    "au_entry", seq=seq, text=Message("au_hash_mismatch")),
                    command="`head-judge audit verify`")
            self._leaves.append(leaf_hash(envelope))
            self._leaves_end = hash_
        return list(self._leaves)

    def entries(self, since: int = 0) -> Iterator[Entry]:
        """Entries after number `since`, in order. Raises LedgerError for an unreadable payload."""
        for row in self._rows(since):
            entry, problem = _entry_from_row(row)
            if entry is None:
                raise LedgerError(problem)
            yield entry

    def _rows(self, since: int) -> Iterator[tuple[Any, ...]]:
        cursor = self._conn.execute(
            "SELECT seq, kind, actor, at, payload, prev, hash FROM ledger WHERE seq > ? "
            "ORDER BY seq", (since,))
        yield from cursor

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM ledger").fetchone()[0])

    def verify_chain(self) -> list[str]:
        """`verify_chain` over the stored entries, plus payloads that are not canonical JSON."""
        problems: list[str] = []
        readable: list[Entry] = []
        with self.snapshot():
            for row in self._rows(0):
                entry, problem = _entry_from_row(row)
                if entry is None:
                    problems.append(problem)
                    # Keep the chain links checkable: an unreadable payload hashes as {}.
                    entry = Entry(row[0], row[1], row[2], row[3], {"unreadable": row[4]},
                                  row[5], row[6])
                readable.append(entry)
        return problems + verify_chain(readable)

    def rebuild(self) -> None:
        """Drop every projection table and replay the whole ledger into fresh ones."""
        if self.projector is None:
            return
        with self.transaction():
            self._rebuild()

    def _rebuild(self) -> None:
        assert self.projector is not None
        for table in self.projector.tables:
            self._conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        self.projector.create(self._conn)
        for entry in list(self.entries()):
            self.projector.apply(self._conn, entry)
        self._conn.execute(f"PRAGMA user_version = {int(self.projector.version)}")


def read_payload(seq: int, stored: object) -> dict[str, Any] | Message:
    """Entry `seq`'s stored payload as its object, or why it is not one (`entry N: …`) when it
    is not canonical JSON of an object (a tampered file): the ledger and the audit read it
    alike."""
    text = stored if isinstance(stored, str) else repr(stored)
    try:
        payload = parse_canonical(text.encode("utf-8", "surrogatepass"))
    except CanonicalError as exc:
        return Message("au_entry", seq=seq, text=Message("au_not_canonical", format="JSON",
                                                         reason=exc.reason))
    if not isinstance(payload, dict):
        return Message("au_entry", seq=seq, text=Message("au_not_object", format="JSON"))
    return payload


def _entry_from_row(row: Sequence[Any]) -> tuple[Entry | None, str]:
    seq, kind, actor, at, payload_text, prev, hash_ = row
    payload = read_payload(seq, payload_text)
    if isinstance(payload, Message):
        return None, payload
    return Entry(seq, kind, actor, at, payload, prev, hash_), ""
