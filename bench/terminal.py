"""The judge terminal with 200 contestants: launch to the queue shown, a keystroke to the
updated total, and peak memory; each against a bare Textual app measured in the same run.

    .venv/bin/python -m bench.terminal [--contestants 200] [--keys 40]

Each figure comes from a fresh process (`--child`), headless at 80x24, with a store enrolled
as judge J1 (no master: the terminal starts offline, as it may at the venue). When tmux is
installed, launch is also timed in a real terminal: from starting `judge-terminal` to the
queue readable on screen (capture-pane, polled every 10 ms), against a bare Textual app
showing a 200-row table the same way. Prints figures, ratios and PASS/MISS against the
targets (launch < 1 s, keystroke < 50 ms, < 150 MB); asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench import old_laptop  # noqa: E402

TARGETS = {"launch_s": 1.0, "key_ms": 50.0, "peak_mb": 150.0}
OLD_LAPTOP_TARGETS = {"launch_s": 2.0, "key_p99_ms": 100.0}  # issue 25


def peak_mb() -> float:
    try:
        import resource
    except ImportError:  # Windows: no getrusage
        return float("nan")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 if sys.platform != "darwin" else rss / 1024 / 1024


# --- the measured processes -------------------------------------------------------------------


async def painted(app: Any) -> None:
    """Until the screen has been refreshed."""
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()


async def keystroke_ms(app: Any, shown: Any, keys: int) -> list[float]:
    """Type `5` and backspace in turn, `keys` times, through the app's driver: for each key,
    the milliseconds until the widget `shown` renders something else and it is painted."""
    from textual import events

    driver = app._driver
    assert driver is not None
    timings: list[float] = []
    for i in range(keys):
        before = str(shown.render())
        key = events.Key("5", "5") if i % 2 == 0 else events.Key("backspace", None)
        key.set_sender(app)
        t0 = time.perf_counter()
        driver.send_message(key)
        while str(shown.render()) == before:
            await asyncio.sleep(0)
        await painted(app)
        timings.append((time.perf_counter() - t0) * 1000)
    return timings


def child_judge(home: Path, keys: int, started: float) -> dict[str, float]:

    from judge_terminal.app import JudgeApp
    from judge_terminal.screens.queue import QueueScreen
    from judge_terminal.screens.sheet import SheetScreen
    from judge_terminal.widgets.queue_table import QueueTable
    from judge_terminal.widgets.total_line import TotalLine
    from sync.store import TerminalStore

    imported = time.time()
    store = TerminalStore.open(home)
    contestants = len(store.event().contestants)
    app = JudgeApp(store, connect=False, discover=False, lang="zh")
    out: dict[str, float] = {}

    async def auto(pilot: object) -> None:
        while not (isinstance(app.screen, QueueScreen)
                   and app.screen.query_one(QueueTable).row_count == contestants):
            await asyncio.sleep(0)
        await painted(app)
        out["launch_s"] = time.time() - started
        out["app_s"] = time.time() - imported
        app.screen.query_one(QueueTable).go_to(store.event().contestants[-1].id)
        app.screen.query_one(QueueTable).action_select_cursor()
        while not isinstance(app.screen, SheetScreen):
            await asyncio.sleep(0.001)
        await painted(app)
        total = app.screen.query_one(TotalLine)
        timings = await keystroke_ms(app, total, keys)
        out["key_ms"] = statistics.median(timings)
        out["key_p99_ms"] = p99(timings)
        out["key_max_ms"] = max(timings)
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=auto)  # type: ignore[arg-type]
    store.close()
    out["peak_mb"] = peak_mb()
    return out


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def child_bare(keys: int, started: float) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Input, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()
            yield Input(id="field")
            yield Static(id="echo")

        def on_input_changed(self, event: Input.Changed) -> None:
            self.query_one("#echo", Static).update(event.value)

    app = Bare()
    out: dict[str, float] = {}

    async def auto(pilot: object) -> None:
        table = app.query_one(DataTable)
        for name in ("#", "id", "name", "org", "status", "total"):
            table.add_column(name)
        for i in range(200):
            table.add_row(str(i), f"C{i}", "name", "organisation", "status", "")
        await painted(app)
        out["launch_s"] = time.time() - started
        app.query_one(Input).focus()
        await painted(app)
        echo = app.query_one("#echo", Static)
        timings = await keystroke_ms(app, echo, keys)
        out["key_ms"] = statistics.median(timings)
        out["key_p99_ms"] = p99(timings)
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=auto)  # type: ignore[arg-type]
    out["peak_mb"] = peak_mb()
    return out


# --- the parent -------------------------------------------------------------------------------


def make_home(folder: Path, contestants: int) -> Path:
    from tests.judge_terminal import support

    home = folder / "judge"
    event = support.big_event(support.livestream(), contestants)
    with support.open_store(home) as store:
        support.enrol(store, event, "J1", port=9)
        for contestant in event.contestants[: contestants // 4]:
            record = store.submit_sheet(contestant.id, support.marks(event), now=support.FIXED)
            support.receipt(store, record)
    return home


def confining(laptop: old_laptop.OldLaptop | None) -> Callable[[], None] | None:
    """What a child process runs before its program: entering the old laptop's cgroup."""
    if laptop is None:
        return None
    return lambda: laptop.confine(os.getpid())


