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
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from head_judge.appeals import dossier, file_appeal
from head_judge.cli import main
from head_judge.console.ledger_view import KINDS, LedgerCache, actor_name, kind_name
from head_judge.console.state import Terminal, read_matrix
from head_judge.console.widgets.judge_panel import JudgePanel
from head_judge.console.widgets.matrix_table import cell_text, total_width
from head_judge.export import export_xlsx, summarise
from head_judge.master import Master
from head_judge.paper_desk import PaperDesk, resolve_conflict
from head_judge.paper_history import paper_revisions
from head_judge.printing import print_sheets
from head_judge.projections import MasterProjections
from head_judge.scoring import plain
from sync.codes import encode_groups

from .test_actions import Final
from .test_export import NOW
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
    assert lines[0] == f"王芳 录入 J1 对 L03 的纸质评分表（第 1 版第 1 次录入，表单 {paper['J1']}）"
    assert "第 3 次录入" in lines[2]
    assert cache.describe(entries[2], "en").startswith(
        "张伟 typed J1's paper sheet for L03 (revision 1, entry 3, form ")
    assert all("pitch" not in line for line in lines), "the console lists no values"
    assert actor_name(cache, entries[0].actor, "zh") == "录入员 王芳"
    assert actor_name(cache, entries[0].actor, "en") == "operator 王芳"
    assert kind_name("paper_entered", "zh") == "录入纸质评分表"
    (chosen,) = [e for e in cache.entries if e.kind == "sheet_conflict_resolved"]
    assert cache.describe(chosen, "zh") == \
        "J2 → L01：保留纸质评分表，原因：笔记本死机，以纸质评分表为准"
    assert cache.describe(chosen, "en").startswith("J2 → L01: the paper sheet kept, reason: ")
    (revision,) = [r for r in cache.revisions("L03") if r.judge == "J1"]
    assert (revision.form, revision.operators) == (paper["J1"], ("张伟", "李强", "王芳"))


def test_the_export_audit_trail_summarises_paper_entries(final: Final,
                                                         paper: dict[str, str]) -> None:
    entries = list(final.master.ledger.entries())
    first = next(e for e in entries if e.kind == "paper_entered")
    pitch = plain(good_values(final.event)["pitch"])
    assert summarise(first, "zh").startswith(
        f"王芳 录入 J1 对 L03 的纸质评分表第1版（表单 {paper['J1']}）：")
    assert f"pitch {pitch}" in summarise(first, "en")
    chosen = next(e for e in entries if e.kind == "sheet_conflict_resolved")
    assert summarise(chosen, "zh") == "J2 / L01：保留纸质评分表：笔记本死机，以纸质评分表为准"
    assert summarise(chosen, "en").startswith("J2 / L01: paper sheet kept: ")


# --- the export's judges' sheet ---------------------------------------------------------------


def test_the_export_marks_paper_sheets_and_names_the_operators(
        final: Final, paper: dict[str, str], tmp_path: Path) -> None:
    out = export_xlsx(final.head, tmp_path / "final.xlsx", now=NOW).path
    sheet = openpyxl.load_workbook(out)["评委评分 Judges’ sheets"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0] and str(r[0]).startswith("评委"))
    names = [str(h) for h in rows[header]]
    col = {key: next(i for i, h in enumerate(names) if h.startswith(key))
           for key in ("评委\n", "编号", "签名", "状态", "设备\n")}
    body = rows[header + 1:]

    def row(judge: str, contestant: str) -> list[object]:
        found = [r for r in body if (r[col["评委\n"]], r[col["编号"]]) == (judge, contestant)]
        return found

    (j1,) = row("J1", "L03")
    assert j1[col["签名"]] == (f"纸质：表单 {paper['J1']}，录入员 张伟、李强、王芳 paper: "
                              f"form {paper['J1']}, typed by 张伟, 李强, 王芳")
    assert j1[col["设备\n"]] in ("", None)
    assert j1[col["状态"]] == "现行 In force"
    laptop, on_paper = row("J2", "L01")
    assert laptop[col["状态"]] == "未选定（不计分） Set aside"
    assert on_paper[col["状态"]] == "现行 In force"
    assert str(on_paper[col["签名"]]).startswith("纸质")


# --- the appeal dossier -----------------------------------------------------------------------


