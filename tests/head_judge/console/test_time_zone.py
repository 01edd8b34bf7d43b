"""`[event] timezone`: the console shows every time in the event's zone (the clock with its
offset) whatever zone the laptop's clock is set to; without it, in the laptop's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from head_judge.console.app import ConsoleApp
from head_judge.console.widgets.flag_table import COLUMNS, FlagTable
from head_judge.master import Master

from .conftest import screen_text
from .world import NOW


def utc_clock() -> dt.datetime:
    """The world's 10:30 in Shanghai, on a laptop set to UTC."""
    return NOW.astimezone(dt.UTC)


@pytest.mark.parametrize(("timezone", "clock", "hours"), [
    ("Asia/Shanghai", "10:30:00 +08:00", 8),
    (None, "02:30:00 +00:00", 0),  # the laptop's own zone
])
async def test_clock_and_listed_times_are_in_the_events_zone(
        world: Master, timezone: str | None, clock: str, hours: int) -> None:
    world.load_event(dataclasses.replace(world.event, timezone=timezone), now=NOW)
    app = ConsoleApp(world, clock=utc_clock, lang="en", prints=Path("prints"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        assert screen_text(app, "#title").rstrip().endswith(clock)
        table = app.screen.query_one(FlagTable)
        flag = table.flags[0]
        at = next(e.at for e in world.ledger.entries(flag.id - 1) if e.seq == flag.id)
        raised = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
        shown = (raised + dt.timedelta(hours=hours)).strftime("%H:%M:%S")
        assert str(table.get_row(str(flag.id))[COLUMNS.index("time")]) == shown
