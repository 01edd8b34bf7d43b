"""Rebuilding a lost master from the judges' terminal stores (`head_judge.recovery`): real
`TerminalStore` files synced in-process with a real `Master`, the master's folder deleted,
a new one rebuilt; what is recovered, refused and skipped, in which order, and the command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from head_judge.actions import HeadJudge
from head_judge.audit import audit
from head_judge.cli import main
from head_judge.master import DB_FILE, Master, Rejection
from head_judge.recovery import (
    Candidate,
    RecoveryError,
    StoreSource,
    plan_recovery,
    rebuild,
    replay_order,
)
from sync.event import Event
from sync.records import SignedRecord, sign_body
from sync.store import DB_FILE as STORE_DB
from sync.store import KEY_FILE, Notice, StoredRecord, TerminalStore
from tests.masters import enrol_in_process

from .test_master import NOW, good_values

LATER = NOW + dt.timedelta(hours=1)


class Laptop:
    """A judge's laptop: a real terminal store, enrolled with and synced to a master
    in-process (what `sync.client` does over TLS)."""

    def __init__(self, home: Path, master: Master, judge: str) -> None:
        self.home = home
        self.event = master.event
        self.store = TerminalStore.open(home, clock=lambda: NOW)
        self.enrol(master, judge)

    def enrol(self, master: Master, judge: str) -> None:
        [issued] = master.issue_codes([judge], now=NOW)
        answer = enrol_in_process(master, issued.code, self.store.device_key, at=NOW,
                                  name="laptop")
        self.store.save_enrolment(
            pin=master.identity.fingerprint, host="127.0.0.1", port=1,
            master_key=master.master_key, judge=judge, device=answer["device"],
            snapshot=answer["event"], event_digest=answer["event_digest"], now=NOW)

    def score(self, contestant: str, bump: str = "0", reason: str | None = None
              ) -> StoredRecord:
        return self.store.submit_sheet(contestant, good_values(self.event, Decimal(bump)),
                                       reason=reason, now=NOW)

    def sync(self, master: Master) -> list[dict[str, Any]]:
        batch = self.store.outbox()
        if not batch:
            return []
        answer = master.push({"device": self.store.device_id,
                              "records": [r.record.to_wire() for r in batch]}, NOW)
        receipts, rejections = [], []
        for result in answer["results"]:
            if result["status"] == "rejected":
                rejections.append((result["hash"], result["code"], result["reason"]))
            else:
                receipts.append(SignedRecord.from_wire(result["receipt"]))
        _stored, problems = self.store.record_push_outcome(receipts, rejections, now=NOW)
        assert problems == []
        return list(answer["results"])

    def pull(self, master: Master) -> None:
        answer = master.pull(sign_body(self.store.device_key, {
            "v": 1, "kind": "pull", "device": self.store.device_id,
            "cursor": self.store.cursor(), "device_time": "now"}).to_wire(), NOW)
        notices = [Notice(n["id"], n["kind"], n["judge"], n["payload"])
                   for n in answer["notices"]]
        receipts = [SignedRecord.from_wire(r) for r in answer["receipts"]]
        self.store.save_pull(answer["cursor"], notices, receipts, answer["event_digest"],
                             now=NOW)

    def current(self) -> dict[tuple[str, str], tuple[int, str]]:
        """(judge, contestant) -> (revision, hash) of every current sheet this laptop holds."""
        out: dict[tuple[str, str], tuple[int, str]] = {}
        for contestant in {r.contestant for r in self.store.sheets()}:
            sheet = self.store.current_sheet(contestant)
            assert sheet is not None
            out[(sheet.judge, contestant)] = (sheet.revision, sheet.hash)
        return out

    @property
    def db(self) -> Path:
        return self.home / STORE_DB


def held_sheets(home: Path) -> dict[tuple[str, str], tuple[int, str]]:
    with closing(sqlite3.connect(home / DB_FILE)) as conn:
        return {(j, c): (r, h) for j, c, r, h in conn.execute(
            "SELECT judge, contestant, revision, hash FROM sheets")}


def sheet_order(home: Path) -> list[str]:
    master = Master.open(home, now=LATER)
    try:
        return [e.payload["hash"] for e in master.ledger.entries()
                if e.kind == "sheet_received"]
    finally:
        master.close()


@dataclasses.dataclass
class Final:
    old_home: Path
    laptops: dict[str, Laptop]
    old_order: list[str]
    offline: list[str]
    """Sheets saved after the master was lost (never receipted)."""
    confirmation: str
    """J2's signed confirmation of a review request (which is lost with the master)."""

    def close(self) -> None:
        for laptop in self.laptops.values():
            laptop.store.close()


