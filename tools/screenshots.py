"""The README's pictures of both apps: SVG files as Textual draws them, in Chinese.

    .venv/bin/python -m tools.screenshots [--out docs/screenshots]

- `judge-terminal-sheet.svg`: judge J2's laptop, the sheet of L05 (on stage) with five of its
  seven marks typed (the snapshot tests' scenario and fixed clock, at 100x30).
- `console-overview.svg`: the head judge's console, the matrix of the livestream final at 10:30
  with its flags, a review waiting, locks (the console snapshot tests' deterministic world,
  built through the master's own handlers from the shared fixture), as served at the venue:
  the title's address and which terminals are online come from a stand-in for the server
  (`AtTheVenue`), since nothing listens here; L13 on stage. 120x36.
- `console-results.svg`: the same final's Results screen: the live ranking with the dropped
  marks, prizes, what still blocks publishing.

The states and the key presses are the snapshot tests' own (tests/judge_terminal,
tests/head_judge/console), so the pictures are the same on every run; run it again after
changing what either app shows.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from head_judge.actions import HeadJudge
from head_judge.console.serving import ServeOptions, Serving
from head_judge.master import Master
from sync.client import SyncState
from tests.conftest import FIXTURES
from tests.head_judge.console.conftest import world_app
from tests.head_judge.console.test_snapshots import SCREENS
from tests.head_judge.console.world import Laptop, build, fixed_clock, reopen
from tests.judge_terminal import support
from tests.judge_terminal.test_snapshots import app as judge_app
from tests.judge_terminal.test_snapshots import keys, press, then

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots"

Steps = Callable[[Pilot[Any]], Awaitable[None]]

TYPING = keys(*"9", "enter", *"12.5", "enter", *"18", "enter", *"13.5", "enter", *"8", "enter")
"""Five of the seven marks typed on the sheet of the contestant on stage."""
ON_STAGE = "L13"
"""Who is on stage in the console's pictures: the next after the twelve scored."""


async def sheet_typed(pilot: Pilot[Any]) -> None:
    """The snapshot tests' steps (open the sheet on stage, type, steady), then a calmer
    connection than theirs: online, one sheet to send, the clock in step with the master's."""
    await then(press("enter"), TYPING)(pilot)
    pilot.app.sync_state = SyncState(connection="online", outbox=1)  # type: ignore[attr-defined]
    await pilot.pause()


OFFLINE = {"J4"}
"""The seat whose laptop is not connected in the pictures (its clock is off, too)."""


class AtTheVenue(Serving):
    """The console's server as the title and the judges' panel see it at the venue, without
    listening: 192.168.1.10:8765, every laptop's live channel up but `OFFLINE`'s."""

    def __init__(self, master: Master) -> None:
        super().__init__(master, ServeOptions("192.168.1.10", 8765, advertise=False))
        self.port = 8765
        for judge in master.event.judges:
            if judge.id not in OFFLINE:
                laptop = Laptop.for_judge(judge.id)
                self.server.live[judge.id] = {_Connection(laptop.device)}  # type: ignore[arg-type]

    def is_live(self, judge: str, device: str) -> bool:
        return judge not in OFFLINE

    async def close(self) -> None:
        pass  # nothing was started


class _Connection:
    def __init__(self, device: str) -> None:
        self.device = type("Device", (), {"id": device})()


async def shoot(app: App[Any], steps: Steps, size: tuple[int, int], title: str,
                path: Path) -> Path:
    """Run `app` headless at `size`, play `steps`, save what the screen shows as SVG."""
    async with app.run_test(size=size) as pilot:
        await steps(pilot)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        svg = app.export_screenshot(title=title)
    path.write_text(svg, encoding="utf-8")
    return path


async def judge_terminal(out: Path, work: Path) -> list[Path]:
    store = support.open_store(work / "judge")
    try:
        event = support.livestream(FIXTURES)
        support.enrol(store, event, "J2")
        support.scenario(store, event)
        return [await shoot(judge_app(store, "zh"), sheet_typed,
                            (100, 30), "judge-terminal", out / "judge-terminal-sheet.svg")]
    finally:
        store.close()


async def console(out: Path, work: Path) -> list[Path]:
    home = work / "head-judge"
    master = build(home, FIXTURES)
    try:
        HeadJudge(master, clock=fixed_clock).announce_on_stage(ON_STAGE)
    finally:
        master.close()
    shot = []
    for screen, name in (("overview", "console-overview.svg"),
                         ("results", "console-results.svg")):
        master = reopen(home)
        try:
            app = world_app(master, "zh")
            app.serving, app.serve_state = AtTheVenue(master), "on"
            shot.append(await shoot(app, SCREENS[screen], (120, 36), "head-judge serve",
                                    out / name))
        finally:
            master.close()
    return shot


async def main_async(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="finals-kiosk-shots-") as work:
        return [*await judge_terminal(out, Path(work)), *await console(out, Path(work))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the SVG files")
    args = parser.parse_args(argv)
    for path in asyncio.run(main_async(args.out)):
        print(f"{path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
