"""The Excel export ready to print and to open anywhere: sheet names every spreadsheet
accepts, A4 page setup on every sheet, a recused judge and a missing mark told apart, and the
workbook converted by headless LibreOffice with the figures read back (issue 21, item 7)."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from head_judge.export import BLANK_FILLS, export_xlsx, sheet_title

from .test_actions import Final, fixture_final
from .test_export import SHEETS, table
from .test_master import fixture_event

NOW = dt.datetime(2020, 9, 26, 10, 0, tzinfo=dt.UTC)
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Iterator[Final]:
    opened = Final(tmp_path_factory.mktemp("home") / "home", fixture_event(fixtures_dir))
    fixture_final(opened, fixtures_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def workbook(scored: Final, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "final.xlsx"
    export_xlsx(scored.head, path, now=NOW, tz=CST)
    return path


# --- sheet names ------------------------------------------------------------------------------


def test_sheet_titles_are_names_every_spreadsheet_accepts() -> None:
    assert sheet_title("评委评分 Judges' sheets") == "评委评分 Judges’ sheets"
    assert sheet_title("'It's'") == "’It’s’"
    assert sheet_title("a/b:c*d?e[f]g\\h") == "a b c d e f g h"
    long = "成绩 Results of the national livestream sales final"
    assert sheet_title(long) == long[:31]
    assert sheet_title(long, [long[:31]]) == long[:27].rstrip() + " (2)"
    assert sheet_title("Results", ["results", "Results (2)"]) == "Results (3)"
    assert sheet_title(" / ") == "Sheet"
    for name in (sheet_title(long, [long[:31]]), sheet_title("x" * 40, ["x" * 31])):
        assert len(name) <= 31


def test_defined_names_quote_the_sheet_titles(workbook: Path) -> None:
    """Every sheet's title has no ASCII apostrophe and the autofilter and print-title defined
    names refer to it quoted as spreadsheets read it back (gnumeric rejected `Judges' sheets`)."""
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == SHEETS
    for name in book.sheetnames:
        assert "'" not in name and len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
    xml = zipfile.ZipFile(workbook).read("xl/workbook.xml").decode("utf-8")
    names = re.findall(r'<definedName name="([^"]+)" localSheetId="(\d+)"[^>]*>([^<]+)<', xml)
    filters = {int(i): ref for n, i, ref in names if n == "_xlnm._FilterDatabase"}
    titles = {int(i): ref for n, i, ref in names if n == "_xlnm.Print_Titles"}
    assert sorted(filters) == sorted(titles) == list(range(len(SHEETS)))
    for index, title in enumerate(book.sheetnames):
        quoted = "'" + title.replace("'", "''") + "'!"
        assert filters[index].startswith(quoted + "$A$4:$"), filters[index]
        assert titles[index].startswith(quoted), titles[index]


# --- page setup -------------------------------------------------------------------------------


def test_every_sheet_prints_on_a4_fitted_to_the_width(workbook: Path, scored: Final) -> None:
    book = openpyxl.load_workbook(workbook)
    orientation = {}
    for ws in book.worksheets:
        setup = ws.page_setup
        assert str(setup.paperSize) == str(ws.PAPERSIZE_A4), ws.title
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_options.gridLines
        assert ws.print_title_rows == "$4:$4"  # the header row on every page
        orientation[ws.title] = setup.orientation
        header, footer = ws.oddHeader, ws.oddFooter
        assert header.left.text.startswith(scored.event.name.both(scored.event.languages))
        assert header.right.text == ws.title
        assert footer.center.text == "第 &P 页，共 &N 页 page &P of &N"
        widths = sum(ws.column_dimensions[c.column_letter].width for c in ws[4])
        assert setup.orientation == ("landscape" if widths > 95 else "portrait")
    # the score matrix and the audit trail are wide; the identifying columns repeat
    assert orientation == dict.fromkeys(SHEETS, "landscape")
    assert book[SHEETS[0]].print_title_cols == "$A:$D"
    assert book[SHEETS[1]].print_title_cols == "$A:$D"
    # the print area ends before the columns only a screen can use (hash, canonical JSON),
    # whose text would otherwise spill past the right edge and shrink the page to nothing
    for ws in book.worksheets:
        [area] = ws.print_area if isinstance(ws.print_area, list) else [ws.print_area]
        last = area.rpartition("$")[0].rpartition("$")[2] if "$" in area else ""
        header = {c.column_letter: c.value for c in ws[4]}
        assert header[last] == {SHEETS[0]: "备注\nNote", SHEETS[1]: "账本位置\nLedger entry",
                                SHEETS[2]: "与上一版相比\nChanges from the version before",
                                SHEETS[3]: "名次或奖项变动\nRank or prize moved",
                                SHEETS[4]: "哈希\nHash"}[ws.title], area


def test_wide_sheets_keep_screen_columns_off_paper_and_wrap_headers(workbook: Path) -> None:
    """The judges' sheets print without the device's id and clock (screen columns, last), a
    header wraps at its spaces instead of widening its column (the row is tall enough for
    it), and free text wraps within a capped width: the page is not scaled down to nothing."""
    from head_judge.export import WRAPPED_WIDTH, _wrapped_lines
    from sync.phrases import cells

    ws = openpyxl.load_workbook(workbook)[SHEETS[1]]
    headers = [c.value for c in ws[4]]
    [area] = ws.print_area if isinstance(ws.print_area, list) else [ws.print_area]
    last = area.rpartition("$")[0].rpartition("$")[2]
    printed = headers[:[c.column_letter for c in ws[4]].index(last) + 1]
    assert printed[-1] == "账本位置\nLedger entry"
    assert headers[len(printed):] == ["设备时间\nDevice time", "设备\nDevice", "哈希\nHash"]
    widths = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[4]}
    criteria = [h for h in headers if "≤" in h]
    assert criteria and all(
        widths[h] < max(cells(line) for line in h.split("\n")) for h in criteria)
    lines = max(_wrapped_lines(h, int(widths[h]) - 1) for h in printed)
    assert lines > max(h.count("\n") + 1 for h in printed)
    assert ws.row_dimensions[4].height == 15 * lines + 3
    for h in ("修改原因\nReason", "评语\nComment", "总裁判长改分\nHead judge's overrides"):
        assert widths[h] <= WRAPPED_WIDTH
    assert sum(widths[h] for h in printed) < 300  # was 384 with every column at full width
    assert _wrapped_lines("Head judge's overrides", 10) == 3
    assert _wrapped_lines("总裁判长改分\nSuperlongword x", 5) == 6  # 5+5+2 / 5+5+3, x
    assert _wrapped_lines("ab cd", 5) == 1


def test_rows_with_wrapped_text_are_as_tall_as_their_lines(workbook: Path) -> None:
    """LibreOffice keeps a loaded row's height, so a row whose wrapped text takes more lines
    (the audit trail's 64-digit hash on two, a multi-line note) says its height; else the
    text overlaps the row below on paper."""
    book = openpyxl.load_workbook(workbook)
    audit = book[SHEETS[-1]]
    rows = range(5, 5 + len(table(audit)))
    assert all((audit.row_dimensions[r].height or 15) >= 30 for r in rows)  # the hash: 2 lines
    hash_cell = audit.cell(5, [c.value for c in audit[4]].index("哈希\nHash") + 1)
    assert len(hash_cell.value) == 64 and hash_cell.alignment.wrap_text
    for ws in book.worksheets:
        for r in range(5, 5 + len(table(ws))):
            lines = max((str(c.value).count("\n") + 1 for c in ws[r] if c.value is not None),
                        default=1)
            height = ws.row_dimensions[r].height
            assert (height or 15) >= 15 * lines, (ws.title, r)


def test_an_ampersand_in_the_event_name_is_not_a_header_code(tmp_path: Path,
                                                             fixtures_dir: Path) -> None:
    import dataclasses

    from sync.event import Text

    event = fixture_event(fixtures_dir)
    event = dataclasses.replace(event, name=Text("直播&电商", "Live & e-commerce"))
    final = Final(tmp_path / "home", event)
    try:
        export_xlsx(final.head, tmp_path / "x.xlsx", now=NOW, tz=CST)
    finally:
        final.close()
    header = openpyxl.load_workbook(tmp_path / "x.xlsx").worksheets[0].oddHeader.left.text
    assert header.startswith("直播&&电商 Live && e-commerce")


# --- recused, excused, not scored ---------------------------------------------------------------


def test_recused_excused_and_missing_marks_look_different(tmp_path: Path,
                                                          fixtures_dir: Path) -> None:
    event = fixture_event(fixtures_dir)
    final = Final(tmp_path / "home", event)
    try:
        contestant = next(c for c in event.contestants
                          if any(event.is_recused(j, c) for j in event.judges))
        panel = event.panel_for(contestant)
        excused, missing = panel[0].id, panel[1].id
        recused = next(j.id for j in event.judges if event.is_recused(j, contestant))
        for judge in panel[2:]:
            assert final.send(judge.id, contestant.id)["status"] == "accepted"
        final.head.excuse_judge(excused, "病假 ill", [contestant.id])
        export_xlsx(final.head, tmp_path / "x.xlsx", now=NOW, tz=CST)
    finally:
        final.close()
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx")[SHEETS[0]]
    [row] = [r for r in table(ws) if r["编号\nID"].value == contestant.id]
    cells = {judge.id: row[f"{judge.id}\n{judge.name.zh}"] for judge in event.judges}
    seen = {(cells[j].value, cells[j].fill.fgColor.rgb) for j in (recused, excused, missing)}
    assert seen == {("回避 recused", "00" + BLANK_FILLS["recused"]),
                    ("免评 excused", "00" + BLANK_FILLS["excused"]),
                    ("未评 not scored", "00" + BLANK_FILLS["not_scored"])}
    assert len({fill for _, fill in seen}) == 3
    # the legend under the table explains each, on the same fill
    legend = {c.value: c.fill.fgColor.rgb for c in ws["A"][4 + len(table(ws)):] if c.value}
    assert legend["图例 Legend"] == "00000000"
    for why, starts in (("recused", "回避："), ("excused", "免评："), ("not_scored", "未评：")):
        [text] = [t for t in legend if t.startswith(starts)]
        assert legend[text] == "00" + BLANK_FILLS[why], why


# --- LibreOffice reads it back ------------------------------------------------------------------


@pytest.fixture(scope="module")
def converted(workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[
        list[str]]]:
    """Every sheet of the export as LibreOffice shows it (CSV of the displayed text), from one
    headless conversion."""
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs libreoffice-calc-nogui)")
    out = tmp_path_factory.mktemp("lo")
    profile = tmp_path_factory.mktemp(f"lo-profile-{os.getpid()}")
    # 44 ','  34 '"'  76 UTF-8  row 1  ...  true: save cell contents as shown  -1: every sheet
    options = "44,34,76,1,,0,false,true,true,false,false,-1"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(out),
         str(workbook)], capture_output=True, text=True, timeout=180, check=False)
    files = sorted(out.glob("*.csv"))
    assert done.returncode == 0 and files, done.stdout + done.stderr
    sheets = {}
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            sheets[path.stem.removeprefix(workbook.stem + "-")] = list(csv.reader(handle))
    return sheets


def test_libreoffice_opens_every_sheet(converted: dict[str, list[list[str]]]) -> None:
    assert sorted(converted) == sorted(SHEETS)


def test_libreoffice_shows_the_masters_finals_and_ranks(converted: dict[str, list[list[str]]],
                                                        scored: Final) -> None:
    rows = converted[SHEETS[0]]
    header = rows[3]
    rank, cid, final = (header.index(h) for h in ("名次\nRank", "编号\nID", "最终得分\nFinal"))
    shown = {row[cid]: (row[rank], row[final]) for row in rows[4:] if len(row) > final
             and row[rank]}
    expected: dict[str, tuple[str, str]] = {}
    for scope in scored.head.current_results().scopes:
        for s in scope.ranking:
            expected[s.contestant] = (str(s.rank), str(s.final))
    assert expected and shown == expected
    # a recused judge's cell reads as the word, not as an empty (missing) cell
    assert any("回避 recused" in row for row in rows[4:])


def test_libreoffice_shows_one_judges_totals_exactly(converted: dict[str, list[list[str]]],
                                                     scored: Final) -> None:
    """One judge's total for every contestant, as LibreOffice displays it, is the master's
    Decimal written out; where the judge has no total the cell says why, never a number."""
    rows = converted[SHEETS[0]]
    header = rows[3]
    event = scored.event
    judge = event.judges[0]
    column, cid = header.index(f"{judge.id}\n{judge.name.zh}"), header.index("编号\nID")
    shown = {row[cid]: row[column] for row in rows[4:] if len(row) > column and row[cid]}
    expected = {s.contestant: s.judges.get(judge.id)
                for scope in scored.head.current_results().scopes for s in scope.ranking}
    scored_here = {c: str(v) for c, v in expected.items() if v is not None}
    assert len(scored_here) >= 3
    assert {c: shown[c] for c in scored_here} == scored_here
    for c in set(expected) - set(scored_here):
        assert shown[c] in {"回避 recused", "免评 excused", "未评 not scored"}, (c, shown[c])


def test_the_blank_words_are_the_sheets_and_consoles_words() -> None:
    """The export says 回避 / 免评 / 未评 exactly as the printed sheets (and the console and
    the terminal, for 回避 and 免评) do."""
    from head_judge.export import WORDS as EXPORT
    from printouts.words import WORDS as SHEET_WORDS

    for key in ("recused", "excused", "not_scored"):
        assert EXPORT[key] == SHEET_WORDS[key], key
