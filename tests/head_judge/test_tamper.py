"""The tamper test: 1,000 random single edits to a realistic master's SQLite file, each on a
fresh copy, made with sqlite3 and the ledger's triggers dropped (and put back), must every one
be found by `audit`; so must every byte-level edit of the file that changes what SQLite reads.

Edits: a cell of any ledger column, a deleted ledger row, a forged row (at the end or in the
middle, chained correctly, or garbage), two ledger rows' contents swapped, a cell, row
deletion or row insertion in any projection table, and the tail cut off before the last
checkpoint. The random generator is seeded (TAMPER_SEED overrides it), so a miss can be
replayed; the figure detected/total is printed."""

from __future__ import annotations

import os
import random
import sqlite3
import string
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from head_judge.audit import audit
from head_judge.ledger import entry_hash
from sync.canonical import CanonicalError, parse_canonical

from .test_audit import Built, build_master, tampering
from .test_master import fixture_event

EDITS = 1000
BYTE_EDITS = 300
SEED = int(os.environ.get("TAMPER_SEED", "20250517"))
LEDGER_COLUMNS = ("seq", "kind", "actor", "at", "payload", "prev", "hash")


@dataclass
class Pristine:
    home: Path
    db: Path
    data: bytes
    last_checkpoint: int
    tables: dict[str, tuple[list[str], list[str]]]
    """Projection table -> (columns, primary key columns)."""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Pristine:
    return pristine_of(build_master(tmp_path_factory.mktemp("tamper") / "home",
                                    fixture_event(fixtures_dir)))


def pristine_of(built: Built) -> Pristine:
    """A built master, its WAL folded in, audited clean, and what every edit starts from."""
    with closing(sqlite3.connect(built.db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'ledger' "
            "AND name NOT LIKE 'sqlite_%'")]
        tables = {}
        for name in names:
            info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
            tables[name] = ([r[1] for r in info],
                            [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]])
    assert audit(built.home).ok
    return Pristine(built.home, built.db, built.db.read_bytes(), built.checkpoints[-1], tables)


def restore(p: Pristine) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{p.db}{suffix}").unlink(missing_ok=True)
    p.db.write_bytes(p.data)


# --- making values different from the ones there ----------------------------------------------

def other_value(rng: random.Random, old: Any, peers: list[Any]) -> Any:
    """A plausible different value for a cell: a peer's value, a one-character change, a
    number, an empty string, a blob."""
    choice = rng.random()
    if choice < 0.25 and peers:
        return rng.choice(peers)
    if isinstance(old, str) and old and choice < 0.75:
        i = rng.randrange(len(old))
        how = rng.random()
        if how < 0.5:
            return old[:i] + rng.choice(string.ascii_letters + string.digits + '{}":,') + \
                old[i + 1:]
        if how < 0.75:
            return old[:i] + old[i + 1:]
        return old[:i] + rng.choice(string.digits) + old[i:]
    if isinstance(old, int) and choice < 0.75:
        return old + rng.choice([-2, -1, 1, 2, 1000])
    return rng.choice([0, 1, -1, "", "x", b"\x00\x01", 3.5, old if old is None else None])


def cell(conn: sqlite3.Connection, table: str, rowid: object, column: str
         ) -> tuple[str, Any] | None:
    row = conn.execute(f'SELECT typeof("{column}"), "{column}" FROM "{table}" WHERE rowid = ?',
                       (rowid,)).fetchone()
    return (str(row[0]), row[1]) if row else None


def edit_cell(rng: random.Random, conn: sqlite3.Connection, table: str,
              columns: list[str]) -> str | None:
    rowids = [r[0] for r in conn.execute(f'SELECT rowid FROM "{table}" ORDER BY rowid')]
    if not rowids:
        return None
    rowid, column = rng.choice(rowids), rng.choice(columns)
    old = cell(conn, table, rowid, column)
    assert old is not None
    peers = [r[0] for r in conn.execute(
        f'SELECT DISTINCT "{column}" FROM "{table}" ORDER BY "{column}" LIMIT 50')]
    for _ in range(20):
        new = other_value(rng, old[1], [p for p in peers if p != old[1]])
        conn.execute("SAVEPOINT edit")
        try:
            conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (new, rowid))
        except sqlite3.Error:  # NOT NULL, CHECK, UNIQUE: try another value
            conn.execute("ROLLBACK TO edit")
            conn.execute("RELEASE edit")
            continue
        conn.execute("RELEASE edit")
        # an INTEGER PRIMARY KEY column is the rowid itself: the row moved to the new value
        now = cell(conn, table, rowid, column) or cell(conn, table, new, column)
        if now != old:
            return f"{table} row {rowid}: {column} {old[1]!r:.40} -> {new!r:.40}"
    return None


# --- the edits --------------------------------------------------------------------------------

Edit = Callable[[random.Random, sqlite3.Connection, Pristine], str | None]


