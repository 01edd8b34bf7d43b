"""The master's core without a network: event loading, codes, enrolment, ingest rules, pull.

Real SQLite files in tmp_path, the livestream final from the shared fixtures, sheets signed
with real device keys. The helpers here (`Terminal`, `table_counts`, the fixtures) are also
used by the server tests.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from head_judge.ledger import Ledger
from head_judge.master import ENROL_FAILURE_LIMIT, Master, MasterError, Notice, Rejection
from head_judge.projections import MasterProjections
from sync.codes import EnrolmentCode
from sync.event import Event, Text
from sync.event_file import load_event
from sync.identity import IdentityError, generate_signing_key, public_key_bytes, verify
from sync.pake import TerminalExchange
from sync.records import Sheet, SignedRecord, device_id_of, receipt_from_record, sign_body
from sync.snapshot import event_snapshot, snapshot_digest
from tests.masters import enrol_in_process

NOW = dt.datetime(2025, 5, 17, 8, 30, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(minutes=5)


# --- helpers shared with the server tests -----------------------------------------------------

def fixture_event(fixtures_dir: Path) -> Event:
    return load_event(fixtures_dir / "livestream-final" / "event.toml")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def master(home: Path, event: Event) -> Iterator[Master]:
    opened = Master.open(home, event, now=NOW)
    yield opened
    opened.close()


def table_counts(db: Path) -> dict[str, int]:
    """Rows in every table of the master's database, read through a separate connection."""
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def dump_projections(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in MasterProjections.tables}


def rebuilt_projections(conn: sqlite3.Connection, copy: Path
                        ) -> dict[str, list[tuple[Any, ...]]]:
    """The projections of a copy of the master's file (at `copy`) rebuilt from its ledger
    alone: rebuilt in a copy, as the master's own would forget its panels."""
    with sqlite3.connect(copy) as target:
        conn.backup(target)
    rebuilt = Ledger(copy, MasterProjections())
    try:
        rebuilt.rebuild()
        return dump_projections(rebuilt.conn)
    finally:
        rebuilt.close()


