"""Screen benchmark (issue 23): how fast a reveal (亮分) reaches the audience's screen in a real
browser, and what 200 viewers cost the judges.

    .venv/bin/python -m bench.screen [--reveals 50] [--viewers 200] [--judges 9]
                                     [--sheets-per-judge 40] [--interval 0.25]
                                     [--reveal-every 0.5] [--client-nice 10]

Setup: a generated final (9 judges, no discrepancy rules: every contestant can be revealed
once its sheets are in) in a temporary home, served by this process as `head-judge serve`
serves it (`Serving`: the judges' `MasterServer` over TLS and the screen's `ScreenServer` on
one event loop, both on loopback). The judges are a process of their own (a `TerminalStore` +
`SyncClient` each, enrolled with codes from `Master.issue_codes`), and so are the viewers.
Both run at niceness +10 (`--client-nice`), as `bench.sync` runs its laptops: in a hall the
judges' laptops and the viewers' phones and screens have CPUs of their own, where here they
share two cores with the master.

- reveal: headless Chromium (Debian's `chromium`, through Playwright) shows `/screen?animate=0`;
  `--reveals` times, from the `reveal()` call to the browser's next animation frame after the
  revealed contestant's final score is in the page (a MutationObserver in the page stamps it,
  on the same wall clock): p50/p99. Target: p99 < 500 ms.
- viewers: the judges submit and push a sheet every `--interval` seconds each (submit-to-
  receipt, as `bench.sync` times it), while the head judge reveals a contestant every
  `--reveal-every` seconds; first with no viewer (the baseline), then with `--viewers` SSE
  clients, half of them having loaded `/screen` and half `/results`, each holding `/events`
  open: the viewers' update latency (the `reveal()` call to the state arriving at each viewer)
  p50/p99, target p99 < 1 s, and the judges' p99 with viewers as a ratio of the p99 without,
  target <= 1.2x. The two runs alternate twice (`SLICES`), so both see the machine alike,
  after `WARMUP_SHEETS` untimed sheets per judge.

Skipped (exit 0, saying why) without `chromium` or Playwright. Each figure is printed as
`name: value`, with its target and PASS/MISS; nothing is asserted.
"""
# ruff: noqa: E402  (imports follow the sys.path fix below)

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import tempfile
import time
import traceback
from collections.abc import Sequence
from decimal import Decimal
from multiprocessing.connection import Connection
from typing import Any, cast

import aiohttp

from bench import old_laptop
from bench.generated import write_event
from bench.sync import Child, Pace, percentile, verdict
from head_judge.actions import HeadJudge
from head_judge.console.serving import ServeOptions, Serving
from head_judge.master import Master
from head_judge.reveal import reveal
from sync.client import SyncClient
from sync.clock import utc_now
from sync.event import Event
from sync.event_file import load_event
from sync.store import TerminalStore

TARGET_REVEAL_P99_MS = 500.0
TARGET_VIEWER_P99_MS = 1000.0
TARGET_JUDGE_RATIO = 1.2
SLICES = 2
"""Each of the two runs (no viewer, viewers) is made in this many parts, alternating."""
WARMUP_REVEALS = 3
WARMUP_SHEETS = 4
"""Sheets per judge pushed at the pace, untimed, before the first timed slice."""

SCORING = """[scoring]
aggregate = "trimmed_mean"
[[scoring.components]]
id = "panel"
name = { zh = "评分", en = "Panel" }
source = "panel"
max = 100
weight = 1"""

PAINTED = """([cid]) => {
  const shown = () => {
    const node = document.querySelector(`#reveal[data-contestant="${cid}"] .final-value`);
    return node !== null && node.textContent.trim() !== "";
  };
  window.__painted = new Promise((resolve) => {
    const done = () => requestAnimationFrame(
      () => resolve(performance.timeOrigin + performance.now()));
    if (shown()) { done(); return; }
    const watch = new MutationObserver(() => {
      if (shown()) { watch.disconnect(); done(); }
    });
    watch.observe(document.body, {subtree: true, childList: true, characterData: true,
                                  attributes: true});
  });
  return true;
}"""
"""Installed before each reveal: a promise of the wall-clock time (ms) of the first animation
frame after the contestant's final score is in the page."""


