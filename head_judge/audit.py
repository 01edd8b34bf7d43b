"""`head-judge audit verify`: check a master's whole record and say exactly what is wrong where.

`audit(home or Master)` checks, naming the entry, table and row of every problem:

- the file: SQLite's own integrity check, and the ledger's append-only triggers;
- the hash chain (`verify_chain`), and payloads that are not canonical JSON;
- every checkpoint entry's master signature and Merkle root against the entries it covers,
  and every copy of a checkpoint held outside the ledger (the `checkpoint` notices, and the
  copies terminals kept, given as `checkpoint_copies`) against the current ledger: a ledger
  shorter than a copy covers had its tail cut off;
- every record a judge's device signed (sheets, confirmations, the evidence in alarms) with
  the key of the device enrolled in an earlier entry, and every receipt the master signed;
- every projection table against a rebuild from the ledger, row by row.

It never writes to the master: it takes a consistent snapshot through a read-only connection
into a scratch copy in a temporary folder and rebuilds the projections there. The pure checks
(`read_entries`, `chain_problems`, `signature_problems`, `checkpoint_problems`,
`table_problems`) take plain values and are tested directly. What it cannot do: the master's
signing key lives on the same disk, so a history rewritten wholesale and re-signed with it is
only caught against checkpoint copies made before the rewrite (terminals, printouts).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import sqlite_utils

from sync.canonical import canonical_bytes, sha256_hex
from sync.entry_kinds import ENTRY_KINDS
from sync.event import Text
from sync.identity import IdentityError, load_signing_key, public_key_bytes, verify
from sync.merkle import leaf_hash
from sync.records import Receipt, RecordError, SignedRecord, device_id_of
from sync.succession import SUCCESSION_KIND, read_succession

from .checkpoints import (
    CHECKPOINT_KIND,
    PROMOTED_KIND,
    MasterKeys,
    checkpoint_record,
    read_checkpoint,
    verify_checkpoint_copy,
    verify_checkpoints,
)
from .ledger import Entry, create_ledger_table, entry_bytes, read_payload, verify_chain
from .master import DB_FILE, Master
from .projections import MasterProjections
from .refusals import Message, Refused

__all__ = [
    "AuditError",
    "AuditReport",
    "Problem",
    "Table",
    "audit",
    "chain_problems",
    "checkpoint_problems",
    "copy_database",
    "encode_entries",
    "leaf_hashes",
    "read_entries",
    "read_entries_of",
    "read_ledger_rows",
    "signature_problems",
    "table_problems",
]

LEDGER_TABLE: Final = "ledger"
LEDGER_TRIGGERS: Final = ("ledger_no_update", "ledger_no_delete", "ledger_chained")
SIGNING_KEY: Final = Path("identity") / "signing-key.pem"

Row = tuple[Any, ...]


@functools.lru_cache(maxsize=1 << 14)
def _verified(public_key: bytes, signature: bytes, data: bytes) -> bool:
    """Ed25519 verification, remembered: the same bytes always give the same answer, and
    repeated audits in one process (the console, the tamper test) skip the arithmetic."""
    return verify(public_key, signature, data)


class AuditError(Refused):
    """Nothing to audit: no master in the folder, or its key cannot be read (exit 2)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong. `check` is file, chain, checkpoint, signature, receipt or projection."""

    check: str
    message: str
    """A catalogue `Message` (as a str, its English), or a text said elsewhere."""

    def render(self, lang: str) -> str:
        """The problem in `lang`, any text that is not valid Unicode (a tampered payload)
        escaped so that it can be printed."""
        text = self.message.render(lang) if isinstance(self.message, Message) else self.message
        return text.encode("utf-8", "backslashreplace").decode("utf-8")

    def __str__(self) -> str:
        return self.render("en")


@dataclass(frozen=True)
class AuditReport:
    entries: int
    checkpoints: int
    signatures: int
    """Signatures that verified: judges' records, receipts, checkpoints and their copies."""
    tables: int
    """Projection tables compared with a rebuild."""
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> Message:
        entries = _n(self.entries, "条记录", "entry", "entries")
        checkpoints = _n(self.checkpoints, "个检查点", "checkpoint")
        if self.ok:
            return Message("audit_ok", entries=entries, checkpoints=checkpoints,
                           signatures=_n(self.signatures, "个签名", "signature"),
                           tables=_n(self.tables, "个投影表", "projection table"))
        return Message("audit_failed", entries=entries, checkpoints=checkpoints,
                       problems=_n(len(self.problems), "个问题", "problem"))

    def said(self, limit: int | None = None) -> list[Message]:
        """The summary, then one line per problem (at most `limit`)."""
        shown = self.problems if limit is None else self.problems[:limit]
        out = [self.summary(), *(Message("audit_problem", problem=p) for p in shown)]
        if len(shown) < len(self.problems):
            out.append(Message("audit_more", n=len(self.problems) - len(shown)))
        return out

    def lines(self, limit: int | None = None, lang: str = "en") -> list[str]:
        """`said`, in `lang`."""
        return [line.render(lang) for line in self.said(limit)]