def test_the_dossier_holds_the_paper_sheet_and_who_typed_what(final: Final,
                                                              paper: dict[str, str]) -> None:
    filed = file_appeal(final.head, "L03", "评分有误", "领队")
    found = dossier(final.head, filed.id)
    (revision,) = [r for r in found.revisions if r.judge == "J1"]
    assert revision.signature == "paper" and revision.device == ""
    assert (revision.form, revision.operators) == (paper["J1"], ("张伟", "李强", "王芳"))
    assert len(revision.entries) == 3, "王芳's and 李强's, then 张伟's settling the slip"
    document = found.to_document()
    (shown,) = [r for r in document["revisions"] if r["judge"] == "J1"]
    assert shown["paper"] == {"form": paper["J1"], "operators": ["张伟", "李强", "王芳"],
                              "entries": list(revision.entries)}
    typings = [h for h in found.history if h.kind == "paper_entered"]
    assert [h.actor for h in typings] == ["operator:王芳", "operator:李强", "operator:张伟"]
    slip = typings[1].summary.render("zh")
    pitch = plain(good_values(final.event)["pitch"] + 1)
    assert slip.startswith("录入员 李强 录入 J1 的纸质评分表第 1 版（表单 ")
    assert f"pitch {pitch}" in slip, "the dossier shows the values each operator typed"


# --- printed sheets ---------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_judge_sheet_marks_paper_sheets_with_the_form_and_operators(
        final: Final, paper: dict[str, str], tmp_path: Path) -> None:
    printed = print_sheets(final.head, ["judge", "contestant"], ["J1", "L01"],
                           out_dir=tmp_path)
    judge = next(p for p in printed if p.kind == "judge")
    text = pdf_text(judge.file)
    assert "纸质" in text and paper["J1"] in text
    assert f"表单码 Sheet code {paper['J1']}" in text
    assert "录入员 typed by 张伟、李强、王芳" in text
    contestant = next(p for p in printed if p.kind == "contestant")
    text = pdf_text(contestant.file)
    assert "纸质" in text and paper["J2"] in text, "J2's paper sheet for L01 is the one kept"


def test_a_laptop_sheet_prints_as_before(final: Final, tmp_path: Path) -> None:
    """A final without paper sheets: no paper word on the sheet, the same content as ever."""
    final.send("J1", "L01")
    (printed,) = print_sheets(final.head, ["judge"], ["J1"], out_dir=tmp_path)
    assert "纸质" not in pdf_text(printed.file)


# --- the console ------------------------------------------------------------------------------


def test_the_matrix_and_the_judge_panel_mark_paper(final: Final, paper: dict[str, str]) -> None:
    matrix = read_matrix(final.head)
    rows = {r.contestant.id: r for r in matrix.rows}
    cell = rows["L03"].cells["J1"]
    assert cell.paper and not rows["L02"].cells["J1"].paper
    assert cell_text(cell, total_width(final.event)).plain.endswith("p")
    progress = {p.judge.id: p for p in matrix.progress}
    assert (progress["J1"].paper, progress["J2"].paper, progress["J3"].paper) == (1, 1, 0)
    judge = final.event.judges[0]
    gone = JudgePanel._cells(progress["J1"], None, "zh", NOW, str)
    assert str(gone["terminal"]) == "纸 纸质评分（1 份）"
    offline = Terminal(judge, "d1", "laptop", False, None, None, None)
    assert str(JudgePanel._cells(progress["J1"], offline, "en", NOW, str)["terminal"]) \
        == "P on paper (1)"
    online = Terminal(judge, "d1", "laptop", True, None, None, None)
    assert str(JudgePanel._cells(progress["J1"], online, "en", NOW, str)["terminal"]) \
        == "● online", "a laptop back online is shown as such"
    assert str(JudgePanel._cells(progress["J3"], None, "en", NOW, str)["terminal"]) \
        == "- not enrolled"


def test_the_dossier_command_names_the_form_and_operators(final: Final,
                                                         paper: dict[str, str]) -> None:
    filed = file_appeal(final.head, "L03", "评分有误", "领队")
    home = final.master.home
    final.close()
    try:
        result = CliRunner().invoke(main, ["--home", str(home), "appeal", "dossier",
                                           str(filed.id)])
    finally:
        final.master = Master.open(home, now=NOW)  # for the fixture's close()
    assert result.exit_code == 0, result.output
    assert f"J1 revision 1  total 50  paper: form {paper['J1']}, typed by 张伟, 李强, 王芳" \
        in result.output
