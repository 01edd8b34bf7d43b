"""A round that only advances (no `[awards]`: top 10, at most 2 per organisation) and a
tie-break that prefers the lower value (the earlier submission ranks first), end to end:
the event file loads, `tabulate` ranks it, the live master's results, the results sheet,
the Excel export, the console's words and an appeal dossier show no prize anywhere.

The event is tests/data/advance_only.toml, with its contestants, the judges' sheets and the
submission times (minutes) next to it. H05 and H06 tie on 88.00; H06 submitted earlier (62
against 75 minutes) and ranks first although H05 runs first and would win on "higher"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from head_judge.appeals import dossier, file_appeal
from head_judge.cli import main
from head_judge.export import export_xlsx
from head_judge.paper import read_component, read_sheets
from head_judge.report import results_tables
from head_judge.scoring import PanelSheet, tabulate
from head_judge.sheet_figures import sheet_figures
from printouts import ResultsSheet, render, results_from, sheet_content
from sync.event import Component, Text, TiebreakKey
from sync.event_file import load_event

from ..printouts.sample import imprint_for
from ..printouts.tools import sq, text
from .factories import contestant, make_event
from .test_actions import Final, close_everything

DATA = Path(__file__).resolve().parents[1] / "data"
EVENT = DATA / "advance_only.toml"
SHEETS = DATA / "advance_only_sheets.csv"
SUBMITTED = DATA / "advance_only_submitted.csv"
ORDER = ["H01", "H02", "H03", "H04", "H06", "H05", "H07", "H08", "H09", "H10", "H11", "H12",
         "H13", "H14"]
ADVANCE = {"H01", "H02", "H04", "H06", "H05", "H07", "H08", "H09", "H10", "H11"}
"""The ten best but H03, a third from H01/H02's college: H11, the eleventh, takes its place."""


def tabulated() -> Any:
    event = load_event(EVENT)
    results = tabulate(event, read_sheets(event, SHEETS),
                       {"submitted": read_component(event, "submitted", SUBMITTED)})
    return event, results


# --- ranking ----------------------------------------------------------------------------------


def test_the_round_ranks_and_advances_without_prizes() -> None:
    _, results = tabulated()
    [scope] = results.scopes
    assert [s.contestant for s in scope.ranking] == ORDER
    assert [s.rank for s in scope.ranking] == list(range(1, 15))
    assert {s.contestant for s in scope.ranking if s.advances} == ADVANCE
    assert all(s.prize is None for s in scope.ranking)
    assert results.unresolved == () and results.complete
    h06, h05 = scope.ranking[4:6]
    assert h06.final == h05.final == D("88.00")
    assert (h06.components["submitted"], h05.components["submitted"]) == (D("62.00"),
                                                                         D("75.00"))


def test_prefer_higher_would_rank_the_later_submission_first() -> None:
    event, _ = tabulated()
    higher = dataclasses.replace(event, scoring=dataclasses.replace(event.scoring, tiebreak=(
        TiebreakKey("component", "submitted"), TiebreakKey("criterion", "defence"))))
    results = tabulate(higher, read_sheets(event, SHEETS),
                       {"submitted": read_component(event, "submitted", SUBMITTED)})
    assert [s.contestant for s in results.scopes[0].ranking][4:6] == ["H05", "H06"]


def two_tied(prefer: str, first: D, second: D) -> list[str]:
    """Two contestants equal on the final score (their judged score only counts); their
    submission times given, in running order."""
    event = make_event(
        contestants=[contestant("A", 1), contestant("B", 2)], judges=1, aggregate="mean",
        components=(Component("panel", Text("评分", "Panel"), "panel", D(100), D(1)),
                    Component("submitted", Text("提交", "Submitted"), "import", D(180), D(0))),
        tiebreak=(TiebreakKey("component", "submitted", prefer),),  # type: ignore[arg-type]
    )
    sheets = [PanelSheet("J1", c, {"a": D(50), "b": D(30)}) for c in "AB"]
    results = tabulate(event, sheets, {"submitted": {"A": first, "B": second}})
    return [s.contestant for s in results.scopes[0].ranking]


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=180), st.integers(min_value=0, max_value=180))
def test_of_equal_scores_the_lower_preferred_value_ranks_first(a: int, b: int) -> None:
    lower, higher = two_tied("lower", D(a), D(b)), two_tied("higher", D(a), D(b))
    if a == b:  # still equal: the shared rank lists them in running order
        assert lower == higher == ["A", "B"]
    else:
        assert lower[0] == ("A" if a < b else "B")
        assert higher == lower[::-1]


# --- what the head judge sees -----------------------------------------------------------------


def test_tabulate_prints_no_prize_column() -> None:
    result = CliRunner().invoke(main, ["tabulate", str(EVENT), "--scores", str(SHEETS),
                                       "--component", f"submitted={SUBMITTED}"])
    assert result.exit_code == 0, result.output
    assert "晋级" in result.output and "Advances" in result.output
    assert "奖项" not in result.output and "Prize" not in result.output
    document = CliRunner().invoke(main, ["tabulate", str(EVENT), "--scores", str(SHEETS),
                                         "--component", f"submitted={SUBMITTED}", "--json"])
    ranking = json.loads(document.output)["scopes"][0]["ranking"]
    assert [r["contestant"] for r in ranking] == ORDER
    assert {r["prize"] for r in ranking} == {None}