def _n(count: int, zh: str, one: str, many: str | None = None) -> Text:
    """`count` things, in Chinese (`zh` the measure word and noun) and in English."""
    return Text(f"{count} {zh}", f"{count} {one if count == 1 else many or one + 's'}")


# --- pure checks ------------------------------------------------------------------------------


def read_entries(rows: Iterable[Row]) -> tuple[list[Entry], list[Problem], set[int]]:
    """Ledger rows (seq, kind, actor, at, payload, prev, hash) as entries, in order, the
    problems found reading them, and the numbers of the entries whose payload is unreadable.

    A payload that is not canonical JSON of an object is a problem; its entry is kept with
    the payload `{"unreadable": TEXT}` so the chain and Merkle checks still see its position
    (and fail on it)."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    unreadable: set[int] = set()
    for seq, kind, actor, at, payload_text, prev, hash_ in rows:
        payload = read_payload(seq, payload_text)
        if isinstance(payload, Message):
            problems.append(Problem("chain", payload))
            unreadable.add(seq)
            text = payload_text if isinstance(payload_text, str) else repr(payload_text)
            payload = {"unreadable": text}
        entries.append(Entry(seq, kind, actor, at, payload, prev, hash_))
    return entries, problems, unreadable


def encode_entries(entries: Sequence[Entry]) -> list[bytes | None]:
    """Each entry's canonical encoding (what its hash and Merkle leaf are taken over), or None
    for an entry whose fields cannot be encoded (a tampered type)."""
    out: list[bytes | None] = []
    for entry in entries:
        try:
            out.append(entry_bytes(entry))
        except (TypeError, ValueError):
            out.append(None)
    return out


def leaf_hashes(entries: Sequence[Entry], encoded: Sequence[bytes | None]) -> list[bytes]:
    """Merkle leaves; an entry that cannot be encoded gets one no checkpoint can match."""
    return [leaf_hash(data if data is not None else b"\xff" + repr(entry).encode())
            for entry, data in zip(entries, encoded, strict=True)]


def chain_problems(entries: Sequence[Entry],
                   encoded: Sequence[bytes | None] | None = None) -> list[Problem]:
    """The checks of `ledger.verify_chain` (same words), reusing the entries' encodings."""
    if encoded is None:
        return [Problem("chain", text) for text in verify_chain(entries)]
    problems: list[Problem] = []
    expected_seq, prev_hash = 1, ""
    for entry, data in zip(entries, encoded, strict=True):
        def at(text: Message, seq: int = entry.seq) -> Problem:
            return Problem("chain", Message("au_entry", seq=seq, text=text))

        if entry.seq != expected_seq:
            problems.append(at(Message("au_expected_seq", expected=expected_seq)))
        if entry.prev != prev_hash:
            problems.append(at(Message("au_not_following")))
        if data is None:
            problems.append(at(Message("au_cannot_hash")))
        elif sha256_hex(data) != entry.hash:
            problems.append(at(Message("au_hash_mismatch")))
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    return problems


def entry_problem(entry: Entry, text: Message | str) -> Message:
    """`entry N (kind): text`, the kind by its name in Chinese."""
    kind = Text(ENTRY_KINDS.say(entry.kind, "zh"), entry.kind) if entry.kind in ENTRY_KINDS \
        else entry.kind
    return Message("au_entry_kind", seq=entry.seq, kind=kind, text=text)


def _text(payload: Mapping[str, Any], name: str) -> str | None:
    value = payload.get(name)
    return value if isinstance(value, str) else None