@pytest.fixture
def final(tmp_path: Path, event: Event) -> Iterator[Final]:
    """Three judges score part of a final; the master's disk is lost; they keep scoring."""
    old_home = tmp_path / "old"
    master = Master.open(old_home, event, now=NOW)
    laptops = {j: Laptop(tmp_path / j, master, j) for j in ("J1", "J2", "J3")}
    for i, contestant in enumerate(("L01", "L02", "L03", "L04")):
        for judge, laptop in laptops.items():
            laptop.score(contestant, bump=str(i % 3))
            if (judge, contestant) in {("J1", "L02"), ("J3", "L01")}:
                laptop.score(contestant, bump="1", reason="misheard the time")
            if i % 2:
                laptop.sync(master)
    for laptop in laptops.values():
        laptop.sync(master)
    review = HeadJudge(master, clock=lambda: NOW).request_review(
        "J2", "is this right?", contestant="L03")
    laptops["J2"].pull(master)
    confirmation = laptops["J2"].store.confirm_review(review, "it stands", now=NOW)
    laptops["J2"].sync(master)
    master.checkpoint("before the fire", now=NOW)
    old_order = [e.payload["hash"] for e in master.ledger.entries()
                 if e.kind == "sheet_received"]
    master.close()
    shutil.rmtree(old_home)  # the disk is gone
    offline = [laptops["J2"].score("L05").hash, laptops["J1"].score("L05", bump="2").hash,
               laptops["J2"].score("L05", bump="1", reason="recount").hash]
    made = Final(old_home, laptops, old_order, offline, confirmation.hash)
    yield made
    made.close()


def test_a_lost_master_is_rebuilt_with_every_sheet_the_laptops_hold(
        tmp_path: Path, event: Event, final: Final) -> None:
    home = tmp_path / "new"
    report = rebuild(home, event, [lap.db for lap in final.laptops.values()], now=LATER)
    assert report.refused == () and report.complete
    assert [(s.hash, s.why) for s in report.skipped] == [
        (final.confirmation, "a confirmation answering a review request, which was lost with "
                             "the old master")]
    union: dict[tuple[str, str], tuple[int, str]] = {}
    for laptop in final.laptops.values():
        union.update(laptop.current())
    assert held_sheets(home) == union
    every = {r.hash for lap in final.laptops.values() for r in lap.store.sheets()
             if not r.is_confirmation}
    assert {c.hash for c in report.recovered} == every
    assert sorted(d.judge for d in report.devices) == ["J1", "J2", "J3"]
    verdict = audit(home)
    assert verdict.ok, verdict.lines()
    # receipted sheets in the old master's order, then the ones it never saw
    order = sheet_order(home)
    assert order[:len(final.old_order)] == final.old_order
    assert set(order[len(final.old_order):]) == set(final.offline)
    assert order.index(final.offline[0]) < order.index(final.offline[2])
    # a new identity: the recovered devices are marked, the old key is nowhere
    master = Master.open(home, now=LATER)
    try:
        enrolments = [e for e in master.ledger.entries() if e.kind == "device_enrolled"]
        assert all("recovered" in e.payload for e in enrolments)
        laptop = final.laptops["J1"]
        assert master.master_key != laptop.store.require_enrolment().master_key
        assert master.identity.fingerprint != laptop.store.require_enrolment().pin
        assert report.fingerprint == master.identity.fingerprint_text
    finally:
        master.close()


