"""The judge's flows in the real app (Textual Pilot) against a real master over TLS on
loopback: enrol (choosing among several masters by keyboard), score, submit, synced;
offline and back; a review request answered by revising or confirming; a locked contestant;
what the master rejected."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import Result
from textual.pilot import Pilot
from textual.widgets import Input, Static

from head_judge.actions import HeadJudge
from judge_terminal.app import JudgeApp
from judge_terminal.lan import SeenMaster, describe_all
from judge_terminal.model import shown
from judge_terminal.screens.confirm import ConfirmScreen
from judge_terminal.screens.enrol import EnrolScreen
from judge_terminal.screens.queue import QueueScreen
from judge_terminal.screens.reason import ReasonScreen
from judge_terminal.screens.review import ReviewScreen
from judge_terminal.screens.sheet import SheetScreen
from judge_terminal.widgets.key_bar import KeyBar
from judge_terminal.widgets.queue_table import QueueTable
from judge_terminal.widgets.score_field import ScoreField
from judge_terminal.widgets.status_bar import StatusBar
from sync import discovery
from sync.discovery import advertise
from sync.event import Event
from sync.event_file import load_event
from sync.identity import ensure_master_identity, format_fingerprint
from sync.store import TerminalStore
from tests.masters import now, start_master
from tests.sync.test_client import StandIn

from .conftest import FAST, Running, burst, enrolled_store, until

VALUES = ["9", "12.5", "18", "13.5", "8", "13", "14"]


def text(app: JudgeApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def app_for(store: TerminalStore, running: Running | None = None, **options: object) -> JudgeApp:
    master = ("127.0.0.1", running.port) if running is not None else None
    return JudgeApp(store, master=master, discover=False, lang="en",
                    client_options=FAST, **options)  # type: ignore[arg-type]


async def open_contestant(pilot: Pilot[None], app: JudgeApp, contestant: str) -> SheetScreen:
    assert isinstance(app.screen, QueueScreen)
    app.screen.query_one(QueueTable).go_to(contestant)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, SheetScreen), what="the sheet")
    screen = app.screen
    assert isinstance(screen, SheetScreen) and screen.contestant.id == contestant
    return screen


async def type_sheet(pilot: Pilot[None], values: list[str], comment: str = "") -> None:
    keys: list[str] = []
    for value in values:
        keys += [*value, "enter"]
    await burst(pilot, *keys, *comment)


async def submit(pilot: Pilot[None], app: JudgeApp) -> None:
    await pilot.press("f2")
    await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the confirmation")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, SheetScreen), what="back on the sheet")


async def score(pilot: Pilot[None], app: JudgeApp, contestant: str,
                values: list[str] = VALUES) -> SheetScreen:
    sheet = await open_contestant(pilot, app, contestant)
    await type_sheet(pilot, values)
    await submit(pilot, app)
    assert "Saved" in text(app, "#sheet-message"), text(app, "#sheet-message")
    return sheet


async def back(pilot: Pilot[None], app: JudgeApp) -> None:
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(app.screen, QueueScreen), what="the queue")


def connection(app: JudgeApp) -> str | None:
    return app.sync_state.connection if app.sync_state is not None else None


def status_of(app: JudgeApp, contestant: str) -> str:
    row = app.queue().row(contestant)
    assert row is not None
    return row.status


@asynccontextmanager
async def online_app(tmp_path: Path, running: Running
                     ) -> AsyncIterator[tuple[TerminalStore, JudgeApp, Pilot[None]]]:
    """A terminal enrolled with `running`, its app running and online."""
    with await enrolled_store(tmp_path / "judge", running) as store:
        app = app_for(store, running)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: connection(app) == "online", what="online")
            yield store, app, pilot


async def score_synced(pilot: Pilot[None], app: JudgeApp, store: TerminalStore,
                       contestant: str) -> None:
    """Score `contestant` with VALUES and wait until the master holds the sheet."""
    await score(pilot, app, contestant)
    await until(pilot, lambda: store.outbox_size() == 0, what=f"{contestant} synced")


async def test_enrol_score_submit_and_see_it_synced(tmp_path: Path, running: Running) -> None:
    code = running.code("J1")
    fingerprint = format_fingerprint(running.master.identity.fingerprint)
    with TerminalStore.open(tmp_path / "judge") as store:
        app = app_for(store, running)
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, EnrolScreen)
            # the head judge at --master is listed with its event and fingerprint
            await until(pilot, lambda: fingerprint in text(app, "#masters"), what="the list")
            assert "Harbin Livestream" in text(app, "#masters")
            # a typo is caught as typed, before anything is sent; Enter sends nothing
            digits = code.replace("-", "")
            typo = digits[:3] + digits[4] + digits[3] + digits[5:]  # two digits swapped
            if typo == digits:
                typo = digits[:-1] + str((int(digits[-1]) + 1) % 10)
            await burst(pilot, *code.split("-")[0], "-", *typo[1:], "enter")
            assert "x Typo: the check digit does not match" in text(app, "#code-check")
            assert kinds(running) & {"enrol_failed", "device_enrolled"} == set()
            app.screen.query_one("#code-input", Input).value = ""
            await burst(pilot, *code)
            assert f"ok No typo: seat {code.split('-')[0]}." == text(app, "#code-check")
            assert text(app, "#code-shown").strip() == code  # grouped as the card prints it
            assert "Press Enter to enrol with Harbin" in text(app, "#enrol-message")
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, QueueScreen), what="the queue")
            assert store.require_enrolment().judge == "J1"
            # the master fingerprint pinned, to compare with the card: told, and on the queue
            assert store.require_enrolment().pin == running.master.identity.fingerprint
            assert any("Compare the master fingerprint above with your card" in n.message
                       for n in app._notifications)
            assert "if it differs from your card's" in text(app, "#queue-head")
            assert fingerprint in text(app, "#queue-head")
            await until(pilot, lambda: connection(app) == "online", what="online")

            sheet = await score(pilot, app, "L01")
            total = sum((Decimal(v) for v in VALUES), Decimal(0))
            assert f"total {shown(total)}" in text(app, "#sheet-message")
            await until(pilot, lambda: "synced" in text(app, "#sheet-message"), what="synced")
            assert store.outbox_size() == 0
            saved = store.current_sheet("L01")
            assert saved is not None and saved.receipted and sheet.mode == "submitted"
            assert running.held() == [saved.hash]
            await back(pilot, app)
            assert status_of(app, "L01") == "synced"
            assert "0 to send" in str(app.screen.query_one(StatusBar).render())
            assert fingerprint not in text(app, "#queue-head")  # compared by now: room made


def kinds(running: Running) -> set[str]:
    return {e.kind for e in running.master.ledger.entries()}


async def test_several_masters_the_judge_chooses_one_by_keyboard_and_only_it_is_tried(
    tmp_path: Path, running: Running, fixtures_dir: Path
) -> None:
    """Three masters heard: a rogue advertising the same final, another final's real master,
    and the head judge's. Enter tries the code with the chosen one only (each try costs the
    code a guess): none chosen, nothing is sent; the rogue cannot prove it issued the code;
    the other final refuses it; the head judge's enrols, and its fingerprint is shown."""
    other = await start_master(tmp_path / "other",
                               load_event(fixtures_dir / "roadshow-final" / "event.toml"))
    rogue = StandIn(ensure_master_identity(tmp_path / "rogue", now=now()), running.event)
    rogue.knows_code = False
    await rogue.start()
    code = running.code("J1")
    ours = running.master.identity.fingerprint
    try:
        with TerminalStore.open(tmp_path / "judge") as store:
            async def heard() -> list[SeenMaster]:
                return await describe_all(app.client, [
                    ("127.0.0.1", port, f"master {port}", "")
                    for port in (rogue.port, other.port, running.port)])

            app = JudgeApp(store, discover=False, lang="zh", client_options=FAST,
                           finder=heard)
            async with app.run_test(size=(80, 24)) as pilot:
                screen = app.screen
                assert isinstance(screen, EnrolScreen)
                await until(pilot, lambda: screen.masters is not None, what="the list")
                listed = text(app, "#masters")
                assert listed.count("哈尔滨") == 2 and format_fingerprint(ours) in listed
                assert format_fingerprint(rogue.identity.fingerprint) in listed
                assert "找到 3 台主控机：按 ↑↓ 选择" in text(app, "#masters-label")
                assert "↑↓  选择主控机" in str(screen.query_one(KeyBar).render())
                assert ">" not in listed  # nobody is chosen for the judge

                await burst(pilot, *code, "enter")
                assert "ok 绑定码无误" in text(app, "#code-check")
                assert text(app, "#enrol-message").startswith("x 请先按 ↑↓ 选择卡片上的比赛")
                assert rogue.enrol_bodies == [] and "enrol_failed" not in kinds(running)

                await pilot.press("down", "enter")  # the first: the rogue
                await until(pilot, lambda: not screen.busy and screen.problem is not None,
                            what="the rogue's answer")
                assert text(app, "#masters").startswith("> 哈尔滨")
                assert "无法证明绑定码是它发的：它不是总裁判长的主控机" in text(
                    app, "#enrol-message")
                assert len(rogue.enrol_bodies) == 2 and store.enrolment() is None

                await pilot.press("down", "enter")  # another final's master
                await until(pilot, lambda: not screen.busy and screen.problem is not None,
                            what="the other final's answer")
                assert "绑定码被拒绝" in text(app, "#enrol-message")
                assert "x " + "绑定码被拒绝" in text(app, "#enrol-message")
                await pilot.press("f4")  # the refusal follows the language
                assert "x The code was refused" in text(app, "#enrol-message")
                await pilot.press("f4")

                await pilot.press("down", "down", "up", "down")  # clamped at the last
                assert screen.chosen == 2 and len(rogue.enrol_bodies) == 2
                assert "device_enrolled" not in kinds(running)  # nothing tried with it yet
                await pilot.press("enter")
                await until(pilot, lambda: isinstance(app.screen, QueueScreen),
                            what="the queue")
                enrolment = store.require_enrolment()
                assert enrolment.pin == ours and enrolment.port == running.port
                assert "主控指纹（请与卡片核对" in text(app, "#queue-head")
                assert format_fingerprint(ours) in text(app, "#queue-head")
                # each master was tried once, by the judge's choice: no guess spent elsewhere
                assert len(rogue.enrol_bodies) == 2
                assert {e.kind for e in other.master.ledger.entries()} & {
                    "enrol_failed", "device_enrolled"} == set()
                assert "enrol_failed" not in kinds(running)
    finally:
        await rogue.stop()
        await other.stop()


