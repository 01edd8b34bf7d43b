"""The registration import and people: duplicate rows (same name and organisation, or the
same ID-card number, which is read for matching only and never shown or written), width-
and space-insensitive organisations for recusal, near-match warnings against judges'
affiliations, and workbooks that are not .xlsx (issue 22, item 5)."""

from __future__ import annotations

import pickle
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from head_judge.cli import main
from sync.event_file import load_event
from sync.organisations import near_match, organisation_key, same_organisation
from sync.problems import InputProblems
from sync.registration import import_contestants, load_mapping, read_registrations
from tests.events import BASE, DELETE, mutate, write_event

ID_A = "23010119900101123X"
ID_B = "230101199202024567"
MAPPING = """
[columns]
name = "姓名"
organisation = "单位"
track = { value = "main" }
[id]
prefix = "C"
[match]
id_number = { header = "身份证号" }
"""


def book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def mapping(tmp_path: Path, text: str = MAPPING) -> Path:
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = ["姓名", "单位", "身份证号", "电话"]


# --- the helper -------------------------------------------------------------------------------


def test_organisations_compare_without_width_spaces_or_case() -> None:
    assert same_organisation("快手(黑龙江)", "快手（黑龙江）")
    assert same_organisation("快手 （黑龙江）", "快手(黑龙江)\u3000")
    assert same_organisation("ＡＢＣ Ltd", "abc ltd")
    assert not same_organisation("", "")
    assert not same_organisation("快手(黑龙江)", "快手(吉林)")
    assert organisation_key(" 快手（黑龙江） ") == "快手(黑龙江)"


@pytest.mark.parametrize(("a", "b", "why"), [
    ("快手科技有限公司", "快手科技分公司", "suffix"),
    ("快手", "快手(黑龙江)", "contains"),
    ("哈尔滨商业大学", "哈尔滨商业大学管理学院", "contains"),
    ("南京职业技术学院", "南京职业技朮学院", "spelling"),
    ("快手(黑龙江)", "快手（黑龙江）", None),  # the same, not near
    ("南京职院", "南通职院", None),  # too short for a spelling slip
    ("哈尔滨商业大学", "黑龙江省电子商务协会", None),
    ("A", "AB", None),  # one character contains nothing
    ("", "快手", None),
])
def test_a_near_match_follows_the_documented_rule(a: str, b: str, why: str | None) -> None:
    assert near_match(a, b) == why
    assert near_match(b, a) == why


def test_recusal_compares_organisations_without_width_or_spaces(tmp_path: Path) -> None:
    event = load_event(write_event(tmp_path, mutate(BASE, {
        ("judges", 0, "affiliation"): "快手(黑龙江)",
        ("contestants", "list", 0, "organisation"): "快手（黑龙江） ",
        ("contestants", "list", 1, "organisation"): "快手(吉林)",
        ("contestants", "list", 1, "recuse"): DELETE})))
    j1 = event.judges[0]
    c1, c2 = event.contestants
    assert event.is_recused(j1, c1)
    assert j1 not in event.panel_for(c1)
    assert not event.is_recused(event.judges[1], c1)
    assert not event.is_recused(j1, c2)


# --- duplicates -------------------------------------------------------------------------------


def test_the_same_name_and_organisation_is_reported_with_both_cells(tmp_path: Path) -> None:
    workbook = book(tmp_path / "报名.xlsx", {
        "一": [HEADER, ["王一", "快手(黑龙江)", None, "1"], ["李二", "甲校", None, "2"]],
        "二": [["说明"], HEADER, ["李二", "乙校", None, "3"],
               ["王 一", "快手（黑龙江）", None, "4"]],
    })
    out = tmp_path / "contestants.csv"
    with pytest.raises(InputProblems) as raised:
        import_contestants(workbook, mapping(tmp_path), out)
    (problem,) = raised.value.problems
    assert str(problem) == (
        f"{workbook}: sheet 二, row 4, cell A4: the same name and organisation as sheet 一, "
        "row 2, cell A2 (王 一, 快手（黑龙江）); if they are two people, map the ID-card column "
        "in the mapping's [match] so they can be told apart")
    assert problem.render("zh") == (
        f"{workbook}：工作表 二 第 4 行 A4 单元格：与工作表 一 第 2 行 A2 单元格重复：同名同单位"
        "（王 一，快手（黑龙江））；若确是两个人，请在映射文件 [match] 中映射身份证号列，以便区分")
    assert not out.exists()


