"""The standby master (issue 26): enrolled with the standby seat's one-time code over real
TLS, it mirrors the master's ledger entry for entry (the same rows, the same projections),
every entry checked before it is stored; the master signs a succession record naming the
standby's keys and sends it to every terminal."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from head_judge.console.state import standby_lag
from head_judge.enrolment import STANDBY, STANDBY_SEAT
from head_judge.master import Master, MasterError, StandbyStatus
from head_judge.standby import StandbyLink, enrol_standby, mirror_forever, open_mirror
from head_judge.succession import MirrorError, mirror_entries
from sync.client import SyncClient, SyncError
from sync.event import Event
from sync.identity import ensure_master_identity, public_key_bytes
from sync.records import SignedRecord
from sync.store import TerminalStore
from sync.succession import SUCCESSION_KIND, read_succession
from tests.masters import Running, now


def rows(source: Master | sqlite3.Connection) -> list[tuple[object, ...]]:
    conn = source.ledger.conn if isinstance(source, Master) else source
    return conn.execute("SELECT seq, kind, actor, at, payload, prev, hash FROM ledger "
                        "ORDER BY seq").fetchall()


async def judge_scores(running: Running, folder: Path, judge: str, contestants: int) -> None:
    store = TerminalStore.open(folder / judge)
    client = SyncClient(store, device_name=f"laptop {judge}")
    try:
        await client.enrol(running.code(judge), "127.0.0.1", running.port)
        for contestant in running.event.contestants[:contestants]:
            values = {c.id: c.max for c in running.event.criteria}
            store.submit_sheet(contestant.id, values, now=now())
        await client.drain()
        await client.pull_once()
    finally:
        await client.close()
        store.close()


async def mirror_until_caught_up(home: Path, link: StandbyLink, size: int) -> list[object]:
    statuses: list[object] = []
    stop = asyncio.Event()

    def report(status: object) -> None:
        statuses.append(status)
        if getattr(status, "behind", 1) == 0 and getattr(status, "mirrored", 0) >= size:
            stop.set()

    await asyncio.wait_for(mirror_forever(home, link, report, clock=now, stop=stop,
                                          interval=0.05), 30)
    return statuses


async def test_the_standby_mirrors_the_ledger_and_is_named_as_successor(
        running: Running, tmp_path: Path) -> None:
    await judge_scores(running, tmp_path, "J1", 3)
    running.master.checkpoint("before the standby", now=now())
    issued = running.master.issue_standby_code(now=now())
    assert issued.judge.id == STANDBY and issued.code.seat == STANDBY_SEAT
    home = tmp_path / "standby"
    link = await enrol_standby(home, issued.code.encode(), "127.0.0.1", running.port, 8766)
    assert link.master_key == running.master.master_key
    assert link.pin == running.master.identity.fingerprint
    assert StandbyLink.load(home) == link

    await mirror_until_caught_up(home, link, len(running.master.ledger))
    # the first mirror request made the master sign the succession record
    (entry,) = [e for e in running.master.ledger.entries() if e.kind == SUCCESSION_KIND]
    standby_identity = ensure_master_identity(home)
    succession = read_succession(SignedRecord.from_wire(entry.payload["record"]),
                                 running.master.master_key)
    assert succession.key == public_key_bytes(standby_identity.signing_key)
    assert succession.fingerprint == standby_identity.fingerprint
    assert succession.port == 8766 and "127.0.0.1" in succession.addresses

    await judge_scores(running, tmp_path, "J2", 2)  # more after the standby caught up
    await mirror_until_caught_up(home, link, len(running.master.ledger))
    mirror = open_mirror(home)
    try:
        assert rows(mirror.conn) == rows(running.master)
        assert mirror.verify_chain() == []
        for table in ("sheets", "devices", "notices", "checkpoints"):
            assert mirror.conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() == \
                running.master.ledger.conn.execute(f"SELECT * FROM {table} ORDER BY 1"
                                                   ).fetchall(), table
    finally:
        mirror.close()

    # a terminal enrolled from now on knows the successor before its first pull
    late = TerminalStore.open(tmp_path / "late")
    late_client = SyncClient(late)
    try:
        await late_client.enrol(running.code("J4"), "127.0.0.1", running.port)
        assert late.notices() == [] and late.successor() == succession
    finally:
        await late_client.close()
        late.close()

    # every terminal gets the succession record as a notice
    store = TerminalStore.open(tmp_path / "J1")
    client = SyncClient(store)
    try:
        await client.pull_once()
        (notice,) = [n for n in store.notices() if n.kind == SUCCESSION_KIND]
        assert read_succession(SignedRecord.from_wire(notice.payload["succession"]),
                               store.require_enrolment().master_key) == succession
    finally:
        await client.close()
        store.close()


async def test_a_new_address_is_a_new_succession_record_and_the_same_one_is_not(
        running: Running, tmp_path: Path) -> None:
    issued = running.master.issue_standby_code(now=now())
    home = tmp_path / "standby"
    link = await enrol_standby(home, issued.code.encode(), "127.0.0.1", running.port, 8766)
    await mirror_until_caught_up(home, link, len(running.master.ledger))
    await mirror_until_caught_up(home, link, len(running.master.ledger))
    moved = StandbyLink(**{**link.__dict__, "serve_port": 9000})
    await mirror_until_caught_up(home, moved, len(running.master.ledger) + 1)
    ports = [read_succession(SignedRecord.from_wire(e.payload["record"]),
                             running.master.master_key).port
             for e in running.master.ledger.entries() if e.kind == SUCCESSION_KIND]
    assert ports == [8766, 9000]


async def test_only_the_standby_seat_mirrors_and_a_judge_code_is_refused_before_sending(
        running: Running, tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="a judge's"):
        await enrol_standby(tmp_path / "s", running.code("J1"), "127.0.0.1", running.port, 1)
    assert not (tmp_path / "s").exists()
    assert running.master.seat("J1").used_device is None  # the judge's seat is untouched
    # a judge's enrolled terminal cannot mirror
    await judge_scores(running, tmp_path, "J3", 1)
    store = TerminalStore.open(tmp_path / "J3")
    enrolment = store.require_enrolment()
    link = StandbyLink("127.0.0.1", running.port, enrolment.pin, enrolment.master_key,
                       enrolment.device, 8766)
    statuses: list[object] = []
    stop = asyncio.Event()

    def report(status: object) -> None:
        statuses.append(status)
        stop.set()

    home = tmp_path / "impostor"
    home.mkdir()
    (home / "identity").mkdir()
    store.close()
    await asyncio.wait_for(mirror_forever(home, link, report, clock=now, stop=stop), 10)
    error = getattr(statuses[0], "error", None)
    assert error is not None and "signature does not match" in error, error
    assert not [e for e in running.master.ledger.entries() if e.kind == SUCCESSION_KIND]


def test_an_entry_that_is_not_the_masters_is_refused_with_its_whole_batch(
        tmp_path: Path, event: Event) -> None:
    master = Master.open(tmp_path / "master", event, now=now())
    master.checkpoint("one", now=now())
    wires = [{"seq": r[0], "kind": r[1], "actor": r[2], "at": r[3], "payload": r[4],
              "prev": r[5], "hash": r[6]} for r in rows(master)]
    key = master.master_key
    master.close()
    for tamper in ("payload", "at", "hash", "seq", "checkpoint"):
        copy = [dict(w) for w in wires]
        if tamper == "payload":
            copy[0]["payload"] = copy[0]["payload"].replace('"schema"', '"schemb"')
        elif tamper == "at":
            copy[-1]["at"] = "2000-01-01T00:00:00Z"
        elif tamper == "hash":
            copy[0]["hash"] = "0" * 64
        elif tamper == "seq":
            copy = copy[1:]
        mirror = open_mirror(tmp_path / tamper)
        try:
            with pytest.raises(MirrorError):
                mirror_entries(mirror, copy, key if tamper != "checkpoint" else bytes(32))
            assert mirror.next_seq() == 1  # nothing of the batch stored
        finally:
            mirror.close()
    mirror = open_mirror(tmp_path / "good")
    try:
        assert mirror_entries(mirror, wires, key).last_seq == len(wires)
    finally:
        mirror.close()


def test_the_standby_seat_needs_a_free_seat_number(tmp_path: Path, event: Event) -> None:
    from dataclasses import replace

    from sync.event import Judge, Text

    full = replace(event, judges=tuple(Judge(f"J{i}", Text(f"评委{i}", f"Judge {i}"))
                                       for i in range(1, 100)))
    master = Master.open(tmp_path / "m", full, now=now())
    try:
        with pytest.raises(MasterError, match="none is left for the standby"):
            master.issue_standby_code(now=now())
    finally:
        master.close()



# --- `head-judge standby` on the command line -------------------------------------------------


def _head_judge(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from head_judge.cli import main; main()", "--home", str(home),
            *args]


def test_the_standby_command_enrols_mirrors_and_refuses_bad_input(
        tmp_path: Path, fixtures_dir: Path) -> None:
    event_file = str(fixtures_dir / "livestream-final" / "event.toml")
    master_home, spare = tmp_path / "master", tmp_path / "spare"
    issued = subprocess.run(_head_judge(master_home, "enrol-codes", "--event", event_file,
                                        "--standby"), capture_output=True, text=True)
    line = issued.stdout.splitlines()[-1].split("\t")
    assert issued.returncode == 0 and line[:3] == ["standby", "99",
                                                    "备用主控机 standby master"]
    code = line[3]
    serving = subprocess.Popen(_head_judge(master_home, "serve", event_file, "--headless",
                                           "--no-mdns", "--host", "127.0.0.1", "--port", "0"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    standby: subprocess.Popen[str] | None = None
    try:
        assert serving.stdout is not None
        port = next(int(re.search(r":(\d+)$", x.strip()).group(1))  # type: ignore[union-attr]
                    for x in serving.stdout if "listening on" in x)
        judge_code = subprocess.run(
            _head_judge(master_home, "enrol-codes", "--judge", "J1"), capture_output=True,
            text=True).stdout.splitlines()[-1].split("\t")[3]
        for bad, said in ((["standby"], "第一次运行需要备用机绑定码"),
                          (["standby", "--master", "nowhere", code], "应为 主机:端口"),
                          (["standby", "--master", f"127.0.0.1:{port}", "99-0000-00000"],
                           "绑定码有误"),
                          (["standby", "--master", f"127.0.0.1:{port}", judge_code],
                           "这是评委席位 1 的绑定码")):
            refused = subprocess.run(_head_judge(spare, *bad), capture_output=True, text=True)
            lines = refused.stderr.splitlines()
            assert refused.returncode == 2 and not spare.exists(), refused.stderr
            assert len(lines) == 2 and said in lines[0] and lines[1].startswith("error: ")
        standby = subprocess.Popen(_head_judge(spare, "standby", "--master",
                                               f"127.0.0.1:{port}", code),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert standby.stdout is not None
        shown = [standby.stdout.readline() for _ in range(3)]
        assert "已登记为" in shown[0] and "enrolled as the standby" in shown[1]
        assert "备用机已同步" in shown[2] and "standby in sync" in shown[2], shown
    finally:
        for process in (standby, serving):
            if process is not None:
                process.send_signal(signal.SIGINT)
                process.communicate(timeout=20)
    master = Master.open(master_home, now=now())
    mirror = open_mirror(spare)
    try:
        assert rows(mirror.conn) == rows(master)
    finally:
        mirror.close()
        master.close()
    again = subprocess.run(_head_judge(spare, "standby", "--master", f"127.0.0.1:{port}", code),
                           capture_output=True, text=True)
    assert again.returncode == 2 and "这里已是" in again.stderr


def test_the_console_says_how_far_behind_the_standby_is() -> None:
    start = dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)
    status = StandbyStatus("d", mirrored=40, size=40, last_seen=start.isoformat())
    assert standby_lag(None, 40, start) is None
    assert standby_lag(status, 40, start + dt.timedelta(seconds=1)) == ("standby_synced", {})
    assert standby_lag(status, 52, start + dt.timedelta(seconds=2)) == (
        "standby_behind", {"n": 12, "s": 2})
    assert standby_lag(status, 52, start + dt.timedelta(seconds=9)) == (
        "standby_silent", {"s": 9})
