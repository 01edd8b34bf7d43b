"""Batch actions from the keyboard: all open flags of a contestant accepted in one dialog with
one note (`a` on the Contestant screen, `A` on Discrepancies), every contestant ready locked
with one confirmation that lists them (`L` on Overview and Results); and the Components
screen's preview, row by row, refusing a file that would change a locked contestant before
anything is confirmed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from head_judge.console.screens.components import ComponentsScreen
from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.screens.contestant import ContestantScreen
from head_judge.console.screens.form import FormDialog
from head_judge.console.widgets.flag_table import FlagTable
from head_judge.master import Master

from .conftest import entries, screen_text, until, world_app


async def test_accept_every_open_flag_of_a_contestant_in_one_dialog(world: Master) -> None:
    app = world_app(world)
    open_flags = [f.id for f in app.head.flags("open", "L05")]
    assert len(open_flags) >= 2  # L05: J3 far off on several counts
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L05", "enter")
        assert isinstance(app.screen, ContestantScreen)
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        listed = screen_text(app, "#dialog-context")
        assert all(f"#{f}" in listed for f in open_flags)
        assert f"Accept all {len(open_flags)} open flags of" in screen_text(app,
                                                                             "#dialog-title")
        await pilot.press(*"J3 explained each one", "enter")
        await until(pilot, lambda: not isinstance(app.screen, FormDialog), what="closed")
        assert entries(world, "flags_accepted") == [
            {"contestant": "L05", "flags": open_flags, "note": "J3 explained each one"}]
        assert not app.head.flags("open", "L05")
        await pilot.press("a")  # nothing left: a message, no dialog
        assert isinstance(app.screen, ContestantScreen)


async def test_accept_all_from_the_discrepancies_screen(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("2")
        flag = app.screen.query_one(FlagTable).chosen_flag()
        assert flag is not None
        theirs = [f.id for f in app.head.flags("open", flag.contestant)]
        await pilot.press("A")
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"genuine", "enter")
        await until(pilot, lambda: bool(entries(world, "flags_accepted")), what="recorded")
        assert entries(world, "flags_accepted")[-1]["flags"] == theirs


async def test_lock_every_contestant_ready_with_one_confirmation(world: Master) -> None:
    app = world_app(world)
    ready = app.head.ready_to_lock()
    assert ready and "L05" not in ready and "L13" not in ready  # open flags; no sheets yet
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "L")
        assert isinstance(app.screen, ConfirmDialog)
        lines, rest = screen_text(app, "#dialog-lines").split("more not locked")
        assert all(c in lines for c in ready) and "L05" not in lines
        assert "are not ready (see their pages): L05 L13 " in rest  # named
        await pilot.press("escape")
        assert not entries(world, "contestants_locked")
        await pilot.press("6", "L", "enter")  # the same from the Results screen
        await until(pilot, lambda: bool(entries(world, "contestants_locked")),
                    what="locked")
        assert entries(world, "contestants_locked") == [{"contestants": ready, "reason": ""}]
        assert set(ready) <= set(app.head.locks())
        await pilot.press("L")  # nobody else is ready: a message, no dialog
        assert not isinstance(app.screen, ConfirmDialog)


async def test_the_import_preview_says_row_by_row_and_blocks_a_locked_change(
        world: Master, tmp_path: Path) -> None:
    app = world_app(world)
    held = app.head.components()["data"]
    assert "L01" in app.head.locks() and "L04" not in app.head.locks()
    blocked = tmp_path / "fixed.csv"
    blocked.write_text(f"contestant,value\nL01,{held['L01'] + 1}\nL02,{held['L02']}\n"
                       f"L04,{held['L04'] + 1}\n", encoding="utf-8")
    before = len(world.ledger)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "e")
        app.screen.query_one("#path", Input).value = str(blocked)
        await pilot.press("enter")
        assert isinstance(app.screen, ComponentsScreen)
        title = screen_text(app, "#preview-title")
        assert "0 new, 1 changed, 1 unchanged, 1 blocked" in title
        assert "1 row(s) blocked" in title
        rows = screen_text(app, "#changes").splitlines()
        assert [r.split("  ")[1] for r in rows] == ["blocked", "unchanged", "changed"]
        assert "unlock it first" in rows[0] and "needs a reason" in rows[2]
        await pilot.press("i")  # cannot be confirmed: no dialog, nothing written
        assert isinstance(app.screen, ComponentsScreen)
        assert len(world.ledger) == before

        blocked.write_text(f"contestant,value\nL04,{held['L04'] + 1}\n", encoding="utf-8")
        await pilot.press("i")  # previewed again: now it asks for a reason
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"platform corrected", "enter")
        await until(pilot, lambda: len(world.ledger) > before, what="imported")
        assert entries(world, "components_imported")[-1]["reason"] == "platform corrected"
