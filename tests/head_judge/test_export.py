"""`head-judge export --xlsx`: the livestream final exported and read back with openpyxl.

Results equal the fixture's expected results cell by cell (numbers stored as numbers, shown
with the event's decimals), every revision of every judge's sheet is a row, every ledger
entry is a row of the audit trail, headers are bilingual in the event's language order,
frozen, filtered and sized. Real master files in tmp_path, sheets signed and pushed through
`Master.push` (the helpers of test_actions)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from head_judge.cli import main
from head_judge.export import _number, export_xlsx, summarise
from head_judge.ledger import Entry
from head_judge.master import Master
from head_judge.projections import MasterProjections
from sync.entry_kinds import ENTRY_KINDS

from .test_actions import Final, close_everything, fixture_final
from .test_master import fixture_event

D = Decimal
NOW = dt.datetime(2020, 9, 26, 10, 0, tzinfo=dt.UTC)
CST = dt.timezone(dt.timedelta(hours=8))
SHEETS = ["成绩 Results", "评委评分 Judges’ sheets", "发布记录 Publications", "申诉 Appeals",
          "审计记录 Audit trail"]


@pytest.fixture
def final(tmp_path: Path, fixtures_dir: Path) -> Iterator[Final]:
    opened = Final(tmp_path / "home", fixture_event(fixtures_dir))
    fixture_final(opened, fixtures_dir)
    yield opened
    opened.close()


def export(final: Final, path: Path) -> Any:
    export_xlsx(final.head, path, now=NOW, tz=CST)
    return openpyxl.load_workbook(path)


def table(sheet: Any) -> list[dict[str, Any]]:
    """Data rows below the header row (row 4), up to the first empty row (the legend follows
    it), as header -> cell."""
    header = [c.value for c in sheet[4]]
    rows = []
    for row in sheet.iter_rows(min_row=5):
        if all(c.value is None for c in row):
            break
        rows.append(dict(zip(header, row, strict=True)))
    return rows


def shown(cell: Any) -> str:
    """What Excel shows for a numeric cell with a 0 / 0.0 / 0.00 format."""
    assert cell.data_type == "n", cell.coordinate
    places = len(cell.number_format.partition(".")[2])
    return f"{cell.value:.{places}f}"


def plain(text: str) -> str:
    return format(D(text).normalize(), "f")


# --- results ----------------------------------------------------------------------------------


def test_results_equal_the_expected_results_cell_by_cell(final: Final, fixtures_dir: Path,
                                                         tmp_path: Path) -> None:
    book = export(final, tmp_path / "final.xlsx")
    assert book.sheetnames == SHEETS
    sheet = book["成绩 Results"]
    expected = json.loads((fixtures_dir / "livestream-final" / "expected-results.json")
                          .read_text(encoding="utf-8"))
    [scope] = expected["scopes"]
    rows = table(sheet)
    ranked = [r for r in rows if r["名次\nRank"].value is not None]
    assert len(ranked) == len(scope["ranking"])
    event = final.event
    tiers = {t.id: t.name.both(event.languages) for t in event.awards.tiers}
    for want, row in zip(scope["ranking"], ranked, strict=True):
        contestant = event.contestant(want["contestant"])
        assert contestant is not None
        assert row["名次\nRank"].value == want["rank"]
        assert row["编号\nID"].value == want["contestant"]
        assert row["姓名/队名\nName"].value == contestant.name
        assert row["单位\nOrganisation"].value == contestant.organisation
        assert row["赛道\nTrack"].value == "直播销售 Livestream sales"
        final_cell = row["最终得分\nFinal"]
        assert final_cell.number_format == "0.00"
        assert shown(final_cell) == want["final"]
        assert D(repr(final_cell.value)) == D(want["final"])  # exact, not just displayed
        assert shown(row["直播质量分\nLive quality (judged)\n(quality, ×0.3)"]) == \
            want["components"]["quality"]
        assert shown(row["直播数据分\nLive data (platform)\n(data, ×0.7)"]) == \
            want["components"]["data"]
        for judge in event.judges:
            cell = row[f"{judge.id}\n{judge.name.zh}"]
            if judge.id in want["judges"]:
                assert cell.number_format == "0.0"
                assert plain(shown(cell)) == want["judges"][judge.id]
                assert bool(cell.font.strike) == (judge.id in want["dropped"])
            else:  # recused: said, on grey (a missing mark: 未评 on amber, see below)
                assert cell.value == "回避 recused"
                assert cell.fill.fgColor.rgb == "00D9D9D9"
        assert row["奖项\nPrize"].value == (tiers[want["prize"]] if want["prize"] else None)
        assert row["状态\nStatus"].value == "实时结果，未发布 live, not published"
    absent = [r for r in rows if r["名次\nRank"].value is None]
    assert [r["状态\nStatus"].value for r in absent] == ["缺席 Absent"] * len(absent)


def test_headers_are_frozen_filtered_bilingual_and_sized(final: Final, tmp_path: Path) -> None:
    book = export(final, tmp_path / "final.xlsx")
    results, sheets, published, appealed, audit = (book[name] for name in SHEETS)
    assert (results.freeze_panes, sheets.freeze_panes, audit.freeze_panes) == ("E5", "E5", "C5")
    assert (published.freeze_panes, appealed.freeze_panes) == ("C5", "C5")
    last = 4 + len(table(results))
    assert results.auto_filter.ref == f"A4:{results.cell(4, results.max_column).column_letter}" \
                                      f"{last}"
    assert sheets.auto_filter.ref.startswith("A4:") and audit.auto_filter.ref.startswith("A4:")
    assert results["A1"].value.startswith("哈尔滨市首届直播销售职业技能大赛 决赛 Harbin")
    assert "2020-09-26 18:00:00 (UTC+08:00)" in results["A2"].value
    assert f"{len(final.master.ledger)} 账本条目 ledger entries" in results["A2"].value
    assert "权威数据以账本为准" in results["A3"].value and "authoritative values are in the " \
        "ledger" in results["A3"].value
    for sheet in (results, sheets, published, appealed, audit):
        headers = [c.value for c in sheet[4]]
        assert all(h and "\n" in h for h in headers), headers
        assert all(c.font.bold for c in sheet[4])
        for column in range(1, sheet.max_column + 1):
            letter = sheet.cell(4, column).column_letter
            assert 6 <= sheet.column_dimensions[letter].width <= 80
    # a Chinese name column is wider than the rank column
    assert results.column_dimensions["D"].width > results.column_dimensions["B"].width


def test_an_english_first_event_puts_english_first(tmp_path: Path, fixtures_dir: Path) -> None:
    event = dataclasses.replace(fixture_event(fixtures_dir), languages=("en", "zh"))
    final = Final(tmp_path / "home", event)
    try:
        final.send("J1", "L01")
        book = export(final, tmp_path / "final.xlsx")
    finally:
        final.close()
    assert book.sheetnames == ["Results 成绩", "Judges’ sheets 评委评分", "Publications 发布记录",
                               "Appeals 申诉", "Audit trail 审计记录"]
    assert book["Results 成绩"]["B4"].value == "Rank\n名次"
    assert book["Results 成绩"]["A3"].value.startswith("A presentation copy")


def test_publications_and_appeals_sheets(final: Final, tmp_path: Path) -> None:
    """Issue 27: every published version with its reason and what moved, and every appeal
    with how it ended."""
    from head_judge.appeals import Correction, decide_appeal, file_appeal, withdraw_appeal

    close_everything(final)
    head = final.head
    head.publish(("live", None))
    kept = file_appeal(head, "L13", "诚信经营分登记错误", "L13 教练")
    gone = file_appeal(head, "L05", "复核", "L05")
    withdraw_appeal(head, gone.id, "选手撤回")
    j1 = next(s for s in head.sheets("L13") if s.judge == "J1")
    decide_appeal(head, kept.id, "upheld", "纸质评分表为准",
                  corrections=[Correction("J1", "integrity", j1.values["integrity"] + 3)])
    head.publish(("live", None), f"申诉 {kept.id} 修改")
    book = export(final, tmp_path / "final.xlsx")
    published = table(book["发布记录 Publications"])
    assert [r["版本\nVersion"].value for r in published] == [1, 2]
    assert published[0]["与上一版相比\nChanges from the version before"].value == \
        "第一版 first version"
    assert published[1]["发布原因\nReason"].value == f"申诉 {kept.id} 修改"
    assert "L13：名次 11 → 10" in published[1][
        "与上一版相比\nChanges from the version before"].value
    appealed = table(book["申诉 Appeals"])
    assert [(r["申诉号\nAppeal"].value, r["结果\nOutcome"].value, r["理由\nReason"].value)
            for r in appealed] == [(kept.id, "支持 upheld", "纸质评分表为准"),
                                   (gone.id, "撤回 withdrawn", "选手撤回")]


def hear_and_uphold(final: Final, tmp_path: Path) -> tuple[int, Decimal]:
    """Issue 27 on the livestream final: a committee of three and a 30-minute window;
    version 1 published, an appeal about L13 filed with a photo, two members vote upheld
    and one declares a conflict, the decision applies J1's corrected integrity, version 2
    is published and, the window closed, made official. The appeal's id and the value."""
    from head_judge.appeals import Correction, declare_official, file_appeal, vote_on_appeal
    from head_judge.appeals import decide_appeal as decide_it
    from sync.event import AppealRules

    from .test_paper_signatures import set_event

    set_event(final, committee=("张伟", "李娜", "王磊"),
              appeal_rules=AppealRules(window_minutes=30))
    close_everything(final)
    head = final.head
    head.publish(("live", None))
    photo = tmp_path / "计分表.jpg"
    photo.write_bytes(b"a photo of the paper sheet")
    filed = file_appeal(head, "L13", "诚信经营分登记错误", "L13 教练", evidence=[photo])
    vote_on_appeal(head, filed.id, "张伟", "upheld")
    vote_on_appeal(head, filed.id, "李娜", "upheld")
    vote_on_appeal(head, filed.id, "王磊", "rejected", conflict=True)
    j1 = next(s for s in head.sheets("L13") if s.judge == "J1")
    corrected = j1.values["integrity"] + 3
    decide_it(head, filed.id, "upheld", "纸质评分表为准",
              corrections=[Correction("J1", "integrity", corrected)])
    head.publish(("live", None))
    final.clock.now += dt.timedelta(minutes=31)  # the window has closed
    assert declare_official(head)
    return filed.id, corrected


