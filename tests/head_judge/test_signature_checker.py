"""The signature checker: a big push's signatures checked in a process of its own, chunk by
chunk, vouching only for what the device's key signed; its process ends with the master's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import Future
from pathlib import Path

from head_judge.master import Signed
from head_judge.signature_checker import CHECK_CHUNK, CheckedInOrder, SignatureChecker
from sync.event import Event
from sync.identity import public_key_bytes
from sync.records import SignedRecord
from tests.chaos.common import REPO, free_port, start_master, stop, wait_until

from .test_master import Terminal, good_values


def done(result: frozenset[Signed] | Exception) -> Future[frozenset[Signed]]:
    future: Future[frozenset[Signed]] = Future()
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result(result)
    return future


def test_a_record_waits_only_for_the_chunks_up_to_its_own() -> None:
    first, second = (b"k", b"s1", b"b1"), (b"k", b"s2", b"b2")
    later: Future[frozenset[Signed]] = Future()  # still being checked
    checked = CheckedInOrder([done(frozenset({first})), done(frozenset({second})), later])
    assert first in checked and second in checked  # answered without waiting for `later`
    assert not later.done()


def test_a_failed_chunk_vouches_for_nothing() -> None:
    good, lost = (b"k", b"s1", b"b1"), (b"k", b"s2", b"b2")
    checked = CheckedInOrder([done(RuntimeError("worker died")), done(frozenset({good}))])
    assert good in checked
    assert lost not in checked  # ingest checks it itself


async def test_the_checker_vouches_only_for_what_the_key_signed(event: Event) -> None:
    terminal, other = Terminal("J1", event.id), Terminal("J2", event.id)
    contestants = [c.id for c in event.contestants]
    records = [terminal.sheet(contestants[i % len(contestants)], good_values(event))
               for i in range(CHECK_CHUNK * 2 + 3)]  # several chunks
    forged = SignedRecord(records[CHECK_CHUNK + 1].body, bytes(64))
    foreign = other.sheet(contestants[0], good_values(event))
    wires: list[object] = [r.to_wire() for r in records]
    wires[CHECK_CHUNK + 1] = forged.to_wire()
    wires.append(foreign.to_wire())
    checker = SignatureChecker()
    key = public_key_bytes(terminal.key)
    assert checker.check(key, wires) == frozenset()  # not started: ingest checks everything
    checker.start()
    try:
        assert await checker.ready()
        checked = checker.check(key, wires)
        assert [(key, r.signature, r.body) in checked for r in records] == [
            i != CHECK_CHUNK + 1 for i in range(len(records))]
        assert (key, forged.signature, forged.body) not in checked
        assert (key, foreign.signature, foreign.body) not in checked
    finally:
        checker.close()
    assert not checker.running
    assert checker.check(key, wires) == frozenset()  # closed: ingest checks everything


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def ended(pid: int) -> bool:
    """Gone, or a zombie waiting for whoever adopted it to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_the_checking_process_ends_with_a_killed_master(tmp_path: Path, fixtures_dir: Path
                                                        ) -> None:
    event_file = fixtures_dir / "livestream-final" / "event.toml"
    master = start_master(tmp_path / "home", event_file, free_port(), tmp_path / "master.log")
    try:
        # started before the master listens: the checker (and multiprocessing's helper)
        wait_until(lambda: bool(children(master.pid)), 30, "the checker to start")
        helpers = children(master.pid)
        assert helpers and not any(ended(pid) for pid in helpers)
        master.send_signal(signal.SIGKILL)
        master.wait(10)
        wait_until(lambda: all(ended(pid) for pid in helpers), 10,
                   "the checker to end with its master")
    finally:
        stop(master)


def test_ctrl_c_stops_the_master_and_its_checker_without_a_traceback(
        tmp_path: Path, fixtures_dir: Path) -> None:
    """The terminal sends Ctrl+C to the whole foreground group: the master and its worker."""
    event_file = fixtures_dir / "livestream-final" / "event.toml"
    log = tmp_path / "master.log"
    # its own process group, as a shell gives it, so the signal reaches no one else here
    master = start_master(tmp_path / "home", event_file, free_port(), log, prefix=["setsid"])
    try:
        wait_until(lambda: bool(children(master.pid)), 30, "the checker to start")
        helpers = children(master.pid)
        os.killpg(master.pid, signal.SIGINT)
        master.wait(30)
        wait_until(lambda: all(ended(pid) for pid in helpers), 10, "the checker to end")
        text = log.read_text(errors="replace")
        assert "stopped" in text and "Traceback" not in text, text
    finally:
        stop(master)


def test_the_checker_starts_under_the_console() -> None:
    """While a Textual app (the head judge's console) runs, its sys.stderr is a stand-in
    whose fileno() is -1, which multiprocessing hands to the helper process it starts with
    the first worker: the start used to fail there, and every signature was checked on the
    event loop. In a fresh interpreter, where that helper has not been started yet."""
    probe = textwrap.dedent("""
        from textual.app import App
        from head_judge.signature_checker import SignatureChecker

        class Console(App[bool]):
            async def on_mount(self) -> None:
                checker = SignatureChecker()
                checker.start()
                running = await checker.ready()
                checker.close()
                self.exit(running)

        print("running:", Console().run(headless=True))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, cwd=REPO)
    assert "running: True" in done.stdout, done.stdout + done.stderr
    assert "fds_to_keep" not in done.stderr, done.stderr


async def test_a_dead_checker_leaves_every_check_to_ingest(event: Event) -> None:
    terminal = Terminal("J1", event.id)
    record = terminal.sheet(event.contestants[0].id, good_values(event))
    key = public_key_bytes(terminal.key)
    checker = SignatureChecker()
    checker.start()
    try:
        assert await checker.ready()
        [worker] = checker._pool._processes.values()  # type: ignore[union-attr]
        worker.kill()
        worker.join()
        checked = checker.check(key, [record.to_wire()])  # lost with the worker, or refused
        assert (key, record.signature, record.body) not in checked
        assert checker.check(key, [record.to_wire()]) == frozenset()  # from now on: inline
        assert not checker.running
    finally:
        checker.close()
