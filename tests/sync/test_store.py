"""The judge laptop's store: real SQLite files, real signatures, real `kill -9` of a process."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path

import pytest

from sync.canonical import parse_canonical
from sync.event import Event
from sync.event_file import load_event
from sync.identity import generate_signing_key, public_key_bytes, verify
from sync.records import Receipt, SignedRecord, sheet_from_body, sign_body
from sync.snapshot import event_snapshot, snapshot_digest
from sync.store import KEY_FILE, Notice, StoreError, TerminalStore, check_sheet_values

NOW = dt.datetime(2025, 5, 17, 9, 30, tzinfo=dt.UTC)
PIN = bytes(range(32))
MASTER = generate_signing_key(lambda n: b"\x07" * n)
MASTER_KEY = public_key_bytes(MASTER)
REPO = Path(__file__).resolve().parents[2]


def livestream(fixtures_dir: Path) -> Event:
    return load_event(fixtures_dir / "livestream-final" / "event.toml")


def enrol_store(store: TerminalStore, event: Event, *, judge: str = "J1", pin: bytes = PIN,
                master_key: bytes = MASTER_KEY, host: str = "127.0.0.1", port: int = 1) -> None:
    """Enrol `store` as if a master with `pin` and `master_key` had answered."""
    store.save_enrolment(pin=pin, host=host, port=port, master_key=master_key, judge=judge,
                         device=store.device_id, snapshot=event_snapshot(event),
                         event_digest=snapshot_digest(event), now=NOW)


def full_marks(event: Event, value: str | None = None) -> dict[str, D]:
    return {c.id: D(value) if value is not None else c.max for c in event.criteria}


def receipt_for(store: TerminalStore, record_hash: str, *, key: object = MASTER,
                ledger: int = 7) -> SignedRecord:
    stored = store.record(record_hash)
    assert stored is not None
    enrolment = store.require_enrolment()
    body = Receipt(enrolment.event_id, enrolment.device, stored.seq, record_hash, ledger,
                   NOW.isoformat()).body()
    return sign_body(key, body)  # type: ignore[arg-type]


@pytest.fixture
def event(fixtures_dir: Path) -> Event:
    return livestream(fixtures_dir)


@pytest.fixture
def store(tmp_path: Path, event: Event) -> Iterator[TerminalStore]:
    s = TerminalStore.open(tmp_path / "home", clock=lambda: NOW)
    enrol_store(s, event)
    yield s
    s.close()


# --- opening, key, pragmas --------------------------------------------------------------------


def test_open_creates_key_0600_wal_full_and_keeps_the_key(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with TerminalStore.open(home) as first:
        device = first.device_id
        mode = first._db.execute("PRAGMA journal_mode").fetchone()[0]
        sync_level = first._db.execute("PRAGMA synchronous").fetchone()[0]
    assert mode == "wal" and sync_level == 2  # 2 = FULL
    if os.name == "posix":
        assert stat.S_IMODE((home / KEY_FILE).stat().st_mode) == 0o600
    with TerminalStore.open(home) as again:
        assert again.device_id == device
    assert (home / "terminal.db").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_home_and_its_database_are_private_whatever_the_umask(tmp_path: Path,
                                                                  event: Event) -> None:
    home = tmp_path / "home"
    old = os.umask(0)
    try:
        with TerminalStore.open(home, clock=lambda: NOW) as s:
            enrol_store(s, event)
            s.submit_sheet("L01", full_marks(event), now=NOW)
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in home.iterdir()}
    finally:
        os.umask(old)
    assert {"terminal.db", "terminal.db-wal", "terminal.db-shm", KEY_FILE} <= set(modes)
    assert modes == dict.fromkeys(modes, 0o600), modes
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    # An older home left readable to others is mended when the store opens it again.
    home.chmod(0o755)
    (home / "terminal.db").chmod(0o644)
    TerminalStore.open(home).close()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "terminal.db").stat().st_mode) == 0o600


def test_not_enrolled_refuses_to_submit(tmp_path: Path) -> None:
    with TerminalStore.open(tmp_path) as s, pytest.raises(StoreError, match="not enrolled"):
        s.submit_sheet("L01", {"appearance": D(1)}, now=NOW)


def test_enrolment_refuses_a_snapshot_that_does_not_match_its_digest(
    tmp_path: Path, event: Event
) -> None:
    with TerminalStore.open(tmp_path) as s:
        with pytest.raises(StoreError, match="digest"):
            s.save_enrolment(pin=PIN, host="h", port=1, master_key=MASTER_KEY, judge="J1",
                             device=s.device_id, snapshot=event_snapshot(event),
                             event_digest="0" * 64)
        with pytest.raises(StoreError, match="another device"):
            s.save_enrolment(pin=PIN, host="h", port=1, master_key=MASTER_KEY, judge="J1",
                             device="0123456789abcdef", snapshot=event_snapshot(event),
                             event_digest=snapshot_digest(event))
        assert s.enrolment() is None


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"appearance": D("10.5")}, "appearance: 10.5 is outside 0-10"),
        ({"appearance": D("-0.5")}, "outside"),
        ({"appearance": D("7.25")}, "not a multiple of 0.5"),
        ({"bogus": D(1)}, "unknown criteria: bogus"),
        ({"appearance": D("NaN")}, "not a number"),
    ],
)
def test_values_off_the_rubric_are_refused_and_nothing_is_written(
    store: TerminalStore, event: Event, change: dict[str, D], message: str
) -> None:
    values = full_marks(event) | change
    with pytest.raises(StoreError, match=message):
        store.submit_sheet("L01", values, now=NOW)
    assert store.sheets() == [] and store.outbox() == []


def test_missing_criterion_unknown_and_recused_contestant(
    tmp_path: Path, event: Event
) -> None:
    with TerminalStore.open(tmp_path) as s:
        enrol_store(s, event, judge="J4")
        values = full_marks(event)
        del values["pitch"]
        with pytest.raises(StoreError, match="pitch: missing"):
            s.submit_sheet("L01", values, now=NOW)
        with pytest.raises(StoreError, match="no contestant 'L99'"):
            s.submit_sheet("L99", full_marks(event), now=NOW)
        with pytest.raises(StoreError, match="recused"):  # same affiliation as L04
            s.submit_sheet("L04", full_marks(event), now=NOW)
        assert s.sheets() == []


def test_check_sheet_values_is_pure_and_lists_every_problem(event: Event) -> None:
    values = full_marks(event) | {"appearance": D(11), "timing": D("0.3")}
    del values["pitch"]
    problems = check_sheet_values(event, "J1", "L01", values)
    assert len(problems) == 3
    assert check_sheet_values(event, "J1", "L01", full_marks(event, "0")) == []


def test_a_refused_sheet_is_said_in_chinese_too(store: TerminalStore, event: Event) -> None:
    """What the judge's screen and `judge-terminal submit` say of values off the rubric:
    every problem, in Chinese as in English, with no English word in the Chinese."""
    values = full_marks(event) | {"appearance": D("10.5"), "bogus": D(1)}
    with pytest.raises(StoreError) as refused:
        store.submit_sheet("L01", values, now=NOW)
    reason = refused.value.reason
    assert str(reason) == "unknown criteria: bogus; appearance: 10.5 is outside 0-10"
    assert reason.render("zh") == "未知的评分项：bogus；appearance：10.5 超出 0-10"
    with pytest.raises(StoreError) as refused:
        store.confirm_review(7, now=NOW)
    assert refused.value.reason.render("zh") == "本机没有给你的复核请求 7"


def test_values_are_spelled_plainly_in_the_signed_body(store: TerminalStore, event: Event) -> None:
    values = full_marks(event, "8.50") | {"appearance": D("10.0")}
    saved = store.submit_sheet("L01", values, comment="稳定 steady", now=NOW)
    body = parse_canonical(saved.body)
    assert isinstance(body, dict)
    assert body["values"]["appearance"] == "10" and body["values"]["pitch"] == "8.5"
    assert verify(store.device_public_key, saved.signature, saved.body)


# --- revisions and the device chain -----------------------------------------------------------


def test_revisions_chain_seq_prev_and_supersedes(store: TerminalStore, event: Event) -> None:
    first = store.submit_sheet("L01", full_marks(event, "5"), now=NOW)
    other = store.submit_sheet("L02", full_marks(event, "6"), now=NOW)
    with pytest.raises(StoreError, match="needs a reason"):
        store.submit_sheet("L01", full_marks(event, "7"), now=NOW)
    with pytest.raises(StoreError, match="only for a correction"):
        store.submit_sheet("L03", full_marks(event, "7"), reason="why", now=NOW)
    second = store.submit_sheet("L01", full_marks(event, "7"), reason="misheard", now=NOW)

    assert [r.seq for r in store.sheets()] == [1, 2, 3]
    assert first.prev is None and other.prev == first.hash and second.prev == other.hash
    assert (first.revision, first.supersedes) == (1, None)
    assert (second.revision, second.supersedes) == (2, first.hash)
    sheet = second.sheet
    assert sheet.reason == "misheard" and sheet.seq == 3 and sheet.device == store.device_id
    assert store.current_sheet("L01") == store.record(second.hash)
    assert [r.hash for r in store.outbox()] == [first.hash, other.hash, second.hash]


def test_a_rejected_revision_is_not_the_current_sheet(store: TerminalStore, event: Event) -> None:
    first = store.submit_sheet("L01", full_marks(event, "5"), now=NOW)
    second = store.submit_sheet("L01", full_marks(event, "6"), reason="typo", now=NOW)
    store.mark_rejected(second.hash, "locked", "contestant L01 is locked")
    assert store.current_sheet("L01") == store.record(first.hash)
    rejected = store.record(second.hash)
    assert rejected is not None and not rejected.in_outbox
    assert (rejected.rejected_code, rejected.rejected_reason) == (
        "locked", "contestant L01 is locked")
    third = store.submit_sheet("L01", full_marks(event, "6"), reason="typo, after unlock",
                               now=NOW)
    assert (third.revision, third.supersedes, third.prev) == (2, first.hash, second.hash)
    assert store.status().rejected == 1 and [r.hash for r in store.rejected()] == [second.hash]


# --- receipts ---------------------------------------------------------------------------------


def test_receipts_are_verified_before_they_are_stored(store: TerminalStore, event: Event) -> None:
    saved = store.submit_sheet("L01", full_marks(event), now=NOW)
    forged = receipt_for(store, saved.hash, key=generate_signing_key())
    with pytest.raises(StoreError, match="not signed by the enrolled head judge"):
        store.mark_receipted(forged)
    assert store.outbox_size() == 1 and store.receipt(saved.hash) is None

    stranger = sign_body(MASTER, Receipt(event.id, store.device_id, 1, "ab" * 32, 3,
                                         NOW.isoformat()).body())
    with pytest.raises(StoreError, match="never signed"):
        store.mark_receipted(stranger)

    good = receipt_for(store, saved.hash)
    receipt = store.mark_receipted(good)
    assert receipt.record == saved.hash and receipt.ledger == 7
    assert store.outbox() == [] and store.receipt(saved.hash) == good
    record = store.record(saved.hash)
    assert record is not None and record.receipted and not record.in_outbox
    status = store.status()
    assert (status.outbox, status.receipts, status.sheets) == (0, 1, 1)
    assert status.last_receipt_at == NOW.isoformat(timespec="milliseconds")


def test_a_sheet_waits_for_the_disk_and_its_receipt_need_not(store: TerminalStore,
                                                               event: Event) -> None:
    """The sheet's commit is flushed (synchronous=FULL) before "saved"; the receipt's is not
    (the master gives a lost receipt again), and the connection is FULL again after it."""
    levels: list[tuple[str, int]] = []

    def traced(statement: str) -> None:
        if statement == "COMMIT":
            levels.append((phase, store._db.execute("PRAGMA synchronous").fetchone()[0]))

    store._db.set_trace_callback(traced)
    phase = "sheet"
    saved = store.submit_sheet("L01", full_marks(event), now=NOW)
    phase = "receipt"
    store.mark_receipted(receipt_for(store, saved.hash))
    phase = "next sheet"
    store.submit_sheet("L02", full_marks(event), now=NOW)
    store._db.set_trace_callback(None)
    assert levels == [("sheet", 2), ("receipt", 1), ("next sheet", 2)]  # 2 FULL, 1 NORMAL
    assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_a_new_master_key_requeues_what_it_has_not_receipted(
    store: TerminalStore, event: Event
) -> None:
    a = store.submit_sheet("L01", full_marks(event), now=NOW)
    b = store.submit_sheet("L02", full_marks(event), now=NOW)
    store.mark_receipted(receipt_for(store, a.hash))
    store.save_pull(5, [Notice(5, "lock", None, {"contestant": "L03"})], [], "x" * 64)
    assert store.outbox_size() == 1 and store.cursor() == 5

    enrol_store(store, event)  # same master again: nothing changes
    assert store.outbox_size() == 1 and store.cursor() == 5

    rebuilt = generate_signing_key()
    enrol_store(store, event, pin=bytes(32), master_key=public_key_bytes(rebuilt))
    assert [r.hash for r in store.outbox()] == [a.hash, b.hash]
    assert store.cursor() == 0 and store.notices() == []


def test_pull_stores_notices_once_and_advances_the_cursor(
    store: TerminalStore, event: Event
) -> None:
    saved = store.submit_sheet("L01", full_marks(event), now=NOW)
    notices = [Notice(1, "lock", None, {"contestant": "L02"}),
               Notice(2, "review_request", "J1", {"contestant": "L01", "note": "请复核"})]
    fresh, receipts, problems = store.save_pull(2, notices, [receipt_for(store, saved.hash)],
                                                "d" * 64)
    assert fresh == notices and len(receipts) == 1 and problems == []
    fresh, receipts, problems = store.save_pull(2, notices, [receipt_for(store, saved.hash)],
                                                "d" * 64)
    assert fresh == [] and receipts == [] and problems == []
    assert store.notices() == notices and store.cursor() == 2 and store.outbox_size() == 0
    assert store.master_event_digest() == "d" * 64


# --- drafts -----------------------------------------------------------------------------------


def test_drafts_are_separate_and_submitting_clears_them(store: TerminalStore, event: Event) -> None:
    store.save_draft("L01", {"appearance": "8.", "pitch": ""}, "half typed")
    store.save_draft("L02", {"appearance": "9"}, "")
    draft = store.draft("L01")
    assert draft is not None and draft.values == {"appearance": "8.", "pitch": ""}
    assert draft.comment == "half typed" and store.sheets() == []
    store.submit_sheet("L01", full_marks(event), now=NOW)
    assert store.draft("L01") is None and store.draft("L02") is not None
    store.discard_draft("L02")
    assert store.draft("L02") is None


# --- surviving kill -9 ------------------------------------------------------------------------

BURST = textwrap.dedent(
    """
    import datetime as dt, sys
    from decimal import Decimal as D
    from sync.store import TerminalStore
    home, count = sys.argv[1], int(sys.argv[2])
    store = TerminalStore.open(home)
    event = store.event()
    judge = event.judge(store.require_enrolment().judge)
    panel = [c.id for c in event.contestants if not event.is_recused(judge, c)][:-1]
    print("ready", flush=True)
    for i in range(count):
        contestant = panel[i % len(panel)]
        values = {c.id: c.max - c.step * (i % 3) for c in event.criteria}
        reason = "correction %d" % i if store.current_sheet(contestant) else None
        saved = store.submit_sheet(contestant, values, "burst", reason,
                                   now=dt.datetime.now(dt.UTC))
        print("saved", saved.seq, saved.hash, flush=True)
        if i == 0:
            store.save_draft("L18", {"appearance": "7.5"}, "draft before the crash")
            print("draft", flush=True)
    print("done", flush=True)
    """
)


def _run_and_kill(home: Path, count: int, kill_after: int) -> list[tuple[int, str]]:
    """Run the burst, kill -9 it right after it reported `kill_after` sheets saved."""
    proc = subprocess.Popen(
        [sys.executable, "-c", BURST, str(home), str(count)],
        stdout=subprocess.PIPE, text=True, cwd=REPO,
    )
    assert proc.stdout is not None
    saved: list[tuple[int, str]] = []
    try:
        for line in proc.stdout:
            parts = line.split()
            if parts[0] == "saved":
                saved.append((int(parts[1]), parts[2]))
                if len(saved) >= kill_after:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
        # a line may already be in the pipe when the kill lands: it was reported, so count it
        rest = proc.stdout.read()
        saved.extend((int(p[1]), p[2]) for p in (ln.split() for ln in rest.splitlines())
                     if p and p[0] == "saved")
    finally:
        proc.kill()
        proc.wait()
    return saved


def test_every_sheet_reported_saved_survives_kill_9(tmp_path: Path, event: Event) -> None:
    home = tmp_path / "home"
    with TerminalStore.open(home) as s:
        enrol_store(s, event)
    rng = random.Random(20250517)
    reported: list[tuple[int, str]] = []
    for _run in range(5):
        reported += _run_and_kill(home, 1000, rng.randint(2, 900))
    assert len(reported) >= 4

    with TerminalStore.open(home) as s:
        assert s.integrity_check() == "ok"
        records = s.sheets()
        by_hash = {r.hash: r for r in records}
        outbox = {r.hash for r in s.outbox(limit=100_000)}
        for seq, record_hash in reported:
            assert record_hash in by_hash and by_hash[record_hash].seq == seq
            assert record_hash in outbox
        # the device chain is unbroken across the crashes and every signature verifies
        assert [r.seq for r in records] == list(range(1, len(records) + 1))
        previous = None
        for r in records:
            assert r.prev == previous and verify(s.device_public_key, r.signature, r.body)
            sheet = sheet_from_body(r.record.parsed())
            assert (sheet.revision == 1) == (sheet.supersedes is None)
            previous = r.hash
        draft = s.draft("L18")  # L18 is never submitted in the burst
        assert draft is not None and draft.comment == "draft before the crash"


def test_a_burst_that_finishes_reports_every_sheet(tmp_path: Path, event: Event) -> None:
    home = tmp_path / "home"
    with TerminalStore.open(home) as s:
        enrol_store(s, event)
    reported = _run_and_kill(home, 60, 10_000)
    assert [seq for seq, _ in reported] == list(range(1, 61))
    with TerminalStore.open(home) as s:
        assert s.outbox_size() == 60
        # 60 sheets over 17 contestants: revisions 1..4 chained by supersedes
        chains: dict[str, list[str]] = {}
        for r in s.sheets():
            assert r.supersedes == (chains[r.contestant][-1] if r.contestant in chains else None)
            chains.setdefault(r.contestant, []).append(r.hash)
            assert r.revision == len(chains[r.contestant])


def test_store_file_is_plain_sqlite_readable_by_other_tools(store: TerminalStore,
                                                            event: Event) -> None:
    saved = store.submit_sheet("L01", full_marks(event), now=NOW)
    db = sqlite3.connect(store.home / "terminal.db")
    try:
        assert db.execute("SELECT seq FROM records WHERE hash = ?", (saved.hash,)).fetchone() \
            == (1,)
    finally:
        db.close()


@pytest.mark.parametrize("content", [b"garbage\n", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_damaged_store_is_said_not_a_traceback(tmp_path: Path, content: bytes) -> None:
    """A `terminal.db` that is not a database (a disk fault, a bad copy): opening it is a
    StoreError in both languages that leaves the file as it was, and `judge-terminal` says so
    in two lines, exit 2."""
    from click.testing import CliRunner

    from judge_terminal.cli import main

    (tmp_path / "terminal.db").write_bytes(content)
    with pytest.raises(StoreError) as refused:
        TerminalStore.open(tmp_path)
    assert refused.value.reason.render("zh").startswith(f"{tmp_path / 'terminal.db'} 已损坏")
    assert (tmp_path / "terminal.db").read_bytes() == content
    result = CliRunner().invoke(main, ["--home", str(tmp_path), "status"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    zh, en = result.stderr.splitlines()
    assert zh.startswith("错误：") and zh.endswith("请告诉总裁判长，并保留这个文件")
    assert en == f"error: {tmp_path / 'terminal.db'} is damaged and cannot be read " \
                 "(file is not a database); tell the head judge and keep the file"
