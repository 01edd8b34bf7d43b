"""Contestant: every judge's sheet, revisions and reasons, flags; lock (forced with a reason
when something blocks it), unlock with a reason, withdraw a sheet; on stage."""

from __future__ import annotations

from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.screens.contestant import ContestantScreen
from head_judge.console.screens.form import FormDialog
from head_judge.console.widgets.matrix_table import MatrixTable
from head_judge.master import Master

from .conftest import entries, screen_text, until, world_app


async def test_everything_about_one_contestant(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L06", "enter")
        assert isinstance(app.screen, ContestantScreen) and app.contestant == "L06"
        head = screen_text(app, "#contestant-head")
        assert "L06" in head and "not locked" in head
        grid = screen_text(app, "#sheet-grid")
        assert grid.splitlines()[0].startswith("Appearance") and "r2" in grid
        history = screen_text(app, "#contestant-history")
        assert "J2 revision 2" in history and "typed 16 for 17" in history
        assert "Rank" in screen_text(app, "#contestant-score")
        await pilot.press("right_square_bracket")
        assert app.contestant == "L07"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.contestant == "L05"


async def test_force_lock_then_unlock(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L05", "enter")
        blockers = app.head.lock_blockers("L05")
        assert blockers  # L05 has open flags in this world
        await pilot.press("l")
        dialog = app.screen
        assert isinstance(dialog, FormDialog) and dialog.danger
        assert blockers[0] in screen_text(app, "#dialog-context")
        await pilot.press(*"notary agreed", "enter")
        await until(pilot, lambda: "L05" in app.head.locks(), what="locked")
        locked = entries(world, "contestant_locked")[-1]
        assert locked["forced"] and locked["reason"] == "notary agreed"
        assert "■ locked" in screen_text(app, "#contestant-head")

        await pilot.press("u")
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"appeal", "enter")
        await until(pilot, lambda: "L05" not in app.head.locks(), what="unlocked")
        assert entries(world, "contestant_unlocked")[-1] == {"contestant": "L05",
                                                            "reason": "appeal"}


async def test_lock_asks_first_and_withdraw_excuses_a_judge(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L04", "enter")
        assert not app.head.lock_blockers("L04")
        await pilot.press("l")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # nothing happens without the confirmation
        assert "L04" not in app.head.locks()

        await pilot.press("w")
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"taken ill", "enter")
        await until(pilot, lambda: bool(entries(world, "sheet_withdrawn")), what="withdrawn")
        withdrawn = entries(world, "sheet_withdrawn")[0]
        assert withdrawn["contestant"] == "L04" and withdrawn["reason"] == "taken ill"
        await pilot.press("1")
        cell = app.screen.query_one(MatrixTable).get_cell("L04", withdrawn["judge"])
        assert cell.plain.strip() == "×"


async def test_on_stage_is_marked_on_the_console(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "n")  # nobody yet: the first in running order
        assert app.on_stage == "L01"
        await pilot.press("n")
        assert app.on_stage == "L02"
        row = app.screen.query_one(MatrixTable).get_cell("L02", "order").plain
        assert row.startswith("▶")
        assert "On stage: 2 L02" in screen_text(app, "#title")