def test_a_recovered_laptop_is_confirmed_with_a_fresh_code(tmp_path: Path, event: Event,
                                                           final: Final) -> None:
    """A laptop the rebuild knows enrols with a fresh code under its own key (a new master
    fingerprint): `device_confirmed`, no new device; a lost answer is fetched again."""
    home = tmp_path / "new"
    rebuild(home, event, [lap.db for lap in final.laptops.values()], now=LATER)
    master = Master.open(home, now=LATER)
    try:
        laptop = final.laptops["J1"]
        devices = master.ledger.conn.execute("SELECT count(*) FROM devices").fetchone()
        [issued] = master.issue_codes(["J1"], now=LATER)
        answer = enrol_in_process(master, issued.code, laptop.store.device_key, at=LATER)
        assert (answer["device"], answer["judge"]) == (laptop.store.device_id, "J1")
        entry = list(master.ledger.entries())[-1]
        assert (entry.kind, entry.payload) == ("device_confirmed", {
            "device": laptop.store.device_id, "judge": "J1", "code": issued.code_id})
        assert master.ledger.conn.execute("SELECT count(*) FROM devices").fetchone() == devices
        seat = master.seat("J1")
        assert (seat.code_id, seat.used_code, seat.used_device) == (
            None, issued.code_id, laptop.store.device_id)
        entries = len(master.ledger)
        again = enrol_in_process(master, issued.code, laptop.store.device_key, at=LATER)
        assert again["device"] == answer["device"] and len(master.ledger) == entries
        # Another laptop's recovered key with J1's code: J2's device, not J1's seat.
        with pytest.raises(Rejection, match="bad_code"):
            enrol_in_process(master, issued.code, final.laptops["J2"].store.device_key,
                             at=LATER)
    finally:
        master.close()


def test_the_rebuild_is_deterministic_and_does_not_touch_the_stores(
        tmp_path: Path, event: Event, final: Final) -> None:
    stores = [lap.db for lap in final.laptops.values()]
    before = [s.read_bytes() for s in stores]
    rebuild(tmp_path / "a", event, stores, now=LATER)
    rebuild(tmp_path / "b", event, list(reversed(stores)), now=LATER)
    assert sheet_order(tmp_path / "a") == sheet_order(tmp_path / "b")
    assert held_sheets(tmp_path / "a") == held_sheets(tmp_path / "b")
    assert [s.read_bytes() for s in stores] == before


def test_a_bad_signature_is_refused_and_so_is_its_correction(
        tmp_path: Path, event: Event, final: Final) -> None:
    j3 = final.laptops["J3"]
    [first, correction] = [r for r in j3.store.sheets() if r.contestant == "L01"]
    with closing(sqlite3.connect(j3.db)) as conn, conn:
        conn.execute("UPDATE records SET sig = ? WHERE hash = ?", (bytes(64), first.hash))
    report = rebuild(tmp_path / "new", event, [lap.db for lap in final.laptops.values()],
                     now=LATER)
    assert [(r.hash, r.code) for r in report.refused] == [
        (first.hash, "bad_signature"), (correction.hash, "bad_revision")]
    assert "does not verify with the key of device" in report.refused[0].reason
    assert report.refused[1].reason.startswith(f"it corrects sheet {first.hash[:12]}, which "
                                               "was refused")
    assert ("J3", "L01") not in held_sheets(tmp_path / "new")
    assert audit(tmp_path / "new").ok