def test_namesakes_with_different_id_numbers_are_two_people(tmp_path: Path) -> None:
    workbook = book(tmp_path / "b.xlsx", {"一": [HEADER, ["王一", "甲校", ID_A, "1"],
                                                 ["王一", "甲校", ID_B, "2"]]})
    rows = read_registrations(workbook, load_mapping(mapping(tmp_path)))
    assert [r.values["name"] for r in rows] == ["王一", "王一"]


def test_the_same_id_number_is_reported_and_the_number_is_never_shown(tmp_path: Path) -> None:
    workbook = book(tmp_path / "b.xlsx", {
        "一": [HEADER, ["王一", "甲校", ID_A, "13900000001"]],
        "二": [HEADER, ["李二", "乙校", ID_B, "13900000002"],
               ["王壹", "甲校", " " + ID_A.lower(), "13900000003"]],  # x = X, spaces ignored
    })
    result = CliRunner().invoke(main, ["import-contestants", str(workbook), "--mapping",
                                       str(mapping(tmp_path)), "--out",
                                       str(tmp_path / "c.csv")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"错误：{workbook}：工作表 二 第 3 行 C3 单元格："
        "与工作表 一 第 2 行 C2 单元格的身份证号相同：同一个人报名两次",
        f"error: {workbook}: sheet 二, row 3, cell C3: the same ID-card number as sheet 一, "
        "row 2, cell C2: one person entered twice"]
    assert not (tmp_path / "c.csv").exists()


def test_an_id_number_is_in_no_output_file_message_or_object(tmp_path: Path) -> None:
    workbook = book(tmp_path / "b.xlsx", {"一": [HEADER, ["王一", "甲校", ID_A, "1"],
                                                 ["李二", "乙校", ID_B, "2"]]})
    event_file = write_event(tmp_path, mutate(BASE, {("contestants",): {
        "file": "contestants.csv"}, ("judges", 0, "affiliation"): "甲校有限公司"}))
    out = tmp_path / "contestants.csv"
    result = CliRunner().invoke(main, ["import-contestants", str(workbook), "--mapping",
                                       str(mapping(tmp_path)), "--out", str(out), "--event",
                                       str(event_file)])
    assert result.exit_code == 0, result.output
    rows = read_registrations(workbook, load_mapping(mapping(tmp_path)))
    seen = [result.output, out.read_bytes().decode("utf-8-sig"), repr(rows),
            pickle.dumps(rows).decode("latin-1"), *(str(r.values) for r in rows)]
    seen += [p.read_text("utf-8", errors="replace") for p in tmp_path.iterdir()
             if p.suffix != ".xlsx"]
    for secret in (ID_A, ID_B, ID_A[-6:], ID_B[:6]):
        assert not [text for text in seen if secret in text]
    assert all(r.person for r in rows)  # compared all the same, as a keyed digest


# --- near matches with judges' affiliations ---------------------------------------------------


def test_an_organisation_close_to_a_judge_s_affiliation_is_a_warning(tmp_path: Path) -> None:
    workbook = book(tmp_path / "b.xlsx", {"一": [HEADER, ["王一", "快手（黑龙江） ", None, "1"],
                                                 ["李二", "B学院分院", None, "2"],
                                                 ["赵三", "B学院分院", None, "3"]]})
    event_file = write_event(tmp_path, mutate(BASE, {
        ("contestants",): {"file": "contestants.csv"},
        ("judges", 0, "affiliation"): "快手(黑龙江)"}))
    out = tmp_path / "contestants.csv"
    result = CliRunner().invoke(main, ["import-contestants", str(workbook), "--mapping",
                                       str(mapping(tmp_path)), "--out", str(out), "--event",
                                       str(event_file)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("已从 1 个工作表读取 3 名选手")
    assert result.output.splitlines()[2:] == [
        f"{workbook}：工作表 一 第 3 行 B3 单元格：注意：选手单位“B学院分院”与评委 J2 乙 的单位"
        "“B学院”相近但不相同（只差“有限公司”“分院”之类的通用后缀），不会自动回避；若是同一单位，请把两处写成一样",
        f'{workbook}: sheet 一, row 3, cell B3: warning: the organisation "B学院分院" is '
        'close to judge J2 乙\'s affiliation "B学院" but not the same '
        "(they differ only by a generic ending such as 有限公司 or 分院), so there is no "
        "recusal; if they are one organisation, write them the same"]
    event = load_event(event_file)  # the width variant is no warning: it is recused
    wang = next(c for c in event.contestants if c.name == "王一")
    assert event.is_recused(event.judges[0], wang)


# --- not .xlsx --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "zh", "en"), [
    ("报名.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
     "这是旧版 Excel 97–2003 工作簿（.xls），无法读取：请在 Excel 或 WPS 中打开，“另存为” Excel "
     "工作簿（.xlsx），再用 .xlsx 文件",
     "an old Excel 97–2003 workbook (.xls) cannot be read: open it in Excel or WPS, \"Save As\" "
     "an Excel Workbook (.xlsx) and give that file instead"),
    ("报名.ods", b"PK\x03\x04" + bytes(26) + b"mimetypeapplication/vnd.oasis.opendocument."
     b"spreadsheetPK",
     "这是 OpenDocument 表格（.ods），无法读取：请在 WPS、LibreOffice 或 Excel 中打开，“另存为” "
     "Excel 工作簿（.xlsx），再用 .xlsx 文件",
     "an OpenDocument spreadsheet (.ods) cannot be read: open it in WPS, LibreOffice or Excel, "
     "\"Save As\" an Excel Workbook (.xlsx) and give that file instead"),
], ids=["xls", "ods"])
def test_xls_and_ods_get_save_as_xlsx_advice(tmp_path: Path, name: str, data: bytes, zh: str,
                                             en: str) -> None:
    workbook = tmp_path / name
    workbook.write_bytes(data)
    result = CliRunner().invoke(main, ["import-contestants", str(workbook), "--mapping",
                                       str(mapping(tmp_path)), "--out",
                                       str(tmp_path / "c.csv")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [f"错误：{workbook}：{zh}", f"error: {workbook}: {en}"]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "c.csv").exists()


def _docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "what"), [
    ("报名.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it is a PDF document"),
    ("报名.xlsx", "姓名,单位\n王一,甲校\n".encode(),
     "it is a text file named .xlsx; if it is CSV, name it .csv"),
    ("报名.xlsx", bytes(range(256)) * 8, "its content is binary data, not text"),
    ("scores.csv", bytes(range(256)) * 8, "its content is binary data, not text"),
    ("报名.xlsx", b"", "the file is empty"),
    ("报名.xlsx", _docx(), "it is a Word document"),
], ids=["pdf", "text-named-xlsx", "binary-xlsx", "binary-csv", "empty", "docx"])
def test_a_file_that_is_not_a_spreadsheet_is_refused_as_such(tmp_path: Path, name: str,
                                                             data: bytes, what: str) -> None:
    from sync.tabular import read_table, read_workbook

    path = tmp_path / name
    path.write_bytes(data)
    expected = (f"{path}: not a spreadsheet ({what}): expected a CSV file or an Excel workbook "
                "(.xlsx)")
    for read in (read_table, read_workbook):
        with pytest.raises(InputProblems) as raised:
            read(path)
        assert [str(p) for p in raised.value.problems] == [expected]
        assert raised.value.render("zh").startswith(f"{path}：不是电子表格（")
    result = CliRunner().invoke(main, ["import-contestants", str(path), "--mapping",
                                       str(mapping(tmp_path)), "--out",
                                       str(tmp_path / "c.csv")])
    assert result.exit_code == 2
    assert result.output.splitlines()[1] == f"error: {expected}"
    assert "Traceback" not in result.output