@dataclass
class _Device:
    key: bytes
    judge: str
    enrolled: int
    revoked: int | None = None


@dataclass
class _Signatures:
    keys: MasterKeys
    devices: dict[str, _Device] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    verified: int = 0
    event_id: str | None = None

    def problem(self, check: str, entry: Entry, text: Message | str) -> None:
        self.problems.append(Problem(check, entry_problem(entry, text)))

    def enrol(self, entry: Entry) -> None:
        p = entry.payload
        device, judge, key_text = _text(p, "device"), _text(p, "judge"), _text(p, "public_key")
        if device is None or judge is None or key_text is None:
            self.problem("signature", entry, Message("au_no_device"))
            return
        try:
            key = base64.b64decode(key_text, validate=True)
        except (binascii.Error, ValueError):
            self.problem("signature", entry, Message("au_key_not_base64", format="base64"))
            return
        if device_id_of(key) != device:
            self.problem("signature", entry, Message("au_device_id", device=device))
            return
        if device in self.devices:
            self.problem("signature", entry, Message(
                "au_enrolled_twice", device=device, entry=self.devices[device].enrolled))
            return
        self.devices[device] = _Device(key, judge, entry.seq)

    def revoke(self, entry: Entry) -> None:
        device = _text(entry.payload, "device")
        known = self.devices.get(device or "")
        if known is None:
            self.problem("signature", entry, Message("au_revokes_unknown", device=device))
        elif known.revoked is None:
            known.revoked = entry.seq

    def signed_record(self, entry: Entry) -> None:
        """An entry holding a record a device signed: `device`, `body`, `sig`."""
        p = entry.payload
        device_id, body_text, sig_text = _text(p, "device"), _text(p, "body"), _text(p, "sig")
        assert device_id is not None and body_text is not None and sig_text is not None
        device = self.devices.get(device_id)
        if device is None:
            self.problem("signature", entry, Message("au_unknown_signer",
                                                             device=device_id))
            return
        try:
            record = SignedRecord.from_wire({"body": body_text, "sig": sig_text})
        except RecordError as exc:
            self.problem("signature", entry, Message("au_record_unreadable",
                                                             reason=exc.reason))
            return
        if not _verified(device.key, record.signature, record.body):
            self.problem("signature", entry, Message(
                "au_bad_signature", device=device_id, judge=device.judge,
                entry=device.enrolled))
            return
        self.verified += 1
        if entry.kind == "alarm":
            return  # the evidence of an equivocation: a signed record the master refused
        if device.revoked is not None:
            self.problem("signature", entry, Message(
                "au_revoked_before", device=device_id, entry=device.revoked))
        record_hash = _text(p, "hash")
        if record_hash != record.hash:
            self.problem("signature", entry, Message("au_hash_not_body"))
        try:
            body = record.parsed()
        except RecordError as exc:
            self.problem("signature", entry, exc.reason)
            return
        if body.get("device") != device_id:
            self.problem("signature", entry, Message("au_other_device"))
        if body.get("judge") != device.judge:
            self.problem("signature", entry, Message(
                "au_other_judge", judge=body.get("judge"), device=device_id, owner=device.judge))
        if self.event_id is not None and body.get("event") != self.event_id:
            self.problem("signature", entry, Message("au_other_event",
                                                             event=body.get("event")))
        if "receipt_sig" in p:
            self.receipt(entry, body, record.hash)

    def receipt(self, entry: Entry, body: Mapping[str, Any], record_hash: str) -> None:
        sig_text = _text(entry.payload, "receipt_sig")
        try:
            signature = base64.b64decode(sig_text or "", validate=True)
            data = canonical_bytes(Receipt(
                event=body["event"], device=entry.payload["device"], seq=body["seq"],
                record=record_hash, ledger=entry.seq, at=entry.at).body())
        except (binascii.Error, ValueError, KeyError, TypeError):
            self.problem("receipt", entry, Message("au_receipt_unbuildable"))
            return
        if _verified(self.keys.at(entry.seq), signature, data):
            self.verified += 1
        else:
            self.problem("receipt", entry, Message("au_receipt_bad"))