def test_two_laptops_of_one_judge_with_different_sheets_are_equivocation(
        tmp_path: Path, event: Event) -> None:
    master = Master.open(tmp_path / "old", event, now=NOW)
    first = Laptop(tmp_path / "first", master, "J4")
    first.score("L01")
    first.sync(master)
    offline_a = first.score("L02", bump="1").hash  # never reaches the master
    spare = Laptop(tmp_path / "spare", master, "J4")  # J4 moves to a spare laptop
    spare.score("L02")
    spare.score("L03")
    receipted = spare.sync(master)[0]["hash"]
    offline_b = first.score("L06").hash
    offline_c = spare.score("L06", bump="2").hash
    master.close()
    stores = [first.db, spare.db]
    report = rebuild(tmp_path / "new", event, stores, now=LATER)
    refused = {r.hash: r for r in report.refused}
    # L02: the spare's sheet was receipted by the old master, the first laptop's never was
    assert refused[offline_a].code == "equivocation"
    assert f"the old master receipted the other one ({receipted[:12]})" in \
        refused[offline_a].reason
    # L06: neither was receipted: both go, and the judge must score it again
    assert refused[offline_b].code == refused[offline_c].code == "equivocation"
    assert "the judge must score it again" in refused[offline_b].reason
    assert set(refused) == {offline_a, offline_b, offline_c}
    assert set(held_sheets(tmp_path / "new")) == {("J4", "L01"), ("J4", "L02"), ("J4", "L03")}
    assert held_sheets(tmp_path / "new")[("J4", "L02")][1] == receipted
    first.store.close()
    spare.store.close()


def test_unknown_contestants_missing_keys_and_rejected_sheets(
        tmp_path: Path, event: Event, final: Final) -> None:
    j1, j2, j3 = final.laptops["J1"], final.laptops["J2"], final.laptops["J3"]
    rejected = j3.score("L06")
    j3.store.mark_rejected(rejected.hash, "locked", "the head judge locked L06", now=NOW)
    keyless = tmp_path / "keyless"
    keyless.mkdir()
    with closing(sqlite3.connect(j2.db)) as src, closing(sqlite3.connect(keyless / STORE_DB)) \
            as dst:
        src.backup(dst)
    smaller = dataclasses.replace(event, contestants=tuple(
        c for c in event.contestants if c.id != "L05"))
    report = rebuild(tmp_path / "new", smaller, [j1.db, keyless, j3.db], now=LATER)
    codes = {(r.sheet.judge if r.sheet else "?", r.sheet.contestant if r.sheet else "?", r.code)
             for r in report.refused}
    assert ("J1", "L05", "unknown_contestant") in codes
    assert {c for c in codes if c[0] == "J2"} == {
        ("J2", c, "unknown_device_key") for c in ("L01", "L02", "L03", "L04", "L05")}
    assert [(s.hash, s.why) for s in report.skipped] == [
        (final.confirmation, "a confirmation answering a review request, which was lost with "
                             "the old master"),
        (rejected.hash, "the old master rejected it (locked: the head judge locked L06)")]
    assert not report.complete
    assert audit(tmp_path / "new").ok


def test_plan_orders_by_old_position_and_keeps_each_device_in_sequence() -> None:
    def sheet(device: str, seq: int, position: int | None) -> Candidate:
        return Candidate(SignedRecord(f"{device}{seq}".encode(), bytes(64)), "J1",
                         f"L{device}{seq}", 1, None, device, seq, "s", position)

    a1, a2, a3 = sheet("a", 1, 5), sheet("a", 2, None), sheet("a", 3, 2)
    b1, b2 = sheet("b", 1, 3), sheet("b", 2, None)
    c1 = sheet("c", 1, None)
    # a2 has no receipt but a3, after it, sat at position 2: a1..a3 all come before b1
    assert replay_order([c1, b2, a3, b1, a2, a1]) == [a1, a2, a3, b1, b2, c1]
    assert plan_recovery([StoreSource("x", None, None, None, ())]) == ([], [], [])


