"""Results: the live ranking, what blocks publishing (folded to one line per kind), an
unresolved tie decided from the screen, and the difference from the published version."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from textual.widgets import Select

from head_judge.actions import HeadJudge
from head_judge.console.screens.form import FormDialog
from head_judge.console.screens.results import ResultsScreen, summarise
from head_judge.console.widgets.ranking_table import RankingTable
from head_judge.master import Master
from head_judge.refusals import Message
from sync.event import Text
from sync.event_file import load_event
from sync.identity import ensure_master_identity

from .conftest import entries, screen_text, until, world_app
from .sim import write_small_final
from .world import Clock, Laptop, seeded


def test_blockers_are_folded() -> None:
    data = Text("平台数据", "data")
    blockers = [Message("blocker_not_locked", contestants=["C1", "C2"]),
                Message("blocker_flag", flag=4, description="C1: x"),
                Message("blocker_flag", flag=9, description="C2: y"),
                Message("blocker_missing_component", contestant="C1", component=[data]),
                Message("blocker_missing_component", contestant="C2", component=[data]),
                Message("blocker_nobody_ranked")]
    assert summarise(blockers, "en") == [
        "2 contestant(s) not locked: C1, C2", "nobody is ranked in this scope yet",
        "2 open flag(s): 4, 9 (see Discrepancies)",
        "2 contestant(s) have no data value: C1, C2 (see Components)"]
    assert summarise(blockers, "zh") == [
        "2 名选手未锁定：C1, C2", "此排名还没有人有完整成绩", "2 条分歧未处理：4, 9（见“分歧”页）",
        "2 名选手缺少成绩项 平台数据：C1, C2（见“导入成绩”页）"]


def tied_final(tmp_path: Path) -> Master:
    """The small final where C1 and C2 are scored alike by every judge: a tie for the one
    first prize that the tie-break chain (none) cannot settle."""
    event_file = write_small_final(tmp_path / "event")
    home = tmp_path / "master"
    clock = Clock()
    ensure_master_identity(home, now=clock(), rng=seeded("tie"))
    master = Master.open(home, load_event(event_file), now=clock())
    values = {"pitch": Decimal(50), "defence": Decimal(30)}
    for judge in ("J1", "J2", "J3"):
        laptop = Laptop.for_judge(judge)
        laptop.enrol(master, clock)
        for contestant in ("C1", "C2", "C3"):
            if (judge, contestant) != ("J3", "C3"):
                laptop.sheet(master, contestant, dict(values) if contestant != "C3" else
                             {"pitch": Decimal(40), "defence": Decimal(20)}, clock)
    (tmp_path / "data.csv").write_text("contestant,value\nC1,80\nC2,80\nC3,60\n")
    head = HeadJudge(master, clock=lambda: dt.datetime.now(dt.UTC))
    head.import_components("data", tmp_path / "data.csv")
    return master


async def test_decide_a_tie_from_the_screen(tmp_path: Path) -> None:
    master = tied_final(tmp_path)
    try:
        app = world_app(master)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("6")
            assert isinstance(app.screen, ResultsScreen)
            notes = screen_text(app, "#results-notes")
            assert "Unresolved ties" in notes
            ranking = screen_text(app, "#ranking").splitlines()
            assert ranking[0].startswith("1") and ranking[1].startswith("1")
            await pilot.press("t")
            dialog = app.screen
            assert isinstance(dialog, FormDialog)
            dialog.query_one("#field-kind", Select).value = "order"
            dialog.query_one("#field-order").value = "C2 C1"  # type: ignore[attr-defined]
            dialog.query_one("#field-reason").focus()
            await pilot.press(*"drawn by lot", "enter")
            await until(pilot, lambda: bool(entries(master, "tie_decided")), what="decided")
            decided = entries(master, "tie_decided")[0]
            assert (decided["kind"], decided["order"], decided["reason"]) == (
                "order", ["C2", "C1"], "drawn by lot")
            assert "Unresolved ties" not in screen_text(app, "#results-notes")
            ranking = screen_text(app, "#ranking").splitlines()
            assert ranking[0].split()[:2] == ["1", "2"]  # rank 1: running order 2, C2
    finally:
        master.close()


async def test_publish_and_the_difference_since(tmp_path: Path) -> None:
    master = tied_final(tmp_path)
    try:
        head = HeadJudge(master)
        scope = head.scopes()[0]
        head.decide_tie(scope, ["C1", "C2"], "shared", reason="equal in every way")
        for contestant in ("C1", "C2", "C3"):
            head.lock(contestant)
        app = world_app(master)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("6", "p", "enter")
            await until(pilot, lambda: bool(entries(master, "results_published")),
                        what="published")
            assert "Same as the published version" in screen_text(app, "#results-notes")
            head.unlock("C3", "appeal upheld")
            head.override_value("J1", "C3", "pitch", "45", "appeal upheld")
            app.refresh_now()
            await pilot.pause()
            notes = screen_text(app, "#results-notes")
            assert "Published: version 1" in notes
            assert "Changes since the published version:" in notes
            assert "C3: final" in notes
            head.lock("C3")
            await pilot.press("p")
            dialog = app.screen
            assert isinstance(dialog, FormDialog)  # a new version needs a reason
            await pilot.press(*"appeal 1 upheld", "enter")
            await until(pilot, lambda: len(entries(master, "results_published")) == 2,
                        what="version 2")
            assert entries(master, "results_published")[1]["reason"] == "appeal 1 upheld"
            assert "Published: version 2" in screen_text(app, "#results-notes")
    finally:
        master.close()


async def test_publishing_with_an_open_appeal_asks_for_a_reason(tmp_path: Path) -> None:
    """Issue 27: the first publication too needs a reason while an appeal is open, and the
    dialog names the appeal."""
    from head_judge.appeals import file_appeal

    master = tied_final(tmp_path)
    try:
        head = HeadJudge(master)
        head.decide_tie(head.scopes()[0], ["C1", "C2"], "shared", reason="equal in every way")
        for contestant in ("C1", "C2", "C3"):
            head.lock(contestant)
        filed = file_appeal(head, "C3", "数据分登记错误", "C3 本人")
        app = world_app(master)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("6", "p")
            dialog = app.screen
            assert isinstance(dialog, FormDialog)
            assert f"Appeals still open: {filed.id}" in screen_text(app, "#dialog-context")
            await pilot.press(*"committee decides later", "enter")
            await until(pilot, lambda: bool(entries(master, "results_published")),
                        what="published")
            assert entries(master, "results_published")[0]["reason"] == \
                "committee decides later"
    finally:
        master.close()


async def test_final_score_and_prize_are_on_an_80x24_screen(world: Master) -> None:
    app = world_app(world, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6")
        await until(pilot, lambda: any(t.row_count for t in app.screen.query(RankingTable)))
        table = app.screen.query_one(RankingTable)
        first = table.ordered_columns[:4]
        assert [c.key.value for c in first] == ["rank", "who", "final", "prize"]
        assert sum(c.get_render_width(table) for c in first) <= 80
        assert table.fixed_columns == 2  # rank and contestant stay when it scrolls sideways
        shown = str(table.get_row_at(0)[2].plain) + str(table.get_row_at(0)[3])
        assert shown == "92.96一等奖"


async def test_honours_and_organisation_awards_are_shown(tmp_path: Path,
                                                         fixtures_dir: Path) -> None:
    import io

    from rich.console import Console
    from textual.widgets import Static

    from ..awards_final import awards_final

    final = awards_final(tmp_path / "home", fixtures_dir)
    try:
        app = world_app(final.master, "zh")
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.press("6")
            assert isinstance(app.screen, ResultsScreen)
            ranking = screen_text(app, "#ranking").splitlines()
            assert "荣誉" in [str(c.label) for c in app.screen.query_one(RankingTable)
                            .columns.values()]
            assert "优秀项目" in ranking[0] and "合格项目" in ranking[2]
            awards = app.screen.query_one("#organisation-awards", Static)
            assert awards.display
            out = Console(width=150, file=io.StringIO(), color_system=None)
            out.print(awards.content)
            text = out.file.getvalue()  # type: ignore[attr-defined]
            assert "优秀组织奖" in text and "最佳团队成绩奖" in text
            rows = [line.split() for line in text.splitlines()]
            assert ["1", "青岛大学", "9", "I01,", "I04,", "I07,", "V02,", "V06", "获奖"] in rows
            assert ["2", "青岛海尔国际贸易有限公司", "87.93", "S01,", "S05"] in rows
    finally:
        final.close()


async def test_the_panel_report_opens_from_results(tmp_path: Path, fixtures_dir: Path) -> None:
    import io

    from rich.console import Console
    from textual.widgets import Static

    from head_judge.console.screens.panel import PanelDialog

    from ..awards_final import awards_final

    final = awards_final(tmp_path / "home", fixtures_dir)
    try:
        before = len(final.master.ledger)
        app = world_app(final.master, "zh")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("6", "j")
            await until(pilot, lambda: isinstance(app.screen, PanelDialog), what="panel")
            out = Console(width=98, file=io.StringIO(), color_system=None)
            out.print(app.screen.query_one("#panel-text", Static).content)
            text = out.file.getvalue()  # type: ignore[attr-defined]
            assert "评委组分析" in screen_text(app, "#dialog-title")
            rows = [line.split() for line in text.splitlines()]
            assert ["J2", "王晓燕", "8", "70.25", "-2.04", "3.85", "1", "3", "0", "0.95"] in rows
            assert "取决于单个评委的结果" in text
            assert any(r[:3] == ["独立站赛道", "S05", "远航5队"] and "J5" in r for r in rows)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen), what="closed")
        assert len(final.master.ledger) == before  # it informs: nothing written
    finally:
        final.close()


async def test_a_published_ranking_shows_provisional_then_official(tmp_path: Path) -> None:
    """Issue 27: with an appeal window, the Results screen says 暂定 and when appeals close,
    then 正式 once the ranking became official."""
    import dataclasses

    from head_judge.appeals import declare_official
    from sync.event import AppealRules

    master = tied_final(tmp_path)
    try:
        master._event = dataclasses.replace(master.event,
                                            appeal_rules=AppealRules(window_minutes=30))
        head = HeadJudge(master)
        scope = head.scopes()[0]
        head.decide_tie(scope, ["C1", "C2"], "shared", reason="equal in every way")
        for contestant in ("C1", "C2", "C3"):
            head.lock(contestant)
        published = head.publish(scope)
        app = world_app(master, lang="zh")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("6")
            await pilot.pause()
            notes = screen_text(app, "#results-notes")
            assert "暂定成绩：申诉截止" in notes and "正式成绩" not in notes
            later = HeadJudge(master, clock=lambda: dt.datetime.fromisoformat(
                published_at(master)) + dt.timedelta(minutes=31))
            assert declare_official(later)
            app.refresh_now()
            await pilot.pause()
            assert "正式成绩：申诉期已结束" in screen_text(app, "#results-notes")
        assert published.version == 1
    finally:
        master.close()


def published_at(master: Master) -> str:
    at = next(e.at for e in master.ledger.entries() if e.kind == "results_published")
    return at.replace("Z", "+00:00")


class Moving:
    """A clock the test moves; it stands still between moves."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


