"""Enrolment: X excuses the chosen judge's seat (contestants named, or the whole final) in one
dialog with a reason; on a seat excused for the whole final, X restores it."""

from __future__ import annotations

from textual.widgets import Button

from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.screens.enrolment import EnrolmentScreen
from head_judge.console.screens.form import FormDialog
from head_judge.console.widgets.flag_table import FlagTable
from head_judge.console.widgets.matrix_table import MatrixTable
from head_judge.console.widgets.seat_table import SeatTable
from head_judge.console.widgets.sheet_grid import SheetGrid
from head_judge.master import Master

from .conftest import entries, screen_text, until, world_app


async def test_excuse_a_seat_then_restore_it(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4")
        assert isinstance(app.screen, EnrolmentScreen)
        judge = app.screen.query_one(SeatTable).chosen()
        assert judge is not None
        await pilot.press("x")
        assert isinstance(app.screen, FormDialog) and app.screen.danger
        assert "the whole final" in screen_text(app, "#label-contestants")
        await pilot.press("enter")  # no contestant: the whole final; on to the reason
        await pilot.press("enter")
        assert "Please fill in: Reason" in screen_text(app, "#dialog-problem")
        await pilot.press(*"absent all day", "enter")
        # Refused in the dialog, which stays open: the judge's sheets count for locked ones.
        assert f"L01, L02, L03 locked and {judge}'s sheets for them count" in \
            screen_text(app, "#dialog-problem")
        assert entries(world, "seat_excused") == []
        for contestant in ("L01", "L02", "L03"):
            app.head.unlock(contestant, "the judge's seat is to be excused")
        await pilot.press("enter")
        await until(pilot, lambda: bool(entries(world, "seat_excused")), what="excused")
        assert entries(world, "seat_excused") == [
            {"judge": judge, "contestants": None, "reason": "absent all day"}]
        assert isinstance(app.screen, EnrolmentScreen)
        assert "Excused for the whole final: absent all day" in screen_text(app, "#code-box")
        await pilot.press("1")  # the Overview marks every cell of the seat as not counted
        table = app.screen.query_one(MatrixTable)
        await until(pilot, lambda: all(table.get_cell(c, judge).plain.strip() == "×"
                                       for c in ("L01", "L09", "L18")), what="× cells")
        await pilot.press("4")

        await pilot.press("x")  # excused for the whole final: X restores
        assert isinstance(app.screen, FormDialog)
        assert "absent all day" in screen_text(app, "#dialog-context")
        await pilot.press(*"arrived", "enter")
        await until(pilot, lambda: bool(entries(world, "seat_restored")), what="restored")
        assert app.head.excusals(judge) == []

        await pilot.press("x", *"L01, L02", "enter", *"left at noon", "enter")
        await until(pilot, lambda: len(entries(world, "seat_excused")) == 2, what="again")
        assert entries(world, "seat_excused")[-1]["contestants"] == ["L01", "L02"]


async def test_an_excused_seat_is_marked_not_waited_for_and_gets_no_code(world: Master) -> None:
    app = world_app(world)
    for contestant in ("L01", "L02", "L03"):
        app.head.unlock(contestant, "the judge's seat is to be excused")
    app.head.excuse_judge("J5", "absent all day")
    async with app.run_test(size=(120, 36)) as pilot:
        # the contestant page: J5 not waited for (no sheet from them for L13)
        await app.show_contestant("L13")
        await pilot.pause()
        assert "× J5 excused" in screen_text(app, "#contestant-head")
        grid = app.screen.query_one(SheetGrid)
        assert grid.get_cell("total", "J5").plain == "×"
        assert grid.get_cell("total", "J1").plain == "·"  # J1 has not scored L13 yet
        # the flag's detail on Discrepancies: J5's sheet no longer counts
        await pilot.press("2")
        flag = app.screen.query_one(FlagTable).chosen_flag()
        assert flag is not None
        assert "J5 ×" in screen_text(app, "#flag-detail")
        # codes for all: none for the excused seat, and the dialog says so
        await pilot.press("4", "a")
        assert isinstance(app.screen, ConfirmDialog)
        assert "No code for J5" in screen_text(app, "#dialog-lines")
        assert "all 4 seats" in screen_text(app, "#dialog-title")
        await pilot.press("y")
        await until(pilot, lambda: bool(app.codes), what="codes issued")
        assert sorted(app.codes) == ["J1", "J2", "J3", "J4"]
        seats = screen_text(app, "SeatTable").splitlines()
        assert "× excused (whole final)" in seats[4] and "excused" not in seats[3]
        # the dialogs' buttons say what they do
        await pilot.press("down", "down", "down", "down")
        assert app.screen.query_one(SeatTable).chosen() == "J5"
        await pilot.press("x")
        assert "Enter  restore" in str(app.screen.query_one("#ok", Button).label)
        await pilot.press("escape", "up", "x")
        assert "Enter  excuse" in str(app.screen.query_one("#ok", Button).label)


async def test_an_excused_seat_reads_excused_on_results_and_the_judge_panel(
        world: Master) -> None:
    from head_judge.console.widgets.judge_panel import JudgePanel
    from head_judge.console.widgets.ranking_table import RankingTable

    app = world_app(world, "zh")
    for contestant in ("L01", "L02", "L03"):
        app.head.unlock(contestant, "the judge's seat is to be excused")
    app.head.excuse_judge("J5", "absent all day")
    async with app.run_test(size=(120, 36)) as pilot:
        panel = app.screen.query_one(JudgePanel)
        await until(pilot, lambda: "免评" in str(panel.get_cell("J5", "progress")),
                    what="J5 excused on the judge panel")
        assert str(panel.get_cell("J5", "progress")) == "× 免评（全场）"
        assert "未绑定" not in str(panel.get_cell("J5", "terminal"))
        assert "0/0" not in screen_text(app, "JudgePanel")
        await pilot.press("6")
        await pilot.pause()
        table = app.screen.query_one(RankingTable)
        assert table.row_count > 0
        column = list(table.columns).index("j:J5")  # type: ignore[arg-type]
        assert {str(table.get_row_at(i)[column]) for i in range(table.row_count)} == {"免评"}
        app.lang = "en"
        await pilot.pause()
        assert str(app.screen.query_one(RankingTable).get_row_at(0)[column]) == "excused"