def test_user_mistakes_write_nothing(tmp_path: Path, event: Event, final: Final) -> None:
    stores = [lap.db for lap in final.laptops.values()]
    with pytest.raises(RecoveryError, match="no judge terminal store there"):
        rebuild(tmp_path / "new", event, [*stores, tmp_path / "nowhere.db"], now=LATER)
    assert not (tmp_path / "new").exists()
    rebuild(tmp_path / "new", event, stores, now=LATER)
    with pytest.raises(RecoveryError, match="already holds a master"):
        rebuild(tmp_path / "new", event, stores, now=LATER)
    with pytest.raises(RecoveryError, match="at least one terminal store"):
        rebuild(tmp_path / "other", event, [], now=LATER)
    assert (final.laptops["J1"].home / KEY_FILE).exists()


def run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_rebuild_command(tmp_path: Path, fixtures_dir: Path, final: Final) -> None:
    event_file = str(fixtures_dir / "livestream-final" / "event.toml")
    args = [a for lap in final.laptops.values() for a in ("--from-terminal", str(lap.db))]
    code, out, err = run(tmp_path / "new", "rebuild", *args, "--event", event_file)
    assert code == 0, out + err
    lines = out.splitlines()  # each line in Chinese, then in English
    assert lines[:2] == [f"已从 3 个终端存储为 hrb-live-2020-final 在 {tmp_path / 'new'} "
                         "重建主控机：",
                         f"Rebuilt the master for hrb-live-2020-final in {tmp_path / 'new'} "
                         "from 3 terminal store(s):"]
    assert any(line.startswith("  J1/terminal.db：评委 J1，终端 ") for line in lines)
    assert any(line.startswith("  J1/terminal.db: judge J1, device ") for line in lines)
    assert any(line.startswith("Recovered 17 sheet(s) from 3 device(s) of 3 judge(s) "
                               "(J1, J2, J3)") for line in lines)
    assert any("NEW head judge: fingerprint" in line for line in lines)
    assert any("every terminal must enrol again" in line for line in lines)
    assert lines[-1].startswith("audit of the rebuilt master: OK: ")
    assert lines[-2].startswith("重建的主控机的审计：通过：")

    j2 = final.laptops["J2"]
    with closing(sqlite3.connect(j2.db)) as conn, conn:
        conn.execute("UPDATE records SET sig = ? WHERE seq = 1", (bytes(64),))
    code, out, _ = run(tmp_path / "again", "rebuild", *args, "--event", event_file)
    assert code == 1
    assert "REFUSED 1 sheet(s):" in out and "拒绝了 1 份评分表：" in out and "bad_signature" in out

    code, out, err = run(tmp_path / "again", "rebuild", *args, "--event", event_file)
    assert (code, out) == (2, "") and "already holds a master" in err
    code, out, err = run(tmp_path / "third", "rebuild", "--from-terminal",
                         str(tmp_path / "missing"), "--event", event_file)
    assert code == 2 and "no judge terminal store there" in err


def test_a_backup_copy_of_a_store_adds_nothing_and_refuses_nothing(
        tmp_path: Path, event: Event, final: Final) -> None:
    j1 = final.laptops["J1"]
    backup = tmp_path / "usb" / "J1-backup"
    backup.mkdir(parents=True)
    with closing(sqlite3.connect(j1.db)) as src, closing(sqlite3.connect(backup / STORE_DB)) \
            as dst:
        src.backup(dst)
    shutil.copyfile(j1.home / KEY_FILE, backup / KEY_FILE)
    stores = [backup, *(lap.db for lap in final.laptops.values())]
    report = rebuild(tmp_path / "new", event, stores, now=LATER)
    assert report.complete and len(report.devices) == 3
    assert len(report.recovered) == sum(1 for lap in final.laptops.values()
                                        for r in lap.store.sheets() if not r.is_confirmation)
    assert report.stores[0].label == "J1-backup/terminal.db"
