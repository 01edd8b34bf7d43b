"""`entry_lines.entry_line`: every kind of ledger entry said in both languages, seen from the
whole ledger (the console's Audit, the export) and from one contestant's dossier, with the
event's names when it is given; a payload of an unknown shape shown as its fields."""

from __future__ import annotations

import json
from typing import Any

import pytest

from head_judge.entry_lines import LINES, entry_line
from head_judge.export import summarise
from head_judge.ledger import Entry
from sync.entry_kinds import ENTRY_KINDS
from sync.event import Event

SHEET_BODY = json.dumps({"judge": "J2", "contestant": "L03", "revision": 1,
                         "values": {"a": "8", "b": "9.5"}, "reason": None, "comment": ""})
SHEET_FIXED = json.dumps({"judge": "J1", "contestant": "C1", "revision": 2,
                          "values": {"a": "8.5", "b": "9"}, "reason": "typo", "comment": "好"})
CONFIRM_BODY = json.dumps({"judge": "J3", "contestant": "L02", "comment": "复核无误"})
LINES_SEEN_FROM_THE_LEDGER = [
    # kind, payload, the line in Chinese, in English
    ("event_loaded", {"event_id": "hrb"},
     "载入赛事 hrb",
     "event hrb loaded"),
    ("event_changed", {"event_id": "hrb", "previous_digest": "ab"},
     "赛事 hrb 的赛事文件已变更",
     "the event file of hrb changed"),
    ("codes_issued", {"codes": [{"seat": "J1"}, {"seat": "J2"}]},
     "发出绑定码：席位 J1, J2",
     "enrolment codes for seats J1, J2"),
    ("enrol_failed", {"seat": "J3", "device": "d9", "cause": "wrong"},
     "席位 J3 绑定失败：绑定码不对",
     "seat J3: enrolment failed, wrong code"),
    ("enrol_failed", {"seat": "J3", "device": "d9", "cause": "used"},
     "席位 J3 绑定失败：绑定码已用过",
     "seat J3: enrolment failed, the code was already used"),
    ("seat_locked", {"seat": "J3", "failures": 5},
     "席位 J3 连续 5 次绑定失败，已锁定",
     "seat J3 locked after 5 failed enrolments"),
    ("seat_reopened", {"seat": "J3", "reason": "new laptop"},
     "席位 J3 重新开放：new laptop",
     "seat J3 reopened: new laptop"),
    ("seat_reopened", {"seat": "J3"},
     "席位 J3 重新开放",
     "seat J3 reopened"),
    ("device_enrolled", {"judge": "J1", "device": "d1", "device_name": "laptop J1"},
     "J1 绑定终端 d1（laptop J1）",
     "J1 enrolled device d1 (laptop J1)"),
    ("device_confirmed", {"judge": "J1", "device": "d1"},
     "J1 重新确认终端 d1",
     "J1 confirmed device d1 again"),
    ("device_revoked", {"device": "d1", "judge": "J1", "replaced_by": "d2",
                        "reason": "J1 enrolled another device (entry 7)"},
     "J1 的终端 d1 已停用：J1 绑定了另一台终端（账本第 7 条）",
     "J1's device d1 revoked: J1 enrolled another device (entry 7)"),
    ("on_stage", {"contestant": "L07"},
     "上台：L07",
     "on stage: L07"),
    ("on_stage", {"contestant": None},
     "上台：无人",
     "on stage: nobody"),
    ("sheet_received", {"body": SHEET_BODY},
     "L03：J2 提交第 1 版：总分 17.5（a 8, b 9.5）",
     "L03: J2 sent revision 1: total 17.5 (a 8, b 9.5)"),
    ("sheet_received", {"body": SHEET_FIXED},
     "C1：J1 提交第 2 版：总分 17.5（a 8.5, b 9）；原因：typo；评语：好",
     "C1: J1 sent revision 2: total 17.5 (a 8.5, b 9); reason: typo; comment: 好"),
    ("alarm", {"alarm": "clock", "detail": "J2 is off"},
     "警报：J2 is off",
     "alarm: J2 is off"),
    ("checkpoint", {"checkpoint": {"body": json.dumps({"size": 41})}, "reason": "publish"},
     "覆盖前 41 条（发布）",
     "covers the first 41 entries (publish)"),
    ("checkpoint", {"checkpoint": {"body": json.dumps({"size": 41})}, "reason": "交接"},
     "覆盖前 41 条（交接）",
     "covers the first 41 entries (交接)"),
    ("flag_raised", {"contestant": "L02", "rule": "criterion_spread", "criterion": "pitch",
                     "judges": ["J1", "J3"], "difference": "6", "threshold": "4",
                     "values": {"J1": "18", "J3": "12"}},
     "提出分歧 5：L02：pitch单项极差 6 > 4，最低 J3，最高 J1（J1 18, J3 12）",
     "flag 5 raised: L02: pitch spread 6 > 4, lowest J3, highest J1 (J1 18, J3 12)"),
    ("flag_raised", {"contestant": "L02", "rule": "total_spread", "criterion": None,
                     "judges": ["J1", "J3"], "difference": "16", "threshold": "15",
                     "values": {"J1": "90", "J3": "74"}},
     "提出分歧 5：L02：总分极差 16 > 15，最低 J3，最高 J1（J1 90, J3 74）",
     "flag 5 raised: L02: total spread 16 > 15, lowest J3, highest J1 (J1 90, J3 74)"),
    ("flag_cleared", {"flag": 3, "contestant": "L02", "cause": 9},
     "L02：分歧 3 已消除：账本第 9 条后不再成立",
     "L02: flag 3 cleared: it no longer holds after entry 9"),
    ("flag_accepted", {"flag": 3, "contestant": "L02", "note": "alike"},
     "L02：分歧 3 已接受：alike",
     "L02: flag 3 accepted: alike"),
    ("flags_accepted", {"flags": [3, 4], "contestant": "L02", "note": "alike"},
     "L02 的分歧 3, 4 一并接受：alike",
     "flags 3, 4 of L02 accepted together: alike"),
    ("review_requested", {"judge": "J3", "contestant": "L02", "note": "recount", "flag": 3},
     "L02：请 J3 复核（复核 5），关于分歧 3：recount",
     "L02: review 5 asked of J3 about flag 3: recount"),
    ("review_confirmed", {"review": 2, "body": CONFIRM_BODY},
     "L02：J3 确认评分表无误（复核 2）：复核无误",
     "L02: J3 confirmed the sheet as it is (review 2): 复核无误"),
    ("review_answered", {"review": 2, "judge": "J3", "contestant": "L02", "revision": 2,
                         "reason": "看错行"},
     "L02：复核 2 以第 2 版答复：看错行",
     "L02: review 2 answered by revision 2: 看错行"),
    ("review_closed", {"review": 2, "contestant": "L02",
                       "reason": "the sheet was withdrawn: left early"},
     "L02：复核 2 已关闭：评分表已撤销：left early",
     "L02: review 2 closed: the sheet was withdrawn: left early"),
    ("value_overridden", {"judge": "J1", "contestant": "L03", "criterion": "pitch",
                          "revision": 1, "old": "18", "new": "16", "reason": "appeal"},
     "L03：总裁判长将 J1 的pitch（第 1 版）由 18 改为 16：appeal",
     "L03: J1's pitch (revision 1) overridden from 18 to 16: appeal"),
    ("sheet_withdrawn", {"judge": "J1", "contestant": "L03", "reason": "left"},
     "L03：J1 的评分表已撤销：left",
     "L03: J1's sheet withdrawn: left"),
    ("seat_excused", {"judge": "J4", "contestants": None, "reason": "absent"},
     "J4 对整场比赛免评：absent",
     "J4 excused for the whole final: absent"),
    ("seat_excused", {"judge": "J4", "contestants": ["L01", "L02"], "reason": "left"},
     "J4 对L01, L02免评：left",
     "J4 excused for L01, L02: left"),
    ("seat_restored", {"judge": "J4", "contestants": None, "reason": "back"},
     "J4 对整场比赛恢复评分：back",
     "J4 restored for the whole final: back"),
    ("contestant_locked", {"contestant": "L03", "reason": "checked"},
     "L03：已锁定：checked",
     "L03: locked: checked"),
    ("contestant_locked", {"contestant": "L03", "reason": ""},
     "L03：已锁定",
     "L03: locked"),
    ("contestant_locked", {"contestant": "L03", "reason": "", "forced": True,
                           "blockers": ["flag 3 open"]},
     "L03：已锁定（强制锁定，未处理：flag 3 open）",
     "L03: locked (forced over: flag 3 open)"),
    ("contestant_locked", {"contestant": "L03", "reason": "", "forced": True, "blockers": [
        "no sheet yet from J4", "flag 7 is open: L05: J3 differs from the panel's median by "
        "20 > 10 (J1 64, J3 40)"]},
     "L03：已锁定（强制锁定，未处理：尚缺 J4 的评分表；分歧 7 未处理：L05：J3 与全体评委中位数相差 "
     "20 > 10（J1 64, J3 40））",
     "L03: locked (forced over: no sheet yet from J4; flag 7 is open: L05: J3 differs from the "
     "panel's median by 20 > 10 (J1 64, J3 40))"),
    ("contestants_locked", {"contestants": ["L01", "L03"], "reason": "ready"},
     "L01, L03 完整且无分歧，一并锁定：ready",
     "L01, L03 locked together as complete and clear: ready"),
    ("contestants_locked", {"contestants": ["L01"], "reason": ""},
     "L01 完整且无分歧，一并锁定",
     "L01 locked together as complete and clear"),
    ("contestant_unlocked", {"contestant": "L03", "reason": "appeal"},
     "L03：已解锁：appeal",
     "L03: unlocked: appeal"),
    ("components_imported", {"component": "data", "file": "data.csv", "sha256": "cd34",
                             "values": {"L01": "9", "L02": "8"}, "reason": "",
                             "changes": [{"contestant": "L01", "old": "7", "new": "9"}]},
     "data 导入自 data.csv（sha256 cd34），1 个值改变",
     "data imported from data.csv (sha256 cd34), 1 changed"),
    ("tie_decided", {"track": "live", "group": None, "contestants": ["L01", "L02"],
                     "kind": "order", "order": ["L02", "L01"], "reason": "lot"},
     "L01, L02 并列，裁决名次顺序为 L02, L01：lot",
     "tie among L01, L02 decided in the order L02, L01: lot"),
    ("tie_decided", {"track": "live", "group": None, "contestants": ["L01", "L02"],
                     "kind": "shared", "order": [], "reason": "规则"},
     "L01, L02 并列，裁决共享较好名次：规则",
     "tie among L01, L02 decided sharing the better place: 规则"),
    ("results_published", {"track": "live", "group": "students", "version": 2,
                           "document": {"scopes": []}},
     "live · students：发布第 2 版结果",
     "live · students: results version 2 published"),
    ("results_published", {"track": "live", "group": None, "version": 1,
                           "document": {"scopes": []}},
     "live：发布第 1 版结果",
     "live: results version 1 published"),
    ("sheet_printed", {"kind": "results", "subject": "live", "code": "R-7F", "size": 57},
     "打印结果公示表 live，表单码 R-7F，账本位置 57",
     "printed results sheet live, sheet code R-7F, ledger position 57"),
    ("appeal_filed", {"contestant": "L05", "filed_by": "coach", "ground": "timing"},
     "L05：申诉 5 由 coach 提出：timing",
     "L05: appeal 5 filed by coach: timing"),
    ("appeal_filed", {"contestant": "L05", "filed_by": "coach", "ground": "timing",
                      "category": "procedure", "evidence": [
                          {"name": "clock.jpg", "sha256": "ab" * 32, "size": 3}],
                      "late": "窗口内停电"},
     "L05：申诉 5 由 coach 提出：timing；类别：程序；证据：clock.jpg；逾期受理：窗口内停电",
     "L05: appeal 5 filed by coach: timing; category: procedure; evidence: clock.jpg; accepted "
     "late: 窗口内停电"),
    ("appeal_decided", {"appeal": 1, "contestant": "L05", "outcome": "upheld",
                        "reason": "clock"},
     "L05：申诉 1 支持：clock",
     "L05: appeal 1 upheld: clock"),
    ("appeal_decided", {"appeal": 1, "contestant": "L05", "outcome": "upheld",
                        "reason": "clock", "committee": ["张伟", "李娜"],
                        "votes": [{"member": "张伟", "vote": "upheld", "conflict": False},
                                  {"member": "李娜", "vote": "upheld", "conflict": False},
                                  {"member": "王磊", "vote": "rejected", "conflict": True}],
                        "correction": {"set": [{"judge": "J2", "criterion": "pitch",
                                                "value": "14"}], "withdraw": ["J3"]},
                        "moved": ["L05", "L02"]},
     "L05：申诉 1 支持：clock；改正：J2 的 pitch 改为 14；J3 的评分表不再计分；表决：张伟 支持"
     "；李娜 支持；王磊 回避；名次或奖项变动：L05, L02",
     "L05: appeal 1 upheld: clock; correction: J2's pitch set to 14; J3's sheet withdrawn; vote"
     "s: 张伟 upheld; 李娜 upheld; 王磊 declared a conflict; rank or prize moved: L05, L02"),
    ("appeal_voted", {"appeal": 7, "contestant": "L05", "member": "张伟", "vote": "abstain",
                      "conflict": False},
     "L05：仲裁委员 张伟 对申诉 7 投票：弃权",
     "L05: committee member 张伟 voted on appeal 7: abstain"),
    ("appeal_voted", {"appeal": 7, "contestant": "L05", "member": "王磊", "vote": "upheld",
                      "conflict": True},
     "L05：仲裁委员 王磊 就申诉 7 声明回避（记为支持，不计票）",
     "L05: committee member 王磊 declared a conflict on appeal 7 (recorded as upheld, not count"
     "ed)"),
    ("appeal_replied", {"appeal": 7, "contestant": "L02", "reply": "评分无误"},
     "L02 就申诉 7 答辩：评分无误",
     "L02 replied to appeal 7: 评分无误"),
    ("results_official", {"track": "live", "group": None, "version": 2},
     "live：第 2 版成绩成为正式成绩",
     "live: results version 2 became official"),
    ("value_overridden", {"judge": "J1", "contestant": "L03", "criterion": "pitch",
                          "revision": 1, "old": "18", "new": "16", "reason": "申诉成立",
                          "appeal": 9},
     "L03：总裁判长将 J1 的pitch（第 1 版）由 18 改为 16：申诉成立（依申诉 9）",
     "L03: J1's pitch (revision 1) overridden from 18 to 16: 申诉成立 (by appeal 9)"),
    ("value_overridden", {"judge": "J1", "contestant": "L03", "criterion": "pitch",
                          "revision": 1, "old": "18", "new": "16", "reason": "typo",
                          "despite_appeal": {"appeal": 9, "reason": "新证据"}},
     "L03：总裁判长将 J1 的pitch（第 1 版）由 18 改为 16：typo；不顾已驳回的申诉 9：新证据",
     "L03: J1's pitch (revision 1) overridden from 18 to 16: typo; despite rejected appeal 9: "
     "新证据"),
    ("sheet_withdrawn", {"judge": "J1", "contestant": "L03", "reason": "r", "appeal": 9},
     "L03：J1 的评分表已撤销：r（依申诉 9）",
     "L03: J1's sheet withdrawn: r (by appeal 9)"),
    ("contestant_unlocked", {"contestant": "L03", "reason": "r", "appeal": 9},
     "L03：已解锁：r（依申诉 9）",
     "L03: unlocked: r (by appeal 9)"),
    ("contestant_locked", {"contestant": "L03", "reason": "r", "appeal": 9},
     "L03：已锁定：r（依申诉 9）",
     "L03: locked: r (by appeal 9)"),
    ("flags_accepted", {"flags": [3], "contestant": "L02", "note": "r", "appeal": 9},
     "L02 的分歧 3 一并接受：r（依申诉 9）",
     "flags 3 of L02 accepted together: r (by appeal 9)"),
    ("paper_entered", {"judge": "J1", "contestant": "L03", "round": 1,
                       "form": "ABCDEFG-HIJKLMN", "operator": "王芳",
                       "values": {"pitch": "10", "timing": "5"}},
     "L03：录入员 王芳 录入 J1 的纸质评分表第 1 版（表单 ABCDEFG-HIJKLMN）：pitch 10, timing 5",
     "L03: operator 王芳 typed J1's paper sheet, revision 1 (form ABCDEFG-HIJKLMN): pitch 10, t"
     "iming 5"),
    ("contestant_revealed", {"contestant": "L05", "figures": {
        "judges": [], "panel": "82.00", "components": {}, "final": "85.85"}},
     "L05 亮分：评委评分 82.00，最终得分 85.85",
     "L05 revealed to the hall: panel score 82.00, final score 85.85"),
    ("contestant_revealed", {"contestant": "L05", "figures": {
        "judges": [], "panel": "82.00", "components": {}, "final": None}},
     "L05 亮分：评委评分 82.00，最终得分 —",
     "L05 revealed to the hall: panel score 82.00, final score —"),
    ("sheet_conflict_resolved", {"judge": "J2", "contestant": "L01", "keep": "laptop",
                                 "kept": "a", "set_aside": "b", "reason": "typo on paper"},
     "L01：J2 同时有笔记本与纸质评分表，总裁判长保留笔记本评分表：typo on paper",
     "L01: J2 had a laptop and a paper sheet; the head judge kept the laptop sheet: typo on pap"
     "er"),
    ("draw_made", {"method": "seed", "seed": "公证处 8841", "draws": {"L02": "10", "L01": "9"}},
     "按种子 公证处 8841 抽签：2 名选手",
     "drawn from the seed 公证处 8841: 2 contestants"),
    ("draw_made", {"method": "import", "file": "draw.csv", "digest": "ab12",
                   "draws": {"L02": "01", "L01": "02"}},
     "导入 draw.csv，sha256 ab12：2 名选手",
     "imported from draw.csv, sha256 ab12: 2 contestants"),
    ("identities_revealed", {"reason": "评分结束"},
     "选手身份解密：评分结束",
     "identities revealed: 评分结束"),
    ("appeal_withdrawn", {"appeal": 41, "contestant": "L13", "reason": "选手撤回"},
     "L13：申诉 41 撤回：选手撤回",
     "L13: appeal 41 withdrawn: 选手撤回"),
    ("promoted", {"reason": "主控机断电", "mirrored": 412, "forced": False},
     "备用主控机接管（已同步至第 412 条）：主控机断电",
     "the standby took over (mirrored up to entry 412): 主控机断电"),
    ("succession", {"device": "d-7f3a", "record": {"body": json.dumps(
        {"addresses": ["198.18.0.9", "127.0.0.1"], "port": 8765}), "sig": ""}},
     "备用主控机 d-7f3a 为继任主控机，接管后在 198.18.0.9:8765 127.0.0.1:8765 服务",
     "standby master d-7f3a named successor, to serve at 198.18.0.9:8765 127.0.0.1:8765 once pr"
     "omoted"),
]