def values(event: Event, judge: str, contestant: str) -> dict[str, Decimal]:
    rng = random.Random(f"{judge}/{contestant}")
    quality = random.Random(contestant).uniform(0.5, 0.95)
    return {c.id: min(c.max, Decimal(round(float(c.max) * min(
        1.0, quality + rng.uniform(-0.05, 0.05)) * 2)) / 2) for c in event.criteria}


# --- the judges (a process) -------------------------------------------------------------------


def judges_process(event_file: str, folder: str, niceness: int, conn: Connection) -> None:
    os.nice(niceness)
    asyncio.run(_judges(Path(event_file), Path(folder), conn))


async def _judges(event_file: Path, folder: Path, conn: Connection) -> None:
    event = load_event(event_file)
    stores: dict[str, TerminalStore] = {}
    clients: dict[str, SyncClient] = {}

    async def enrol(codes: dict[str, str], port: int) -> None:
        for judge, code in codes.items():
            stores[judge] = TerminalStore.open(folder / judge)
            clients[judge] = SyncClient(stores[judge], device_name=f"bench {judge}",
                                        request_timeout=600.0)
            await clients[judge].enrol(code, "127.0.0.1", port)
            await clients[judge].pull_once()

    async def score(contestants: list[str]) -> bool:
        """Every judge's sheet for each of `contestants`, pushed at once (untimed)."""
        for contestant in contestants:
            for judge, store in stores.items():
                store.submit_sheet(contestant, values(event, judge, contestant), now=utc_now())
        await asyncio.gather(*(client.drain() for client in clients.values()))
        return all(store.outbox_size() == 0 for store in stores.values())

    async def paced(contestants: list[str], interval: float) -> list[float]:
        """Each judge submits and pushes a sheet for each of `contestants`, one every
        `interval` seconds: submit-to-receipt times."""

        async def judge(name: str) -> list[float]:
            store, client, pace = stores[name], clients[name], Pace(interval)
            samples = []
            for contestant in contestants:
                await pace.wait()
                record = store.submit_sheet(contestant, values(event, name, contestant),
                                            now=utc_now())
                start = time.perf_counter()
                await client.push_once()
                if store.receipt(record.hash) is not None:
                    samples.append(time.perf_counter() - start)
            return samples

        runs = await asyncio.gather(*(judge(name) for name in stores))
        return [s for samples in runs for s in samples]

    commands = {"enrol": enrol, "score": score, "paced": paced}
    conn.send({})
    try:
        while True:
            command, argument = conn.recv()
            if command == "stop":
                break
            try:
                conn.send(("ok", await commands[command](*argument)))
            except Exception:
                conn.send(("error", traceback.format_exc()))
    finally:
        for client in clients.values():
            await client.close()
        for store in stores.values():
            store.close()
        conn.send("stopped")


# --- the viewers (a process) ------------------------------------------------------------------


def viewers_process(niceness: int, conn: Connection) -> None:
    os.nice(niceness)
    asyncio.run(_viewers(conn))


async def _viewers(conn: Connection) -> None:
    """`watch`: open `count` viewers (a page, then its `/events`), answer once all are
    connected; `report`: close them and answer, per state version, the wall-clock times it
    arrived at each viewer; `stop`: end."""
    arrivals: dict[int, list[float]] = {}
    tasks: list[asyncio.Task[None]] = []
    session: aiohttp.ClientSession | None = None
    conn.send({})

    async def viewer(base: str, page: str, connected: asyncio.Event) -> None:
        assert session is not None
        async with session.get(f"{base}/{page}") as answer:
            await answer.read()
        async with session.get(f"{base}/events") as stream:
            connected.set()
            event = ""
            async for raw in stream.content:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event == "state":
                    version = json.loads(line[5:])["version"]
                    arrivals.setdefault(int(version), []).append(time.time())

    loop = asyncio.get_running_loop()
    while True:
        ready = loop.create_future()
        loop.add_reader(conn.fileno(), lambda f=ready: f.done() or f.set_result(None))
        await ready
        loop.remove_reader(conn.fileno())
        command, argument = conn.recv()
        if command == "watch":
            base, count = argument
            session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0), trust_env=False,
                timeout=aiohttp.ClientTimeout(total=None))
            flags = [asyncio.Event() for _ in range(count)]
            tasks = [asyncio.create_task(viewer(base, ("screen", "results")[i % 2], flag))
                     for i, flag in enumerate(flags)]
            await asyncio.wait_for(asyncio.gather(*(f.wait() for f in flags)), 60)
            arrivals.clear()
            conn.send(("ok", count))
        elif command == "report":
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if session is not None:
                await session.close()
            conn.send(("ok", dict(arrivals)))
        else:
            conn.send("stopped")
            return


