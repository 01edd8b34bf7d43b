"""Console benchmark (issues 7, 25): how fast the head judge's matrix shows a sheet that just
landed, and what the console costs, with judges streaming sheets at full speed; a bigger final
(issue 25: tracks, revisions, the big screen watched) and the memory of the master and of a
judge terminal.

    .venv/bin/python -m bench.console [--contestants 60] [--judges 9] [--tracks 1]
        [--revisions 0] [--size 120x36] [--no-screen] [--old-laptop] [--profile N]

    .venv/bin/python -m bench.console --tracks 3 --contestants 100 --judges 15 --revisions 0.1

Setup: a generated final (seven criteria, discrepancy rules on) in a temporary home.
`--tracks N` makes N tracks of `--contestants` each (the contestants spread over the tracks in
turn; every judge scores every contestant): `--tracks 3 --contestants 100 --judges 15` is
4,500 sheets. `--tracks 1`, the default, is the final this bench always ran: `--contestants`
spread over the generator's four tracks. `--revisions F`: a fraction F of the sheets (chosen
at random, the same in every run) is corrected by its judge after it was sent, as judges do:
right after the judge's next sheet has been pushed, a second sheet for the same contestant
(with a reason), pushed in turn; each revision is an arrival like any other sheet.

The console process is this one: `ConsoleApp` running headless at `--size` with the master's
server (`MasterServer`, TLS 1.3) on the app's own event loop, as `head-judge serve` runs it,
the Overview showing, and, unless `--no-screen`, the audience's big screen served beside it
(`ServeOptions.screen_port`, as `head-judge serve` does) with two viewers (phones: one has
loaded `/screen`, the other `/results`) holding its `/events` stream during the whole run.
The judges are other processes: one terminal store and sync client per judge
(`TerminalStore` + `SyncClient`, enrolled with codes from `Master.issue_codes`), all
submitting and pushing one sheet at a time, as fast as they can: the first judge alone in a
process of its own (to measure one judge terminal's memory), the others (and the viewers)
together in another.

- latency: for every arrival (first sheet or revision), from its arrival (the push that
  carried it answered, i.e. the ledger committed it) to the matrix showing it or a later
  revision of the same cell (the screen refreshed after the cell changed): p50 and p99.
  Target: p99 under 250 ms (under `--old-laptop`, 500 ms).
- CPU: the console process's CPU time over the streaming window (server + console, as a share
  of one core), the part of it spent reading the ledger and updating the screen's widgets,
  and, as a baseline measured in the same run, the same stream into the server alone (no
  console, no screen): the console's cost is the difference.
- memory: `master_rss_mb`, the console process's peak resident memory (master + server +
  screen + console; Linux VmHWM, reset before the console phase); `terminal_rss_mb`, the
  peak of the process that runs the first judge alone (its store and sync client, as a
  terminal runs them; the terminal's own screen is measured by bench.terminal).

`--old-laptop` (issue 25): the console process (and, in the baseline, the server alone) is
confined to one CPU at half speed once the judges' processes have started; the judges and the
viewers stay unconfined (other machines). Key lines then carry the `old_laptop_` prefix.

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
import contextlib
import cProfile
import multiprocessing
import os
import pstats
import random
import resource
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from bench import old_laptop
from bench.generated import write_event
from sync.client import SyncClient
from sync.clock import utc_now
from sync.event import Event
from sync.event_file import load_event
from sync.store import TerminalStore

if TYPE_CHECKING:  # the judges' processes import this module: keep the head judge out of them
    from head_judge.console.app import ConsoleApp
    from head_judge.master import Master

TARGET_P99_MS = 250.0
OLD_LAPTOP_TARGET_P99_MS = 500.0
REASON = "bench: corrected"


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


def write_final(folder: Path, contestants: int, judges: int, tracks: int = 1) -> Path:
    """`tracks` tracks of `contestants` each; 1: the final as before (`contestants` over the
    generator's four tracks)."""
    folder.mkdir(parents=True, exist_ok=True)
    if tracks == 1:
        return write_event(folder, event_id="bench-console", judges=judges,
                           contestants=contestants, scoring=SCORING)
    return write_event(folder, event_id="bench-console", judges=judges,
                       contestants=contestants * tracks, scoring=SCORING, tracks=tracks)


def values(event: Event, judge: str, contestant: str) -> dict[str, Decimal]:
    rng = random.Random(f"{judge}/{contestant}")
    quality = random.Random(contestant).uniform(0.5, 0.95)
    off = -0.25 if rng.random() < 0.04 else 0.0  # now and then a judge far off: a flag
    out = {}
    for c in event.criteria:
        raw = float(c.max) * min(1.0, max(0.0, quality + off + rng.uniform(-0.05, 0.05)))
        out[c.id] = min(c.max, Decimal(round(raw * 2)) / 2)
    return out


def revised(event: Event, judge: str, contestant: str, fraction: float
            ) -> dict[str, Decimal] | None:
    """The judge's corrected sheet for `contestant`, if this one is among the `fraction`
    revised (the same ones in every run): half a point more or less on one criterion."""
    rng = random.Random(f"revise/{judge}/{contestant}")
    if rng.random() >= fraction:
        return None
    out = values(event, judge, contestant)
    criterion = rng.choice(event.criteria)
    half = Decimal("0.5")
    out[criterion.id] = out[criterion.id] - half if out[criterion.id] >= half else half
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM), in MB."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Start VmHWM again from the current RSS (Linux >= 4.0); whether it could."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# --- the judges and the viewers (other processes) ---------------------------------------------


