"""What each screen shows, in Chinese and in English, at 120x36 (and the Overview at 100x30):
the deterministic livestream final of `world.py` under a fixed clock (10:30 on the day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from head_judge.console.state import IssuedCode
from head_judge.master import Master, iso

from .conftest import world_app
from .world import NOW, seeded

Steps = Callable[[Pilot[Any]], Awaitable[None]]


def keys(*pressed: str) -> Steps:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.press(*pressed)
        await pilot.pause()

    return run


SCREENS: dict[str, Steps] = {
    "overview": keys("1"),
    "discrepancies": keys("2"),
    "contestant": keys("3", "slash", *"L05", "enter"),
    "enrolment": keys("4", "down"),
    "components": keys("5"),
    "results": keys("6"),
    "appeals": keys("7"),
    "audit": keys("8"),
    "print": keys("9"),
}


def with_code(master: Master) -> IssuedCode:
    """A code for J2, as the Enrolment screen shows one it just issued."""
    (issued,) = master.issue_codes(["J2"], now=NOW, rng=seeded("snapshot code"))
    return IssuedCode("J2", issued.code.encode(), iso(NOW + dt.timedelta(hours=12)))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare: Any, world: Master, screen: str, lang: str) -> None:
    app = world_app(world, lang)
    if screen == "enrolment":
        app.codes["J2"] = with_code(world)
    assert snap_compare(app, terminal_size=(120, 36), run_before=SCREENS[screen])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_at_100x30(snap_compare: Any, world: Master, lang: str) -> None:
    assert snap_compare(world_app(world, lang), terminal_size=(100, 30), run_before=keys("1"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_dialog(snap_compare: Any, world: Master, lang: str) -> None:
    assert snap_compare(world_app(world, lang), terminal_size=(120, 36),
                        run_before=keys("2", "r", *"please check"))
