"""Invariants of the scoring engine, checked with hypothesis."""

from __future__ import annotations

import random
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from head_judge.scoring import PanelSheet, aggregate_panel, tabulate
from sync.event import Component, Event, Text, TiebreakKey

from .factories import contestant, make_event

half_points = st.integers(min_value=0, max_value=70).map(lambda n: D(n) / 2)  # 0..35 step 0.5


@st.composite
def finals(draw: st.DrawFn) -> tuple[Event, list[PanelSheet], dict[str, dict[str, D]]]:
    n_judges = draw(st.integers(min_value=1, max_value=7))
    n_contestants = draw(st.integers(min_value=1, max_value=12))
    aggregate = draw(st.sampled_from(["mean", "median", "trimmed_mean"]))
    cids = [f"C{i:02d}" for i in range(1, n_contestants + 1)]
    orgs = draw(st.lists(st.sampled_from(["X", "Y", "Z"]), min_size=n_contestants,
                         max_size=n_contestants))
    event = make_event(
        contestants=[contestant(c, i, organisation=o) for i, (c, o) in
                     enumerate(zip(cids, orgs, strict=True), 1)],
        judges=n_judges, aggregate=aggregate,
        trim=draw(st.integers(min_value=0, max_value=2)),
        components=(Component("q", Text(), "panel", D(100), D("0.3")),
                    Component("d", Text(), "import", D(100), D("0.7"))),
        tiebreak=(TiebreakKey("component", "d"), TiebreakKey("criterion", "a")),
    )
    sheets = [
        PanelSheet(j.id, c, {"a": draw(half_points), "b": draw(half_points)})
        for c in cids for j in event.judges
    ]
    data = {c: draw(st.integers(min_value=0, max_value=10000).map(lambda n: D(n) / 100))
            for c in cids}
    return event, sheets, {"d": data}


@settings(max_examples=150, deadline=None)
@given(finals(), st.randoms(use_true_random=False))
def test_order_of_sheets_changes_nothing(
    final: tuple[Event, list[PanelSheet], dict[str, dict[str, D]]], rnd: random.Random
) -> None:
    event, sheets, imported = final
    shuffled = list(sheets)
    rnd.shuffle(shuffled)
    assert tabulate(event, shuffled, imported) == tabulate(event, sheets, imported)


@settings(max_examples=150, deadline=None)
@given(finals(), st.integers(min_value=1, max_value=10))
def test_adding_a_constant_to_every_value_never_reorders(
    final: tuple[Event, list[PanelSheet], dict[str, dict[str, D]]], shift: int
) -> None:
    event, sheets, imported = final
    shifted = [PanelSheet(s.judge, s.contestant, {k: v + shift for k, v in s.values.items()})
               for s in sheets]
    before = tabulate(event, sheets, imported).scopes[0].ranking
    after = tabulate(event, shifted, imported).scopes[0].ranking
    assert [(s.contestant, s.rank) for s in after] == [(s.contestant, s.rank) for s in before]


@settings(max_examples=200, deadline=None)
@given(finals())
def test_ranks_have_the_competition_shape(
    final: tuple[Event, list[PanelSheet], dict[str, dict[str, D]]],
) -> None:
    event, sheets, imported = final
    ranking = tabulate(event, sheets, imported).scopes[0].ranking
    assert ranking[0].rank == 1
    for i in range(1, len(ranking)):
        previous, current = ranking[i - 1], ranking[i]
        if current.rank == previous.rank:
            assert current.final == previous.final  # only equal scores share a rank
        else:
            assert current.rank == i + 1  # 1, 2, 2, 4: a shared rank skips the next ones
            assert current.final <= previous.final


@given(
    st.lists(st.integers(min_value=0, max_value=200).map(lambda n: D(n) / 2),
             min_size=1, max_size=9),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=1, max_value=5),
)
def test_trimmed_mean_lies_between_kept_extremes(totals: list[D], trim: int,
                                                 min_remaining: int) -> None:
    named = [(f"J{i}", t) for i, t in enumerate(totals)]
    result = aggregate_panel(named, "trimmed_mean", trim, min_remaining)
    kept = [Fraction(t) for j, t in named if j in result.kept]
    assert min(kept) <= result.value <= max(kept)
    assert len(result.dropped) in (0, 2 * trim)
    if result.dropped:
        assert len(result.kept) >= min_remaining
        dropped = sorted(Fraction(t) for j, t in named if j in result.dropped)
        assert dropped[:trim] == sorted(kept + dropped)[:trim]
