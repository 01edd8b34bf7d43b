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

FINALS = {
    "livestream-final": ("data", "data.csv"),
    "roadshow-final": ("stage", "stage.csv"),
}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("head-judge")
    return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True,
                          timeout=60, check=False)


def without_kind(document: dict) -> dict:  # type: ignore[type-arg]
    """The expected documents predate our extra `kind` key on unresolved entries."""
    return {**document, "unresolved": [{k: v for k, v in u.items() if k != "kind"}
                                       for u in document["unresolved"]]}


@pytest.mark.parametrize("final", sorted(FINALS))
def test_fixture_reproduces_expected_results(fixtures_dir: Path, final: str) -> None:
    folder = fixtures_dir / final
    component, file = FINALS[final]
    result = run("tabulate", folder / "event.toml", "--scores", folder / "sheets.csv",
                 "--component", f"{component}={folder / file}", "--json")
    assert result.returncode == 0, result.stderr
    expected = json.loads((folder / "expected-results.json").read_text(encoding="utf-8"))
    assert without_kind(json.loads(result.stdout)) == expected


def test_plain_output_is_a_bilingual_table(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "livestream-final"
    result = CliRunner().invoke(main, ["tabulate", str(folder / "event.toml"), "--scores",
                                       str(folder / "sheets.csv"), "--component",
                                       f"data={folder / 'data.csv'}"])
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
    result = run("tabulate", folder / "event.toml", "--scores", folder / "sheets.csv", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["scopes"][0]["ranking"] == []
    assert {u["contestants"][0] for u in document["unresolved"]} == {
        f"L{i:02d}" for i in range(1, 18)}


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
    common = [str(folder / "event.toml"), "--component", f"stage={folder / 'stage.csv'}", "--json"]
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
