"""Keyboard and mouse in the app without a master: the language key everywhere, help from a
score field, the on-stage key, clicks on the key bar and the queue, read-only recusal."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label, Static

from judge_terminal.app import JudgeApp
from judge_terminal.screens.help import HelpScreen
from judge_terminal.screens.queue import QueueScreen
from judge_terminal.screens.sheet import SheetScreen
from judge_terminal.widgets.key_bar import KeyBar
from judge_terminal.widgets.queue_table import QueueTable
from judge_terminal.widgets.score_input import ScoreInput
from sync.store import TerminalStore

from . import support
from .conftest import until


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
