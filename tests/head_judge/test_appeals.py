"""Appeals: filing and deciding (each refusal writes nothing), the dossier of a contestant
(every signed revision with its signature checked, every action touching them, in ledger
order, with the checkpoints that cover them), the preview of a correction (writes nothing),
and an upheld appeal carried through unlock, override, lock and a second publication."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from head_judge.actions import HeadJudge
from head_judge.appeals import (
    Correction,
    CorrectionPreview,
    appeal,
    appeals,
    decide_appeal,
    dossier,
    file_appeal,
    preview_correction,
    withdraw_appeal,
)
from head_judge.master import Master
from head_judge.scoring import Results, Unresolved
from sync.event import Event

from .test_actions import Final, close_everything, fixture_final, spread
from .test_master import NOW

D = Decimal


@pytest.fixture
def published(tmp_path: Path, event: Event, fixtures_dir: Path) -> Iterator[Final]:
    """The livestream final scored, closed and published (version 1)."""
    final = Final(tmp_path / "home", event)
    fixture_final(final, fixtures_dir)
    close_everything(final)
    final.head.publish(("live", None))
    yield final
    final.close()


def test_filing_and_deciding_refuse_bad_input(final: Final) -> None:
    head = final.head
    final.refused(lambda: file_appeal(head, "L99", "wrong", "coach"), "no contestant 'L99'")
    final.refused(lambda: file_appeal(head, "L01", " ", "coach"), "ground of the appeal")
    final.refused(lambda: file_appeal(head, "L01", "wrong", ""), "who files the appeal")
    filed = file_appeal(head, "L01", "产品推介分登记有误 pitch misrecorded", "钱华 (L01)")
    assert (filed.contestant, filed.status, filed.filed_by) == ("L01", "open", "钱华 (L01)")
    entry = list(final.master.ledger.entries())[-1]
    assert (entry.seq, entry.kind, entry.actor) == (filed.id, "appeal_filed", "head-judge")
    assert filed.filed_at == entry.at
    final.refused(lambda: decide_appeal(head, 999, "upheld", "r"), "there is no appeal 999")
    final.refused(lambda: decide_appeal(head, filed.id, "maybe", "r"), "upheld or rejected")
    final.refused(lambda: decide_appeal(head, filed.id, "rejected", ""), "reason .* required")
    decided = decide_appeal(head, filed.id, "rejected", "评分无误 the sheets are right")
    assert (decided.status, decided.decision_reason, decided.decided_by) == (
        "rejected", "评分无误 the sheets are right", "head-judge")
    final.refused(lambda: decide_appeal(head, filed.id, "upheld", "second thoughts"),
                  "already decided: rejected")
    assert [a.id for a in appeals(head)] == [filed.id]
    assert appeal(head, filed.id) == decided


def test_a_preview_shows_the_change_and_writes_nothing(published: Final) -> None:
    head = published.head
    filed = file_appeal(head, "L13", "integrity misread", "coach")
    j1 = next(s for s in head.sheets("L13") if s.judge == "J1")
    before = published.counts()
    preview = preview_correction(head, filed.id, Correction("J1", "integrity",
                                                            j1.values["integrity"] + 3))
    assert published.counts() == before
    assert preview.contestant == "L13"
    assert preview.changes[0].startswith("L13: rank 11 → ")
    assert any(line.startswith("L14: rank 10 → 11") for line in preview.changes)
    same = preview_correction(head, filed.id, Correction("J1", "integrity",
                                                         j1.values["integrity"]))
    assert same.changes == ("the ranking would not change",)
    cases: list[tuple[list[Correction], str]] = [
        ([], "at least one"),
        ([Correction("J9", "integrity", D(1))], "no judge 'J9'"),
        ([Correction("J1", "charm", D(1))], "no criterion 'charm'"),
        ([Correction("J1", "integrity", D(16))], "outside 0–15"),
        ([Correction("J1", "integrity", D(1)), Correction("J4", "pitch", D(30))],
         "outside 0–20")]
    for corrections, match in cases:
        def proposed(c: list[Correction] = corrections) -> object:
            return preview_correction(head, filed.id, c)
        published.refused(proposed, match)
    published.refused(lambda: preview_correction(head, 999, Correction("J1", "pitch", D(1))),
                      "there is no appeal 999")


def test_a_preview_says_missing_sheets_and_components_in_the_consoles_language(
        event: Event) -> None:
    """What the scoring leaves unresolved, in the preview's language: a missing sheet and a
    missing component (by its name) in Chinese; a reason the catalogue has no words for, as
    the scoring wrote it."""
    live = ("live", None)
    sheets = Unresolved(live, "missing_sheets", ("L04",), "L04: no sheet yet from J4, J5")
    data = Unresolved(live, "missing_component", ("L05",), "L05: no value for component data")
    odd = Unresolved(live, "missing_sheets", ("L06",), "L06: something else")
    preview = CorrectionPreview(1, "L04", (), (), Results(event.id, (), (data,)),
                                Results(event.id, (), (sheets, odd)), event, live)
    assert preview.lines("zh") == [
        "现需裁决：L04：尚缺 J4, J5 的评分表", "现需裁决：L06: something else",
        "不再需要裁决：L05：缺少成绩项 直播数据分"]
    assert preview.lines("en") == [
        "now unresolved: L04: no sheet yet from J4, J5", "now unresolved: L06: something else",
        "no longer unresolved: L05: no value for component data"]


def test_the_dossier_holds_every_revision_and_action_in_ledger_order(final: Final,
                                                                     event: Event) -> None:
    head = final.head
    final.send("J1", "L01", spread(event, "pitch", D(16)))
    final.send("J2", "L01")
    [flag] = head.flags()
    review = head.request_review("J1", "请核对 check pitch", flag=flag.id)
    final.send("J1", "L01", spread(event, "pitch", D(12)), reason="复核后更正 corrected")
    for judge in ("J3", "J4", "J5"):
        final.send(judge, "L01")
    final.send("J1", "L02")  # another contestant: not in the dossier
    head.override_value("J3", "L01", "timing", "6", "计时员记录 the timekeeper's log")
    head.lock("L01")
    filed = file_appeal(head, "L01", "timing", "coach")
    found = dossier(head, filed.id)

    assert [(r.judge, r.revision, r.signature) for r in found.revisions] == [
        ("J1", 1, "verified"), ("J2", 1, "verified"), ("J1", 2, "verified"),
        ("J3", 1, "verified"), ("J4", 1, "verified"), ("J5", 1, "verified")]
    j1_second = found.revisions[2]
    assert (j1_second.reason, j1_second.values["pitch"], j1_second.supersedes) == (
        "复核后更正 corrected", D(12), found.revisions[0].hash)
    kinds = [h.kind for h in found.history]
    assert kinds == ["sheet_received", "sheet_received", "flag_raised", "review_requested",
                     "sheet_received", "review_answered", "flag_cleared", "sheet_received",
                     "sheet_received", "sheet_received", "value_overridden",
                     "contestant_locked", "appeal_filed"]
    seqs = [h.seq for h in found.history]
    assert seqs == sorted(seqs)
    summaries = {h.kind: h.summary for h in found.history}
    assert summaries["review_requested"] == (f"review {review} asked of J1 about flag "
                                             f"{flag.id}: 请核对 check pitch")
    assert summaries["value_overridden"] == ("J3's Time control (revision 1) overridden from 5 "
                                             "to 6: 计时员记录 the timekeeper's log")
    assert summaries["flag_raised"] == f"flag {flag.id} raised: L01: Product pitch spread 6 > 4, " \
                                       "lowest J2, highest J1 (J1 16, J2 10)"
    assert [h.signature for h in found.history if h.kind == "sheet_received"] == \
        ["verified"] * 6
    assert {h.covered_by for h in found.history} == {None}  # no checkpoint yet
    assert found.checkpoints == ()
    assert found.standing is None  # no data value yet: not ranked
    document = found.to_document()
    assert document["appeal"]["id"] == filed.id
    assert document["revisions"][2]["values"]["pitch"] == "12"
    json.dumps(document)  # plain JSON all the way down


def test_an_upheld_appeal_applies_its_correction_in_one_act_then_is_republished(
        published: Final) -> None:
    head = published.head
    filed = file_appeal(head, "L13", "诚信经营分登记错误 integrity misrecorded", "L13's coach")
    found = dossier(head, filed.id)
    [checkpoint] = found.checkpoints
    assert checkpoint.verified and checkpoint.reason == "publish"
    covered = [h for h in found.history if h.kind != "appeal_filed"]
    assert {h.covered_by for h in covered} == {checkpoint.seq}
    assert found.history[-1].covered_by is None
    assert {"sheet_received", "components_imported", "contestant_locked",
            "results_published"} <= {h.kind for h in found.history}
    publication = [h for h in found.history if h.kind == "results_published"]
    assert publication[0].summary == ("results version 1 published: rank 11, final 75.10, "
                                      "prize merit")
    assert publication[0].summary.render("zh").endswith("第 11 名，最终得分 75.10，奖项 优秀奖")
    assert found.standing is not None and found.standing.rank == 11

    j1 = next(s for s in head.sheets("L13") if s.judge == "J1")
    corrected = j1.values["integrity"] + 3
    preview = preview_correction(head, filed.id, Correction("J1", "integrity", corrected))
    decide_appeal(head, filed.id, "upheld", "纸质评分表为准 the paper sheet shows it",
                  corrections=[Correction("J1", "integrity", corrected)])
    assert not head.flags("open", "L13") and "L13" in head.locks()
    second = head.publish(("live", None))  # its reason: the upheld appeal
    assert second.version == 2
    assert list(second.changes) == [line for line in preview.changes
                                    if not line.startswith(("now", "no longer"))]

    after = dossier(head, filed.id)
    tail = [h.kind for h in after.history][-6:]
    assert tail == ["appeal_filed", "appeal_decided", "contestant_unlocked",
                    "value_overridden", "contestant_locked", "results_published"]
    assert len(after.checkpoints) == 2 and all(c.verified for c in after.checkpoints)
    assert {h.covered_by for h in after.history[-6:]} == {after.checkpoints[1].seq}
    assert after.appeal.status == "upheld"
    assert [p.version for p in head.publications(("live", None))] == [1, 2]


def test_a_tampered_sheet_shows_as_an_invalid_signature(published: Final,
                                                        tmp_path: Path) -> None:
    head = published.head
    filed = file_appeal(head, "L02", "recount", "coach")
    published.close()
    copy = tmp_path / "copy"
    shutil.copytree(published.master.home, copy)
    with sqlite3.connect(copy / "master.db") as conn:
        seq, payload = conn.execute(
            "SELECT seq, payload FROM ledger WHERE kind = 'sheet_received' "
            "AND payload LIKE '%\\\"contestant\\\":\\\"L02\\\"%' ORDER BY seq LIMIT 1"
        ).fetchone()
        stored = json.loads(payload)
        stored["body"] = stored["body"].replace('"pitch":"', '"pitch":"1')
        conn.execute("DROP TRIGGER ledger_no_update")
        conn.execute("UPDATE ledger SET payload = ? WHERE seq = ?",
                     (json.dumps(stored, separators=(",", ":"), ensure_ascii=False), seq))
    master = Master.open(copy, now=NOW)
    try:
        found = dossier(HeadJudge(master), filed.id)
        assert [r.signature for r in found.revisions if r.ledger_seq == seq] == ["invalid"]
        assert [h.signature for h in found.history if h.seq == seq] == ["invalid"]
        assert not found.checkpoints[0].verified
        assert "Merkle root" in found.checkpoints[0].problem
    finally:
        master.close()


def test_publishing_while_appeals_are_open_needs_a_reason(tmp_path: Path, event: Event,
                                                          fixtures_dir: Path) -> None:
    """Issue 27: the committee has not decided yet; the head judge may still publish, but says
    why, and the refusal names the open appeals (and writes nothing)."""
    final = Final(tmp_path / "home", event)
    try:
        fixture_final(final, fixtures_dir)
        close_everything(final)
        head = final.head
        filed = file_appeal(head, "L13", "诚信经营分登记错误", "L13's coach")
        before = len(final.master.ledger)
        final.refused(lambda: head.publish(("live", None)),
                      rf"has appeals still open: {filed.id} \(L13\)")
        assert len(final.master.ledger) == before
        assert [a.id for a in head.open_appeals(("live", None))] == [filed.id]
        first = head.publish(("live", None), "按时公布，申诉另行裁决")
        assert first.version == 1
        decide_appeal(head, filed.id, "rejected", "评分无误")
        assert head.open_appeals(("live", None)) == []
    finally:
        final.close()


def test_an_open_appeal_can_be_withdrawn_once_with_a_reason(final: Final) -> None:
    """Issue 27: `appeal withdraw` ends an appeal; a decided or withdrawn one cannot be, and
    a withdrawal without a reason writes nothing."""
    head = final.head
    filed = file_appeal(head, "L05", "数据分有误", "L05 本人")
    before = len(final.master.ledger)
    final.refused(lambda: withdraw_appeal(head, filed.id, " "), "reason the appeal is withdrawn")
    assert len(final.master.ledger) == before
    withdrawn = withdraw_appeal(head, filed.id, "选手撤回 the contestant withdrew it")
    assert (withdrawn.status, withdrawn.decision_reason) == (
        "withdrawn", "选手撤回 the contestant withdrew it")
    entry = list(final.master.ledger.entries())[-1]
    assert (entry.kind, entry.payload["appeal"], entry.payload["contestant"]) == (
        "appeal_withdrawn", filed.id, "L05")
    final.refused(lambda: withdraw_appeal(head, filed.id, "again"), "withdrawn")
    final.refused(lambda: decide_appeal(head, filed.id, "upheld", "too late"), "withdrawn")
    assert dossier(head, filed.id).history[-1].summary.render("zh") == \
        f"申诉 {filed.id} 撤回：选手撤回 the contestant withdrew it"
    other = file_appeal(head, "L06", "复核", "L06")
    decide_appeal(head, other.id, "rejected", "评分无误")
    final.refused(lambda: withdraw_appeal(head, other.id, "late"), "rejected")