async def _readable(conn: Connection) -> None:
    """Wait for `conn` without blocking the loop (the viewers keep reading meanwhile)."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(conn.fileno(), lambda: ready.done() or ready.set_result(None))
    try:
        await ready
    finally:
        loop.remove_reader(conn.fileno())


async def _viewer(session: Any, base: str, page: str, connected: asyncio.Event,
                  frames: dict[str, int]) -> None:
    async with session.get(f"{base}/{page}") as answer:
        await answer.read()
    async with session.get(f"{base}/events") as stream:
        connected.set()
        async for raw in stream.content:
            if raw.startswith(b"event: state"):
                frames[page] += 1


async def _judges(conn: Connection, port: int, codes: dict[str, str], folder: Path,
                  event_file: Path, fraction: float, screen: str | None) -> None:
    import aiohttp

    event = load_event(event_file)
    stores = {j: TerminalStore.open(folder / j) for j in codes}
    clients = {j: SyncClient(stores[j], device_name=f"bench {j}") for j in codes}
    for j, client in clients.items():
        await client.enrol(codes[j], "127.0.0.1", port)
    frames = {"screen": 0, "results": 0}
    viewers: list[asyncio.Task[None]] = []
    session = None
    if screen is not None:
        session = aiohttp.ClientSession(trust_env=False,
                                        timeout=aiohttp.ClientTimeout(total=None))
        flags = {page: asyncio.Event() for page in frames}
        viewers = [asyncio.create_task(_viewer(session, screen, page, flag, frames))
                   for page, flag in flags.items()]
        await asyncio.wait_for(asyncio.gather(*(f.wait() for f in flags.values())), 60)
    conn.send("enrolled")
    await _readable(conn)
    conn.recv()  # go

    async def judge(j: str) -> tuple[int, int]:
        sent = corrections = 0
        pending: str | None = None  # a sheet to correct once the next one is sent

        async def correct(contestant: str) -> int:
            fixed = revised(event, j, contestant, fraction)
            assert fixed is not None
            stores[j].submit_sheet(contestant, fixed, reason=REASON, now=utc_now())
            return (await clients[j].push_once()).accepted

        for c in sorted(event.contestants, key=lambda c: c.order):
            stores[j].submit_sheet(c.id, values(event, j, c.id), now=utc_now())
            summary = await clients[j].push_once()
            sent += summary.accepted
            if pending is not None:
                corrections += await correct(pending)
                pending = None
            if fraction > 0 and revised(event, j, c.id, fraction) is not None:
                pending = c.id
        if pending is not None:
            corrections += await correct(pending)
        return sent, corrections

    counts = await asyncio.gather(*(judge(j) for j in codes))
    for task in viewers:
        task.cancel()
    for task in viewers:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    if session is not None:
        await session.close()
    for client in clients.values():
        await client.close()
    for store in stores.values():
        store.close()
    conn.send({"sheets": sum(s for s, _ in counts), "revisions": sum(r for _, r in counts),
               "judges": len(codes), "rss_mb": peak_rss_mb(),
               "viewers": sum(1 for t in viewers), "frames": frames})


def judges_process(conn: Connection, port: int, codes: dict[str, str], folder: str,
                   event_file: str, fraction: float, screen: str | None) -> None:
    asyncio.run(_judges(conn, port, codes, Path(folder), Path(event_file), fraction, screen))


@dataclass
class Judges:
    """The judges' processes: the first judge alone, the others (and the viewers) together."""

    processes: list[multiprocessing.process.BaseProcess] = field(default_factory=list)
    conns: list[Connection] = field(default_factory=list)

    def start(self, port: int, codes: dict[str, str], folder: Path, event_file: Path,
              fraction: float, screen: str | None = None) -> None:
        ctx = multiprocessing.get_context("spawn")
        first = sorted(codes, key=lambda j: (len(j), j))[:1]
        groups = [({j: codes[j] for j in first}, None),
                  ({j: c for j, c in codes.items() if j not in first}, screen)]
        for group, viewers in groups:
            ours, theirs = ctx.Pipe()
            process = ctx.Process(target=judges_process,
                                  args=(theirs, port, group, str(folder), str(event_file),
                                        fraction, viewers), daemon=True)
            process.start()
            self.processes.append(process)
            self.conns.append(ours)

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes if p.pid is not None]

    async def ready(self, timeout: float) -> None:
        for conn in self.conns:
            await wait_for(conn, timeout)

    def go(self) -> None:
        for conn in self.conns:
            conn.send("go")

    def done(self) -> bool:
        return all(conn.poll() for conn in self.conns)

    def results(self) -> list[dict[str, Any]]:
        """The lone judge's answer first, then the others'."""
        return [conn.recv() for conn in self.conns]

    def join(self) -> None:
        for process in self.processes:
            process.join(10)


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