def test_the_appeals_sheet_shows_votes_conflicts_and_the_correction(
        final: Final, tmp_path: Path) -> None:
    """An appeal's category, evidence, each member's vote (a declared conflict marked as not
    counted), the correction its upheld decision applied and who it moved; the
    publications say which version is provisional and which official."""
    _, corrected = hear_and_uphold(final, tmp_path)
    book = export(final, tmp_path / "final.xlsx")
    (row,) = table(book["申诉 Appeals"])
    assert row["类别\nCategory"].value == "计分 calculation"
    digest = hashlib.sha256(b"a photo of the paper sheet").hexdigest()
    assert row["证据\nEvidence"].value == f"计分表.jpg (SHA-256 {digest[:12]}…)"
    assert row["表决\nVotes"].value.split("\n") == [
        "张伟: 支持 upheld", "李娜: 支持 upheld",
        "王磊: 驳回 rejected · 回避，不计票 conflict declared, not counted"]
    assert row["改正\nCorrection"].value == f"J1 integrity → {plain(str(corrected))}"
    assert row["名次或奖项变动\nRank or prize moved"].value.split("\n")[0].startswith("L13 ")
    published = table(book["发布记录 Publications"])
    assert [r["暂定/正式\nProvisional or official"].value for r in published] == \
        ["暂定 provisional", "正式 official"]
    assert published[0]["排名\nRanking"].value == "直播销售 Livestream sales"


