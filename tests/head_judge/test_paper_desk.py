"""Paper sheets typed in twice at the paper desk (`head_judge.paper_desk`), on a real master.

The livestream final from the shared fixtures; the blank forms are printed for real
(`print_sheets(..., ["form"])`) and their codes typed. Every refusal is checked to write
nothing (row counts of every table unchanged) and to be said in Chinese.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from head_judge.actions import ActionRefused
from head_judge.audit import audit
from head_judge.master import DB_FILE
from head_judge.paper import read_sheets
from head_judge.paper_desk import PaperDesk, resolve_conflict
from head_judge.printing import print_sheets
from head_judge.projections import current_sheets
from sync.event_file import load_event

from .test_actions import Final, close_everything, without_kind
from .test_master import good_values, table_counts

D = Decimal


def print_form(final: Final, judge: str, folder: Path) -> str:
    printed = print_sheets(final.head, ["form"], [judge], out_dir=folder)
    (form,) = [p for p in printed if p.kind == "form"]
    return form.code


def desk(final: Final, operator: str) -> PaperDesk:
    return PaperDesk(final.master, operator, clock=final.clock)


def text(values: dict[str, Decimal]) -> dict[str, str]:
    return {c: str(v) for c, v in values.items()}


@pytest.fixture
def form(final: Final, tmp_path: Path) -> str:
    return print_form(final, "J1", tmp_path / "forms")


def refused(final: Final, call: Any, message_id: str) -> str:
    """Run `call`, which must be refused with `message_id` and write nothing; the refusal
    in Chinese."""
    before = table_counts(final.master.home / DB_FILE)
    with pytest.raises(ActionRefused) as caught:
        call()
    assert caught.value.message.id == message_id
    assert table_counts(final.master.home / DB_FILE) == before
    said = caught.value.message.render("zh")
    assert "{" not in said
    return said


def test_two_operators_agreeing_make_the_judges_sheet(final: Final, form: str) -> None:
    values = text(good_values(final.event))
    first = desk(final, "王芳").enter(form, "L01", values)
    assert not first.agreed and first.entries == 1
    assert not [s for s in final.head.sheets("L01") if s.judge == "J1"], \
        "one typing counts for nothing"
    second = desk(final, "李强").enter(form.lower().replace("-", ""), "L01", values)
    assert second.agreed and second.round == 1
    (sheet,) = [s for s in final.head.sheets("L01") if s.judge == "J1"]
    assert sheet.paper is not None and sheet.device == ""
    assert sheet.paper.form == form and sheet.paper.operators == ("李强", "王芳")
    assert dict(sheet.values) == good_values(final.event)
    assert "J1" not in final.head.missing_sheets("L01")
    entries = [e for e in final.master.ledger.entries() if e.kind == "paper_entered"]
    assert [e.actor for e in entries] == ["operator:王芳", "operator:李强"]
    assert audit(final.master).ok


def test_a_slip_is_caught_and_only_the_differing_criterion_is_typed_again(
        final: Final, form: str) -> None:
    values = text(good_values(final.event))
    slip = {**values, "pitch": "5"}
    desk(final, "王芳").enter(form, "L02", values)
    outcome = desk(final, "李强").enter(form, "L02", slip)
    assert not outcome.agreed and outcome.differing == ("pitch",)
    assert not [s for s in final.head.sheets("L02") if s.judge == "J1"]
    third = desk(final, "张伟")
    (row,) = [r for r in third.rows(third.form(form)) if r.contestant.id == "L02"]
    assert row.status == "settle" and row.asked == ("pitch",)
    said = refused(final, lambda: third.enter(form, "L02", values), "paper_only_open")
    assert "pitch" in said
    assert third.enter(form, "L02", {"pitch": values["pitch"]}).agreed
    (sheet,) = [s for s in final.head.sheets("L02") if s.judge == "J1"]
    assert sheet.values["pitch"] == D(values["pitch"])
    assert sheet.paper is not None  # 李强 agreed with 王芳 on all but pitch
    assert set(sheet.paper.operators) == {"王芳", "李强", "张伟"}


def test_bad_input_is_refused_in_chinese_and_writes_nothing(final: Final, form: str,
                                                            tmp_path: Path) -> None:
    values = text(good_values(final.event))
    wang = desk(final, "王芳")
    off_step = {**values, "pitch": "10.3"}
    assert "步长" in refused(final, lambda: wang.enter(form, "L01", off_step), "value_off_step")
    too_high = {**values, "pitch": "21"}
    refused(final, lambda: wang.enter(form, "L01", too_high), "value_out_of_range")
    refused(final, lambda: wang.enter(form, "L99", values), "no_contestant")
    refused(final, lambda: wang.enter(form, "L01", {"pitch": "8"}), "paper_missing")
    refused(final, lambda: wang.enter(form, "L01", {**values, "charm": "3"}), "no_criterion")
    typo = form[:-1] + ("A" if form[-1] != "A" else "B")
    refused(final, lambda: wang.enter(typo, "L01", values), "form_code_typo")
    refused(final, lambda: wang.enter("not a code", "L01", values), "form_code_bad")
    # a sheet code of another kind of sheet is not a form
    (judge_sheet,) = print_sheets(final.head, ["judge"], ["J1"], out_dir=tmp_path / "j")
    refused(final, lambda: wang.enter(judge_sheet.code, "L01", values), "no_form")
    # J4 is recused from L04: the row is struck on J4's form
    j4 = print_form(final, "J4", tmp_path / "j4")
    assert "回避" in refused(final, lambda: wang.enter(j4, "L04", values), "form_struck")
    wang.enter(form, "L01", values)
    assert "另一名录入员" in refused(final, lambda: wang.enter(form, "L01", values),
                                  "paper_twice")
    with pytest.raises(ActionRefused):
        PaperDesk(final.master, "  ")


def test_an_agreed_sheet_is_revised_only_on_purpose_and_answers_the_review(
        final: Final, form: str) -> None:
    values = text(good_values(final.event))
    desk(final, "王芳").enter(form, "L03", values)
    desk(final, "李强").enter(form, "L03", values)
    refused(final, lambda: desk(final, "张伟").enter(form, "L03", values),
            "paper_agreed_already")
    review = final.head.request_review("J1", "请核对表达分 check expression", contestant="L03")
    corrected = {**values, "expression": "12"}
    first = desk(final, "王芳").enter(form, "L03", corrected, revise=True)
    assert first.round == 2 and not first.agreed
    (sheet,) = [s for s in final.head.sheets("L03") if s.judge == "J1"]
    assert sheet.revision == 1, "revision 1 counts until revision 2 is agreed"
    assert desk(final, "李强").enter(form, "L03", corrected).agreed
    (sheet,) = [s for s in final.head.sheets("L03") if s.judge == "J1"]
    assert sheet.revision == 2 and sheet.values["expression"] == D(12)
    (row,) = final.head.reviews(contestant="L03")
    assert row.id == review and row.status == "answered" and row.answer_record == sheet.hash


def test_discrepancy_rules_run_on_an_agreed_paper_sheet(final: Final, form: str) -> None:
    for judge in ("J2", "J3", "J4", "J5"):
        assert final.send(judge, "L01")["status"] == "accepted"
    low = {c: "0" for c in text(good_values(final.event))}
    desk(final, "王芳").enter(form, "L01", low)
    assert not final.head.flags(contestant="L01")
    desk(final, "李强").enter(form, "L01", low)
    assert any("J1" in f.judges for f in final.head.flags("open", "L01"))


def test_a_locked_contestant_refuses_paper_entries(final: Final, form: str) -> None:
    final.score("L05")
    final.head.lock("L05")
    refused(final, lambda: desk(final, "王芳").enter(form, "L05", text(good_values(
        final.event))), "locked")


def test_a_laptop_sheet_and_a_paper_sheet_conflict_until_the_head_judge_chooses(
        final: Final, form: str) -> None:
    final.score("L06")
    laptop = good_values(final.event)
    paper = {**text(laptop), "pitch": str(laptop["pitch"] + 1)}
    desk(final, "王芳").enter(form, "L06", paper)
    outcome = desk(final, "李强").enter(form, "L06", paper)
    assert outcome.agreed and outcome.conflict
    blockers = [b.id for b in final.head.lock_blockers("L06")]
    assert "blocker_sheet_conflict" in blockers
    refused(final, lambda: resolve_conflict(final.head, "J1", "L06", "paper", ""),
            "text_required")
    refused(final, lambda: resolve_conflict(final.head, "J1", "L06", "both", "x"),
            "conflict_keep")
    refused(final, lambda: resolve_conflict(final.head, "J2", "L06", "paper", "x"),
            "no_conflict")
    resolve_conflict(final.head, "J1", "L06", "laptop", "笔记本上的分数经评委确认 confirmed")
    (sheet,) = [s for s in final.head.sheets("L06") if s.judge == "J1"]
    assert sheet.paper is None and not sheet.conflict and sheet.values["pitch"] == laptop["pitch"]
    assert "blocker_sheet_conflict" not in [b.id for b in final.head.lock_blockers("L06")]
    # a newer laptop revision of the sheet kept still counts: only the paper was set aside
    assert final.send("J1", "L06", {**laptop, "pitch": laptop["pitch"] + 2})["status"] \
        == "accepted"
    (sheet,) = [s for s in final.head.sheets("L06") if s.judge == "J1"]
    assert sheet.paper is None and not sheet.conflict
    assert audit(final.master).ok


def test_keeping_paper_sets_the_laptop_sheet_aside_until_a_newer_one_arrives(
        final: Final, form: str) -> None:
    final.score("L08")
    laptop = good_values(final.event)
    paper = {**text(laptop), "pitch": str(laptop["pitch"] + 1)}
    for operator in ("王芳", "李强"):
        desk(final, operator).enter(form, "L08", paper)
    resolve_conflict(final.head, "J1", "L08", "paper", "笔记本故障 the laptop failed")
    (sheet,) = [s for s in final.head.sheets("L08") if s.judge == "J1"]
    assert sheet.paper is not None and not sheet.conflict
    assert final.send("J1", "L08", laptop)["status"] == "accepted"
    (sheet,) = [s for s in final.head.sheets("L08") if s.judge == "J1"]
    assert sheet.conflict and sheet.paper is None, "a newer laptop revision is a new conflict"


def test_the_judge_finishes_on_paper_and_the_results_equal_a_final_scored_on_laptops(
        tmp_path: Path, fixtures_dir: Path) -> None:
    """J3's laptop dies after the fifth contestant; J3 finishes on the paper form, typed
    twice (one operator slips once, a third settles it). The published results are those
    of the same final scored on laptops throughout."""
    folder = fixtures_dir / "livestream-final"
    documents = []
    for on_paper in (False, True):
        final = Final(tmp_path / f"home-{on_paper}",
                      load_event(folder / "event.toml"))
        try:
            order = [c.id for c in final.event.running_order()]
            form = print_form(final, "J3", tmp_path / f"forms-{on_paper}")
            slipped = False
            for sheet in read_sheets(final.event, folder / "sheets.csv"):
                if not on_paper or sheet.judge != "J3" or order.index(sheet.contestant) < 5:
                    assert final.send(sheet.judge, sheet.contestant, sheet.values)["status"] \
                        == "accepted"
                    continue
                values = text(dict(sheet.values))
                desk(final, "王芳").enter(form, sheet.contestant, values)
                if not slipped:
                    slipped = True
                    slip = {**values, "timing": "0"} if values["timing"] != "0" else \
                        {**values, "timing": "1"}
                    assert not desk(final, "李强").enter(form, sheet.contestant, slip).agreed
                    assert desk(final, "张伟").enter(form, sheet.contestant,
                                                     {"timing": values["timing"]}).agreed
                else:
                    assert desk(final, "李强").enter(form, sheet.contestant, values).agreed
            final.head.import_components("data", folder / "data.csv")
            close_everything(final)
            published = final.head.publish(("live", None), "")
            paper = [s for s in final.head.sheets() if s.paper is not None]
            assert bool(paper) == on_paper and all(s.judge == "J3" for s in paper)
            documents.append(published.document)
            assert audit(final.master).ok
        finally:
            final.close()
    assert documents[0] == documents[1]
    expected = json.loads((folder / "expected-results.json").read_text(encoding="utf-8"))
    assert without_kind(dict(documents[1])) == expected


def test_rows_follow_the_form_and_the_laptop_rows_are_not_asked(final: Final,
                                                               form: str) -> None:
    final.score("L01")
    wang = desk(final, "王芳")
    rows = wang.rows(wang.form(form))
    assert [r.contestant.id for r in rows] == [c.id for c in final.event.running_order()]
    statuses = {r.contestant.id: r.status for r in rows}
    assert statuses["L01"] == "laptop" and statuses["L02"] == "new"
    assert not any(r.status == "struck" for r in rows), "J1 is recused from nobody"
    assert current_sheets(final.master.ledger.conn, "L02") == []
