"""Registration import: the Jiangsu workbook through the shipped example mapping, personal data
left behind, every problem named by sheet and cell, nothing written on error, and the
`head-judge import-contestants` command."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from head_judge.cli import main
from sync.event_file import CONTESTANT_COLUMNS, load_event
from sync.problems import InputProblems
from sync.registration import (
    cell_name,
    contestants_csv,
    import_contestants,
    load_mapping,
    normalise_header,
    read_registrations,
)
from tests.conftest import TEST_DATA
from tests.events import BASE, Mutation, mutate, write_event

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "jiangsu-mapping.toml"

JIANGSU: Mutation = {
    # the shared test event, with the track and groups the example mapping fills in
    ("tracks",): [{"id": "cbec", "name": {"zh": "跨境电商", "en": "Cross-border e-commerce"}}],
    ("groups",): [{"id": "students", "name": {"zh": "学生组", "en": "Students"}},
                  {"id": "employees", "name": {"zh": "职工组", "en": "Employees"}}],
    ("contestants",): {"file": "contestants.csv"},
}


@pytest.fixture
def workbook() -> Path:
    return TEST_DATA / "registration" / "jiangsu-entry-forms.xlsx"


def rows_of(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel shows the Chinese"
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def personal_values(workbook: Path) -> set[str]:
    """Every ID number, phone number, height/weight and gender cell in the workbook, and the
    team leaders' names and phones on row 2."""
    book = openpyxl.load_workbook(workbook)
    found: set[str] = set()
    for sheet in book.worksheets:
        row2 = [c.value for c in sheet[2]]
        found |= {str(row2[4]), str(row2[6])}  # 领队, 手机
        for row in sheet.iter_rows(min_row=5, values_only=True):
            if row[2]:
                found |= {str(row[3]), str(row[4]), str(row[5]), str(row[6])}
    return {v for v in found if v not in ("None", "男", "女")}


# --- the fixture through the example mapping --------------------------------------------------


def test_the_jiangsu_workbook_maps_every_sheet(workbook: Path) -> None:
    rows = read_registrations(workbook, load_mapping(EXAMPLE))
    assert len(rows) == 13
    assert [r.values["id"] for r in rows] == [f"JS{i:03d}" for i in range(1, 14)]
    assert [(r.sheet, r.row) for r in rows[:4]] == [
        ("连云港职业技术学院", 5), ("连云港职业技术学院", 6), ("连云港职业技术学院", 7),
        ("江苏经贸职业技术学院", 5)]
    first = rows[0].values
    assert first == {"id": "JS001", "name": "黎杰雨", "members": "",
                     "organisation": "连云港职业技术学院", "track": "cbec", "group": "students",
                     "order": "", "instructor": "龙平志", "recuse": ""}
    by_org: dict[str, list[str]] = {}
    for r in rows:
        by_org.setdefault(r.values["organisation"], []).append(r.values["group"])
    assert by_org == {"连云港职业技术学院": ["students"] * 3,
                      "江苏经贸职业技术学院": ["students"] * 3,
                      "苏宁易购": ["employees"] * 4, "京东物流江苏": ["employees"] * 3}


def test_personal_data_never_reaches_the_output(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "contestants.csv"
    import_contestants(workbook, EXAMPLE, out)
    data = out.read_bytes()
    text = data.decode("utf-8-sig")
    secrets = personal_values(workbook)
    assert len(secrets) > 40  # ID numbers, phones, height/weight of 13 people, 4 leaders
    leaked = sorted(s for s in secrets if s in text)
    assert leaked == []
    assert "身份证" not in text and "320700" not in text and "139" not in text
    assert list(rows_of(data)[0]) == list(CONTESTANT_COLUMNS)


def test_the_output_loads_as_the_event_s_contestants_file(workbook: Path,
                                                          tmp_path: Path) -> None:
    event_file = write_event(tmp_path, mutate(BASE, JIANGSU))
    import_contestants(workbook, EXAMPLE, tmp_path / "contestants.csv", event=event_file)
    event = load_event(event_file)
    assert [c.id for c in event.contestants] == [f"JS{i:03d}" for i in range(1, 14)]
    assert event.contestant("JS007") is not None
    c = event.contestant("JS007")
    assert c is not None and (c.name, c.organisation, c.group) == ("程雨", "苏宁易购",
                                                                   "employees")


def test_an_event_check_that_fails_writes_nothing_and_names_the_sheet_row(
        workbook: Path, tmp_path: Path) -> None:
    event_file = write_event(tmp_path, mutate(BASE, {**JIANGSU, ("tracks", 0, "id"): "live"}))
    out = tmp_path / "contestants.csv"
    with pytest.raises(InputProblems) as raised:
        import_contestants(workbook, EXAMPLE, out, event=event_file)
    shown = [str(p) for p in raised.value.problems]
    assert f'{workbook}: sheet 连云港职业技术学院, row 5 (track): unknown track "cbec"; ' \
           "expected one of: live" in shown
    assert len(shown) == 13
    assert not out.exists()


# --- problems ---------------------------------------------------------------------------------


def make_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def form(org: str, *people: list[object]) -> list[list[object]]:
    return [["参赛回执"], ["单位（盖章）", org], [],
            ["序号", "组别", "姓 名", "身份证号", "指导老师"], *[list(p) for p in people]]


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str], Path]:
    def write_mapping(text: str) -> Path:
        path = tmp_path / "mapping.toml"
        path.write_text(text, encoding="utf-8")
        return path
    return write_mapping


