"""The reveal (亮分): the head judge shows a contestant's scores to the hall.

`reveal(head, contestant)` writes one `contestant_revealed` ledger entry holding the figures
shown: each judge's total, the totals struck out by the panel rule (highest and lowest for a
trimmed mean), the panel score, the components known so far and the final score once every
component is in. Only a revealed contestant's figures ever leave the master's judge-facing
side (`head_judge.screen_state`). Refused (nothing written) while a sheet of the panel is
missing, a flag or review is open, or a laptop and a paper sheet conflict; a contestant may
be revealed again after a change (the new figures replace the old on the screens).

`reveal_figures` is the arithmetic, the same as `head_judge.scoring` (rounding included).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sync.event import Contestant, Event

from .actions import ActionRefused, HeadJudge
from .refusals import Message
from .scoring import aggregate_panel, plain, round_exact

__all__ = ["REVEALED", "reveal", "reveal_blockers", "reveal_figures"]

REVEALED = "contestant_revealed"


def reveal_figures(event: Event, contestant: Contestant, totals: Mapping[str, Decimal],
                   imported: Mapping[str, Mapping[str, Decimal]]) -> dict[str, Any]:
    """The figures a reveal shows, as canonical-ready text: `judges` (judge id, total, struck
    out or not) in event order, `panel`, `components` (id -> value, None while an imported
    one is missing) and `final` (None until every component is in)."""
    rules = event.scoring

    def rnd(value: Fraction | Decimal) -> Decimal:
        return round_exact(value, rules.decimals, rules.rounding)

    ordered = [(j.id, totals[j.id]) for j in event.judges if j.id in totals]
    aggregate = aggregate_panel(ordered, rules.aggregate, rules.trim, rules.min_remaining)
    panel = rnd(aggregate.value)
    components: dict[str, Decimal | None] = {}
    for component in rules.components:
        if component.source == "panel":
            components[component.id] = rnd(
                Fraction(panel) * Fraction(component.max) / Fraction(event.rubric_max))
        else:
            value = imported.get(component.id, {}).get(contestant.id)
            components[component.id] = None if value is None else rnd(value)
    known = {c: v for c, v in components.items() if v is not None}
    final = None if len(known) < len(components) else rnd(sum(
        (Fraction(c.weight) * Fraction(known[c.id]) for c in rules.components), Fraction(0)))
    return {
        "judges": [{"judge": judge, "total": plain(total),
                    "dropped": judge in aggregate.dropped} for judge, total in ordered],
        "panel": str(panel),
        "components": {c: None if v is None else str(v) for c, v in components.items()},
        "final": None if final is None else str(final),
    }


def reveal_blockers(head: HeadJudge, contestant_id: str) -> list[Message]:
    """Why the contestant cannot be revealed now: missing sheets, open flags or reviews, a
    laptop/paper conflict (what blocks a lock, a forced lock aside). Empty when it can."""
    return head.lock_blockers(contestant_id)


def reveal(head: HeadJudge, contestant_id: str) -> int:
    """Reveal the contestant's scores to the hall; returns the `contestant_revealed` entry."""
    at = head.timestamp()
    with head.master.write():
        contestant = head.contestant(contestant_id)
        blockers = reveal_blockers(head, contestant.id)
        if blockers:
            raise ActionRefused("cannot_reveal", contestant=contestant.id, blockers=blockers)
        totals = {s.judge: sum(s.values.values(), Decimal(0))
                  for s in head.sheets(contestant.id) if not s.withdrawn}
        if not totals:
            raise ActionRefused("reveal_no_sheets", contestant=contestant.id)
        figures = reveal_figures(head.event, contestant, totals, head.components())
        entry = head.record(REVEALED, {"contestant": contestant.id, "figures": figures}, at)
    return entry.seq