@dataclass
class Stream:
    """What the judges' processes answered after the stream."""

    first: int
    revisions: int
    terminal_rss_mb: float
    panel_rss_mb: float
    panel_judges: int
    viewers: int
    frames: dict[str, int]

    @property
    def arrivals(self) -> int:
        return self.first + self.revisions

    @classmethod
    def of(cls, answers: list[dict[str, Any]]) -> Stream:
        lone, panel = answers
        return cls(lone["sheets"] + panel["sheets"], lone["revisions"] + panel["revisions"],
                   lone["rss_mb"], panel["rss_mb"], panel["judges"], panel["viewers"],
                   panel["frames"])


def codes_for(master: Master) -> dict[str, str]:
    return {issued.judge.id: issued.code.encode()
            for issued in master.issue_codes(None, now=utc_now())}


async def baseline(folder: Path, event_file: Path, fraction: float,
                   laptop: old_laptop.OldLaptop | None) -> tuple[Window, Stream]:
    """The same stream into the server alone, no console."""
    from head_judge.master import Master
    from head_judge.server import MasterServer

    master = Master.open(folder / "master", load_event(event_file), now=utc_now())
    server = MasterServer(master, checkpoint_interval=None)
    port = await server.start("127.0.0.1", 0)
    judges = Judges()
    judges.start(port, codes_for(master), folder / "judges", event_file, fraction)
    if laptop is not None:
        laptop.confine(os.getpid())
    try:
        await judges.ready(300)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        judges.go()
        while not judges.done():
            await asyncio.sleep(0.01)
        stream = Stream.of(judges.results())
        window = Window(stream.arrivals, time.perf_counter() - wall0,
                        time.process_time() - cpu0)
    finally:
        if laptop is not None:
            laptop.release(os.getpid())
        judges.join()
        await server.close()
        master.close()
    return window, stream


@dataclass
class ConsoleRun:
    window: Window
    latencies: list[float]
    refresh: float
    shown: int
    """Arrivals the matrix showed (or showed a later revision of)."""
    superseded: int
    """Of those, the ones it showed only as their revision (both landed between two draws)."""
    stream: Stream
    rss_mb: float
    rss_reset: bool
    screen: str
    """The big screen: `present (...)`, `absent (why)`."""


