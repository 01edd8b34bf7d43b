"""The reveal (亮分) from the console: a key on the Overview and Contestant screens, the
figures shown before they go to the hall, what blocks it, and the matrix's mark for who is
revealed (and who changed since)."""

from __future__ import annotations

from decimal import Decimal

from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.widgets.matrix_table import MatrixTable
from head_judge.master import Master
from head_judge.reveal import reveal_blockers

from .conftest import entries, screen_text, until, world_app


async def test_overview_key_reveals_the_contestant_under_the_cursor(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1")
        table = app.screen.query_one(MatrixTable)
        table.go_to("L04")
        assert table.get_cell("L04", "reveal").plain == ""
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and not dialog.blocked
        lines = screen_text(app, "#dialog-lines")
        assert "hall's screen" in lines and "Panel score" in lines
        assert entries(world, "contestant_revealed") == []  # nothing before it is confirmed
        await pilot.press("y")
        await until(pilot, lambda: entries(world, "contestant_revealed") != [], what="revealed")
        (revealed,) = entries(world, "contestant_revealed")
        assert revealed["contestant"] == "L04"
        assert f"({revealed['figures']['panel']})" not in lines  # the panel is not struck
        assert revealed["figures"]["panel"] in lines
        assert any("L04" in n.message and "revealed" in n.message
                   for n in app._notifications)
        await until(pilot, lambda: table.get_cell("L04", "reveal").plain == "  ◆",
                    what="the revealed mark")
        assert "◆ revealed" in screen_text(app, "#legend")
        await pilot.press("f1")
        assert "V reveals" in screen_text(app, "#help-text")


async def test_a_change_after_the_reveal_is_marked_and_revealed_again(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L06", "enter")
        await pilot.press("v", "y")
        await until(pilot, lambda: len(entries(world, "contestant_revealed")) == 1,
                    what="revealed")
        await until(pilot, lambda: "◆ revealed" in screen_text(app, "#contestant-head"),
                    what="revealed on the contestant page")
        (sheet,) = [s for s in app.head.sheets("L06") if s.judge == "J2"]
        pitch = sheet.values["pitch"]
        app.head.override_value("J2", "L06", "pitch", str(pitch - Decimal("0.5")),
                                "typed one half too many")
        assert reveal_blockers(app.head, "L06") == []
        app.refresh_now()
        await until(pilot, lambda: "◇ changed since revealed"
                    in screen_text(app, "#contestant-head"), what="the changed mark")
        await pilot.press("1")
        await until(pilot, lambda: app.screen.query_one(MatrixTable).get_cell(
            "L06", "reveal").plain == "  ◇", what="the changed mark in the matrix")
        await pilot.press("3", "v")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Reveal" in screen_text(app, "#dialog-title") \
            and "again" in screen_text(app, "#dialog-title")
        assert "Revealed at" in screen_text(app, "#dialog-lines")
        await pilot.press("enter")
        await until(pilot, lambda: len(entries(world, "contestant_revealed")) == 2,
                    what="revealed again")
        await until(pilot, lambda: "◆ revealed" in screen_text(app, "#contestant-head"),
                    what="revealed again on the contestant page")


async def test_what_blocks_a_reveal_is_listed_and_nothing_is_written(world: Master) -> None:
    app = world_app(world, "zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L05", "enter", "v")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.blocked
        assert "还不能为" in screen_text(app, "#dialog-title")
        lines = screen_text(app, "#dialog-lines")
        assert "分歧 34" in lines and "复核" in lines  # the open flags and the review
        await pilot.press("y")
        await pilot.pause()
        assert "不能确认" in screen_text(app, "#dialog-problem")
        await pilot.press("escape", "1")
        app.screen.query_one(MatrixTable).go_to("L13")  # no sheet yet
        await pilot.press("v")
        assert isinstance(app.screen, ConfirmDialog) and app.screen.blocked
        assert "L13" in screen_text(app, "#dialog-title")
        await pilot.press("escape")
        assert entries(world, "contestant_revealed") == []