def problems_of(workbook: Path, mapping: Path, out: Path) -> list[str]:
    with pytest.raises(InputProblems) as raised:
        import_contestants(workbook, mapping, out)
    assert not out.exists()
    return [str(p) for p in raised.value.problems]


def test_every_problem_names_the_sheet_and_cell_and_nothing_is_written(
        tmp_path: Path) -> None:
    book = make_book(tmp_path / "南京.xlsx", {
        "南京职院": form("南京职业技术学院",
                     [1, "学生组", "王一", "320100********1111", "李师"],
                     [2, "学生组", "王二", "320100********2222", "李师"],
                     [3, "学生组", None, "320100********3333", "李师"],
                     [4, "研究生组", "王四", "320100********4444", None],
                     [5, None, None, None, None],            # pre-numbered empty row
                     ["注：身份证号须真实", None, None, None]),  # a footnote
        "无单位": [["参赛回执"], ["单位（盖章）", None], [],
                ["序号", "组别", "姓名", "身份证号", "指导老师"], [1, "职工组", "赵六", "x", None]],
        "无表头": [["说明"], ["请按模板填写"]],
    })
    out = tmp_path / "contestants.csv"
    assert problems_of(book, EXAMPLE, out) == [
        f"{book}: sheet 南京职院, row 7, cell C7: 姓名 is empty",
        f'{book}: sheet 南京职院, row 8, cell B8: 组别 "研究生组" is not in the mapping '
        "(columns.group.values has 学生组, 职工组)",
        f"{book}: sheet 无单位, cell B2: organisation is empty (mapped from this cell of "
        "every sheet)",
        f"{book}: sheet 无表头: no header row with 姓名, 组别, 指导老师 in the first 10 rows",
    ]


def test_a_partial_header_row_says_what_is_missing(tmp_path: Path, write: Callable[[str], Path]
                                                   ) -> None:
    book = make_book(tmp_path / "b.xlsx", {"A": form("甲校", [1, "学生组", "王一", "x", "李"])})
    mapping = write(EXAMPLE.read_text(encoding="utf-8").replace('"指导老师"', '"指导教师"'))
    assert problems_of(book, mapping, tmp_path / "c.csv") == [
        f"{book}: sheet A, row 4: the header row has 姓名, 组别 but not 指导教师"]


def test_ids_from_a_column_are_checked_for_duplicates_across_sheets(
        tmp_path: Path, write: Callable[[str], Path]) -> None:
    rows: list[list[object]] = [["编号", "姓名", "单位"], ["A1", "王一", "甲校"],
                                ["A 2", "王二", "甲校"]]
    book = make_book(tmp_path / "b.xlsx", {"一": rows, "二": [["编号", "姓名", "单位"],
                                                              ["A1", "李三", "乙校"]]})
    mapping = write('[columns]\nid = "编号"\nname = "姓名"\norganisation = "单位"\n'
                    'track = { value = "t" }\n')
    assert problems_of(book, mapping, tmp_path / "c.csv") == [
        f'{book}: sheet 一, row 3, cell A3: id "A 2" is not an id: text without spaces, ":", '
        '";" or ","',
        f"{book}: sheet 二, row 2: duplicate id \"A1\" (also sheet 一, row 2)",
    ]


def test_mapping_mistakes_are_all_reported(write: Callable[[str], Path]) -> None:
    mapping = write("""
[workbook]
sheet = ["A"]
[columns]
name = { header = "姓名", cell = "B2" }
organisation = { cell = "2B" }
grup = "组别"
members = { header = "队员", join = "、" }
[id]
prefix = "J S"
digits = 0
""")
    with pytest.raises(InputProblems) as raised:
        load_mapping(mapping)
    assert [f"{p.where}: {p.message}" for p in raised.value.problems] == [
        'columns.grup: unknown key; did you mean "group"? expected one of id, name, members, '
        "organisation, track, group, order, instructor, recuse",
        "columns.name: expected exactly one of header, headers, cell, value or sheet_name "
        "(got header, cell)",
        "columns.members.join: join only goes with headers = [...]",
        'columns.organisation.cell: expected a cell like "B2", got "2B"',
        "columns.track: missing; this column is required",
        'id.prefix: expected text without spaces, ":", ";" or ","',
        "id.digits: expected a whole number from 1 to 9",
        'workbook.sheet: unknown key; did you mean "sheets"? expected one of sheets, '
        "skip_sheets, header_search_rows",
    ]


