"""Turns judges' sheets and imported components into ranks, prizes and advancement.

Pure: no I/O, no clock, no floats. Arithmetic between the three rounding points of
docs/scoring.md (panel score, each component, final score) is exact (`Fraction`); values come
in and go out as `Decimal`. Input is assumed validated against the rubric (see
`head_judge.paper`); this module refuses (ValueError) sheets that break the event's
structure, such as a recused judge's sheet, rather than guessing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sync.event import Contestant, Event, Honour, OrganisationAward, Tier
from sync.organisations import organisation_key

ScopeKey = tuple[str, str | None]


@dataclass(frozen=True)
class PanelSheet:
    """One judge's values for one contestant, criterion id -> value."""

    judge: str
    contestant: str
    values: Mapping[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.values.values(), Decimal(0))


@dataclass(frozen=True)
class Standing:
    """A ranked contestant within a scope, with every number a sheet prints."""

    contestant: str
    rank: int
    final: Decimal
    panel: Decimal
    components: Mapping[str, Decimal]
    criterion_means: Mapping[str, Decimal]
    judges: Mapping[str, Decimal]
    dropped: tuple[str, ...]
    prize: str | None
    advances: bool | None
    honours: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unresolved:
    """Something that blocks publishing a scope until the head judge decides it."""

    scope: ScopeKey
    kind: str  # tie_prize | tie_advancement | tie_honour | tie_organisation |
    # missing_sheets | missing_component (a tie_organisation's scope is ("", None): the event;
    # its `contestants` are the tied organisations' names)
    contestants: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Missing:
    """What a contestant still lacks: sheets from judges of their panel, imported component
    values. A contestant with no sheet at all is also the scope's `absent`."""

    scope: ScopeKey
    contestant: str
    sheets: tuple[str, ...]  # judge ids, event order
    components: tuple[str, ...]  # imported component ids
    expected: tuple[str, ...] = ()  # the contestant's whole panel (excused judges left out)

    @property
    def absent(self) -> bool:
        """No sheet at all from the panel."""
        return bool(self.sheets) and self.sheets == self.expected


@dataclass(frozen=True)
class ScopeResult:
    track: str
    group: str | None
    ranking: tuple[Standing, ...]
    absent: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationStanding:
    """One organisation in an organisation award's ranking: `awarded` is None while a tie
    straddles the number awarded."""

    rank: int
    organisation: str
    score: Decimal
    contestants: tuple[str, ...]
    awarded: bool | None


@dataclass(frozen=True)
class OrganisationRanking:
    award: str
    ranking: tuple[OrganisationStanding, ...]


@dataclass(frozen=True)
class Results:
    event: str
    scopes: tuple[ScopeResult, ...]
    unresolved: tuple[Unresolved, ...]
    missing: tuple[Missing, ...] = ()
    organisations: tuple[OrganisationRanking, ...] = ()
    honours: bool = False
    """The event gives honours: each ranking entry of the document lists its `honours`."""

    @property
    def complete(self) -> bool:
        """Every expected sheet and imported value is in and nothing waits for a decision."""
        return not self.missing and not self.unresolved

    def to_document(self, *, with_missing: bool = False) -> dict[str, Any]:
        """The results document of docs/scoring.md; decimals as strings. Each scope lists its
        `absent` (no sheet at all). `with_missing` (the paper fallback, where nothing else
        says what is still to come) adds `missing`: per contestant, the sheets (judge ids) and
        imported components still lacking."""
        document: dict[str, Any] = {
            "event": self.event,
            "scopes": [
                {
                    "track": scope.track,
                    "group": scope.group,
                    "ranking": [_standing_document(s, self.honours) for s in scope.ranking],
                    "absent": list(scope.absent),
                }
                for scope in self.scopes
            ],
            "unresolved": [
                {
                    "scope": {"track": u.scope[0], "group": u.scope[1]},
                    "kind": u.kind,
                    "contestants": list(u.contestants),
                    "reason": u.reason,
                }
                for u in self.unresolved
            ],
        }
        if self.organisations:
            document["organisations"] = organisations_document(self.organisations)
        if with_missing:
            document["missing"] = [
                {
                    "scope": {"track": m.scope[0], "group": m.scope[1]},
                    "contestant": m.contestant,
                    "sheets": list(m.sheets),
                    "components": list(m.components),
                }
                for m in self.missing
            ]
        return document