def _entry(kind: str, payload: dict[str, Any], seq: int = 5) -> Entry:
    return Entry(seq, kind, "master", "2026-12-05T10:00:00.000Z", payload, "", "h")


@pytest.mark.parametrize(("kind", "payload", "zh", "en"), LINES_SEEN_FROM_THE_LEDGER,
                         ids=[f"{s[0]}-{i}" for i, s in enumerate(LINES_SEEN_FROM_THE_LEDGER)])
def test_each_kind_in_both_languages(kind: str, payload: dict[str, Any], zh: str, en: str
                                     ) -> None:
    line = entry_line(_entry(kind, payload))
    assert (line.render("zh"), line.render("en")) == (zh, en)
    assert (summarise(_entry(kind, payload), "zh"), summarise(_entry(kind, payload), "en")) \
        == (zh, en)  # the export's summary is the same line


def test_every_kind_has_a_line_and_a_case_here() -> None:
    assert set(LINES) == set(ENTRY_KINDS)
    assert sorted(set(ENTRY_KINDS) - {s[0] for s in LINES_SEEN_FROM_THE_LEDGER}) == []


def test_a_payload_of_an_unknown_shape_is_shown_as_its_fields() -> None:
    odd = _entry("something_new", {"x": "y" * 50, "n": [1, 2]})
    assert entry_line(odd).render("zh") == f"x={'y' * 40}…, n=[1,2]"
    broken = _entry("flag_raised", {"contestant": "C1"})
    assert entry_line(broken).render("zh") == entry_line(broken).render("en") == "contestant=C1"