def test_the_console_and_the_audit_trail_describe_the_committee(
        final: Final, tmp_path: Path) -> None:
    """The new ledger kinds in the console's ledger lines and the workbook's summaries, in
    both languages; the entries the decision applied name the appeal."""
    from head_judge.console.ledger_view import LedgerCache, entries_text

    appeal, _ = hear_and_uphold(final, tmp_path)
    cache = LedgerCache(final.master)
    cache.update()
    zh = entries_text(cache, cache.entries[appeal - 1:], "zh")
    en = entries_text(cache, cache.entries[appeal - 1:], "en")
    assert "类别：计分  证据 1 份" in zh[0] and "category: calculation  1 evidence file(s)" in en[0]
    assert any(f"仲裁委员投票 申诉 {appeal}：委员 王磊 声明回避（驳回，不计票）" == line[
        line.index(" ") + 1:] for line in zh)
    assert any(line.endswith("member 王磊 declared a conflict (rejected, not counted)")
               for line in en)
    decided = next(line for line in zh if " 裁决申诉 " in line)
    assert "表决 3 票  改正 1 项，名次或奖项变动：L13" in decided
    overridden = next(line for line in en if " value overridden " in line)
    assert overridden.endswith(f"by appeal {appeal}")
    assert zh[-1].endswith("成绩转为正式 直播销售 第 2 版成为正式成绩")
    entries = cache.entries[appeal - 1:]
    vote = next(e for e in entries if e.kind == "appeal_voted" and e.payload["conflict"])
    assert summarise(vote, "zh") == f"申诉 {appeal}（L13）：委员 王磊 驳回（声明回避，不计票）"
    official = next(e for e in entries if e.kind == "results_official")
    assert summarise(official, "en") == "live version 2 official"


