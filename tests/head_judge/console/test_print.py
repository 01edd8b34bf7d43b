"""Print: sheets printed as PDFs by `head_judge.printing.print_sheets` in a worker thread (the
console keeps answering), each sheet's code shown and every print recorded in the ledger."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.screens.print import PrintScreen
from head_judge.console.widgets.print_choices import PrintChoices
from head_judge.master import Master

from .conftest import entries, screen_text, until, world_app


async def test_print_results_and_report(world: Master, tmp_path: Path) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("9")
        screen = app.screen
        assert isinstance(screen, PrintScreen)
        choices = screen.query_one(PrintChoices)
        assert choices.ticked() == ["judge", "contestant", "results", "discrepancy", "appeal"]
        await pilot.press("a", "a")  # all, then none
        assert choices.ticked() == []
        for index in (3, 4):  # results, discrepancy report
            choices.highlighted = index
            await pilot.press("space")
        assert choices.ticked() == ["results", "discrepancy"]
        screen.query_one("#input-folder", Input).value = str(tmp_path / "out")
        screen.query_one("#input-notary", Input).value = "李静"
        await pilot.press("g", "1", "9")  # the console keeps answering while it prints
        await until(pilot, lambda: screen.started is None, timeout=30, what="printed")
        printed = entries(world, "sheet_printed")
        # the pack's inventory, for the notary to sign, comes first
        assert [p["kind"] for p in printed] == ["inventory", "results", "discrepancy"]
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
            p["file"] for p in printed)
        table = screen_text(app, "#printed")
        assert all(p["code"] in table for p in printed)
        assert "3 sheet(s) printed" in screen_text(app, "#print-state")


async def test_cards_ask_first(world: Master, tmp_path: Path) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("9", "a", "a")
        choices = app.screen.query_one(PrintChoices)
        choices.highlighted = 6
        await pilot.press("space", "g")
        assert choices.ticked() == ["enrolment"]
        assert isinstance(app.screen, ConfirmDialog) and app.screen.danger
        await pilot.press("escape")
        assert not entries(world, "sheet_printed")


async def test_blank_paper_forms_are_listed_unticked_and_print_one_per_judge(
        world: Master, tmp_path: Path) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("9")
        screen = app.screen
        choices = screen.query_one(PrintChoices)
        form = str(choices.get_option_at_index(1).prompt)  # listed, not ticked by default
        assert form == "[ ] Blank paper forms (one per judge, 5; printed before the final)"
        await pilot.press("a", "a")
        choices.highlighted = 1
        await pilot.press("space")
        assert choices.ticked() == ["form"]
        screen.query_one("#input-folder", Input).value = str(tmp_path / "forms")
        await pilot.press("g")
        await until(pilot, lambda: screen.started is None, timeout=30, what="printed")
        printed = entries(world, "sheet_printed")
        judges = [j.id for j in world.event.judges]
        assert [(p["kind"], p["subject"]) for p in printed[1:]] == [("form", j) for j in judges]
