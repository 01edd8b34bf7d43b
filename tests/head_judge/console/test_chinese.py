"""A whole small final run from the console in Chinese, against simulated judges over TLS,
with every tab, dialog, refusal and toast on the way scanned for English (tests/english.py):
codes issued, sheets in, a flag, a review, publishing refused before the locks, a review
refused on a locked contestant, the platform data imported, everyone locked, results
published, an appeal, the audit, the Print tab, Textual's own quit hint and the quit dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input

from head_judge.appeals import file_appeal
from head_judge.console.app import ConsoleApp
from head_judge.console.screens.appeals import AppealsScreen
from head_judge.console.screens.confirm import ConfirmDialog
from head_judge.console.screens.form import FormDialog
from sync.event_file import load_event
from tests.english import EnglishScan, app_text, english_words

from .conftest import entries, kinds, screen_text, serving_console, until
from .sim import SimJudge, values_for, write_small_final

JUDGES = ("J1", "J2", "J3")
CONTESTANTS = ("C1", "C2", "C3")
TABS = ("overview", "discrepancies", "contestant", "enrolment", "components", "results",
        "appeals", "audit", "print")
DATA = ("laptop",  # the judges' laptops' names, as they enrolled them
        "recount", "check", "checked", "misread",  # what the test types
        "contestant,value")  # the columns a component file must have, as the file has them


async def every_tab(pilot: Pilot[Any], app: ConsoleApp, scan: EnglishScan, step: str,
                    help_too: bool = False) -> None:
    while isinstance(app.screen, ModalScreen):
        await pilot.press("escape")
    for n, name in enumerate(TABS, start=1):
        if app.focused is not None and app.focused.__class__.__name__ == "Input":
            await pilot.press("escape")
        await pilot.press(str(n))
        await pilot.pause()
        scan.check(app, f"{step}: tab {name}")
        if help_too:
            await pilot.press("f1")
            await pilot.pause()
            scan.check(app, f"{step}: help on {name}")
            await pilot.press("escape")


async def close_dialogs(pilot: Pilot[Any], app: ConsoleApp) -> None:
    while isinstance(app.screen, ModalScreen):
        await pilot.press("escape")
        await pilot.pause()


def test_the_scan_finds_english() -> None:
    assert english_words("未执行：cannot publish main: not locked: L04") == \
        ["cannot", "publish", "main", "not", "locked"]
    assert english_words("按 Enter 确定，Esc 取消，F4 或 Ctrl+L 切换 English；L04、J1 r2 "
                         "10.5 分 judge-J1-ledger211.pdf 3f9a2c71d0e4") == []
    assert english_words("设备 laptop J1", allowed=("laptop",)) == []


async def test_a_whole_final_in_chinese_shows_no_english(tmp_path: Path) -> None:
    event_file = write_small_final(tmp_path / "event")
    event = load_event(event_file)
    scan = EnglishScan({*DATA, event.id,  # the event's, components' and criteria's ids
                        *(c.id for c in event.scoring.components),
                        *(c.id for c in event.criteria)})  # criteria named by id too
    unsaid: list[str] = []  # what the console should have said, in Chinese
    async with serving_console(tmp_path / "master", event_file, lang="zh") as (app, pilot):
        master = app.master
        await every_tab(pilot, app, scan, "start", help_too=True)

        # Textual's own words: Ctrl+C's quit hint, the command palette's key
        await pilot.press("1", "ctrl+c")
        await pilot.pause()
        scan.check(app, "Ctrl+C")
        assert "按 Ctrl+Q 退出" in app_text(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        scan.check(app, "Ctrl+P")
        await close_dialogs(pilot, app)

        # --- enrolment ----------------------------------------------------------------------
        await pilot.press("4", "a")
        assert isinstance(app.screen, ConfirmDialog)
        scan.check(app, "codes dialog")
        await pilot.press("Y")
        await until(pilot, lambda: set(app.codes) == set(JUDGES), what="codes issued")
        judges = {j: SimJudge.open(tmp_path / j, j) for j in JUDGES}
        try:
            assert app.port is not None
            for j, sim in judges.items():
                await sim.enrol(app.codes[j].code, app.port)
            await until(pilot, lambda: len(entries(master, "device_enrolled")) == 3,
                        what="three terminals enrolled")
            await pilot.pause(0.3)
            scan.check(app, "enrolled")

            # --- sheets; J3 far off on C2 -----------------------------------------------------
            for contestant in CONTESTANTS:
                for j in JUDGES:
                    judge, who = event.judge(j), event.contestant(contestant)
                    assert judge is not None and who is not None
                    if event.is_recused(judge, who):
                        continue
                    off = -0.35 if (j, contestant) == ("J3", "C2") else 0.0
                    judges[j].submit(contestant, values_for(event, j, contestant, off=off))
                    await judges[j].push()
            await until(pilot, lambda: bool(app.head.flags("open")), what="a flag")
            await pilot.pause(0.3)
            await every_tab(pilot, app, scan, "sheets in")

            # --- publishing too early is refused, in Chinese ----------------------------------
            await pilot.press("6", "p")
            await pilot.pause()
            scan.check(app, "publish dialog before the locks")
            if isinstance(app.screen, ConfirmDialog):
                await pilot.press("enter")
                await pilot.pause()
                scan.check(app, "publish refused")
            assert "未锁定" in app_text(app)  # what blocks it, in Chinese
            await close_dialogs(pilot, app)

            # --- a review from the Discrepancies tab ------------------------------------------
            await pilot.press("2", "r")
            assert isinstance(app.screen, FormDialog)
            scan.check(app, "review dialog")
            await pilot.press(*"recount", "enter")
            await until(pilot, lambda: not isinstance(app.screen, ModalScreen),
                        what="review sent")
            scan.check(app, "review sent")
            await judges["J3"].pull()
            judges["J3"].submit("C2", values_for(event, "J3", "C2"), reason="misread")
            await judges["J3"].push()
            await until(pilot, lambda: not app.head.flags("open"), what="the flag cleared")

            # --- C1 locked; a review of C1 is refused ------------------------------------------
            await app.show_contestant("C1")
            await pilot.pause()
            await pilot.press("l")
            scan.check(app, "lock dialog")
            await pilot.press("enter")
            await until(pilot, lambda: "C1" in app.head.locks(), what="C1 locked")
            await pilot.press("r")
            await pilot.pause()
            if isinstance(app.screen, FormDialog):
                await pilot.press(*"check", "enter")
                await pilot.pause()
            scan.check(app, "review of a locked contestant")
            assert "已锁定" in app_text(app)
            await close_dialogs(pilot, app)

            # --- a review of C3, closed when its judge is excused: the master's own words ------
            who = event.contestant("C3")
            assert who is not None
            excused = next(j.id for j in event.panel_for(who))
            app.head.request_review(excused, "请再看一遍", contestant="C3")
            app.head.excuse_judge(excused, "身体不适", ["C3"])
            app.refresh_now()
            await app.show_contestant("C3")
            await pilot.pause(0.3)
            scan.check(app, "a review closed by an excusal: contestant page")
            await pilot.press("8")
            await pilot.pause(0.3)
            scan.check(app, "a review closed by an excusal: audit")
            if "评委已免评：身体不适" not in app_text(app):
                unsaid.append("评委已免评：身体不适")

            # --- component files with mistakes: what is wrong with them, in Chinese ---------
            folder = event_file.parent
            (folder / "bad.csv").write_text("contestant,value\nC9,80\nC2,九十\nC3,70\nC3,71\n",
                                            encoding="utf-8")
            (folder / "columns.csv").write_text("选手,value\nC1,80\n", encoding="utf-8")
            (folder / "binary.csv").write_bytes(b"\xff\xfe\x00\x81\x30\x81")
            for name, wrong in (("bad.csv", "第 2 行 contestant 列：本赛事没有选手 'C9'"),
                                ("columns.csv", "缺少列 contestant"),
                                ("binary.csv", "既不是 UTF-8"),
                                ("missing.csv", "文件不存在")):
                app.clear_notifications()
                await pilot.press("5", "e", "end", "ctrl+u", *name, "enter")
                await until(pilot, lambda: "文件有误" in app_text(app)
                            or "无法读取" in app_text(app), what=f"what is wrong with {name}")
                scan.check(app, f"a component file with mistakes: {name}")
                if wrong not in app_text(app):
                    unsaid.append(wrong)

            # --- the platform data -----------------------------------------------------------
            (event_file.parent / "data.csv").write_text(
                "contestant,value\nC1,80\nC2,91.5\nC3,70\n", encoding="utf-8")
            await pilot.press("5", "e", "end", "ctrl+u", *"data.csv", "enter")
            await until(pilot, lambda: "91.5" in screen_text(app, "#changes"), what="a preview")
            await pilot.pause(0.2)
            scan.check(app, "import preview")
            await pilot.press("i")
            await pilot.pause()
            scan.check(app, "import dialog")
            await pilot.press("enter")
            await until(pilot, lambda: "components_imported" in kinds(master),
                        what="imported")

            # --- everyone locked, published ---------------------------------------------------
            for contestant in ("C2", "C3"):
                await app.show_contestant(contestant)
                await pilot.pause()
                await pilot.press("l")
                await pilot.pause()
                if isinstance(app.screen, FormDialog):  # a forced lock takes a reason
                    await pilot.press(*"checked", "enter")
                else:
                    await pilot.press("enter")
                await until(pilot, lambda c=contestant: c in app.head.locks(),
                            what=f"{contestant} locked")
            await pilot.press("6", "p")
            await pilot.pause()
            scan.check(app, "publish dialog")
            await pilot.press("enter")
            await until(pilot, lambda: "results_published" in kinds(master),
                        what="published")
            await pilot.pause(0.2)
            scan.check(app, "published")

            # --- an appeal and a correction's preview; a change since publishing -------------
            await pilot.press("7", "f")
            await pilot.pause()
            scan.check(app, "appeal dialog")
            await close_dialogs(pilot, app)
            appeal = file_appeal(app.head, "C2", "分数有误", "领队")
            app.refresh_now()
            await pilot.pause(0.2)
            await pilot.press("p")
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            app.screen.query_one("#field-value", Input).focus()
            await pilot.press("x", "enter")  # a slip: the form says so in Chinese
            await pilot.pause()
            assert isinstance(app.screen, FormDialog)
            assert "不是有效分值" in app_text(app)
            scan.check(app, "a correction that is not a score")
            await pilot.press("backspace", "0", "enter")
            await until(pilot, lambda: appeal.id in app.screen.previews  # type: ignore[attr-defined]
                        if isinstance(app.screen, AppealsScreen) else False,
                        what="a correction's preview")
            await pilot.pause(0.2)
            scan.check(app, "a correction's preview")
            if "最终得分" not in app_text(app):
                unsaid.append("最终得分 (in the preview)")
            judge, criterion = next(j.id for j in event.panel_for(event.contestant("C2"))), \
                event.criteria[0].id
            app.head.unlock("C2", "申诉")
            app.head.override_value(judge, "C2", criterion, "0", "申诉")
            app.refresh_now()
            await pilot.press("6")
            await pilot.pause(0.3)
            scan.check(app, "changes since the published version")
            if "最终得分" not in app_text(app):
                unsaid.append("最终得分 (since publishing)")

            # --- the record, the Print tab ----------------------------------------------------
            await pilot.press("8", "v")
            await until(pilot, lambda: "校验" in str(app.screen.query_one("#verify").render())
                        if app.screen.query("#verify") else True, what="verified")
            await pilot.pause(0.5)
            await every_tab(pilot, app, scan, "published", help_too=True)

            # --- quitting --------------------------------------------------------------------
            await pilot.press("ctrl+q")
            await pilot.pause()
            scan.check(app, "quit dialog")
            await close_dialogs(pilot, app)
        finally:
            for sim in judges.values():
                await sim.close()
            print(scan.report())
    scan.assert_clean()
    assert not unsaid