def good_values(event: Event, bump: Decimal = Decimal(0)) -> dict[str, Decimal]:
    """Half marks on every criterion (a multiple of its step), plus `bump`."""
    return {c.id: (c.max / 2 // c.step) * c.step + bump for c in event.criteria}


class Terminal:
    """A simulated judge terminal: its own device key, sequence numbers and record chain."""

    def __init__(self, judge: str, event_id: str, key: Ed25519PrivateKey | None = None) -> None:
        self.judge = judge
        self.event_id = event_id
        self.key = key or generate_signing_key()
        self.device = device_id_of(public_key_bytes(self.key))
        self.seq = 0
        self.prev: str | None = None
        self.current: dict[str, tuple[int, str]] = {}  # contestant -> (revision, hash)

    def enrol(self, master: Master, code: EnrolmentCode, at: dt.datetime = NOW,
              name: str = "Dell 笔记本", fingerprint: bytes | None = None) -> dict[str, Any]:
        """Both halves of the SPAKE2 enrolment with `code`, as the terminal runs them; the
        master's confirmation is checked."""
        return enrol_in_process(master, code, self.key, at=at, name=name,
                                fingerprint=fingerprint)

    def sheet(self, contestant: str, values: Mapping[str, Decimal], *, revise: bool = False,
              reason: str | None = None, commit: bool = True, **changes: Any) -> SignedRecord:
        """The next signed sheet; `revise` makes it the next revision of the current one.
        `changes` override Sheet fields (for bad sheets); `commit=False` keeps seq and chain."""
        revision, supersedes = 1, None
        if revise:
            last_revision, supersedes = self.current[contestant]
            revision = last_revision + 1
            reason = reason or "typo"
        sheet = Sheet(event=self.event_id, judge=self.judge, device=self.device,
                      seq=self.seq + 1, prev=self.prev, contestant=contestant,
                      values=dict(values), comment="", revision=revision,
                      supersedes=supersedes, reason=reason, device_time="2025-05-17T16:30:00+08:00")
        sheet = dataclasses.replace(sheet, **changes)
        record = sign_body(self.key, sheet.body())
        if commit:
            self.seq, self.prev = sheet.seq, record.hash
            self.current[contestant] = (sheet.revision, record.hash)
        return record

    def push(self, *records: SignedRecord) -> dict[str, Any]:
        return {"device": self.device, "records": [r.to_wire() for r in records]}

    def pull(self, cursor: int = 0) -> dict[str, str]:
        return sign_body(self.key, {"v": 1, "kind": "pull", "device": self.device,
                                    "cursor": cursor, "device_time": "now"}).to_wire()

    def hello(self, nonce: str) -> dict[str, str]:
        return sign_body(self.key, {"v": 1, "kind": "hello", "device": self.device,
                                    "nonce": nonce}).to_wire()


def enrolled(master: Master, judge: str, now: dt.datetime = NOW) -> Terminal:
    [issued] = master.issue_codes([judge], now=now)
    terminal = Terminal(judge, master.event.id)
    answer = terminal.enrol(master, issued.code, now)
    assert answer["device"] == terminal.device
    return terminal


def statuses(answer: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    return [(r["status"], r["code"]) for r in answer["results"]]


def kinds(master: Master) -> list[str]:
    return [e.kind for e in master.ledger.entries()]


# --- the event --------------------------------------------------------------------------------

def test_first_open_records_the_event_and_reopening_adds_nothing(home: Path,
                                                                  event: Event) -> None:
    master = Master.open(home, event, now=NOW)
    [entry] = master.ledger.entries()
    assert (entry.kind, entry.actor, entry.at) == ("event_loaded", "head-judge",
                                                  "2025-05-17T08:30:00.000Z")
    assert entry.payload["digest"] == snapshot_digest(event) == master.event_digest
    assert entry.payload["event"] == event_snapshot(event)
    master.close()
    again = Master.open(home, event, now=LATER)
    assert len(again.ledger) == 1 and again.event == event
    again.close()
    recorded = Master.open(home, now=LATER)  # no event file: the recorded one
    assert recorded.event == event and recorded.event_digest == snapshot_digest(event)
    recorded.close()


def test_another_final_in_the_same_home_is_refused(home: Path, event: Event) -> None:
    Master.open(home, event, now=NOW).close()
    other = dataclasses.replace(event, id="another-final")
    with pytest.raises(MasterError, match="holds the final 'hrb-live-2020-final'"):
        Master.open(home, other, now=LATER)
    master = Master.open(home, now=LATER)
    assert master.event.id == event.id and len(master.ledger) == 1
    master.close()


def test_changed_event_is_recorded_with_a_notice(home: Path, event: Event) -> None:
    Master.open(home, event, now=NOW).close()
    changed = dataclasses.replace(event, venue=Text("新场馆", "New hall"))
    counts = table_counts(home / "master.db")
    with pytest.raises(MasterError, match="differs"):
        Master.open(home, changed, now=LATER, allow_event_change=False)
    assert table_counts(home / "master.db") == counts
    master = Master.open(home, changed, now=LATER)
    assert kinds(master) == ["event_loaded", "event_changed"]
    notices, cursor = master.notices_since("J1", 0)
    assert [n.kind for n in notices] == ["event_changed"] and cursor == notices[0].id
    assert notices[0].judge is None
    assert notices[0].payload == {"event_digest": snapshot_digest(changed),
                                  "event": event_snapshot(changed)}
    master.close()


def test_without_an_event_nothing_is_created(home: Path) -> None:
    with pytest.raises(MasterError, match="no event has been loaded"):
        Master.open(home, now=NOW)
    assert not home.exists()


def test_without_an_event_no_new_identity_is_made_beside_a_ledger(home: Path,
                                                                   event: Event) -> None:
    """A lost identity/ folder must not quietly become a new head judge (a new fingerprint
    on the next enrolment cards) when a command opens the master without the event."""
    Master.open(home, event, now=NOW).close()
    shutil.rmtree(home / "identity")
    with pytest.raises(IdentityError, match="no head judge master"):
        Master.open(home, now=NOW)
    assert not (home / "identity").exists()


# --- codes and enrolment ----------------------------------------------------------------------

def wrong_code(code: EnrolmentCode) -> EnrolmentCode:
    """The same seat with other digits: a code the master never issued."""
    return EnrolmentCode(code.seat, f"{(int(code.digits) + 1) % 10**8:08d}")


def failures(master: Master) -> list[tuple[str, str]]:
    return [(e.payload["seat"], e.payload["cause"]) for e in master.ledger.entries()
            if e.kind == "enrol_failed"]


def test_codes_name_the_seat_and_the_ledger_keeps_no_digit(master: Master) -> None:
    codes = master.issue_codes(now=NOW)
    assert [c.judge.id for c in codes] == ["J1", "J2", "J3", "J4", "J5"]
    for number, issued in enumerate(codes, start=1):
        assert issued.code.seat == number  # the judge's place on the panel
        assert EnrolmentCode.parse(issued.code.encode()) == issued.code
        assert len(issued.code_id) == 32 and int(issued.code_id, 16) >= 0
        assert master.codes.password(issued.code_id) == issued.code.password
    assert len({c.code_id for c in codes}) == 5
    dump = "\n".join(master.ledger.conn.iterdump())
    assert not any(c.code.password.decode() in dump for c in codes)
    [entry] = [e for e in master.ledger.entries() if e.kind == "codes_issued"]
    assert entry.payload == {"codes": [
        {"seat": c.judge.id, "number": c.code.seat, "code_id": c.code_id,
         "expires": "2025-05-17T20:30:00.000Z"} for c in codes]}
    seat = master.seat("J3")
    assert (seat.code_id, seat.code_expires) == (codes[2].code_id, "2025-05-17T20:30:00.000Z")


def test_unknown_judges_get_no_codes_and_nothing_is_written(master: Master) -> None:
    counts = table_counts(master.ledger.path)
    with pytest.raises(MasterError, match="unknown judge"):
        master.issue_codes(["J1", "J9"], now=NOW)
    with pytest.raises(MasterError, match="ttl"):
        master.issue_codes(now=NOW, ttl=dt.timedelta(0))
    assert table_counts(master.ledger.path) == counts


def test_enrolment_answers_with_the_event_and_the_master_key(master: Master,
                                                             event: Event) -> None:
    [issued] = master.issue_codes(["J1"], now=NOW)
    terminal = Terminal("J1", event.id)
    answer = terminal.enrol(master, issued.code, LATER)  # the master's confirmation checks
    assert len(base64.b64decode(answer.pop("confirm"))) == 32
    assert answer == {
        "device": terminal.device, "judge": "J1", "event": event_snapshot(event),
        "event_digest": snapshot_digest(event),
        "master_key": base64.b64encode(master.master_key).decode(),
        "server_time": "2025-05-17T08:35:00.000Z"}
    assert kinds(master)[-1] == "device_enrolled"
    assert list(master.ledger.entries())[-1].payload["code"] == issued.code_id
    device = master.device(terminal.device)
    assert device is not None and device.judge == "J1" and not device.revoked
    assert device.name == "Dell 笔记本"
    seat = master.seat("J1")
    assert (seat.code_id, seat.used_code, seat.used_device) == (
        None, issued.code_id, terminal.device)


def test_a_lost_enrolment_answer_can_be_fetched_again(master: Master) -> None:
    [issued] = master.issue_codes(["J1"], now=NOW)
    terminal = Terminal("J1", master.event.id)
    first = terminal.enrol(master, issued.code, NOW)
    entries = len(master.ledger)
    again = terminal.enrol(master, issued.code, LATER)  # a second full exchange
    assert {k: v for k, v in again.items() if k not in ("confirm", "server_time")} == {
        k: v for k, v in first.items() if k not in ("confirm", "server_time")}
    assert len(master.ledger) == entries and master.seat("J1").failures == 0
    other = Terminal("J1", master.event.id)  # the same code from another laptop: used
    with pytest.raises(Rejection) as refused:
        other.enrol(master, issued.code, LATER)
    assert (refused.value.code, refused.value.reason, refused.value.http_status) == (
        "bad_code", "this code was already used; ask the head judge for a new one", 403)
    assert failures(master) == [("J1", "used")] and master.seat("J1").failures == 1
    assert master.device(other.device) is None


def _start(code: EnrolmentCode, **changes: Any) -> dict[str, Any]:
    exchange = TerminalExchange(code.seat, code.password)
    return {"protocol": 1, "seat": code.seat,
            "pake": base64.b64encode(exchange.a).decode(), **changes}


def _finish(master: Master, code: EnrolmentCode, **changes: Any) -> dict[str, Any]:
    """A started exchange's finish, right but for `changes`."""
    exchange = TerminalExchange(code.seat, code.password)
    started = master.enrol_start({"protocol": 1, "seat": code.seat,
                                  "pake": base64.b64encode(exchange.a).decode()}, NOW)
    key = public_key_bytes(generate_signing_key())
    confirm = exchange.confirm(base64.b64decode(started["pake"]), master.identity.fingerprint,
                               key, "laptop")
    return {"protocol": 1, "session": started["session"],
            "device_key": base64.b64encode(key).decode(), "device_name": "laptop",
            "confirm": base64.b64encode(confirm).decode(), **changes}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(("changes", "error"), [
    ({"protocol": 2}, "bad_request"),
    ({"protocol": True}, "bad_request"),
    ({"seat": "1"}, "bad_request"),
    ({"seat": "J1"}, "bad_request"),
    ({"seat": True}, "bad_request"),
    ({"seat": 0}, "bad_request"),
    ({"seat": 100}, "bad_request"),
    ({"pake": "not base64!"}, "bad_request"),
    ({"pake": _b64(b"A" * 32)}, "bad_request"),
    ({"pake": _b64(b"B" + b"\x01" * 32)}, "bad_request"),  # not the terminal's side
    ({"pake": _b64(b"A" + b"\xff" * 32)}, "bad_request"),  # not a curve point
    ({"extra": 1}, "bad_request"),
    ({"seat": 9}, "unknown_seat"),
])
def test_malformed_enrolment_starts_write_nothing(master: Master, changes: dict[str, Any],
                                                  error: str) -> None:
    [issued] = master.issue_codes(["J1"], now=NOW)
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:
        master.enrol_start(_start(issued.code, **changes), NOW)
    assert refused.value.code == error
    assert refused.value.http_status == (404 if error == "unknown_seat" else 400)
    assert table_counts(master.ledger.path) == counts


@pytest.mark.parametrize("changes", [
    {"protocol": 2},
    {"session": "0" * 31},
    {"session": "A" * 32},
    {"session": 7},
    {"device_key": "not base64!"},
    {"device_key": _b64(b"x" * 31)},
    {"device_name": "x" * 65},
    {"device_name": "bell\x07"},
    {"confirm": _b64(b"x" * 31)},
    {"confirm": "****"},
    {"extra": 1},
])
def test_malformed_enrolment_finishes_write_nothing(master: Master,
                                                    changes: dict[str, Any]) -> None:
    [issued] = master.issue_codes(["J1"], now=NOW)
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:
        master.enrol_finish(_finish(master, issued.code, **changes), NOW)
    assert (refused.value.code, refused.value.http_status) == ("bad_request", 400)
    assert table_counts(master.ledger.path) == counts and master.seat("J1").failures == 0


def test_missing_fields_and_non_objects_are_bad_requests(master: Master) -> None:
    requests: list[object] = [[], "enrol", None, {"protocol": 1}]
    for request in requests:
        for call in (master.enrol_start, master.enrol_finish):
            with pytest.raises(Rejection, match="bad_request"):
                call(request, NOW)


def test_a_wrong_code_is_a_counted_failure_and_an_expired_one_is_refused(
        master: Master) -> None:
    [issued] = master.issue_codes(["J1"], now=NOW, ttl=dt.timedelta(minutes=1))
    terminal = Terminal("J1", master.event.id)
    with pytest.raises(Rejection) as refused:
        terminal.enrol(master, wrong_code(issued.code), NOW)
    assert (refused.value.code, refused.value.http_status) == ("bad_code", 403)
    assert failures(master) == [("J1", "wrong")] and master.seat("J1").failures == 1
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:  # refused at the start: no guess was made
        terminal.enrol(master, issued.code, LATER)
    assert (refused.value.code, refused.value.http_status) == ("bad_code", 403)
    assert "expired" in refused.value.reason
    assert table_counts(master.ledger.path) == counts and master.device(terminal.device) is None


def test_a_reissued_code_replaces_the_outstanding_one(master: Master) -> None:
    [old] = master.issue_codes(["J1"], now=NOW)
    [new] = master.issue_codes(["J1"], now=NOW)
    assert master.seat("J1").code_id == new.code_id != old.code_id
    with pytest.raises(Rejection, match="bad_code"):  # the start ran with the new password
        Terminal("J1", master.event.id).enrol(master, old.code, NOW)
    assert failures(master) == [("J1", "wrong")]
    assert Terminal("J1", master.event.id).enrol(master, new.code, NOW)["judge"] == "J1"


def test_ten_failures_lock_the_seat_across_a_restart_until_reopened(home: Path,
                                                                    event: Event) -> None:
    master = Master.open(home, event, now=NOW)
    [issued] = master.issue_codes(["J2"], now=NOW)
    code, wrong = issued.code, wrong_code(issued.code)
    terminal = Terminal("J2", event.id)
    for attempt in range(1, 6):
        with pytest.raises(Rejection, match="bad_code"):
            terminal.enrol(master, wrong, NOW)
        assert master.seat("J2").failures == attempt
    master.close()

    master = Master.open(home, event, now=LATER)  # the count survives a restart
    assert master.seat("J2").failures == 5
    for _ in range(4):
        with pytest.raises(Rejection, match="bad_code"):
            terminal.enrol(master, wrong, NOW)
    with pytest.raises(Rejection) as tenth:
        terminal.enrol(master, wrong, NOW)
    assert tenth.value.code == "seat_locked" and master.seat("J2").locked
    assert kinds(master)[-2:] == ["enrol_failed", "seat_locked"]
    counts = table_counts(home / "master.db")
    with pytest.raises(Rejection, match="seat_locked"):  # even the right code
        terminal.enrol(master, code, NOW)
    assert table_counts(home / "master.db") == counts  # a locked seat records nothing more
    master.close()

    master = Master.open(home, event, now=LATER)
    assert master.seat("J2").locked and master.seat("J2").failures == ENROL_FAILURE_LIMIT
    with pytest.raises(MasterError, match="why"):
        master.reopen_seat("J2", "  ", now=LATER)
    assert master.reopen_seat("J2", "judge mistyped the code", now=LATER)
    assert not master.seat("J2").locked and master.seat("J2").failures == 0
    assert not master.reopen_seat("J2", "again", now=LATER)  # nothing to reopen
    assert terminal.enrol(master, code, LATER)["judge"] == "J2"
    master.close()


def test_re_enrolment_revokes_the_older_device_but_keeps_its_sheets(master: Master,
                                                                    event: Event) -> None:
    old = enrolled(master, "J1")
    accepted = master.push(old.push(old.sheet("L01", good_values(event))), NOW)
    assert statuses(accepted) == [("accepted", None)]
    new = enrolled(master, "J1", LATER)
    assert kinds(master)[-2:] == ["device_enrolled", "device_revoked"]
    revoked = master.device(old.device)
    assert revoked is not None and revoked.revoked
    sheet = master.ledger.conn.execute(
        "SELECT hash, device FROM sheets WHERE judge = 'J1' AND contestant = 'L01'").fetchone()
    assert sheet == (old.current["L01"][1], old.device)  # still the judge's sheet

    counts = table_counts(master.ledger.path)
    calls: list[Callable[[], object]] = [
        lambda: master.push(old.push(old.sheet("L02", good_values(event))), LATER),
        lambda: master.pull(old.pull(), LATER)]
    for call in calls:
        with pytest.raises(Rejection) as refused:
            call()
        assert (refused.value.code, refused.value.http_status) == ("revoked_device", 403)
    assert table_counts(master.ledger.path) == counts
    # The new laptop continues the judge's sheets: a correction supersedes the old device's.
    new.current["L01"] = old.current["L01"]
    fixed = new.sheet("L01", good_values(event, Decimal(1)), revise=True)
    assert statuses(master.push(new.push(fixed), LATER)) == [("accepted", None)]


def test_a_device_key_is_enrolled_once(master: Master) -> None:
    terminal = enrolled(master, "J1")
    [issued] = master.issue_codes(["J2"], now=NOW)
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection, match="already enrolled"):
        terminal.enrol(master, issued.code, NOW)
    assert master.seat("J2").failures == 0 and table_counts(master.ledger.path) == counts


# --- push -------------------------------------------------------------------------------------

def test_accepted_sheets_get_receipts_signed_by_the_master(master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    records = [terminal.sheet(c, good_values(event)) for c in ("L01", "L02", "L03")]
    answer = master.push(terminal.push(*records), LATER)
    assert statuses(answer) == [("accepted", None)] * 3
    assert answer["server_time"] == "2025-05-17T08:35:00.000Z"
    entries = {e.seq: e for e in master.ledger.entries()}
    for record, result in zip(records, answer["results"], strict=True):
        receipt = receipt_from_record(SignedRecord.from_wire(result["receipt"]),
                                      master.master_key)
        assert (receipt.record, receipt.device, receipt.event) == (
            record.hash, terminal.device, event.id)
        assert result["hash"] == record.hash and result["seq"] == receipt.seq
        entry = entries[receipt.ledger]
        assert entry.kind == "sheet_received" and entry.at == receipt.at
        assert entry.payload["body"].encode() == record.body
        # The ledger holds the judge's signature: anyone can check it with the device key.
        assert verify(public_key_bytes(terminal.key),
                      base64.b64decode(entry.payload["sig"]), entry.payload["body"].encode())
    assert master.ledger.verify_chain() == []


def test_a_replayed_push_is_a_duplicate_and_adds_no_entry(master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    push = terminal.push(terminal.sheet("L01", good_values(event)))
    first = master.push(push, NOW)
    counts = table_counts(master.ledger.path)
    again = master.push(push, LATER)
    assert statuses(again) == [("duplicate", None)]
    assert again["results"][0]["receipt"] == first["results"][0]["receipt"]
    assert table_counts(master.ledger.path) == counts
    assert kinds(master).count("sheet_received") == 1


def test_a_duplicate_is_answered_as_such_even_after_the_contestant_was_locked(
        master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    push = terminal.push(terminal.sheet("L01", good_values(event)))
    master.push(push, NOW)
    master.ledger.conn.execute(  # locks arrive with the next issue; fake one in the projection
        "INSERT INTO locks VALUES ('L01', 1, 'results published')")
    assert statuses(master.push(push, LATER)) == [("duplicate", None)]


def test_equivocation_is_rejected_and_raises_an_alarm(master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    master.push(terminal.push(terminal.sheet("L01", good_values(event))), NOW)
    held = terminal.current["L01"][1]
    terminal.seq -= 1  # a second, different sheet under the same number
    other = terminal.sheet("L02", good_values(event))
    counts = table_counts(master.ledger.path)
    answer = master.push(terminal.push(other), LATER)
    assert statuses(answer) == [("rejected", "equivocation")]
    after = table_counts(master.ledger.path)
    assert {k: after[k] - counts[k] for k in after if after[k] != counts[k]} == {
        "ledger": 1, "alarms": 1}
    alarm = list(master.ledger.entries())[-1]
    assert alarm.kind == "alarm" and alarm.actor == f"device:{terminal.device}"
    assert alarm.payload["alarm"] == "equivocation"
    assert (alarm.payload["held"], alarm.payload["offered"]) == (held, other.hash)
    assert alarm.payload["body"].encode() == other.body  # the evidence, signed by the device


def _bad_sheets(terminal: Terminal, event: Event) -> dict[str, list[SignedRecord]]:
    """For each per-record rejection code, signed records that must get it."""
    values = good_values(event)
    other_key = generate_signing_key()
    wrong_sig = terminal.sheet("L01", values, commit=False)
    forged = SignedRecord(wrong_sig.body, sign_body(other_key, {"x": 1}).signature)
    missing = dict(values)
    del missing["integrity"]
    return {
        "bad_signature": [forged],
        "malformed": [
            sign_body(terminal.key, {"v": 1, "kind": "sheet"}),
            sign_body(terminal.key, {**terminal.sheet("L01", values, commit=False).parsed(),
                                     "extra": 1}),
            sign_body(terminal.key, {**terminal.sheet("L01", values, commit=False).parsed(),
                                     "values": {"appearance": "8.50"}}),
            SignedRecord(b'{"a":1, "b":2}', terminal.key.sign(b'{"a":1, "b":2}')),
            SignedRecord(b"[1]", terminal.key.sign(b"[1]")),
        ],
        "wrong_device": [sign_body(terminal.key, terminal.sheet(
            "L01", values, commit=False).parsed() | {"device": "0123456789abcdef"})],
        "wrong_event": [terminal.sheet("L01", values, commit=False, event="another-final")],
        "not_your_seat": [terminal.sheet("L01", values, commit=False, judge="J3")],
        "unknown_contestant": [terminal.sheet("L99", values, commit=False)],
        "recused": [terminal.sheet("L07", values, commit=False)],  # L07 declared J2
        "out_of_rubric": [
            terminal.sheet("L01", {**values, "appearance": Decimal("10.5")}, commit=False),
            terminal.sheet("L01", {**values, "appearance": Decimal("7.25")}, commit=False),
            terminal.sheet("L01", missing, commit=False),
            terminal.sheet("L01", {**values, "charm": Decimal(1)}, commit=False),
        ],
        "bad_revision": [
            terminal.sheet("L02", values, commit=False, revision=2, supersedes="a" * 64,
                           reason="fix"),
        ],
    }


@pytest.mark.parametrize("code", ["malformed", "wrong_device", "wrong_event",
                                  "not_your_seat", "unknown_contestant", "recused",
                                  "out_of_rubric", "bad_revision"])
def test_each_rejection_writes_nothing(master: Master, event: Event, code: str) -> None:
    terminal = enrolled(master, "J2")
    records = _bad_sheets(terminal, event)[code]
    counts = table_counts(master.ledger.path)
    answer = master.push(terminal.push(*records), LATER)
    assert statuses(answer) == [("rejected", code)] * len(records)
    for result in answer["results"]:
        assert isinstance(result["reason"], str) and result["reason"]
        assert result["receipt"] is None
    assert table_counts(master.ledger.path) == counts


def test_a_push_none_of_whose_records_the_device_signed_is_refused_whole(
        master: Master, event: Event) -> None:
    """Like a push naming an unknown device (403): nothing shows it is the device's. Beside a
    record the device did sign, a forgery is a per-record `bad_signature`."""
    terminal = enrolled(master, "J2")
    [forged] = _bad_sheets(terminal, event)["bad_signature"]
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:
        master.push(terminal.push(forged, forged), LATER)
    assert (refused.value.code, refused.value.http_status) == ("bad_signature", 403)
    signed = terminal.sheet("L01", good_values(event), commit=False, event="another-final")
    answer = master.push(terminal.push(forged, signed), LATER)
    assert statuses(answer) == [("rejected", "bad_signature"), ("rejected", "wrong_event")]
    assert table_counts(master.ledger.path) == counts


def test_a_locked_contestant_takes_no_sheet(master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    master.ledger.conn.execute("INSERT INTO locks VALUES ('L03', 1, 'on stage now')")
    counts = table_counts(master.ledger.path)
    answer = master.push(terminal.push(terminal.sheet("L03", good_values(event))), NOW)
    assert statuses(answer) == [("rejected", "locked")]
    assert "on stage now" in answer["results"][0]["reason"]
    assert table_counts(master.ledger.path) == counts


def test_wire_shape_problems_are_malformed_records(master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    good = terminal.sheet("L01", good_values(event), commit=False).to_wire()
    shapes: list[object] = [
        None, 1, "x", [], {}, {"body": good["body"]}, {**good, "x": 1},
        {"body": 1, "sig": good["sig"]}, {"body": good["body"], "sig": "***"},
        {"body": good["body"], "sig": base64.b64encode(b"x" * 63).decode()},
        {"body": "x" * 20000, "sig": good["sig"]},
    ]
    counts = table_counts(master.ledger.path)
    answer = master.push({"device": terminal.device, "records": shapes}, NOW)
    assert statuses(answer) == [("rejected", "malformed")] * len(shapes)
    assert answer["results"][5]["hash"] is not None  # the body was there to hash
    assert table_counts(master.ledger.path) == counts


@pytest.mark.parametrize(("request_", "code", "status"), [
    ({"device": "0123456789abcdef", "records": [{}]}, "unknown_device", 403),
    ({"device": "bad id!", "records": [{}]}, "bad_request", 400),
    ({"device": "0123456789abcdef", "records": []}, "bad_request", 400),
    ({"device": "0123456789abcdef", "records": [{}] * 501}, "bad_request", 400),
    ({"device": "0123456789abcdef", "records": {}}, "bad_request", 400),
    ({"device": "0123456789abcdef", "records": [{}], "more": 1}, "bad_request", 400),
    ({"records": [{}]}, "bad_request", 400),
    ([], "bad_request", 400),
])
def test_whole_push_refusals(master: Master, request_: object, code: str, status: int) -> None:
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:
        master.push(request_, NOW)
    assert (refused.value.code, refused.value.http_status) == (code, status)
    assert table_counts(master.ledger.path) == counts


def test_revision_rules(master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    values = good_values(event)
    first = terminal.sheet("L01", values)
    assert statuses(master.push(terminal.push(first), NOW)) == [("accepted", None)]
    again = terminal.sheet("L01", values, commit=False)  # a second revision 1
    skipped = terminal.sheet("L01", values, commit=False, revision=3, supersedes=first.hash,
                             reason="fix")
    stale = terminal.sheet("L01", values, commit=False, revision=2, supersedes="b" * 64,
                           reason="fix")
    answer = master.push(terminal.push(again, skipped, stale), NOW)
    assert statuses(answer) == [("rejected", "bad_revision")] * 3
    second = terminal.sheet("L01", good_values(event, Decimal("0.5")), revise=True)
    third = terminal.sheet("L01", values, revise=True, reason="judge changed their mind")
    # A correction may follow its original in the same batch.
    assert statuses(master.push(terminal.push(second, third), LATER)) == [("accepted", None)] * 2
    current = master.ledger.conn.execute(
        "SELECT revision, hash FROM sheets WHERE judge = 'J1' AND contestant = 'L01'").fetchone()
    assert current == (3, third.hash)
    assert master.ledger.conn.execute("SELECT count(*) FROM records").fetchone()[0] == 3


def test_a_mixed_batch_commits_what_is_good(master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    good = terminal.sheet("L01", good_values(event))
    bad = terminal.sheet("L02", {**good_values(event), "pitch": Decimal(21)})
    also_good = terminal.sheet("L03", good_values(event))
    answer = master.push(terminal.push(good, bad, also_good), NOW)
    assert statuses(answer) == [("accepted", None), ("rejected", "out_of_rubric"),
                                ("accepted", None)]
    assert "pitch" in answer["results"][1]["reason"]


# --- pull, notices, the live hello ------------------------------------------------------------

def test_pull_brings_every_receipt_and_the_notices(home: Path, event: Event) -> None:
    master = Master.open(home, event, now=NOW)
    terminal = enrolled(master, "J1")
    pushed = master.push(terminal.push(*[terminal.sheet(c, good_values(event))
                                         for c in ("L01", "L02")]), NOW)
    answer = master.pull(terminal.pull(), LATER)
    assert answer["receipts"] == [r["receipt"] for r in pushed["results"]]
    assert answer["notices"] == [] and answer["cursor"] == 0
    assert answer["event_digest"] == master.event_digest
    master.close()

    changed = dataclasses.replace(event, venue=Text("新场馆", "New hall"))
    master = Master.open(home, changed, now=LATER)
    answer = master.pull(terminal.pull(), LATER)
    [notice] = answer["notices"]
    assert notice["kind"] == "event_changed" and notice["judge"] is None
    assert answer["cursor"] == notice["id"] and answer["event_digest"] == snapshot_digest(changed)
    assert master.pull(terminal.pull(answer["cursor"]), LATER)["notices"] == []
    master.close()


def test_pull_refusals(master: Master, event: Event) -> None:
    terminal = enrolled(master, "J1")
    stranger = Terminal("J1", event.id)
    forged = SignedRecord(terminal.pull().__getitem__("body").encode(),
                          stranger.key.sign(b"x")).to_wire()

    def pull_body(**fields: Any) -> dict[str, str]:
        body = {"v": 1, "kind": "pull", "device": terminal.device, "cursor": 0,
                "device_time": "now"} | fields
        return sign_body(terminal.key, {k: v for k, v in body.items() if v is not ...}
                         ).to_wire()

    cases: list[tuple[object, str]] = [
        (stranger.pull(), "unknown_device"),
        (forged, "bad_signature"),
        ({"body": "{}"}, "bad_request"),
        ("pull", "bad_request"),
        (pull_body(cursor=-1), "bad_request"),
        (pull_body(cursor="0"), "bad_request"),
        (pull_body(kind="hello"), "bad_request"),
        (pull_body(device_time=...), "bad_request"),
        (pull_body(extra=1), "bad_request"),
        (pull_body(device=7), "bad_request"),
    ]
    counts = table_counts(master.ledger.path)
    for request, code in cases:
        with pytest.raises(Rejection) as refused:
            master.pull(request, NOW)
        assert refused.value.code == code, request
    assert table_counts(master.ledger.path) == counts


def test_notices_are_announced_after_commit(home: Path, event: Event) -> None:
    master = Master.open(home, event, now=NOW)
    heard: list[tuple[Notice, int]] = []

    def listener(notice: Notice) -> None:  # the notice is already visible to other readers
        with sqlite3.connect(home / "master.db") as conn:
            heard.append((notice, conn.execute("SELECT count(*) FROM notices").fetchone()[0]))

    master.on_notice = listener
    master.load_event(dataclasses.replace(event, venue=Text("新场馆", "New hall")), now=LATER)
    [(notice, visible)] = heard
    assert notice.kind == "event_changed" and visible == 1
    master.close()


def test_the_live_hello_must_answer_the_challenge(master: Master) -> None:
    terminal = enrolled(master, "J3")
    assert master.authenticate_live(terminal.hello("ab" * 16), "ab" * 16, NOW).judge == "J3"
    assert master.online[terminal.device].last_seen == "2025-05-17T08:30:00.000Z"
    with pytest.raises(Rejection, match="bad_signature"):
        master.authenticate_live(terminal.hello("cd" * 16), "ab" * 16, NOW)
    with pytest.raises(Rejection, match="bad_request"):
        master.authenticate_live(terminal.pull(), "ab" * 16, NOW)


def test_hello_names_the_final(master: Master, event: Event) -> None:
    assert master.hello() == {"event": event.id, "protocol": 1,
                              "name": {"zh": event.name.zh, "en": event.name.en}}


# --- projections are the ledger replayed ------------------------------------------------------

def test_projections_equal_a_rebuild_from_the_ledger(home: Path, event: Event) -> None:
    master = Master.open(home, event, now=NOW)
    j1 = enrolled(master, "J1")
    j2 = enrolled(master, "J2")
    [j2_code] = [e for e in master.ledger.entries() if e.kind == "codes_issued"][-1:]
    [issued] = master.issue_codes(["J3"], now=NOW)
    stranger = Terminal("J3", event.id)
    for _ in range(ENROL_FAILURE_LIMIT):  # nine wrong tries, and the tenth locks the seat
        with pytest.raises(Rejection):
            stranger.enrol(master, wrong_code(issued.code), NOW)
    master.reopen_seat("J3", "typos", now=NOW)
    j3 = Terminal("J3", event.id)
    j3.enrol(master, issued.code, NOW)
    j3.enrol(master, issued.code, LATER)  # a lost answer fetched again: nothing recorded
    with pytest.raises(Rejection, match="bad_code"):
        stranger.enrol(master, issued.code, LATER)  # used
    [outstanding] = master.issue_codes(["J4"], now=NOW, ttl=dt.timedelta(minutes=1))
    master.push(j1.push(*[j1.sheet(c, good_values(event)) for c in ("L01", "L02", "L03")]), NOW)
    master.push(j1.push(j1.sheet("L02", good_values(event, Decimal(1)), revise=True)), NOW)
    master.push(j2.push(j2.sheet("L01", good_values(event))), NOW)
    j2.seq -= 1
    master.push(j2.push(j2.sheet("L05", good_values(event))), NOW)  # equivocation
    enrolled(master, "J1", LATER)  # revokes j1
    master.issue_codes(["J4", "J5"], now=LATER)  # J4's new code replaces the outstanding one
    master.close()
    master = Master.open(home, dataclasses.replace(event, venue=Text("新", "New")), now=LATER)

    before = dump_projections(master.ledger.conn)
    assert all(before[t] for t in ("event_config", "seats", "devices", "records", "sheets",
                                   "notices", "alarms"))
    seats = {row[0]: row for row in before["seats"]}
    assert set(seats) == {"J1", "J2", "J3", "J4", "J5"}
    assert master.seat("J3").used_code == issued.code_id and master.seat("J3").failures == 1
    assert master.seat("J4").code_id not in (None, outstanding.code_id)
    assert master.seat("J2").used_code == j2_code.payload["codes"][0]["code_id"]
    assert len(before["devices"]) == 4  # j1 (revoked), its replacement, j2, j3
    master.ledger.rebuild()
    assert dump_projections(master.ledger.conn) == before
    assert master.ledger.verify_chain() == []
    assert set(kinds(master)) == {
        "event_loaded", "event_changed", "codes_issued", "enrol_failed", "seat_locked",
        "seat_reopened", "device_enrolled", "device_revoked", "sheet_received", "alarm"}
    master.close()