def test_published_and_changed_scopes_say_so(final: Final, tmp_path: Path) -> None:
    close_everything(final)
    final.head.publish(("live", None))
    rows = table(export(final, tmp_path / "a.xlsx")["成绩 Results"])
    assert {r["状态\nStatus"].value for r in rows if r["名次\nRank"].value} == \
        {"已发布第1版 published, version 1"}
    final.head.unlock("L03", "申诉 appeal")
    sheet = next(s for s in final.head.sheets("L03") if s.judge == "J1")
    final.head.override_value("J1", "L03", "pitch", sheet.values["pitch"] + 5, "登记错误 typo")
    rows = table(export(final, tmp_path / "b.xlsx")["成绩 Results"])
    assert {r["状态\nStatus"].value for r in rows if r["名次\nRank"].value} == \
        {"实时结果与已发布第1版不同 live; differs from published version 1"}


# --- judges' sheets ---------------------------------------------------------------------------


def test_every_revision_of_every_sheet_is_a_row(final: Final, tmp_path: Path) -> None:
    event = final.event
    first = next(s for s in final.head.sheets("L05") if s.judge == "J2")
    final.send("J2", "L05", {**first.values, "pitch": first.values["pitch"] - 1},
               reason="看错了 misread")
    current = next(s for s in final.head.sheets("L05") if s.judge == "J2")
    final.head.override_value("J2", "L05", "timing", current.values["timing"] - D("0.5"),
                              "超时扣分 over time")
    received = [e for e in final.master.ledger.entries() if e.kind == "sheet_received"]
    rows = table(export(final, tmp_path / "final.xlsx")["评委评分 Judges’ sheets"])
    assert len(rows) == len(received)
    assert [r["账本位置\nLedger entry"].value for r in rows] != []
    assert {r["哈希\nHash"].value for r in rows} == {e.payload["hash"] for e in received}
    j2 = [r for r in rows if r["评委\nJudge"].value == "J2" and r["编号\nID"].value == "L05"]
    assert [r["版本\nRevision"].value for r in j2] == [1, 2]
    old, new = j2
    assert old["状态\nStatus"].value == "已被替换 Superseded"
    assert new["状态\nStatus"].value == "现行 In force"
    assert new["修改原因\nReason"].value == "看错了 misread"
    assert new["签名\nSignature"].value == "有效 valid"
    pitch = "产品推介\nProduct pitch\n(pitch, ≤20)"
    assert D(shown(old[pitch])) - D(shown(new[pitch])) == 1
    assert new["总裁判长改分\nHead judge's overrides"].value == \
        f"timing: {plain(str(current.values['timing']))} → " \
        f"{plain(str(current.values['timing'] - D('0.5')))} (超时扣分 over time) [in_force]"
    total = sum((D(shown(new[k])) for k in new if k.startswith(tuple(
        c.name.zh for c in event.criteria))), D(0))
    assert D(shown(new["总分\nTotal"])) == total
    received_at = new["收到时间\nReceived\n(UTC+08:00)"]
    assert isinstance(received_at.value, dt.datetime)
    assert received_at.number_format == "yyyy-mm-dd hh:mm:ss.000"


# --- audit trail ------------------------------------------------------------------------------


def test_every_ledger_entry_is_a_row_of_the_audit_trail(final: Final, tmp_path: Path) -> None:
    entries = list(final.master.ledger.entries())
    rows = table(export(final, tmp_path / "final.xlsx")["审计记录 Audit trail"])
    assert [r["序号\nSeq"].value for r in rows] == [e.seq for e in entries]
    assert [r["哈希\nHash"].value for r in rows] == [e.hash for e in entries]
    assert [r["操作者\nActor"].value for r in rows] == [e.actor for e in entries]
    for row, entry in zip(rows, entries, strict=True):
        at = dt.datetime.fromisoformat(entry.at.replace("Z", "+00:00"))
        assert row["时间\nTime\n(UTC+08:00)"].value == \
            at.astimezone(CST).replace(tzinfo=None)
        assert row["类型\nKind"].value.endswith(f"({entry.kind})")
        assert json.loads(row["内容 (规范 JSON)\nPayload (canonical JSON)"].value) == \
            dict(entry.payload)
    imported = next(r for r in rows if r["类型\nKind"].value.endswith("(components_imported)"))
    assert imported["类型\nKind"].value == "导入成绩 components imported (components_imported)"
    assert imported["摘要\nSummary"].value == "data 来自 data.csv，17 项变化"