def organisations_document(rankings: Iterable[OrganisationRanking]) -> list[dict[str, Any]]:
    """The results document's `organisations`: per award, its ranking."""
    return [{"award": o.award, "ranking": [
                {"rank": s.rank, "organisation": s.organisation, "score": str(s.score),
                 "contestants": list(s.contestants), "awarded": s.awarded}
                for s in o.ranking]}
            for o in rankings]


def _standing_document(s: Standing, honours: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "rank": s.rank,
        "contestant": s.contestant,
        "final": str(s.final),
        "components": {cid: str(v) for cid, v in s.components.items()},
        "judges": {jid: plain(v) for jid, v in s.judges.items()},
        "dropped": list(s.dropped),
        "prize": s.prize,
        "advances": s.advances,
    }
    if honours:
        document["honours"] = list(s.honours)
    return document


def plain(value: Decimal) -> str:
    """A judge's total as written on paper: `92`, `82.5` (no exponent, no trailing zeros)."""
    text = format(value.normalize(), "f")
    return text


# --- rounding -------------------------------------------------------------------------------

def round_exact(value: Fraction | Decimal, decimals: int, mode: str = "half_up") -> Decimal:
    """Round an exact value to `decimals` places. Modes: half_up (四舍五入, ties away from
    zero), half_even, half_down, down (toward zero), up (away from zero)."""
    q = Fraction(value)
    negative = q < 0
    scaled = abs(q) * (10**decimals)
    whole, remainder = divmod(scaled.numerator, scaled.denominator)
    twice, denominator = 2 * remainder, scaled.denominator
    if remainder == 0 or mode == "down":
        bump = False
    elif mode == "up":
        bump = True
    elif mode == "half_up":
        bump = twice >= denominator
    elif mode == "half_down":
        bump = twice > denominator
    elif mode == "half_even":
        bump = twice > denominator or (twice == denominator and whole % 2 == 1)
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    whole += bump
    result = Decimal(-whole if negative else whole).scaleb(-decimals)
    return result.quantize(Decimal(1).scaleb(-decimals))


# --- panel aggregate ------------------------------------------------------------------------

@dataclass(frozen=True)
class PanelAggregate:
    value: Fraction
    kept: tuple[str, ...]
    dropped: tuple[str, ...]


def aggregate_panel(
    totals: Sequence[tuple[str, Decimal]], method: str, trim: int = 1, min_remaining: int = 3
) -> PanelAggregate:
    """Aggregate judges' totals, given in event judge order.

    Ties among trimmed totals are broken by judge order, so the result is deterministic;
    which of two equal totals is dropped never changes the value.
    """
    if not totals:
        raise ValueError("no totals to aggregate")
    ids = tuple(judge for judge, _ in totals)
    values = [Fraction(v) for _, v in totals]
    if method == "mean":
        return PanelAggregate(sum(values, Fraction(0)) / len(values), ids, ())
    if method == "median":
        ordered = sorted(values)
        mid = len(ordered) // 2
        if len(ordered) % 2:
            median = ordered[mid]
        else:
            median = (ordered[mid - 1] + ordered[mid]) / 2
        return PanelAggregate(median, ids, ())
    if method == "trimmed_mean":
        if trim == 0 or len(totals) - 2 * trim < min_remaining:
            return aggregate_panel(totals, "mean")
        ranked = sorted(range(len(totals)), key=lambda i: (values[i], i))
        dropped_idx = set(ranked[:trim] + ranked[-trim:])
        kept = [i for i in range(len(totals)) if i not in dropped_idx]
        mean = sum((values[i] for i in kept), Fraction(0)) / len(kept)
        return PanelAggregate(
            mean, tuple(ids[i] for i in kept), tuple(ids[i] for i in sorted(dropped_idx))
        )
    raise ValueError(f"unknown aggregate {method!r}")


# --- tabulation -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Scored:
    contestant: Contestant
    final: Decimal
    panel: Decimal
    components: dict[str, Decimal]
    criterion_means: dict[str, Decimal]
    judges: dict[str, Decimal]
    dropped: tuple[str, ...]
    key: tuple[Decimal, ...]


@dataclass(frozen=True)
class TieDecision:
    """The head judge's decision on a tie the chain could not break: `order` ranks the tied
    contestants as listed; `shared` lets them share the better prize (and all advance)."""

    contestants: frozenset[str]
    kind: str  # order | shared
    order: tuple[str, ...] = ()
    reason: str = ""


