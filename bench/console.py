"""Console benchmark (issue 7): how fast the head judge's matrix shows a sheet that just landed,
and what the console costs, with 60 contestants x 9 judges streaming sheets at full speed.

    .venv/bin/python -m bench.console [--contestants 60] [--judges 9] [--size 120x36]

Setup: a generated final (one track, seven criteria, discrepancy rules on) in a temporary
home. The console process is this one: `ConsoleApp` running headless at `--size` with the
master's server (`MasterServer`, TLS 1.3) on the app's own event loop, as `head-judge serve`
runs it, the Overview showing. The judges are another process: one terminal store and sync
client per judge (`TerminalStore` + `SyncClient`, enrolled with codes from
`Master.issue_codes`), all submitting and pushing one sheet at a time, as fast as they can.

- latency: for every sheet, from its arrival (the push that carried it answered, i.e. the
  ledger committed it) to the matrix showing it (the screen refreshed after the cell changed):
  p50 and p99. Target: p99 under 250 ms.
- CPU: the console process's CPU time over the streaming window (server + console, as a share
  of one core), the part of it spent reading the ledger and updating the screen's widgets,
  and, as a baseline measured in the same run, the same stream into the server alone (no
  console): the console's cost is the difference.

Each figure is printed as `name: value`, with its target and PASS/MISS; nothing is asserted.
"""
# ruff: noqa: E402  (imports follow the sys.path fix below)

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# packages it measures.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import asyncio
import bisect
import datetime as dt
import multiprocessing
import os
import random
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection

from bench.generated import write_event
from head_judge.console.app import ConsoleApp
from head_judge.console.serving import ServeOptions
from head_judge.master import Master
from head_judge.server import MasterServer
from sync.client import SyncClient
from sync.event import Event
from sync.event_file import load_event
from sync.store import TerminalStore

TARGET_P99_MS = 250.0


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


SCORING = """[scoring]
aggregate = "trimmed_mean"
[[scoring.components]]
id = "panel"
name = { zh = "评分", en = "Panel" }
source = "panel"
max = 100
weight = 1
[discrepancy]
criterion_spread = 5
total_spread = 20
outlier = 12
[awards]
basis = "count"
[[awards.tiers]]
id = "first"
name = { zh = "一等奖", en = "First" }
count = 3
[[awards.tiers]]
id = "merit"
name = { zh = "优秀奖", en = "Merit" }
rest = true"""


