"""Organisation awards and honours, checked against independent exact-fraction oracles
(hypothesis) and by hand on small finals."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from head_judge.paper import read_component, read_sheets
from head_judge.scoring import PanelSheet, TieDecision, tabulate
from sync.event import Contestant, Event, Honour, OrganisationAward, Requirement, Text, TierPoints
from sync.event_file import load_event

from .factories import make_event
from .test_actions import Final, close_everything, tie

ORGS = ["甲大学", "甲大学 ", "ＡＢ学院", "AB学院", "乙公司", "丙中心"]  # width/space variants


def award(score: str, *, count: int = 2, best: int | None = None) -> OrganisationAward:
    points = (TierPoints("first", D(5)), TierPoints("second", D(3)), TierPoints("merit", D(1)))
    return OrganisationAward("org", Text("优秀组织奖", "Organisation award"),
                             score, count,  # type: ignore[arg-type]
                             points if score == "prize_points" else (), best)


@st.composite
def finals(draw: st.DrawFn) -> tuple[Event, list[PanelSheet]]:
    n = draw(st.integers(min_value=1, max_value=10))
    orgs = draw(st.lists(st.sampled_from(ORGS), min_size=n, max_size=n))
    contestants = [Contestant(f"C{i:02d}", f"C{i:02d}", org, "t1", None, i)
                   for i, org in enumerate(orgs, 1)]
    score = draw(st.sampled_from(["prize_points", "best_mean"]))
    event = make_event(contestants=contestants, judges=3, aggregate="mean")
    event = dataclasses.replace(event, organisation_awards=(
        award(score, count=draw(st.integers(1, 3)), best=draw(st.integers(1, 3))),))
    values = st.integers(min_value=0, max_value=120).map(lambda v: D(v) / 2)
    sheets = [PanelSheet(j.id, c.id, {"a": draw(values), "b": draw(values).min(D(40))})
              for c in contestants for j in event.judges]
    return event, sheets


def oracle(event: Event, results_scopes: list[dict]) -> list[tuple[str, Fraction]]:  # type: ignore[type-arg]
    """Each organisation's exact score, computed afresh from the results document."""
    spec = event.organisation_awards[0]
    points = {p.tier: Fraction(p.points) for p in spec.points}
    by_org: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for scope in results_scopes:
        for entry in scope["ranking"]:
            org = event.contestant(entry["contestant"]).organisation  # type: ignore[union-attr]
            key = "".join(unicodedata.normalize("NFKC", org).split()).casefold()
            by_org.setdefault(key, []).append(entry)
    out = []
    for key, entries in by_org.items():
        if spec.score == "prize_points":
            value = sum((points.get(e["prize"], Fraction(0)) for e in entries), Fraction(0))
        else:
            best = sorted((Fraction(D(e["final"])) for e in entries), reverse=True)[:spec.best]
            mean = sum(best, Fraction(0)) / len(best)
            value = Fraction(int(mean * 100 + Fraction(1, 2)), 100)  # half up, 2 places
        out.append((key, value))
    return out


@settings(max_examples=150, deadline=None)
@given(finals())
def test_organisation_ranking_matches_an_exact_oracle(final: tuple[Event, list[PanelSheet]]
                                                      ) -> None:
    event, sheets = final
    results = tabulate(event, sheets)
    document = results.to_document()
    if any(u.kind == "tie_prize" for u in results.unresolved):
        return  # a prize still undecided has no points yet
    expected = dict(oracle(event, document["scopes"]))
    (ranking,) = document["organisations"]
    rows = ranking["ranking"]
    assert len(rows) == len(expected)
    key = {r["organisation"]: "".join(unicodedata.normalize("NFKC", r["organisation"])
                                      .split()).casefold() for r in rows}
    assert {key[r["organisation"]]: Fraction(D(r["score"])) for r in rows} == expected
    count = event.organisation_awards[0].count
    for r in rows:  # rank = 1 + the number of organisations scoring strictly more
        better = sum(1 for v in expected.values() if v > expected[key[r["organisation"]]])
        assert r["rank"] == better + 1
        tied = sum(1 for v in expected.values() if v == expected[key[r["organisation"]]])
        if r["rank"] + tied - 1 <= count:
            assert r["awarded"] is True
        elif r["rank"] > count:
            assert r["awarded"] is False
        else:  # straddles the last awarded place: the head judge decides
            assert r["awarded"] is None
            assert any(u["kind"] == "tie_organisation" and r["organisation"] in u["contestants"]
                       for u in document["unresolved"])


