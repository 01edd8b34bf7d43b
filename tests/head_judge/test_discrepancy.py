"""Discrepancy rules: each fires only when its difference exceeds the threshold."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path
from statistics import median

import pytest
from hypothesis import given
from hypothesis import strategies as st

from head_judge.discrepancy import evaluate
from head_judge.entry_lines import flag_message
from head_judge.paper import read_sheets
from sync.event import Discrepancy
from sync.event_file import load_event

RULES = Discrepancy(criterion_spread=D(4), total_spread=D(15), outlier=D(10))


def sheets(**totals: tuple[str, str]) -> dict[str, dict[str, D]]:
    return {j: {"a": D(a), "b": D(b)} for j, (a, b) in totals.items()}


@pytest.mark.parametrize(("given", "expected"), [
    (sheets(J1=("10", "50")), []),  # one sheet: nothing to compare
    (sheets(J1=("10", "50"), J2=("14", "50")), []),  # spread 4 = threshold: tolerated
    (sheets(J1=("10", "50"), J2=("14.5", "50")), ["t:criterion_spread:a"]),
    # b spread 15; totals 50, 65, 57: spread 15 tolerated; the panel's median is 57, J1 is 7
    # from it and J2 8 (against the median of the OTHERS they would be 11 and 11.5 away)
    (sheets(J1=("10", "40"), J2=("10", "55"), J3=("10", "47")), ["t:criterion_spread:b"]),
    # totals 60, 56, 47, 68: an even panel's median is the mean of the middle two, 58;
    # J3 is 11 from it, J4 exactly 10 (tolerated)
    (sheets(J1=("20", "40"), J2=("16", "40"), J3=("12", "35"), J4=("18", "50")),
     ["t:criterion_spread:a", "t:criterion_spread:b", "t:total_spread:", "t:outlier:J3"]),
    (sheets(J1=("30", "50"), J2=("30", "50"), J3=("30", "39.5")),
     ["t:criterion_spread:b", "t:outlier:J3"]),
    (sheets(J1=("30", "50"), J2=("30", "50"), J3=("30", "40")),
     ["t:criterion_spread:b"]),  # exactly 10 from the median: not an outlier
])
def test_rules(given: dict[str, dict[str, D]], expected: list[str]) -> None:
    assert [f.key for f in evaluate(RULES, "t", given)] == expected


def test_rules_switched_off() -> None:
    given = sheets(J1=("0", "0"), J2=("60", "40"), J3=("30", "20"))
    assert evaluate(Discrepancy(), "t", given) == []


def test_the_judges_who_agree_are_not_outliers() -> None:
    """Issue 20's case: totals 81, 80, 50. The panel's median is 80, so only the 50 is far
    from it; against the median of the others (65.5) J2 would have been flagged too."""
    given = sheets(J1=("40", "41"), J2=("40", "40"), J3=("20", "30"))
    flags = evaluate(Discrepancy(outlier=D(10)), "t", given)
    assert [(f.key, f.difference) for f in flags] == [("t:outlier:J3", D(30))]


def test_flag_names_judges_values_and_threshold() -> None:
    given = sheets(J1=("30", "50"), J2=("30", "50"), J3=("30", "30"))
    outlier = next(f for f in evaluate(RULES, "L05", given) if f.rule == "outlier")
    assert outlier.judges == ("J3",)
    assert outlier.difference == D(20) and outlier.threshold == D(10)
    said = flag_message(outlier)
    assert said == "L05: J3 differs from the panel's median by 20 > 10 (J1 80, J2 80, J3 60)"
    assert said.render("zh") == "L05：J3 与全体评委中位数相差 20 > 10（J1 80, J2 80, J3 60）"


def test_far_off_judge_in_the_livestream_fixture(fixtures_dir: Path) -> None:
    event = load_event(fixtures_dir / "livestream-final" / "event.toml")
    l05 = {s.judge: s.values for s in read_sheets(
        event, fixtures_dir / "livestream-final" / "sheets.csv") if s.contestant == "L05"}
    flags = evaluate(event.discrepancy, "L05", l05)
    assert {f.rule for f in flags} == {"criterion_spread", "total_spread", "outlier"}
    assert [f.judges for f in flags if f.rule == "outlier"] == [("J3",)]


@given(st.lists(st.decimals(min_value=0, max_value=100, places=1), min_size=2, max_size=12),
       st.decimals(min_value=0, max_value=30, places=1))
def test_outlier_is_distance_from_the_median_of_the_whole_panel(totals: list[D],
                                                                threshold: D) -> None:
    """Against the definition, in exact fractions: every judge whose total is more than the
    threshold from the median of all the judges' totals (their own included), and no other."""
    panel = {f"J{i}": {"a": total} for i, total in enumerate(totals)}
    flags = evaluate(Discrepancy(outlier=threshold), "t", panel)
    middle = median([Fraction(v["a"]) for v in panel.values()])
    expected = {}
    for judge, values in panel.items():
        distance = abs(Fraction(values["a"]) - middle)
        if distance > threshold:
            expected[judge] = distance
    assert {f.judges[0]: Fraction(f.difference) for f in flags} == expected