def test_a_bad_prefer_is_refused_in_both_languages(tmp_path: Path) -> None:
    bad = tmp_path / "event.toml"
    bad.write_text(EVENT.read_text(encoding="utf-8").replace('prefer = "lower"',
                                                              'prefer = "earliest"'),
                   encoding="utf-8")
    (tmp_path / "advance_only.csv").write_bytes((DATA / "advance_only.csv").read_bytes())
    result = CliRunner().invoke(main, ["tabulate", str(bad), "--scores", str(SHEETS)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("错误：") and "scoring.tiebreak.order[0].prefer" in lines[0]
    assert '应为 "higher"（较高者在前）或 "lower"（较低者在前），实为 文字 "earliest"' in lines[0]
    assert lines[1].startswith("error: ") and 'must be "higher"' in lines[1]


def test_results_table_and_sheet_figures_name_no_prize() -> None:
    event, results = tabulated()
    from rich.console import Console
    console = Console(width=200, record=True)
    console.print(results_tables(event, results))
    shown = console.export_text()
    assert "奖项" not in shown and "晋级" in shown
    sheet = ResultsSheet(results_from(results)[0])
    lines = sheet_figures(event, "results", sheet_content(event, sheet))
    assert lines and not any("奖项" in line for line in lines)


def test_results_sheet_has_no_prize_column_and_says_lower_first() -> None:
    event, results = tabulated()
    pdf = render(event, ResultsSheet(results_from(results)[0]), imprint_for(event))
    page = "".join(text(pdf))
    assert sq("晋级") in page and sq("奖项") not in page and sq("Prize") not in page
    assert sq("同分排序：最终得分 › 提交用时（分钟）（小者在前） › 现场答辩。") in page
    assert sq("Tie-break order: final › Submitted after (minutes) (lower first) › Defence.") \
        in page
    assert sq("× 0%") not in page  # the submission time does not count toward the score


# --- a live master: export and appeals ---------------------------------------------------------


NOW = dt.datetime(2025, 5, 17, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def final(tmp_path: Path) -> Iterator[Final]:
    opened = Final(tmp_path / "home", load_event(EVENT))
    for sheet in read_sheets(opened.event, SHEETS):
        assert opened.send(sheet.judge, sheet.contestant, sheet.values)["status"] == "accepted"
    opened.head.import_components("submitted", SUBMITTED)
    yield opened
    opened.close()


def test_live_results_export_and_dossier(final: Final, tmp_path: Path) -> None:
    [scope] = final.head.current_results().scopes
    assert [s.contestant for s in scope.ranking] == ORDER
    path = tmp_path / "round.xlsx"
    export_xlsx(final.head, path, now=NOW, tz=dt.UTC)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[4]]
    assert "晋级\nAdvances" in header and not any("Prize" in str(h) for h in header)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=18)]
    advances = header.index("晋级\nAdvances")
    final_col = header.index("最终得分\nFinal")
    assert advances == final_col + 1
    ids = [row[header.index("编号\nID")] for row in rows]
    assert ids == ORDER
    assert {ids[i] for i, row in enumerate(rows) if row[advances] == "是 yes"} == ADVANCE

    close_everything(final)
    final.head.publish(("ec", None))
    filed = file_appeal(final.head, "H05", "与 H06 同分，名次在后", "陈雨桐")
    published = [e for e in dossier(final.head, filed.id).history
                 if e.kind == "results_published"]
    assert published and str(published[0].summary).endswith(": rank 6, final 88.00")
    assert published[0].summary.render("zh").endswith("：第 6 名，最终得分 88.00")  # type: ignore[attr-defined]


async def test_the_console_results_tab_has_no_prize_column(final: Final) -> None:
    from head_judge.console.screens.results import ResultsScreen
    from head_judge.console.widgets.ranking_table import RankingTable

    from .console.conftest import screen_text, world_app

    app = world_app(final.master, lang="zh")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("6")
        assert isinstance(app.screen, ResultsScreen)
        table = app.screen.query_one("#ranking", RankingTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[:4] == ["名次", "选手", "得分", "晋级"]
        assert not any("奖项" in label for label in labels)
        rows = screen_text(app, "#ranking").splitlines()
        assert [row.split()[0] for row in rows] == [str(n) for n in range(1, 15)]
        assert "H06" in rows[4] and rows[4].split()[-1] != "—"


def test_the_console_says_no_prize_where_there_are_none() -> None:
    from head_judge.console.words import say

    assert say("live_score", "zh", panel="88", final="88.00", rank=5, prize="",
               advance=say("advances_yes", "zh")) == "评委得分 88  最终得分 88.00  名次 5  晋级"
    assert say("live_score", "en", panel="88", final="88.00", rank=5,
               prize=say("live_prize", "en", prize="First"), advance="") == \
        "Panel 88  Final 88.00  Rank 5  Prize First"  # as before, where there are prizes
