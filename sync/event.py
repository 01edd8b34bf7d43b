"""Immutable typed model of one final, as described by its event file (docs/event-file.md).

Holds data only: loading and validation live in `sync.event_file`. Every number is a
`Decimal`; nothing here reads files, the clock or the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from types import MappingProxyType
from typing import Final, Literal

from .organisations import same_organisation

Aggregate = Literal["mean", "median", "trimmed_mean"]
ComponentSource = Literal["panel", "import"]
AwardBasis = Literal["count", "percent"]
TiebreakKind = Literal["component", "criterion"]
TiebreakPrefer = Literal["higher", "lower"]
OrganisationScore = Literal["prize_points", "best_mean"]
RequirementKind = Literal["final", "component", "criterion"]

# `[scoring] rounding` names and the `decimal` rounding mode each one means.
ROUNDING_MODES: Mapping[str, str] = MappingProxyType(
    {
        "half_up": ROUND_HALF_UP,
        "half_even": ROUND_HALF_EVEN,
        "half_down": ROUND_HALF_DOWN,
        "down": ROUND_DOWN,
        "up": ROUND_UP,
    }
)


@dataclass(frozen=True)
class Text:
    """A bilingual name. `get(lang)` falls back to the other language, then to any text."""

    zh: str = ""
    en: str = ""

    def get(self, lang: str) -> str:
        first = self.zh if lang == "zh" else self.en
        return first or self.en or self.zh

    def _parts(self, languages: tuple[str, ...]) -> list[str]:
        return list(dict.fromkeys(v for v in (self.get(lang) for lang in languages) if v))

    def both(self, languages: tuple[str, ...]) -> str:
        """Primary language first, the second beside it when it differs: `一等奖 First prize`."""
        return " ".join(self._parts(languages))

    def stacked(self, languages: tuple[str, ...]) -> str:
        """Like `both`, one language per line, for narrow table headers and cells."""
        return "\n".join(self._parts(languages))


@dataclass(frozen=True)
class Criterion:
    id: str
    name: Text
    max: Decimal
    step: Decimal


@dataclass(frozen=True)
class Component:
    id: str
    name: Text
    source: ComponentSource
    max: Decimal
    weight: Decimal


@dataclass(frozen=True)
class TiebreakKey:
    """One entry of `[scoring.tiebreak] order`: among equal finals the higher value ranks
    first, or with `prefer = "lower"` the lower (an earlier submission time)."""

    kind: TiebreakKind
    id: str
    prefer: TiebreakPrefer = field(default="higher", metadata={"snapshot": "omit_if_default"})
    """Left out of the snapshot when "higher", so an event without it keeps its digest."""

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Scoring:
    aggregate: Aggregate
    components: tuple[Component, ...]
    tiebreak: tuple[TiebreakKey, ...] = ()
    trim: int = 1
    min_remaining: int = 3
    decimals: int = 2
    rounding: str = "half_up"


@dataclass(frozen=True)
class Discrepancy:
    """Flag thresholds; `None` switches a rule off."""

    criterion_spread: Decimal | None = None
    total_spread: Decimal | None = None
    outlier: Decimal | None = None


@dataclass(frozen=True)
class Tier:
    id: str
    name: Text
    count: int | None = None
    percent: Decimal | None = None
    rest: bool = False


@dataclass(frozen=True)
class Awards:
    """`[awards]`; a round that only advances has none: no tiers, nobody gets a prize."""

    basis: AwardBasis
    tiers: tuple[Tier, ...]


@dataclass(frozen=True)
class TierPoints:
    """What one prize tier is worth to its contestant's organisation."""

    tier: str
    points: Decimal


@dataclass(frozen=True)
class OrganisationAward:
    """`[[organisation_awards]]`: organisations ranked over the whole event (every track and
    group) by `prize_points` (the points of their contestants' prize tiers) or `best_mean`
    (the mean of their best `best` finals as printed); the first `count` are awarded."""

    id: str
    name: Text
    score: OrganisationScore
    count: int
    points: tuple[TierPoints, ...] = ()
    best: int | None = None

    def points_for(self, tier: str | None) -> Decimal:
        return next((p.points for p in self.points if p.tier == tier), Decimal(0))


@dataclass(frozen=True)
class Requirement:
    """A minimum (inclusive) a contestant must reach to qualify for an honour: the final
    score, a component's value or a criterion's mean, each as printed."""

    kind: RequirementKind
    id: str
    minimum: Decimal

    def __str__(self) -> str:
        return self.kind if self.kind == "final" else f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Honour:
    """`[[honours]]`: given per ranking scope, independently of prizes, to those who meet
    every requirement: the `top` N of them by rank, or with `rest` every one who qualifies
    and holds none of the honours with a `top` listed before it."""

    id: str
    name: Text
    requires: tuple[Requirement, ...] = ()
    groups: tuple[str, ...] | None = None
    top: int | None = None
    rest: bool = False

    def applies_to(self, group: str | None) -> bool:
        return self.groups is None or group in self.groups


@dataclass(frozen=True)
class Advancement:
    top: int
    per_organisation_cap: int | None = None


APPEAL_CATEGORIES: Final = ("calculation", "procedure", "eligibility", "judgement")
"""What an appeal may be about: a score added or copied wrong, a rule of the final not kept,
a contestant's right to compete, the judges' evaluation itself (refused unless the event
allows it, as sports bodies refuse protests against the judges' evaluation)."""