EAST8 = dt.timezone(dt.timedelta(hours=8))


def windowed(master: Master, clock: Moving) -> HeadJudge:
    """The tied final with a 30-minute appeal window and a committee, ready to publish."""
    import dataclasses

    from sync.event import AppealRules

    master._event = dataclasses.replace(master.event, committee=("张伟", "李娜", "王磊"),
                                        appeal_rules=AppealRules(window_minutes=30))
    head = HeadJudge(master, clock=clock)
    scope = head.scopes()[0]
    head.decide_tie(scope, ["C1", "C2"], "shared", reason="equal in every way")
    for contestant in ("C1", "C2", "C3"):
        head.lock(contestant)
    return head


async def test_a_serving_console_makes_the_ranking_official_by_itself(tmp_path: Path) -> None:
    """The console runs the master's server, which looks for closed windows every
    `official_interval` (30 s in use) by the console's clock: once the clock passes the
    close, the ranking turns 正式 on the Results screen with nobody pressing a key."""
    from head_judge.console.app import ConsoleApp
    from head_judge.console.serving import ServeOptions

    master = tied_final(tmp_path)
    clock = Moving(dt.datetime(2030, 3, 1, 14, 0, tzinfo=EAST8))
    try:
        head = windowed(master, clock)
        head.publish(head.scopes()[0])
        app = ConsoleApp(master, clock=clock, lang="zh", prints=tmp_path / "prints",
                         serve=ServeOptions("127.0.0.1", 0, advertise=False,
                                            checkpoint_interval=None, official_interval=0.02))
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: app.port is not None, what="the server")
            await pilot.press("6")
            await pilot.pause(0.2)  # ten looks: the window is open
            notes = screen_text(app, "#results-notes")
            assert "已发布：第 1 版（03-01 14:00 +08:00）  暂定成绩：申诉截止 14:30 +08:00" \
                in notes
            assert entries(master, "results_official") == []
            clock.moment += dt.timedelta(minutes=30)
            await until(pilot, lambda: "正式成绩：申诉期已结束" in screen_text(
                app, "#results-notes"), what="official on the screen")
        [official] = entries(master, "results_official")
        assert official["version"] == 1
        at = next(e.at for e in master.ledger.entries() if e.kind == "results_official")
        assert at.startswith("2030-03-01T06:30:00")  # by the console's clock
    finally:
        master.close()


