"""The Paper sheets screen (key 0): operators type a judge's printed paper form twice, blind,
on the deterministic world (L01-L12 scored on laptops, L13-L18 still to score), with the
form printed for real. Keys are pressed as an operator presses them: the numbers, a space
between each, Enter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from head_judge.actions import HeadJudge
from head_judge.console.app import ConsoleApp
from head_judge.console.screens.form import FormDialog
from head_judge.console.screens.paper import PaperScreen
from head_judge.console.widgets.score_boxes import ScoreBox, ScoreBoxes
from head_judge.master import Master
from head_judge.paper_desk import PaperDesk
from head_judge.printing import print_sheets

from .conftest import entries, screen_text, world_app
from .world import NOW, fixed_clock

SHEET = "8 12 17 13 9 13.5 14"
"""One row of the livestream form (7 criteria), as typed."""
SLIP = "8 12 16 13 9 13.5 14"
"""The same row with a slip on the third criterion (pitch)."""


def print_form(master: Master, judge: str, folder: Path) -> str:
    """The code of `judge`'s blank paper form, printed at the world's fixed time."""
    head = HeadJudge(master, clock=fixed_clock)
    printed = print_sheets(head, ["form"], [judge], out_dir=folder, now=NOW)
    (form,) = [p for p in printed if p.kind == "form"]
    return form.code


def ledger_size(master: Master) -> int:
    return int(master.ledger.conn.execute("SELECT count(*) FROM ledger").fetchone()[0])


def boxes(app: ConsoleApp) -> ScoreBoxes:
    return app.screen.query_one(ScoreBoxes)


async def type_row(pilot: Pilot[Any], row: str) -> None:
    """Type a row as an operator does: the numbers, a space between each, Enter."""
    await pilot.press(*row, "enter")
    await pilot.pause()


async def sign_in(pilot: Pilot[Any], operator: str, code: str | None = None) -> None:
    """Give the operator's name (Ctrl+O first when one was given), then the form's code."""
    app = pilot.app
    assert isinstance(app.screen, PaperScreen)
    if app.screen.operator:
        await pilot.press("ctrl+o")
    await pilot.press(*operator, "enter")
    if code is not None:
        await pilot.press(*code, "enter")
    await pilot.pause()


@pytest.fixture
def form(world: Master, tmp_path: Path) -> str:
    return print_form(world, "J1", tmp_path / "forms")


async def test_two_operators_a_slip_and_a_third_who_types_only_the_difference(
        world: Master, form: str) -> None:
    app = world_app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("0")
        screen = app.screen
        assert isinstance(screen, PaperScreen)
        assert isinstance(app.focused, Input) and app.focused.id == "paper-operator"
        # the code as a person types it: lower case, no dashes
        await sign_in(pilot, "Wang", form.replace("-", "").lower())
        assert screen.current == "L13", "L01-L12 were scored on the laptop"
        assert "first entry" in screen_text(app, "#paper-prompt")
        assert isinstance(app.focused, ScoreBox) and app.focused.criterion == "appearance"
        await type_row(pilot, SHEET)
        (first,) = entries(world, "paper_entered")
        assert first["operator"] == "Wang" and first["contestant"] == "L13"
        assert first["values"]["adaptability"] == "13.5"
        assert "first entry recorded" in screen_text(app, "#paper-status")
        assert screen.current == "L14"
        assert all(b.value == "" for b in boxes(app).boxes())
        assert "typed, waiting for another" in screen_text(app, "#paper-rows")

        await sign_in(pilot, "Li")
        assert screen.current == "L13"
        assert "second entry (blind)" in screen_text(app, "#paper-prompt")
        assert all(b.value == "" for b in boxes(app).boxes()), "blind: nothing shown"
        await type_row(pilot, SLIP)
        assert "differs from the earlier entry on Product pitch" in \
            screen_text(app, "#paper-status")
        assert "differs: Product pitch" in screen_text(app, "#paper-rows")
        assert not [s for s in app.head.sheets("L13") if s.judge == "J1"]

        await sign_in(pilot, "Zhang")
        assert screen.current == "L13"
        assert boxes(app).asked == ("pitch",), "a third operator types only the difference"
        assert [b.criterion for b in boxes(app).boxes()] == ["pitch"]
        assert "type only: Product pitch" in screen_text(app, "#paper-prompt")
        await type_row(pilot, "17")
        assert "the entries agree" in screen_text(app, "#paper-status")
        assert "agreed (revision 1)" in screen_text(app, "#paper-rows")
        (sheet,) = [s for s in app.head.sheets("L13") if s.judge == "J1"]
        assert sheet.paper is not None and str(sheet.values["pitch"]) == "17"
        assert [e["operator"] for e in entries(world, "paper_entered")] == \
            ["Wang", "Li", "Zhang"]


async def test_a_refusal_is_said_inline_in_chinese_and_nothing_is_recorded(
        world: Master, form: str) -> None:
    app = world_app(world, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("0")
        screen = app.screen
        assert isinstance(screen, PaperScreen)
        await sign_in(pilot, "王芳", form)
        before = ledger_size(world)
        await type_row(pilot, "8 12 17 13 9 13.3 14")  # 应变能力 goes by 0.5
        assert ledger_size(world) == before
        assert app.screen is screen, "said on the screen, not in a dialog"
        said = screen_text(app, "#paper-status")
        assert "应变能力" in said and "13.3" in said, said
        assert screen.query_one("#paper-status").has_class("error")
        assert isinstance(app.focused, ScoreBox) and app.focused.criterion == "adaptability"
        assert screen.current == "L13"
        await pilot.press("backspace", *"13.5", "enter")  # the box's text was selected
        await pilot.pause()
        assert ledger_size(world) == before + 1
        assert screen.current == "L14"
        await type_row(pilot, "11 12 17 13 9 13.5 14")  # 形象仪表 is out of 10
        assert ledger_size(world) == before + 1
        assert isinstance(app.focused, ScoreBox) and app.focused.criterion == "appearance"
        assert "形象仪表" in screen_text(app, "#paper-status")


async def test_a_typo_in_the_code_is_said_inline_and_a_row_can_be_skipped(
        world: Master, form: str) -> None:
    app = world_app(world, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("0")
        screen = app.screen
        assert isinstance(screen, PaperScreen)
        typo = ("B" if form[0] != "B" else "C") + form[1:]
        await sign_in(pilot, "王芳", typo)
        assert app.screen is screen and screen.form is None
        assert screen.query_one("#paper-status").has_class("error")
        assert screen_text(app, "#paper-status").strip()
        assert isinstance(app.focused, Input) and app.focused.id == "paper-code"
        await pilot.press("ctrl+u", *form, "enter")
        await pilot.pause()
        assert screen.current == "L13"
        before = ledger_size(world)
        await pilot.press("down")  # L13 left blank on paper
        assert screen.current == "L14" and ledger_size(world) == before
        await pilot.press("up")
        assert screen.current == "L13"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_snapshot_at_80x24(snap_compare: Any, world: Master, tmp_path: Path,
                           lang: str) -> None:
    code = print_form(world, "J1", tmp_path / "forms")

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("0")
        await sign_in(pilot, "王芳", code)
        await type_row(pilot, SHEET)
        await pilot.press(*"7 11")

    assert snap_compare(world_app(world, lang), terminal_size=(80, 24), run_before=run_before)


async def test_the_head_judge_resolves_a_conflict_with_a_reason(world: Master,
                                                                form: str) -> None:
    values = {c.id: "10" for c in world.event.criteria}
    for operator in ("王芳", "李强"):  # J1 also scored L04 on paper
        PaperDesk(world, operator, clock=fixed_clock).enter(form, "L04", values)
    app = world_app(world)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("0")
        await sign_in(pilot, "Wang", form)
        assert "conflicts with the laptop sheet" in screen_text(app, "#paper-rows")
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, FormDialog)
        await pilot.press("enter")  # no reason: refused in the dialog
        assert isinstance(app.screen, FormDialog) and not entries(
            world, "sheet_conflict_resolved")
        await pilot.press(*"the judge's laptop died", "enter")
        await pilot.pause()
        (resolved,) = entries(world, "sheet_conflict_resolved")
        assert resolved["judge"] == "J1" and resolved["contestant"] == "L04"
        assert resolved["keep"] == "laptop" and resolved["reason"] == "the judge's laptop died"
        assert isinstance(app.screen, PaperScreen)
        assert "conflicts with the laptop sheet" not in screen_text(app, "#paper-rows")