def tabulate(
    event: Event,
    sheets: Iterable[PanelSheet],
    imported: Mapping[str, Mapping[str, Decimal]] | None = None,
    *,
    excused: Collection[tuple[str, str]] = (),
    decisions: Iterable[TieDecision] = (),
) -> Results:
    """Rank every scope of `event` from the sheets and imported component values
    (component id -> contestant id -> value). `excused` (judge, contestant) pairs are not
    expected to score (a withdrawn sheet); `decisions` settle ties the chain cannot break."""
    imported = imported or {}
    decided = {d.contestants: d for d in decisions}
    by_contestant: dict[str, dict[str, PanelSheet]] = defaultdict(dict)
    for sheet in sheets:
        contestant = event.contestant(sheet.contestant)
        judge = event.judge(sheet.judge)
        if contestant is None or judge is None:
            raise ValueError(f"sheet for unknown judge or contestant: "
                             f"{sheet.judge}/{sheet.contestant}")
        if event.is_recused(judge, contestant):
            raise ValueError(f"judge {judge.id} is recused from {contestant.id}")
        if (sheet.judge, sheet.contestant) in excused:
            continue
        if sheet.judge in by_contestant[sheet.contestant]:
            raise ValueError(f"two sheets from {sheet.judge} for {sheet.contestant}")
        by_contestant[sheet.contestant][sheet.judge] = sheet

    scored: dict[ScopeKey, list[_Scored]] = defaultdict(list)
    absent: dict[ScopeKey, list[str]] = defaultdict(list)
    unresolved: list[Unresolved] = []
    for contestant in sorted(event.contestants, key=lambda c: (c.order, c.id)):
        scope = (contestant.track, contestant.group)
        scored.setdefault(scope, [])
        received = by_contestant.get(contestant.id, {})
        if not received:
            absent[scope].append(contestant.id)
            continue
        panel = [j for j in event.panel_for(contestant) if (j.id, contestant.id) not in excused]
        missing = [j.id for j in panel if j.id not in received]
        if missing:
            unresolved.append(Unresolved(
                scope, "missing_sheets", (contestant.id,),
                f"{contestant.id}: no sheet yet from {', '.join(missing)}",
            ))
            continue
        absent_components = [
            c.id for c in event.scoring.components
            if c.source == "import" and contestant.id not in imported.get(c.id, {})
        ]
        if absent_components:
            unresolved.append(Unresolved(
                scope, "missing_component", (contestant.id,),
                f"{contestant.id}: no value for component {', '.join(absent_components)}",
            ))
            continue
        scored[scope].append(_score(event, contestant, [received[j.id] for j in panel], imported))

    scopes: list[ScopeResult] = []
    for scope in sorted(scored, key=lambda k: (k[0], k[1] or "")):
        ranking, scope_unresolved = _rank_scope(event, scope, scored[scope], decided)
        unresolved.extend(scope_unresolved)
        scopes.append(ScopeResult(scope[0], scope[1], ranking, tuple(absent[scope])))
    order = {key: i for i, key in enumerate((s.track, s.group) for s in scopes)}
    standings = {s.contestant: (s.prize, s.final) for scope in scopes for s in scope.ranking}
    organisations = tuple(rank_organisations(event, award, standings, decided, unresolved)
                          for award in event.organisation_awards)
    unresolved.sort(key=lambda u: order.get(u.scope, len(order)))
    return Results(event.id, tuple(scopes), tuple(unresolved),
                   _missing(event, by_contestant, imported, excused), organisations,
                   bool(event.honours))


def _missing(event: Event, by_contestant: Mapping[str, Mapping[str, PanelSheet]],
             imported: Mapping[str, Mapping[str, Decimal]],
             excused: Collection[tuple[str, str]]) -> tuple[Missing, ...]:
    """Every contestant's missing sheets and imported values, by scope then running order."""
    found: list[Missing] = []
    imports = [c.id for c in event.scoring.components if c.source == "import"]
    for contestant in sorted(event.contestants, key=lambda c: (c.track, c.group or "",
                                                               c.order, c.id)):
        received = by_contestant.get(contestant.id, {})
        panel = tuple(j.id for j in event.panel_for(contestant)
                      if (j.id, contestant.id) not in excused)
        sheets = tuple(j for j in panel if j not in received)
        if not panel and not received:
            continue  # nobody is to score them (every judge excused): nothing is expected
        components = tuple(c for c in imports if contestant.id not in imported.get(c, {}))
        if sheets or components:
            found.append(Missing((contestant.track, contestant.group), contestant.id, sheets,
                                 components, panel))
    return tuple(found)


