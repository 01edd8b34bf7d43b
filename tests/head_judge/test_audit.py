"""`head_judge.audit`: the pure checks on plain entries, the whole audit on a realistic master
(real SQLite file, real keys), named tamperings found where they were made, and the
`audit verify`, `audit prove` and `checkpoint` commands.

`build_master` and `tampering` are shared with the tamper test."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import random
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from head_judge.audit import (
    AuditError,
    Problem,
    Table,
    audit,
    chain_problems,
    checkpoint_problems,
    encode_entries,
    read_entries,
    signature_problems,
    table_problems,
)
from head_judge.checkpoints import (
    checkpoint_body,
    consistency_proof_between,
    leaves,
    verify_checkpoint_copy,
)
from head_judge.cli import main
from head_judge.ledger import Entry, entry_bytes, entry_hash, verify_chain
from head_judge.master import DB_FILE, Master, Rejection
from sync.canonical import canonical_bytes
from sync.event import Event
from sync.identity import (
    ensure_master_identity,
    generate_signing_key,
    load_signing_key,
    public_key_bytes,
)
from sync.merkle import leaf_hash, verify_consistency
from sync.records import Receipt, Sheet, SignedRecord, sign_body
from sync.store import TerminalStore

from .test_ledger import chains
from .test_master import NOW, Terminal, fixture_event, good_values, wrong_code

AT = "2025-05-17T08:30:00.000Z"


# --- a realistic master -----------------------------------------------------------------------

@dataclasses.dataclass
class Built:
    home: Path
    event: Event
    terminals: dict[str, Terminal]
    checkpoints: list[int]
    """Ledger positions of the checkpoint entries."""

    @property
    def db(self) -> Path:
        return self.home / DB_FILE


def seeded(seed: int) -> Callable[[int], bytes]:
    """A deterministic source of "random" bytes, so a built master is the same every time."""
    rng = random.Random(seed)
    return rng.randbytes


def build_master(home: Path, event: Event, *, sheets: int = 40, checkpoint_every: int = 12,
                 seed: int = 7) -> Built:
    """A master as after part of a final: five enrolled judges, a wrong enrolment code, about
    `sheets` signed sheets (some revised), a judge who moved to a spare laptop (the old device
    revoked), an equivocation alarm, a checkpoint every `checkpoint_every` sheets, and a few
    entries after the last checkpoint. Keys, codes and times come from `seed`, so the ledger
    is the same bytes every time. Returns with the master closed."""
    clock = iter(NOW + dt.timedelta(seconds=i) for i in range(10_000))
    rng = seeded(seed)
    ensure_master_identity(home, now=NOW, rng=rng)
    master = Master.open(home, event, now=next(clock))

    def enrol(judge: str) -> Terminal:
        [issued] = master.issue_codes([judge], now=NOW, rng=rng)
        terminal = Terminal(judge, event.id, generate_signing_key(rng))
        terminal.enrol(master, issued.code, next(clock))
        return terminal

    terminals = {j.id: enrol(j.id) for j in event.judges}
    [issued] = master.issue_codes(["J3"], now=next(clock), rng=rng)
    stranger = Terminal("J3", event.id, generate_signing_key(rng))
    with pytest.raises(Rejection, match="bad_code"):  # the failure is recorded
        stranger.enrol(master, wrong_code(issued.code), next(clock))
    pushed = 0
    checkpoints: list[int] = []
    contestants = list(event.contestants)

    def push(terminal: Terminal, record: SignedRecord) -> None:
        nonlocal pushed
        answer = master.push(terminal.push(record), next(clock))
        assert answer["results"][0]["status"] == "accepted", answer
        pushed += 1
        if pushed % checkpoint_every == 0:
            entry = master.checkpoint("test", now=next(clock))
            assert entry is not None
            checkpoints.append(entry.seq)

    for i, contestant in enumerate(contestants):
        for k, judge in enumerate(event.panel_for(contestant)):
            if pushed >= sheets:
                break
            terminal = terminals[judge.id]
            push(terminal, terminal.sheet(contestant.id,
                                          good_values(event, Decimal("0.5") * ((i + k) % 3))))
            if (i + k) % 7 == 3 and pushed < sheets:  # a correction with a reason
                push(terminal, terminal.sheet(contestant.id, good_values(event, Decimal(1)),
                                              revise=True, reason="misread the timer"))
        if i == 2:  # J1's laptop dies: a spare laptop enrols, the old device is revoked
            terminals["J1"] = enrol("J1")
        if pushed >= sheets:
            break
    j2 = terminals["J2"]
    j2.seq -= 1  # J2's terminal signs another sheet with a number it already used
    rogue = j2.sheet(contestants[-1].id, good_values(event))
    assert master.push(j2.push(rogue), next(clock))["results"][0]["code"] == "equivocation"
    j2.seq += 1
    master.issue_codes(["J5"], now=next(clock), rng=rng)  # after the last checkpoint
    master.close()
    return Built(home, event, terminals, checkpoints)


@contextmanager
def tampering(db: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the master's file with the append-only triggers dropped; they are put
    back, exactly as they were, when the edit is committed."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")  # a throwaway copy
        triggers = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        conn.execute("BEGIN")
        for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f'DROP TRIGGER "{name}"')
        yield conn
        for (sql,) in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Built:
    return build_master(tmp_path_factory.mktemp("pristine") / "home", fixture_event(fixtures_dir))


@pytest.fixture
def built(pristine: Built, tmp_path: Path) -> Built:
    """A fresh copy of the pristine master to spoil."""
    home = tmp_path / "home"
    shutil.copytree(pristine.home / "identity", home / "identity")  # keys and code book
    (home / DB_FILE).write_bytes(pristine.db.read_bytes())
    return dataclasses.replace(pristine, home=home)


def messages(home: Path) -> list[str]:
    return [str(p) for p in audit(home).problems]


def seq_of(db: Path, kind: str, nth: int = 0) -> int:
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT seq FROM ledger WHERE kind = ? ORDER BY seq", (kind,))
        return int(rows.fetchall()[nth][0])


# --- the whole audit --------------------------------------------------------------------------

def test_an_untouched_master_passes_and_is_not_written_to(built: Built) -> None:
    before = hashlib.sha256(built.db.read_bytes()).hexdigest()
    report = audit(built.home)
    assert report.problems == ()
    assert report.ok
    with closing(sqlite3.connect(built.db)) as conn:
        size = conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
        received = conn.execute("SELECT count(*) FROM ledger WHERE kind IN "
                                "('sheet_received', 'alarm')").fetchone()[0]
        receipts = conn.execute("SELECT count(*) FROM ledger WHERE kind = "
                                "'sheet_received'").fetchone()[0]
        notices = conn.execute("SELECT count(*) FROM notices WHERE kind = "
                               "'checkpoint'").fetchone()[0]
    assert report.entries == size
    assert report.checkpoints == len(built.checkpoints) >= 3
    # judges' signatures + receipts + checkpoints + the copies the notices hold
    assert report.signatures == received + receipts + report.checkpoints + notices
    assert report.summary() == (f"OK: {size} entries, {report.checkpoints} checkpoints, "
                                f"{report.signatures} signatures verified, {report.tables} "
                                "projection tables match a rebuild")
    assert hashlib.sha256(built.db.read_bytes()).hexdigest() == before


def test_an_open_master_is_audited_while_it_runs(built: Built) -> None:
    master = Master.open(built.home, now=NOW)
    try:
        master.checkpoint("while open", now=NOW)
        assert audit(master).ok
    finally:
        master.close()


def test_no_master_is_a_user_mistake(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="no head judge master here"):
        audit(tmp_path)


def test_an_edited_score_is_found_at_its_entry(built: Built) -> None:
    with tampering(built.db) as conn:
        (seq,) = conn.execute("SELECT ledger_seq FROM sheets ORDER BY ledger_seq LIMIT 1 "
                              "OFFSET 2").fetchone()
        payload = json.loads(conn.execute("SELECT payload FROM ledger WHERE seq = ?",
                                          (seq,)).fetchone()[0])
        body = json.loads(payload["body"])
        body["values"]["appearance"] = "9.5" if body["values"]["appearance"] != "9.5" else "9"
        payload["body"] = canonical_bytes(body).decode()
        text = canonical_bytes(payload).decode()
        conn.execute("UPDATE ledger SET payload = ? WHERE seq = ?", (text, seq))
    found = messages(built.home)
    assert f"entry {seq}: content does not match its hash" in found
    assert any(m.startswith(f"entry {seq} (sheet_received): the judge's signature does not "
                            "verify") for m in found)
    assert any("Merkle root differs" in m for m in found)
    assert any(m.startswith("table sheets, row judge=") and "scores is" in m for m in found), found


def test_an_edited_projection_is_found_at_its_table_and_row(built: Built) -> None:
    with tampering(built.db) as conn:
        judge, contestant, revision = conn.execute(
            "SELECT judge, contestant, revision FROM sheets ORDER BY judge, contestant"
        ).fetchone()
        conn.execute("UPDATE sheets SET revision = revision + 5 WHERE judge = ? AND "
                     "contestant = ?", (judge, contestant))
    assert messages(built.home) == [
        f"table sheets, row judge='{judge}', contestant='{contestant}': revision is "
        f"{revision + 5} but the ledger gives {revision}"]


def test_a_projection_row_added_or_removed_is_named(built: Built) -> None:
    with tampering(built.db) as conn:
        conn.execute("INSERT INTO locks (contestant, ledger_seq, reason) VALUES ('L07', 3, 'x')")
        conn.execute("DELETE FROM alarms")
    found = messages(built.home)
    assert "table locks, row contestant='L07': not in the ledger (1 extra row)" in found
    assert any(m.startswith("table alarms, row ledger_seq=") and m.endswith(
        "missing (the ledger gives it)") for m in found)
    assert len(found) == 2


def test_cutting_off_the_tail_before_the_last_checkpoint_is_truncation(built: Built) -> None:
    last = built.checkpoints[-1]
    with tampering(built.db) as conn:
        conn.execute("DELETE FROM ledger WHERE seq >= ?", (last - 2,))
    found = messages(built.home)
    assert any(m.startswith(("table notices, row id=", "table checkpoints, row ledger_seq="))
               and m.endswith(f"covers {last - 1} entries but the ledger holds only "
                              f"{last - 3} (entries were cut off its end)") for m in found), found


def test_a_re_chained_forgery_still_fails_on_signatures(built: Built) -> None:
    """The most convincing forgery: a sheet signed by a stranger's key, appended with a
    correct hash chain. The chain verifies; the signatures and projections do not."""
    event = built.event
    j3 = built.terminals["J3"]
    impostor = Terminal("J3", event.id)
    impostor.device = j3.device
    record = sign_body(impostor.key, _sheet(j3, "L02", event).body())
    with tampering(built.db) as conn:
        seq, prev = conn.execute("SELECT seq + 1, hash FROM ledger ORDER BY seq DESC LIMIT 1"
                                 ).fetchone()
        payload = {"device": j3.device, "hash": record.hash, "body": record.body.decode(),
                   "sig": base64.b64encode(record.signature).decode(),
                   "receipt_sig": base64.b64encode(bytes(64)).decode()}
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
        conn.execute("INSERT INTO ledger VALUES (?, 'sheet_received', ?, ?, ?, ?, ?)",
                     (seq, f"device:{j3.device}", AT, text, prev,
                      entry_hash(seq, "sheet_received", f"device:{j3.device}", AT, payload,
                                 prev)))
    found = messages(built.home)
    assert not any("hash" in m and m.startswith(f"entry {seq}:") for m in found)
    assert any(m.startswith(f"entry {seq} (sheet_received): the judge's signature does not "
                            f"verify with the key of device {j3.device}") for m in found)
    assert any(m.startswith("table records") or m.startswith("table sheets") for m in found)


def _sheet(terminal: Terminal, contestant: str, event: Event) -> Sheet:
    return Sheet(event=event.id, judge=terminal.judge, device=terminal.device,
                 seq=terminal.seq + 1, prev=terminal.prev, contestant=contestant,
                 values=good_values(event, Decimal(2)), comment="", revision=1,
                 supersedes=None, reason=None, device_time="2025-05-17T16:30:00+08:00")


def test_dropped_triggers_and_a_damaged_file_are_reported(built: Built) -> None:
    with closing(sqlite3.connect(built.db)) as conn:
        conn.execute("DROP TRIGGER ledger_no_delete")
    assert messages(built.home) == [
        "the ledger's append-only guard (trigger ledger_no_delete) has been removed"]
    built.db.write_bytes(b"not a database at all" * 100)
    [problem] = audit(built.home).problems
    assert problem.check == "file" and "SQLite cannot read it" in str(problem)


def test_a_guard_or_constraint_redefined_in_place_is_reported(built: Built) -> None:
    """Edits to the schema itself change no row: a guard that never fires, a constraint
    loosened, an index dropped or added."""
    with closing(sqlite3.connect(built.db)) as conn:
        conn.execute("DROP TRIGGER ledger_no_update")
        conn.execute("CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger WHEN 0 "
                     "BEGIN SELECT RAISE(ABORT, 'never'); END")
        conn.execute("DROP INDEX sheets_by_contestant")
        conn.execute("CREATE INDEX sheets_by_hash ON sheets (hash)")
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'revision INTEGER NOT NULL', "
                     "'revision INTEGER') WHERE name = 'sheets'")
        conn.commit()
    assert messages(built.home) == [
        "the index sheets_by_contestant has been removed",
        "the index sheets_by_hash is not part of a master",
        "the table sheets has been redefined: CREATE TABLE sheets ( judge TEXT NOT NULL, "
        "contestant TEXT NOT NULL, hash TEXT NOT NULL, revision INTEGER, device TEXT NOT "
        "NULL, ledger_seq INTEGER NOT NULL, scores TEXT NOT NULL, PRIMARY KEY (judge, "
        "contestant))",
        "the trigger ledger_no_update has been redefined: CREATE TRIGGER ledger_no_update "
        "BEFORE UPDATE ON ledger WHEN 0 BEGIN SELECT RAISE(ABORT, 'never'); END"]


def test_checkpoints_kept_by_terminals_are_checked_against_the_ledger(built: Built) -> None:
    key = _master_key(built.home)
    with closing(sqlite3.connect(built.db)) as conn:
        size = conn.execute("SELECT count(*) FROM ledger").fetchone()[0]
    good = sign_body(key, checkpoint_body("hrb-live-2020-final", [], AT))
    future = sign_body(key, {**checkpoint_body("hrb-live-2020-final", [], AT),
                             "size": size + 5, "root": "ab" * 32})
    foreign = sign_body(generate_signing_key(), checkpoint_body("hrb-live-2020-final", [], AT))
    report = audit(built.home, checkpoint_copies=[("J1's copy", future), ("J2's copy", foreign)])
    assert [str(p) for p in report.problems] == [
        f"J1's copy: a checkpoint signed by this master covers {size + 5} entries but the "
        f"ledger holds only {size} (entries were cut off its end)",
        "J2's copy: checkpoint of size 0 not signed by this master's key"]
    assert audit(built.home, checkpoint_copies=[("J3's copy", good)]).ok


def _master_key(home: Path) -> Ed25519PrivateKey:
    return load_signing_key(home / "identity" / "signing-key.pem")


# --- the pure checks --------------------------------------------------------------------------

def chain(*items: tuple[str, Mapping[str, Any]]) -> list[Entry]:
    entries: list[Entry] = []
    prev = ""
    for seq, (kind, payload) in enumerate(items, start=1):
        entries.append(Entry(seq, kind, "x", AT, payload, prev,
                             entry_hash(seq, kind, "x", AT, payload, prev)))
        prev = entries[-1].hash
    return entries


def rows_of(entries: list[Entry]) -> list[tuple[object, ...]]:
    return [(e.seq, e.kind, e.actor, e.at,
             json.dumps(dict(e.payload), sort_keys=True, separators=(",", ":")), e.prev, e.hash)
            for e in entries]


def test_read_entries_flags_payloads_that_are_not_canonical() -> None:
    entries = chain(("a", {"x": 1}), ("b", {"y": 2}))
    rows = rows_of(entries)
    rows[1] = (*rows[1][:4], '{"y": 2}', *rows[1][5:])
    read, problems, unreadable = read_entries(rows)
    assert [str(p) for p in problems] == [
        "entry 2: payload is not canonical JSON (byte 4 is not what the canonical encoding "
        "has here)"] or (len(problems) == 1 and str(problems[0]).startswith(
            "entry 2: payload is not canonical JSON"))
    assert unreadable == {2}
    assert read[0] == entries[0]
    assert "entry 2: content does not match its hash" in [str(p) for p in chain_problems(read)]


def test_signatures_need_a_device_enrolled_earlier_and_a_valid_receipt() -> None:
    master_key = generate_signing_key()
    judge = Terminal("J1", "e")
    record = judge.sheet("L01", {"a": Decimal(5)})
    enrol = ("device_enrolled", {"device": judge.device, "judge": "J1",
                                 "public_key": base64.b64encode(public_key_bytes(judge.key))
                                 .decode()})

    def received(seq: int, receipt_key: Ed25519PrivateKey = master_key
                 ) -> tuple[str, dict[str, object]]:
        receipt = sign_body(receipt_key, Receipt("e", judge.device, 1, record.hash, seq,
                                                 AT).body())
        return ("sheet_received", {"device": judge.device, "hash": record.hash,
                                   "body": record.body.decode(),
                                   "sig": base64.b64encode(record.signature).decode(),
                                   "receipt_sig": base64.b64encode(receipt.signature).decode()})

    key = public_key_bytes(master_key)
    good = chain(("event_loaded", {"event_id": "e"}), enrol, received(3))
    assert signature_problems(good, key) == ([], 2)
    early = chain(("event_loaded", {"event_id": "e"}), received(2), enrol)
    assert [str(p) for p in signature_problems(early, key)[0]] == [
        f"entry 2 (sheet_received): signed by device {judge.device}, which no earlier entry "
        "enrolled"]
    forged = chain(("event_loaded", {"event_id": "e"}), enrol,
                   received(3, generate_signing_key()))
    assert [str(p) for p in signature_problems(forged, key)[0]] == [
        "entry 3 (sheet_received): the master's receipt signature does not verify (the "
        "receipt the terminal holds names this entry)"]
    other_judge = chain(("event_loaded", {"event_id": "e"}),
                        ("device_enrolled", {**enrol[1], "judge": "J2"}), received(3))
    assert [str(p) for p in signature_problems(other_judge, key)[0]] == [
        f"entry 3 (sheet_received): the signed body is for judge J1 but device "
        f"{judge.device} is J2's"]


def test_checkpoint_problems_cover_entries_and_copies() -> None:
    key = generate_signing_key()
    entries = chain(("event_loaded", {"event_id": "e"}), ("note", {"i": 1}))
    record = sign_body(key, checkpoint_body("e", leaves(entries), AT))
    entries = chain(("event_loaded", {"event_id": "e"}), ("note", {"i": 1}),
                    ("checkpoint", {"reason": "t", "checkpoint": record.to_wire()}))
    assert checkpoint_problems(entries, public_key_bytes(key)) == ([], 1)
    assert checkpoint_problems(entries, public_key_bytes(key), [("copy", record)]) == ([], 2)
    problems, _ = checkpoint_problems(entries[:1], public_key_bytes(key), [("copy", record)])
    assert [str(p) for p in problems] == [
        "copy: a checkpoint signed by this master covers 2 entries but the ledger holds only 1 "
        "(entries were cut off its end)"]
    changed = chain(("event_loaded", {"event_id": "e"}), ("note", {"i": 2}))
    assert verify_checkpoint_copy([leaf_hash(entry_bytes(e)) for e in changed], record,
                                  public_key_bytes(key), "copy") == [
        "copy: the first 2 entries no longer give the Merkle root this master signed "
        "(history was changed)"]


def test_table_problems_pair_rows_by_primary_key_and_compare_types() -> None:
    rebuilt = {"t": Table(("k", "v"), (0,), ((1, "a"), (2, 3)))}
    assert table_problems(rebuilt, rebuilt) == []
    stored = {"t": Table(("k", "v"), (0,), ((1, "a"), (2, "3"), (4, None))),
              "x": Table(("a",), (), ())}
    assert [str(p) for p in table_problems(stored, rebuilt)] == [
        "table t, row k=2: v is '3' but the ledger gives 3",
        "table t, row k=4: not in the ledger (1 extra row)",
        "table x: is neither the ledger nor a projection of it"]
    assert [str(p) for p in table_problems({}, rebuilt)] == [
        "table t: missing (the ledger gives 2 rows)"]
    assert table_problems({"t": Table(("k", "w"), (0,), ())}, rebuilt) == [
        Problem("projection", "table t: has columns k, w; the projection has k, v")]


def test_consistency_proof_between_two_sizes_verifies() -> None:
    entries = chain(*[("note", {"i": i}) for i in range(13)])
    for a in range(1, 14):
        for b in range(a, 14):
            proof = consistency_proof_between(entries, a, b)
            assert proof.verify()
            assert verify_consistency(a, b, proof.root_a, proof.root_b, list(proof.path))
    proof = consistency_proof_between(entries, 5)
    assert proof.size_b == 13
    tampered = dataclasses.replace(proof, root_a=bytes(32))
    assert not tampered.verify()
    with pytest.raises(ValueError, match="need 0 < from <= to <= 13"):
        consistency_proof_between(entries, 5, 14)


# --- the commands -----------------------------------------------------------------------------

def run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_audit_verify_prints_ok_or_every_problem(built: Built) -> None:
    code, out, _ = run(built.home, "audit", "verify")
    assert code == 0
    assert out.startswith("通过：") and out.splitlines()[1].startswith("OK: ")
    assert out.count("\n") == 2
    with tampering(built.db) as conn:
        conn.execute("UPDATE ledger SET actor = 'head-judge' WHERE seq = 5")
    code, out, _ = run(built.home, "audit", "verify")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("未通过：") and lines[1].startswith("FAILED: ")
    at = lines.index("  entry 5: content does not match its hash")
    assert lines[at - 1] == "  账本第 5 条：内容与其哈希不符"  # each problem in Chinese first


def test_audit_verify_without_a_master_is_exit_2(tmp_path: Path) -> None:
    code, out, err = run(tmp_path / "nothing", "audit", "verify")
    assert (code, out) == (2, "")
    zh, en = err.splitlines()  # Chinese first, then English
    assert zh.startswith("错误：") and "这里没有主控机" in zh
    assert en.startswith("error: ") and "no head judge master here" in en


def test_checkpoint_and_prove_commands(built: Built) -> None:
    code, out, _ = run(built.home, "checkpoint", "--reason", "before lunch")
    zh, en = out.splitlines()
    assert code == 0 and zh.startswith("检查点为账本第 ") and en.startswith("checkpoint at entry ")
    newest = int(en.split()[3].rstrip(":"))
    code, out, _ = run(built.home, "audit", "prove", "--from", "7", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["from"]["size"] == 7 and document["to"]["size"] == newest - 1
    assert document["checkpoint"]["entry"] == newest
    assert verify_consistency(7, newest - 1, bytes.fromhex(document["from"]["root"]),
                              bytes.fromhex(document["to"]["root"]),
                              [bytes.fromhex(h) for h in document["proof"]])
    signed = SignedRecord.from_wire({k: document["checkpoint"][k] for k in ("body", "sig")})
    assert signed.verify(public_key_bytes(_master_key(built.home)))
    assert json.loads(signed.body)["root"] == document["to"]["root"]
    code, out, _ = run(built.home, "audit", "prove", "--from", "7", "--to", "9")
    assert code == 0 and "no signed checkpoint of this size" in out and "没有这个大小的" in out
    code, _, err = run(built.home, "audit", "prove", "--from", "9999")
    assert code == 2 and "no proof from size 9999" in err and "无法证明从 9999 条" in err
    assert run(built.home, "audit", "verify")[0] == 0


def test_a_cut_hidden_by_rebuilt_projections_shows_against_a_terminal_copy(
        built: Built, tmp_path: Path) -> None:
    """An attacker who cuts off the tail and rebuilds the projections leaves a file that is
    consistent in itself; the checkpoint a judge's laptop kept still contradicts it."""
    last = built.checkpoints[-1]
    with closing(sqlite3.connect(built.db)) as conn:
        payload = json.loads(conn.execute("SELECT payload FROM ledger WHERE seq = ?",
                                          (last,)).fetchone()[0])
    kept = SignedRecord.from_wire(payload["checkpoint"])
    with TerminalStore.open(tmp_path / "laptop") as store:
        store.save_checkpoint(last - 1, json.loads(kept.body)["root"], kept, now=NOW)
    with tampering(built.db) as conn:
        conn.execute("DELETE FROM ledger WHERE seq >= ?", (last - 4,))
    master = Master.open(built.home, now=NOW)
    try:
        master.ledger.rebuild()
    finally:
        master.close()
    assert audit(built.home).ok  # nothing in the file itself gives it away
    code, out, _ = run(built.home, "audit", "verify", "--terminal",
                       str(tmp_path / "laptop" / "terminal.db"))
    assert code == 1
    assert (f"  the checkpoint terminal store laptop/terminal.db kept: a checkpoint signed by "
            f"this master covers {last - 1} entries but the ledger holds only {last - 5} "
            "(entries were cut off its end)") in out.splitlines()


