"""Enrolment: X excuses the chosen judge's seat (contestants named, or the whole final) in one
dialog with a reason; on a seat excused for the whole final, X restores it."""

from __future__ import annotations

from head_judge.console.screens.enrolment import EnrolmentScreen
from head_judge.console.screens.form import FormDialog
from head_judge.console.widgets.matrix_table import MatrixTable
from head_judge.console.widgets.seat_table import SeatTable
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
