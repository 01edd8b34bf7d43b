"""What a judge types is never silently changed (a slip such as `1O` for 10 is refused with
the character named, never read as 1), old error lines go as the fields are fixed, a burst of
notices is one line that covers nothing, every help fits 80x24 (or scrolls), and the command
line refuses a locked contestant, shows the data folder and prints notices as sentences."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.widgets import Static

from head_judge.actions import HeadJudge
from judge_terminal.app import JudgeApp
from judge_terminal.cli import _describe_notice
from judge_terminal.cli import main as terminal_cli
from judge_terminal.lan import SeenMaster
from judge_terminal.model import check_value
from judge_terminal.screens.enrol import EnrolScreen
from judge_terminal.screens.help import CHROME, DIALOG_WIDTH, STEP, HelpScreen
from judge_terminal.screens.queue import QueueScreen
from judge_terminal.screens.sheet import SheetScreen
from judge_terminal.widgets.notice_line import NoticeLine, summarise
from judge_terminal.widgets.score_field import ScoreField
from judge_terminal.words import fold, say
from sync.event import Criterion, Text
from sync.store import Notice, TerminalStore
from tests.english import english_words

from . import support
from .conftest import Running, burst, until
from .test_flows import VALUES, online_app, score_synced, status_of

PITCH = Criterion("pitch", Text("产品推介", "Product pitch"), Decimal(20), Decimal("0.5"))
DIGITS = "0123456789０１２３４５６７８９"
MARKS = ".,，。．"
TYPED = st.text(st.sampled_from([*DIGITS, *MARKS, " ", "　", "-", "e", "E", "x", "O", "o", "l",
                                 "I", "+", "_", "?", "？", "/", "²", "١", "½", "n", "a"]),
                max_size=10)


def as_ascii(text: str) -> str:
    """The number a judge sees in `text`: full-width digits as digits, any mark as '.'."""
    out = text.strip()
    for i, wide in enumerate("０１２３４５６７８９"):
        out = out.replace(wide, str(i))
    for mark in MARKS:
        out = out.replace(mark, ".")
    return out


@given(TYPED)
def test_any_typed_text_is_exactly_the_number_it_shows_or_visibly_refused(typed: str) -> None:
    check = check_value(PITCH, typed)
    foreign = [c for c in typed.strip() if c not in DIGITS + MARKS]
    if not typed.strip():
        assert check.state == "empty"
    elif check.state == "ok":
        assert not foreign  # no character was dropped or read as something else
        assert check.value == Decimal(as_ascii(typed))
    else:
        assert check.state == "bad" and check.problem is not None
        if foreign and not (foreign == ["-"] and typed.strip().startswith("-")):
            # the first character that cannot be part of a number is named, as typed
            assert check.problem == "chk_bad_char" and check.char == foreign[0]


@pytest.mark.parametrize(("typed", "problem", "char"), [
    ("x1e1", "chk_bad_char", "x"), ("1e1", "chk_bad_char", "e"), ("1O", "chk_bad_char", "O"),
    ("-3", "chk_range", ""), ("3-", "chk_bad_char", "-"), ("１O", "chk_bad_char", "O"),
])
def test_slips_are_refused_naming_the_character(typed: str, problem: str, char: str) -> None:
    check = check_value(PITCH, typed)
    assert (check.state, check.problem, check.char) == ("bad", problem, char)


@pytest.mark.parametrize(("typed", "value"), [
    ("１０", "10"), ("８。５", "8.5"), ("８．５", "8.5"), ("8,5", "8.5"), ("　９　", "9")])
def test_full_width_digits_and_stops_are_numbers(typed: str, value: str) -> None:
    assert check_value(PITCH, typed) == check_value(PITCH, value)
    assert check_value(PITCH, typed).value == Decimal(value)


# --- the sheet, as typed ---------------------------------------------------------------------

@pytest.fixture
def store(tmp_path: Path) -> TerminalStore:
    store = support.open_store(tmp_path / "judge")
    support.enrol(store, support.livestream(), "J1")
    return store


def offline_app(store: TerminalStore, lang: str) -> JudgeApp:
    return JudgeApp(store, clock=support.fixed_clock, connect=False, discover=False, lang=lang)


def shown_text(app: JudgeApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_slips_stay_on_screen_refused_and_error_lines_go_as_fields_are_fixed(
        store: TerminalStore) -> None:
    app = offline_app(store, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SheetScreen), what="the sheet")
        sheet = app.screen
        assert isinstance(sheet, SheetScreen)
        await burst(pilot, *"x1e1", "enter", *"1O", "enter", *"-3", "enter", *"１０")
        first, second, third, fourth = sheet.fields[:4]
        # kept as typed; full-width digits shown as the ASCII ones (a full-width value is
        # twice as wide: scrolled in the field, `１３．５` would look like `３．５`)
        assert [f.text for f in (first, second, third, fourth)] == ["x1e1", "1O", "-3", "10"]
        check = first.query_one(".check", Static)
        assert str(check.render()) == "x “x”不是数字" and check.has_class("bad")
        assert str(second.query_one(".check", Static).render()) == "x “O”不是数字"
        assert str(third.query_one(".check", Static).render()).startswith("x 超出 0–")
        assert fourth.check.state == "ok" and fourth.check.value == Decimal(10)

        await pilot.press("f2")  # refused: says what to fix and what is missing
        message = shown_text(app, "#sheet-message")
        assert "请修正：" in message and "请先填完所有评分项" in message
        for field, value in zip(sheet.fields, VALUES, strict=True):
            if field.check.state != "ok":
                field.input.focus()
                await pilot.pause()
                field.input.value = value
                await pilot.pause()
            if field is second:  # two fixed of three: the line names only the third
                message = shown_text(app, "#sheet-message")
                assert "请修正：" + third.criterion.name.zh in message
                assert first.criterion.name.zh not in message.split("请修正：")[1]
        message = shown_text(app, "#sheet-message")
        assert "请修正" not in message and "请先填完" not in message, message
        assert all(isinstance(f, ScoreField) and f.check.state == "ok" for f in sheet.fields)


# --- a burst of notices ----------------------------------------------------------------------

def locks(n: int, reason: str = "") -> list[Notice]:
    return [Notice(100 + i, "lock", None, {"contestant": f"L{i:02d}", "reason": reason})
            for i in range(1, n + 1)]


def test_a_burst_is_summed_up_in_one_line() -> None:
    label = lambda c: f"1 {c} 某某"  # noqa: E731
    assert summarise(locks(18), "zh", label) == "18 位选手已锁定"
    assert summarise(locks(18), "en", label) == "18 contestants locked"
    assert summarise(locks(1), "zh", label) == "总裁判长已锁定 1 L01 某某"
    mixed = [*locks(3), Notice(9, "unlock", None, {"contestant": "L02", "reason": ""}),
             Notice(10, "review_request", "J1", {"contestant": "L05", "review": 4}),
             Notice(11, "on_stage", None, {"contestant": "L06"}),
             Notice(12, "on_stage", None, {"contestant": "L07"})]
    assert summarise(mixed, "en", label) == (
        "Review request: 1 L05 某某. Press R.; 3 contestants locked; The head judge unlocked "
        "1 L02 某某; On stage: 1 L07 某某 (press O)")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_eighteen_lock_notices_replayed_are_one_line_that_covers_nothing(
        store: TerminalStore, lang: str) -> None:
    app = offline_app(store, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, QueueScreen), what="the queue")
        title = app.screen.query_one("#title", Static)
        title_before = title.render_line(0).text
        line = app.screen.query_one(NoticeLine)
        assert not line.display
        for notice in locks(18, "已核对"):  # as the sync client replays them after a restart
            app._on_notice(notice)
        await until(pilot, lambda: bool(line.display), what="the notice line")
        await pilot.pause()
        assert str(line.render()) == say("locks_arrived", lang, n=18)
        assert list(app._notifications) == []  # no pile of toasts over the queue
        table, status = app.screen.query_one("#queue"), app.screen.query_one("#status")
        assert line.region.height == 1 and line.region.bottom == status.region.y
        assert table.region.bottom <= line.region.y  # its own row: the queue is not covered
        assert title.render_line(0).text == title_before and "14:05" in title_before
        assert title.region.bottom <= table.region.y
        app._clear_notices()
        await pilot.pause()
        assert not line.display


async def test_locks_from_a_real_master_arrive_as_one_line(tmp_path: Path,
                                                           running: Running) -> None:
    async with online_app(tmp_path, running) as (_store, app, pilot):
        head = HeadJudge(running.master)
        for contestant in [c.id for c in running.event.contestants][:6]:
            head.lock(contestant, reason="checked", force=True)
        line = app.screen.query_one(NoticeLine)
        await until(pilot, lambda: str(line.render()) == "6 contestants locked",
                    what="one line for six locks")
        assert status_of(app, running.event.contestants[0].id) == "locked"
        assert not [n for n in app._notifications if "locked" in n.message]


def test_a_closed_review_says_why_in_the_terminals_language() -> None:
    label = lambda c: f"1 {c} 某某"  # noqa: E731
    said = {"review": 4, "contestant": "L05", "reason": "the judge was excused: left at noon",
            "reason_id": "why_judge_excused", "reason_params": {"reason": "left at noon"}}
    closed = [Notice(10, "review_closed", "J1", said)]
    assert summarise(closed, "zh", label) == (
        "1 L05 某某 的复核请求无需再答复：总裁判长已准许您免评（left at noon）")
    assert summarise(closed, "en", label) == (
        "The review request for 1 L05 某某 needs no answer any more: the head judge excused "
        "you (left at noon)")
    # from an older master (no id), or an id this terminal does not know: the text as sent
    for older in ({k: said[k] for k in ("review", "contestant", "reason")},
                  {**said, "reason_id": "why_moon_phase"}, {**said, "reason_params": {}}):
        assert summarise([Notice(10, "review_closed", "J1", older)], "zh", label) == (
            "1 L05 某某 的复核请求无需再答复：the judge was excused: left at noon")
    two = [*closed, Notice(11, "review_closed", "J1", {**said, "contestant": "L06"})]
    assert summarise(two, "zh", label) == "2 条复核请求无需再答复"


async def test_a_review_closed_on_the_master_is_explained_in_chinese(
        tmp_path: Path, running: Running) -> None:
    async with online_app(tmp_path, running) as (store, app, pilot):
        await score_synced(pilot, app, store, "L04")
        app.lang = "zh"
        head = HeadJudge(running.master)
        head.request_review("J1", "请核对", contestant="L04")
        head.withdraw_sheet("J1", "L04", "评委看错了选手")
        line = app.screen.query_one(NoticeLine)
        want = (f"{app.contestant_label('L04')} 的复核请求无需再答复："
                "总裁判长已撤销您的评分（评委看错了选手）")
        await until(pilot, lambda: want in str(line.render()), what="the close, in Chinese")
        assert "withdrawn" not in str(line.render())


# --- help --------------------------------------------------------------------------------------

def finder() -> list[SeenMaster]:
    event = support.livestream()
    return [SeenMaster("192.168.1.10", 8765, "总裁判长", event.id, event.name, support.PIN)]


async def open_help(pilot: object, app: JudgeApp) -> HelpScreen:
    await app.run_action("help")
    await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")  # type: ignore
    await pilot.pause()  # type: ignore[attr-defined]
    assert isinstance(app.screen, HelpScreen)
    return app.screen


def assert_nothing_cut(help_: HelpScreen, width: int, height: int) -> None:
    """Every line of every topic is on screen, or reachable by scrolling; none is cut."""
    lang = help_.japp.lang
    said = [say(topic, lang) for topic in help_.topics]
    said = [step.group(2) if (step := STEP.fullmatch(text)) else text for text in said]
    folded = [line for text in said
              for line in fold(text, min(DIALOG_WIDTH, width) - CHROME).split("\n")]
    assert all(cell_len(line) <= min(DIALOG_WIDTH, width) - CHROME for line in folded)
    text, scroll = help_.query_one("#help-text"), help_.query_one("#help-scroll")
    assert text.virtual_region.height == len(folded)
    dialog, close = help_.query_one("#dialog"), help_.query_one("#close")
    assert dialog.region.y >= 0 and dialog.region.bottom <= height
    assert close.region.bottom <= dialog.region.bottom and close.region.height > 0
    shown = scroll.region.height
    assert shown + scroll.max_scroll_y == len(folded)  # the rest scrolls into view


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (80, 16)])
async def test_every_help_fits_or_scrolls(store: TerminalStore, lang: str,
                                          size: tuple[int, int]) -> None:
    app = offline_app(store, lang)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, QueueScreen), what="the queue")
        help_ = await open_help(pilot, app)
        assert_nothing_cut(help_, *size)
        if size == (80, 24):
            assert help_.query_one("#help-scroll").max_scroll_y == 0  # all of it at once
        await pilot.press("escape")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SheetScreen), what="the sheet")
        help_ = await open_help(pilot, app)
        assert_nothing_cut(help_, *size)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_enrolment_screen_explains_enrolling(tmp_path: Path, lang: str) -> None:
    async def masters() -> list[SeenMaster]:
        return finder()

    with TerminalStore.open(tmp_path / "judge") as store:
        app = JudgeApp(store, clock=support.fixed_clock, connect=False, discover=False,
                       lang=lang, finder=masters)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, EnrolScreen), what="enrolment")
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            await pilot.pause()
            help_ = app.screen
            assert isinstance(help_, HelpScreen)
            assert str(help_.query_one("#dialog-title", Static).render()) == \
                say("help_enrol_title", lang)
            text = help_.query_one("#help-text", Static)
            lines = [text.render_line(y).text.strip() for y in range(text.region.height)]
            shown = ("" if lang == "zh" else " ").join(lines)
            assert ("绑定码" if lang == "zh" else "enrolment code") in shown
            assert ("评分表" if lang == "zh" else "Sheet:") not in shown  # not the queue's help
            assert_nothing_cut(help_, 80, 24)
            assert help_.query_one("#help-scroll").max_scroll_y == 0


# --- the command line ----------------------------------------------------------------------------

def test_submit_refuses_a_locked_contestant_before_saving_anything(tmp_path: Path) -> None:
    event = support.livestream()
    home = tmp_path / "judge"
    with support.open_store(home) as store:
        support.enrol(store, event, "J1")
        support.notices(store, Notice(3, "lock", None, {"contestant": "L02",
                                                         "reason": "成绩已核对 checked"}),
                        Notice(4, "lock", None, {"contestant": "L03", "reason": ""}),
                        Notice(5, "unlock", None, {"contestant": "L03", "reason": "typo"}))
    values = [f"-v{c.id}={c.max}" for c in event.criteria]
    result = CliRunner().invoke(terminal_cli, ["--home", str(home), "submit", "L02", *values])
    assert result.exit_code == 2
    assert result.stderr == ("错误：L02 已被总裁判长锁定（成绩已核对 checked）；未保存任何内容。"
                             "请先请总裁判长解锁\n"
                             "error: L02 is locked by the head judge (成绩已核对 checked); "
                             "nothing was saved. Ask the head judge to unlock it first\n")
    with support.open_store(home) as store:
        assert store.sheets() == [] and store.outbox_size() == 0
    result = CliRunner().invoke(terminal_cli, ["--home", str(home), "submit", "L03", *values])
    assert result.exit_code == 0, result.output  # unlocked again: saved


def test_status_shows_the_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "judge"
    result = CliRunner().invoke(terminal_cli, ["--home", str(home), "status"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [f"数据文件夹 {home.resolve()}",
                                              f"data folder {home.resolve()}"]
    with support.open_store(home) as store:
        support.enrol(store, support.livestream(), "J1")
    result = CliRunner().invoke(terminal_cli, ["--home", str(home), "status"])
    assert result.stdout.splitlines()[:2] == [f"数据文件夹 {home.resolve()}",
                                              f"data folder {home.resolve()}"]
    assert result.stdout.splitlines()[2].startswith("评委 J1，赛事：")
    assert result.stdout.splitlines()[3].startswith("judge J1 at ")


EVERY_KIND = [
    (Notice(1, "event_changed", None, {"event_digest": "ab", "event": {"big": "snapshot"}}),
     "notice 1: the head judge changed the event settings; new sheets are checked against "
     "them"),
    (Notice(2, "review_request", "J1", {"review": 7, "contestant": "L04", "flag": 5,
                                        "note": "请核对 pitch", "sheet": "ff"}),
     "notice 2: the head judge asks you to review your sheet for L04 (flag 5): 请核对 pitch; "
     "review 7: confirm it or submit a correction"),
    (Notice(3, "review_closed", "J1", {"review": 7, "contestant": "L04", "reason": "withdrawn"}),
     "notice 3: review 7 for L04 needs no answer any more (reason: withdrawn)"),
    (Notice(4, "withdrawn", "J1", {"contestant": "L04", "reason": "wrong contestant"}),
     "notice 4: the head judge withdrew your sheet for L04 (reason: wrong contestant)"),
    (Notice(5, "excused", "J1", {"contestants": None, "reason": "ill"}),
     "notice 5: the head judge excused your seat for the whole final (reason: ill)"),
    (Notice(6, "restored", "J1", {"contestants": ["L01", "L02"], "reason": "back"}),
     "notice 6: the head judge restored your seat for L01, L02 (reason: back)"),
    (Notice(7, "lock", None, {"contestant": "L03", "reason": ""}),
     "notice 7: L03 locked by the head judge"),
    (Notice(10, "unlock", None, {"contestant": "L03", "reason": "分数录错 typo"}),
     "notice 10: L03 unlocked by the head judge (reason: 分数录错 typo)"),
    (Notice(11, "checkpoint", None, {"checkpoint": {"body": "…"}, "reason": "publish"}),
     "notice 11: the head judge recorded a checkpoint of the ledger (reason: publish)"),
    (Notice(12, "on_stage", None, {"contestant": "L05"}), "notice 12: L05 is on stage"),
    (Notice(13, "succession", None, {"succession": {"body": "…", "sig": "…"}}),
     "notice 13: the head judge named a standby master, the successor if the master "
     "fails"),
]


@pytest.mark.parametrize(("notice", "sentence"), EVERY_KIND,
                         ids=[n.kind for n, _ in EVERY_KIND])
def test_sync_prints_every_notice_kind_as_a_sentence(notice: Notice, sentence: str) -> None:
    said = _describe_notice(notice)
    assert said == sentence
    assert said.render("zh").startswith(f"通知 {notice.id}：")
    assert not english_words(said.render("zh"), allowed=("pitch", "typo", "withdrawn",
                                                         "wrong", "contestant", "ill", "back",
                                                         "publish"))


def test_every_notice_kind_of_the_protocol_has_a_sentence() -> None:
    table = (support.REPO / "docs" / "protocol.md").read_text(encoding="utf-8")
    section = table.split("A notice is")[1].split("### ")[0]
    kinds = {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}
    assert kinds == {n.kind for n, _ in EVERY_KIND}


async def test_sync_once_prints_an_unlock_as_a_sentence(tmp_path: Path,
                                                        running: Running) -> None:
    from .conftest import enrolled_store

    home = tmp_path / "judge"
    (await enrolled_store(home, running)).close()
    head = HeadJudge(running.master)
    head.lock("L03", reason="checked", force=True)
    head.unlock("L03", "分数录错 typo")
    result = await asyncio.to_thread(CliRunner().invoke, terminal_cli,
                                     ["--home", str(home), "sync", "--once", "--no-discover"])
    assert result.exit_code == 0, result.output
    assert "L03 locked by the head judge (reason: checked)" in result.stdout
    assert "L03 unlocked by the head judge (reason: 分数录错 typo)" in result.stdout
    assert "{" not in result.stdout and "'contestant'" not in result.stdout
