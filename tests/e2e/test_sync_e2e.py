"""A simulated judge (`sync.client` over `sync.store`) against the real master over real TLS on
loopback: enrol with a code, push, receipts, pull, live pokes, replays, a master that lost its
key, re-enrolment, restarts, and a terminal killed mid-burst."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import random
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path

import pytest

from head_judge.master import Master
from sync.client import MasterRefused, PinMismatch, SyncClient, SyncState, pinned_session
from sync.event import Event, Text
from sync.identity import verify
from sync.records import receipt_from_record
from sync.store import Notice, TerminalStore
from tests.masters import Running, now, start_master
from tests.sync.test_store import _run_and_kill

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def sheet(event: Event, minus: int = 0) -> dict[str, Decimal]:
    return {c.id: c.max - c.step * minus for c in event.criteria}


@asynccontextmanager
async def enrolled(tmp_path: Path, running: Running
                   ) -> AsyncIterator[tuple[TerminalStore, SyncClient]]:
    """A terminal store (tmp_path/judge) and its client, enrolled with `running` as J1."""
    with TerminalStore.open(tmp_path / "judge") as store:
        async with SyncClient(store) as client:
            await client.enrol(running.code(), "127.0.0.1", running.port)
            yield store, client


async def test_a_push_the_master_cannot_attribute_waits_in_the_outbox(
        tmp_path: Path, running: Running, event: Event) -> None:
    """Nothing signed with the key the master holds (403 `bad_signature`) and a device the
    master does not know (403 `unknown_device`) are refused alike: the sheets stay in the
    outbox, none is marked rejected. A forgery beside a good record is a per-record
    rejection that leaves the outbox."""
    async with enrolled(tmp_path, running) as (store, client):
        first = store.submit_sheet("L01", sheet(event), now=now())
        with sqlite3.connect(tmp_path / "judge" / "terminal.db") as db:  # a corrupted sheet
            db.execute("UPDATE records SET sig = ? WHERE hash = ?", (bytes(64), first.hash))
        with pytest.raises(MasterRefused) as refused:
            await client.push_once()
        assert (refused.value.status, refused.value.code) == (403, "bad_signature")
        assert (store.outbox_size(), store.rejected(), running.held()) == (1, [], [])

        second = store.submit_sheet("L02", sheet(event), now=now())
        summary = await client.push_once()
        assert (summary.sent, summary.accepted, summary.rejected) == (2, 1, 1)
        assert [(r.hash, r.rejected_code) for r in store.rejected()] == [
            (first.hash, "bad_signature")]
        assert (store.outbox_size(), running.held()) == (0, [second.hash])

        await running.stop()  # the master's ledger is lost; its identity is kept
        for lost in running.home.glob("master.db*"):
            lost.unlink()
        await running.restart()
        store.submit_sheet("L03", sheet(event), now=now())
        with pytest.raises(MasterRefused) as refused:
            await client.push_once()
        assert (refused.value.status, refused.value.code) == (403, "unknown_device")
        assert (store.outbox_size(), len(store.rejected()), running.held()) == (1, 1, [])


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)
    return time.monotonic() - start


async def test_enrol_push_receipts_and_pull(tmp_path: Path, running: Running,
                                            event: Event) -> None:
    with TerminalStore.open(tmp_path / "judge") as store:
        async with SyncClient(store) as client:
            enrolment = await client.enrol(running.code(), "127.0.0.1", running.port)
            assert enrolment.judge == "J1" and enrolment.device == store.device_id
            assert enrolment.master_key == running.master.master_key
            assert enrolment.pin == running.master.identity.fingerprint

            saved = [store.submit_sheet(c, sheet(event), now=now())
                     for c in ("L01", "L02", "L03")]
            saved.append(store.submit_sheet("L01", sheet(event, 1), reason="recount",
                                            now=now()))
            summary = await client.push_once()
            assert (summary.sent, summary.accepted, summary.rejected) == (4, 4, 0)
            assert store.outbox_size() == 0

            for record in saved:
                receipt = store.receipt(record.hash)
                assert receipt is not None
                assert receipt_from_record(receipt, running.master.master_key).record == record.hash
            assert running.held() == [r.hash for r in saved]
            # the ledger holds the exact signed bytes, which verify with the device key
            for entry in running.master.ledger.entries():
                if entry.kind == "sheet_received":
                    body = entry.payload["body"].encode()
                    sig = base64.b64decode(entry.payload["sig"])
                    assert verify(store.device_public_key, sig, body)

            pulled = await client.pull_once()
            assert pulled.receipts == 0 and pulled.problems == ()
            status = store.status()
            assert (status.receipts, status.outbox, status.rejected) == (4, 0, 0)


async def test_live_poke_brings_a_notice_within_a_second(tmp_path: Path, running: Running,
                                                         event: Event) -> None:
    arrived: list[tuple[float, Notice]] = []
    states: list[SyncState] = []
    with TerminalStore.open(tmp_path / "judge") as store:
        client = SyncClient(store, on_state=states.append,
                            on_notice=lambda n: arrived.append((time.monotonic(), n)))
        await client.enrol(running.code(), "127.0.0.1", running.port)
        stop = asyncio.Event()
        task = asyncio.create_task(client.run(stop))
        try:
            await wait_for(lambda: client.state.connection == "online")
            await wait_for(lambda: bool(running.server.live.get("J1")))  # live channel is up
            changed = dataclasses.replace(event, venue=Text("新场馆", "New hall"))
            sent = time.monotonic()
            running.master.load_event(changed, now=now())
            await wait_for(lambda: bool(arrived), timeout=1.0)
            assert arrived[0][0] - sent < 1.0
            assert arrived[0][1].kind == "event_changed"
            # the terminal adopted the changed event the notice carried
            assert store.event().venue.en == "New hall"
            await wait_for(lambda: not client.state.event_changed)

            # a sheet saved while online reaches the master promptly
            record = store.submit_sheet("L05", sheet(event), now=now())
            client.wake()
            await wait_for(lambda: record.hash in running.held(), timeout=2.0)
            await wait_for(lambda: store.outbox_size() == 0)
        finally:
            stop.set()
            await task
            await client.close()
    assert client.state.connection == "offline"
    offsets = [s.clock_offset for s in states if s.clock_offset is not None]
    assert offsets and all(abs(o.total_seconds()) < 1 for o in offsets)


async def test_a_replayed_push_is_a_duplicate_with_one_ledger_entry(
    tmp_path: Path, running: Running, event: Event
) -> None:
    async with enrolled(tmp_path, running) as (store, client):
        record = store.submit_sheet("L01", sheet(event), now=now())
        enrolment = store.require_enrolment()
        captured = json.dumps({"device": enrolment.device,
                               "records": [record.record.to_wire()]}).encode()
        answers = []
        async with pinned_session(enrolment.pin) as session:
            for _ in range(2):
                async with session.post(
                    f"https://127.0.0.1:{running.port}/v1/push", data=captured,
                    headers={"Content-Type": "application/json"},
                ) as response:
                    assert response.status == 200
                    answers.append(await response.json())
        statuses = [a["results"][0]["status"] for a in answers]
        assert statuses == ["accepted", "duplicate"]
        assert answers[0]["results"][0]["receipt"] == answers[1]["results"][0]["receipt"]
        assert running.held() == [record.hash]

        # the terminal's own retry (its answer was lost) is answered the same way
        summary = await client.push_once()
        assert (summary.duplicate, summary.accepted) == (1, 0)
        assert store.outbox_size() == 0 and store.receipt(record.hash) is not None
        assert running.held() == [record.hash]


async def test_rejections_are_kept_on_the_record_and_leave_the_outbox(
    tmp_path: Path, running: Running, event: Event
) -> None:
    async with enrolled(tmp_path, running) as (store, client):
        good = store.submit_sheet("L01", sheet(event), now=now())
        gone = store.submit_sheet("L18", sheet(event), now=now())
        # the head judge withdraws L18 from the final before the sheet arrives
        smaller = dataclasses.replace(
            event, contestants=tuple(c for c in event.contestants if c.id != "L18"))
        running.master.load_event(smaller, now=now())
        summary = await client.push_once()
        assert (summary.accepted, summary.rejected) == (1, 1)
        rejected = store.record(gone.hash)
        assert rejected is not None and rejected.rejected_code == "unknown_contestant"
        assert rejected.rejected_reason and "L18" in rejected.rejected_reason
        assert store.outbox_size() == 0 and running.held() == [good.hash]
        assert [r.hash for r in store.rejected()] == [gone.hash]


async def test_a_master_whose_key_changed_is_refused_until_enrolled_again(
    tmp_path: Path, running: Running, event: Event
) -> None:
    async with enrolled(tmp_path, running) as (store, client):
        first = store.submit_sheet("L01", sheet(event), now=now())
        await client.push_once()
        port = running.port
        await running.stop()

        # the head judge's laptop died; a fresh master (new key) comes up at the same place
        rebuilt = await start_master(tmp_path / "rebuilt", event, port)
        try:
            second = store.submit_sheet("L02", sheet(event), now=now())
            with pytest.raises(PinMismatch, match="not the head judge you enrolled with"):
                await client.push_once()
            assert rebuilt.held() == [] and store.outbox_size() == 1

            await client.enrol(rebuilt.code(), "127.0.0.1", rebuilt.port)
            assert store.outbox_size() == 2  # the rebuilt master gets everything again
            summary = await client.drain()
            assert summary.accepted == 2 and store.outbox_size() == 0
            assert rebuilt.held() == [first.hash, second.hash]
        finally:
            await rebuilt.stop()


async def test_enrolling_again_with_the_same_master_uses_a_new_key(
    tmp_path: Path, running: Running, event: Event
) -> None:
    async with enrolled(tmp_path, running) as (store, client):
        old_device = store.device_id
        sent = store.submit_sheet("L01", sheet(event), now=now())
        await client.push_once()
        waiting = store.submit_sheet("L01", sheet(event, 1), reason="recount",
                                     now=now())

        enrolment = await client.enrol(running.code(), "127.0.0.1", running.port)
        assert enrolment.device == store.device_id != old_device
        assert running.master.device(old_device).revoked  # type: ignore[union-attr]
        old = store.record(waiting.hash)
        assert old is not None and old.replaced_by is not None and not old.in_outbox
        copy = store.record(old.replaced_by)
        assert copy is not None and copy.sheet.supersedes == sent.hash
        assert copy.sheet.values == waiting.sheet.values and copy.sheet.seq == 1

        summary = await client.drain()
        assert summary.accepted == 1 and store.outbox_size() == 0
        assert running.held() == [sent.hash, copy.hash]
        assert store.current_sheet("L01") == store.record(copy.hash)

    with TerminalStore.open(tmp_path / "judge") as again:  # the new key is the one on disk
        assert again.device_id == enrolment.device


async def test_sheets_saved_while_the_master_is_down_arrive_exactly_once(
    tmp_path: Path, event: Event
) -> None:
    running = await start_master(tmp_path / "master", event)
    port = running.port
    states: list[str] = []
    with TerminalStore.open(tmp_path / "judge") as store:
        client = SyncClient(store, backoff_initial=0.05, backoff_max=0.3, offline_after=0.5,
                            on_state=lambda s: states.append(s.connection))
        await client.enrol(running.code(), "127.0.0.1", running.port)
        stop = asyncio.Event()
        task = asyncio.create_task(client.run(stop))
        saved = []
        try:
            await wait_for(lambda: client.state.connection == "online")
            panel = [c.id for c in event.contestants][:10]
            for i, cid in enumerate(panel):
                if i == 3:
                    await running.stop()  # the master dies mid-stream
                if i == 7:
                    running = await start_master(tmp_path / "master", event, port)
                saved.append(store.submit_sheet(cid, sheet(event), now=now()))
                client.wake()
                await asyncio.sleep(0.3)
            await wait_for(lambda: store.outbox_size() == 0, timeout=10)
        finally:
            stop.set()
            await task
            await client.close()
            await running.stop()
    reopened = Master.open(tmp_path / "master", now=now())
    try:
        held = [e.payload["hash"] for e in reopened.ledger.entries() if e.kind == "sheet_received"]
    finally:
        reopened.close()
    assert held == [r.hash for r in saved]
    assert "reconnecting" in states and "offline" in states and states[-1] == "offline"


async def test_a_terminal_killed_mid_burst_delivers_every_saved_sheet_exactly_once(
    tmp_path: Path, running: Running
) -> None:
    home = tmp_path / "judge"
    with TerminalStore.open(home) as store:
        async with SyncClient(store) as client:
            await client.enrol(running.code(), "127.0.0.1", running.port)
    rng = random.Random(7)
    reported = []
    for _ in range(3):
        reported += _run_and_kill(home, 1000, rng.randint(2, 600))
    with TerminalStore.open(home) as store:
        async with SyncClient(store) as client:
            await client.drain()
            assert store.outbox_size() == 0
            held = running.held()
            assert len(held) == len(set(held)) == len(store.sheets())
            assert {h for _seq, h in reported} <= set(held)
            assert held == [r.hash for r in store.sheets()]


# --- the judge-terminal command line against the real master ---------------------------------

JUDGE_TERMINAL = [sys.executable, "-m", "judge_terminal.cli"]
REPO = Path(__file__).resolve().parents[2]


async def terminal(home: Path, *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *JUDGE_TERMINAL, "--home", str(home), *args, cwd=REPO,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def values(event: Event, minus: int = 0) -> list[str]:
    return [arg for c in event.criteria for arg in ("-v", f"{c.id}={c.max - c.step * minus}")]


async def test_cli_enrol_submit_sync_status(tmp_path: Path, running: Running,
                                            event: Event) -> None:
    home = tmp_path / "judge"
    code = running.code()
    rc, out, err = await terminal(home, "check-code", code)
    assert rc == 0 and "seat: 1" in out, out + err
    assert running.master.identity.fingerprint_text not in out  # a code carries none now

    rc, out, err = await terminal(home, "enrol", code, "--master", f"127.0.0.1:{running.port}")
    assert rc == 0, err
    assert "enrolled as J1" in out and running.master.identity.fingerprint_text in out

    rc, out, err = await terminal(home, "submit", "L01", *values(event), "--comment", "稳")
    assert rc == 0 and out.startswith("已保存：L01 第 1 版"), err
    assert out.splitlines()[1].startswith("saved: L01 revision 1"), out
    rc, out, err = await terminal(home, "submit", "L01", *values(event, 1), "--reason", "recount")
    assert rc == 0 and out.splitlines()[1].startswith("saved: L01 revision 2"), err

    rc, out, err = await terminal(home, "sync", "--once")
    assert rc == 0 and out.startswith("已发送 2 份：2 份已接收"), err
    assert out.splitlines()[1].startswith("sent 2: 2 accepted"), out
    assert len(running.held()) == 2

    rc, out, err = await terminal(home, "status")
    assert rc == 0 and "waiting to be sent 0, receipts 2, rejected 0" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check-code", "3-4827-1956A"], "is not a digit"),
        (["check-code", "3-4827-19562"], "check digit"),
        (["submit", "L01", "-v", "appearance=9"], "not enrolled"),
        (["enrol", "x", "--master", "nowhere:port"], "nothing was sent"),
        (["sync", "--once"], "not enrolled"),
    ],
)
async def test_cli_mistakes_are_one_line_and_exit_2(tmp_path: Path, args: list[str],
                                                    message: str) -> None:
    rc, out, err = await terminal(tmp_path / "judge", *args)
    assert rc == 2 and out == ""
    lines = err.splitlines()  # in Chinese, then in English (once when said elsewhere)
    assert len(lines) in (1, 2) and lines[-1].startswith("error: ") and message in lines[-1]
    assert len(lines) == 1 or lines[0].startswith("错误：")
    assert "Traceback" not in err


@pytest.mark.parametrize(("command", "instead"),
                         [("browse", "(or enrol with --master HOST:PORT)"),
                          ("enrol", "or give --master HOST:PORT")])
async def test_cli_without_a_network_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, running: Running, command: str,
    instead: str,
) -> None:
    """zeroconf's RuntimeError on a laptop with no IPv4 address, simulated (the real thing,
    in a network namespace: tests/e2e/test_netns_sync.py)."""
    from click.testing import CliRunner

    from judge_terminal import cli
    from sync import discovery

    def no_interfaces(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("No interfaces to listen on, check that any interfaces have IP "
                           "version IPVersion.V4Only")

    monkeypatch.setattr(discovery, "AsyncZeroconf", no_interfaces)
    args = [command] if command == "browse" else [command, running.code()]
    done = await asyncio.to_thread(  # the command runs its own event loop
        CliRunner().invoke, cli.main, ["--home", str(tmp_path / "judge"), *args])
    assert (done.exit_code, done.stdout) == (2, ""), done.output
    assert isinstance(done.exception, SystemExit)  # not zeroconf's RuntimeError
    zh, en = done.stderr.splitlines()
    assert zh.startswith("错误：无法查找总裁判长的主控机")
    assert en.startswith("error: cannot look for the head judge: this laptop has no "
                         "network connection (no IPv4 address)")
    assert en.endswith(instead)


async def test_cli_typo_and_rubric_mistakes(tmp_path: Path, running: Running,
                                            event: Event) -> None:
    home = tmp_path / "judge"
    code = running.code()
    typo = code[:-3] + str((int(code[-3]) + 1) % 10) + code[-2:]  # one digit mistyped
    rc, _out, err = await terminal(home, "enrol", typo, "--master", f"127.0.0.1:{running.port}")
    assert rc == 2 and "check digit" in err and "nothing was sent" in err
    kinds = {e.kind for e in running.master.ledger.entries()}
    assert not kinds & {"enrol_failed", "device_enrolled"}  # nothing reached the master

    rc, _out, err = await terminal(home, "enrol", code, "--master", f"127.0.0.1:{running.port}")
    assert rc == 0, err
    bad = values(event)
    bad[1] = "appearance=9.3"
    rc, out, err = await terminal(home, "submit", "L01", *bad)
    assert rc == 2 and out == "" and err.splitlines() == [
        "错误：appearance：9.3 不是 0.5 的倍数", "error: appearance: 9.3 is not a multiple of 0.5"]
    rc, out, err = await terminal(home, "submit", "L01", *values(event)[:-2])
    assert rc == 2 and "integrity: missing" in err
    rc, out, err = await terminal(home, "status")
    assert "sheets 0," in out