def signature_problems(entries: Sequence[Entry], master_key: bytes | MasterKeys
                       ) -> tuple[list[Problem], int]:
    """Every device signature and receipt (each with the master's key in force when it was
    given) in the ledger, checked in ledger order: the problems, and how many signatures
    verified."""
    state = _Signatures(MasterKeys.of(master_key))
    for entry in entries:
        p = entry.payload
        if entry.kind == "event_loaded" and state.event_id is None:
            state.event_id = _text(p, "event_id")
        elif entry.kind == "device_enrolled":
            state.enrol(entry)
        elif entry.kind == "device_revoked":
            state.revoke(entry)
        if all(isinstance(p.get(k), str) for k in ("device", "body", "sig")):
            state.signed_record(entry)
        elif entry.kind == "sheet_received":
            state.problem("signature", entry, "holds no signed record")
    return state.problems, state.verified


def checkpoint_problems(
    entries: Sequence[Entry], master_key: bytes | MasterKeys,
    copies: Sequence[tuple[str, SignedRecord]] = (),
    hashes: Sequence[bytes] | None = None,
) -> tuple[list[Problem], int]:
    """Every checkpoint entry against the entries before it, and every copy of a checkpoint
    (`where`, record) against the whole ledger: the problems, and signatures verified.
    `hashes`: the entries' leaf hashes, if already computed."""
    if hashes is None:
        hashes = leaf_hashes(entries, encode_entries(entries))
    problems = [Problem("checkpoint", t)
                for t in verify_checkpoints(entries, master_key, hashes)]
    verified = 0
    event_id = next((e.payload.get("event_id") for e in entries if e.kind == "event_loaded"),
                    None)
    for entry in entries:
        if entry.kind != CHECKPOINT_KIND:
            continue
        try:
            record = checkpoint_record(entry)
            view = read_checkpoint(record)
        except RecordError as exc:
            problems.append(Problem("checkpoint", Message("au_checkpoint_at", seq=entry.seq,
                                                          text=exc.reason)))
            continue
        if record.verify(MasterKeys.of(master_key).at(entry.seq)):
            verified += 1
        if event_id is not None and view.event != event_id:
            problems.append(Problem("checkpoint", Message("au_checkpoint_at", seq=entry.seq,
                                                          text=Message("au_cp_other_event",
                                                                       event=view.event,
                                                                       expected=event_id))))
    for where, record in copies:
        found = verify_checkpoint_copy(hashes, record, master_key, where)
        problems.extend(Problem("checkpoint", t) for t in found)
        if not found:
            verified += 1
    return problems, verified


@dataclass(frozen=True)
class Table:
    """A table's column names, the positions of its primary key columns, and its rows."""

    columns: tuple[str, ...]
    key: tuple[int, ...]
    rows: tuple[Row, ...]


def _typed(value: object) -> tuple[str, object]:
    return (type(value).__name__, value)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _contrast(got: object, wanted: object) -> tuple[str, str]:
    """Two differing values as text; long strings around their first difference."""
    if isinstance(got, str) and isinstance(wanted, str) and max(len(got), len(wanted)) > 60:
        at = next((i for i, (x, y) in enumerate(zip(got, wanted, strict=False)) if x != y),
                  min(len(got), len(wanted)))
        start = max(0, at - 20)

        def cut(text: str) -> str:
            return (("..." if start else "") + repr(text[start:start + 40])
                    + ("..." if start + 40 < len(text) else ""))

        return cut(got), cut(wanted)
    return _show(got), _show(wanted)


def _row_name(table: Table, row: Row) -> str:
    if table.key:
        return ", ".join(f"{table.columns[i]}={_show(row[i])}" for i in table.key)
    return _show(row)


def table_problems(stored: Mapping[str, Table], rebuilt: Mapping[str, Table]) -> list[Problem]:
    """Every difference between the projection tables as stored and as rebuilt from the
    ledger, row by row (rows are matched by primary key, values compared with their type)."""
    problems: list[Problem] = []

    def add(text: Message) -> None:
        problems.append(Problem("projection", text))

    for name in sorted(set(stored) | set(rebuilt)):
        if name not in rebuilt:
            add(Message("au_table_stray", table=name))
            continue
        want = rebuilt[name]
        if name not in stored:
            add(Message("au_table_missing", table=name, n=len(want.rows)))
            continue
        have = stored[name]
        if have.columns != want.columns:
            add(Message("au_table_columns", table=name, have=", ".join(have.columns),
                        want=", ".join(want.columns)))
            continue
        problems.extend(Problem("projection", t) for t in _row_differences(name, have, want))
    return problems


