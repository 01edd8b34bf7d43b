"""The ledger: hash chain, append-only storage, atomic transactions, projections rebuilt."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from head_judge.ledger import Entry, Ledger, LedgerError, entry_hash, verify_chain
from sync.canonical import canonical_bytes, sha256_hex

AT = "2025-05-17T08:30:00.000Z"


# --- the pure chain check ---------------------------------------------------------------------

def build_chain(items: Sequence[tuple[str, str, Mapping[str, object]]]) -> list[Entry]:
    entries: list[Entry] = []
    prev = ""
    for seq, (kind, actor, payload) in enumerate(items, start=1):
        entry = Entry(seq, kind, actor, AT, payload, prev,
                      entry_hash(seq, kind, actor, AT, payload, prev))
        entries.append(entry)
        prev = entry.hash
    return entries


texts = st.text(st.characters(codec="utf-8"), max_size=8)
payloads = st.dictionaries(
    texts, st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), texts,
                     st.lists(texts, max_size=3)), max_size=4)
items = st.tuples(st.sampled_from(["sheet_received", "device_enrolled", "alarm"]), texts,
                  payloads)
chains = st.lists(items, min_size=1, max_size=8).map(build_chain)


@given(st.integers(1, 10**9), texts, texts, texts, payloads, texts)
@example(1, '"payload":0,', '{"payload":0,', ',"payload":0,}', {"payload": 0}, '"payload":0,')
def test_entry_hash_is_the_canonical_envelope(seq: int, kind: str, actor: str, at: str,
                                              payload: dict[str, object], prev: str) -> None:
    expected = sha256_hex(canonical_bytes(
        {"seq": seq, "kind": kind, "actor": actor, "at": at, "payload": payload,
         "prev": prev}))
    assert entry_hash(seq, kind, actor, at, payload, prev) == expected


@given(chains)
def test_an_untouched_chain_verifies(entries: list[Entry]) -> None:
    assert verify_chain(entries) == []


@given(chains, st.data())
def test_any_single_modification_is_detected(entries: list[Entry], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(entries) - 1))
    target = entries[i]
    field = data.draw(st.sampled_from(["kind", "actor", "at", "payload", "prev", "hash", "seq"]))
    new_value: object
    if field == "payload":
        new_value = data.draw(payloads)
    elif field == "seq":
        new_value = data.draw(st.integers(0, 20))
    elif field in ("prev", "hash"):
        new_value = data.draw(st.one_of(st.just(""), st.text("0123456789abcdef", min_size=64,
                                                             max_size=64), texts))
    else:
        new_value = data.draw(texts)
    assume(new_value != getattr(target, field))
    tampered = list(entries)
    tampered[i] = replace(target, **{field: new_value})  # type: ignore[arg-type]
    assert verify_chain(tampered) != []


@given(chains.filter(lambda e: len(e) >= 2), st.data())
def test_deletion_is_detected_unless_it_is_the_tail(entries: list[Entry],
                                                     data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(entries) - 2))  # the tail needs a signed checkpoint
    assert verify_chain(entries[:i] + entries[i + 1:]) != []


@given(chains, items, st.data())
def test_insertion_is_detected_unless_it_extends_the_tail(
    entries: list[Entry], item: tuple[str, str, dict[str, object]], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(entries) - 1))
    kind, actor, payload = item
    # The most convincing forgery: numbered and chained to the entry before it.
    seq = entries[i].seq
    prev = entries[i - 1].hash if i else ""
    forged = Entry(seq, kind, actor, AT, payload, prev,
                   entry_hash(seq, kind, actor, AT, payload, prev))
    assume(forged != entries[i])
    assert verify_chain(entries[:i] + [forged] + entries[i:]) != []


@given(chains.filter(lambda e: len(e) >= 2), st.data())
def test_reordering_is_detected(entries: list[Entry], data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(len(entries))))
    assume(list(order) != list(range(len(entries))))
    assert verify_chain([entries[i] for i in order]) != []


# --- the stored ledger ------------------------------------------------------------------------

class Counter:
    """A toy projection: how many entries of each kind, and the last payload of each."""

    version = 1
    tables = ("kind_counts",)

    def __init__(self) -> None:
        self.heard: list[str] = []  # began / rolled_back, in order

    def began(self, conn: sqlite3.Connection) -> None:
        assert conn.in_transaction
        self.heard.append("began")

    def rolled_back(self) -> None:
        self.heard.append("rolled_back")

    def create(self, conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS kind_counts (kind TEXT PRIMARY KEY, "
                     "n INTEGER NOT NULL, last TEXT NOT NULL)")

    def apply(self, conn: sqlite3.Connection, entry: Entry) -> None:
        if entry.kind == "explode":
            raise LedgerError("this projection refuses explosions")
        conn.execute(
            "INSERT INTO kind_counts (kind, n, last) VALUES (?, 1, ?) ON CONFLICT (kind) "
            "DO UPDATE SET n = n + 1, last = excluded.last",
            (entry.kind, canonical_bytes(dict(entry.payload)).decode()))


def counts(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM kind_counts ORDER BY kind").fetchall()


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "master.db", Counter())


def test_append_and_read_back(ledger: Ledger) -> None:
    with ledger.transaction():
        first = ledger.append("a", "head-judge", {"x": 1, "名": "张三"}, AT)
        second = ledger.append("b", "master", {}, AT)
    assert (first.seq, first.prev, second.seq, second.prev) == (1, "", 2, first.hash)
    assert list(ledger.entries()) == [first, second]
    assert list(ledger.entries(since=1)) == [second]
    assert len(ledger) == 2
    assert ledger.verify_chain() == []
    mode = ledger.conn.execute("PRAGMA journal_mode").fetchone()[0]
    sync = ledger.conn.execute("PRAGMA synchronous").fetchone()[0]
    assert (mode, sync) == ("wal", 2)  # 2 = FULL


def test_append_only_inside_a_transaction(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match="transaction"):
        ledger.append("a", "x", {}, AT)
    with ledger.transaction(), pytest.raises(LedgerError, match="nest"), ledger.transaction():
        pass  # pragma: no cover


def test_a_failed_transaction_leaves_no_trace(ledger: Ledger) -> None:
    with ledger.transaction():
        ledger.append("a", "x", {"n": 1}, AT)
    before = counts(ledger.path)
    with pytest.raises(LedgerError, match="explosions"), ledger.transaction():
        ledger.append("a", "x", {"n": 2}, AT)
        ledger.append("explode", "x", {}, AT)
    assert len(ledger) == 1 and counts(ledger.path) == before
    with ledger.transaction():  # the chain goes on from the last committed entry
        entry = ledger.append("a", "x", {"n": 3}, AT)
    assert entry.seq == 2 and ledger.verify_chain() == []
    # the projector heard of every transaction, and of the one undone (what it keeps in
    # memory, the master's panels, must forget what that one did)
    assert isinstance(ledger.projector, Counter)
    assert ledger.projector.heard[-4:] == ["began", "began", "rolled_back", "began"]


def test_reopening_continues_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "master.db"
    ledger = Ledger(path, Counter())
    with ledger.transaction():
        ledger.append("a", "x", {}, AT)
    ledger.close()
    ledger = Ledger(path, Counter())
    with ledger.transaction():
        assert ledger.append("a", "x", {}, AT).seq == 2
    assert ledger.verify_chain() == [] and counts(path) == [("a", 2, "{}")]


def test_a_position_read_outside_a_transaction_does_not_outlive_another_writer(
        tmp_path: Path) -> None:
    """The serving master asks where the ledger stands (the console, the standby's wait)
    while `enrol-codes` appends from another process: its next entry still follows."""
    path = tmp_path / "master.db"
    serving, other = Ledger(path, Counter()), Ledger(path, Counter())
    with serving.transaction():
        serving.append("a", "x", {}, AT)
    assert serving.next_seq() == 2
    with other.transaction():
        other.append("b", "x", {}, AT)
    with serving.transaction():
        assert serving.append("c", "x", {}, AT).seq == 3
    assert serving.verify_chain() == []
    serving.close()
    other.close()


def test_sql_cannot_update_delete_or_break_the_chain(ledger: Ledger) -> None:
    with ledger.transaction():
        entry = ledger.append("a", "x", {}, AT)
    conn = sqlite3.connect(ledger.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE ledger SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM ledger")
    with pytest.raises(sqlite3.IntegrityError, match="follow the last"):
        conn.execute("INSERT INTO ledger VALUES (5, 'a', 'x', ?, '{}', ?, 'h')", (AT, entry.hash))
    with pytest.raises(sqlite3.IntegrityError, match="follow the last"):
        conn.execute("INSERT INTO ledger VALUES (2, 'a', 'x', ?, '{}', 'other', 'h')", (AT,))
    conn.close()
    assert ledger.verify_chain() == []


def test_tampering_behind_the_triggers_back_is_reported(ledger: Ledger) -> None:
    with ledger.transaction():
        for n in range(4):
            ledger.append("a", "x", {"n": n}, AT)
    conn = sqlite3.connect(ledger.path)
    conn.execute("DROP TRIGGER ledger_no_update")
    conn.execute("DROP TRIGGER ledger_no_delete")
    conn.execute("""UPDATE ledger SET payload = '{"n":9}' WHERE seq = 2""")
    conn.execute("""UPDATE ledger SET payload = '{ "n": 3 }' WHERE seq = 4""")
    conn.execute("DELETE FROM ledger WHERE seq = 3")
    conn.commit()
    conn.close()
    problems = ledger.verify_chain()
    assert any(p.startswith("entry 2: content does not match") for p in problems)
    assert any(p.startswith("entry 4: payload is not canonical") for p in problems)
    assert any(p.startswith("entry 4: expected entry number 3") for p in problems)
    with pytest.raises(LedgerError, match="not canonical"):
        list(ledger.entries())


def test_rebuild_replays_the_ledger_into_fresh_projections(ledger: Ledger) -> None:
    with ledger.transaction():
        for kind in ["a", "b", "a", "c", "a"]:
            ledger.append(kind, "x", {"kind": kind}, AT)
    before = counts(ledger.path)
    ledger.conn.execute("DELETE FROM kind_counts")  # projections are disposable
    ledger.rebuild()
    assert counts(ledger.path) == before == [
        ("a", 3, '{"kind":"a"}'), ("b", 1, '{"kind":"b"}'), ("c", 1, '{"kind":"c"}')]


def test_payload_is_stored_canonically_and_read_back_equal(ledger: Ledger) -> None:
    with ledger.transaction():
        entry = ledger.append("a", "x", {"z": (1, 2), "a": "é"}, AT)
    assert entry.payload == {"a": "é", "z": [1, 2]}
    text = ledger.conn.execute("SELECT payload FROM ledger").fetchone()[0]
    assert text == '{"a":"é","z":[1,2]}'
    assert list(ledger.entries()) == [entry]
    with ledger.transaction(), pytest.raises(TypeError, match="float"):
        ledger.append("a", "x", {"score": 8.5}, AT)


def test_leaves_follow_appends_rollbacks_and_other_writers(tmp_path: Path) -> None:
    """The leaf hashes a checkpoint signs, kept as entries are appended, always equal those
    of the entries as read back: after a rollback, and after another connection (another
    process, e.g. a CLI command) appended to the same file."""
    from head_judge.checkpoints import leaves

    path = tmp_path / "master.db"
    ledger, other = Ledger(path, Counter()), Ledger(path, Counter())

    def read_back() -> list[bytes]:
        return leaves(list(ledger.entries()))

    assert ledger.leaves() == [] == read_back()
    with ledger.transaction():
        ledger.append("a", "x", {"n": 1}, AT)
        ledger.append("a", "x", {"名": "张三"}, AT)
    assert ledger.leaves() == read_back() and len(ledger.leaves()) == 2
    with pytest.raises(LedgerError, match="explosions"), ledger.transaction():
        ledger.append("a", "x", {"n": 3}, AT)
        ledger.append("explode", "x", {}, AT)
    assert ledger.leaves() == read_back() and len(ledger.leaves()) == 2
    with other.transaction():
        other.append("b", "y", {"n": 4}, AT)
    with ledger.transaction():
        ledger.append("a", "x", {"n": 5}, AT)
        assert ledger.leaves() == read_back() and len(ledger.leaves()) == 4
    other.close()
    ledger.close()


def test_leaves_refuse_an_entry_that_does_not_match_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "master.db"
    ledger = Ledger(path, Counter())
    with ledger.transaction():
        ledger.append("a", "x", {"n": 1}, AT)
        ledger.append("a", "x", {"n": 2}, AT)
    ledger.close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER ledger_no_update")
        conn.execute("""UPDATE ledger SET payload = '{"n":3}' WHERE seq = 2""")
    ledger = Ledger(path, Counter())
    with pytest.raises(LedgerError, match="entry 2: content does not match its hash"):
        ledger.leaves()
    ledger.close()
