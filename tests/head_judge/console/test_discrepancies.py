"""Discrepancies: accept a flag with a note, override a value with a reason, from the keyboard;
a refusal shows in the dialog, which stays open to fix the input."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from head_judge.console.screens.discrepancies import DiscrepanciesScreen
from head_judge.console.screens.form import FormDialog
from head_judge.console.widgets.flag_table import COLUMNS, FlagTable
from head_judge.console.widgets.matrix_table import MatrixTable
from head_judge.master import Master

from .conftest import entries, screen_text, until, world_app


async def test_accept_a_flag_with_a_note(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        assert isinstance(app.screen, DiscrepanciesScreen)
        flag = app.screen.query_one(FlagTable).chosen_flag()
        assert flag is not None and flag.status == "open"
        await pilot.press("a")
        assert isinstance(app.screen, FormDialog)
        await pilot.press("enter")  # no note: the dialog says so and stays
        assert isinstance(app.screen, FormDialog)
        assert "Please fill in" in screen_text(app, "#dialog-problem")
        await pilot.press(*"genuine", "enter")
        await until(pilot, lambda: not isinstance(app.screen, FormDialog), what="closed")
        assert entries(world, "flag_accepted")[-1] == {"flag": flag.id,
                                                       "contestant": flag.contestant,
                                                       "note": "genuine"}
        assert f"#{flag.id}" not in screen_text(app, "#flags")  # open flags only
        await pilot.press("h")  # all flags
        row = next(r for r in screen_text(app, "#flags").splitlines()
                   if r.startswith(f"#{flag.id} "))
        assert row.endswith("accepted")


async def test_override_refused_then_recorded(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        flag = app.screen.query_one(FlagTable).chosen_flag()
        assert flag is not None
        await pilot.press("o")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        judge = dialog.query_one("#field-judge", Select).value
        criterion = dialog.query_one("#field-criterion", Select).value
        assert judge in flag.judges
        assert isinstance(app.focused, Input) and app.focused.id == "field-value"
        await pilot.press(*"99", "tab", *"typo", "enter")  # above the rubric's maximum
        assert isinstance(app.screen, FormDialog)
        assert "Refused" in screen_text(app, "#dialog-problem")
        assert not entries(world, "value_overridden")[1:]  # only the world's own override
        value = dialog.query_one("#field-value", Input)
        value.value = "8"
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, FormDialog), what="closed")
        recorded = entries(world, "value_overridden")[-1]
        assert (recorded["judge"], recorded["contestant"], recorded["criterion"],
                recorded["new"], recorded["reason"]) == (judge, flag.contestant, criterion,
                                                         "8", "typo")
        await pilot.press("1")
        cell = app.screen.query_one(MatrixTable).get_cell(flag.contestant, str(judge))
        assert cell.plain.endswith("*") or cell.plain.endswith("?")


@pytest.mark.parametrize(("lang", "ends"), [("zh", "J1、J3"), ("en", "J1, J3")])
async def test_flag_rows_name_the_judges_they_are_about(world: Master, lang: str,
                                                        ends: str) -> None:
    """L05 (totals J1 64, J2 60, J3 40): the outlier row names J3 alone, a spread row the
    judges at both ends; the Contestant page's flag lines and the Audit line say the same."""
    app = world_app(world, lang)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        table = app.screen.query_one(FlagTable)
        column = COLUMNS.index("judges")
        about = {f.rule: str(table.get_row(str(f.id))[column]) for f in table.flags
                 if f.contestant == "L05"}
        assert about == {"outlier": "J3", "total_spread": ends, "criterion_spread": ends}
        await pilot.press("3", "slash", *"L05", "enter")
        history = screen_text(app, "#contestant-history")
        assert "(J3)" in history or "（J3）" in history
        assert f"({ends})" in history or f"（{ends}）" in history
        raised = {e.payload["rule"]: app.cache.describe(e, lang)
                  for e in world.ledger.entries()
                  if e.kind == "flag_raised" and e.payload["contestant"] == "L05"}
        assert "L05：J3 与全体评委中位数相差 20 > 10" in raised["outlier"] \
            or "L05: J3 differs from the panel's median by 20 > 10" in raised["outlier"]
        assert "最低 J3，最高 J1" in raised["total_spread"] \
            or "lowest J3, highest J1" in raised["total_spread"]