async def with_console(folder: Path, event_file: Path, size: tuple[int, int], fraction: float,
                       screen: bool, laptop: old_laptop.OldLaptop | None,
                       profile: cProfile.Profile | None = None) -> ConsoleRun:
    from head_judge.console.app import ConsoleApp
    from head_judge.console.serving import ServeOptions
    from head_judge.master import Master

    resource_tracker.ensure_running()  # before the app holds the terminal's descriptors
    rss_reset = reset_peak_rss()
    master = Master.open(folder / "master", load_event(event_file), now=utc_now())
    app = ConsoleApp(master, serve=ServeOptions("127.0.0.1", 0, advertise=False,
                                                checkpoint_interval=None,
                                                screen_port=0 if screen else None), lang="zh")
    commits: list[tuple[int, float]] = []
    shown: dict[int, float] = {}
    cells: dict[int, tuple[str, str]] = {}
    screen_text = "absent (--no-screen)"
    try:
        async with app.run_test(size=size) as pilot:
            while app.port is None:
                await pilot.pause(0.01)
            serving = app.serving
            assert serving is not None and app.port is not None
            base = None
            screen_port = serving.screen.port if serving.screen is not None else None
            if screen_port is not None:
                base = f"http://127.0.0.1:{screen_port}"
            elif screen:
                problem = serving.screen_problem
                screen_text = f"absent ({problem.render('en') if problem else 'not served'})"

            def answered() -> None:
                commits.append((app.ledger_size(), time.perf_counter()))
                app.ledger_touched()

            serving.on_answer = answered

            def probe(seqs: list[int], at: float) -> None:
                for seq in seqs:
                    shown.setdefault(seq, at)

            app.matrix_probe = probe
            judges = Judges()
            judges.start(app.port, codes_for(master), folder / "judges", event_file, fraction,
                         base)
            if laptop is not None:
                laptop.confine(os.getpid())
            try:
                await judges.ready(300)
                await pilot.pause(0.5)
                app.refresh_seconds = 0.0
                wall0, cpu0 = time.perf_counter(), time.process_time()
                if profile is not None:
                    profile.enable()
                judges.go()
                while not judges.done():
                    await pilot.pause(0.01)
                if profile is not None:
                    profile.disable()
                stream = Stream.of(judges.results())
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    cells = cells_of(app)
                    if len(cells) >= stream.arrivals and set(latest(cells)) <= set(shown):
                        break
                    await pilot.pause(0.01)
                window = Window(stream.arrivals, time.perf_counter() - wall0,
                                time.process_time() - cpu0)
                refresh = app.refresh_seconds
                rss = peak_rss_mb()
                if base is not None:
                    frames = ", ".join(f"/{page} {n}" for page, n in stream.frames.items())
                    screen_text = (f"present (port {screen_port}, "
                                   f"{stream.viewers} SSE viewers held /events through the "
                                   f"stream; state frames received: {frames})")
            finally:
                if laptop is not None:
                    laptop.release(os.getpid())
                judges.join()
    finally:
        master.close()
    marks = [size for size, _ in commits]
    by_cell: dict[tuple[str, str], list[int]] = {}
    for seq in sorted(cells):
        by_cell.setdefault(cells[seq], []).append(seq)
    latencies = []
    superseded = 0
    for seqs in by_cell.values():
        for i, seq in enumerate(seqs):
            index = bisect.bisect_left(marks, seq)
            seen = [shown[s] for s in seqs[i:] if s in shown]
            if index < len(commits) and seen:
                latencies.append(max(0.0, min(seen) - commits[index][1]))
                superseded += int(seq not in shown)
    return ConsoleRun(window, latencies, refresh, len(latencies), superseded, stream, rss,
                      rss_reset, screen_text)


def cells_of(app: ConsoleApp) -> dict[int, tuple[str, str]]:
    """Every sheet's ledger entry and its cell (judge, contestant)."""
    out = {}
    for entry in app.cache.entries:
        if entry.kind == "sheet_received":
            body = app.cache.body(entry)
            if body is not None:
                out[entry.seq] = (str(body["judge"]), str(body["contestant"]))
    return out


def latest(cells: dict[int, tuple[str, str]]) -> list[int]:
    """The newest sheet of each cell."""
    newest: dict[tuple[str, str], int] = {}
    for seq, cell in cells.items():
        newest[cell] = max(seq, newest.get(cell, 0))
    return list(newest.values())


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


