"""Paper a notary can sign (issue 21): signatures and seals where decisions are made, the pack
inventory, the published version on results sheets and a draft watermark otherwise, what a
contestant sheet tells about its contestant, and no system text in English alone on a sheet
of a Chinese and English final. Everything is read back from the real PDF with pdftotext."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

from head_judge.appeals import decide_appeal, file_appeal
from head_judge.printing import DEFAULT_KINDS, print_sheets, verify_code
from sync.zones import event_zone, shown_iso

from ..english import english_words
from ..printouts import tools
from ..printouts.tools import sq
from .test_actions import Final, close_everything, fixture_final
from .test_printing import (
    ACCEPTED,
    DECISION,
    GROUND,
    NAMES,
    OVERRIDE,
    PRINTED_AT,
    REVISION,
    WITHDRAWAL,
    record_final,
)


def pages(pdf: Path) -> list[str]:
    return tools.text(pdf.read_bytes())


def raw_pages(pdf: Path) -> list[str]:
    """pdftotext -raw: text set diagonally (a watermark) too, which the default mode drops."""
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                         check=True).stdout.decode()
    return [sq(page) for page in out.split("\f") if page.strip()]


def set_event(final: Final, **changes: Any) -> None:
    """The final as if its event file said `changes` (`[event] notary`, `[appeals]`...)."""
    final.master._event = dataclasses.replace(final.master.event, **changes)


def test_every_sheet_of_a_pack_is_on_its_inventory_which_verifies(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    record_final(final, fixtures_dir)
    printed = print_sheets(final.head, DEFAULT_KINDS, out_dir=tmp_path, now=PRINTED_AT,
                           signatories=NAMES, inventory=True)
    cover, *rest = printed
    assert cover.kind == "inventory" and len(rest) > 1
    text = "".join(pages(cover.file))
    for sheet in rest:
        shown = pages(sheet.file)
        row = sq(sheet.code)
        assert row in text, sheet.title
        # the page count follows the code's row (code, kind, subject, pages)
        after = text[text.index(row):]
        assert str(len(shown)) in after[:200]
    assert sq("公证员签名 Notary's signature") in text and "李静" in text
    assert sq("总裁判长签名 Head judge's signature") in text and "王建国" in text
    total = sum(len(pages(s.file)) for s in rest)
    assert sq(f"共 {len(rest)} 份表单，{total} 页") in text
    assert verify_code(final.head, cover.code).ok
    # one sheet alone has no inventory unless asked for
    alone = print_sheets(final.head, ["results"], out_dir=tmp_path / "one", now=PRINTED_AT)
    assert [p.kind for p in alone] == ["results"]
    asked = print_sheets(final.head, ["results", "inventory"], out_dir=tmp_path / "two",
                         now=PRINTED_AT)
    assert [p.kind for p in asked] == ["inventory", "results"]
    final.refused(lambda: print_sheets(final.head, ["inventory"], out_dir=tmp_path / "x",
                                       now=PRINTED_AT), "inventory lists the other sheets")


def test_signatures_and_seals_where_decisions_are_made(final: Final, fixtures_dir: Path,
                                                      tmp_path: Path) -> None:
    set_event(final, notary=True)
    appeal_id = record_final(final, fixtures_dir)
    printed = {(p.kind, p.subject): p for p in print_sheets(
        final.head, DEFAULT_KINDS, out_dir=tmp_path, now=PRINTED_AT, signatories=NAMES)}
    report = "".join(pages(printed["discrepancy", "all"].file))
    assert sq("总裁判长签名 Head judge's signature") in report and "王建国" in report
    results = "".join(pages(printed["results", "live"].file))
    for judge in final.head.event.judges:
        assert sq(f"评委签名 Judge's signature · {judge.id}") in results
    assert sq("总裁判长签名 Head judge's signature") in results
    assert sq("公证员签名 Notary's signature") in results and "李静" in results
    assert sq("公证处盖章 Notary office seal") in results
    dossier = "".join(pages(printed["appeal", str(appeal_id)].file))
    assert "Decided by" not in dossier and "head-judge" not in dossier
    for kind_subject, sheet in printed.items():
        text = "".join(pages(sheet.file))
        assert text.count("裁判长") == text.count("总裁判长"), kind_subject
        shown = pages(sheet.file)
        if len(shown) > 1:
            for number, page in enumerate(shown, start=1):
                assert sq("小签 Initials:") in page, (kind_subject, number)
                assert sq("骑缝章 Seam seal") in page, (kind_subject, number)
        else:
            assert "小签" not in shown[0] and "骑缝章" not in shown[0], kind_subject
    assert any(len(pages(p.file)) > 1 for p in printed.values())


def test_an_appeal_decision_is_signed_by_its_committee_by_name(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    fixture_final(final, fixtures_dir)
    head = final.head
    set_event(final, committee=("张伟", "李娜", "王磊"))
    first = file_appeal(head, "L05", "分数偏低", "L05 本人")
    decide_appeal(head, first.id, "rejected", "维持原成绩")
    second = file_appeal(head, "L08", "评分表上的日期写错", "L08 本人", category="procedure")
    decide_appeal(head, second.id, "upheld", "改正", ["赵敏", "钱军"])
    entries = [e for e in final.master.ledger.entries() if e.kind == "appeal_decided"]
    assert [e.payload["committee"] for e in entries] == [["张伟", "李娜", "王磊"],
                                                          ["赵敏", "钱军"]]
    printed = {p.subject: p for p in print_sheets(head, ["appeal"], out_dir=tmp_path,
                                                   now=PRINTED_AT, signatories=NAMES)}
    one = "".join(pages(printed[str(first.id)].file))
    assert one.count(sq("仲裁委员会委员签名 Appeals committee member's signature")) == 3
    assert all(name in one for name in ("张伟", "李娜", "王磊"))
    assert sq("仲裁委员会 Appeals committee 张伟、李娜、王磊") in one
    two = "".join(pages(printed[str(second.id)].file))
    assert "赵敏" in two and "钱军" in two and "张伟" not in two
    third = file_appeal(head, "L01", "分数偏低", "L01 本人")
    final.refused(lambda: decide_appeal(head, third.id, "rejected", "维持", ["  "]),
                  "committee member")


def test_results_show_their_published_version_or_a_draft_watermark(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    fixture_final(final, fixtures_dir)
    close_everything(final)
    head = final.head
    published = head.publish(("live", None))
    [sheet] = print_sheets(head, ["results"], out_dir=tmp_path / "v1", now=PRINTED_AT)
    shown = raw_pages(sheet.file)
    at = shown_iso(final.master.ledger.entries(published.entry - 1).__next__().at,
                   event_zone(head.event) or PRINTED_AT.tzinfo)
    assert sq(f"第 1 版 · 发布于 {at}") in shown[0] and sq(f"Version 1 · published {at}") \
        in shown[0]
    assert all("草稿" not in page and "DRAFT" not in page for page in shown)
    assert verify_code(head, sheet.code).ok
    head.unlock("L03", "申诉 appeal")
    value = next(s for s in head.sheets("L03") if s.judge == "J1").values["pitch"]
    head.override_value("J1", "L03", "pitch", value + 5, "登记错误 clerical")
    [draft] = print_sheets(head, ["results"], out_dir=tmp_path / "draft", now=PRINTED_AT)
    shown = raw_pages(draft.file)
    assert len(shown) > 1
    for page in shown:
        assert sq("草稿 · 未发布") in page and sq("DRAFT · NOT PUBLISHED") in page
        assert "第1版·发布于" not in page


def test_a_contestant_sheet_shows_absence_ties_flags_and_appeals(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    appeal_id = record_final(final, fixtures_dir)
    head = final.head
    printed = {p.subject: p for p in print_sheets(head, ["contestant"], out_dir=tmp_path,
                                                   now=PRINTED_AT, signatories=NAMES)}
    l05 = "".join(pages(printed["L05"].file))
    assert sq(f"申诉 {appeal_id}") in l05 and sq("申诉驳回") in l05 and sq("Rejected") in l05
    flagged = [f for f in head.flags() if f.contestant in printed]
    assert flagged
    for flag in flagged:
        text = "".join(pages(printed[flag.contestant].file))
        assert sq("评分差异及处理 Discrepancy flags and their outcome") in text
        assert f"{flag.id}·" in text
    ties = [c for c, p in printed.items() if "同分处理" in "".join(pages(p.file))]
    assert "L14" in ties and "L13" in ties
    l14 = "".join(pages(printed["L14"].file))
    assert sq("L14 胡霞萍 与 L13 余平艳 最终得分同为") in l14
    absent = [c for c, p in printed.items() if sq("缺席：未参加本场决赛") in
              "".join(pages(p.file))]
    assert absent == ["L18"]


def test_no_system_text_in_english_alone_on_a_chinese_final(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    """Printed for a Chinese-only final, every English word left is a leak: the system text
    (ledger descriptions, flag details, resolutions, words) must come from a catalogue."""
    record_final(final, fixtures_dir)
    head = final.head
    set_event(final, languages=("zh",))
    printed = print_sheets(head, DEFAULT_KINDS, out_dir=tmp_path, now=PRINTED_AT,
                           signatories=NAMES, inventory=True)
    typed = [str(x) for x in (*REVISION, *OVERRIDE, *WITHDRAWAL, GROUND, DECISION, ACCEPTED)]
    allowed = typed + [c.name for c in head.event.contestants] + ["sha256", "Merkle"]
    leaks = {}
    for sheet in printed:
        out = subprocess.run(["pdftotext", "-layout", str(sheet.file), "-"],
                                           capture_output=True, check=True).stdout.decode()
        # a hash broken across two lines leaves a fragment of hex digits
        found = [w for w in english_words(out, allowed) if not re.fullmatch(r"[0-9a-f]+", w)]
        if found:
            leaks[sheet.file.name] = found
    assert leaks == {}


def test_results_print_provisional_with_the_appeal_close_then_official(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    """With `[appeals] window_minutes`, the latest published version prints 暂定 and when
    appeals close (HH:MM in the event's zone), then 正式 once made official: the provisional
    paper then no longer verifies, nor does a version a newer one superseded. Without a
    window neither word is printed."""
    from head_judge.appeals import appeal_window, declare_official
    from sync.event import AppealRules

    from .test_appeal_committee import later

    fixture_final(final, fixtures_dir)
    close_everything(final)
    head = final.head
    head.publish(("live", None))

    def printed(out: str) -> tuple[str, str]:
        [sheet] = print_sheets(head, ["results"], out_dir=tmp_path / out, now=PRINTED_AT)
        return "".join(pages(sheet.file)), sheet.code

    shown, _ = printed("no-window")
    assert not any(w in shown for w in ("暂定", "正式", "Provisional", "Official"))
    set_event(final, appeal_rules=AppealRules(window_minutes=30))
    window = appeal_window(head, ("live", None))
    assert window is not None and window.closes is not None
    zone = event_zone(head.event) or PRINTED_AT.tzinfo
    closes = shown_iso(window.closes, zone, "%H:%M")
    v1, v1_code = printed("v1")
    assert sq(f"暂定成绩：申诉截止 {closes}") in v1 and sq(f"appeals close at {closes}") in v1
    assert sq("第 1 版") in v1 and "正式" not in v1 and verify_code(head, v1_code).ok
    head.unlock("L03", "申诉 appeal")
    value = next(s for s in head.sheets("L03") if s.judge == "J1").values["pitch"]
    head.override_value("J1", "L03", "pitch", value - Decimal("0.5"), "登记错误 clerical")
    head.lock("L03")
    head.publish(("live", None), "登记错误已改正 clerical error corrected")
    assert not verify_code(head, v1_code).ok  # version 2 superseded it
    v2, v2_code = printed("v2")
    assert sq("第 2 版") in v2 and sq(f"暂定成绩：申诉截止 {closes}") in v2
    later(final, 31)
    assert [s.version for s in declare_official(head)] == [2]
    assert not verify_code(head, v2_code).ok  # the paper still says provisional
    official, official_code = printed("official")
    assert sq("正式成绩：申诉期已结束 Official: the appeal window has closed") in official
    assert "暂定" not in official and "Provisional" not in official
    assert verify_code(head, official_code).ok