def measure(*args: str, laptop: old_laptop.OldLaptop | None = None) -> dict[str, float]:
    started = time.time()
    done = subprocess.run([sys.executable, __file__, "--child", *args, "--started",
                           repr(started)], check=True, capture_output=True, text=True,
                          preexec_fn=confining(laptop))
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


BARE_APP = """
from textual.app import App
from textual.widgets import DataTable
class Bare(App):
    def compose(self):
        yield DataTable()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("#", "id", "name", "organisation", "status", "total")
        table.add_rows([(i, f"C{i}", "name", "organisation", "to score", "") for i in range(200)])
Bare().run()
"""


def tmux_launch(home: Path, rows: int, *, bare: bool = False,
                laptop: old_laptop.OldLaptop | None = None) -> float | None:
    """Seconds from starting `judge-terminal` in tmux (80x24) to the queue on screen (or a
    bare Textual app's table, with `bare`).

    Each launch has a tmux server of its own, its socket in the bench's temporary folder: on a
    shared one, the server that exits with the previous launch's last session can refuse the
    next launch ("server exited unexpectedly")."""
    if shutil.which("tmux") is None:
        return None
    tmux = ["tmux", "-S", str(home.parent / f"tmux-{next(_launches)}")]
    command = f"{Path(sys.executable).parent / 'judge-terminal'} --home {home} app --no-discover"
    if bare:
        script = home.parent / "bare.py"
        script.write_text(BARE_APP)
        command = f"{sys.executable} {script}"
    started = time.monotonic()
    subprocess.run([*tmux, "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24", command],
                   check=True, preexec_fn=confining(laptop))  # the tmux server inherits it
    try:
        while time.monotonic() - started < 20:
            shown = subprocess.run([*tmux, "capture-pane", "-p", "-t", "bench"],
                                   capture_output=True, text=True).stdout
            if ("选手队列" in shown and f"共 {rows} 位" in shown and "待评分" in shown) or (
                    bare and "to score" in shown):
                return time.monotonic() - started
            time.sleep(0.01)
        return None
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


_launches = itertools.count(1)


def verdict(name: str, value: float) -> str:
    return "PASS" if value < TARGETS[name] else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contestants", type=int, default=200)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["judge", "bare"])
    parser.add_argument("--home", type=Path)
    parser.add_argument("--started", type=float, default=0.0)
    old_laptop.add_argument(parser, "the judge terminal's process (and the baseline's)")
    args = parser.parse_args()
    if args.child == "judge":
        print(json.dumps(child_judge(args.home, args.keys, args.started)))
        return
    if args.child == "bare":
        print(json.dumps(child_bare(args.keys, args.started)))
        return

    laptop = old_laptop.open_or_exit(args.old_laptop)
    try:
        report(args, laptop)
    finally:
        if laptop is not None:
            laptop.__exit__(None, None, None)