async def run(args: argparse.Namespace, folder: Path, laptop: old_laptop.OldLaptop | None
              ) -> None:
    def key(name: str) -> str:
        return old_laptop.key(name, laptop)

    target = OLD_LAPTOP_TARGET_P99_MS if laptop is not None else TARGET_P99_MS
    event_file = write_final(folder / "event", args.contestants, args.judges, args.tracks)
    contestants = args.contestants * (args.tracks if args.tracks > 1 else 1)
    width, height = (int(x) for x in args.size.split("x"))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    tracks = (f"{args.tracks} tracks x {args.contestants} contestants" if args.tracks > 1
              else f"{args.contestants} contestants")
    print(f"final: {tracks} x {args.judges} judges, "
          f"{contestants * args.judges} sheets, console at {width}x{height}")
    base, _ = await baseline(folder / "baseline", event_file, args.revisions, laptop)
    print(f"baseline (server alone): {base.sheets} sheets in {base.wall:.2f} s "
          f"({base.sheets / base.wall:.0f}/s), server CPU {100 * base.share:.0f}% of a core")
    profile = cProfile.Profile() if args.profile else None
    run_ = await with_console(folder / "console", event_file, (width, height), args.revisions,
                              not args.no_screen, laptop, profile)
    w, stream = run_.window, run_.stream
    p50, p99 = pct(run_.latencies, 50) * 1000, pct(run_.latencies, 99) * 1000
    print(f"stream with the console: {w.sheets} sheets in {w.wall:.2f} s "
          f"({w.sheets / w.wall:.0f}/s), {run_.shown} shown in the matrix")
    print(f"  of which revisions: {stream.revisions}; shown only as their revision (both "
          f"landed between two draws): {run_.superseded}")
    print(f"latency arrival->matrix p50: {p50:.0f} ms")
    print(f"latency arrival->matrix p99: {p99:.0f} ms (target < {target:.0f} ms) "
          f"{verdict(p99 < target)}")
    print(f"latency arrival->matrix max: {max(run_.latencies, default=0) * 1000:.0f} ms")
    print(f"console process CPU (server + console): {100 * w.share:.0f}% of a core "
          f"over {w.wall:.2f} s")
    print(f"  of which reading the ledger and updating the screen's widgets: "
          f"{100 * run_.refresh / w.wall:.0f}% of a core")
    print(f"  vs the server alone (baseline): {100 * base.share:.0f}% of a core; "
          f"CPU per sheet {1000 * w.cpu / max(1, w.sheets):.1f} ms vs "
          f"{1000 * base.cpu / max(1, base.sheets):.1f} ms "
          f"(x{(w.cpu / max(1, w.sheets)) / max(1e-9, base.cpu / max(1, base.sheets)):.2f})")
    print(f"console keeps up (every sheet shown, p99 < {target:.0f} ms): "
          f"{verdict(run_.shown == w.sheets and p99 < target)}")
    print(f"judges' process ({stream.panel_judges} judges' stores and sync clients"
          f"{', and the viewers' if stream.viewers else ''}): peak RSS "
          f"{stream.panel_rss_mb:.0f} MB")
    print(f"{key('sheets')}: {stream.first}")
    print(f"{key('revisions')}: {stream.revisions}")
    print(f"{key('screen')}: {run_.screen}")
    print(f"{key('console_p99_ms')}: {p99:.0f} (target < {target:.0f} ms) "
          f"{verdict(p99 < target)}")
    print(f"{key('master_rss_mb')}: {run_.rss_mb:.0f} (the console process: master + server"
          f"{' + screen' if run_.screen.startswith('present') else ''} + console; peak RSS"
          f"{' since the console phase began' if run_.rss_reset else ' of the whole run'})")
    print(f"{key('terminal_rss_mb')}: {stream.terminal_rss_mb:.0f} (one judge's store and "
          f"sync client alone in a process, peak RSS; no terminal screen: see bench.terminal)")
    if profile is not None:
        print(f"\nthe console process during the stream, cProfile top {args.profile} "
              "by own time:")
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contestants", type=int, default=60,
                        help="contestants (per track with --tracks > 1)")
    parser.add_argument("--judges", type=int, default=9)
    parser.add_argument("--tracks", type=int, default=1,
                        help="tracks of --contestants each (1: the final as before)")
    parser.add_argument("--revisions", type=float, default=0.0,
                        help="fraction of sheets their judge corrects after sending them")
    parser.add_argument("--size", default="120x36", help="console size, WIDTHxHEIGHT")
    parser.add_argument("--no-screen", action="store_true",
                        help="do not serve the audience's big screen beside the console")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the console process's cProfile top N during the stream")
    old_laptop.add_argument(parser, "the console process (master + server + console)")
    args = parser.parse_args()
    if args.tracks < 1 or args.contestants < 1 or args.judges < 1:
        parser.error("--tracks, --contestants and --judges must be at least 1")
    if not 0 <= args.revisions <= 1:
        parser.error("--revisions is a fraction between 0 and 1")
    laptop = old_laptop.open_or_exit(args.old_laptop)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-console-") as folder:
            asyncio.run(run(args, Path(folder), laptop))
    finally:
        if laptop is not None:
            laptop.__exit__(None, None, None)


if __name__ == "__main__":
    main()