def ledger_cell(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str | None:
    return edit_cell(rng, conn, "ledger", list(LEDGER_COLUMNS))


def ledger_delete(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str | None:
    (size,) = conn.execute("SELECT max(seq) FROM ledger").fetchone()
    seq = rng.randint(1, size)
    conn.execute("DELETE FROM ledger WHERE seq = ?", (seq,))
    return f"deleted ledger entry {seq} of {size}"


def ledger_insert(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str | None:
    """A forged entry: a copy of a real one (new time) or garbage, at the end or pushed in
    the middle, with `prev` and `hash` chained correctly (or, for garbage, not)."""
    (size,) = conn.execute("SELECT max(seq) FROM ledger").fetchone()
    at_seq = size + 1 if rng.random() < 0.5 else rng.randint(1, size)
    if at_seq <= size:  # make room: renumber the later entries
        conn.execute("UPDATE ledger SET seq = -seq WHERE seq >= ?", (at_seq,))
        conn.execute("UPDATE ledger SET seq = 1 - seq WHERE seq < 0")
    prev_row = conn.execute("SELECT hash FROM ledger WHERE seq = ?", (at_seq - 1,)).fetchone()
    prev = prev_row[0] if prev_row else ""
    if rng.random() < 0.8:
        kind, actor, payload = rng.choice(conn.execute(
            "SELECT kind, actor, payload FROM ledger ORDER BY seq").fetchall())
        at = f"2025-05-17T09:{rng.randint(0, 59):02d}:00.000Z"
        try:
            parsed = parse_canonical(payload.encode())
        except CanonicalError:  # pragma: no cover - the pristine ledger is canonical
            return None
        assert isinstance(parsed, dict)
        digest = entry_hash(at_seq, kind, actor, at, parsed, prev)
        what = f"forged copy of a {kind} entry"
    else:
        kind, actor, at, payload = "sheet_received", "device:x", "2025-05-17T09:00:00.000Z", "{}"
        digest = f"{rng.getrandbits(256):064x}"
        what = "garbage entry"
    conn.execute("INSERT INTO ledger (seq, kind, actor, at, payload, prev, hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", (at_seq, kind, actor, at, payload, prev, digest))
    return f"{what} inserted as entry {at_seq} of {size + 1}"


def ledger_swap(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str | None:
    (size,) = conn.execute("SELECT max(seq) FROM ledger").fetchone()
    a, b = rng.sample(range(1, size + 1), 2)
    cols = LEDGER_COLUMNS[1:]
    row_a = conn.execute(f"SELECT {', '.join(cols)} FROM ledger WHERE seq = ?", (a,)).fetchone()
    row_b = conn.execute(f"SELECT {', '.join(cols)} FROM ledger WHERE seq = ?", (b,)).fetchone()
    sets = ", ".join(f"{c} = ?" for c in cols)
    conn.execute("UPDATE ledger SET hash = 'swapping' WHERE seq = ?", (a,))
    conn.execute(f"UPDATE ledger SET {sets} WHERE seq = ?", (*row_a, b))
    conn.execute(f"UPDATE ledger SET {sets} WHERE seq = ?", (*row_b, a))
    return f"swapped the contents of ledger entries {a} and {b}"


def truncate(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str | None:
    cut = rng.randint(2, p.last_checkpoint)
    conn.execute("DELETE FROM ledger WHERE seq >= ?", (cut,))
    return f"cut the ledger off from entry {cut} (last checkpoint {p.last_checkpoint})"


def _table_with_rows(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str:
    full = [t for t in sorted(p.tables) if conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone()]
    return rng.choice(full)


def projection_cell(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str | None:
    table = _table_with_rows(rng, conn, p)
    return edit_cell(rng, conn, table, p.tables[table][0])


def projection_delete(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str | None:
    table = _table_with_rows(rng, conn, p)
    (rowid,) = rng.choice(conn.execute(f'SELECT rowid FROM "{table}" ORDER BY rowid').fetchall())
    conn.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
    return f"deleted row {rowid} of {table}"


def projection_insert(rng: random.Random, conn: sqlite3.Connection, p: Pristine) -> str | None:
    """A copy of an existing row under another key."""
    table = _table_with_rows(rng, conn, p)
    columns, key = p.tables[table]
    row = list(rng.choice(conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()))
    peers = {c: [r[0] for r in conn.execute(
        f'SELECT DISTINCT "{c}" FROM "{table}" ORDER BY "{c}"')] for c in key}
    for _ in range(20):
        for column in key or columns[:1]:
            i = columns.index(column)
            row[i] = other_value(rng, row[i], peers.get(column, []))
        conn.execute("SAVEPOINT edit")
        try:
            conn.execute(f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(row))})', row)
        except sqlite3.Error:
            conn.execute("ROLLBACK TO edit")
            conn.execute("RELEASE edit")
            continue
        conn.execute("RELEASE edit")
        return f"inserted a forged row into {table}: {tuple(row)!r:.80}"
    return None


EDIT_KINDS: list[tuple[str, Edit, int]] = [
    ("ledger cell", ledger_cell, 30),
    ("ledger row deleted", ledger_delete, 12),
    ("forged ledger row", ledger_insert, 12),
    ("ledger rows swapped", ledger_swap, 10),
    ("projection cell", projection_cell, 12),
    ("projection row deleted", projection_delete, 7),
    ("projection row inserted", projection_insert, 7),
    ("tail cut before the last checkpoint", truncate, 10),
]


def test_every_single_edit_is_detected(pristine: Pristine,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED)
    names = [k[0] for k in EDIT_KINDS]
    weights = [k[2] for k in EDIT_KINDS]
    edits = dict((k[0], k[1]) for k in EDIT_KINDS)
    made: Counter[str] = Counter()
    detected: Counter[str] = Counter()
    missed: list[str] = []
    checks: Counter[str] = Counter()
    start = time.monotonic()
    while sum(made.values()) < EDITS:
        name = rng.choices(names, weights)[0]
        restore(pristine)
        with tampering(pristine.db) as conn:
            what = edits[name](rng, conn, pristine)
        if what is None:
            continue
        made[name] += 1
        report = audit(pristine.home)
        if report.ok:
            missed.append(f"{name}: {what}")
        else:
            detected[name] += 1
            checks.update({p.check for p in report.problems})
    restore(pristine)
    total, found = sum(made.values()), sum(detected.values())
    with capsys.disabled():
        print(f"\ntamper test (seed {SEED}): {found}/{total} single edits detected "
              f"in {time.monotonic() - start:.1f} s")
        for name in names:
            print(f"  {name}: {detected[name]}/{made[name]}")
        print("  found by: " + ", ".join(f"{c} {n}" for c, n in sorted(checks.items())))
    assert missed == [], f"{len(missed)} edits not detected:\n" + "\n".join(missed[:20])
    assert found == total == EDITS


# --- byte-level edits -------------------------------------------------------------------------

def what_sqlite_reads(db: Path) -> object:
    """Everything SQLite reads from the file: its schema, every row with its types, and its
    integrity check; or the error it gives."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        conn.text_factory = lambda data: data.decode("utf-8", "surrogateescape")
        try:
            schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                  "ORDER BY name").fetchall()
            rows = {name: sorted((tuple((type(v).__name__, v) for v in row) for row in
                                  conn.execute(f'SELECT * FROM "{name}"')), key=repr)
                    for kind, name, _tbl, _sql in schema if kind == "table"}
            check = conn.execute("PRAGMA integrity_check").fetchall()
            return schema, rows, check
        finally:
            conn.close()
    except (sqlite3.Error, UnicodeDecodeError) as exc:  # SQLite's message quotes broken text
        return f"unreadable: {exc}"


def test_byte_edits_that_change_what_sqlite_reads_are_detected(
        pristine: Pristine, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(SEED + 1)
    restore(pristine)
    baseline = what_sqlite_reads(pristine.db)
    outcome: Counter[str] = Counter()
    missed: list[str] = []
    false_alarms: list[str] = []
    for _ in range(BYTE_EDITS):
        restore(pristine)
        offset = rng.randrange(len(pristine.data))
        flip = rng.randrange(1, 256)
        data = bytearray(pristine.data)
        data[offset] ^= flip
        pristine.db.write_bytes(bytes(data))
        seen = what_sqlite_reads(pristine.db)
        for suffix in ("-wal", "-shm"):
            Path(f"{pristine.db}{suffix}").unlink(missing_ok=True)
        report = audit(pristine.home)
        where = f"byte {offset} ^ {flip:#04x}"
        if isinstance(seen, str):
            outcome["SQLite cannot read it"] += 1
            if report.ok:
                missed.append(f"{where} ({seen})")
        elif seen != baseline:
            outcome["changed what SQLite reads"] += 1
            if report.ok:
                missed.append(where)
            else:
                outcome["changed and detected"] += 1
        else:
            outcome["unused space: nothing changed"] += 1
            if not report.ok:
                false_alarms.append(f"{where}: {report.problems[0]}")
    restore(pristine)
    changed = outcome["changed what SQLite reads"]
    with capsys.disabled():
        print(f"\nbyte edits (seed {SEED + 1}): {outcome['changed and detected']}/{changed} "
              f"that change what SQLite reads detected; {outcome['SQLite cannot read it']} "
              f"left a file SQLite cannot read (reported); "
              f"{outcome['unused space: nothing changed']} landed in unused space")
    assert missed == [], "undetected byte edits:\n" + "\n".join(missed[:20])
    assert false_alarms == [], "alarms for edits that changed nothing:\n" + "\n".join(
        false_alarms[:20])
    assert changed >= BYTE_EDITS // 5  # enough of the sample hit the data
    assert audit(pristine.home).ok
