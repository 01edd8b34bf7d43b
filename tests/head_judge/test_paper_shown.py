"""Paper sheets everywhere sheets are shown: the ledger describers (console, dossier, export),
the Excel export's judges' sheet, the appeal dossier's revisions, the printed judge and
contestant sheets, and the console's revision list name a paper sheet as paper, with its
form's sheet code and the two operators who typed it.

J1 scores L01 and L02 on their laptop; the laptop dies and J1 scores L03 on the paper form,
which 王芳 and 李强 type in (李强 slips once, 张伟 settles it). J2's paper sheet for L01 is
typed beside J2's laptop sheet: a conflict the head judge resolves, keeping the paper one.
The form is recorded as printed (`sheet_printed` of kind `form`, as `head-judge print
--sheet form` records it); nothing here reads the form's PDF.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from head_judge.console.ledger_view import KINDS, LedgerCache, actor_name, kind_name
from head_judge.export import summarise
from head_judge.paper_desk import PaperDesk, resolve_conflict
from head_judge.paper_history import paper_revisions
from head_judge.projections import MasterProjections
from head_judge.scoring import plain
from sync.codes import encode_groups

from .test_actions import Final
from .test_master import good_values

D = Decimal


def record_form(final: Final, judge: str) -> str:
    """A printed paper form for `judge`, as the ledger records a print of it."""
    code = encode_groups(hashlib.sha256(f"form {judge}".encode()).digest()[:8])
    with final.master.write():
        final.head.record("sheet_printed", {
            "code": code, "kind": "form", "subject": judge, "digest": "0" * 64,
            "checkpoint": 1, "size": len(final.master.ledger)}, final.head.timestamp())
    return code


def typed(final: Final, operator: str, form: str, contestant: str,
          values: dict[str, Decimal]) -> None:
    PaperDesk(final.master, operator, clock=final.clock).enter(
        form, contestant, {c: str(v) for c, v in values.items()})


@pytest.fixture
def paper(final: Final) -> dict[str, str]:
    """The scene above; the forms' codes by judge."""
    values = good_values(final.event)
    slip = {**values, "pitch": values["pitch"] + 1}
    for contestant in ("L01", "L02"):
        final.send("J1", contestant)
    final.send("J2", "L01", good_values(final.event, D(1)))
    forms = {"J1": record_form(final, "J1"), "J2": record_form(final, "J2")}
    typed(final, "王芳", forms["J1"], "L03", values)
    typed(final, "李强", forms["J1"], "L03", slip)
    typed(final, "张伟", forms["J1"], "L03", {"pitch": values["pitch"]})
    typed(final, "王芳", forms["J2"], "L01", values)
    typed(final, "李强", forms["J2"], "L01", values)
    resolve_conflict(final.head, "J2", "L01", "paper", "笔记本死机，以纸质评分表为准")
    return forms


def test_the_scene_holds_two_paper_sheets(final: Final, paper: dict[str, str]) -> None:
    (j1,) = [s for s in final.head.sheets("L03") if s.judge == "J1"]
    assert j1.paper is not None and j1.paper.operators == ("张伟", "李强", "王芳")
    (j2,) = [s for s in final.head.sheets("L01") if s.judge == "J2"]
    assert j2.paper is not None and not j2.conflict
    revisions = paper_revisions(final.master.ledger.entries())
    assert [(r.judge, r.contestant, r.operators) for r in revisions] == [
        ("J1", "L03", ("张伟", "李强", "王芳")), ("J2", "L01", ("李强", "王芳"))]
    assert [r.hash for r in revisions] == [j1.hash, j2.hash], \
        "the same hash as the projections' agreed paper sheet"


# --- the describers ---------------------------------------------------------------------------


def test_every_kind_the_master_records_is_named_in_the_console() -> None:
    assert sorted(MasterProjections().kinds - {*KINDS, "device_confirmed"}) == []
    for kind in KINDS:
        assert kind_name(kind, "zh") != kind.replace("_", " ")


def test_the_console_says_who_typed_which_paper_sheet(final: Final,
                                                      paper: dict[str, str]) -> None:
    cache = LedgerCache(final.master)
    cache.update()
    entries = [e for e in cache.entries if e.kind == "paper_entered"]
    lines = [cache.describe(e, "zh") for e in entries]
    assert lines[0].startswith(
        f"L03：录入员 王芳 录入 J1 的纸质评分表第 1 版第 1 次录入（表单 {paper['J1']}）：")
    assert "第 3 次录入" in lines[2]
    assert cache.describe(entries[2], "en").startswith(
        "L03: operator 张伟 typed J1's paper sheet, revision 1, typing 3 (form ")
    assert actor_name(cache, entries[0].actor, "zh") == "录入员 王芳"
    assert actor_name(cache, entries[0].actor, "en") == "operator 王芳"
    assert kind_name("paper_entered", "zh") == "录入纸质评分表"
    (chosen,) = [e for e in cache.entries if e.kind == "sheet_conflict_resolved"]
    assert cache.describe(chosen, "zh") == ("L01：J2 同时有笔记本与纸质评分表，总裁判长保留纸质"
                                            "评分表：笔记本死机，以纸质评分表为准")
    assert cache.describe(chosen, "en").startswith(
        "L01: J2 had a laptop and a paper sheet; the head judge kept the paper sheet: ")
    (revision,) = [r for r in cache.revisions("L03") if r.judge == "J1"]
    assert (revision.form, revision.operators) == (paper["J1"], ("张伟", "李强", "王芳"))


def test_the_export_audit_trail_summarises_paper_entries(final: Final,
                                                         paper: dict[str, str]) -> None:
    entries = list(final.master.ledger.entries())
    first = next(e for e in entries if e.kind == "paper_entered")
    pitch = plain(good_values(final.event)["pitch"])
    assert summarise(first, "zh").startswith(
        f"L03：录入员 王芳 录入 J1 的纸质评分表第 1 版（表单 {paper['J1']}）：")
    assert f"pitch {pitch}" in summarise(first, "en")
    chosen = next(e for e in entries if e.kind == "sheet_conflict_resolved")
    assert summarise(chosen, "zh").endswith("总裁判长保留纸质评分表：笔记本死机，以纸质评分表为准")
    assert summarise(chosen, "en").startswith("L01: J2 had a laptop and a paper sheet; ")
