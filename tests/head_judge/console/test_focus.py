"""Focus you can see and the console's details (issue 20, items 5 and 7): a ring on the field or
button that has the keys, dialogs opening on their first field, letters typed into a field
staying there, blocked actions that cannot be confirmed, the Enrol tab's seat states from the
record (also after a restart), the contestant's record of the head judge's acts, and paths
read from the event file's folder."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Button, DirectoryTree, Input

from head_judge.console.screens.browse import BrowseDialog, relative_to_event, resolve
from head_judge.console.screens.components import ComponentsScreen
from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.screens.form import FormDialog
from head_judge.console.screens.print import PrintScreen
from head_judge.console.screens.results import ResultsScreen
from head_judge.master import DEFAULT_CODE_TTL, Master, iso
from sync.codes import EnrolmentCode
from sync.records import Sheet, sign_sheet
from tests.masters import enrol_in_process

from .conftest import NOW, entries, screen_text, until, world_app
from .world import Laptop


def ring(widget: Input | Button) -> str:
    """The style of the widget's left side: `outer` (a bar) when focused, else `blank`."""
    return widget.styles.border_left[0]


# --- item 5: focus -----------------------------------------------------------------------------


async def test_dialogs_open_on_their_first_field_with_a_ring(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L06", "enter", "r")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        note = dialog.query_one("#field-note", Input)
        assert app.focused is note  # the judge is chosen already: the note is to type
        assert ring(note) == "outer"
        ok = dialog.query_one("#ok", Button)
        assert ring(ok) == "blank"
        await pilot.press("tab")
        assert app.focused is ok and ring(ok) == "outer" and ring(note) == "blank"
        assert str(ok.label).startswith("Enter")  # what Enter does, on the button it presses
        await pilot.press("tab", "tab", "tab")
        assert app.focused is not dialog.query_one("#cancel", Button)  # Tab never lands there
        await pilot.press("escape", "escape")
        await pilot.press("l")  # L06 is ready: a yes or no, on the confirm button
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert app.focused is confirm.query_one("#ok", Button)
        assert ring(confirm.query_one("#ok", Button)) == "outer"
        await pilot.press("escape", "slash", *"L05", "enter", "l")  # blocked: force, why
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert app.focused is dialog.query_one("#field-reason", Input)


async def test_review_dialog_sends_what_was_typed(world: Master) -> None:
    """Typed, Tab to the button, typed again: every letter is in the note that is sent."""
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L06", "enter", "r", *"please check")
        await pilot.press("tab", *" pitch")  # on the button: the letters go back to the note
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        assert dialog.query_one("#field-note", Input).value == "please check pitch"
        await pilot.press("tab", "enter")
        assert not isinstance(app.screen, FormDialog)
        sent = entries(world, "review_requested")[-1]
        assert (sent["contestant"], sent["judge"], sent["note"]) == \
            ("L06", "J1", "please check pitch")


async def test_letters_typed_into_print_fields_stay_there(world: Master, tmp_path: Path) -> None:
    """`g` prints, `a` ticks all, `f` browses: typed into a field they are text, and the field
    keeps what it held (nothing is selected on focus to be replaced)."""
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("9")
        screen = app.screen
        assert isinstance(screen, PrintScreen)
        folder = screen.query_one("#input-folder", Input)
        folder.value = "out"
        folder.focus()
        await pilot.pause()
        assert ring(folder) == "outer"
        await pilot.press(*"/gaf")
        assert folder.value == "out/gaf"
        assert app.screen is screen and screen.started is None
        assert not entries(world, "sheet_printed")
        subjects = screen.query_one("#input-subjects", Input)
        subjects.focus()
        await pilot.press(*"L05,J1")
        assert subjects.value == "L05,J1"


async def test_letters_typed_into_the_component_path_stay_there(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("5", "e", *"picf.csv")
        screen = app.screen
        assert isinstance(screen, ComponentsScreen)
        assert screen.query_one("#path", Input).value == "picf.csv"
        assert screen.preview is None and app.screen is screen


async def test_publish_blocked_shows_why_and_cannot_be_confirmed(world: Master) -> None:
    app = world_app(world, "zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("6", "p")
        assert isinstance(app.screen, ResultsScreen) is False
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.blocked
        assert dialog.query_one("#ok", Button).disabled
        lines = screen_text(app, "#dialog-lines")
        assert "未锁定" in lines and "L04" in lines  # the blockers, in Chinese
        assert "不能确认" in screen_text(app, "#dialog-problem")
        await pilot.press("y")
        assert app.screen is dialog  # Y does nothing here
        await pilot.press("enter")  # Enter closes (the focused button says so)
        assert not isinstance(app.screen, ConfirmDialog)
        assert not entries(world, "results_published")


async def test_print_blocked_shows_why_and_cannot_be_confirmed(world: Master,
                                                               tmp_path: Path) -> None:
    app = world_app(world, "zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("9")
        screen = app.screen
        assert isinstance(screen, PrintScreen)
        (tmp_path / "file").write_text("not a folder")
        screen.query_one("#input-folder", Input).value = str(tmp_path / "file" / "out")
        screen.query_one("#input-subjects", Input).value = "ZZ"
        await pilot.press("g")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and dialog.blocked
        assert dialog.query_one("#ok", Button).disabled
        lines = screen_text(app, "#dialog-lines")
        assert "ZZ" in lines and "不是文件夹" in lines
        await pilot.press("y", "enter")
        assert app.screen is screen and screen.started is None
        assert not entries(world, "sheet_printed")
        assert not (tmp_path / "file").is_dir()


# --- item 7: the Enrol tab ---------------------------------------------------------------------


async def test_enrol_tab_states_survive_a_restart_and_a_used_code_is_never_shown(
        world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "down", "c", "y")  # a new code for J2 (who moves laptops)
        issued = app.codes["J2"]
        assert issued.code in screen_text(app, "#code-box")
        assert "code out until" in screen_text(app, "#seats")
    again = world_app(world)  # a restart: the codes issued are not in memory any more
    async with again.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "down")
        seats, box = screen_text(again, "#seats"), screen_text(again, "#code-box")
        assert "code out until" in seats and "enrolled (code used" in seats
        assert "unused code, valid until" in box and issued.code not in box
    master_code = world.seat("J2").code_id
    assert master_code is not None
    enrol_in_process(world, EnrolmentCode.parse(issued.code), Laptop.for_judge("J2x").key,
                     at=NOW, name="spare laptop")
    used = world_app(world)
    used.codes["J2"] = issued  # even in the run that issued it, a used code is not shown
    async with used.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "down")
        box = screen_text(used, "#code-box")
        assert issued.code not in box and "was used at" in box
        assert "✓" not in screen_text(used, "#seats")


async def test_enrol_tab_shows_an_expired_code_as_expired(world: Master) -> None:
    (fresh,) = world.issue_codes(["J3"], now=NOW)
    late = NOW + DEFAULT_CODE_TTL + dt.timedelta(minutes=1)
    app = world_app(world)
    app.clock = lambda: late
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("4", "down", "down")
        assert "code expired" in screen_text(app, "#seats")
        box = screen_text(app, "#code-box")
        assert "expired at" in box and fresh.code.encode() not in box


# --- item 7: the contestant's record -----------------------------------------------------------


async def test_contestant_page_lists_every_head_judge_act_with_its_reason(
        world: Master) -> None:
    app = world_app(world)
    head = app.head
    head.unlock("L03", "a sheet was read wrong")
    head.withdraw_sheet("J5", "L03", "J5 scored the wrong contestant")
    excused = hasattr(head, "excuse_judge")
    if excused:  # the seat excusal (issue 20, item 2) once it exists
        head.excuse_judge("J4", "J4 left for the day", ["L03"])
    head.lock("L03", force=bool(head.lock_blockers("L03")), reason="checked again")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L03", "enter")
        text = screen_text(app, "#contestant-history")
        actions = text.split("Head-judge actions")[1]
        for reason in ("checked with the panel", "a sheet was read wrong",
                       "J5 scored the wrong contestant", "checked again"):
            assert reason in actions, reason
        assert "unlocked" in actions.lower()
        if excused:
            assert "J4 left for the day" in actions
        assert "Judges' comments" in text
        legend = screen_text(app, "#contestant-legend")
        assert "! flagged" in legend and "■ locked" in legend
        await pilot.press("slash", *"L08", "enter")  # the override, with its state
        actions = screen_text(app, "#contestant-history").split("Head-judge actions")[1]
        assert "J4 misread the integrity box" in actions and "(in force)" in actions


async def test_contestant_page_shows_judges_comments(world: Master) -> None:
    laptop = Laptop.for_judge("J1")
    seq, prev = world.ledger.conn.execute(
        "SELECT seq, hash FROM records WHERE device = ? ORDER BY seq DESC LIMIT 1",
        (laptop.device,)).fetchone()
    sheet = Sheet(event=world.event.id, judge="J1", device=laptop.device, seq=seq + 1,
                  prev=prev, contestant="L13",
                  values={c.id: Decimal(5) for c in world.event.criteria},
                  comment="清晰的讲解，节奏稍快", revision=1, supersedes=None, reason=None,
                  device_time=iso(NOW))
    record = sign_sheet(laptop.key, sheet)
    answer = world.push({"device": laptop.device, "records": [record.to_wire()]}, NOW)
    assert answer["results"][0]["status"] == "accepted"
    app = world_app(world, "zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3", "slash", *"L13", "enter")
        text = screen_text(app, "#contestant-history")
        comments = text.split("评委评语")[1].split("总裁判长操作")[0]
        assert "J1 第 1 版：清晰的讲解，节奏稍快" in comments


# --- item 7: paths from the event file's folder ------------------------------------------------


def test_paths_are_read_from_the_event_folder(tmp_path: Path) -> None:
    base = tmp_path / "event"
    assert resolve("out", base) == base / "out"
    assert resolve("/abs/out", base) == Path("/abs/out")
    assert relative_to_event(base / "prints" / "day1", base) == "prints/day1"
    assert relative_to_event(tmp_path / "elsewhere", base) == str(tmp_path / "elsewhere")


async def test_print_and_import_read_relative_paths_from_the_event_folder(
        world: Master, tmp_path: Path, fixtures_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    event = tmp_path / "event"
    shutil.copytree(fixtures_dir / "livestream-final", event)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the process runs from somewhere else
    app = world_app(world, event_folder=event)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("9")
        screen = app.screen
        assert isinstance(screen, PrintScreen)
        screen.query_one("#input-folder", Input).value = "pdfs"
        await pilot.press("a", "a")  # none ticked, then the discrepancy report
        screen.query_one("#choices").highlighted = 3  # type: ignore[attr-defined]
        await pilot.press("space", "g")
        await until(pilot, lambda: screen.started is None, timeout=30, what="printed")
        assert [p.parent for p in (event / "pdfs").iterdir()] == [event / "pdfs"]
        assert not (elsewhere / "pdfs").exists()
        await pilot.press("5", "f")  # the file from a tree of the event's folder
        dialog = app.screen
        assert isinstance(dialog, BrowseDialog)
        tree = dialog.query_one(DirectoryTree)
        await until(pilot, lambda: tree.last_line >= 3, what="the tree")
        names = [str(tree.get_node_at_line(n).label) for n in range(tree.last_line + 1)]
        tree.cursor_line = next(n for n, name in enumerate(names) if name.endswith("data.csv"))
        await pilot.press("enter")
        components = app.screen
        assert isinstance(components, ComponentsScreen)
        assert components.query_one("#path", Input).value == "data.csv"
        assert components.preview is not None
        assert components.preview[1] == str(event / "data.csv")