async def test_first_run_without_a_network_says_so_instead_of_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_interfaces(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("No interfaces to listen on, check that any interfaces have IP "
                           "version IPVersion.V4Only")  # zeroconf, with no IPv4 address up

    monkeypatch.setattr(discovery, "AsyncZeroconf", no_interfaces)
    with TerminalStore.open(tmp_path / "judge") as store:
        app = JudgeApp(store, discover=False, lang="en", client_options=FAST,
                       browse_timeout=0.2)  # no --master: the first-run screen searches
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, EnrolScreen)
            await until(pilot, lambda: "no network connection" in text(app, "#masters"),
                        what="why nothing was found")
            assert app.screen.masters == []
            await pilot.press("f4")
            assert "没有联网" in text(app, "#masters")


async def test_total_is_live_invalid_values_are_named_and_drafts_autosave(
    tmp_path: Path, running: Running
) -> None:
    with await enrolled_store(tmp_path / "judge", running) as store:
        app = app_for(store, running)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_contestant(pilot, app, "L02")
            await burst(pilot, *"9", "enter", *"15.5", "enter", *"13.3")
            total = text(app, "#total")
            assert "Total  9 / 100" in total and "2 to fix" in total and "4 still to fill" in total
            checks = [str(f.query_one(".check", Static).render())
                      for f in app.screen.query(ScoreField)]
            assert checks[:3] == ["ok", "x outside 0–15", "x use steps of 0.5"]
            draft = store.draft("L02")
            assert draft is not None and draft.values["pitch"] == "13.3"
            await pilot.press("f2")  # refused on the sheet, nothing saved
            message = text(app, "#sheet-message")
            assert "Please fix: Expression, Product pitch" in message
            assert isinstance(app.screen, SheetScreen) and store.sheets() == []
        # the app is gone (as if killed): the draft is still there and comes back
        again = app_for(store, running)
        async with again.run_test(size=(80, 24)) as pilot:
            assert status_of(again, "L02") == "draft"
            sheet = await open_contestant(pilot, again, "L02")
            assert sheet.texts()["pitch"] == "13.3"
            assert "Draft restored" in text(again, "#sheet-message")


