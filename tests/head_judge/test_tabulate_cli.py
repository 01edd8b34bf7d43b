"""`head-judge tabulate`: the paper fallback, end to end through the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from head_judge.cli import main

FINALS = {  # final -> imported component, its file, the contestants who did not compete
    "livestream-final": ("data", "data.csv", ("L18",)),
    "roadshow-final": ("stage", "stage.csv", ()),
    "roadshow-awards": ("stage", "stage.csv", ()),
}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("head-judge")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True,
                          timeout=60, check=False)


def without_kind(document: dict) -> dict:  # type: ignore[type-arg]
    """The expected documents predate our extra `kind` key on unresolved entries, each scope's
    `absent` and the `missing` list."""
    return {**{k: v for k, v in document.items() if k != "missing"},
            "scopes": [{k: v for k, v in s.items() if k != "absent"}
                       for s in document["scopes"]],
            "unresolved": [{k: v for k, v in u.items() if k != "kind"}
                           for u in document["unresolved"]]}


@pytest.mark.parametrize("final", sorted(FINALS))
def test_fixture_reproduces_expected_results(fixtures_dir: Path, final: str) -> None:
    folder = fixtures_dir / final
    component, file, absent = FINALS[final]
    result = run("tabulate", folder / "event.toml", "--scores", folder / "sheets.csv",
                 "--component", f"{component}={folder / file}", "--json",
                 *(f"--absent={cid}" for cid in absent))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # complete: nothing to warn about
    expected = json.loads((folder / "expected-results.json").read_text(encoding="utf-8"))
    for scope in expected["scopes"]:
        for entry in scope["ranking"]:
            entry.pop("crit", None)  # the criterion means, for reference: not in the document
    document = json.loads(result.stdout)
    assert without_kind(document) == expected
    assert [cid for scope in document["scopes"] for cid in scope["absent"]] == list(absent)
    assert document["missing"] == []


def test_plain_output_is_a_bilingual_table(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    result = CliRunner().invoke(main, ["tabulate", str(folder / "event.toml"), "--scores",
                                       str(folder / "sheets.csv"), "--component",
                                       f"data={folder / 'data.csv'}", "--absent", "L18"])
    assert result.exit_code == 0, result.output
    out = result.output
    for text in ("直播销售 Livestream sales", "名次", "Rank", "L08 姚梓飞", "南岗区总工会",
                 "[92]", "92.96", "一等奖", "First prize", "优秀奖", "— 回避 recused"):
        assert text in out
    assert out.index("L08") < out.index("L07") < out.index("L02")


def copy_final(fixtures_dir: Path, tmp_path: Path, final: str = "livestream-final") -> Path:
    target = tmp_path / final
    shutil.copytree(fixtures_dir / final, target)
    return target


def tabulate_in(folder: Path, sheets: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return run("tabulate", folder / "event.toml", "--scores", folder / sheets, *extra)


HEADER = "judge,contestant,appearance,expression,pitch,highlights,timing,adaptability,integrity"


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        ("J9,L01,8,12,16,12,8,12,12", "line 2, column judge", "unknown judge 'J9'"),
        ("J1,L99,8,12,16,12,8,12,12", "line 2, column contestant", "unknown contestant 'L99'"),
        ("J1,L01,11,12,16,12,8,12,12", "line 2, column appearance", "outside 0–10"),
        ("J1,L01,8.25,12,16,12,8,12,12", "line 2, column appearance", "multiple of the step 0.5"),
        ("J1,L01,abc,12,16,12,8,12,12", "line 2, column appearance", "is not a score"),
        ("J1,L01,-1,12,16,12,8,12,12", "line 2, column appearance", "is not a score"),
        ("J1,L01,,12,16,12,8,12,12", "line 2, column appearance", "is not a score"),
        ("J1,L01,8,12,16,12,8,12,12\nJ1,L01,8,12,16,12,8,12,12", "line 3",
         "already scored L01 on line 2"),
        ("J2,L07,8,12,16,12,8,12,12", "line 2", "J2 is recused from L07"),
        ("J4,L04,8,12,16,12,8,12,12", "line 2", "J4 is recused from L04"),
    ],
)
def test_bad_sheet_rows_are_reported_with_line_numbers(
    fixtures_dir: Path, tmp_path: Path, rows: str, where: str, message: str
) -> None:
    folder = copy_final(fixtures_dir, tmp_path)
    (folder / "bad.csv").write_text(f"{HEADER}\n{rows}\n", encoding="utf-8")
    before = sorted(p.name for p in folder.iterdir())
    result = tabulate_in(folder, "bad.csv", "--component", f"data={folder / 'data.csv'}")
    assert result.returncode == 2
    assert result.stdout == ""  # nothing computed
    assert f"bad.csv: {where}: " in result.stderr and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written


def test_missing_column_names_the_expected_columns(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = copy_final(fixtures_dir, tmp_path)
    (folder / "bad.csv").write_text("judge,contestant,appearance\nJ1,L01,8\n", encoding="utf-8")
    result = tabulate_in(folder, "bad.csv")
    assert result.returncode == 2
    assert "bad.csv: line 1: missing column(s) expression, pitch" in result.stderr


def test_every_bad_row_is_reported_at_once(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = copy_final(fixtures_dir, tmp_path)
    good = (folder / "sheets.csv").read_text(encoding="utf-8").splitlines()
    lines = [*good[:3], "J1,L99,8,12,16,12,8,12,12", *good[3:10], "J1,L01,8,99,16,12,8,12,12"]
    (folder / "bad.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = tabulate_in(folder, "bad.csv")
    errors = result.stderr.strip().splitlines()
    assert result.returncode == 2
    assert any("line 4, column contestant" in e for e in errors)
    assert any("line 12, column expression" in e for e in errors)
    assert any("line 12: duplicate sheet" in e for e in errors)


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ("contestant,value\nL99,50\n", "line 2, column contestant", "unknown contestant"),
        ("contestant,value\nL01,abc\n", "line 2, column value", "expected a number 0–100"),
        ("contestant,value\nL01,100.5\n", "line 2, column value", "expected a number 0–100"),
        ("contestant,value\nL01,50\nL01,60\n", "line 3", "duplicate value for L01"),
        ("who,value\nL01,50\n", "line 1", "missing column(s) contestant"),
    ],
)
def test_bad_component_rows(fixtures_dir: Path, tmp_path: Path, content: str, where: str,
                            message: str) -> None:
    folder = copy_final(fixtures_dir, tmp_path)
    (folder / "bad.csv").write_text(content, encoding="utf-8")
    result = tabulate_in(folder, "sheets.csv", "--component", f"data={folder / 'bad.csv'}")
    assert result.returncode == 2
    assert f"bad.csv: {where}: " in result.stderr and message in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--component", "nope=x.csv"], "'nope' is not an imported component"),
        (["--component", "data"], "expected ID=FILE.csv"),
        (["--component", "data=missing.csv"], "missing.csv: cannot read the file"),
    ],
)
def test_bad_component_options(fixtures_dir: Path, tmp_path: Path, args: list[str],
                               message: str) -> None:
    folder = copy_final(fixtures_dir, tmp_path)
    result = run("tabulate", folder / "event.toml", "--scores", folder / "sheets.csv", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_component_values_make_contestants_unresolved(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    result = run("tabulate", folder / "event.toml", "--scores", folder / "sheets.csv", "--json",
                 "--absent", "L18")
    assert result.returncode == 3, result.stderr
    document = json.loads(result.stdout)
    assert document["scopes"][0]["ranking"] == []
    assert {u["contestants"][0] for u in document["unresolved"]} == {
        f"L{i:02d}" for i in range(1, 18)}
    assert [(m["contestant"], m["components"]) for m in document["missing"]] == [
        (f"L{i:02d}", ["data"]) for i in range(1, 18)]
    assert "L01 钱华：缺导入成绩项 data 的值" in result.stderr
    assert "L01 钱华: no value for the imported component data" in result.stderr


def test_gb18030_sheets_as_excel_writes_them(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = copy_final(fixtures_dir, tmp_path, "roadshow-final")
    text = (folder / "sheets.csv").read_text(encoding="utf-8")
    (folder / "sheets-gbk.csv").write_bytes(text.encode("gb18030"))
    (folder / "sheets-bom.csv").write_bytes(text.encode("utf-8-sig"))
    outputs = {
        name: tabulate_in(folder, name, "--component", f"stage={folder / 'stage.csv'}", "--json")
        for name in ("sheets.csv", "sheets-gbk.csv", "sheets-bom.csv")
    }
    assert all(r.returncode == 0 for r in outputs.values())
    assert len({r.stdout for r in outputs.values()}) == 1


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_order_of_csv_rows_changes_nothing(
    fixtures_dir: Path, tmp_path_factory: pytest.TempPathFactory, rnd: object
) -> None:
    folder = fixtures_dir / "roadshow-final"
    lines = (folder / "sheets.csv").read_text(encoding="utf-8").splitlines()
    body = lines[1:]
    rnd.shuffle(body)  # type: ignore[attr-defined]
    shuffled = tmp_path_factory.mktemp("shuffled") / "sheets.csv"
    shuffled.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")
    runner = CliRunner()
    common = [str(folder / "event.toml"), "--component", f"stage={folder / 'stage.csv'}",
              "--json"]
    a = runner.invoke(main, ["tabulate", "--scores", str(shuffled), *common])
    b = runner.invoke(main, ["tabulate", "--scores", str(folder / "sheets.csv"), *common])
    assert a.exit_code == 0 and a.output == b.output


def test_broken_event_file_lists_every_problem(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = copy_final(fixtures_dir, tmp_path)
    toml = (folder / "event.toml").read_text(encoding="utf-8")
    toml = toml.replace("weight = 0.70", "weight = 0.60").replace(
        '"criterion:integrity"', '"criterion:honesty"')
    (folder / "event.toml").write_text(toml, encoding="utf-8")
    result = tabulate_in(folder, "sheets.csv", "--component", f"data={folder / 'data.csv'}")
    assert result.returncode == 2 and result.stdout == ""
    assert "event.toml: scoring.components: weights add up to 0.90" in result.stderr
    assert 'event.toml: scoring.tiebreak.order[1]: unknown criterion "honesty"' in result.stderr
    assert "Traceback" not in result.stderr


# --- honest tabulation: what is missing, exit 3 ------------------------------------------------


def livestream(folder: Path, sheets: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run("tabulate", folder / "event.toml", "--scores", sheets, "--component",
               f"data={folder / 'data.csv'}", *extra)


def without_rows(folder: Path, target: Path, *prefixes: str) -> Path:
    lines = (folder / "sheets.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(line for line in lines if not line.startswith(prefixes)),
                      encoding="utf-8")
    return target


def test_a_missing_sheet_prints_the_results_names_the_sheet_and_exits_3(
        fixtures_dir: Path, tmp_path: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    sheets = without_rows(folder, tmp_path / "sheets.csv", "J1,L01,")
    result = livestream(folder, sheets, "--absent", "L18")
    assert result.returncode == 3, result.stderr
    assert "L08 姚梓飞" in result.stdout and "L01 钱华" not in result.stdout  # results printed
    assert "退出码 3" in result.stderr and "exit code 3" in result.stderr
    assert "  L01 钱华：缺评委 J1 的评分表\n  L01 钱华: no sheet from judge J1\n" in result.stderr
    assert "Traceback" not in result.stderr
    as_json = livestream(folder, sheets, "--absent", "L18", "--json")
    assert as_json.returncode == 3
    document = json.loads(as_json.stdout)  # stdout stays a document; the list is on stderr
    assert document["missing"] == [{"scope": {"track": "live", "group": None},
                                    "contestant": "L01", "sheets": ["J1"], "components": []}]
    assert "L01" not in [r["contestant"] for r in document["scopes"][0]["ranking"]]


def test_allow_incomplete_exits_0_with_the_same_list_as_a_warning(
        fixtures_dir: Path, tmp_path: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    sheets = without_rows(folder, tmp_path / "sheets.csv", "J1,L01,", "J3,L05,")
    strict = livestream(folder, sheets, "--absent", "L18")
    allowed = livestream(folder, sheets, "--absent", "L18", "--allow-incomplete")
    assert (strict.returncode, allowed.returncode) == (3, 0)
    assert allowed.stdout == strict.stdout
    assert allowed.stderr.startswith("注意：结果不完整（已用 --allow-incomplete 接受）")
    assert "warning: incomplete results (accepted by --allow-incomplete)" in allowed.stderr
    listed = [line for line in allowed.stderr.splitlines() if line.startswith("  ")]
    assert listed == [line for line in strict.stderr.splitlines() if line.startswith("  ")]
    assert listed == ["  L01 钱华：缺评委 J1 的评分表", "  L01 钱华: no sheet from judge J1",
                      "  L05 沈秀：缺评委 J3 的评分表", "  L05 沈秀: no sheet from judge J3"]


def test_a_contestant_with_no_sheets_is_listed_absent_not_dropped(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    result = livestream(folder, folder / "sheets.csv", "--json")
    assert result.returncode == 3
    document = json.loads(result.stdout)
    assert document["scopes"][0]["absent"] == ["L18"]
    assert document["missing"] == [{"scope": {"track": "live", "group": None},
                                    "contestant": "L18", "sheets": ["J1", "J2", "J3", "J5"],
                                    "components": ["data"]}]
    assert "L18 沈萍：没有任何评分表，按缺席计（应有 J1, J2, J3, J5 的评分表；确未参赛请加 " \
           "--absent L18）" in result.stderr
    assert "L18 沈萍: no sheets at all, counted absent" in result.stderr
    declared = livestream(folder, folder / "sheets.csv", "--json", "--absent", "L18")
    assert declared.returncode == 0 and declared.stderr == ""
    assert json.loads(declared.stdout)["scopes"][0]["absent"] == ["L18"]


def test_a_header_only_file_misses_every_sheet(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    sheets = tmp_path / "sheets.csv"
    sheets.write_text(f"{HEADER}\n", encoding="utf-8")
    result = livestream(folder, sheets, "--json")
    assert result.returncode == 3
    document = json.loads(result.stdout)
    assert document["scopes"][0]["ranking"] == []
    assert document["scopes"][0]["absent"] == [m["contestant"] for m in document["missing"]]
    assert len(document["missing"]) == 18
    assert result.stderr.count("no sheets at all") == 18


@pytest.mark.parametrize("declared", [["--absent", "L99"], ["--absent", "L01"]])
def test_declared_absences_are_checked(fixtures_dir: Path, declared: list[str]) -> None:
    folder = fixtures_dir / "livestream-final"
    result = livestream(folder, folder / "sheets.csv", *declared)
    assert result.returncode == 2 and result.stdout == ""
    message = ("--absent: unknown contestant 'L99'" if "L99" in declared else
               "sheets.csv: line 2: L01 is declared absent by --absent L01, but this row is a "
               "sheet for them")
    assert message in result.stderr


def test_errors_are_in_both_languages(fixtures_dir: Path, tmp_path: Path) -> None:
    folder = copy_final(fixtures_dir, tmp_path)
    (folder / "bad.csv").write_text(f"{HEADER}\nJ9,L01,8,12,16,12,8,12,12\n", encoding="utf-8")
    result = tabulate_in(folder, "bad.csv")
    assert result.returncode == 2
    first, second = result.stderr.splitlines()
    assert first.startswith("错误：") and first.endswith("第 2 行 judge 列：本赛事没有评委 'J9'；"
                                                      "评委为 J1, J2, J3, J4, J5")
    assert second.startswith("error: ") and "line 2, column judge: unknown judge 'J9'" in second


# --- criterion columns by name -----------------------------------------------------------------


NAMED = ("评委,选手,形象仪表,Expression,产品推介, 重点展示 ,时间把握,"
         "Ａｄａｐｔａｂｉｌｉｔｙ,诚信经营")  # names in both languages, full-width, spaced


def test_criterion_columns_may_be_headed_by_their_names(fixtures_dir: Path,
                                                        tmp_path: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    body = (folder / "sheets.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    named = tmp_path / "named.csv"
    named.write_text(f"{NAMED}\n{body}", encoding="utf-8")
    by_name = livestream(folder, named, "--json", "--absent", "L18")
    by_id = livestream(folder, folder / "sheets.csv", "--json", "--absent", "L18")
    assert by_name.returncode == 0, by_name.stderr
    assert by_name.stdout == by_id.stdout


@pytest.mark.parametrize(
    ("header", "messages"),
    [
        (NAMED.replace("形象仪表", "形象"),
         ["line 1: unknown column C '形象': a criterion column is headed by the criterion's id "
          "or its name in any of the event's languages (appearance (形象仪表 / Appearance), "
          "expression (表达能力 / Expression)",
          "第 1 行：列 C '形象' 无法识别"]),
        (NAMED.replace("诚信经营", "Expression"),
         ["line 1: columns D 'Expression' and I 'Expression' are both criterion expression",
          "line 1: missing column(s) integrity;"]),
        (NAMED.replace("形象仪表", "表达能力"),  # two criteria of this event bear that name
         ["line 1: column C '表达能力' could be any of the criteria appearance, expression; "
          "head it with the criterion's id instead"]),
    ],
)
def test_unknown_ambiguous_or_repeated_headers_are_named(
        fixtures_dir: Path, tmp_path: Path, header: str, messages: list[str]) -> None:
    folder = copy_final(fixtures_dir, tmp_path)
    if "表达能力" in header:  # name appearance 表达能力 too, as expression is named
        toml = (folder / "event.toml").read_text(encoding="utf-8")
        (folder / "event.toml").write_text(
            toml.replace('zh = "形象仪表"', 'zh = "表达能力"'), encoding="utf-8")
    body = (folder / "sheets.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    (folder / "bad.csv").write_text(f"{header}\n{body}", encoding="utf-8")
    result = tabulate_in(folder, "bad.csv")
    assert result.returncode == 2 and result.stdout == ""
    for message in messages:
        assert message in result.stderr, result.stderr


# --- the template ------------------------------------------------------------------------------


@pytest.mark.parametrize("final", sorted(FINALS))
def test_the_template_filled_with_the_sheets_tabulates_the_same(
        fixtures_dir: Path, tmp_path: Path, final: str) -> None:
    folder = fixtures_dir / final
    component, file, absent = FINALS[final]
    printed = run("tabulate", "--template", folder / "event.toml")
    assert printed.returncode == 0 and printed.stderr == ""
    filled = tmp_path / "filled.csv"
    made = run("tabulate", folder / "event.toml", "--template", "--out", filled)
    assert made.returncode == 0 and made.stdout == ""
    assert filled.read_text(encoding="utf-8") == printed.stdout
    assert printed.stdout.count("\n") == 1 and printed.stdout.startswith("judge,contestant,")
    body = (folder / "sheets.csv").read_text(encoding="utf-8").split("\n", 1)[1]
    with filled.open("a", encoding="utf-8") as f:
        f.write(body)
    common = ["--component", f"{component}={folder / file}", "--json",
              *(f"--absent={cid}" for cid in absent)]
    ours = run("tabulate", folder / "event.toml", "--scores", filled, *common)
    theirs = run("tabulate", folder / "event.toml", "--scores", folder / "sheets.csv", *common)
    assert ours.returncode == theirs.returncode == 0
    assert ours.stdout == theirs.stdout


def test_the_template_never_overwrites_and_goes_alone(fixtures_dir: Path,
                                                     tmp_path: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    typed = tmp_path / "sheets.csv"
    typed.write_text("typed sheets\n", encoding="utf-8")
    result = run("tabulate", folder / "event.toml", "--template", "--out", typed)
    assert result.returncode == 2
    assert "sheets.csv: the file exists and is not overwritten" in result.stderr
    assert "文件已存在，不会覆盖" in result.stderr
    assert typed.read_text(encoding="utf-8") == "typed sheets\n"
    mixed = run("tabulate", folder / "event.toml", "--template", "--scores", typed)
    assert mixed.returncode == 2 and "--template writes the header only" in mixed.stderr
    neither = run("tabulate", folder / "event.toml")
    assert neither.returncode == 2 and "Missing option '--scores'" in neither.stderr
    helped = run("tabulate", "--help")
    assert "--template" in helped.stdout and "Exit codes:" in helped.stdout
    assert "3  incomplete" in helped.stdout


# --- spreadsheets from other programs ----------------------------------------------------------


def test_an_xlsx_without_a_default_style_reads_without_warnings(
        fixtures_dir: Path, tmp_path: Path) -> None:
    """openpyxl warns "Workbook contains no default style" for workbooks other programs write
    without named styles; a head judge sees only the results."""
    import csv
    import io
    import zipfile

    import openpyxl

    folder = fixtures_dir / "livestream-final"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    with (folder / "sheets.csv").open(encoding="utf-8") as f:
        for row in csv.reader(f):
            sheet.append(row)
    written = io.BytesIO()
    book.save(written)
    styles = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
              b'</cellXfs></styleSheet>')  # no <cellStyles>: no default style
    other = tmp_path / "sheets.xlsx"
    with zipfile.ZipFile(written) as src, zipfile.ZipFile(other, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, styles if item.filename == "xl/styles.xml"
                         else src.read(item.filename))
    noisy = subprocess.run(
        [sys.executable, "-c", "import openpyxl, sys; openpyxl.load_workbook(sys.argv[1], "
         "read_only=True)", str(other)], capture_output=True, text=True, check=False)
    assert "no default style" in noisy.stderr  # the workbook does provoke the warning
    result = livestream(folder, other, "--json", "--absent", "L18")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == livestream(folder, folder / "sheets.csv", "--json", "--absent",
                                       "L18").stdout


def test_plain_output_shows_honours_and_organisation_awards(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "roadshow-awards"
    result = CliRunner().invoke(main, ["tabulate", str(folder / "event.toml"), "--scores",
                                       str(folder / "sheets.csv"), "--component",
                                       f"stage={folder / 'stage.csv'}"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "荣誉" in out and "Honours" in out
    for text in ("优秀项目", "Excellent project", "合格项目", "Qualified project"):
        assert text in out
    v08 = out.index("V08 星火8队")
    assert "优秀项目" in out[v08:out.index("\n", v08)]  # on the contestant's own line
    awards = out.index("优秀组织奖 Organisation award")
    assert awards > out.rindex("V04 跨境先锋4队")  # after every scope
    table = out[awards:out.index("最佳团队成绩奖 Strongest university")]
    lines = [line.split() for line in table.splitlines()]
    assert ["1", "青岛大学", "9", "I01,", "I04,", "I07,", "V02,", "V06", "获奖", "awarded"] \
        in lines
    assert ["3", "青岛假发产业带联盟", "6", "S03,", "S07"] in lines  # not awarded: blank
    assert "88.02" in out[out.index("最佳团队成绩奖"):]


def test_undecided_honour_and_organisation_ties_are_said_in_both_languages(
        fixtures_dir: Path) -> None:
    from decimal import Decimal

    from head_judge.cli.tabulate import incomplete_lines
    from head_judge.scoring import OrganisationRanking, OrganisationStanding, Results, Unresolved
    from sync.event_file import load_event

    event = load_event(fixtures_dir / "roadshow-awards" / "event.toml")
    tied = ("青岛大学", "山东科技大学")
    results = Results(event.id, (), (
        Unresolved(("intl", None), "tie_honour", ("I01", "I02"), "why"),
        Unresolved(("", None), "tie_organisation", tied, "why")),
        organisations=(OrganisationRanking("organisation", tuple(
            OrganisationStanding(1, name, Decimal(9), (), None) for name in tied)),))
    honour, organisation = incomplete_lines(event, results)
    assert honour.render("zh") == "I01, I02 经全部决胜规则仍同分，跨越荣誉名额，须由总裁判长裁决"
    assert "across the last place of an honour" in honour.render("en")
    assert organisation.render("zh").startswith(
        "青岛大学, 山东科技大学 得分相同，跨越单位奖 优秀组织奖")
    assert "organisation award Organisation award;" in organisation.render("en")