async def ask(child: Child, command: str, *argument: object) -> Any:
    status, value = cast(tuple[str, Any], await child.ask(command, argument))
    if status != "ok":
        raise RuntimeError(f"{command} failed:\n{value}")
    return value


# --- phases -----------------------------------------------------------------------------------


async def reveal_to_paint(head: HeadJudge, url: str, contestants: Sequence[str],
                          chromium: str) -> list[float]:
    """Milliseconds from `reveal()` to the frame painting the final score, per reveal."""
    from playwright.async_api import async_playwright

    samples: list[float] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium)
        page = await browser.new_page(viewport={"width": 1920, "height": 1080})
        await page.goto(url)
        await page.locator("body[data-version]").wait_for(state="attached", timeout=10000)
        for index, contestant in enumerate(contestants):
            await page.evaluate(PAINTED, [contestant])
            start = time.time() * 1000
            reveal(head, contestant)
            painted = float(await page.evaluate("() => window.__painted"))
            if index >= WARMUP_REVEALS:
                samples.append(painted - start)
        await browser.close()
    return samples


async def reveals_every(head: HeadJudge, contestants: Sequence[str], seconds: float,
                        stop: asyncio.Event, times: dict[int, float]) -> None:
    """The head judge reveals (again) one contestant after another until `stop`."""
    index = 0
    while not stop.is_set():
        moment = time.time()
        times[reveal(head, contestants[index % len(contestants)])] = moment
        index += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), seconds)


async def judges_run(head: HeadJudge, judges: Child, viewers: Child | None, base: str,
                     count: int, contestants: list[str], revealed: list[str],
                     args: argparse.Namespace) -> tuple[list[float], list[float]]:
    """One slice: the judges' paced sheets while the head judge reveals, with `count`
    viewers (or none): (judges' submit-to-receipt seconds, viewers' update seconds)."""
    if viewers is not None:
        await ask(viewers, "watch", base, count)
    stop, times = asyncio.Event(), {}
    revealing = asyncio.create_task(reveals_every(head, revealed, args.reveal_every, stop,
                                                  times))
    try:
        sheets = await ask(judges, "paced", contestants, args.interval)
    finally:
        stop.set()
        await revealing
    updates: list[float] = []
    if viewers is not None:
        await asyncio.sleep(1.0)  # the last reveal's state on its way
        arrivals = await ask(viewers, "report")
        for version, at in arrivals.items():
            if int(version) in times:
                updates += [moment - times[int(version)] for moment in at]
    return sheets, updates