async def test_offline_keep_scoring_and_everything_syncs_when_the_master_is_back(
    tmp_path: Path, running: Running, event: Event
) -> None:
    async with online_app(tmp_path, running) as (store, app, pilot):
        await score_synced(pilot, app, store, "L01")
        await back(pilot, app)

        await running.stop()  # the head judge's laptop goes away
        await until(pilot, lambda: connection(app) != "online", what="offline")
        for contestant in ("L02", "L03"):
            await score(pilot, app, contestant)
            assert "waiting to be sent" in text(app, "#sheet-message")
            await back(pilot, app)
        assert store.outbox_size() == 2
        assert [status_of(app, c) for c in ("L01", "L02", "L03")] == \
            ["synced", "waiting", "waiting"]
        await until(pilot, lambda: connection(app) == "offline", what="offline")
        bar = str(app.screen.query_one(StatusBar).render())
        assert bar.startswith("offline: 127.0.0.1") and "2 to send" in bar

        await running.restart()  # back on the same port: the terminal finds it by itself
        await until(pilot, lambda: store.outbox_size() == 0, timeout=10, what="drained")
        await until(pilot, lambda: connection(app) == "online", what="online")
        assert [status_of(app, c) for c in ("L01", "L02", "L03")] == ["synced"] * 3
        assert len(running.held()) == 3
        assert str(app.screen.query_one(StatusBar).render()).startswith("online | 0 to send")