@given(chains, st.data())
def test_chain_problems_say_what_verify_chain_says(entries: list[Entry],
                                                   data: st.DataObject) -> None:
    tampered = list(entries)
    if data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(entries) - 1))
        field = data.draw(st.sampled_from(["kind", "actor", "payload", "prev", "hash", "seq"]))
        value: object = data.draw(st.integers(0, 9)) if field == "seq" else (
            {"x": 1} if field == "payload" else data.draw(st.text(max_size=3)))
        tampered[i] = dataclasses.replace(entries[i], **{field: value})  # type: ignore[arg-type]
    if data.draw(st.booleans()) and len(tampered) > 1:
        del tampered[data.draw(st.integers(0, len(tampered) - 1))]
    assert [str(p) for p in chain_problems(tampered, encode_entries(tampered))] == \
        verify_chain(tampered)


def test_a_whole_final_with_the_head_judges_actions_passes_and_tampering_shows(
        tmp_path: Path, fixtures_dir: Path) -> None:
    """Every sheet of the fixture final, a review answered by a signed confirmation, an
    override, flags accepted, every contestant locked, results published (with their
    checkpoint) and republished after an appeal: all of it audits clean; then one edit to the
    confirmation and one to the published document are each named."""
    from .test_actions import Final, close_everything, fixture_final

    final = Final(tmp_path / "home", fixture_event(fixtures_dir))
    try:
        fixture_final(final, fixtures_dir)
        head = final.head
        review = head.request_review("J2", "is this right?", contestant="L01")
        assert final.confirm("J2", "L01", review)["status"] == "accepted"
        close_everything(final)
        head.publish(("live", None))
        head.unlock("L03", "申诉 appeal")
        sheet = next(s for s in head.sheets("L03") if s.judge == "J1")
        head.override_value("J1", "L03", "pitch", sheet.values["pitch"] + 5, "登记错误 clerical")
        for flag in head.flags("open"):
            head.accept_flag(flag.id, "explained by the override")
        head.lock("L03")
        head.publish(("live", None), "申诉更正 corrected on appeal")
        report = audit(final.master)
        assert report.ok, report.lines()
        kinds = {e.kind for e in final.master.ledger.entries()}
        assert {"review_confirmed", "value_overridden", "results_published",
                "contestant_locked", "checkpoint"} <= kinds
    finally:
        final.close()
    home = tmp_path / "home"
    confirmed = seq_of(home / DB_FILE, "review_confirmed")
    published = seq_of(home / DB_FILE, "results_published", 1)
    with tampering(home / DB_FILE) as conn:
        conn.execute("UPDATE ledger SET payload = replace(payload, '看过了', '没看过') "
                     "WHERE seq = ?", (confirmed,))
        conn.execute("UPDATE publications SET document = replace(document, '\"rank\":1', "
                     "'\"rank\":2') WHERE version = 2")
    found = messages(home)
    assert f"entry {confirmed}: content does not match its hash" in found
    assert any(m.startswith(f"entry {confirmed} (review_confirmed): the judge's signature does "
                            "not verify") for m in found)
    assert any(m.startswith("table publications, row track='live', grp='', version=2: "
                            "document is ") for m in found)
    assert published > confirmed


def test_text_that_is_not_utf8_is_a_finding_not_a_crash(built: Built) -> None:
    with tampering(built.db) as conn:
        conn.execute("UPDATE ledger SET actor = CAST(X'41FF42' AS TEXT) WHERE seq = 3")
        conn.execute("UPDATE seats SET judge = CAST(X'4AFF' AS TEXT) WHERE judge = 'J5'")
    found = messages(built.home)
    assert "entry 3: content cannot be hashed" in found
    assert any(m.startswith("table seats, row judge='J\\udcff': not in the ledger")
               for m in found)
    code, out, _ = run(built.home, "audit", "verify")
    assert code == 1 and "  entry 3: content cannot be hashed" in out.splitlines()