def test_every_ledger_kind_has_a_name_and_a_summary() -> None:
    assert sorted(MasterProjections().kinds - set(ENTRY_KINDS)) == []
    entry = Entry(1, "sheet_received", "device:x", "2025-01-01T00:00:00.000Z", {
        "body": json.dumps({"judge": "J1", "contestant": "C1", "revision": 2,
                            "values": {"a": "8.5", "b": "9"}, "reason": "typo"}),
    }, "", "h")
    assert summarise(entry, "zh") == "J1 评 C1 第2版 总分 17.5；原因：typo"
    assert summarise(entry, "en") == "J1 scored C1, revision 2, total 17.5; reason: typo"
    odd = Entry(2, "something_new", "master", "t", {"x": "y" * 50, "n": [1, 2]}, "h", "h2")
    assert summarise(odd) == f"x={'y' * 40}…, n=[1,2]"
    broken = Entry(3, "flag_raised", "master", "t", {"contestant": "C1"}, "h2", "h3")
    assert summarise(broken) == "contestant=C1"


SHEET_BODY = json.dumps({"judge": "J2", "contestant": "L03", "revision": 1,
                         "values": {"a": "8", "b": "9.5"}})
SUMMARIES: list[tuple[str, dict[str, Any], str, str]] = [
    # kind, payload, the summary in Chinese, in English
    ("event_loaded", {"event_id": "hrb"}, "赛事 hrb", "event hrb"),
    ("event_changed", {"event_id": "hrb"}, "赛事 hrb 已变更", "event hrb changed"),
    ("codes_issued", {"codes": [{"seat": "J1"}, {"seat": "J2"}]}, "席位 J1, J2",
     "seats J1, J2"),
    ("enrol_failed", {"seat": "J3"}, "席位 J3", "seat J3"),
    ("seat_locked", {"seat": "J3"}, "席位 J3", "seat J3"),
    ("seat_reopened", {"seat": "J3", "reason": "new laptop"}, "席位 J3：new laptop",
     "seat J3: new laptop"),
    ("seat_reopened", {"seat": "J3"}, "席位 J3：", "seat J3: "),
    ("device_enrolled", {"judge": "J1", "device": "d1", "device_name": "laptop J1"},
     "J1 使用设备 d1（laptop J1）", "J1 on device d1 (laptop J1)"),
    ("device_confirmed", {"judge": "J1", "device": "d1"}, "J1 重新确认设备 d1",
     "J1 confirmed device d1"),
    ("device_revoked", {"device": "d1"}, "设备 d1", "device d1"),
    ("on_stage", {"contestant": "L07"}, "上台：L07", "on stage: L07"),
    ("on_stage", {"contestant": None}, "上台：无", "on stage: nobody"),
    ("sheet_received", {"body": SHEET_BODY}, "J2 评 L03 第1版 总分 17.5",
     "J2 scored L03, revision 1, total 17.5"),
    ("alarm", {"alarm": "clock", "detail": "J2 is off"}, "clock：J2 is off", "clock: J2 is off"),
    ("checkpoint", {"checkpoint": {"body": json.dumps({"size": 41})}, "reason": "published"},
     "41 条，原因 published", "41 entries, reason published"),
    ("flag_raised", {"contestant": "L02", "rule": "criterion_spread", "criterion": "pitch",
                     "difference": "6", "threshold": "4", "values": {"J1": "18", "J3": "12"}},
     "L02 criterion_spread pitch：6 > 4（J1 18, J3 12）",
     "L02 criterion_spread pitch: 6 > 4 (J1 18, J3 12)"),
    ("flag_raised", {"contestant": "L02", "rule": "total_spread", "criterion": None,
                     "difference": "16", "threshold": "15", "values": {"J1": "90", "J3": "74"}},
     "L02 total_spread：16 > 15（J1 90, J3 74）", "L02 total_spread: 16 > 15 (J1 90, J3 74)"),
    ("flag_cleared", {"flag": 3, "contestant": "L02"}, "分歧 3（L02）", "flag 3 (L02)"),
    ("flag_accepted", {"flag": 3, "contestant": "L02", "note": "alike"},
     "分歧 3（L02）：alike", "flag 3 (L02): alike"),
    ("flags_accepted", {"flags": [3, 4], "contestant": "L02", "note": "alike"},
     "分歧 3, 4（L02）：alike", "flags 3, 4 (L02): alike"),
    ("review_requested", {"judge": "J3", "contestant": "L02", "note": "recount"},
     "请 J3 复核 L02：recount", "J3 to review L02: recount"),
    ("review_confirmed", {"review": 2}, "复核 2 确认原分", "review 2: sheet stands"),
    ("review_answered", {"review": 2, "judge": "J3", "contestant": "L02", "revision": 2},
     "复核 2：J3 修改 L02 第2版", "review 2: J3 revised L02, revision 2"),
    ("review_closed", {"review": 2, "reason": "withdrawn"}, "复核 2：withdrawn",
     "review 2: withdrawn"),
    ("value_overridden", {"judge": "J1", "contestant": "L03", "criterion": "pitch",
                          "old": "18", "new": "16", "reason": "appeal"},
     "J1 L03 pitch 18 → 16：appeal", "J1 L03 pitch 18 → 16: appeal"),
    ("sheet_withdrawn", {"judge": "J1", "contestant": "L03", "reason": "left"},
     "J1 / L03：left", "J1 / L03: left"),
    ("seat_excused", {"judge": "J4", "contestants": None, "reason": "absent"},
     "J4 免评（全场）：absent", "J4 excused for the whole final: absent"),
    ("seat_excused", {"judge": "J4", "contestants": ["L01", "L02"], "reason": "left"},
     "J4 免评（L01, L02）：left", "J4 excused for L01, L02: left"),
    ("seat_restored", {"judge": "J4", "contestants": None, "reason": "back"},
     "J4 恢复评分（全场）：back", "J4 restored for the whole final: back"),
    ("contestant_locked", {"contestant": "L03", "reason": "checked"}, "L03：checked",
     "L03: checked"),
    ("contestant_locked", {"contestant": "L03", "reason": ""}, "L03", "L03"),
    ("contestant_locked", {"contestant": "L03"}, "L03", "L03"),
    ("contestants_locked", {"contestants": ["L01", "L03"], "reason": "ready"},
     "L01, L03：ready", "L01, L03: ready"),
    ("contestants_locked", {"contestants": ["L01"], "reason": ""}, "L01", "L01"),
    ("contestant_unlocked", {"contestant": "L03", "reason": "appeal"}, "L03：appeal",
     "L03: appeal"),
    ("components_imported", {"component": "data", "file": "data.csv", "changes": [1, 2, 3]},
     "data 来自 data.csv，3 项变化", "data from data.csv, 3 changed"),
    ("tie_decided", {"track": "live", "contestants": ["L01", "L02"], "kind": "order",
                     "reason": "lot"},
     "live L01, L02：order，lot", "live L01, L02: order, lot"),
    ("results_published", {"track": "live", "group": "students", "version": 2},
     "live/students 第2版", "live/students version 2"),
    ("results_published", {"track": "live", "group": None, "version": 1}, "live 第1版",
     "live version 1"),
    ("sheet_printed", {"kind": "results", "subject": "live", "code": "R-7F", "size": 57},
     "results live，表单码 R-7F，账本位置 57",
     "results live, sheet code R-7F, ledger position 57"),
    ("appeal_filed", {"contestant": "L05", "filed_by": "coach", "ground": "timing"},
     "L05（coach）：timing", "L05 (by coach): timing"),
    ("appeal_decided", {"appeal": 1, "contestant": "L05", "outcome": "upheld",
                        "reason": "clock"},
     "申诉 1（L05）：支持，clock", "appeal 1 (L05): upheld, clock"),
    ("appeal_filed", {"contestant": "L05", "filed_by": "coach", "ground": "timing",
                      "category": "procedure", "evidence": [
                          {"name": "clock.jpg", "sha256": "ab" * 32, "size": 3}],
                      "late": "窗口内停电"},
     "L05（coach）：timing；类别：程序；证据：clock.jpg；逾期受理：窗口内停电",
     "L05 (by coach): timing; category: procedure; evidence: clock.jpg; accepted late: 窗口内停电"),
    ("appeal_decided", {"appeal": 1, "contestant": "L05", "outcome": "upheld",
                        "reason": "clock", "committee": ["张伟", "李娜"],
                        "votes": [{"member": "张伟", "vote": "upheld", "conflict": False},
                                  {"member": "李娜", "vote": "upheld", "conflict": False},
                                  {"member": "王磊", "vote": "rejected", "conflict": True}],
                        "correction": {"set": [{"judge": "J2", "criterion": "pitch",
                                                "value": "14"}], "withdraw": ["J3"]},
                        "moved": ["L05", "L02"]},
     "申诉 1（L05）：支持，clock；表决：张伟 支持，李娜 支持，王磊 回避；"
     "改正：J2 pitch → 14，J3 评分表不再计分；名次或奖项变动：L05, L02",
     "appeal 1 (L05): upheld, clock; votes: 张伟 upheld, 李娜 upheld, 王磊 conflict declared; "
     "correction: J2 pitch → 14, J3 sheet withdrawn; moved: L05, L02"),
    ("appeal_voted", {"appeal": 7, "contestant": "L05", "member": "张伟", "vote": "abstain",
                      "conflict": False},
     "申诉 7（L05）：委员 张伟 弃权", "appeal 7 (L05): member 张伟 abstain"),
    ("appeal_voted", {"appeal": 7, "contestant": "L05", "member": "王磊", "vote": "upheld",
                      "conflict": True},
     "申诉 7（L05）：委员 王磊 支持（声明回避，不计票）",
     "appeal 7 (L05): member 王磊 upheld (conflict declared, not counted)"),
    ("appeal_replied", {"appeal": 7, "contestant": "L02", "reply": "评分无误"},
     "申诉 7：L02 答辩：评分无误", "appeal 7: L02 replied: 评分无误"),
    ("results_official", {"track": "live", "group": None, "version": 2},
     "live 第2版成为正式成绩", "live version 2 official"),
    ("value_overridden", {"judge": "J1", "contestant": "L03", "criterion": "pitch",
                          "old": "18", "new": "16", "reason": "申诉成立", "appeal": 9},
     "J1 L03 pitch 18 → 16：申诉成立（申诉 9）", "J1 L03 pitch 18 → 16: 申诉成立 (appeal 9)"),
    ("value_overridden", {"judge": "J1", "contestant": "L03", "criterion": "pitch",
                          "old": "18", "new": "16", "reason": "typo",
                          "despite_appeal": {"appeal": 9, "reason": "新证据"}},
     "J1 L03 pitch 18 → 16：typo；不顾已驳回的申诉 9：新证据",
     "J1 L03 pitch 18 → 16: typo; despite rejected appeal 9: 新证据"),
    ("sheet_withdrawn", {"judge": "J1", "contestant": "L03", "reason": "r", "appeal": 9},
     "J1 / L03：r（申诉 9）", "J1 / L03: r (appeal 9)"),
    ("contestant_unlocked", {"contestant": "L03", "reason": "r", "appeal": 9},
     "L03：r（申诉 9）", "L03: r (appeal 9)"),
    ("contestant_locked", {"contestant": "L03", "reason": "r", "appeal": 9},
     "L03：r（申诉 9）", "L03: r (appeal 9)"),
    ("flags_accepted", {"flags": [3], "contestant": "L02", "note": "r", "appeal": 9},
     "分歧 3（L02）：r（申诉 9）", "flags 3 (L02): r (appeal 9)"),
    ("paper_entered", {"judge": "J1", "contestant": "L03", "round": 1, "form": "ABCDEFG-HIJKLMN",
                       "operator": "王芳", "values": {"pitch": "10", "timing": "5"}},
     "王芳 录入 J1 对 L03 的纸质评分表第1版（表单 ABCDEFG-HIJKLMN）：pitch 10, timing 5",
     "王芳 typed J1's paper sheet for L03, revision 1 (form ABCDEFG-HIJKLMN): pitch 10, "
     "timing 5"),
    ("contestant_revealed", {"contestant": "L05", "figures": {
        "judges": [], "panel": "82.00", "components": {}, "final": "85.85"}},
     "L05 亮分：评委评分 82.00，最终得分 85.85",
     "L05 revealed: panel score 82.00, final score 85.85"),
    ("contestant_revealed", {"contestant": "L05", "figures": {
        "judges": [], "panel": "82.00", "components": {}, "final": None}},
     "L05 亮分：评委评分 82.00，最终得分 —", "L05 revealed: panel score 82.00, final score —"),
    ("sheet_conflict_resolved", {"judge": "J2", "contestant": "L01", "keep": "laptop",
                                 "kept": "a", "set_aside": "b", "reason": "typo on paper"},
     "J2 / L01：保留笔记本评分表：typo on paper", "J2 / L01: laptop sheet kept: typo on paper"),
    ("draw_made", {"method": "seed", "seed": "公证处 8841", "draws": {"L02": "10", "L01": "9"}},
     "种子 公证处 8841，2 名选手：9 L01, 10 L02", "seed 公证处 8841, 2 contestants: 9 L01, 10 L02"),
    ("draw_made", {"method": "import", "file": "draw.csv", "digest": "ab12",
                   "draws": {"L02": "01", "L01": "02"}},
     "导入 draw.csv（sha256 ab12），2 名选手：01 L02, 02 L01",
     "imported from draw.csv (sha256 ab12), 2 contestants: 01 L02, 02 L01"),
    ("identities_revealed", {"reason": "评分结束"}, "选手身份解密：评分结束",
     "identities revealed: 评分结束"),
    ("appeal_withdrawn", {"appeal": 41, "contestant": "L13", "reason": "选手撤回"},
     "申诉 41（L13）撤回：选手撤回", "appeal 41 (L13) withdrawn: 选手撤回"),
    ("promoted", {"reason": "主控机断电", "mirrored": 412, "forced": False},
     "备用主控机接管（已同步至第 412 条）：主控机断电",
     "the standby took over (mirrored up to entry 412): 主控机断电"),
    ("succession", {"device": "d-7f3a", "record": {"body": json.dumps(
        {"addresses": ["198.18.0.9", "127.0.0.1"], "port": 8765}), "sig": ""}},
     "备用主控机 d-7f3a 为继任主控机，接管后在 198.18.0.9:8765 127.0.0.1:8765 服务",
     "standby master d-7f3a named successor, to serve at 198.18.0.9:8765 127.0.0.1:8765 "
     "once promoted"),
]