@dataclass(frozen=True)
class AppealRules:
    """`[appeals]` beyond the committee's names: the window after a publication in which
    appeals are filed, the quorum and majority a committee decision needs, and whether an
    appeal against the judges' evaluation is heard."""

    window_minutes: int | None = None
    """None: no window; appeals any time, and results are never marked provisional or
    official."""
    quorum: int | None = None
    """Votes (conflicts not counted) a decision needs; None: a decision needs votes only once
    a member has voted, and then more than half of the committee."""
    majority: str = "simple"
    """`simple` (more upheld than rejected votes) or `two_thirds` (at least two thirds of the
    upheld and rejected votes)."""
    allow_judgement: bool = False
    """True: appeals in the `judgement` category are heard."""


@dataclass(frozen=True)
class Track:
    id: str
    name: Text


@dataclass(frozen=True)
class Group:
    id: str
    name: Text


@dataclass(frozen=True)
class Judge:
    id: str
    name: Text
    affiliation: str = ""


@dataclass(frozen=True)
class Contestant:
    id: str
    name: str
    organisation: str
    track: str
    group: str | None = None
    order: int = 0
    members: str = ""
    instructor: str = ""
    recuse: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    id: str
    name: Text
    round: Text
    date: dt.date
    venue: Text
    organiser: Text
    languages: tuple[str, ...]
    notary: bool
    criteria: tuple[Criterion, ...]
    scoring: Scoring
    discrepancy: Discrepancy
    awards: Awards
    tracks: tuple[Track, ...]
    judges: tuple[Judge, ...]
    contestants: tuple[Contestant, ...]
    groups: tuple[Group, ...] = ()
    advancement: Advancement | None = None
    timezone: str | None = field(default=None, metadata={"snapshot": "omit_if_none"})
    """IANA name (`Asia/Shanghai`) every time is shown and printed in; None: the laptop's own.
    Left out of the snapshot when None, so an event without it keeps its digest."""
    committee: tuple[str, ...] | None = field(default=None, metadata={"snapshot": "omit_if_none"})
    """`[appeals] committee`: the appeals committee's members by name (None: not named in the
    file); left out of the snapshot when None."""
    appeal_rules: AppealRules = field(default=AppealRules(),
                                      metadata={"snapshot": "omit_if_default"})
    """`[appeals] window_minutes`, `quorum`, `majority`, `allow_judgement`; left out of the
    snapshot when the file sets none of them."""
    screen_judge_names: bool = field(default=False, metadata={"snapshot": "omit_if_default"})
    """`[screen] judge_names`: the audience's screen shows each judge's name beside 评委N
    (False: seats only); left out of the snapshot when False."""
    organisation_awards: tuple[OrganisationAward, ...] = field(
        default=(), metadata={"snapshot": "omit_if_default"})
    """`[[organisation_awards]]`; left out of the snapshot when there are none."""
    honours: tuple[Honour, ...] = field(default=(), metadata={"snapshot": "omit_if_default"})
    """`[[honours]]`, in file order; left out of the snapshot when there are none."""
    blind: bool = field(default=False, metadata={"snapshot": "omit_if_default"})
    """`[event] blind`: judges know contestants by draw number only until the head judge
    reveals identities (解密); left out of the snapshot when False."""
    schema: int = 1
    _index: dict[str, dict[str, object]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        self._index.update(
            criterion={c.id: c for c in self.criteria},
            component={c.id: c for c in self.scoring.components},
            judge={j.id: j for j in self.judges},
            contestant={c.id: c for c in self.contestants},
            track={t.id: t for t in self.tracks},
            group={g.id: g for g in self.groups},
        )

    @property
    def rubric_max(self) -> Decimal:
        return sum((c.max for c in self.criteria), Decimal(0))

    def criterion(self, criterion_id: str) -> Criterion | None:
        return self._index["criterion"].get(criterion_id)  # type: ignore[return-value]

    def component(self, component_id: str) -> Component | None:
        return self._index["component"].get(component_id)  # type: ignore[return-value]

    def judge(self, judge_id: str) -> Judge | None:
        return self._index["judge"].get(judge_id)  # type: ignore[return-value]

    def contestant(self, contestant_id: str) -> Contestant | None:
        return self._index["contestant"].get(contestant_id)  # type: ignore[return-value]

    def track(self, track_id: str) -> Track | None:
        return self._index["track"].get(track_id)  # type: ignore[return-value]

    def group(self, group_id: str) -> Group | None:
        return self._index["group"].get(group_id)  # type: ignore[return-value]

    def running_order(self) -> tuple[Contestant, ...]:
        """Every contestant in running order (`order`, then id): the order judges score in,
        paper forms list and the double-entry screen asks for them."""
        return tuple(sorted(self.contestants, key=lambda c: (c.order, c.id)))

    def is_recused(self, judge: Judge, contestant: Contestant) -> bool:
        """A judge never scores their own affiliation (compared as `same_organisation`:
        width and spaces do not count) nor a contestant who listed them."""
        same = same_organisation(judge.affiliation, contestant.organisation)  # 快手(…) = 快手（…）
        return same or judge.id in contestant.recuse

    def panel_for(self, contestant: Contestant) -> tuple[Judge, ...]:
        """The judges expected to score this contestant, in event order."""
        return tuple(j for j in self.judges if not self.is_recused(j, contestant))
