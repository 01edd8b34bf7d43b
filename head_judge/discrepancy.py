"""The event's discrepancy rules, evaluated over the sheets a contestant has so far.

Three rules (`[discrepancy]` in the event file), each flagging when a difference EXCEEDS
its threshold (a difference equal to the threshold is tolerated):
- `criterion_spread`: max − min of one criterion across the judges;
- `total_spread`: max − min of the judges' totals;
- `outlier`: a judge's total against the median of the whole panel's totals for that
  contestant, that judge's own included (an even count takes the mean of the two middle
  totals): with 81, 80, 50 and `outlier = 10` the median is 80 and only the 50 is flagged.

Pure: no I/O. Returns every flag that holds now; the ledger keeps which of them were raised,
accepted or resolved. A flag's `key` names what it is about, so re-evaluating after a
revision tells whether the same flag still holds.
"""

from __future__ import annotations

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


def _median(ordered: Sequence[Decimal]) -> Decimal:
    """The median of `ordered` (sorted, not empty): the middle value, or the mean of the two
    middle values of an even count."""
    mid = len(ordered) // 2
    # Halving a sum of two decimals is exact: it needs at most one more digit.
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


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
        median = _median(sorted(totals.values()))
        for judge in judges:
            difference = abs(totals[judge] - median)
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
