"""The panel report: each judge's figures against an exact-fraction oracle (hypothesis),
leave-one-out results against `tabulate` itself, the example finals, and the command with
its PDF."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from head_judge.cli import main
from head_judge.cli.panel import print_panel_report
from head_judge.panel import panel_report, spearman
from head_judge.paper import read_component, read_sheets
from head_judge.scoring import PanelSheet, aggregate_panel, tabulate
from printouts.sheets.panel import panel_pdf
from sync.event import Contestant, Event
from sync.event_file import load_event

from .awards_final import awards_final
from .factories import make_event


@st.composite
def finals(draw: st.DrawFn) -> tuple[Event, list[PanelSheet]]:
    n = draw(st.integers(min_value=3, max_value=9))
    judges = draw(st.integers(min_value=2, max_value=6))
    contestants = [Contestant(f"C{i}", f"C{i}", f"org{i}", "t1", None, i) for i in range(n)]
    event = make_event(contestants=contestants, judges=judges,
                       aggregate=draw(st.sampled_from(["mean", "median", "trimmed_mean"])))
    values = st.integers(min_value=0, max_value=80).map(lambda v: D(v) / 2)
    sheets = [PanelSheet(j.id, c.id, {"a": draw(values), "b": draw(values)})
              for c in contestants for j in event.judges]
    return event, sheets


def rounded(value: Fraction) -> D:
    return D(int(abs(value) * 100 + Fraction(1, 2))).scaleb(-2) * (1 if value >= 0 else -1)


@settings(max_examples=120, deadline=None)
@given(finals())
def test_each_judges_figures_match_an_exact_oracle(final: tuple[Event, list[PanelSheet]]
                                                   ) -> None:
    event, sheets = final
    report = panel_report(event, sheets)
    ranking = tabulate(event, sheets).scopes[0].ranking
    panel = {s.contestant: Fraction(s.panel) for s in ranking}
    for profile in report.judges:
        mine = {s.contestant: Fraction(s.total) for s in sheets if s.judge == profile.judge}
        deviations = [mine[c] - panel[c] for c in mine]
        assert profile.sheets == len(mine)
        assert profile.mean_total == rounded(sum(mine.values(), Fraction(0)) / len(mine))
        assert profile.mean_deviation == rounded(sum(deviations, Fraction(0)) / len(mine))
        assert profile.mean_absolute_deviation == rounded(
            sum(map(abs, deviations), Fraction(0)) / len(mine))
        # dropped high: above a kept total, low: below one (equal to a kept total: either)
        high = low = either = 0
        for s in ranking:
            if profile.judge in s.dropped:
                kept = [v for j, v in s.judges.items() if j not in s.dropped]
                mine_total = s.judges[profile.judge]
                high += mine_total > max(kept)
                low += mine_total < min(kept)
                either += min(kept) <= mine_total <= max(kept)
        assert high <= profile.dropped_high <= high + either
        assert low <= profile.dropped_low <= low + either
        assert profile.dropped_high + profile.dropped_low == high + low + either
        # Spearman: the rounded value is within half a hundredth of the exact one, compared
        # squared so no root is taken (rho^2 = cov^2 / (vx * vy) on average ranks).
        others = {c: aggregate_panel([(s.judge, s.total) for s in sheets
                                      if s.contestant == c and s.judge != profile.judge],
                                     event.scoring.aggregate, event.scoring.trim,
                                     event.scoring.min_remaining).value for c in mine}
        xs, ys = ranks([mine[c] for c in mine]), ranks([others[c] for c in mine])
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
        vx, vy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
        if vx == 0 or vy == 0:
            assert profile.spearman is None
            continue
        assert profile.spearman is not None
        rho = Fraction(profile.spearman)
        assert (rho < 0) == (cov < 0) or rho == 0
        exact2 = cov * cov / (vx * vy)  # half up: |rho| - 1/200 <= |r| < |rho| + 1/200
        below, above = abs(rho) - Fraction(1, 200), abs(rho) + Fraction(1, 200)
        assert max(below, Fraction(0)) ** 2 <= exact2 < above ** 2


def ranks(values: list[Fraction]) -> list[Fraction]:
    """Average ranks, 1-based: an independent few lines."""
    return [Fraction(sum(1 for w in values if w < v) * 2 + sum(1 for w in values if w == v) + 1,
                     2) for v in values]


@settings(max_examples=60, deadline=None)
@given(finals())
def test_fragile_results_are_exactly_those_leaving_a_judge_out_changes(
        final: tuple[Event, list[PanelSheet]]) -> None:
    event, sheets = final
    report = panel_report(event, sheets)
    before = {s.contestant: (s.prize, s.advances) for s in tabulate(event, sheets).scopes[0]
              .ranking}
    expected = set()
    for judge in event.judges:
        rest = [s for s in sheets if s.judge != judge.id]
        excused = {(judge.id, c.id) for c in event.contestants}
        after = {s.contestant: (s.prize, s.advances)
                 for scope in tabulate(event, rest, excused=excused).scopes
                 for s in scope.ranking}
        expected |= {(c, judge.id) for c in before if after.get(c, (None, None)) != before[c]}
    assert {(f.contestant, f.judge) for f in report.fragile} == expected


def test_spearman_of_a_perfect_and_a_reversed_order() -> None:
    up = [(Fraction(i), Fraction(10 * i)) for i in range(5)]
    assert spearman(up) == D("1.00")
    assert spearman([(x, -y) for x, y in up]) == D("-1.00")
    assert spearman(up[:2]) is None
    assert spearman([(Fraction(1), y) for _, y in up]) is None
    # 1 - 6 * 2 / (5 * 24) = 0.9 exactly; one swap more: 1 - 6 * 8 / 120 = 0.6 ; ties averaged
    assert spearman([(Fraction(x), Fraction(y)) for x, y in
                     [(1, 2), (2, 1), (3, 3), (4, 4), (5, 5)]]) == D("0.90")
    assert spearman([(Fraction(x), Fraction(y)) for x, y in
                     [(1, 1), (1, 2), (2, 3)]]) == D("0.87")  # sqrt(3)/2 = 0.866...


def test_a_contestant_only_one_judge_scored_is_skipped_and_said_so(
        capsys: pytest.CaptureFixture[str]) -> None:
    contestants = [Contestant(f"C{i}", f"C{i}", f"org{i}", "t1", None, i) for i in range(4)]
    event = make_event(contestants=contestants, judges=3, aggregate="mean")
    excused = {("J2", "C0"), ("J3", "C0")}
    sheets = [PanelSheet(j.id, c.id, {"a": D(40 - i), "b": D(30)})
              for i, c in enumerate(contestants) for j in event.judges
              if (j.id, c.id) not in excused]
    report = panel_report(event, sheets, excused=excused)
    skipped = [f for f in report.fragile if f.contestant == "C0"]
    assert [(f.judge, f.no_sheet_without, f.rank_without, f.prize_without) for f in skipped] \
        == [("J1", True, None, None)]
    assert skipped[0].prize == "first"
    entry = next(f for f in report.to_document()["fragile"] if f["contestant"] == "C0")
    assert entry["no_sheet_without"] is True
    assert all(not f.no_sheet_without for f in report.fragile if f.contestant != "C0")
    # every surface says so rather than showing a change of prize
    document = report.to_document()
    print_panel_report(event, document)
    assert "未重算" in capsys.readouterr().out
    pdf = subprocess.run(["pdftotext", "-", "-"], capture_output=True, check=True,
                         input=panel_pdf(event, document, dt.datetime(2025, 1, 1, 9))).stdout
    assert "未重算" in "".join(pdf.decode().split())  # wrapped in its cell


@pytest.mark.parametrize(("final", "component", "file", "absent"), [
    ("livestream-final", "data", "data.csv", ("L18",)),
    ("roadshow-final", "stage", "stage.csv", ())])
def test_the_example_finals(fixtures_dir: Path, final: str, component: str, file: str,
                            absent: tuple[str, ...]) -> None:
    folder = fixtures_dir / final
    event = load_event(folder / "event.toml")
    sheets = read_sheets(event, folder / "sheets.csv", absent=frozenset(absent))
    imported = {component: read_component(event, component, folder / file)}
    excused = {(j.id, c) for c in absent for j in event.judges}
    report = panel_report(event, sheets, imported, excused=excused)
    # every judge appears once per ranking they scored in, with every sheet they sent
    for p in report.judges:
        scope = {c.id for c in event.contestants if (c.track, c.group) == p.scope}
        assert p.sheets == sum(1 for s in sheets if s.judge == p.judge and s.contestant in scope)
    results = tabulate(event, sheets, imported, excused=excused)
    for f in report.fragile:  # recomputed by hand: the change is real
        rest = [s for s in sheets if s.judge != f.judge]
        again = tabulate(event, rest, imported, excused={
            *excused, *((f.judge, c.id) for c in event.contestants)})
        now = {s.contestant: s for sc in results.scopes for s in sc.ranking}[f.contestant]
        then = {s.contestant: s for sc in again.scopes for s in sc.ranking}[f.contestant]
        assert (now.prize, then.prize) == (f.prize, f.prize_without)
        assert now.prize != then.prize or now.advances != then.advances
    if final == "livestream-final":  # L13 and L14 tie on 75.10; J2 or J4 alone decides it
        assert {(f.contestant, f.judge) for f in report.fragile} >= {("L13", "J2"),
                                                                     ("L14", "J2")}


def test_the_command_text_json_and_confidential_pdf(tmp_path: Path, fixtures_dir: Path
                                                    ) -> None:
    final = awards_final(tmp_path / "home", fixtures_dir)
    try:
        home = str(final.master.home)
        expected = final.head.panel_report().to_document()
    finally:
        final.close()
    runner = CliRunner()
    as_json = runner.invoke(main, ["--home", home, "panel-report", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == expected
    pdf = tmp_path / "panel.pdf"
    text = runner.invoke(main, ["--home", home, "panel-report", "--pdf", str(pdf)])
    assert text.exit_code == 0, text.output
    assert "评委组分析报告 Panel report · 保密 CONFIDENTIAL" in text.stdout
    assert "孙海涛" in text.stdout and "Spearman" in text.stdout
    for f in expected["fragile"]:
        assert f["contestant"] in text.stdout
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert pages and all("保密" in p and "CONFIDENTIAL" in p for p in pages)
    assert "孙海涛" in pages[0]
    assert "仅供总裁判长参考" in text.stdout and "it changes no result" in text.stdout


@pytest.mark.parametrize("made", [False, True])
def test_the_command_without_an_event_says_so_in_both_languages(tmp_path: Path, made: bool
                                                                 ) -> None:
    home = tmp_path / "home"
    if made:
        home.mkdir()
    pdf = tmp_path / "panel.pdf"
    done = CliRunner().invoke(main, ["--home", str(home), "panel-report", "--pdf", str(pdf)])
    assert done.exit_code == 2
    assert "还没有加载赛事" in done.stderr and "no event has been loaded" in done.stderr
    assert "Traceback" not in done.output and not pdf.exists()
    assert home.exists() == made  # nothing created