def test_a_dossier_says_what_the_entry_meant_for_its_contestant(event: Event) -> None:
    someone, other = (c.id for c in event.contestants[:2])
    draw = _entry("draw_made", {"method": "seed", "seed": "8841",
                                "draws": {someone: "07", other: "02"}})
    assert entry_line(draw, about=someone).render("zh") == "抽签号 07（按种子 8841 抽签）"
    imported = _entry("components_imported", {
        "component": "data", "file": "data.csv", "sha256": "cd34", "reason": "",
        "values": {someone: "9", other: "8"}, "changes": [
            {"contestant": someone, "old": "7", "new": "9"}]})
    name = event.component("data").name
    assert entry_line(imported, event=event, about=someone).render("en") == \
        f"{name.en} = 9 (was 7) imported from data.csv (sha256 cd34)"
    assert entry_line(imported, event=event, about=other).render("zh") == \
        f"{name.zh} = 8，导入自 data.csv（sha256 cd34）"
    assert entry_line(imported, event=event).render("zh") == \
        f"{name.zh} 导入自 data.csv（sha256 cd34），1 个值改变"
    # a dossier's line does not name its own contestant again; the whole ledger's does
    locked = _entry("contestant_locked", {"contestant": someone, "reason": "核对完毕"})
    assert entry_line(locked, about=someone).render("zh") == "已锁定：核对完毕"
    assert entry_line(locked).render("zh") == f"{someone}：已锁定：核对完毕"