def test_an_event_file_that_names_no_contestants_csv_cannot_check_an_import(
        tmp_path: Path) -> None:
    """`--event` with an event whose contestants are not a .csv beside it: said in Chinese
    then English, nothing written."""
    workbook = book(tmp_path / "b.xlsx", {"一": [HEADER, ["王一", "甲校", None, "1"]]})
    out = tmp_path / "out.csv"
    for contestants, chinese, english in (
            ({"list": []}, '要核对导入，赛事文件必须写明选手文件（file = "contestants.csv"）',
             'the event file must name a contestants file (file = "contestants.csv") to check '
             "an import against it"),
            ({"file": "sub/contestants.csv"},
             "要核对导入，赛事的选手文件必须是赛事文件旁边的 .csv 文件",
             "to check an import, the event's contestants file must be a .csv next to the event "
             "file")):
        event_file = write_event(tmp_path, mutate(BASE, {("contestants",): contestants}))
        result = CliRunner().invoke(main, ["import-contestants", str(workbook), "--mapping",
                                           str(mapping(tmp_path)), "--out", str(out), "--event",
                                           str(event_file)])
        assert result.exit_code == 2, result.output
        zh, en = result.stderr.splitlines()
        assert zh.startswith("错误：") and zh.endswith(chinese)
        assert en.startswith("error: ") and en.endswith(english)
        assert not out.exists()
