"""A dead head-judge laptop costs nothing (issue 26): a real `head-judge serve` process, a
real `head-judge standby` process mirroring it, and the roadshow final's five judges
(`SyncClient` run loops over TLS). The head judge imports the stage results, accepts flags,
locks and publishes the video track and prints its results sheet; the master is killed with
SIGKILL; `head-judge promote` on the standby's home; the standby process starts serving and
the judges carry on scoring the other tracks without enrolling again. On the promoted
master: the published results and every decision, `audit verify` OK across the succession,
and the sheet printed before the failover verifies after it.

A rogue successor (another key at the address the succession record names) is refused."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from head_judge.master import Master
from head_judge.server import MasterServer
from head_judge.standby import enrol_standby, mirror_once, open_mirror
from sync.client import SyncClient, pinned_session
from sync.event_file import load_event
from sync.identity import ensure_master_identity
from sync.store import TerminalStore
from tests.masters import now

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def head_judge(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from head_judge.cli import main; main()", "--home",
            str(home), *args]


def run(home: Path, *args: str) -> str:
    done = subprocess.run(head_judge(home, *args), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not in {timeout} s: {what}")
        await asyncio.sleep(0.05)


def fixture_sheets(folder: Path) -> dict[tuple[str, str], dict[str, Decimal]]:
    with open(folder / "sheets.csv", encoding="utf-8") as f:
        return {(row.pop("judge"), row.pop("contestant")): {k: Decimal(v) for k, v in row.items()}
                for row in csv.DictReader(f)}


def ledger_rows(db: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM ledger").fetchone()[0])
    finally:
        conn.close()


async def test_the_standby_takes_over_without_re_enrolment(tmp_path: Path,
                                                          fixtures_dir: Path) -> None:
    final = fixtures_dir / "roadshow-final"
    event_file = final / "event.toml"
    event = load_event(event_file)
    sheets = fixture_sheets(final)
    master_home, spare = tmp_path / "master", tmp_path / "spare"
    codes = {line.split("\t")[0]: line.split("\t")[3]
             for line in run(master_home, "enrol-codes", "--event", str(event_file),
                             "--standby", "--judge", "J1", "--judge", "J2", "--judge", "J3",
                             "--judge", "J4", "--judge", "J5").splitlines()
             if line.count("\t") == 3 and line.split("\t")[1].isdigit()}
    serving = subprocess.Popen(head_judge(master_home, "serve", str(event_file), "--headless",
                                          "--no-mdns", "--no-screen", "--host", "127.0.0.1",
                                          "--port", "0"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    standby: subprocess.Popen[str] | None = None
    judges: dict[str, tuple[TerminalStore, SyncClient]] = {}
    tasks: list[asyncio.Task[None]] = []
    stop = asyncio.Event()
    try:
        assert serving.stdout is not None
        port = next(int(re.search(r":(\d+)$", x.strip()).group(1))  # type: ignore[union-attr]
                    for x in serving.stdout if "listening on" in x)
        standby_port = free_port()
        standby = subprocess.Popen(head_judge(spare, "standby", "--master", f"127.0.0.1:{port}",
                                              "--port", str(standby_port), "--no-mdns",
                                              codes["standby"]),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for judge in ("J1", "J2", "J3", "J4", "J5"):
            store = TerminalStore.open(tmp_path / judge)
            client = SyncClient(store, device_name=f"laptop {judge}")
            client.backoff_initial, client.backoff_max = 0.2, 1.0
            await client.enrol(codes[judge], "127.0.0.1", port)
            judges[judge] = (store, client)
            tasks.append(asyncio.create_task(client.run(stop)))
        devices = {j: store.require_enrolment().device for j, (store, _c) in judges.items()}

        def score(track: str) -> list[str]:
            ids = [c.id for c in event.contestants if c.track == track]
            for (judge, contestant), values in sheets.items():
                if contestant in ids:
                    judges[judge][0].submit_sheet(contestant, values, now=now())
                    judges[judge][1].wake()
            return ids

        def all_receipted() -> bool:
            return all(store.outbox_size() == 0 for store, _c in judges.values())

        video = score("video")
        await wait_for(all_receipted, 60, "every video sheet receipted by the master")
        run(master_home, "import-component", "stage", str(final / "stage.csv"),
            "--reason", "排名赛成绩")
        flagged = {f["contestant"] for f in json.loads(run(master_home, "flags", "--json"))}
        assert flagged & set(video)  # the fixture's panel disagrees somewhere
        for contestant in sorted(flagged & set(video)):
            run(master_home, "accept-flags", contestant, "--note", "差异属评委个人判断")
        run(master_home, "lock-ready", *video, "--reason", "短视频赛道评分完成")
        run(master_home, "publish", "--track", "video", "--reason", "第一版")
        published_before = json.loads(run(master_home, "results", "--published", "--json"))
        printed = tmp_path / "printed"
        run(master_home, "print", "--sheet", "results", "--subject", "video", "--out",
            str(printed))
        (sheet_pdf,) = printed.glob("*.pdf")

        # every terminal holds the succession record, and the standby has everything
        await wait_for(lambda: all(s.successor() is not None for s, _c in judges.values()), 30,
                       "every terminal got the succession notice")
        size = ledger_rows(master_home / "master.db")
        await wait_for(lambda: (spare / "master.db").exists()
                       and ledger_rows(spare / "master.db") >= size, 30,
                       "the standby caught up")

        serving.send_signal(signal.SIGKILL)
        serving.wait(10)
        killed = time.monotonic()
        promoted = subprocess.run(head_judge(spare, "promote", "--reason", "主控机断电"),
                                  capture_output=True, text=True, timeout=60)
        assert promoted.returncode == 0, promoted.stderr
        assert "已接管" in promoted.stdout and "taken over" in promoted.stdout
        assert "全部已同步" in promoted.stdout, promoted.stdout

        intl = score("intl")
        await wait_for(all_receipted, 60, "every intl sheet receipted by the promoted standby")
        took = time.monotonic() - killed
        for judge, (store, _client) in judges.items():
            enrolment = store.require_enrolment()
            assert enrolment.device == devices[judge]  # no re-enrolment
            assert enrolment.port == standby_port
            assert enrolment.pin == ensure_master_identity(spare).fingerprint
        print(f"FIGURE failover: kill_to_all_receipted_s={took:.2f}")
    finally:
        stop.set()
        for task in tasks:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 10)
        for store, client in judges.values():
            await client.close()
            store.close()
        for process in (standby, serving):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.communicate(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.communicate()

    # the promoted master holds every decision and the published results
    kinds = json.loads(run(spare, "results", "--published", "--json"))
    assert kinds == published_before
    master = Master.open(spare, now=now())
    try:
        entries = list(master.ledger.entries())
        held = {e.kind for e in entries}
        assert {"components_imported", "flags_accepted", "contestants_locked",
                "results_published", "sheet_printed", "succession", "promoted"} <= held
        received = set(master.ledger.conn.execute("SELECT judge, contestant FROM sheets"))
        assert {(j, c) for j, c in sheets if c in video + intl} <= received
    finally:
        master.close()
    audited = subprocess.run(head_judge(spare, "audit", "verify"), capture_output=True,
                             text=True, timeout=120)
    assert audited.returncode == 0 and "OK" in audited.stdout, audited.stdout
    verified = subprocess.run(head_judge(spare, "verify", str(sheet_pdf)), capture_output=True,
                              text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr


async def test_a_rogue_successor_is_refused(tmp_path: Path, fixtures_dir: Path) -> None:
    """The succession record names the standby's key: a master with another key at the
    address it names is never followed, and the terminal keeps its master."""
    event = load_event(fixtures_dir / "roadshow-final" / "event.toml")
    master = Master.open(tmp_path / "master", event, now=now())
    server = MasterServer(master, checkpoint_interval=None)
    port = await server.start("127.0.0.1", 0)
    store = TerminalStore.open(tmp_path / "J1")
    client = SyncClient(store)
    rogue_server: MasterServer | None = None
    rogue: Master | None = None
    try:
        (issued,) = master.issue_codes(["J1"], now=now())
        await client.enrol(issued.code.encode(), "127.0.0.1", port)
        # a real standby enrols and is named
        standby_port = free_port()
        link = await enrol_standby(tmp_path / "spare", master.issue_standby_code(
            now=now()).code.encode(), "127.0.0.1", port, standby_port)
        mirror = open_mirror(tmp_path / "spare")
        async with pinned_session(link.pin) as session:
            await mirror_once(session, link, ensure_master_identity(tmp_path / "spare"), mirror,
                              ["127.0.0.1"], now())
        mirror.close()
        await client.pull_once()
        assert store.successor() is not None
        before = store.require_enrolment()
        # the master dies; a rogue with its own key answers where the standby would
        await server.close()
        rogue = Master.open(tmp_path / "rogue", event, now=now())
        rogue_server = MasterServer(rogue, checkpoint_interval=None)
        await rogue_server.start("127.0.0.1", standby_port)
        assert await client.follow_successor() is False
        assert store.require_enrolment() == before
    finally:
        await client.close()
        store.close()
        if rogue_server is not None:
            await rogue_server.close()
        if rogue is not None:
            rogue.close()
        master.close()