async def run(args: argparse.Namespace, folder: Path, chromium: str,
              laptop: old_laptop.OldLaptop | None = None) -> None:
    per_slice = args.sheets_per_judge // SLICES
    needed = args.reveals + WARMUP_REVEALS + WARMUP_SHEETS + 2 * SLICES * per_slice
    (folder / "event").mkdir()
    event_file = write_event(folder / "event", event_id="bench-screen", judges=args.judges,
                             contestants=needed, scoring=SCORING)
    event = load_event(event_file)
    order = [c.id for c in event.running_order()]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    master = Master.open(folder / "master", event, now=utc_now())
    head = HeadJudge(master)
    serving = Serving(master, ServeOptions("127.0.0.1", 0, advertise=False,
                                           checkpoint_interval=None, screen_port=0))
    judges = await Child(judges_process, str(event_file), str(folder / "judges"),
                         args.client_nice).started()
    viewers = await Child(viewers_process, args.client_nice).started()
    if laptop is not None:  # the master's laptop, and the browser it starts for the projector
        laptop.confine(os.getpid())
    try:
        port = await serving.start()
        assert serving.screen is not None and serving.screen.port is not None
        base = f"http://127.0.0.1:{serving.screen.port}"
        codes = {i.judge.id: i.code.encode() for i in master.issue_codes(None, now=utc_now())}
        await ask(judges, "enrol", codes, port)
        shown = order[:args.reveals + WARMUP_REVEALS]
        assert await ask(judges, "score", shown), "every sheet in"

        painted = await reveal_to_paint(head, f"{base}/screen?animate=0", shown, chromium)
        p50, p99 = percentile(painted, 50), percentile(painted, 99)
        print(f"reveal->painted in Chromium ({len(painted)} reveals) p50: {p50:.0f} ms")
        print(f"reveal->painted p99: {p99:.0f} ms (target < {TARGET_REVEAL_P99_MS:.0f} ms) "
              f"{verdict(p99 < TARGET_REVEAL_P99_MS)}")

        warmup, rest = order[len(shown):len(shown) + WARMUP_SHEETS], \
            order[len(shown) + WARMUP_SHEETS:]
        await judges_run(head, judges, None, base, 0, warmup, shown, args)
        alone: list[float] = []
        watched: list[float] = []
        updates: list[float] = []
        for part in range(SLICES):
            first = rest[2 * part * per_slice:(2 * part + 1) * per_slice]
            second = rest[(2 * part + 1) * per_slice:(2 * part + 2) * per_slice]
            sheets, _ = await judges_run(head, judges, None, base, 0, first, shown, args)
            alone += sheets
            sheets, seen = await judges_run(head, judges, viewers, base, args.viewers, second,
                                            shown, args)
            watched += sheets
            updates += seen
        print(f"judges: {args.judges} x {args.sheets_per_judge} sheets, one every "
              f"{args.interval} s each; a reveal every {args.reveal_every} s; "
              f"{args.viewers} viewers (half /screen, half /results)")
        a99, w99 = percentile(alone, 99) * 1000, percentile(watched, 99) * 1000
        print(f"judges' submit->receipt p50/p99 without viewers: "
              f"{percentile(alone, 50) * 1000:.1f} / {a99:.1f} ms")
        print(f"judges' submit->receipt p50/p99 with {args.viewers} viewers: "
              f"{percentile(watched, 50) * 1000:.1f} / {w99:.1f} ms")
        ratio = w99 / a99 if a99 else float("nan")
        print(f"judges' p99 ratio with/without viewers: {ratio:.2f}x "
              f"(target <= {TARGET_JUDGE_RATIO}x) {verdict(ratio <= TARGET_JUDGE_RATIO)}")
        v50 = percentile(updates, 50) * 1000 if updates else float("nan")
        v99 = percentile(updates, 99) * 1000 if updates else float("nan")
        print(f"viewers' updates received: {len(updates)} ({args.viewers} viewers x the "
              "reveals made while they watched)")
        print(f"viewers' reveal->update p50: {v50:.0f} ms")
        print(f"viewers' reveal->update p99: {v99:.0f} ms (target < "
              f"{TARGET_VIEWER_P99_MS:.0f} ms) {verdict(v99 < TARGET_VIEWER_P99_MS)}")
        key = lambda name: old_laptop.key(name, laptop)  # noqa: E731
        print(f"{key('reveal_painted_p99_ms')}: {p99:.0f} (target < "
              f"{TARGET_REVEAL_P99_MS:.0f} ms) {verdict(p99 < TARGET_REVEAL_P99_MS)}")
        print(f"{key('viewer_update_p99_ms')}: {v99:.0f} (target < "
              f"{TARGET_VIEWER_P99_MS:.0f} ms) {verdict(v99 < TARGET_VIEWER_P99_MS)}")
        print(f"{key('judges_p99_with_over_without_viewers')}: {ratio:.2f}x (target <= "
              f"{TARGET_JUDGE_RATIO}x) {verdict(ratio <= TARGET_JUDGE_RATIO)}")
    finally:
        await judges.stop()
        await viewers.stop()
        await serving.close()
        master.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reveals", type=int, default=50)
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--judges", type=int, default=9)
    parser.add_argument("--sheets-per-judge", type=int, default=40)
    parser.add_argument("--interval", type=float, default=0.25)
    parser.add_argument("--reveal-every", type=float, default=0.5)
    parser.add_argument("--client-nice", type=int, default=10,
                        help="niceness of the judges' and the viewers' processes")
    old_laptop.add_argument(parser, "this process (the master, its screen server and the "
                            "projector's browser)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("skipped: no chromium on PATH (apt-get install chromium; .ci/run installs it)")
        return
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        print("skipped: Playwright for Python is not installed (pip install '.[test]')")
        return
    laptop = old_laptop.open_or_exit(args.old_laptop)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-screen-") as folder:
            asyncio.run(run(args, Path(folder), chromium, laptop))
    finally:
        if laptop is not None:
            laptop.__exit__(None, None, None)


if __name__ == "__main__":
    main()