async def test_a_review_request_arrives_within_a_second_and_is_answered_by_revising(
    tmp_path: Path, running: Running
) -> None:
    async with online_app(tmp_path, running) as (store, app, pilot):
        await score_synced(pilot, app, store, "L01")
        await back(pilot, app)
        await until(pilot, lambda: bool(running.server.live.get("J1")), what="live")

        asked = time.monotonic()
        review = HeadJudge(running.master).request_review(
            "J1", "please check the pitch", contestant="L01")
        took = await until(pilot, lambda: status_of(app, "L01") == "review", what="notice")
        assert took < 1.0
        assert time.monotonic() - asked < 1.0
        assert "1 review request" in text(app, "#queue-head")  # the badge
        await until(pilot, lambda: "Review request: 1 L01" in text(app, "#notice"),
                    what="the notice line")

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), what="review")
        about = text(app, "#review-about")
        assert "please check the pitch" in about and "Your values (revision 1)" in about
        assert "Rule that fired: none (asked directly)" in about
        await pilot.press("r")  # revise
        await until(pilot, lambda: isinstance(app.screen, ReasonScreen), what="reason")
        await pilot.press("enter")  # a reason is required
        assert "A reason is needed" in text(app, "#reason-problem")
        await burst(pilot, *"recounted the pitch", "enter")
        await until(pilot, lambda: isinstance(app.screen, SheetScreen), what="sheet")
        assert "Correcting (reason: recounted the pitch)" in text(app, "#sheet-message")
        await pilot.press("enter", "enter", *"16", "f2")  # pitch 18 -> 16
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="confirm")
        assert "recounted the pitch" in text(app, "#dialog-notes")
        await pilot.press("Y")  # Shift+Y or Caps Lock: confirms as y does
        await until(pilot, lambda: "synced" in text(app, "#sheet-message"), what="synced")
        current = store.current_sheet("L01")
        assert current is not None and current.revision == 2
        assert current.sheet.values["pitch"] == Decimal(16)
        assert current.sheet.reason == "recounted the pitch"
        (answered,) = HeadJudge(running.master).reviews(contestant="L01")
        assert answered.id == review and answered.status == "answered"
        await back(pilot, app)
        assert status_of(app, "L01") == "synced"


async def test_a_review_request_confirmed_as_is(tmp_path: Path, running: Running) -> None:
    async with online_app(tmp_path, running) as (store, app, pilot):
        await score_synced(pilot, app, store, "L04")
        review = HeadJudge(running.master).request_review("J1", "sure?", contestant="L04")
        await until(pilot, lambda: "review" in text(app, "#sheet-head"), what="notice")
        assert "asks you to review" in text(app, "#sheet-message")
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), what="review")
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, SheetScreen), what="sheet")
        (record,) = [r for r in store.sheets() if r.is_confirmation]
        assert record.confirmation.review == review
        await until(pilot, lambda: store.outbox_size() == 0, what="confirmation synced")
        (confirmed,) = HeadJudge(running.master).reviews(contestant="L04")
        assert confirmed.status == "confirmed" and confirmed.answer_record == record.hash
        await back(pilot, app)
        assert status_of(app, "L04") == "synced"


async def test_a_locked_contestant_is_read_only(tmp_path: Path, running: Running) -> None:
    async with online_app(tmp_path, running) as (store, app, pilot):
        await score_synced(pilot, app, store, "L01")
        await back(pilot, app)
        HeadJudge(running.master).lock("L01", reason="results checked", force=True)
        await until(pilot, lambda: status_of(app, "L01") == "locked", what="lock notice")
        sheet = await open_contestant(pilot, app, "L01")
        assert sheet.mode == "locked"
        assert "Locked: the head judge locked this contestant (results checked)" in \
            text(app, "#sheet-message")
        assert all(field.input.disabled for field in sheet.fields)
        before = [r.hash for r in store.sheets()]
        await pilot.press("e", *"5", "f2", "ctrl+s")
        assert isinstance(app.screen, SheetScreen)  # no reason asked, no confirmation
        assert sheet.texts()["appearance"] == "9"
        assert [r.hash for r in store.sheets()] == before


