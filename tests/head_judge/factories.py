"""Small events built in code, for table-driven scoring tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from head_judge.scoring import PanelSheet
from sync.event import (
    Advancement,
    Awards,
    Component,
    Contestant,
    Criterion,
    Discrepancy,
    Event,
    Judge,
    Scoring,
    Text,
    TiebreakKey,
    Tier,
    Track,
)


def make_event(
    *,
    contestants: list[Contestant],
    judges: int = 5,
    aggregate: str = "trimmed_mean",
    trim: int = 1,
    min_remaining: int = 3,
    components: tuple[Component, ...] | None = None,
    tiebreak: tuple[TiebreakKey, ...] = (),
    tiers: tuple[Tier, ...] | None = None,
    basis: str = "count",
    advancement: Advancement | None = None,
    rounding: str = "half_up",
    affiliations: dict[str, str] | None = None,
) -> Event:
    affiliations = affiliations or {}
    return Event(
        id="t", name=Text("测试", "Test"), round=Text("决赛", "Final"), date=dt.date(2025, 1, 1),
        venue=Text("场馆", "Hall"), organiser=Text("主办", "Organiser"), languages=("zh", "en"),
        notary=False,
        criteria=(Criterion("a", Text("甲", "A"), D(60), D("0.5")),
                  Criterion("b", Text("乙", "B"), D(40), D("0.5"))),
        scoring=Scoring(
            aggregate=aggregate,  # type: ignore[arg-type]
            components=components or (Component("panel", Text("评分", "Panel"), "panel",
                                                D(100), D(1)),),
            tiebreak=tiebreak, trim=trim, min_remaining=min_remaining, rounding=rounding,
        ),
        discrepancy=Discrepancy(),
        awards=Awards(basis, tiers or (  # type: ignore[arg-type]
            Tier("first", Text("一等奖", "First"), count=1),
            Tier("second", Text("二等奖", "Second"), count=2),
            Tier("merit", Text("优秀奖", "Merit"), rest=True),
        )),
        tracks=(Track("t1", Text("赛道", "Track")),),
        judges=tuple(Judge(f"J{i}", Text(f"J{i}", f"J{i}"), affiliations.get(f"J{i}", f"org-J{i}"))
                     for i in range(1, judges + 1)),
        contestants=tuple(contestants),
        advancement=advancement,
    )


def contestant(cid: str, order: int, organisation: str = "", recuse: tuple[str, ...] = ()
               ) -> Contestant:
    return Contestant(cid, cid, organisation or f"org-{cid}", "t1", None, order, recuse=recuse)


def sheets_for(cid: str, totals: dict[str, str]) -> list[PanelSheet]:
    """Sheets whose totals are as given; criterion b carries 40% rounded to the step."""
    out = []
    for judge, total in totals.items():
        t = D(total)
        b = min((t * D("0.4") * 2).to_integral_value() / 2, D(40))
        out.append(PanelSheet(judge, cid, {"a": t - b, "b": b}))
    return out
