"""Table-driven tests of the ranking semantics of docs/scoring.md."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from head_judge.scoring import (
    PanelSheet,
    TieDecision,
    aggregate_panel,
    round_exact,
    tabulate,
    tier_sizes,
)
from sync.event import Advancement, Component, Text, TiebreakKey, Tier

from .factories import contestant, make_event, sheets_for


@pytest.mark.parametrize(
    ("value", "decimals", "mode", "expected"),
    [
        (D("81.615"), 2, "half_up", "81.62"),  # float: 81.61499999... -> 81.61
        (D("2.675"), 2, "half_up", "2.68"),  # float and banker's both give 2.67/2.68 wrongly
        (D("0.125"), 2, "half_up", "0.13"),
        (D("0.125"), 2, "half_even", "0.12"),  # banker's rounding, only when the event asks
        (D("0.135"), 2, "half_even", "0.14"),
        (D("0.125"), 2, "half_down", "0.12"),
        (D("0.129"), 2, "down", "0.12"),
        (D("0.121"), 2, "up", "0.13"),
        (D("-0.125"), 2, "half_up", "-0.13"),
        (Fraction(190, 3), 2, "half_up", "63.33"),
        (Fraction(379, 6), 2, "half_up", "63.17"),
        (D("99.995"), 2, "half_up", "100.00"),
        (D("7"), 0, "half_up", "7"),
        (D("2.5"), 0, "half_up", "3"),
    ],
)
def test_round_exact(value: D | Fraction, decimals: int, mode: str, expected: str) -> None:
    assert str(round_exact(value, decimals, mode)) == expected


def test_rounding_named_by_the_issue_weighted_sum() -> None:
    # 0.3 x 85.15 + 0.7 x 80.10 = 81.615 -> 81.62; float arithmetic gives 81.61.
    assert round(0.3 * 85.15 + 0.7 * 80.10, 2) == 81.61
    event = make_event(
        contestants=[contestant("C1", 1)], judges=3, aggregate="mean",
        components=(
            Component("quality", Text("质量", "Quality"), "panel", D(100), D("0.3")),
            Component("data", Text("数据", "Data"), "import", D(100), D("0.7")),
        ),
    )
    sheets = sheets_for("C1", {"J1": "85", "J2": "85", "J3": "85.5"})  # mean 85.1666 -> 85.17
    result = tabulate(event, sheets, {"data": {"C1": D("80.10")}})
    row = result.scopes[0].ranking[0]
    assert row.components == {"quality": D("85.17"), "data": D("80.10")}
    # 0.3 x 85.17 + 0.7 x 80.10 = 25.551 + 56.07 = 81.621 -> 81.62
    assert str(row.final) == "81.62"
    event2 = make_event(
        contestants=[contestant("C1", 1)], judges=2, aggregate="mean",
        components=event.scoring.components,
    )
    sheets2 = sheets_for("C1", {"J1": "85", "J2": "85.3"})  # not on step, fine for aggregation
    result2 = tabulate(event2, sheets2, {"data": {"C1": D("80.10")}})
    assert str(result2.scopes[0].ranking[0].final) == "81.62"  # 85.15 -> exactly 81.615


@pytest.mark.parametrize(
    ("totals", "method", "trim", "min_remaining", "value", "dropped"),
    [
        ([("J1", "80"), ("J2", "90"), ("J3", "70")], "mean", 1, 3, Fraction(80), ()),
        ([("J1", "80"), ("J2", "90"), ("J3", "70")], "median", 1, 3, Fraction(80), ()),
        ([("J1", "80"), ("J2", "90"), ("J3", "70"), ("J4", "71")], "median", 1, 3,
         Fraction(151, 2), ()),
        ([("J1", "92"), ("J2", "82"), ("J3", "82.5"), ("J4", "81.5"), ("J5", "81.5")],
         "trimmed_mean", 1, 3, Fraction(246, 3), ("J1", "J4")),
        # equal lowest totals: the earlier judge is dropped, the value is the same either way
        ([("J1", "65"), ("J2", "65"), ("J3", "62.5"), ("J4", "57"), ("J5", "62")],
         "trimmed_mean", 1, 3, Fraction(1895, 30), ("J2", "J4")),
        # four judges (one recused): 4 - 2 < 3, so the plain mean of all four
        ([("J1", "83"), ("J3", "81"), ("J4", "76"), ("J5", "80.5")], "trimmed_mean", 1, 3,
         Fraction(3205, 40), ()),
        # seven judges trimming two at each end
        ([(f"J{i}", str(60 + i)) for i in range(1, 8)], "trimmed_mean", 2, 3, Fraction(64),
         ("J1", "J2", "J6", "J7")),
        ([("J1", "50"), ("J2", "60")], "trimmed_mean", 0, 3, Fraction(55), ()),
    ],
)
def test_aggregate_panel(totals: list[tuple[str, str]], method: str, trim: int,
                         min_remaining: int, value: Fraction, dropped: tuple[str, ...]) -> None:
    result = aggregate_panel([(j, D(t)) for j, t in totals], method, trim, min_remaining)
    assert result.value == value
    assert result.dropped == dropped
    assert set(result.kept) | set(result.dropped) == {j for j, _ in totals}


def test_recusal_reduces_panel_below_min_remaining() -> None:
    # J2 shares the contestant's organisation, J5 is declared: 3 judges left, no trimming.
    event = make_event(
        contestants=[contestant("C1", 1, organisation="Uni", recuse=("J5",))],
        affiliations={"J2": "Uni"},
    )
    sheets = sheets_for("C1", {"J1": "90", "J3": "60", "J4": "75"})
    row = tabulate(event, sheets).scopes[0].ranking[0]
    assert row.dropped == ()
    assert row.panel == D("75.00")
    assert set(row.judges) == {"J1", "J3", "J4"}


def test_recused_sheet_is_refused() -> None:
    event = make_event(contestants=[contestant("C1", 1, recuse=("J1",))])
    with pytest.raises(ValueError, match="recused"):
        tabulate(event, sheets_for("C1", {"J1": "80"}))


def _ranked(totals_by_contestant: dict[str, str], **kwargs: object) -> list[tuple[str, int]]:
    cids = list(totals_by_contestant)
    event = make_event(contestants=[contestant(c, i) for i, c in enumerate(cids, 1)], judges=1,
                       aggregate="mean", **kwargs)  # type: ignore[arg-type]
    sheets = [s for c, t in totals_by_contestant.items() for s in sheets_for(c, {"J1": t})]
    return [(s.contestant, s.rank) for s in tabulate(event, sheets).scopes[0].ranking]


def test_standard_competition_ranking() -> None:
    assert _ranked({"A": "90", "B": "80", "C": "80", "D": "70"}) == [
        ("A", 1), ("B", 2), ("C", 2), ("D", 4)]


def test_tiebreak_chain_breaks_equal_finals() -> None:
    event = make_event(
        contestants=[contestant("A", 1), contestant("B", 2)], judges=1, aggregate="mean",
        components=(
            Component("q", Text("质", "Q"), "panel", D(100), D("0.5")),
            Component("d", Text("数", "D"), "import", D(100), D("0.5")),
        ),
        tiebreak=(TiebreakKey("component", "d"), TiebreakKey("criterion", "a")),
    )
    sheets = sheets_for("A", {"J1": "80"}) + sheets_for("B", {"J1": "70"})
    # A: 0.5*80 + 0.5*60 = 70; B: 0.5*70 + 0.5*70 = 70 -> data decides: B first
    results = tabulate(event, sheets, {"d": {"A": D(60), "B": D(70)}})
    ranking = results.scopes[0].ranking
    assert [(s.contestant, s.rank, s.final) for s in ranking] == [
        ("B", 1, D("70.00")), ("A", 2, D("70.00"))]
    assert results.unresolved == ()


def test_criterion_tiebreak_uses_rounded_mean_of_counted_judges() -> None:
    event = make_event(
        contestants=[contestant("A", 1), contestant("B", 2)], judges=1, aggregate="mean",
        tiebreak=(TiebreakKey("criterion", "b"),),
    )
    sheets = [PanelSheet("J1", "A", {"a": D(50), "b": D(30)}),
              PanelSheet("J1", "B", {"a": D(40), "b": D(40)})]
    ranking = tabulate(event, sheets).scopes[0].ranking
    assert [(s.contestant, s.rank) for s in ranking] == [("B", 1), ("A", 2)]
    assert ranking[0].criterion_means == {"a": D("40.00"), "b": D("40.00")}


def test_tie_straddling_a_prize_boundary_is_unresolved() -> None:
    event = make_event(contestants=[contestant(c, i) for i, c in enumerate("ABCD", 1)],
                       judges=1, aggregate="mean")
    sheets = [s for c, t in zip("ABCD", ["90", "80", "80", "80"], strict=True)
              for s in sheets_for(c, {"J1": t})]
    results = tabulate(event, sheets)
    prizes = {s.contestant: s.prize for s in results.scopes[0].ranking}
    # first: A; second holds 2 places but B, C, D share rank 2 over three places
    assert prizes == {"A": "first", "B": None, "C": None, "D": None}
    assert len(results.unresolved) == 1
    u = results.unresolved[0]
    assert (u.kind, u.contestants) == ("tie_prize", ("B", "C", "D"))
    assert "second / merit" in u.reason


def test_tie_inside_a_tier_is_not_unresolved() -> None:
    event = make_event(contestants=[contestant(c, i) for i, c in enumerate("ABC", 1)],
                       judges=1, aggregate="mean")
    sheets = [s for c, t in zip("ABC", ["90", "80", "80"], strict=True)
              for s in sheets_for(c, {"J1": t})]
    results = tabulate(event, sheets)
    assert [s.prize for s in results.scopes[0].ranking] == ["first", "second", "second"]
    assert results.unresolved == ()


@pytest.mark.parametrize(
    ("ranked", "sizes"),
    [
        (17, [2, 3, 5, 7]),  # 1.7 -> 2, 3.4 -> 3, 5.1 -> 5, rest 7
        (25, [3, 5, 8, 9]),  # 2.5 -> 3 (half up), 5 -> 5, 7.5 -> 8
        (1, [0, 0, 0, 1]),
        (0, [0, 0, 0, 0]),
    ],
)
def test_percent_tiers_of_actual_participants(ranked: int, sizes: list[int]) -> None:
    tiers = (Tier("first", Text(), percent=D(10)), Tier("second", Text(), percent=D(20)),
             Tier("third", Text(), percent=D(30)), Tier("merit", Text(), rest=True))
    assert tier_sizes(tiers, "percent", ranked) == sizes


def test_percent_prizes_in_a_scope() -> None:
    tiers = (Tier("first", Text(), percent=D(10)), Tier("second", Text(), percent=D(20)),
             Tier("third", Text(), percent=D(30)))
    totals = {f"C{i:02d}": str(100 - i) for i in range(1, 18)}
    ranked = _ranked(totals, tiers=tiers, basis="percent")
    assert len(ranked) == 17
    event = make_event(contestants=[contestant(c, i) for i, c in enumerate(totals, 1)],
                       judges=1, aggregate="mean", tiers=tiers, basis="percent")
    sheets = [s for c, t in totals.items() for s in sheets_for(c, {"J1": t})]
    prizes = [s.prize for s in tabulate(event, sheets).scopes[0].ranking]
    assert prizes == ["first"] * 2 + ["second"] * 3 + ["third"] * 5 + [None] * 7


def _advancement(totals: dict[str, tuple[str, str]], top: int, cap: int | None
                 ) -> tuple[dict[str, bool | None], list[tuple[str, ...]]]:
    cids = list(totals)
    event = make_event(
        contestants=[contestant(c, i, organisation=totals[c][1]) for i, c in enumerate(cids, 1)],
        judges=1, aggregate="mean", advancement=Advancement(top, cap),
    )
    sheets = [s for c, (t, _) in totals.items() for s in sheets_for(c, {"J1": t})]
    results = tabulate(event, sheets)
    return ({s.contestant: s.advances for s in results.scopes[0].ranking},
            [u.contestants for u in results.unresolved if u.kind == "tie_advancement"])


def test_advancement_top_n_with_cap_next_eligible_takes_the_place() -> None:
    advances, unresolved = _advancement(
        {"A": ("95", "X"), "B": ("90", "X"), "C": ("85", "X"), "D": ("80", "Y"), "E": ("75", "Z")},
        top=3, cap=2)
    assert advances == {"A": True, "B": True, "C": False, "D": True, "E": False}
    assert unresolved == []


def test_advancement_tie_on_the_last_place_is_unresolved() -> None:
    advances, unresolved = _advancement(
        {"A": ("95", "X"), "B": ("90", "Y"), "C": ("90", "Z"), "D": ("80", "W")}, top=2, cap=None)
    assert advances == {"A": True, "B": None, "C": None, "D": False}
    assert unresolved == [("B", "C")]


def test_advancement_tie_under_an_organisation_cap_is_unresolved() -> None:
    advances, unresolved = _advancement(
        {"A": ("95", "X"), "B": ("90", "X"), "C": ("90", "X"), "D": ("80", "Y")}, top=3, cap=2)
    assert advances == {"A": True, "B": None, "C": None, "D": True}
    assert unresolved == [("B", "C")]


def test_absent_and_incomplete_contestants() -> None:
    event = make_event(contestants=[contestant("A", 1), contestant("B", 2), contestant("C", 3)],
                       judges=3, aggregate="mean")
    sheets = sheets_for("A", {"J1": "80", "J2": "80", "J3": "80"}) + sheets_for(
        "B", {"J1": "70", "J2": "75"})
    results = tabulate(event, sheets)
    scope = results.scopes[0]
    assert [s.contestant for s in scope.ranking] == ["A"]
    assert scope.absent == ("C",)
    assert [(u.kind, u.contestants) for u in results.unresolved] == [("missing_sheets", ("B",))]
    assert "J3" in results.unresolved[0].reason


def test_missing_imported_component_is_unresolved() -> None:
    event = make_event(
        contestants=[contestant("A", 1), contestant("B", 2)], judges=1, aggregate="mean",
        components=(Component("q", Text(), "panel", D(100), D("0.5")),
                    Component("d", Text(), "import", D(100), D("0.5"))),
    )
    sheets = sheets_for("A", {"J1": "80"}) + sheets_for("B", {"J1": "70"})
    results = tabulate(event, sheets, {"d": {"A": D("50")}})
    assert [s.contestant for s in results.scopes[0].ranking] == ["A"]
    assert [(u.kind, u.contestants) for u in results.unresolved] == [
        ("missing_component", ("B",))]


def test_panel_component_scaled_to_its_max() -> None:
    event = make_event(
        contestants=[contestant("A", 1)], judges=3, aggregate="mean",
        components=(Component("q", Text(), "panel", D(30), D(1)),),
    )
    sheets = sheets_for("A", {"J1": "80", "J2": "81", "J3": "81"})  # 80.666.. -> 80.67
    row = tabulate(event, sheets).scopes[0].ranking[0]
    assert row.panel == D("80.67")
    assert row.components == {"q": D("24.20")}  # 80.67 * 30 / 100 = 24.201 -> 24.20


def _tied_final() -> tuple[object, list[PanelSheet]]:
    event = make_event(contestants=[contestant(c, i) for i, c in enumerate("ABCD", 1)],
                       judges=1, aggregate="mean")
    sheets = [s for c, t in zip("ABCD", ["90", "80", "80", "80"], strict=True)
              for s in sheets_for(c, {"J1": t})]
    return event, sheets


def test_head_judge_orders_an_unresolved_tie() -> None:
    event, sheets = _tied_final()
    decision = TieDecision(frozenset("BCD"), "order", ("D", "B", "C"), "drawn by lot")
    results = tabulate(event, sheets, decisions=[decision])  # type: ignore[arg-type]
    ranking = results.scopes[0].ranking
    assert [(s.contestant, s.rank, s.prize) for s in ranking] == [
        ("A", 1, "first"), ("D", 2, "second"), ("B", 3, "second"), ("C", 4, "merit")]
    assert results.unresolved == ()


def test_head_judge_shares_a_prize_across_a_tie() -> None:
    event, sheets = _tied_final()
    decision = TieDecision(frozenset("BCD"), "shared", (), "equal merit")
    results = tabulate(event, sheets, decisions=[decision])  # type: ignore[arg-type]
    assert [(s.rank, s.prize) for s in results.scopes[0].ranking] == [
        (1, "first"), (2, "second"), (2, "second"), (2, "second")]
    assert results.unresolved == ()


def test_decision_for_other_contestants_changes_nothing() -> None:
    event, sheets = _tied_final()
    decision = TieDecision(frozenset("BC"), "order", ("C", "B"), "stale")
    results = tabulate(event, sheets, decisions=[decision])  # type: ignore[arg-type]
    assert [u.kind for u in results.unresolved] == ["tie_prize"]


def test_excused_sheet_leaves_the_panel() -> None:
    event = make_event(contestants=[contestant("A", 1)], judges=3, aggregate="mean")
    sheets = sheets_for("A", {"J1": "80", "J2": "70", "J3": "20"})
    results = tabulate(event, sheets, excused=[("J3", "A")])
    row = results.scopes[0].ranking[0]
    assert row.judges == {"J1": D(80), "J2": D(70)} and row.panel == D("75.00")
    only_two = tabulate(event, sheets[:2], excused=[("J3", "A")])
    assert only_two.scopes[0].ranking[0].panel == D("75.00")
    assert tabulate(event, sheets[:2]).unresolved[0].kind == "missing_sheets"
