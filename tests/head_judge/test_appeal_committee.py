"""Issue 27: appeals a committee can run. Provisional then official results, categories,
evidence, replies, votes with declared conflicts, a decision that carries and applies its
correction, and a trail the contestant it moved can read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from head_judge.appeals import (
    Correction,
    appeal_window,
    decide,
    decide_appeal,
    declare_official,
    dossier,
    file_appeal,
    preview_correction,
    reply_to_appeal,
    scope_standings,
    tally,
    vote_on_appeal,
    withdraw_appeal,
)
from head_judge.cli import common as cli_common
from head_judge.cli import main
from head_judge.projections import VoteRow
from sync.event import AppealRules, Event
from sync.event_file import load_event

from .test_actions import Final, close_everything, fixture_final
from .test_master import table_counts

COMMITTEE = ("张伟", "李娜", "王磊")
WINDOW = AppealRules(window_minutes=30)
LIVE = ("live", None)


def with_rules(final: Final, rules: AppealRules = WINDOW,
               committee: tuple[str, ...] | None = COMMITTEE) -> None:
    """The final as if its event file said `[appeals]` so (in this process only)."""
    final.master._event = dataclasses.replace(final.master.event, committee=committee,
                                              appeal_rules=rules)


@pytest.fixture
def hearing(final: Final, fixtures_dir: Path) -> Final:
    """The livestream final closed and published (version 1) with a 30-minute window and a
    committee of three."""
    fixture_final(final, fixtures_dir)
    close_everything(final)
    with_rules(final)
    final.head.publish(LIVE)
    return final


def integrity_plus(final: Final, contestant: str, judge: str, by: int) -> Correction:
    sheet = next(s for s in final.head.sheets(contestant) if s.judge == judge)
    return Correction(judge, "integrity", sheet.values["integrity"] + by)


def later(final: Final, minutes: int) -> None:
    final.clock.now += dt.timedelta(minutes=minutes)


# --- the tally --------------------------------------------------------------------------------


def votes(*cast: tuple[str, str, bool]) -> list[VoteRow]:
    return [VoteRow(1, member, vote, conflict, n, "") for n, (member, vote, conflict)
            in enumerate(cast)]


def test_the_tally_counts_without_conflicts_and_by_the_events_majority() -> None:
    three = ("a", "b", "c")
    simple = tally(votes(("a", "upheld", False), ("b", "rejected", False),
                         ("c", "upheld", True)), three, AppealRules())
    assert (simple.upheld, simple.rejected, simple.conflicts) == (1, 1, ("c",))
    assert simple.outcome is None and simple.needed == 2 and simple.quorate
    two = tally(votes(("a", "upheld", False), ("b", "upheld", False),
                      ("c", "rejected", False)), three, AppealRules(majority="two_thirds"))
    assert two.outcome == "upheld"
    short = tally(votes(("a", "upheld", False), ("b", "rejected", True)), three, AppealRules())
    assert not short.quorate and short.needed == 2
    assert tally([], three, AppealRules()).needed is None  # nobody voted: no vote needed
    assert tally([], three, AppealRules(quorum=3)).quorate is False


@given(st.lists(st.tuples(st.sampled_from(("upheld", "rejected", "abstain")), st.booleans()),
                max_size=9),
       st.sampled_from(("simple", "two_thirds")))
def test_the_tally_is_symmetric_and_a_conflict_never_counts(
        cast: list[tuple[str, bool]], majority: str) -> None:
    committee = tuple(f"m{i}" for i in range(len(cast)))
    rules = AppealRules(majority=majority)
    rows = votes(*((m, v, c) for m, (v, c) in zip(committee, cast, strict=True)))
    counted = tally(rows, committee, rules)
    swap = {"upheld": "rejected", "rejected": "upheld", "abstain": "abstain"}
    mirrored = tally(votes(*((m, swap[v], c) for m, (v, c) in zip(committee, cast,
                                                                   strict=True))),
                     committee, rules)
    assert mirrored.outcome == (swap[counted.outcome] if counted.outcome else None)
    assert counted.counted == sum(not c for _, c in cast)
    flipped = votes(*((m, swap[v] if c else v, c) for m, (v, c) in zip(committee, cast,
                                                                       strict=True)))
    assert tally(flipped, committee, rules) == counted


# --- bad input --------------------------------------------------------------------------------


def refused_in_both(final: Final, action: object, match: str) -> None:
    """Refused with `match` in English, writing nothing, and said in Chinese too."""
    refusal = final.refused(action, match)  # type: ignore[arg-type]
    zh = refusal.reason.render("zh")
    assert re.search(r"[\u4e00-\u9fff]", zh) and "Traceback" not in zh, zh


def test_bad_input_is_refused_in_both_languages_and_writes_nothing(hearing: Final,
                                                                    tmp_path: Path) -> None:
    head = hearing.head
    filed = file_appeal(head, "L13", "诚信经营分登记错误", "L13 教练")
    refused_in_both(hearing, lambda: file_appeal(head, "L13", "评委打分不公", "教练",
                                                 category="judgement"),
                    "does not hear appeals against the judges' evaluation")
    refused_in_both(hearing, lambda: file_appeal(head, "L13", "x", "y", category="luck"),
                    "category is one of")
    refused_in_both(hearing, lambda: file_appeal(head, "L13", "x", "y",
                                                 evidence=[tmp_path / "missing.jpg"]),
                    "cannot read the evidence file")
    refused_in_both(hearing, lambda: vote_on_appeal(head, filed.id, "赵敏", "upheld"),
                    "not a member of the appeals committee")
    refused_in_both(hearing, lambda: vote_on_appeal(head, filed.id, "张伟", "yes"),
                    "upheld, rejected or abstain")
    vote_on_appeal(head, filed.id, "张伟", "upheld")
    refused_in_both(hearing, lambda: vote_on_appeal(head, filed.id, "张伟", "rejected"),
                    "has already voted")
    refused_in_both(hearing, lambda: decide_appeal(head, filed.id, "upheld", "改正",
                                                   corrections=[integrity_plus(
                                                       hearing, "L13", "J1", 3)]),
                    "no quorum: 1 votes counted, 2 needed")
    vote_on_appeal(head, filed.id, "李娜", "rejected")
    refused_in_both(hearing, lambda: decide_appeal(head, filed.id, "rejected", "维持"),
                    "do not decide it rejected: 1 upheld, 1 rejected")
    vote_on_appeal(head, filed.id, "王磊", "upheld")
    refused_in_both(hearing, lambda: decide_appeal(head, filed.id, "upheld", "改正"),
                    "needs its correction")
    refused_in_both(hearing, lambda: decide_appeal(head, filed.id, "upheld", "改正",
                                                   committee=["赵敏"], corrections=[
                                                       integrity_plus(hearing, "L13", "J1",
                                                                      3)]),
                    "names those who voted")
    refused_in_both(hearing, lambda: reply_to_appeal(head, filed.id, "L13", "同意"),
                    "is not a contestant appeal")
    decide_appeal(head, filed.id, "upheld", "改正",
                  corrections=[integrity_plus(hearing, "L13", "J1", 3)])
    refused_in_both(hearing, lambda: withdraw_appeal(head, filed.id, "撤回"),
                    "already decided: upheld")
    refused_in_both(hearing, lambda: vote_on_appeal(head, filed.id, "张伟", "upheld"),
                    "already decided")
    other = file_appeal(head, "L05", "复核", "L05")
    refused_in_both(hearing, lambda: decide_appeal(head, other.id, "rejected", "维持",
                                                   corrections=[integrity_plus(
                                                       hearing, "L05", "J1", 1)]),
                    "changes no score")
    for member in COMMITTEE:
        vote_on_appeal(head, other.id, member, "rejected")
    decide_appeal(head, other.id, "rejected", "各评分签名有效")
    head.unlock("L05", "复核")
    refused_in_both(hearing, lambda: head.override_value("J1", "L05", "pitch", Decimal(10),
                                                         "复核"),
                    "needs its own reason")
    head.override_value("J1", "L05", "pitch", Decimal(10), "复核",
                        despite_appeal="登记错误 misrecorded")
    later(hearing, 31)
    refused_in_both(hearing, lambda: file_appeal(head, "L02", "复核", "L02"),
                    "appeal window of live closed")


def test_a_late_appeal_is_accepted_with_its_reason_and_evidence_is_kept_by_hash(
        hearing: Final, tmp_path: Path) -> None:
    photo = tmp_path / "评分表照片.jpg"
    photo.write_bytes(b"\xff\xd8 a photo of the paper sheet")
    later(hearing, 45)
    filed = file_appeal(hearing.head, "L02", "复核", "L02 本人", category="procedure",
                        evidence=[photo], late_reason="裁判长同意 the head judge agreed")
    assert filed.late_reason == "裁判长同意 the head judge agreed"
    [kept] = filed.evidence
    assert (kept.name, kept.size) == ("评分表照片.jpg", photo.stat().st_size)
    assert (hearing.master.home / "evidence" / kept.sha256).read_bytes() == photo.read_bytes()
    document = dossier(hearing.head, filed.id).to_document()
    assert document["appeal"]["evidence"] == [dataclasses.asdict(kept)]
    assert document["appeal"]["category"] == "procedure"


# --- provisional, then official ---------------------------------------------------------------


def test_a_ranking_becomes_official_only_once_its_window_closed_with_nothing_open(
        hearing: Final) -> None:
    head = hearing.head
    window = appeal_window(head, LIVE)
    assert window is not None and window.opened == head.publications(LIVE)[0].at
    [standing] = scope_standings(head)
    assert (standing.state, standing.version, standing.due) == ("provisional", 1, False)
    filed = file_appeal(head, "L13", "诚信经营分登记错误", "L13 教练")
    later(hearing, 31)
    assert declare_official(head) == []  # an appeal is open
    for member, vote in zip(COMMITTEE, ("upheld", "upheld", "rejected"), strict=True):
        vote_on_appeal(head, filed.id, member, vote)
    decide_appeal(head, filed.id, "upheld", "纸质评分表为准",
                  corrections=[integrity_plus(hearing, "L13", "J1", 3)])
    assert declare_official(head) == []  # the correction is not published yet
    head.publish(LIVE)
    [made] = declare_official(head)
    assert (made.version, made.state) == (2, "official")
    assert [s.state for s in scope_standings(head)] == ["official"]
    assert declare_official(head) == []  # once


def test_without_a_window_nothing_is_provisional_or_official(final: Final,
                                                            fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    close_everything(final)
    final.head.publish(LIVE)
    final.clock.now += dt.timedelta(days=1)
    assert scope_standings(final.head) == [] and declare_official(final.head) == []
    assert appeal_window(final.head, LIVE) is None
    file_appeal(final.head, "L13", "复核", "L13")  # appeals any time


# --- the decision carries its correction ------------------------------------------------------


def test_upholding_applies_exactly_the_previewed_correction_and_the_moved_can_read_why(
        hearing: Final) -> None:
    head = hearing.head
    filed = file_appeal(head, "L13", "诚信经营分登记错误", "L13 教练")
    reply_to_appeal(head, filed.id, "L14", "我方成绩无误 our scores are right")
    vote_on_appeal(head, filed.id, "张伟", "upheld")
    vote_on_appeal(head, filed.id, "李娜", "abstain", conflict=True)
    vote_on_appeal(head, filed.id, "王磊", "upheld")
    correction = [integrity_plus(hearing, "L13", "J1", 3)]
    preview = preview_correction(head, filed.id, correction, ["J4"])
    before = table_counts(hearing.master.ledger.path)
    decided = decide(head, filed.id, "upheld", "纸质评分表为准", corrections=correction,
                     withdrawals=["J4"])
    assert table_counts(hearing.master.ledger.path) != before
    assert decided.preview is not None
    assert decided.preview.after == preview.after == head.current_results()
    assert "L13" in decided.preview.moved and "L14" in decided.preview.moved
    assert "L13" in head.locks() and not head.flags("open", "L13")
    [entry] = [e for e in hearing.master.ledger.entries() if e.kind == "appeal_decided"]
    assert entry.payload["committee"] == ["张伟", "王磊"]
    assert entry.payload["votes"][1] == {"member": "李娜", "vote": "abstain", "conflict": True}
    assert entry.payload["correction"] == {
        "set": [{"judge": "J1", "criterion": "integrity", "value": str(correction[0].value)}],
        "withdraw": ["J4"]}
    published = head.publish(LIVE)
    assert published.version == 2
    assert head.publications(LIVE)[-1].reason == f"申诉 {filed.id} 成立 / appeal {filed.id} upheld"

    page = dossier(head, filed.id, "L14")
    said = {h.kind: h.summary for h in page.history}
    assert said["appeal_filed"].startswith(f"appeal {filed.id} filed by L13 教练")
    assert "correction: J1's Integrity set to" in said["appeal_decided"]
    assert "J4's sheet withdrawn" in said["appeal_decided"]
    assert "votes: 张伟 upheld; 李娜 declared a conflict; 王磊 upheld" in said["appeal_decided"]
    assert "replied to appeal" in said["appeal_replied"]
    assert {"value_overridden", "sheet_withdrawn", "results_published"} <= said.keys()
    zh = next(h for h in page.history if h.kind == "appeal_decided").summary
    assert "张伟 支持" in zh.render("zh") and "李娜 回避" in zh.render("zh")  # type: ignore[attr-defined]
    not_moved = next(c.id for c in hearing.event.contestants
                     if c.id not in decided.preview.moved)
    hearing.refused(lambda: dossier(head, filed.id, not_moved), "did not move")


# --- the whole afternoon, as the head judge types it ------------------------------------------


def cli(home: Path, *args: str, monkeypatch: pytest.MonkeyPatch | None = None,
        at: dt.datetime | None = None) -> tuple[int, str, str]:
    if monkeypatch is not None and at is not None:
        monkeypatch.setattr(cli_common, "now", lambda: at)
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def committee_final(tmp_path: Path, fixtures_dir: Path) -> Iterator[Final]:
    """The livestream final whose event file has `[appeals]` committee, window, quorum."""
    import shutil
    folder = tmp_path / "final"
    shutil.copytree(fixtures_dir / "livestream-final", folder)
    path = folder / "event.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[appeals]\ncommittee = ["张伟", '
                    '"李娜", "王磊"]\nwindow_minutes = 30\nquorum = 2\n', encoding="utf-8")
    event: Event = load_event(path)
    final = Final(tmp_path / "home", event)
    fixture_final(final, fixtures_dir)
    close_everything(final)
    yield final
    final.close()


def test_appeal_filed_to_version_2_printed_and_official_from_the_command_line(
        committee_final: Final, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    final = committee_final
    home = final.master.home
    start = dt.datetime.now(dt.UTC)

    def run(*args: str, minutes: int = 0) -> str:
        code, out, err = cli(home, *args, monkeypatch=monkeypatch,
                             at=start + dt.timedelta(minutes=minutes))
        assert code == 0, (args, out, err)
        return out

    run("publish", "--track", "live")
    printed = run("print", "--sheet", "results", "--sheet", "contestant", "--out",
                  str(tmp_path / "v1")).splitlines()[2:]  # after the zh and en headline
    shown = json.loads(run("results", "--published", "--json"))["publications"][0]
    assert (shown["state"], shown["version"]) == ("provisional", 1)
    assert "暂定（申诉截止" in run("results", "--published").splitlines()[0]

    filed = run("appeal", "file", "L13", "--ground", "诚信经营分登记错误",
                "--filed-by", "L13 教练", minutes=5).split()[1]
    run("appeal", "reply", filed, "L14", "--text", "我方成绩无误", minutes=6)
    assert "不计票" in run("appeal", "vote", filed, "李娜", "abstain", "--conflict", minutes=7)
    run("appeal", "vote", filed, "张伟", "upheld", minutes=8)
    run("appeal", "vote", filed, "王磊", "upheld", minutes=9)
    j1 = next(s for s in final.head.sheets("L13") if s.judge == "J1")
    correction = f"J1:integrity={j1.values['integrity'] + 3}"
    preview = run("appeal", "preview", filed, "--set", correction, minutes=10)
    decided = run("appeal", "decide", filed, "upheld", "--reason", "纸质评分表为准",
                  "--set", correction, minutes=11)
    assert decided.splitlines()[1:1 + len(preview.splitlines())] == preview.splitlines()
    run("publish", "--track", "live", minutes=12)
    outdated = run("print", "--outdated", minutes=13).splitlines()
    codes = [line.split()[0] for line in printed]
    changed = {code for code in codes
               if "CHANGED" in cli(home, "verify", code)[1].splitlines()[1]}
    assert {line.split()[0] for line in outdated[:-1]} == changed and changed
    run("print", "--outdated", "--reprint", "--out", str(tmp_path / "v2"), minutes=14)
    assert "第 2 版：暂定成绩" in run("official", minutes=20)
    assert "第 2 版现为正式成绩" in run("official", minutes=31)
    shown = json.loads(run("results", "--published", "--json", minutes=32))["publications"][0]
    assert (shown["state"], shown["version"]) == ("official", 2)
    late = cli(home, "appeal", "file", "L02", "--ground", "复核", "--filed-by", "L02",
               monkeypatch=monkeypatch, at=start + dt.timedelta(minutes=40))
    assert late[0] == 2 and "--late-reason" in late[2]


async def test_a_serving_master_makes_rankings_official_by_itself(hearing: Final) -> None:
    """`serve` and the console run the master's server, which looks every
    `official_interval` seconds for a ranking whose window closed with nothing open."""
    import asyncio

    from head_judge.server import MasterServer

    moved = {"minutes": 0}

    def clock() -> dt.datetime:
        return hearing.clock() + dt.timedelta(minutes=moved["minutes"])

    server = MasterServer(hearing.master, clock=clock, checkpoint_interval=None,
                          official_interval=0.05)
    await server.start("127.0.0.1", 0)
    try:
        await asyncio.sleep(0.3)
        assert [s.state for s in scope_standings(hearing.head)] == ["provisional"]
        moved["minutes"] = 31
        for _ in range(100):
            await asyncio.sleep(0.05)
            if any(e.kind == "results_official" for e in hearing.master.ledger.entries()):
                break
    finally:
        await server.close()
    official = [e for e in hearing.master.ledger.entries() if e.kind == "results_official"]
    assert [e.payload["version"] for e in official] == [1]


def test_the_paper_says_provisional_then_official_and_the_decision_shows_its_votes(
        hearing: Final, tmp_path: Path) -> None:
    """Results sheets print 暂定 with the window's close, then 正式; the decision sheet
    lists each member's vote (a conflict marked, not counted), the correction and who it
    moved; every contestant it moved gets a dossier page of their own, which verifies."""
    from head_judge.printing import print_sheets
    from head_judge.verification import verify_code

    from ..printouts.tools import sq, text
    from .test_printing import NAMES, PRINTED_AT

    head = hearing.head
    filed = file_appeal(head, "L13", "诚信经营分登记错误", "L13 教练", category="procedure")
    vote_on_appeal(head, filed.id, "张伟", "upheld")
    vote_on_appeal(head, filed.id, "李娜", "abstain", conflict=True)
    vote_on_appeal(head, filed.id, "王磊", "upheld")
    decided = decide(head, filed.id, "upheld", "纸质评分表为准",
                     corrections=[integrity_plus(hearing, "L13", "J1", 3)])
    head.publish(LIVE)

    def printed(out: str) -> dict[str, tuple[str, str]]:
        return {f"{p.kind}:{p.subject}": ("".join(text(p.file.read_bytes())), p.code)
                for p in print_sheets(head, ["results", "appeal"], out_dir=tmp_path / out,
                                      now=PRINTED_AT, signatories=NAMES)}

    first = printed("v2")
    results, _ = first["results:live"]
    assert sq("暂定成绩：申诉截止") in results and sq("Provisional: appeals close at") \
        in results and "正式成绩" not in results
    decision, code = first[f"appeal:{filed.id}"]
    assert sq("程序问题 Procedure") in decision
    assert sq("李娜 回避（不计票）") in decision and sq("张伟 支持") in decision
    assert sq("J1 周立群 的 诚信经营 改为") in decision and sq("L13、L14") in decision
    assert verify_code(head, code).ok
    assert decided.preview is not None
    pages_of = {key for key in first if key.startswith(f"appeal:{filed.id}-")}
    assert pages_of == {f"appeal:{filed.id}-{c}" for c in decided.preview.moved
                        if c != "L13"} and pages_of
    l14, l14_code = first[f"appeal:{filed.id}-L14"]
    assert sq("本页为受此申诉裁决影响的选手 L14 而印") in l14 and verify_code(head, l14_code).ok
    later(hearing, 31)
    declare_official(head)
    assert not verify_code(head, first["results:live"][1]).ok  # the paper says provisional
    results, _ = printed("official")["results:live"]
    assert sq("正式成绩：申诉期已结束") in results and "暂定" not in results


def test_the_audience_screen_shows_provisional_then_official(hearing: Final) -> None:
    from head_judge.screen_state import public_version, screen_state

    [board] = screen_state(hearing.head)["published"]
    assert board["state"] == "provisional"
    assert re.fullmatch(r"\d\d:\d\d", board["appeals_close"])
    before = public_version(hearing.master.ledger.conn)
    later(hearing, 31)
    declare_official(hearing.head)
    assert public_version(hearing.master.ledger.conn) > before  # the screens refresh
    [board] = screen_state(hearing.head)["published"]
    assert board["state"] == "official"


async def test_a_failure_to_make_results_official_is_logged_and_tried_again(
        hearing: Final, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A failed look (the disk, a bug) is logged with its traceback; the server goes on and
    the next look makes the ranking official, once; what it made is logged in both
    languages."""
    import asyncio
    import logging
    import sqlite3

    from head_judge import server as server_module
    from head_judge.server import MasterServer

    caplog.set_level(logging.INFO, logger="head_judge")
    real, looks = server_module.declare_official, []

    def flaky(head: object) -> object:
        looks.append(head)
        if len(looks) == 1:
            raise sqlite3.OperationalError("disk I/O error")
        return real(head)  # type: ignore[arg-type]

    monkeypatch.setattr(server_module, "declare_official", flaky)
    after_window = hearing.clock() + dt.timedelta(minutes=31)
    server = MasterServer(hearing.master, clock=lambda: after_window, checkpoint_interval=None,
                          official_interval=0.02)
    await server.start("127.0.0.1", 0)
    try:
        for _ in range(250):
            await asyncio.sleep(0.02)
            if len(looks) >= 3:
                break
    finally:
        await server.close()
    assert len(looks) >= 3  # it kept looking after the failure
    failed = [r for r in caplog.records if r.getMessage() == "making results official failed"]
    assert len(failed) == 1 and failed[0].exc_info is not None
    official = [e for e in hearing.master.ledger.entries() if e.kind == "results_official"]
    assert [e.payload["version"] for e in official] == [1]
    assert "live 第 1 版现为正式成绩" in caplog.text
    assert "live version 1 is now official" in caplog.text


async def test_a_serving_master_never_looks_when_the_event_sets_no_window(
        final: Final, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from head_judge import server as server_module
    from head_judge.server import MasterServer

    fixture_final(final, fixtures_dir)
    close_everything(final)
    final.head.publish(LIVE)
    looks: list[object] = []
    monkeypatch.setattr(server_module, "declare_official",
                        lambda head: looks.append(head) or [])
    days_later = final.clock() + dt.timedelta(days=2)
    server = MasterServer(final.master, clock=lambda: days_later, checkpoint_interval=None,
                          official_interval=0.01)
    await server.start("127.0.0.1", 0)
    try:
        await asyncio.sleep(0.2)  # twenty intervals
    finally:
        await server.close()
    assert looks == []
    assert not any(e.kind == "results_official" for e in final.master.ledger.entries())
    with pytest.raises(ValueError, match="official_interval"):
        MasterServer(final.master, official_interval=0)