async def test_the_results_screen_says_when_the_window_closed_and_what_holds_it(
        tmp_path: Path) -> None:
    """Published late in the evening, appeals close the next day: the close is dated. When
    the clock passes it the screen says so by itself (nothing was written); an appeal still
    open holds the ranking, and once it is withdrawn the ranking is due to be official."""
    from head_judge.appeals import file_appeal, withdraw_appeal
    from head_judge.console.app import ConsoleApp

    master = tied_final(tmp_path)
    clock = Moving(dt.datetime(2030, 3, 1, 23, 50, tzinfo=EAST8))
    try:
        head = windowed(master, clock)
        head.publish(head.scopes()[0])
        filed = file_appeal(head, "C3", "分数加错", "C3")
        app = ConsoleApp(master, clock=clock, lang="zh", prints=tmp_path / "prints")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("6")
            await pilot.pause()
            assert "暂定成绩：申诉截止 03-02 00:20 +08:00" in screen_text(app, "#results-notes")
            written = len(master.ledger)
            clock.moment += dt.timedelta(minutes=31)
            await until(pilot, lambda: "申诉已于" in screen_text(app, "#results-notes"),
                        what="the closed window", timeout=5)
            assert ("暂定成绩：申诉已于 03-02 00:20 +08:00 截止，尚有申诉待裁决或改正待发布"
                    in screen_text(app, "#results-notes"))
            assert len(master.ledger) == written
            withdraw_appeal(head, filed.id, "选手撤回")
            app.refresh_now()
            await pilot.pause()
            assert ("暂定成绩：申诉已于 03-02 00:20 +08:00 截止，即将转为正式"
                    in screen_text(app, "#results-notes"))
            await pilot.press("f4")
            await pilot.pause()
            assert ("Provisional: appeals closed at 03-02 00:20 +08:00; official shortly"
                    in screen_text(app, "#results-notes"))
    finally:
        master.close()
