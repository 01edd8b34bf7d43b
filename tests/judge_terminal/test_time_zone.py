"""`[event] timezone`: the terminal shows every time in the event's zone, with the offset on
its clock, whatever zone the laptop's clock is set to; without it, in the laptop's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from judge_terminal.app import JudgeApp

from . import support


def line(app: JudgeApp, selector: str) -> str:
    """What a one-line Static shows, as plain text at the terminal's width."""
    console = Console(width=80, color_system=None)
    with console.capture() as captured:
        console.print(app.screen.query_one(selector, Static).content)
    return captured.get().rstrip()


def utc_clock() -> dt.datetime:
    """The fixed instant (14:05 in Shanghai) on a laptop set to UTC."""
    return support.FIXED.astimezone(dt.UTC)


@pytest.mark.parametrize(("timezone", "clock", "receipt"), [
    ("Asia/Shanghai", "14:05 +08:00", "14:05:00"),
    (None, "06:05 +00:00", "06:05:00"),  # the laptop's own zone
])
async def test_clock_and_times_are_in_the_events_zone(tmp_path: Path, timezone: str | None,
                                                      clock: str, receipt: str) -> None:
    store = support.open_store(tmp_path / "judge")
    event = dataclasses.replace(support.livestream(), timezone=timezone)
    support.enrol(store, event, "J2")
    support.scenario(store, event)  # receipts stored at 14:05 +08:00
    app = JudgeApp(store, clock=utc_clock, connect=False, discover=False, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert line(app, "#title").endswith(clock)
        assert receipt in line(app, "#status")
    store.close()
