"""A judge's seat excused by the head judge (`excused` / `restored` notices): the queue shows
the contestants it covers as excused, their sheets are read-only with the reason, and
neither the app nor `judge-terminal submit` signs a sheet for them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from head_judge.actions import HeadJudge
from judge_terminal.cli import main as terminal_cli
from judge_terminal.model import Board, build_queue
from judge_terminal.screens.sheet import SheetScreen
from sync.store import Notice

from . import support
from .conftest import Running, until
from .test_flows import back, online_app, open_contestant, status_of, text


def test_excusals_and_restorations_are_replayed_in_order() -> None:
    board = Board.from_notices([
        Notice(1, "excused", "J1", {"contestants": ["L01", "L02"], "reason": "left at noon"}),
        Notice(2, "excused", "J2", {"contestants": None, "reason": "not mine"}),
        Notice(3, "restored", "J1", {"contestants": ["L01"], "reason": "back"}),
    ], "J1")
    assert board.excused == {"L02": "left at noon"}
    assert board.excused_reason("L01") is None and board.excused_reason("L02") == "left at noon"
    board = Board.from_notices([
        Notice(1, "excused", "J1", {"contestants": ["L03"], "reason": "ill"}),
        Notice(2, "excused", "J1", {"contestants": None, "reason": "absent all day"}),
    ], "J1")
    assert board.excused_reason("L09") == "absent all day"
    assert board.excused_reason("L03") == "ill"
    board = Board.from_notices([
        Notice(1, "excused", "J1", {"contestants": None, "reason": "absent all day"}),
        Notice(2, "restored", "J1", {"contestants": None, "reason": "arrived"}),
    ], "J1")
    assert board.excused == {}


def test_the_queue_shows_excused_contestants_and_submit_refuses_them(tmp_path: Path) -> None:
    event = support.livestream()
    home = tmp_path / "judge"
    with support.open_store(home) as store:
        support.enrol(store, event, "J1")
        support.notices(store, Notice(3, "excused", "J1", {"contestants": ["L02"],
                                                           "reason": "评委离场 left"}))
        statuses = {r.contestant.id: r.status for r in build_queue(store).rows}
        assert (statuses["L01"], statuses["L02"]) == ("to_score", "excused")
    values = [f"-v{c.id}={c.max}" for c in event.criteria]
    result = CliRunner().invoke(terminal_cli, ["--home", str(home), "submit", "L02", *values])
    assert result.exit_code == 2
    assert result.stderr == ("错误：总裁判长已准许您对 L02 免评（评委离场 left）；"
                             "没有要发送的内容\n"
                             "error: the head judge excused you from scoring L02 (评委离场 left); "
                             "nothing to send\n")
    with support.open_store(home) as store:
        assert store.sheets() == []
    result = CliRunner().invoke(terminal_cli, ["--home", str(home), "submit", "L01", *values])
    assert result.exit_code == 0, result.output


async def test_an_excused_contestant_is_read_only_and_says_why(tmp_path: Path,
                                                               running: Running) -> None:
    async with online_app(tmp_path, running) as (store, app, pilot):
        HeadJudge(running.master).excuse_judge("J1", "评委因病缺席 ill", ["L03"])
        await until(pilot, lambda: status_of(app, "L03") == "excused", what="excused notice")
        assert status_of(app, "L01") == "to_score"
        sheet = await open_contestant(pilot, app, "L03")
        assert sheet.mode == "excused"
        assert "Excused: the head judge excused you from scoring this contestant " \
               "(评委因病缺席 ill)" in text(app, "#sheet-message").replace("\n", " ")
        assert all(field.input.disabled for field in sheet.fields)
        await pilot.press(*"5", "f2", "ctrl+s")
        assert isinstance(app.screen, SheetScreen)  # nothing to confirm
        assert store.sheets() == [] and store.drafts() == {}
        await back(pilot, app)
        HeadJudge(running.master).restore_judge("J1", "回来了 back")
        await until(pilot, lambda: status_of(app, "L03") == "to_score", what="restored")
