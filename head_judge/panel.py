"""The panel report (confidential, for the head judge): how each judge scored, and which
results hang on a single judge.

Pure: no I/O, no clock, no floats. Per judge and ranking: sheets, mean total, mean signed
deviation from the panel score of the same contestants (lenient +, severe −), mean absolute
deviation, totals dropped as highest or lowest, flags raised, and the Spearman correlation of
the judge's totals with the panel score computed without them. Fragile results: the final
recomputed leaving out each judge in turn (the event's aggregate over the remaining judges),
and every contestant whose prize or advancement would change, with the judge it depends on
(a contestant left with no sheet without that judge is not recomputed: the entry says so).
Means are rounded half up to the event's decimals at the end only; the correlation is exact
until its final rounding to two places. It informs; it never changes a result.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import isqrt
from typing import Any

from sync.event import Event

from .scoring import (
    PanelSheet,
    Results,
    ScopeKey,
    Standing,
    TieDecision,
    aggregate_panel,
    round_exact,
    tabulate,
)

__all__ = ["FragileResult", "JudgeProfile", "PanelReport", "flags_per_judge", "panel_report",
           "spearman"]

CORRELATION_DECIMALS = 2


@dataclass(frozen=True)
class JudgeProfile:
    """One judge in one ranking."""

    judge: str
    scope: ScopeKey
    sheets: int
    mean_total: Decimal
    mean_deviation: Decimal
    mean_absolute_deviation: Decimal
    dropped_high: int
    dropped_low: int
    flags: int
    spearman: Decimal | None  # None: fewer than 3 contestants, or no spread to correlate


@dataclass(frozen=True)
class FragileResult:
    """A contestant whose prize or advancement changes when `judge` is left out."""

    scope: ScopeKey
    contestant: str
    judge: str
    rank: int
    rank_without: int | None  # None: not ranked without the judge
    prize: str | None
    prize_without: str | None
    advances: bool | None
    advances_without: bool | None
    no_sheet_without: bool = False  # only this judge scored them: skipped, not recomputed


@dataclass(frozen=True)
class PanelReport:
    judges: tuple[JudgeProfile, ...]
    fragile: tuple[FragileResult, ...]

    def to_document(self) -> dict[str, Any]:
        def text(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "judges": [{
                "judge": p.judge, "track": p.scope[0], "group": p.scope[1], "sheets": p.sheets,
                "mean_total": str(p.mean_total), "mean_deviation": str(p.mean_deviation),
                "mean_absolute_deviation": str(p.mean_absolute_deviation),
                "dropped_high": p.dropped_high, "dropped_low": p.dropped_low, "flags": p.flags,
                "spearman": text(p.spearman)} for p in self.judges],
            "fragile": [{
                "track": f.scope[0], "group": f.scope[1], "contestant": f.contestant,
                "judge": f.judge, "rank": f.rank, "rank_without": f.rank_without,
                "prize": f.prize, "prize_without": f.prize_without, "advances": f.advances,
                "advances_without": f.advances_without,
                "no_sheet_without": f.no_sheet_without} for f in self.fragile],
        }


def panel_report(
    event: Event,
    sheets: Iterable[PanelSheet],
    imported: Mapping[str, Mapping[str, Decimal]] | None = None,
    *,
    excused: Collection[tuple[str, str]] = (),
    decisions: Iterable[TieDecision] = (),
    flags: Mapping[str, Mapping[str, int]] | None = None,
) -> PanelReport:
    """The report on `event` from the same inputs as `tabulate`; `flags`: per judge, the
    number of flags naming them per contestant."""
    sheets = tuple(sheets)
    imported = imported or {}
    decisions = tuple(decisions)
    results = tabulate(event, sheets, imported, excused=excused, decisions=decisions)
    profiles = _profiles(event, results, flags or {})
    fragile: list[FragileResult] = []
    for judge in event.judges:
        without = tabulate(
            event, [s for s in sheets if s.judge != judge.id], imported,
            excused={*excused, *((judge.id, c.id) for c in event.contestants)},
            decisions=decisions)
        fragile += _changed(results, without, judge.id)
    return PanelReport(tuple(profiles), tuple(fragile))


def _profiles(event: Event, results: Results,
              flags: Mapping[str, Mapping[str, int]]) -> list[JudgeProfile]:
    rules = event.scoring
    out: list[JudgeProfile] = []
    for scope in results.scopes:
        key = (scope.track, scope.group)
        for judge in event.judges:
            scored = [s for s in scope.ranking if judge.id in s.judges]
            if not scored:
                continue
            n = len(scored)
            totals = [Fraction(s.judges[judge.id]) for s in scored]
            deviations = [t - Fraction(s.panel) for t, s in zip(totals, scored, strict=True)]
            high = low = 0
            for s in scored:
                side = _dropped_side(s, judge.id, rules.trim)
                high += side == "high"
                low += side == "low"
            without = [(Fraction(s.judges[judge.id]), _panel_without(event, s, judge.id))
                       for s in scored]
            pairs = [(x, y) for x, y in without if y is not None]

            def rnd(value: Fraction) -> Decimal:
                return round_exact(value, rules.decimals, "half_up")

            out.append(JudgeProfile(
                judge.id, key, n, rnd(sum(totals, Fraction(0)) / n),
                rnd(sum(deviations, Fraction(0)) / n),
                rnd(sum((abs(d) for d in deviations), Fraction(0)) / n),
                high, low, sum(flags.get(judge.id, {}).get(s.contestant, 0) for s in scored),
                spearman(pairs)))
    return out


def _dropped_side(standing: Standing, judge: str, trim: int) -> str | None:
    """"high" or "low" when the panel rule struck this judge's total out (the order
    `aggregate_panel` uses: value, then judge order)."""
    if judge not in standing.dropped:
        return None
    ids = list(standing.judges)
    ranked = sorted(range(len(ids)), key=lambda i: (standing.judges[ids[i]], i))
    position = ranked.index(ids.index(judge))
    return "low" if position < trim else "high"


def _panel_without(event: Event, standing: Standing, judge: str) -> Fraction | None:
    others = [(j, v) for j, v in standing.judges.items() if j != judge]
    if not others:
        return None
    rules = event.scoring
    return aggregate_panel(others, rules.aggregate, rules.trim, rules.min_remaining).value


def _average_ranks(values: Sequence[Fraction]) -> list[Fraction]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [Fraction(0)] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = Fraction(start + end + 2, 2)
        start = end + 1
    return ranks


def spearman(pairs: Sequence[tuple[Fraction, Fraction]]) -> Decimal | None:
    """Spearman's rank correlation (ties take their average rank: Pearson's r of the ranks),
    rounded half up (away from zero) to two places; None for fewer than 3 pairs or no spread
    in either. Exact: r² = cov² / (vx · vy) is a Fraction and the rounding takes an integer
    square root, so no value near a half is rounded the wrong way."""
    if len(pairs) < 3:
        return None
    xs = _average_ranks([x for x, _ in pairs])
    ys = _average_ranks([y for _, y in pairs])
    mx, my = sum(xs, Fraction(0)) / len(xs), sum(ys, Fraction(0)) / len(ys)
    cov = sum(((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)), Fraction(0))
    vx = sum(((x - mx) ** 2 for x in xs), Fraction(0))
    vy = sum(((y - my) ** 2 for y in ys), Fraction(0))
    if vx == 0 or vy == 0:
        return None
    scale = 10 ** CORRELATION_DECIMALS
    # |r| * 2 * scale, floored: floor(sqrt(x)) == isqrt(floor(x)) for a rational x >= 0
    doubled = isqrt(int(cov * cov * 4 * scale * scale / (vx * vy)))
    units = (doubled + 1) // 2  # floor(|r| * scale + 1/2): half up
    return Decimal(units if cov >= 0 else -units).scaleb(-CORRELATION_DECIMALS)


def _changed(results: Results, without: Results, judge: str) -> list[FragileResult]:
    """Every contestant whose prize or advancement differs without `judge` (a tie left
    undecided without them shows as None: a change worth knowing). A contestant only `judge`
    scored has no result without them: listed as skipped (`no_sheet_without`), not compared."""
    after = {s.contestant: s for scope in without.scopes for s in scope.ranking}
    out: list[FragileResult] = []
    for scope in results.scopes:
        for s in scope.ranking:
            if judge not in s.judges:
                continue
            other = after.get(s.contestant)
            if len(s.judges) == 1:
                out.append(FragileResult((scope.track, scope.group), s.contestant, judge,
                                         s.rank, None, s.prize, None, s.advances, None,
                                         no_sheet_without=True))
                continue
            prize_without = other.prize if other is not None else None
            advances_without = other.advances if other is not None else None
            if (prize_without, advances_without) != (s.prize, s.advances):
                out.append(FragileResult(
                    (scope.track, scope.group), s.contestant, judge, s.rank,
                    other.rank if other is not None else None, s.prize, prize_without,
                    s.advances, advances_without))
    return out


def flags_per_judge(flags: Iterable[tuple[str, Sequence[str]]]) -> dict[str, dict[str, int]]:
    """(contestant, judges named) per flag -> judge -> contestant -> count."""
    counted: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for contestant, judges in flags:
        for judge in judges:
            counted[judge][contestant] += 1
    return {j: dict(c) for j, c in counted.items()}