def report(args: argparse.Namespace, laptop: old_laptop.OldLaptop | None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-terminal-") as tmp:
        home = make_home(Path(tmp), args.contestants)
        keys = ["--keys", str(args.keys)]
        judge = [measure("judge", "--home", str(home), *keys, laptop=laptop)
                 for _ in range(args.repeat)]
        bare = [measure("bare", *keys, laptop=laptop) for _ in range(args.repeat)]
        tries = [tmux_launch(home, args.contestants, laptop=laptop)
                 for _ in range(args.repeat)]
        in_tmux = min((t for t in tries if t is not None), default=None)
        bare_tries = [tmux_launch(home, args.contestants, bare=True, laptop=laptop)
                      for _ in range(args.repeat)]
        bare_tmux = min((t for t in bare_tries if t is not None), default=None)

    def best(runs: list[dict[str, float]], key: str) -> float:
        return min(r[key] for r in runs)

    launch, key_ms = best(judge, "launch_s"), best(judge, "key_ms")
    peak = max(r["peak_mb"] for r in judge)
    b_launch, b_key, b_peak = best(bare, "launch_s"), best(bare, "key_ms"), \
        max(r["peak_mb"] for r in bare)
    print(f"judge terminal, {args.contestants} contestants ({args.contestants // 4} synced), "
          f"80x24, best of {args.repeat} fresh processes; baseline: a bare Textual app with a "
          "200-row table and one input")
    print(f"launch to queue shown (process start, headless) {launch:6.3f} s   "
          f"baseline {b_launch:6.3f} s  x{launch / b_launch:4.2f}   target < 1 s    "
          f"{verdict('launch_s', launch)}")
    print(f"  of which after imports                        {best(judge, 'app_s'):6.3f} s")
    if in_tmux is not None and bare_tmux is not None:
        print(f"launch to queue readable in tmux (real tty)      {in_tmux:6.3f} s   "
              f"baseline {bare_tmux:6.3f} s  x{in_tmux / bare_tmux:4.2f}   target < 1 s    "
              f"{verdict('launch_s', in_tmux)}")
    print(f"keystroke to updated total (median of {args.keys})    {key_ms:6.2f} ms  "
          f"baseline {b_key:6.2f} ms x{key_ms / b_key:4.2f}   target < 50 ms   "
          f"{verdict('key_ms', key_ms)}")
    print(f"  slowest keystroke                             "
          f"{max(r['key_max_ms'] for r in judge):6.2f} ms")
    print(f"peak memory (max RSS)                          {peak:6.1f} MB  "
          f"baseline {b_peak:6.1f} MB x{peak / b_peak:4.2f}   target < 150 MB  "
          f"{verdict('peak_mb', peak)}")
    key_p99 = min(r["key_p99_ms"] for r in judge)
    targets = OLD_LAPTOP_TARGETS if laptop is not None else {**TARGETS, "key_p99_ms": 100.0}
    print(f"{old_laptop.key('launch_s', laptop)}: {launch:.3f} (target < "
          f"{targets['launch_s']:.0f} s) {old_laptop.verdict(launch < targets['launch_s'])}")
    if in_tmux is not None:
        print(f"{old_laptop.key('launch_tmux_s', laptop)}: {in_tmux:.3f} (target < "
              f"{targets['launch_s']:.0f} s) {old_laptop.verdict(in_tmux < targets['launch_s'])}")
    print(f"{old_laptop.key('key_p99_ms', laptop)}: {key_p99:.1f} (of {args.keys} keys, best "
          f"of {args.repeat} processes; target < {targets['key_p99_ms']:.0f} ms) "
          f"{old_laptop.verdict(key_p99 < targets['key_p99_ms'])}")
    print(f"{old_laptop.key('key_p99_over_bare', laptop)}: "
          f"{key_p99 / min(r['key_p99_ms'] for r in bare):.2f}x")
    print(f"{old_laptop.key('peak_mb', laptop)}: {peak:.1f}")


if __name__ == "__main__":
    main()