def write_final(folder: Path, contestants: int, judges: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_event(folder, event_id="bench-console", judges=judges,
                       contestants=contestants, scoring=SCORING)


def values(event: Event, judge: str, contestant: str) -> dict[str, Decimal]:
    rng = random.Random(f"{judge}/{contestant}")
    quality = random.Random(contestant).uniform(0.5, 0.95)
    off = -0.25 if rng.random() < 0.04 else 0.0  # now and then a judge far off: a flag
    out = {}
    for c in event.criteria:
        raw = float(c.max) * min(1.0, max(0.0, quality + off + rng.uniform(-0.05, 0.05)))
        out[c.id] = min(c.max, Decimal(round(raw * 2)) / 2)
    return out


# --- the judges (another process) -------------------------------------------------------------


async def _judges(conn: Connection, port: int, codes: dict[str, str], folder: Path,
                  event_file: Path) -> None:
    event = load_event(event_file)
    stores = {j: TerminalStore.open(folder / j) for j in codes}
    clients = {j: SyncClient(stores[j], device_name=f"bench {j}") for j in codes}
    for j, client in clients.items():
        await client.enrol(codes[j], "127.0.0.1", port)
    conn.send("enrolled")
    conn.recv()  # go

    async def judge(j: str) -> int:
        sent = 0
        for c in sorted(event.contestants, key=lambda c: c.order):
            stores[j].submit_sheet(c.id, values(event, j, c.id), now=now())
            summary = await clients[j].push_once()
            sent += summary.accepted
        return sent

    accepted = await asyncio.gather(*(judge(j) for j in codes))
    for client in clients.values():
        await client.close()
    for store in stores.values():
        store.close()
    conn.send(sum(accepted))


def judges_process(conn: Connection, port: int, codes: dict[str, str], folder: str,
                   event_file: str) -> None:
    asyncio.run(_judges(conn, port, codes, Path(folder), Path(event_file)))


def start_judges(port: int, codes: dict[str, str], folder: Path, event_file: Path
                 ) -> tuple[multiprocessing.process.BaseProcess, Connection]:
    ctx = multiprocessing.get_context("spawn")
    ours, theirs = ctx.Pipe()
    process = ctx.Process(target=judges_process, args=(theirs, port, codes, str(folder),
                                                       str(event_file)), daemon=True)
    process.start()
    return process, ours


async def wait_for(conn: Connection, timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while not conn.poll():
        if time.monotonic() > deadline:
            raise TimeoutError("the judges did not answer in time")
        await asyncio.sleep(0.01)
    return conn.recv()


# --- phases -----------------------------------------------------------------------------------


@dataclass
class Window:
    sheets: int
    wall: float
    cpu: float

    @property
    def share(self) -> float:
        return self.cpu / self.wall if self.wall else 0.0


def codes_for(master: Master) -> dict[str, str]:
    return {issued.judge.id: issued.code.encode()
            for issued in master.issue_codes(None, now=now())}


async def baseline(folder: Path, event_file: Path) -> Window:
    """The same stream into the server alone, no console."""
    master = Master.open(folder / "master", load_event(event_file), now=now())
    server = MasterServer(master, checkpoint_interval=None)
    port = await server.start("127.0.0.1", 0)
    process, conn = start_judges(port, codes_for(master), folder / "judges", event_file)
    try:
        await wait_for(conn, 120)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        conn.send("go")
        sheets = int(await wait_for(conn, 600))  # type: ignore[call-overload]
        window = Window(sheets, time.perf_counter() - wall0, time.process_time() - cpu0)
    finally:
        process.join(10)
        await server.close()
        master.close()
    return window


@dataclass
class ConsoleRun:
    window: Window
    latencies: list[float]
    refresh: float
    shown: int


async def with_console(folder: Path, event_file: Path, size: tuple[int, int]) -> ConsoleRun:
    resource_tracker.ensure_running()  # before the app holds the terminal's descriptors
    master = Master.open(folder / "master", load_event(event_file), now=now())
    app = ConsoleApp(master, serve=ServeOptions("127.0.0.1", 0, advertise=False,
                                                checkpoint_interval=None), lang="zh")
    commits: list[tuple[int, float]] = []
    shown: dict[int, float] = {}
    sheet_seqs: set[int] = set()
    try:
        async with app.run_test(size=size) as pilot:
            while app.port is None:
                await pilot.pause(0.01)
            serving = app.serving
            assert serving is not None and app.port is not None

            def answered() -> None:
                commits.append((app.ledger_size(), time.perf_counter()))
                app.ledger_touched()

            serving.on_answer = answered

            def probe(seqs: list[int], at: float) -> None:
                for seq in seqs:
                    shown.setdefault(seq, at)

            app.matrix_probe = probe
            process, conn = start_judges(app.port, codes_for(master), folder / "judges",
                                         event_file)
            try:
                await wait_for(conn, 120)
                await pilot.pause(0.5)
                app.refresh_seconds = 0.0
                wall0, cpu0 = time.perf_counter(), time.process_time()
                conn.send("go")
                while not conn.poll():
                    await pilot.pause(0.01)
                sheets = int(conn.recv())
                expected = sheets
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    sheet_seqs = {e.seq for e in app.cache.entries
                                  if e.kind == "sheet_received"}
                    if len(sheet_seqs) >= expected and sheet_seqs <= set(shown):
                        break
                    await pilot.pause(0.01)
                window = Window(sheets, time.perf_counter() - wall0,
                                time.process_time() - cpu0)
                refresh = app.refresh_seconds
            finally:
                process.join(10)
    finally:
        master.close()
    marks = [size for size, _ in commits]
    latencies = []
    for seq in sorted(sheet_seqs):
        index = bisect.bisect_left(marks, seq)
        if index < len(commits) and seq in shown:
            latencies.append(max(0.0, shown[seq] - commits[index][1]))
    return ConsoleRun(window, latencies, refresh, len(set(shown) & sheet_seqs))


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


async def run(args: argparse.Namespace, folder: Path) -> None:
    event_file = write_final(folder / "event", args.contestants, args.judges)
    width, height = (int(x) for x in args.size.split("x"))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"final: {args.contestants} contestants x {args.judges} judges, "
          f"{args.contestants * args.judges} sheets, console at {width}x{height}")
    base = await baseline(folder / "baseline", event_file)
    print(f"baseline (server alone): {base.sheets} sheets in {base.wall:.2f} s "
          f"({base.sheets / base.wall:.0f}/s), server CPU {100 * base.share:.0f}% of a core")
    run_ = await with_console(folder / "console", event_file, (width, height))
    w = run_.window
    p50, p99 = pct(run_.latencies, 50) * 1000, pct(run_.latencies, 99) * 1000
    print(f"stream with the console: {w.sheets} sheets in {w.wall:.2f} s "
          f"({w.sheets / w.wall:.0f}/s), {run_.shown} shown in the matrix")
    print(f"latency arrival->matrix p50: {p50:.0f} ms")
    print(f"latency arrival->matrix p99: {p99:.0f} ms (target < {TARGET_P99_MS:.0f} ms) "
          f"{verdict(p99 < TARGET_P99_MS)}")
    print(f"latency arrival->matrix max: {max(run_.latencies, default=0) * 1000:.0f} ms")
    print(f"console process CPU (server + console): {100 * w.share:.0f}% of a core "
          f"over {w.wall:.2f} s")
    print(f"  of which reading the ledger and updating the screen's widgets: "
          f"{100 * run_.refresh / w.wall:.0f}% of a core")
    print(f"  vs the server alone (baseline): {100 * base.share:.0f}% of a core; "
          f"CPU per sheet {1000 * w.cpu / max(1, w.sheets):.1f} ms vs "
          f"{1000 * base.cpu / max(1, base.sheets):.1f} ms "
          f"(x{(w.cpu / max(1, w.sheets)) / max(1e-9, base.cpu / max(1, base.sheets)):.2f})")
    print(f"console keeps up (every sheet shown, p99 < {TARGET_P99_MS:.0f} ms): "
          f"{verdict(run_.shown == w.sheets and p99 < TARGET_P99_MS)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contestants", type=int, default=60)
    parser.add_argument("--judges", type=int, default=9)
    parser.add_argument("--size", default="120x36", help="console size, WIDTHxHEIGHT")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-console-") as folder:
        asyncio.run(run(args, Path(folder)))


if __name__ == "__main__":
    main()
