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
from head_judge.console.ledger_view import LedgerCache
from head_judge.export import _number, export_xlsx, summarise
from head_judge.master import Master

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
    assert zh[0].endswith("；类别：计分；证据：计分表.jpg")
    assert en[0].endswith("; category: calculation; evidence: 计分表.jpg")
    conflict = f"王磊 就申诉 {appeal} 声明回避（记为驳回，不计票）"
    assert f"{appeal + 3} 仲裁委员投票 L13：仲裁委员 {conflict}" in zh
    assert any(line.endswith(f"王磊 declared a conflict on appeal {appeal} (recorded as "
                             "rejected, not counted)") for line in en)
    decided = next(line for line in zh if " 裁决申诉 " in line)
    assert decided.endswith("改正：J1 的 诚信经营 改为 12.5；表决：张伟 支持；李娜 支持；"
                            "王磊 回避；名次或奖项变动：L13, L14")
    overridden = next(line for line in en if " value overridden " in line)
    assert overridden.endswith(f"(by appeal {appeal})")
    assert zh[-1].endswith("成绩转为正式 直播销售：第 2 版成绩成为正式成绩")
    entries = cache.entries[appeal - 1:]
    vote = next(e for e in entries if e.kind == "appeal_voted" and e.payload["conflict"])
    assert summarise(vote, "zh", final.event) == zh[3][zh[3].index(" ", 4) + 1:]
    official = next(e for e in entries if e.kind == "results_official")
    assert summarise(official, "en", final.event) == \
        "Livestream sales: results version 2 became official"


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
    assert imported["摘要\nSummary"].value.startswith("直播数据分 导入自 data.csv（sha256 ")
    assert imported["摘要\nSummary"].value.endswith("），17 个值改变")
    # the same line the console's Audit screen shows for each entry
    audit = LedgerCache(final.master)
    audit.update()
    assert [r["摘要\nSummary"].value for r in rows] == [audit.describe(e, "zh") for e in entries]


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
    assert result.output.startswith(f"{out}：18 行结果，")
    assert result.output.splitlines()[1].startswith(f"{out}: 18 result rows, ")
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
    assert f"错误：{nowhere}：无法在此写入工作簿：文件不存在" in bad.output


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
