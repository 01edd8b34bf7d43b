"""Blind judging on paper: contestants by draw number (抽签号 07) while identities are hidden.

`blind_view(event, draws, names=...)` is the event as a blind final's sheets print it, so
that every sheet kind reads names, organisations, members and instructors from it as usual:
with `names=False` each contestant's name is their draw number (`draw_label`) and nothing
else identifies them (no organisation, members or instructor; no judge's affiliation, which
with recusal would tell a contestant's organisation), recusal kept as it was; with
`names=True` (contestant sheets and results after the reveal) the name follows the draw
number. Pure: the caller (the master) says which draws are in force and which view a sheet
gets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sync.event import Contestant, Event

from .words import langs, w

__all__ = ["blind_view", "draw_label"]


def draw_label(event: Event, draw: str | None) -> str:
    """`抽签号 07 Draw 07` in the event's languages; `抽签号 — Draw —` before the draw."""
    return w("draw", langs(event), n=draw) if draw else w("draw_none", langs(event))


def blind_view(event: Event, draws: Mapping[str, str], *, names: bool) -> Event:
    """`event` with each contestant shown by draw number: alone (`names=False`), or before
    the name (`names=True`, everything else as it was)."""

    def shown(c: Contestant) -> Contestant:
        label = draw_label(event, draws.get(c.id))
        if names:
            return replace(c, name=f"{label} · {c.name}")
        recused = tuple(j.id for j in event.judges if event.is_recused(j, c))
        return Contestant(id=c.id, name=label, organisation="", track=c.track, group=c.group,
                          order=c.order, recuse=recused)

    judges = event.judges if names else tuple(replace(j, affiliation="") for j in event.judges)
    return replace(event, contestants=tuple(shown(c) for c in event.contestants),
                   judges=judges)