def _row_differences(name: str, have: Table, want: Table) -> list[Message]:
    def keyed(table: Table) -> dict[tuple[Any, ...], list[Row]]:
        out: dict[tuple[Any, ...], list[Row]] = {}
        for row in table.rows:
            ident = (tuple(_typed(row[i]) for i in table.key) if table.key
                     else tuple(_typed(v) for v in row))
            out.setdefault(ident, []).append(row)
        return out

    stored, rebuilt = keyed(have), keyed(want)
    out: list[Message] = []
    for ident in sorted(set(stored) | set(rebuilt), key=repr):
        got, expected = stored.get(ident, []), rebuilt.get(ident, [])
        if len(got) == len(expected) == 1:
            row, wanted = got[0], expected[0]
            for i, column in enumerate(have.columns):
                if _typed(row[i]) != _typed(wanted[i]):
                    got_text, want_text = _contrast(row[i], wanted[i])
                    out.append(Message("au_cell", table=name, row=_row_name(have, row),
                                       column=column, got=got_text, want=want_text))
            continue
        typed_got = sorted((tuple(_typed(v) for v in r) for r in got), key=repr)
        typed_expected = sorted((tuple(_typed(v) for v in r) for r in expected), key=repr)
        if typed_got == typed_expected:
            continue
        sample = (got or expected)[0]
        row_name = _row_name(have, sample)
        if not expected:
            out.append(Message("au_row_extra", table=name, row=row_name, extra=Message(
                "au_extra_row" if len(got) == 1 else "au_extra_rows", n=len(got))))
        elif not got:
            out.append(Message("au_row_missing", table=name, row=row_name))
        else:
            out.append(Message("au_row_count", table=name, row=row_name, got=len(got),
                               want=len(expected)))
    return out


# --- reading the file -------------------------------------------------------------------------


def _lenient_text(data: bytes) -> str:
    """TEXT as SQLite stored it; bytes that are not UTF-8 (a damaged or edited file) come back
    as lone surrogates, which no check accepts, instead of stopping the audit."""
    return data.decode("utf-8", "surrogateescape")