def test_width_and_space_variants_are_one_organisation() -> None:
    contestants = [Contestant("C1", "C1", "ＡＢ学院", "t1", None, 1),
                   Contestant("C2", "C2", "AB 学院", "t1", None, 2),
                   Contestant("C3", "C3", "乙公司", "t1", None, 3)]
    event = dataclasses.replace(make_event(contestants=contestants, judges=1, aggregate="mean"),
                                organisation_awards=(award("prize_points", count=1),))
    sheets = [PanelSheet("J1", "C1", {"a": D(50), "b": D(30)}),
              PanelSheet("J1", "C2", {"a": D(40), "b": D(30)}),
              PanelSheet("J1", "C3", {"a": D(45), "b": D(30)})]
    (ranking,) = tabulate(event, sheets).organisations
    assert [(s.organisation, s.score, s.contestants, s.awarded) for s in ranking.ranking] == [
        ("ＡＢ学院", D(8), ("C1", "C2"), True), ("乙公司", D(3), ("C3",), False)]


def test_a_tie_across_the_count_is_unresolved_until_decided() -> None:
    contestants = [Contestant("C1", "C1", "甲", "t1", None, 1),
                   Contestant("C2", "C2", "乙", "t1", None, 2),
                   Contestant("C3", "C3", "丙", "t1", None, 3)]
    event = dataclasses.replace(make_event(contestants=contestants, judges=1, aggregate="mean"),
                                organisation_awards=(award("best_mean", count=1, best=1),))
    sheets = [PanelSheet("J1", c, {"a": D(50), "b": D(30)}) for c in ("C1", "C2")] + [
        PanelSheet("J1", "C3", {"a": D(10), "b": D(30)})]
    results = tabulate(event, sheets)
    tie = [u for u in results.unresolved if u.kind == "tie_organisation"]
    assert [(u.scope, u.contestants) for u in tie] == [(("", None), ("乙", "甲"))]
    assert [s.awarded for s in results.organisations[0].ranking] == [None, None, False]
    decided = tabulate(event, sheets, decisions=[
        TieDecision(frozenset({"甲", "乙"}), "order", ("甲", "乙"))])
    assert not [u for u in decided.unresolved if u.kind == "tie_organisation"]
    assert [(s.organisation, s.awarded) for s in decided.organisations[0].ranking] == [
        ("乙", False), ("甲", True), ("丙", False)]


# --- honours ---------------------------------------------------------------------------------

def honours(top: int) -> tuple[Honour, ...]:
    need = (Requirement("criterion", "a", D(30)), Requirement("final", "", D(50)))
    return (Honour("gold", Text("优秀", "Excellent"), need, None, top),
            Honour("pass", Text("合格", "Qualified"), need, None, None, True))


@settings(max_examples=150, deadline=None)
@given(finals(), st.integers(min_value=1, max_value=4))
def test_honours_match_an_oracle(final: tuple[Event, list[PanelSheet]], top: int) -> None:
    event, sheets = final
    event = dataclasses.replace(event, honours=honours(top))
    document = tabulate(event, sheets).to_document()
    ranking = document["scopes"][0]["ranking"]
    mean_a = {}
    for c in event.contestants:
        values = [s.values["a"] for s in sheets if s.contestant == c.id]
        exact = sum(map(Fraction, values), Fraction(0)) / len(values)
        mean_a[c.id] = Fraction(int(exact * 100 + Fraction(1, 2)), 100)
    qualified = [e for e in ranking if mean_a[e["contestant"]] >= 30 and D(e["final"]) >= 50]
    ties = [u for u in document["unresolved"] if u["kind"] == "tie_honour"]
    for e in ranking:
        if e not in qualified:
            assert e["honours"] == []
            continue
        ahead = sum(1 for q in qualified if q["rank"] < e["rank"])
        level = sum(1 for q in qualified if q["rank"] == e["rank"])
        if ahead + level <= top:
            assert e["honours"] == ["gold"]
        elif ahead >= top:
            assert e["honours"] == ["pass"]
        else:  # the tie straddles the last place: undecided, nobody of it holds either
            assert e["honours"] == []
            assert any(e["contestant"] in u["contestants"] for u in ties)


