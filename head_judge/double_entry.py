"""Double entry of paper sheets: when do typed entries of one paper sheet agree?

A judge's paper sheet for a contestant is typed into the master by one operator and again,
blind, by a second; each typing is an `Entry`. Entries are grouped in **rounds**: round N
makes revision N of the paper sheet (a judge who corrects a sheet after a review starts round
N + 1). Within a round:

- a criterion's value is **settled** when two entries by different operators carry the same
  value for it (the first such pair in entry order decides: a later entry cannot unsettle it);
- it **differs** when two or more entries carry it and no two agree;
- the sheet **counts** when every criterion of the round's first entry is settled.

So the first two entries of a round carry every criterion, and a third carries only the
criteria that differ. Each operator types a round once (the master refuses a second typing by
the same operator, so "two entries agree" always means two people agree).

Pure: no I/O, no clock; the master's projections and the refusals call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = ["Entry", "Settlement", "settle"]


@dataclass(frozen=True)
class Entry:
    """One operator's typing of (part of) a paper sheet: `seq` orders entries (the ledger
    position), `values` are the criteria typed."""

    seq: int
    operator: str
    values: Mapping[str, Decimal]


@dataclass(frozen=True)
class Settlement:
    """What the entries of one round settle. `agreed` holds every settled value, `by` the
    entries that settled each one (two seqs), `differing` the criteria two or more entries
    carry without agreeing, `waiting` those with a single entry so far."""

    criteria: tuple[str, ...]
    agreed: Mapping[str, Decimal] = field(default_factory=dict)
    by: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    differing: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Every criterion settled: the sheet counts."""
        return bool(self.criteria) and len(self.agreed) == len(self.criteria)

    @property
    def entries(self) -> tuple[int, ...]:
        """The entries whose agreement made the sheet, in order."""
        return tuple(sorted({seq for pair in self.by.values() for seq in pair}))

    @property
    def open(self) -> tuple[str, ...]:
        """Criteria not settled yet, in the order of the round's first entry."""
        return tuple(c for c in self.criteria if c not in self.agreed)


def settle(entries: Sequence[Entry]) -> Settlement:
    """Settle one round's entries (in any order; they are read in `seq` order)."""
    ordered = sorted(entries, key=lambda e: e.seq)
    if not ordered:
        return Settlement(())
    criteria = tuple(ordered[0].values)
    agreed: dict[str, Decimal] = {}
    by: dict[str, tuple[int, int]] = {}
    carried: dict[str, list[Entry]] = {c: [] for c in criteria}
    for entry in ordered:
        for criterion, value in entry.values.items():
            if criterion not in carried or criterion in agreed:
                continue
            match = next((e for e in carried[criterion]
                          if e.values[criterion] == value and e.operator != entry.operator),
                         None)
            carried[criterion].append(entry)
            if match is not None:
                agreed[criterion], by[criterion] = value, (match.seq, entry.seq)
    return Settlement(
        criteria, agreed, by,
        differing=tuple(c for c in criteria if c not in agreed and len(carried[c]) > 1),
        waiting=tuple(c for c in criteria if c not in agreed and len(carried[c]) <= 1))
