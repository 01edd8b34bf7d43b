"""Appeals: file one, read its dossier, preview a correction's effect on the ranking, decide."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from head_judge.console.app import ConsoleApp
from head_judge.console.screens.appeals import AppealsScreen
from head_judge.console.screens.dossier import DossierDialog
from head_judge.console.screens.form import FormDialog
from head_judge.master import Master

from .conftest import entries, screen_text, until, world_app


async def preview_j3_pitch_13(app: ConsoleApp, pilot: Pilot[None]) -> None:
    """In the correction dialog just opened: J3's pitch 13, previewed."""
    dialog = app.screen
    assert isinstance(dialog, FormDialog)
    dialog.query_one("#field-judge", Select).value = "J3"
    dialog.query_one("#field-criterion", Select).value = "pitch"
    dialog.query_one("#field-value", Input).value = "13"
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, FormDialog), what="previewed")


async def test_file_read_preview_and_decide(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("7")
        assert isinstance(app.screen, AppealsScreen)
        assert "1 appeal(s)" in screen_text(app, "#appeals-title")

        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-contestant", Select).value = "L05"
        await pilot.press(*"recount", "enter", *"coach", "enter")
        await until(pilot, lambda: len(entries(world, "appeal_filed")) == 2, what="filed")
        assert entries(world, "appeal_filed")[-1] == {"contestant": "L05", "ground": "recount",
                                                      "filed_by": "coach",
                                                      "category": "calculation", "evidence": []}
        assert "2 appeal(s)" in screen_text(app, "#appeals-title")

        await pilot.press("down")  # the new appeal
        await pilot.press("enter")
        assert isinstance(app.screen, DossierDialog)
        dossier = screen_text(app, "#dossier-text")
        assert "J3 r1" in dossier and "[verified]" in dossier and "appeal filed" in dossier
        await pilot.press("escape")

        await pilot.press("p")
        await preview_j3_pitch_13(app, pilot)
        detail = screen_text(app, "#appeal-detail")
        assert "With this correction the ranking would change" in detail
        assert "J3:pitch=13" in detail
        assert "appeal_decided" not in [e.kind for e in world.ledger.entries()]

        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, FormDialog) and dialog.danger
        dialog.query_one("#field-outcome", Select).value = "rejected"
        await pilot.press(*"sheets verify", "enter")
        await until(pilot, lambda: bool(entries(world, "appeal_decided")), what="decided")
        decided = entries(world, "appeal_decided")[0]
        assert (decided["outcome"], decided["reason"]) == ("rejected", "sheets verify")
        assert "rejected" in screen_text(app, "#appeals")


async def test_upholding_applies_the_previewed_correction(world: Master) -> None:
    """Issue 27: the decision carries the correction last previewed; without one an upheld
    appeal is refused in the dialog, writing nothing."""
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("7", "d")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-outcome", Select).value = "upheld"
        await pilot.press(*"paper sheet", "enter")
        await until(pilot, lambda: "needs its correction" in screen_text(app, "#dialog-problem"),
                    what="refused")
        assert not entries(world, "appeal_decided")
        await pilot.press("escape", "p")
        await preview_j3_pitch_13(app, pilot)
        await pilot.press("d")
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        dialog.query_one("#field-outcome", Select).value = "upheld"
        await pilot.press(*"paper sheet", "enter")
        await until(pilot, lambda: bool(entries(world, "appeal_decided")), what="decided")
    [decided] = entries(world, "appeal_decided")
    assert decided["correction"] == {"set": [{"judge": "J3", "criterion": "pitch",
                                              "value": "13"}], "withdraw": []}
    [override] = entries(world, "value_overridden")[-1:]
    assert (override["judge"], override["new"], override["appeal"]) == ("J3", "13",
                                                                         decided["appeal"])


async def test_the_detail_shows_the_category_and_the_committees_tally(world: Master) -> None:
    """Issue 27: what an appeal is about and how the committee has voted so far, in Chinese
    as the head judge reads it."""
    import dataclasses

    from head_judge.actions import HeadJudge
    from head_judge.appeals import appeals, file_appeal, vote_on_appeal

    world._event = dataclasses.replace(world.event, committee=("张伟", "李娜", "王磊"))
    head = HeadJudge(world)
    filed = file_appeal(head, "L05", "评分表日期写错", "L05 本人", category="procedure")
    vote_on_appeal(head, filed.id, "张伟", "upheld")
    vote_on_appeal(head, filed.id, "李娜", "abstain", conflict=True)
    app = world_app(world, lang="zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("7")
        for _ in range(len(appeals(head)) - 1):
            await pilot.press("down")
        await pilot.pause()
        detail = screen_text(app, "#appeal-detail")
        table = screen_text(app, "#appeals").splitlines()
    assert "类别：程序" in detail
    assert table[-1].split("  ")[4:6] == ["程序", "评分表日期写错"]  # the category column
    assert "表决：支持 1 · 驳回 0 · 弃权 0 · 回避 李娜（需 2 票）" in detail


async def test_filing_chooses_the_category_and_after_the_window_needs_a_late_reason(
        tmp_path: Path) -> None:
    """The file dialog asks what the appeal is about (评判 only when the event allows it)
    and, with an appeal window, a reason to accept it late: without one, once the window
    has closed, the dialog shows the refusal and nothing is written."""
    import datetime as dt

    from head_judge.console.app import ConsoleApp

    from .test_results import EAST8, Moving, tied_final, windowed

    master = tied_final(tmp_path)
    clock = Moving(dt.datetime(2030, 3, 1, 14, 0, tzinfo=EAST8))
    try:
        head = windowed(master, clock)
        head.publish(head.scopes()[0])
        clock.moment += dt.timedelta(minutes=45)
        app = ConsoleApp(master, clock=clock, lang="zh", prints=tmp_path / "prints")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("7", "f")
            dialog = app.screen
            assert isinstance(dialog, FormDialog)
            category = dialog.query_one("#field-category", Select)
            assert [str(o[0]) for o in category._options] == ["计分", "程序", "资格"]
            dialog.query_one("#field-contestant", Select).value = "C3"
            category.value = "procedure"
            await pilot.press(*"order", "enter", *"coach", "enter", "enter")
            await until(pilot, lambda: "逾期" in screen_text(app, "#dialog-problem"),
                        what="refused as late")
            refusal = screen_text(app, "#dialog-problem")
            assert "“逾期受理的原因”一栏" in refusal and "--late-reason" not in refusal
            assert entries(master, "appeal_filed") == []
            dialog.query_one("#field-late_reason", Input).value = "赛后才拿到成绩单"
            await pilot.press("enter")
            await until(pilot, lambda: bool(entries(master, "appeal_filed")), what="filed")
            table = screen_text(app, "#appeals")
        [filed] = entries(master, "appeal_filed")
    finally:
        master.close()
    assert (filed["category"], filed["late"]) == ("procedure", "赛后才拿到成绩单")
    assert "程序" in table