def _score(
    event: Event,
    contestant: Contestant,
    sheets: list[PanelSheet],
    imported: Mapping[str, Mapping[str, Decimal]],
) -> _Scored:
    rules = event.scoring

    def rnd(value: Fraction | Decimal) -> Decimal:
        return round_exact(value, rules.decimals, rules.rounding)

    totals = [(s.judge, s.total) for s in sheets]
    aggregate = aggregate_panel(totals, rules.aggregate, rules.trim, rules.min_remaining)
    panel = rnd(aggregate.value)
    components: dict[str, Decimal] = {}
    for component in rules.components:
        if component.source == "panel":
            components[component.id] = rnd(
                Fraction(panel) * Fraction(component.max) / Fraction(event.rubric_max)
            )
        else:
            components[component.id] = rnd(imported[component.id][contestant.id])
    final = rnd(sum(
        (Fraction(c.weight) * Fraction(components[c.id]) for c in rules.components), Fraction(0)
    ))
    counted = [s for s in sheets if s.judge in aggregate.kept]
    # Sums of sheet values are exact in Decimal (few digits, far below the context's 28).
    criterion_means = {
        criterion.id: rnd(
            Fraction(sum((s.values[criterion.id] for s in counted), Decimal(0))) / len(counted)
        )
        for criterion in event.criteria
    }
    key = (final,) + tuple(
        components[t.id] if t.kind == "component" else criterion_means[t.id]
        for t in rules.tiebreak
    )
    return _Scored(
        contestant, final, panel, components, criterion_means,
        {s.judge: s.total for s in sheets}, aggregate.dropped, key,
    )


def tier_sizes(tiers: Sequence[Tier], basis: str, ranked: int) -> list[int]:
    """How many places each tier holds in a scope of `ranked` contestants."""
    sizes: list[int] = []
    for tier in tiers:
        if tier.rest:
            sizes.append(max(ranked - sum(sizes), 0))
        elif basis == "percent" and tier.percent is not None:
            sizes.append(int(round_exact(Fraction(tier.percent) * ranked / 100, 0, "half_up")))
        else:
            sizes.append(tier.count or 0)
    return sizes


def _rank_scope(
    event: Event, scope: ScopeKey, entries: list[_Scored],
    decided: Mapping[frozenset[str], TieDecision],
) -> tuple[tuple[Standing, ...], list[Unresolved]]:
    # Best first: the final and each tie-break value descending, except a tie-break key that
    # prefers the lower value (an earlier submission time), ascending.
    signs = (1,) + tuple(-1 if t.prefer == "lower" else 1 for t in event.scoring.tiebreak)
    entries = sorted(
        entries, key=lambda e: tuple(-sign * v for sign, v in zip(signs, e.key, strict=True))
        + (e.contestant.order, e.contestant.id)
    )
    # Standard competition ranking: ties share the rank of the first of them (1, 2, 2, 4).
    tie_groups: list[list[_Scored]] = []
    for entry in entries:
        if tie_groups and tie_groups[-1][0].key == entry.key:
            tie_groups[-1].append(entry)
        else:
            tie_groups.append([entry])
    shared: set[frozenset[str]] = set()
    settled: list[list[_Scored]] = []
    for group in tie_groups:
        decision = decided.get(frozenset(e.contestant.id for e in group))
        if decision is not None and decision.kind == "order":
            by_id = {e.contestant.id: e for e in group}
            settled.extend([by_id[cid]] for cid in decision.order)
        else:
            if decision is not None:
                shared.add(decision.contestants)
            settled.append(group)
    tie_groups = settled

    unresolved: list[Unresolved] = []
    prize = _assign_prizes(event, scope, tie_groups, unresolved, shared)
    advances = _assign_advancement(event, scope, tie_groups, unresolved, shared)
    honours = _assign_honours(event, scope, tie_groups, unresolved, decided)

    standings: list[Standing] = []
    position = 1
    for group in tie_groups:
        for e in group:
            cid = e.contestant.id
            standings.append(Standing(
                cid, position, e.final, e.panel, e.components, e.criterion_means,
                e.judges, e.dropped, prize.get(cid), advances.get(cid),
                tuple(h.id for h in event.honours if cid in honours[h.id]),
            ))
        position += len(group)
    return tuple(standings), unresolved