@pytest.mark.parametrize(("kind", "payload", "zh", "en"), SUMMARIES,
                         ids=[f"{s[0]}-{i}" for i, s in enumerate(SUMMARIES)])
def test_the_summary_of_each_kind_in_both_languages(kind: str, payload: dict[str, Any],
                                                    zh: str, en: str) -> None:
    entry = Entry(1, kind, "master", "t", payload, "", "h")
    assert (summarise(entry, "zh"), summarise(entry, "en")) == (zh, en)
    # a payload of another shape: its fields, in either language
    odd = Entry(2, kind, "master", "t", {"x": 1}, "h", "h2")
    assert summarise(odd, "zh") == summarise(odd, "en") == "x=1"


def test_every_ledger_kind_has_a_summary_checked() -> None:
    assert sorted(set(ENTRY_KINDS) - {s[0] for s in SUMMARIES}) == []


def test_scores_become_numbers_only_when_they_stay_exact() -> None:
    assert _number(D("91.35")) == 91.35
    assert _number(D("0.1")) == 0.1
    assert _number(D("123456789.123456")) == 123456789.123456
    assert _number(D("1234567890.1234567")) == "1234567890.1234567"  # 17 digits: kept as text


# --- the command ------------------------------------------------------------------------------


def test_the_command_writes_the_workbook(final: Final, tmp_path: Path) -> None:
    home = final.master.home
    final.close()
    out = tmp_path / "成绩.xlsx"
    result = CliRunner().invoke(main, ["--home", str(home), "export", "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{out}: 18 result rows, ")
    assert openpyxl.load_workbook(out).sheetnames == SHEETS
    final.master = Master.open(home, now=NOW)  # for the fixture's close()
    bad = CliRunner().invoke(main, ["--home", str(home), "export", "--xlsx",
                                    str(tmp_path / "x.csv")])
    assert bad.exit_code == 2 and "expected a file name ending in .xlsx" in bad.output
    nowhere = tmp_path / "no such folder" / "成绩.xlsx"
    bad = CliRunner().invoke(main, ["--home", str(home), "export", "--xlsx", str(nowhere)])
    assert bad.exit_code == 2 and isinstance(bad.exception, SystemExit)  # no traceback
    assert f"error: {nowhere}: cannot write the workbook there: No such file or directory" \
        in bad.output


def test_the_command_on_an_empty_home_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--home", str(tmp_path / "none"), "export", "--xlsx",
                                       str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
    assert f"no head judge master in {tmp_path / 'none'}" in result.output
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "none").exists()