def copy_database(source: Path, target: Path) -> None:
    """A consistent snapshot of the SQLite file `source` (with its WAL) into `target`, read
    through a read-only connection: `source` is not written to."""
    uri = "file:" + urllib.parse.quote(str(Path(source).resolve())) + "?mode=ro"
    src = sqlite3.connect(uri, uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            dst.execute("PRAGMA synchronous = OFF")  # a scratch copy: no need to reach the disk
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def read_ledger_rows(conn: sqlite3.Connection) -> list[Row]:
    return conn.execute(f"SELECT seq, kind, actor, at, payload, prev, hash FROM {LEDGER_TABLE} "
                        "ORDER BY seq").fetchall()


def _tables(conn: sqlite3.Connection, names: Iterable[str] | None = None) -> dict[str, Table]:
    """Every table's columns, primary key (column positions, in key order) and rows, read
    through sqlite-utils on `conn` (no pragma set, no plugin run: a file under audit)."""
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    if names is None:
        names = sorted(n for n in db.table_names() if not n.startswith("sqlite_"))
    out: dict[str, Table] = {}
    for name in names:
        table = db.table(name)
        columns = table.columns
        if not columns:
            continue
        key = tuple(c.cid for c in sorted(columns, key=lambda c: c.is_pk) if c.is_pk > 0)
        out[name] = Table(tuple(c.name for c in columns), key,
                          tuple(tuple(row.values()) for row in table.rows))
    return out


def _file_problems(conn: sqlite3.Connection) -> list[Problem]:
    problems: list[Problem] = []
    found = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    if found != ["ok"]:
        problems.append(Problem("file", Message("au_damaged", found="; ".join(found))))
    return problems + _schema_problems(conn)


def _schema(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    return {(kind, name): sql for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")}


def _schema_problems(conn: sqlite3.Connection) -> list[Problem]:
    """The file's tables, indexes and triggers against those a master creates: an append-only
    guard or a constraint edited in place changes no row. Tables missing or extra are left to
    `table_problems`, which says what they held."""
    reference = sqlite3.connect(":memory:")
    try:
        create_ledger_table(reference)
        MasterProjections().create(reference)
        want = _schema(reference)
    finally:
        reference.close()
    have = _schema(conn)
    problems: list[Problem] = []
    for kind, name in sorted(set(want) | set(have)):
        if (kind, name) not in have:
            if kind == "trigger" and name in LEDGER_TRIGGERS:
                problems.append(Problem("file", Message("au_guard_removed", name=name)))
            elif kind != "table":
                problems.append(Problem("file", Message("au_schema_removed", kind=kind,
                                                        name=name)))
        elif (kind, name) not in want:
            if kind != "table":
                problems.append(Problem("file", Message("au_schema_extra", kind=kind,
                                                        name=name)))
        elif have[kind, name] != want[kind, name]:
            problems.append(Problem("file", Message("au_schema_changed", kind=kind, name=name,
                                                    sql=" ".join(have[kind, name].split()))))
    return problems


def _notice_copies(stored: Mapping[str, Table]) -> list[tuple[str, SignedRecord]]:
    """Checkpoints held in the `notices` table (sent to every terminal)."""
    table = stored.get("notices")
    if table is None or not {"id", "kind", "payload"} <= set(table.columns):
        return []
    at = {c: i for i, c in enumerate(table.columns)}
    copies: list[tuple[str, SignedRecord]] = []
    for row in table.rows:
        if row[at["kind"]] != CHECKPOINT_KIND:
            continue
        try:
            record = SignedRecord.from_wire(json.loads(row[at["payload"]])["checkpoint"])
        except (ValueError, TypeError, KeyError, RecordError):
            continue  # a damaged notice shows in the projection comparison
        copies.append((Message("au_where_notice", id=row[at["id"]]), record))
    return copies


def _recorded_sizes(stored: Mapping[str, Table], size: int) -> list[Problem]:
    """Checkpoints the `checkpoints` projection still records beyond the end of the ledger
    (unsigned, but the plainest sign that entries were cut off)."""
    table = stored.get("checkpoints")
    if table is None or not {"ledger_seq", "size"} <= set(table.columns):
        return []
    at = {c: i for i, c in enumerate(table.columns)}
    return [Problem("checkpoint", Message("au_recorded_cut", seq=row[at["ledger_seq"]],
                                          size=row[at["size"]], held=size))
            for row in table.rows
            if isinstance(row[at["size"]], int) and row[at["size"]] > size]


def _rebuild(conn: sqlite3.Connection, entries: Sequence[Entry], unreadable: set[int]
             ) -> tuple[dict[str, Table], list[Problem]]:
    """Replay `entries` into fresh projection tables in the scratch copy."""
    projector = MasterProjections()
    problems: list[Problem] = []
    conn.execute("BEGIN")
    for table in projector.tables:
        conn.execute(f'DROP TABLE IF EXISTS "{table}"')
    projector.create(conn)
    for entry in entries:
        if entry.seq in unreadable:
            continue
        conn.execute("SAVEPOINT entry")
        try:
            projector.apply(conn, entry)
        except Exception as exc:  # any damage a tampered payload can do to a handler
            conn.execute("ROLLBACK TO entry")
            problems.append(Problem("projection", entry_problem(entry, Message(
                "au_cannot_replay", error=f"{type(exc).__name__}: {exc}"))))
        conn.execute("RELEASE entry")
    conn.execute("COMMIT")
    return _tables(conn, projector.tables), problems


def _master_key(home: Path) -> bytes:
    try:
        return public_key_bytes(load_signing_key(home / SIGNING_KEY))
    except IdentityError as exc:
        raise AuditError("audit_key_unreadable", home=home, error=exc.reason) from None


def audit(source: Path | Master, *,
          checkpoint_copies: Sequence[tuple[str, SignedRecord]] = ()) -> AuditReport:
    """Audit the master in `source` (its home folder, or an open `Master`).

    `checkpoint_copies` are (where, signed checkpoint) kept outside this master, e.g. by the
    terminals. Raises AuditError when there is no master to audit."""
    if isinstance(source, Master):
        db, master_key = source.ledger.path, source.master_key
    else:
        home = Path(source)
        db = home / DB_FILE
        if not db.is_file():
            raise AuditError("audit_no_master", home=home, file=DB_FILE)
        master_key = _master_key(home)
    with tempfile.TemporaryDirectory(prefix="head-judge-audit-") as scratch:
        copy = Path(scratch) / DB_FILE
        try:
            copy_database(db, copy)
            conn = sqlite3.connect(copy, isolation_level=None)
            conn.text_factory = _lenient_text
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
        except (sqlite3.Error, UnicodeDecodeError) as exc:  # a message in broken text
            return AuditReport(0, 0, 0, 0, (Problem("file", Message(
                "au_unreadable_db", db=db, engine="SQLite", error=exc)),))
        try:
            return _audit_copy(conn, master_key, checkpoint_copies)
        except (sqlite3.Error, UnicodeDecodeError) as exc:  # a message in broken text
            return AuditReport(0, 0, 0, 0, (Problem("file", Message(
                "au_unreadable_db", db=db, engine="SQLite", error=exc)),))
        finally:
            conn.close()


def _audit_copy(conn: sqlite3.Connection, master_key: bytes,
                copies: Sequence[tuple[str, SignedRecord]]) -> AuditReport:
    problems = _file_problems(conn)
    stored = _tables(conn)
    if LEDGER_TABLE not in stored:
        problems.append(Problem("file", Message("au_no_ledger")))
        return AuditReport(0, 0, 0, 0, tuple(problems))
    del stored[LEDGER_TABLE]
    entries, unreadable, bad = read_entries(read_ledger_rows(conn))
    problems += unreadable
    encoded = encode_entries(entries)
    problems += chain_problems(entries, encoded)
    keys = MasterKeys.from_entries(entries, master_key)
    found, succession_sigs = promotion_problems(entries, keys, master_key)
    problems += found
    found, checkpoint_sigs = checkpoint_problems(
        entries, keys, [*_notice_copies(stored), *copies], leaf_hashes(entries, encoded))
    problems += found
    problems += _recorded_sizes(stored, len(entries))
    found, record_sigs = signature_problems(entries, keys)
    problems += found
    rebuilt, replay = _rebuild(conn, entries, bad)
    problems += replay
    problems += table_problems(stored, rebuilt)
    checkpoints = sum(1 for e in entries if e.kind == CHECKPOINT_KIND)
    return AuditReport(len(entries), checkpoints,
                       checkpoint_sigs + record_sigs + succession_sigs, len(rebuilt),
                       tuple(problems))


def promotion_problems(entries: Sequence[Entry], keys: MasterKeys, current: bytes
                       ) -> tuple[list[Problem], int]:
    """The succession across every `promoted` entry: the key before it signed a succession
    record naming the key after it, and the last key is the one this master signs with now.
    The problems, and how many succession signatures verified."""
    problems: list[Problem] = []
    verified = 0
    for entry in entries:
        if entry.kind != PROMOTED_KIND:
            continue
        before, after = keys.at(entry.seq - 1), keys.at(entry.seq)
        named = entries[entry.payload.get("succession", 0) - 1] \
            if 0 < int(entry.payload.get("succession", 0) or 0) < entry.seq else None
        if named is None or named.kind != SUCCESSION_KIND:
            problems.append(Problem("succession", entry_problem(entry, Message(
                "au_no_succession"))))
            continue
        try:
            succession = read_succession(SignedRecord.from_wire(named.payload["record"]),
                                         before)
        except (RecordError, KeyError) as exc:
            problems.append(Problem("succession", entry_problem(
                named, str(getattr(exc, "reason", exc)))))
            continue
        verified += 1
        if succession.key != after:
            problems.append(Problem("succession", entry_problem(entry, Message(
                "au_wrong_successor", entry=named.seq))))
    if keys.at(len(entries) + 1) != current:
        problems.append(Problem("succession", Message("au_key_not_handed")))
    return problems, verified


def read_entries_of(home: Path) -> list[Entry]:
    """The ledger of the master in `home`, read from a snapshot (for proofs; no checks)."""
    db = Path(home) / DB_FILE
    if not db.is_file():
        raise AuditError("audit_no_master", home=home, file=DB_FILE)
    with tempfile.TemporaryDirectory(prefix="head-judge-read-") as scratch:
        copy = Path(scratch) / DB_FILE
        try:
            copy_database(db, copy)
            conn = sqlite3.connect(copy)
            conn.text_factory = _lenient_text
            try:
                entries, _problems, _bad = read_entries(read_ledger_rows(conn))
            finally:
                conn.close()
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise AuditError("audit_unreadable", path=db, error=exc,
                             command="`audit verify`") from None
    return entries