def _tie_reason(group: list[_Scored], what: str) -> str:
    ids = ", ".join(e.contestant.id for e in group)
    return f"{ids} tie on {group[0].final} after every tie-break and straddle {what}"


def _ids(group: list[_Scored]) -> frozenset[str]:
    return frozenset(e.contestant.id for e in group)


def _assign_prizes(
    event: Event, scope: ScopeKey, tie_groups: list[list[_Scored]], unresolved: list[Unresolved],
    shared: set[frozenset[str]],
) -> dict[str, str | None]:
    tiers = event.awards.tiers
    ranked = sum(len(g) for g in tie_groups)
    boundaries: list[tuple[int, Tier]] = []  # (last position of the tier, tier)
    end = 0
    for tier, size in zip(tiers, tier_sizes(tiers, event.awards.basis, ranked), strict=True):
        end += size
        boundaries.append((end, tier))

    def tier_at(position: int) -> Tier | None:
        for last, tier in boundaries:
            if position <= last:
                return tier
        return None

    prize: dict[str, str | None] = {}
    first = 1
    for group in tie_groups:
        last = first + len(group) - 1
        top, bottom = tier_at(first), tier_at(last)
        if top is bottom or _ids(group) in shared:
            for e in group:
                prize[e.contestant.id] = top.id if top else None
        else:
            names = " / ".join(t.id if t else "no prize" for t in (top, bottom))
            unresolved.append(Unresolved(
                scope, "tie_prize", tuple(e.contestant.id for e in group),
                _tie_reason(group, f"the prize boundary {names}"),
            ))
            for e in group:
                prize[e.contestant.id] = None
        first = last + 1
    return prize


def _assign_advancement(
    event: Event, scope: ScopeKey, tie_groups: list[list[_Scored]], unresolved: list[Unresolved],
    shared: set[frozenset[str]],
) -> dict[str, bool | None]:
    """Top N advance, at most `cap` per organisation; the next eligible takes a capped
    contestant's place. A tie that cannot all fit (in the places or under a cap) is
    unresolved: its contenders get `None`."""
    rule = event.advancement
    if rule is None:
        return {}
    slots = rule.top
    taken: Counter[str] = Counter()
    advances: dict[str, bool | None] = {}
    for group in tie_groups:
        by_org: dict[str, list[_Scored]] = defaultdict(list)
        for e in group:
            by_org[organisation_key(e.contestant.organisation)].append(e)
        contenders: list[_Scored] = []
        demand, capped_tie = 0, False
        for org, members in by_org.items():
            room = len(members)
            if rule.per_organisation_cap is not None:
                room = min(room, max(rule.per_organisation_cap - taken[org], 0))
            if room == 0 or slots == 0:
                advances.update((e.contestant.id, False) for e in members)
                continue
            contenders.extend(members)
            demand += room
            capped_tie = capped_tie or room < len(members)
            taken[org] += room
        if not contenders:
            continue
        if (demand <= slots and not capped_tie) or _ids(group) in shared:
            advances.update((e.contestant.id, True) for e in contenders)
        else:
            what = "the last advancement place" if demand > slots else "an organisation's cap"
            unresolved.append(Unresolved(
                scope, "tie_advancement", tuple(e.contestant.id for e in contenders),
                _tie_reason(contenders, what),
            ))
            advances.update((e.contestant.id, None) for e in contenders)
        slots -= min(demand, slots)
    return advances


# --- honours ---------------------------------------------------------------------------------

def qualifies(honour: Honour, final: Decimal, components: Mapping[str, Decimal],
              criterion_means: Mapping[str, Decimal]) -> bool:
    """Every minimum of the honour reached (inclusive), on the values as printed."""
    for need in honour.requires:
        if need.kind == "final":
            value = final
        elif need.kind == "component":
            value = components[need.id]
        else:
            value = criterion_means[need.id]
        if value < need.minimum:
            return False
    return True