async def test_a_sheet_the_master_rejects_says_why_and_what_to_do(
    tmp_path: Path, running: Running
) -> None:
    async with online_app(tmp_path, running) as (store, app, pilot):
        await running.stop()
        await until(pilot, lambda: connection(app) != "online", what="offline")
        await score(pilot, app, "L02")  # saved here while the master is away ...
        await running.restart()
        HeadJudge(running.master).lock("L02", reason="absent", force=True)  # ... and locked
        await until(pilot, lambda: store.rejected() != [], timeout=10, what="rejection")
        await until(pilot, lambda: "did not accept" in text(app, "#sheet-message"),
                    what="shown on the sheet")
        message = text(app, "#sheet-message")
        assert "locked before your sheet arrived" in message
        assert "Tell the head judge" in message


async def test_a_replaced_laptop_says_so_in_plain_words(tmp_path: Path, running: Running) -> None:
    async with online_app(tmp_path, running) as (_store, app, pilot):
        spare = await enrolled_store(tmp_path / "spare", running)  # the judge moved
        spare.close()
        await until(pilot, lambda: app.sync_state is not None
                    and app.sync_state.error_code == "revoked_device", what="revoked")
        bar = str(app.screen.query_one(StatusBar).render())
        assert "replaced by another device" in bar
        await score(pilot, app, "L01")  # still saved here, never lost
        message = text(app, "#sheet-message")
        assert "can no longer send scores" in message and "ask the head judge" in message


async def test_the_command_line_checks_a_code_and_never_guesses_between_masters(
    tmp_path: Path, running: Running, fixtures_dir: Path
) -> None:
    """`check-code` says the seat and that there is no typo; `enrol` without --master, with
    two head judges heard on the network, lists both (address, final, fingerprint) and tries
    neither; with --master it enrols and prints the pinned master fingerprint."""
    from click.testing import CliRunner

    from judge_terminal import cli

    other = await start_master(tmp_path / "other",
                               load_event(fixtures_dir / "roadshow-final" / "event.toml"))
    code = running.code("J1")
    home = ["--home", str(tmp_path / "judge")]

    async def invoke(*args: str) -> Result:
        return await asyncio.to_thread(CliRunner().invoke, cli.main, [*home, *args])

    checked = await invoke("check-code", code.replace("-", " "))
    assert checked.exit_code == 0, checked.output
    assert checked.stdout == (f"席位：1\nseat: 1\n绑定码：{code}（没有输错：校验位相符）\n"
                              f"code: {code} (no typo: its check digit matches)\n")
    typo = await invoke("check-code", code[:-1] + str((int(code[-1]) + 1) % 10))
    assert typo.exit_code == 2 and typo.stderr.startswith("错误：校验位不符：")
    assert "\nerror: typo: the check digit" in typo.stderr
    adverts = [await advertise(master.event.id, "总裁判长", master.port, ["127.0.0.1"],
                               interfaces=["127.0.0.1"]) for master in (running, other)]
    try:
        refused = await invoke("enrol", code, "--timeout", "2")
    finally:
        for advert in adverts:
            await advert.close()
        await other.stop()
    assert refused.exit_code == 2, refused.output
    for master in (running, other):
        assert f"127.0.0.1:{master.port}  " in refused.stdout
        assert f"master fingerprint {master.master.identity.fingerprint_text}" \
            in refused.stdout
    assert "哈尔滨" in refused.stdout and f"({running.event.id})" in refused.stdout
    # (other tests running on this machine may advertise masters too: at least ours)
    assert refused.stderr.startswith("错误：网络上有 ")
    heard = re.search(r"^error: (\d+) head judges heard on this network; choose the one on "
                         r"your card \(its final and master fingerprint\) and give its "
                         r"address with --master HOST:PORT\n", refused.stderr, re.M)
    assert heard is not None and int(heard.group(1)) >= 2, refused.stderr
    assert kinds(running) & {"enrol_failed", "device_enrolled"} == set()  # nothing tried

    enrolled = await invoke("enrol", code, "--master", f"127.0.0.1:{running.port}")
    assert enrolled.exit_code == 0, enrolled.output
    assert enrolled.stdout.startswith("已绑定为 J1，赛事：")
    assert "\nenrolled as J1 for " in enrolled.stdout
    assert (f"head judge at 127.0.0.1:{running.port}, master fingerprint "
            f"{running.master.identity.fingerprint_text}\n") in enrolled.stdout
    assert "compare the master fingerprint with your card" in enrolled.stdout
