"""The event's discrepancy rules, evaluated over the sheets a contestant has so far.

Three rules (`[discrepancy]` in the event file), each flagging when a difference EXCEEDS
its threshold (a difference equal to the threshold is tolerated):
- `criterion_spread`: max − min of one criterion across the judges;
- `total_spread`: max − min of the judges' totals;
- `outlier`: a judge's total against the median of the other judges' totals.

Pure: no I/O. Returns every flag that holds now; the ledger keeps which of them were raised,
accepted or resolved. A flag's `key` names what it is about, so re-evaluating after a
revision tells whether the same flag still holds.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import chain

from sync.event import Discrepancy


@dataclass(frozen=True)
class Flag:
    contestant: str
    rule: str  # criterion_spread | total_spread | outlier
    criterion: str | None  # for criterion_spread
    judges: tuple[str, ...]  # the judges whose values make the difference
    values: Mapping[str, Decimal]  # every judge's value the rule compared
    difference: Decimal
    threshold: Decimal

    @property
    def key(self) -> str:
        """Identifies the flag across re-evaluations: contestant, rule and subject."""
        subject = self.criterion if self.rule == "criterion_spread" else (
            self.judges[0] if self.rule == "outlier" else "")
        return f"{self.contestant}:{self.rule}:{subject}"

    def describe(self) -> str:
        shown = ", ".join(f"{j} {_plain(v)}" for j, v in self.values.items())
        what = {"criterion_spread": f"{self.criterion} spread",
                "total_spread": "total spread",
                "outlier": f"{self.judges[0]} differs from the median of the others by"}[self.rule]
        return (f"{self.contestant}: {what} {_plain(self.difference)} > "
                f"{_plain(self.threshold)} ({shown})")


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _median_without(ordered: Sequence[Decimal], value: Decimal) -> Decimal:
    """The median of `ordered` (sorted) once one occurrence of `value` is taken out."""
    drop = bisect_left(ordered, value)

    def at(k: int) -> Decimal:
        return ordered[k if k < drop else k + 1]

    size = len(ordered) - 1
    mid = size // 2
    # Halving a sum of two decimals is exact: it needs at most one more digit.
    return at(mid) if size % 2 else (at(mid - 1) + at(mid)) / 2


def evaluate(rules: Discrepancy, contestant: str,
             sheets: Mapping[str, Mapping[str, Decimal]]) -> list[Flag]:
    """Flags for one contestant; `sheets` maps judge id -> criterion id -> value, in the
    event's judge order."""
    if len(sheets) < 2:
        return []
    flags: list[Flag] = []
    judges = list(sheets)
    if rules.criterion_spread is not None:
        criteria = list(dict.fromkeys(chain.from_iterable(sheets.values())))
        for criterion in criteria:
            values = {j: sheets[j][criterion] for j in judges if criterion in sheets[j]}
            flag = _spread(contestant, "criterion_spread", criterion, values,
                           rules.criterion_spread)
            if flag:
                flags.append(flag)
    totals = {j: sum(sheets[j].values(), Decimal(0)) for j in judges}
    if rules.total_spread is not None:
        flag = _spread(contestant, "total_spread", None, totals, rules.total_spread)
        if flag:
            flags.append(flag)
    if rules.outlier is not None:
        ordered = sorted(totals.values())
        medians: dict[Decimal, Decimal] = {}  # a big panel has many equal totals
        for judge in judges:
            total = totals[judge]
            if total not in medians:
                medians[total] = _median_without(ordered, total)
            difference = abs(total - medians[total])
            if difference > rules.outlier:
                flags.append(Flag(contestant, "outlier", None, (judge,), totals,
                                  _decimal(Fraction(difference)), rules.outlier))
    return flags


def _spread(contestant: str, rule: str, criterion: str | None, values: Mapping[str, Decimal],
            threshold: Decimal) -> Flag | None:
    if len(values) < 2:
        return None
    high, low = max(values.values()), min(values.values())
    if high - low <= threshold:
        return None
    extremes = tuple(j for j, v in values.items() if v in (high, low))
    return Flag(contestant, rule, criterion, extremes, dict(values), high - low, threshold)


def _decimal(value: Fraction) -> Decimal:
    """Medians of sheet totals are halves at worst, so this division is exact."""
    return Decimal(value.numerator) / Decimal(value.denominator)