def test_the_event_names_criteria_and_rankings(event: Event) -> None:
    criterion = event.criteria[0]
    track = event.tracks[0]
    override = _entry("value_overridden", {
        "judge": "J1", "contestant": "L03", "criterion": criterion.id, "revision": 1,
        "old": "18", "new": "16", "reason": "看错"})
    assert criterion.name.zh in entry_line(override, event=event).render("zh")
    assert criterion.name.en in entry_line(override, event=event).render("en")
    assert criterion.id in entry_line(override).render("zh")
    published = _entry("results_published", {"track": track.id, "group": None, "version": 3,
                                             "document": {"scopes": []}})
    assert entry_line(published, event=event).render("zh") == \
        f"{track.name.zh}：发布第 3 版结果"
    printed = _entry("sheet_printed", {"kind": "results", "subject": track.id, "code": "R-7F",
                                       "size": 57})
    assert entry_line(printed, event=event).render("zh") == \
        f"打印结果公示表 {track.name.zh}，表单码 R-7F，账本位置 57"
    report = _entry("sheet_printed", {"kind": "discrepancy", "subject": "all", "code": "D-2",
                                      "size": 57})
    assert entry_line(report, event=event).render("zh") == \
        "打印分歧与改分报告，表单码 D-2，账本位置 57"