def test_sheet_names_joined_columns_and_value_maps(tmp_path: Path,
                                                   write: Callable[[str], Path]) -> None:
    book = make_book(tmp_path / "teams.xlsx", {
        "填表说明": [["请勿修改表头"]],
        "青岛大学": [["队名", "队员1", "队员2", "队员3", "赛道", "抽签号"],
                   ["海风队", "冯静", "龚明", None, "短视频", 2],
                   ["远航队", "沈军", None, None, "国际", 1]],
    })
    mapping = write("""
[workbook]
skip_sheets = ["填表说明"]
[columns]
name = "队名"
members = { headers = ["队员1", "队员2", "队员3"] }
organisation = { sheet_name = true }
track = { header = "赛道", values = { "短视频" = "video", "国际" = "intl" } }
order = "抽签号"
[id]
prefix = "T"
digits = 2
start = 7
""")
    out = tmp_path / "c.csv"
    import_contestants(book, mapping, out)
    assert [{k: v for k, v in r.items() if v} for r in rows_of(out.read_bytes())] == [
        {"id": "T07", "name": "海风队", "members": "冯静、龚明", "organisation": "青岛大学",
         "track": "video", "order": "2"},
        {"id": "T08", "name": "远航队", "members": "沈军", "organisation": "青岛大学",
         "track": "intl", "order": "1"}]


def test_an_existing_output_is_kept_unless_forced(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "contestants.csv"
    out.write_text("hand edited\n", encoding="utf-8")
    with pytest.raises(InputProblems, match="already exists; give --force"):
        import_contestants(workbook, EXAMPLE, out)
    assert out.read_text(encoding="utf-8") == "hand edited\n"
    import_contestants(workbook, EXAMPLE, out, overwrite=True)
    assert len(rows_of(out.read_bytes())) == 13


def test_headers_compare_without_spaces_width_or_required_marks() -> None:
    assert normalise_header(" 姓\u3000名* ") == "姓名"
    assert normalise_header("＊联系电话") == "联系电话"
    assert normalise_header("ＩＤ") == "ID"
    assert [cell_name(1, 1), cell_name(26, 7), cell_name(27, 2), cell_name(703, 9)] == \
        ["A1", "Z7", "AA2", "AAA9"]


def test_csv_text_is_quoted_where_needed() -> None:
    from sync.registration import Registration
    data = contestants_csv([Registration("s", 2, {**dict.fromkeys(CONTESTANT_COLUMNS, ""),
                                                  "id": "C1", "name": '王, "一"'})])
    assert rows_of(data)[0]["name"] == '王, "一"'


# --- the command ------------------------------------------------------------------------------


def test_the_command_imports_and_reports(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "contestants.csv"
    result = CliRunner().invoke(main, ["import-contestants", str(workbook), "--mapping",
                                       str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == (f"已从 4 个工作表读取 13 名选手，写入 {out}\n"
                             f"13 contestants from 4 sheet(s) written to {out}\n")
    again = CliRunner().invoke(main, ["import-contestants", str(workbook), "--mapping",
                                      str(EXAMPLE), "--out", str(out)])
    assert again.exit_code == 2
    assert again.output == (f"错误：{out}：已存在；要替换请加 --force\n"
                            f"error: {out}: already exists; give --force to replace it\n")


def test_the_command_exits_2_listing_problems(tmp_path: Path) -> None:
    book = make_book(tmp_path / "b.xlsx", {"甲": form("甲校", [1, "学生组", None, "x", "李"])})
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(main, ["import-contestants", str(book), "--mapping",
                                       str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output == (f"错误：{book}：工作表 甲 第 5 行 C5 单元格：姓名 为空\n"
                             f"error: {book}: sheet 甲, row 5, cell C5: 姓名 is empty\n")
    assert not out.exists()


def test_a_mapping_without_ids_says_how_to_get_them(write: Callable[[str], Path]) -> None:
    mapping = write('[columns]\nname = "姓名"\norganisation = "单位"\ntrack = "赛道"\n')
    with pytest.raises(InputProblems) as raised:
        load_mapping(mapping)
    assert [f"{p.where}: {p.message}" for p in raised.value.problems] == [
        'columns: no id: map columns.id = { header = "编号" } or generate ids with [id] '
        'prefix = "C"']
