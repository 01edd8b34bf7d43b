"""Keyboard and mouse in the app without a master: the language key everywhere, help from a
score field, the on-stage key, clicks on the key bar and the queue, read-only recusal,
choosing among the masters heard on the first run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Label, Static

from judge_terminal.app import JudgeApp
from judge_terminal.lan import SeenMaster
from judge_terminal.screens.enrol import EnrolScreen
from judge_terminal.screens.help import HelpScreen
from judge_terminal.screens.queue import QueueScreen
from judge_terminal.screens.sheet import SheetScreen
from judge_terminal.widgets.key_bar import KeyBar
from judge_terminal.widgets.master_list import MasterList
from judge_terminal.widgets.queue_table import QueueTable
from judge_terminal.widgets.score_input import ScoreInput
from sync.event import Text
from sync.store import TerminalStore

from . import support
from .conftest import burst, until


def scenario(tmp_path: Path) -> TerminalStore:
    store = support.open_store(tmp_path / "judge")
    event = support.livestream()
    support.enrol(store, event, "J2")
    support.scenario(store, event)
    return store


def app_for(store: TerminalStore, lang: str | None = None) -> JudgeApp:
    return JudgeApp(store, clock=support.fixed_clock, connect=False, discover=False, lang=lang)


async def test_the_language_defaults_to_the_event_and_switches_anywhere(tmp_path: Path) -> None:
    with scenario(tmp_path) as store:
        app = app_for(store)
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.lang == "zh"  # the event's first language
            assert "选手队列" in str(app.screen.query_one("#queue-head", Static).render())
            await pilot.press("f4")
            assert app.lang == "en"
            assert "Queue" in str(app.screen.query_one("#queue-head", Static).render())
            await pilot.press("enter")  # on stage: L05
            await until(pilot, lambda: isinstance(app.screen, SheetScreen))
            assert isinstance(app.focused, ScoreInput)
            await pilot.press("ctrl+l")  # inside a score field
            assert app.lang == "zh"
            assert str(app.screen.query_one("#col-criterion", Label).render()) == "评分项"
            await pilot.press("question_mark")  # help, not a character in the field
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            await pilot.press("f4")
            assert "Keys" in str(app.screen.query_one("#dialog-title", Static).render())
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, SheetScreen))
            assert app.screen.query(ScoreInput).first().value == ""


async def test_on_stage_is_one_key_away_and_highlighted(tmp_path: Path) -> None:
    with scenario(tmp_path) as store:
        app = app_for(store, "en")
        async with app.run_test(size=(80, 24)) as pilot:
            table = app.screen.query_one(QueueTable)
            assert table.contestant_at_cursor() == "L05"  # the cursor starts on stage
            assert str(table.get_row("L05")[0]).startswith(">>")
            await pilot.press("home")
            assert table.contestant_at_cursor() == "L01"
            await pilot.press("o")
            await until(pilot, lambda: isinstance(app.screen, SheetScreen))
            assert app.screen.contestant.id == "L05"  # type: ignore[attr-defined]
            assert ">> 5" in str(app.screen.query_one("#sheet-head", Static).render())


async def test_digits_jump_to_a_running_number(tmp_path: Path) -> None:
    with scenario(tmp_path) as store:
        app = app_for(store, "en")
        async with app.run_test(size=(80, 24)) as pilot:
            table = app.screen.query_one(QueueTable)
            await pilot.press("1", "2")
            assert table.contestant_at_cursor() == "L12"
            await pilot.press("n")  # the next one still to score
            assert table.contestant_at_cursor() == "L13"


async def test_the_mouse_opens_a_contestant_and_the_key_bar_is_clickable(tmp_path: Path) -> None:
    with scenario(tmp_path) as store:
        app = app_for(store, "en")
        async with app.run_test(size=(80, 24)) as pilot:
            table = app.screen.query_one(QueueTable)
            row = 9  # L09: the header is the first line of the table
            await pilot.click(QueueTable, offset=(10, row))  # highlights it
            assert table.contestant_at_cursor() == "L09"
            await pilot.click(QueueTable, offset=(10, row))  # a second click opens it
            await until(pilot, lambda: isinstance(app.screen, SheetScreen))
            assert app.screen.contestant.id == "L09"  # type: ignore[attr-defined]
            keys = app.screen.query_one(KeyBar)
            bar = str(keys.render())
            at = bar.index("back to queue")
            await pilot.click(KeyBar, offset=(at + 2, 0))
            await until(pilot, lambda: isinstance(app.screen, QueueScreen))
            assert table.is_attached


async def test_a_recused_contestant_is_read_only(tmp_path: Path) -> None:
    with scenario(tmp_path) as store:
        app = app_for(store, "en")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("7", "enter")
            await until(pilot, lambda: isinstance(app.screen, SheetScreen))
            sheet = app.screen
            assert isinstance(sheet, SheetScreen) and sheet.mode == "recused"
            assert "Recused" in str(sheet.query_one("#sheet-message", Static).render())
            await pilot.press("e", "9", "f2")
            assert isinstance(app.screen, SheetScreen) and sheet.texts()["appearance"] == ""
            assert [r.contestant for r in store.sheets()].count("L07") == 0


def test_the_command_line_documents_and_opens_the_app(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from judge_terminal import cli

    runner = CliRunner()
    usage = " ".join(runner.invoke(cli.main, ["--help"]).output.split())
    assert "Without a command, opens the score-sheet app" in usage and "app " in usage
    keys = " ".join(runner.invoke(cli.main, ["app", "--help"]).output.split())
    for key in ("F2 or Ctrl+S", "Esc", "F4", "? or F1", "--master HOST:PORT", "--lang"):
        assert key in keys
    opened: list[tuple[object, ...]] = []

    class Fake:
        def __init__(self, store: TerminalStore, **options: object) -> None:
            opened.append((store.home, options["master"], options["lang"]))

        def run(self) -> None:
            pass

    import judge_terminal.app as app_module

    real = app_module.JudgeApp
    app_module.JudgeApp = Fake  # type: ignore[misc,assignment]
    try:
        result = runner.invoke(cli.main, ["--home", str(tmp_path), "app", "--master",
                                          "192.168.1.10:8765", "--lang", "en"])
        assert result.exit_code == 0, result.output
        result = runner.invoke(cli.main, ["--home", str(tmp_path)])  # no command: the app
        assert result.exit_code == 0, result.output
        bad = runner.invoke(cli.main, ["--home", str(tmp_path), "app", "--master", "nowhere:x"])
        assert bad.exit_code == 2 and "is not an address" in bad.output
    finally:
        app_module.JudgeApp = real  # type: ignore[misc]
    assert opened == [(tmp_path, ("192.168.1.10", 8765), "en"), (tmp_path, None, None)]


def test_one_process_talks_to_the_head_judge_per_home(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """While `judge-terminal sync` runs, the app and a second `sync` on the same home are
    refused with one line naming its PID (before Textual starts); `status` still reads. The
    lock dies with its process."""
    import judge_terminal.app as app_module
    from judge_terminal import cli

    home = tmp_path / "home"
    store = support.open_store(home)
    support.enrol(store, support.livestream())
    store.close()
    first = subprocess.Popen(
        [sys.executable, "-c", "from judge_terminal.cli import main; main()", "--home",
         str(home), "sync", "--no-discover"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    opened: list[Path] = []

    class Fake:
        def __init__(self, store: TerminalStore, **_options: object) -> None:
            opened.append(store.home)

        def run(self) -> None:
            pass

    monkeypatch.setattr(app_module, "JudgeApp", Fake)
    runner = CliRunner()
    try:
        assert first.stdout is not None
        # it is running, and holds the home: its state, in Chinese then English
        assert "重新连接中" in first.stdout.readline()
        assert "reconnecting" in first.stdout.readline()
        for args in (["sync", "--once"], ["sync"], ["app"], []):
            result = runner.invoke(cli.main, ["--home", str(home), *args])
            assert result.exit_code == 2, (args, result.output)
            assert result.stderr == (f"error: another judge-terminal sync (PID {first.pid}) is "
                                     f"using {home}; stop it first or use another --home\n")
        assert opened == []
        result = runner.invoke(cli.main, ["--home", str(home), "status"])
        assert result.exit_code == 0 and "judge J1" in result.output
    finally:
        first.kill()
        first.communicate(timeout=15)
    result = runner.invoke(cli.main, ["--home", str(home), "app"])
    assert result.exit_code == 0, result.output
    assert opened == [home]


async def test_choosing_a_master_by_keys_and_mouse_on_the_first_run(tmp_path: Path) -> None:
    """Four masters heard (no network: the list is given): none is chosen for the judge;
    Up/Down choose and stop at the ends, the list follows the choice (three fit), a click on
    a master or on the key bar's ↑↓ chooses too; with one master it is chosen by itself."""
    heard = [SeenMaster(f"192.168.1.{10 + i}", 8765, f"m{i}", f"final-{i}",
                        Text(f"决赛 {i}", f"Final {i}"), bytes([i]) * 32) for i in range(4)]
    lists = [heard, heard[:1]]

    async def finder() -> list[SeenMaster]:
        return lists[0]

    with TerminalStore.open(tmp_path / "judge") as store:
        app = JudgeApp(store, clock=support.fixed_clock, connect=False, discover=False,
                       lang="en", finder=finder)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, EnrolScreen)
            await until(pilot, lambda: screen.masters is not None)

            def shown() -> str:
                return str(screen.query_one(MasterList).render())

            assert screen.chosen is None and ">" not in shown()
            await burst(pilot, *support.code_for(1), "enter")
            assert "x First choose the final on your card with ↑↓" in str(
                screen.query_one("#enrol-message", Static).render())
            await pilot.press("up")  # from nothing: the last
            assert screen.chosen == 3 and "> Final 3  192.168.1.13:8765" in shown()
            assert "Final 0" not in shown()  # three fit: the list followed the choice
            await pilot.press("down")
            assert screen.chosen == 3
            await pilot.press("up", "up", "up", "up", "up")
            assert screen.chosen == 0 and "> Final 0" in shown() and "Final 3" not in shown()
            await pilot.click(MasterList, offset=(5, 3))  # the second master's fingerprint
            assert screen.chosen == 1 and "> Final 1" in shown()
            bar = str(screen.query_one(KeyBar).render())
            await pilot.click(KeyBar, offset=(bar.index("choose") + 1, 0))
            assert screen.chosen == 2
            assert "Press Enter to enrol with Final 2  192.168.1.12:8765" in str(
                screen.query_one("#enrol-message", Static).render())
            lists.pop(0)  # F5: only one heard now
            await pilot.press("f5")
            await until(pilot, lambda: screen.masters is not None)
            assert screen.chosen == 0 and "choose" not in str(screen.query_one(KeyBar).render())
            assert shown().startswith("Final 0  192.168.1.10:8765\n")