def test_honours_column_and_organisation_awards_sheet(tmp_path: Path,
                                                      fixtures_dir: Path) -> None:
    from .awards_final import awards_final

    awards = awards_final(tmp_path / "awards", fixtures_dir)
    try:
        book = export(awards, tmp_path / "awards.xlsx")
    finally:
        awards.close()
    assert book.sheetnames[:2] == ["成绩 Results", "单位奖 Organisation awards"]
    results = {row["编号\nID"].value: row for row in table(book["成绩 Results"])}
    honours = "荣誉\nHonours"
    assert results["V08"][honours].value == "优秀项目 Excellent project"
    assert results["V06"][honours].value == "合格项目 Qualified project"
    assert results["V04"][honours].value is None  # holds none
    rows = [{k.split("\n")[1]: c.value for k, c in row.items()}
            for row in table(book["单位奖 Organisation awards"])]
    assert len(rows) == 20  # ten organisations, two awards
    assert rows[0] == {"Award": "优秀组织奖 Organisation award", "Rank": 1,
                       "Organisation": "青岛大学", "Score": 9,
                       "Contestants": "I01, I04, I07, V02, V06", "Awarded": "获奖 Awarded"}
    assert rows[2]["Awarded"] is None
    strongest = [r for r in rows if r["Award"] == "最佳团队成绩奖 Strongest university"]
    assert (strongest[1]["Organisation"], strongest[1]["Score"]) == ("青岛海尔国际贸易有限公司",
                                                                     87.93)
