"""Checking a big push's signatures in a process of its own, beside the event loop.

Ed25519 verification holds the interpreter lock, so a worker thread cannot check signatures
while the event loop runs Python: only another process uses the laptop's other core. The
server hands a big push's records to `SignatureChecker.check` as soon as it has read them, in
chunks; `push_many` ingests the records in order and, for each one, waits only for the chunk
that holds it (`CheckedInOrder`), so ingest of one chunk overlaps the check of the next.

It decides nothing: a record it did not vouch for (a bad signature, a chunk lost with a dead
worker, no worker at all) is checked again by ingest, which refuses it with a reason. The
worker exits with the master's process however that ends (`kill -9` too), and where no
process can be started the server checks everything inline, as it would without it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Container, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import wait
from typing import Final

from .master import Signed, verified_signatures

__all__ = ["CHECK_CHUNK", "FIRST_CHUNK", "CheckedInOrder", "SignatureChecker"]

log = logging.getLogger("head_judge")

FIRST_CHUNK: Final = 10
"""Records in the first chunk, the only one ingest waits for (1-2 ms of checking): the worker
checks a record in half the time ingest takes, so it stays ahead from then on."""
CHECK_CHUNK: Final = 50
"""Records in each later chunk."""


class CheckedInOrder:
    """Signatures checked elsewhere, chunk by chunk, for records ingested in chunk order: a
    record's membership waits for the chunks up to the one that holds it. A chunk whose
    check failed vouches for nothing."""

    def __init__(self, chunks: Sequence[Future[frozenset[Signed]]]) -> None:
        self._pending = deque(chunks)
        self._good: set[Signed] = set()

    def __contains__(self, item: object) -> bool:
        if item in self._good:
            return True
        while self._pending:
            try:
                self._good |= self._pending.popleft().result()
            except Exception:  # the worker died or was shut down: ingest checks these itself
                continue
            if item in self._good:
                return True
        return False


class SignatureChecker:
    """One worker process that checks signatures for the server (`start`, `check`, `close`)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._answered: Future[int] | None = None

    @property
    def running(self) -> bool:
        """Started, and its worker has answered (until then `check` leaves all to ingest)."""
        return (self._pool is not None and self._answered is not None
                and self._answered.done() and self._answered.exception() is None)

    def start(self) -> None:
        """Start the worker without waiting for it (a restarted master serves at once; a
        push that comes before the worker has answered is checked in line). Where no
        process can be started (a daemonic process, a locked-down system), log why and
        leave every check to ingest."""
        try:
            with _children_deaf_to_ctrl_c(), _stderr_with_a_file():
                pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_follow_the_master)
                self._answered = pool.submit(int)  # spawns the worker, here and now
        except Exception as exc:  # AssertionError in a daemonic process, OSError, ...
            log.warning("signatures are checked on the event loop: no process could be "
                        "started to check them (%s)", exc)
            return
        self._answered.add_done_callback(_log_failed_start)
        self._pool = pool

    async def ready(self) -> bool:
        """Wait until the worker has answered (or failed to): whether it runs."""
        if self._answered is not None:
            with contextlib.suppress(Exception):
                await asyncio.wrap_future(self._answered)
        return self.running

    def check(self, public_key: bytes, records: Sequence[object]) -> Container[Signed]:
        """The records' signatures, as they are being checked (see `CheckedInOrder`)."""
        if self._pool is None or not self.running:
            return frozenset()
        try:
            starts = [0, *range(FIRST_CHUNK, len(records), CHECK_CHUNK)]
            return CheckedInOrder([
                self._pool.submit(verified_signatures, public_key, list(records[start:end]))
                for start, end in zip(starts, [*starts[1:], len(records)], strict=True)])
        except RuntimeError as exc:  # BrokenProcessPool: the worker died (killed, OOM)
            log.warning("signatures are checked on the event loop from now on: the "
                        "checking process is gone (%s)", exc)
            self.close()
            return frozenset()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _log_failed_start(answered: Future[int]) -> None:
    if not answered.cancelled() and answered.exception() is not None:
        log.warning("signatures are checked on the event loop: the process to check them "
                    "did not start (%s)", answered.exception())


@contextlib.contextmanager
def _children_deaf_to_ctrl_c() -> Iterator[None]:
    """Ignore Ctrl+C while starting child processes, which keep ignoring it (an ignored
    signal stays ignored across exec, and Python then installs no handler for it): the
    terminal sends Ctrl+C to the master and its worker alike, and the worker would die of it
    with a traceback on the head judge's screen, even while it is still starting. The master
    itself is deaf to it only for the moment the spawn takes. Outside the main thread, where
    signal handlers cannot be changed, it changes nothing."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


@contextlib.contextmanager
def _stderr_with_a_file() -> Iterator[None]:
    """Give multiprocessing the process's real stderr while the worker starts, when
    `sys.stderr` is a stand-in whose `fileno()` is -1, as Textual's print capture is while
    the console runs: multiprocessing passes that number on to the helper process it starts
    beside the worker (its resource tracker), and -1 made that start fail ("bad value(s) in
    fds_to_keep"). Under the console every signature was then checked on the event loop, and
    a semaphore was left behind in /dev/shm each time."""
    stand_in = sys.stderr
    try:
        usable = stand_in is None or stand_in.fileno() >= 0
    except (AttributeError, OSError, ValueError):  # multiprocessing passes no stderr then
        usable = True
    if usable:
        yield
        return
    sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = stand_in


def _follow_the_master() -> None:
    """In the worker: leave Ctrl+C to the master (on Windows, where the ignoring is not
    inherited, from here on), and exit as soon as the master's process has ended, however
    it ended."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - always started by a parent
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-master", daemon=True).start()
