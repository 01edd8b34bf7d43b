"""`[event] timezone`: the console shows every time in the event's zone (the clock with its
offset) whatever zone the laptop's clock is set to; without it, in the laptop's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

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


async def test_table_times_carry_the_offset_in_the_header_and_sentences_inline(
        world: Master) -> None:
    """Tables (Discrepancies, Audit) put the offset all their times share in the time
    column's header and keep the cells narrow; a time inside a sentence (the Enrol tab's
    seat states, the contestant page's history) carries its own."""
    from head_judge.console.widgets.ledger_table import LedgerTable
    from head_judge.console.widgets.seat_table import SeatTable

    world.load_event(dataclasses.replace(world.event, timezone="Asia/Shanghai"), now=NOW)
    app = ConsoleApp(world, clock=utc_clock, lang="zh", prints=Path("prints"))
    async with app.run_test(size=(120, 36)) as pilot:
        for key, table_type in (("2", FlagTable), ("8", LedgerTable)):
            await pilot.press(key)
            await pilot.pause()
            table = app.screen.query_one(table_type)
            assert str(table.columns["time"].label) == "时间 +08:00"  # type: ignore[index]
            assert "+08:00" not in str(table.get_row_at(0)[1])
        await pilot.press("4")
        await pilot.pause()
        states = [str(app.screen.query_one(SeatTable).get_row_at(i)[3])
                  for i in range(len(world.event.judges))]
        assert any("已绑定（" in s for s in states), states
        assert all(s.count("+08:00") == 1 for s in states if "已绑定（" in s), states
        await pilot.press("3")
        await pilot.pause()
        history = screen_text(app, "#contestant-history")
        assert "+08:00" in history, history


def test_a_time_column_across_a_change_of_offset_shows_each_times_own() -> None:
    from head_judge.console.ledger_view import time_column

    zone = ZoneInfo("Europe/Berlin")  # summer time starts 2026-03-29 01:00 UTC
    before, after = "2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z"
    assert time_column([before, before, None], zone, "%H:%M") == (
        "+01:00", ["01:30", "01:30", ""])
    assert time_column([before, after], zone, "%H:%M") == (
        "", ["01:30 +01:00", "03:30 +02:00"])
    assert time_column([], zone, "%H:%M") == ("", [])