def test_honours_apply_to_their_groups_only() -> None:
    contestants = [Contestant("S1", "S1", "o", "t1", "staff", 1),
                   Contestant("P1", "P1", "o", "t1", "student", 2)]
    event = make_event(contestants=contestants, judges=1, aggregate="mean")
    event = dataclasses.replace(event, honours=(
        Honour("tech", Text("技师", "Technician"), (), ("staff",), 6),))
    sheets = [PanelSheet("J1", c.id, {"a": D(50), "b": D(30)}) for c in contestants]
    results = tabulate(event, sheets)
    held = {s.contestant: s.honours for scope in results.scopes for s in scope.ranking}
    assert held == {"S1": ("tech",), "P1": ()}


def test_a_tie_across_a_top_honour_waits_for_the_head_judge() -> None:
    contestants = [Contestant(c, c, "o", "t1", None, i) for i, c in enumerate("ABC", 1)]
    event = dataclasses.replace(make_event(contestants=contestants, judges=1, aggregate="mean"),
                                honours=honours(1))
    sheets = [PanelSheet("J1", c, {"a": D(40), "b": D(30)}) for c in "AB"] + [
        PanelSheet("J1", "C", {"a": D(35), "b": D(30)})]
    held = tabulate(event, sheets)
    assert [(u.kind, u.contestants) for u in held.unresolved] == [
        ("tie_prize", ("A", "B")), ("tie_honour", ("A", "B"))]
    assert [s.honours for s in held.scopes[0].ranking] == [(), (), ("pass",)]
    shared = tabulate(event, sheets, decisions=[TieDecision(frozenset("AB"), "shared")])
    assert shared.unresolved == ()
    assert [s.honours for s in shared.scopes[0].ranking] == [("gold",), ("gold",), ("pass",)]


def test_the_awards_fixture_criterion_means_are_the_reference(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "roadshow-awards"
    event = load_event(folder / "event.toml")
    results = tabulate(event, read_sheets(event, str(folder / "sheets.csv")),
                       {"stage": read_component(event, "stage", folder / "stage.csv")})
    expected = json.loads((folder / "expected-results.json").read_text(encoding="utf-8"))
    crit = {e["contestant"]: e["crit"] for s in expected["scopes"] for e in s["ranking"]}
    ours = {s.contestant: {k: str(v) for k, v in s.criterion_means.items()}
            for scope in results.scopes for s in scope.ranking}
    assert ours == crit


# --- deciding an organisation tie on a live master ---------------------------------------------

def test_an_organisation_tie_blocks_publishing_until_decided(tmp_path: Path,
                                                             event: Event) -> None:
    event = dataclasses.replace(event, organisation_awards=(
        award("best_mean", count=1, best=1),))
    final = Final(tmp_path / "home", event)
    try:
        tie(final, tmp_path)  # L01 (南岗区总工会) and L02 (松北区总工会) tie on every value
        head = final.head
        head.decide_tie(("live", None), ["L01", "L02"], "order", ["L01", "L02"], "抽签 lot")
        (org_tie,) = [u for u in head.current_results().unresolved
                      if u.kind == "tie_organisation"]
        assert org_tie.contestants == ("南岗区总工会", "松北区总工会")
        close_everything(final)
        refused = final.refused(lambda: head.publish(("live", None)), "cannot publish")
        assert "organisation award" in refused.reason
        names = ["南岗区总工会", "松北区总工会"]
        final.refused(lambda: head.decide_tie(None, names, "shared", [], "r", award="nope"),
                      "no organisation award 'nope'; the awards are: org")
        final.refused(lambda: head.decide_tie(None, names[:1], "shared", [], "r", award="org"),
                      "no unresolved tie among exactly 南岗区总工会")
        head.decide_tie(None, names, "order", names[::-1], "抽签 drawn by lot", award="org")
        entry = list(final.master.ledger.entries())[-1]
        assert entry.payload == {"track": "", "group": None, "contestants": names,
                                 "kind": "order", "order": names[::-1],
                                 "reason": "抽签 drawn by lot", "award": "org"}
        results = head.current_results()
        assert not [u for u in results.unresolved if u.kind == "tie_organisation"]
        awarded = {s.organisation: s.awarded for s in results.organisations[0].ranking}
        assert (awarded["松北区总工会"], awarded["南岗区总工会"]) == (True, False)
        assert head.published_organisations() == {}  # nothing published yet
        assert head.publish(("live", None)).version == 1
        assert head.published_organisations()["organisations"] == \
            results.to_document()["organisations"]
    finally:
        final.close()
