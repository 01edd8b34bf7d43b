"""What the judge sees, in Chinese and in English, at 80x24 (and the queue at 120x36):
enrolment, queue, score sheet, confirmation, review request. A fixed clock and seeded keys
keep the pictures stable; no network is used (the master list is given).

Update after a deliberate change: `pytest tests/judge_terminal/test_snapshots.py
--snapshot-update`, then look at every changed picture."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from judge_terminal.app import JudgeApp
from judge_terminal.lan import SeenMaster
from sync.client import SyncState
from sync.event import Text
from sync.store import TerminalStore

from . import support
from .conftest import burst

LANGS = ["zh", "en"]
STATE = SyncState(connection="online", outbox=2, clock_offset=dt.timedelta(minutes=3, seconds=5))
Before = Callable[[Pilot[None]], Awaitable[None]]


@pytest.fixture
def scenario_store(tmp_path: Path) -> TerminalStore:
    store = support.open_store(tmp_path / "judge")
    event = support.livestream()
    support.enrol(store, event, "J2")
    support.scenario(store, event)
    return store


def app(store: TerminalStore, lang: str, **options: object) -> JudgeApp:
    return JudgeApp(store, clock=support.fixed_clock, connect=False, discover=False,
                    lang=lang, **options)  # type: ignore[arg-type]


async def steady(pilot: Pilot[None]) -> None:
    """No blinking cursor, a fixed connection state."""
    pilot.app.sync_state = STATE  # type: ignore[attr-defined]
    await pilot.pause()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def then(*steps: Before) -> Before:
    async def run(pilot: Pilot[None]) -> None:
        for step in steps:
            await step(pilot)
        await steady(pilot)
    return run


def keys(*pressed: str) -> Before:
    async def run(pilot: Pilot[None]) -> None:
        await burst(pilot, *pressed)
        await pilot.pause()
    return run


def press(*pressed: str) -> Before:
    async def run(pilot: Pilot[None]) -> None:
        await pilot.press(*pressed)
        await pilot.pause()
    return run


def finder(several: bool = False) -> Callable[[], Awaitable[list[SeenMaster]]]:
    """The livestream final's master; with `several`, another final's heard first."""
    event = support.livestream()
    other = SeenMaster("192.168.1.23", 8765, "总裁判长 @192-168-1-23:8765", "roadshow-2025",
                       Text("2025 创业路演大赛决赛", "2025 Startup Roadshow Final"),
                       bytes(range(100, 132)))
    ours = SeenMaster("192.168.1.10", 8765, "总裁判长 @192-168-1-10:8765", event.id,
                      event.name, support.PIN)

    async def found() -> list[SeenMaster]:
        return [other, ours] if several else [ours]
    return found


def typo_code() -> str:
    """Seat 1's code with its last two digits swapped: the check digit catches it."""
    code = support.code_for(1)
    return code[:-2] + code[-1] + code[-2]


@pytest.mark.parametrize("lang", LANGS)
def test_enrolment_with_a_typo(snap_compare: Callable[..., bool], tmp_path: Path,
                               lang: str) -> None:
    store = TerminalStore.open(tmp_path / "judge", rng=support.seeded(1))
    shown = app(store, lang, finder=finder())
    assert snap_compare(shown, run_before=then(keys(*typo_code())))


@pytest.mark.parametrize("lang", LANGS)
def test_enrolment_code_ready(snap_compare: Callable[..., bool], tmp_path: Path,
                              lang: str) -> None:
    """Two masters heard; the judge chose the second with Down, Down."""
    store = TerminalStore.open(tmp_path / "judge", rng=support.seeded(1))
    shown = app(store, lang, finder=finder(several=True))
    assert snap_compare(shown, run_before=then(press("down", "down"),
                                               keys(*support.code_for(1))))


@pytest.mark.parametrize("lang", LANGS)
def test_queue(snap_compare: Callable[..., bool], scenario_store: TerminalStore,
               lang: str) -> None:
    assert snap_compare(app(scenario_store, lang), run_before=steady)


def test_queue_wide(snap_compare: Callable[..., bool], scenario_store: TerminalStore) -> None:
    assert snap_compare(app(scenario_store, "zh"), run_before=steady, terminal_size=(120, 36))


@pytest.mark.parametrize("lang", LANGS)
def test_score_sheet_being_typed(snap_compare: Callable[..., bool],
                                 scenario_store: TerminalStore, lang: str) -> None:
    typing = keys(*"9", "enter", *"12.5", "enter", *"18", "enter", *"13.3", "enter")
    assert snap_compare(app(scenario_store, lang), run_before=then(press("enter"), typing))


@pytest.mark.parametrize("lang", LANGS)
def test_confirmation(snap_compare: Callable[..., bool], scenario_store: TerminalStore,
                      lang: str) -> None:
    typing = keys(*"9", "enter", *"12.5", "enter", *"18", "enter", *"13.5", "enter", *"8",
                  "enter", *"13", "enter", *"14", "enter", *"台风稳健", "f2")
    assert snap_compare(app(scenario_store, lang), run_before=then(press("enter"), typing))


@pytest.mark.parametrize("lang", LANGS)
def test_review_request(snap_compare: Callable[..., bool], scenario_store: TerminalStore,
                        lang: str) -> None:
    assert snap_compare(app(scenario_store, lang), run_before=then(press("r")))


@pytest.mark.parametrize("lang", LANGS)
def test_rejected_sheet(snap_compare: Callable[..., bool],
                                       scenario_store: TerminalStore, lang: str) -> None:
    assert snap_compare(app(scenario_store, lang),
                        run_before=then(keys(*"8"), press("enter")))