def _assign_honours(
    event: Event, scope: ScopeKey, tie_groups: list[list[_Scored]], unresolved: list[Unresolved],
    decided: Mapping[frozenset[str], TieDecision],
) -> dict[str, set[str]]:
    """Honour id -> the contestants holding it in this scope. A `top` honour goes to the
    first N qualifiers by rank (a tie across N is unresolved unless decided for exactly the
    tied qualifiers); a `rest` honour to every qualifier holding none of the `top` honours
    listed before it (a contestant whose top honour waits on a tie holds no rest honour
    until it is decided)."""
    held: dict[str, set[str]] = {h.id: set() for h in event.honours}
    undecided: set[str] = set()  # in a tie across a top honour: no later `rest` honour yet
    earlier_top: list[Honour] = []
    for honour in event.honours:
        if not honour.applies_to(scope[1]):
            continue
        groups = [[e for e in group if qualifies(honour, e.final, e.components,
                                                 e.criterion_means)] for group in tie_groups]
        groups = [g for g in groups if g]
        if honour.rest:
            taken = set().union(*(held[h.id] for h in earlier_top))
            held[honour.id] = {e.contestant.id for g in groups for e in g} - taken - undecided
            continue
        earlier_top.append(honour)
        room = honour.top or 0
        for group in groups:
            if room <= 0:
                break
            ids = _ids(group)
            if len(group) <= room:
                held[honour.id] |= ids
                room -= len(group)
                continue
            decision = decided.get(ids)
            if decision is not None and decision.kind == "shared":
                held[honour.id] |= ids
            elif decision is not None and decision.kind == "order":
                held[honour.id] |= set(decision.order[:room])
            else:
                undecided.update(ids)
                unresolved.append(Unresolved(
                    scope, "tie_honour", tuple(e.contestant.id for e in group),
                    _tie_reason(group, f"the last place of the honour {honour.id}"),
                ))
            room = 0
    return held


# --- organisation awards -----------------------------------------------------------------------

def rank_organisations(
    event: Event, award: OrganisationAward,
    standings: Mapping[str, tuple[str | None, Decimal]],
    decided: Mapping[frozenset[str], TieDecision],
    unresolved: list[Unresolved] | None = None,
) -> OrganisationRanking:
    """Rank the organisations of the whole event (every scope) for one award; organisations
    compared as `organisation_key` (width and spaces do not count), named as their first
    contestant (by id) spells them. Higher scores first, ties sharing the rank (1, 2, 2, 4)
    in code-point order of their names; a tie across `count` is unresolved (scope ("", None),
    `contestants` the organisations' names) unless decided for exactly those names.
    `standings`: each ranked contestant's prize tier and final score."""
    members: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for contestant in sorted(event.contestants, key=lambda c: c.id):
        if contestant.id not in standings or not contestant.organisation.strip():
            continue
        key = organisation_key(contestant.organisation)
        names.setdefault(key, contestant.organisation)
        members[key].append(contestant.id)
    scored: list[tuple[Decimal, str, tuple[str, ...]]] = []
    for key, ids in members.items():
        if award.score == "prize_points":
            total = sum((award.points_for(standings[c][0]) for c in ids), Decimal(0))
            score = Decimal(plain(total))
        else:
            finals = sorted((standings[c][1] for c in ids), reverse=True)[:award.best or 1]
            score = round_exact(Fraction(sum(finals, Decimal(0))) / len(finals),
                                event.scoring.decimals, event.scoring.rounding)
        scored.append((score, names[key], tuple(ids)))
    scored.sort(key=lambda row: (-row[0], row[1]))
    groups: list[list[tuple[Decimal, str, tuple[str, ...]]]] = []
    for row in scored:
        if groups and groups[-1][0][0] == row[0]:
            groups[-1].append(row)
        else:
            groups.append([row])
    ranking: list[OrganisationStanding] = []
    position = 1
    for group in groups:
        last = position + len(group) - 1
        tied = frozenset(name for _, name, _ in group)
        decision = decided.get(tied)
        awarded: dict[str, bool | None] = {}
        if last <= award.count or position > award.count:
            awarded = {name: position <= award.count for _, name, _ in group}
        elif decision is not None and decision.kind == "shared":
            awarded = dict.fromkeys(tied, True)
        elif decision is not None and decision.kind == "order":
            chosen = set(decision.order[:award.count - position + 1])
            awarded = {name: name in chosen for _, name, _ in group}
        else:
            awarded = dict.fromkeys(tied, None)
            if unresolved is not None:
                names_in_order = tuple(name for _, name, _ in group)
                unresolved.append(Unresolved(
                    ("", None), "tie_organisation", names_in_order,
                    f"{', '.join(names_in_order)} tie on {plain(group[0][0])} across the "
                    f"last place of the organisation award {award.id}"))
        ranking.extend(OrganisationStanding(position, name, score, ids, awarded[name])
                       for score, name, ids in group)
        position = last + 1
    return OrganisationRanking(award.id, tuple(ranking))
