"""Blind judging (加密/解密): judges know contestants by draw number (抽签号) only.

No clock, and no I/O but `blind_state`, which reads the master's projections. `seeded_draw`
is the documented draw from a seed read out in front of the notary (docs/blind.md),
reproducible by anyone with the seed and the contestant ids; `blind_event` is the event as
one judge's terminal may see it while identities are hidden: every contestant named by draw
number, no member, organisation or instructor, no judge's affiliation, and as recusal only
the draw numbers this judge must not score. `BlindState` is what the projections hold; it
decides nothing by itself (the actions are in `head_judge.blind_actions`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from sync.event import Contestant, Event

__all__ = ["DRAW_MADE", "IDENTITIES_REVEALED", "BlindState", "blind_event", "blind_state",
           "draw_width", "seeded_draw"]

DRAW_MADE = "draw_made"
IDENTITIES_REVEALED = "identities_revealed"


def draw_width(count: int) -> int:
    """Digits of a draw number: every number of a draw of `count` has as many (01 … 12)."""
    return max(2, len(str(count)))


def seeded_draw(seed: str, contestant_ids: Iterable[str]) -> dict[str, str]:
    """The draw from `seed`: each contestant's key is SHA-256 of the seed's UTF-8 bytes, a
    newline and the contestant id's UTF-8 bytes (hex); contestants sorted by (key, id) take
    the numbers 1, 2, 3 … in that order, zero-padded to `draw_width`. Returns id -> number."""
    ids = sorted(set(contestant_ids))
    width = draw_width(len(ids))
    keyed = sorted(ids, key=lambda cid: (
        hashlib.sha256(seed.encode("utf-8") + b"\n" + cid.encode("utf-8")).hexdigest(), cid))
    return {cid: str(n).zfill(width) for n, cid in enumerate(keyed, start=1)}


@dataclass(frozen=True)
class BlindState:
    """The event's blind setting, the draw in force (contestant id -> draw number) and the
    reveal of identities (None until `identities_revealed`)."""

    blind: bool
    draws: Mapping[str, str] = field(default_factory=dict)
    revealed_seq: int | None = None
    revealed_at: str | None = None
    revealed_reason: str | None = None

    @property
    def hidden(self) -> bool:
        """Identities are hidden: a blind event before `reveal-identities`."""
        return self.blind and self.revealed_seq is None

    def draw(self, contestant_id: str) -> str | None:
        return self.draws.get(contestant_id)


def blind_state(conn: sqlite3.Connection, event: Event) -> BlindState:
    """The master's blind state as its projections hold it."""
    if not event.blind:
        return BlindState(False)
    draws = dict(conn.execute("SELECT contestant, draw FROM draws").fetchall())
    row = conn.execute("SELECT ledger_seq, at, reason FROM identities_revealed").fetchone()
    if row is None:
        return BlindState(True, draws)
    return BlindState(True, draws, row[0], row[1], row[2])


def blind_event(event: Event, draws: Mapping[str, str], judge_id: str) -> Event:
    """`event` as judge `judge_id`'s terminal sees it while identities are hidden: each
    contestant's name is their draw number and nothing else identifies them; the judges'
    affiliations are left out; `recuse` lists this judge alone, on exactly the contestants
    the master says they must not score. Contestants without a draw number are left out."""
    judge = event.judge(judge_id)

    def masked(c: Contestant) -> Contestant:
        recused = judge is not None and event.is_recused(judge, c)
        return Contestant(id=c.id, name=draws[c.id], organisation="", track=c.track,
                          group=c.group, order=c.order,
                          recuse=(judge_id,) if recused else ())

    return replace(
        event,
        contestants=tuple(masked(c) for c in event.contestants if c.id in draws),
        judges=tuple(replace(j, affiliation="") for j in event.judges),
    )
