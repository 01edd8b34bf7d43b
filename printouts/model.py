"""Plain data the sheets print: what the head judge's projections and results hand over.

Frozen dataclasses of ids, `Decimal` values and strings; names come from the `Event` passed
alongside. Nothing here computes a score, reads the ledger or knows `head_judge`: the caller
builds these from its own types (`results_from` adapts a scoring result by its attributes).
Times are ISO 8601 strings as the ledger records them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from sync.records import SignedRecord

__all__ = [
    "AppealDecision",
    "AppealDossier",
    "AppealNote",
    "BlankForm",
    "CheckpointRef",
    "ContestantSheet",
    "DiscrepancyReport",
    "EnrolmentCard",
    "Excusal",
    "Flag",
    "HistoryEntry",
    "Imprint",
    "Inventory",
    "InventoryLine",
    "JudgeSheet",
    "OrganisationPlace",
    "OrganisationTable",
    "Override",
    "PaperSource",
    "Placing",
    "ResultsSheet",
    "Revision",
    "Scope",
    "ScoreSheet",
    "Sheet",
    "organisations_from",
    "results_from",
]


@dataclass(frozen=True)
class Revision:
    """One signed revision of a judge's sheet for a contestant."""

    number: int
    values: Mapping[str, Decimal]
    comment: str = ""
    reason: str | None = None
    """Why it replaced the revision before it; None for revision 1."""
    at: str = ""

    @property
    def total(self) -> Decimal:
        return sum(self.values.values(), Decimal(0))


@dataclass(frozen=True)
class PaperSource:
    """Where a paper sheet came from: the printed form's sheet code and the operators whose
    entries of it agreed (a paper sheet has no device and no signature)."""

    form: str
    operators: tuple[str, ...]


@dataclass(frozen=True)
class ScoreSheet:
    """Every revision of one judge's sheet for one contestant, oldest first; the last is in
    force unless the sheet was withdrawn."""

    judge: str
    contestant: str
    revisions: tuple[Revision, ...]
    signature_ok: bool = True
    withdrawn: str | None = None
    """The head judge's reason for withdrawing the sheet (e.g. the judge was taken ill)."""
    paper: PaperSource | None = None
    """Set for a judge's paper sheet typed in twice (its current revision's form and
    operators); None for a sheet the judge's laptop signed."""

    def __post_init__(self) -> None:
        if not self.revisions:
            raise ValueError(f"sheet {self.judge}/{self.contestant} has no revision")

    @property
    def current(self) -> Revision:
        return self.revisions[-1]


@dataclass(frozen=True)
class Override:
    """The head judge replaced one of a judge's criterion values; both are printed."""

    judge: str
    contestant: str
    criterion: str
    before: Decimal
    after: Decimal
    reason: str
    at: str = ""
    by: str = ""


@dataclass(frozen=True)
class Placing:
    """A contestant's result in a scope: every number a sheet prints."""

    contestant: str
    rank: int
    final: Decimal
    panel: Decimal
    components: Mapping[str, Decimal]
    criterion_means: Mapping[str, Decimal]
    judges: Mapping[str, Decimal]
    dropped: tuple[str, ...] = ()
    prize: str | None = None
    advances: bool | None = None
    honours: tuple[str, ...] = ()
    """Ids of the honours held (the event's `[[honours]]`)."""


@dataclass(frozen=True)
class Scope:
    """One ranking: a track, or a group within a track."""

    track: str
    group: str | None
    ranking: tuple[Placing, ...]
    absent: tuple[str, ...] = ()
    unresolved: tuple[str, ...] = ()
    """Reasons the scope cannot be published yet; printed as a warning."""
    decisions: tuple[str, ...] = ()
    """The head judge's recorded tie decisions, each with its reason."""


@dataclass(frozen=True)
class Excusal:
    """The head judge excused a judge's seat: for these contestants, or for the whole final
    (`contestants` None). The panel of each counts without that judge."""

    judge: str
    contestants: tuple[str, ...] | None
    reason: str

    def covers(self, contestant: str) -> bool:
        return self.contestants is None or contestant in self.contestants


@dataclass(frozen=True)
class JudgeSheet:
    """Everything one judge scored."""

    judge: str
    scores: tuple[ScoreSheet, ...]
    overrides: tuple[Override, ...] = ()
    excused: tuple[Excusal, ...] = ()
    """This judge's seat excused (for some contestants, or the whole final)."""


@dataclass(frozen=True)
class ContestantSheet:
    """Every judge's values for one contestant and the result they led to."""

    contestant: str
    scores: tuple[ScoreSheet, ...]
    placing: Placing | None = None
    overrides: tuple[Override, ...] = ()
    excused: tuple[Excusal, ...] = ()
    """Judges' seats excused for this contestant."""
    absent: bool = False
    """Recorded absent from the final (not ranked)."""
    scope: Scope | None = None
    """The contestant's ranking, for the tie-breaks that decided their place."""
    flags: tuple[Flag, ...] = ()
    """Discrepancy flags raised on this contestant, each with how it was resolved."""
    appeals: tuple[AppealNote, ...] = ()
    head_judge: str = ""
    """The name printed under the head judge's signature line ("" : written by hand)."""


@dataclass(frozen=True)
class ResultsSheet:
    """The ranking of one scope, for the panel, the head judge and the notary to sign."""

    scope: Scope
    head_judge: str = ""
    notary: str = ""
    excused: tuple[Excusal, ...] = ()
    """Judges' seats excused for contestants of this scope: printed as a footnote."""
    version: int | None = None
    """The published version this ranking is, None when it is not a published version (a
    draft: printed with a watermark on every page)."""
    published_at: str = ""
    state: str = ""
    """`provisional` (暂定) or `official` (正式) when the event sets an appeal window and
    this is the latest version; empty otherwise."""
    appeals_close: str = ""
    organisations: tuple[OrganisationTable, ...] = ()
    """The event's organisation awards (over every scope), printed after the ranking: on
    the sheet of the last scope."""


@dataclass(frozen=True)
class OrganisationPlace:
    """An organisation in an organisation award's ranking; `awarded` None while a tie
    across the number awarded waits for the head judge."""

    rank: int
    organisation: str
    score: Decimal
    contestants: tuple[str, ...]
    awarded: bool | None


@dataclass(frozen=True)
class OrganisationTable:
    """One `[[organisation_awards]]` award's ranking of the organisations."""

    award: str
    ranking: tuple[OrganisationPlace, ...]


FlagStatus = Literal["open", "accepted", "reviewed", "overridden", "withdrawn", "cleared"]
"""`cleared`: the rule no longer holds after a later sheet (e.g. another judge's arrived)."""


@dataclass(frozen=True)
class Flag:
    """A discrepancy rule that fired, and how it was resolved."""

    id: str
    contestant: str
    rule: str
    """`criterion_spread`, `total_spread` or `outlier` (docs/scoring.md, Discrepancies)."""
    judges: tuple[str, ...]
    detail: str
    raised_at: str
    status: FlagStatus = "open"
    resolution: str = ""
    resolved_at: str = ""


@dataclass(frozen=True)
class DiscrepancyReport:
    flags: tuple[Flag, ...]
    overrides: tuple[Override, ...] = ()
    head_judge: str = ""
    """The name under the head judge's signature: the report records their decisions."""


@dataclass(frozen=True)
class HistoryEntry:
    """One ledger entry touching an appeal's contestant."""

    position: int
    at: str
    actor: str
    action: str
    detail: str
    signature: Literal["verified", "invalid", ""] = ""
    """A judge's signed record: whether its signature verified; "" for other entries."""


@dataclass(frozen=True)
class CheckpointRef:
    size: int
    root: str
    at: str


@dataclass(frozen=True)
class AppealDecision:
    outcome: Literal["upheld", "rejected", "withdrawn"]
    reason: str
    decided_by: str
    """Who recorded it (the ledger's actor); not printed: the committee signs."""
    decided_at: str
    committee: tuple[str, ...] = ()
    """The appeals committee members who decided, by name (a signature box each)."""
    votes: tuple[tuple[str, str, bool], ...] = ()
    """Each member's vote when the committee voted: (member, upheld|rejected|abstain,
    conflict declared)."""
    correction: tuple[str, ...] = ()
    """An upheld decision's correction, a line per value set or judge withdrawn."""
    moved: tuple[str, ...] = ()
    """The contestants whose rank or prize the correction changed."""


@dataclass(frozen=True)
class AppealNote:
    """An appeal about a contestant, as their contestant sheet mentions it."""

    appeal: str
    filed_at: str
    ground: str
    outcome: Literal["open", "upheld", "rejected", "withdrawn"] = "open"
    reason: str = ""
    decided_at: str = ""


@dataclass(frozen=True)
class AppealDossier:
    """An appeal, the full record of its contestant, and the decision when there is one."""

    appeal: str
    contestant: str
    ground: str
    filed_by: str
    filed_at: str
    scores: tuple[ScoreSheet, ...]
    history: tuple[HistoryEntry, ...]
    checkpoints: tuple[CheckpointRef, ...] = ()
    placing: Placing | None = None
    overrides: tuple[Override, ...] = ()
    preview: tuple[str, ...] = ()
    """How the ranking would change if the proposed correction were applied."""
    decision: AppealDecision | None = None
    head_judge: str = ""
    category: str = "calculation"
    evidence: tuple[str, ...] = ()
    """Evidence files, a line each: name, size, SHA-256."""
    replies: tuple[str, ...] = ()
    """Replies of contestants the appeal may affect, a line each."""
    moved_contestant: str = ""
    """Set on the page of a contestant the appeal's decision moved (not its appellant):
    that contestant; `contestant` and the record shown are theirs."""


@dataclass(frozen=True)
class EnrolmentCard:
    """What a judge needs to enrol a terminal: the code is secret until used; its id (as the
    ledger's `codes_issued` records it) is what the printed record keeps of it."""

    judge: str
    seat: str
    code: str = ""
    fingerprint: str = ""
    expires: str = ""
    code_id: str = ""


@dataclass(frozen=True)
class InventoryLine:
    """One sheet of a printed pack: its code, kind, subject id and number of pages."""

    code: str
    kind: str
    subject: str
    pages: int


@dataclass(frozen=True)
class Inventory:
    """The cover sheet of a pack: every other sheet printed with it, for the notary and the
    head judge to sign. `checkpoint`: the ledger entry of the print's checkpoint (its
    subject: one inventory per print)."""

    checkpoint: int
    lines: tuple[InventoryLine, ...]
    head_judge: str = ""
    notary: str = ""


@dataclass(frozen=True)
class BlankForm:
    """A judge's blank paper scoring form: what the judge fills in by hand when their laptop
    cannot be used. Everything on it comes from the event: the criteria, the contestants in
    running order, the rows struck where the judge is recused."""

    judge: str


Sheet = (JudgeSheet | ContestantSheet | ResultsSheet | DiscrepancyReport | AppealDossier
         | EnrolmentCard | Inventory | BlankForm)


@dataclass(frozen=True)
class Imprint:
    """When a pack is printed, and the signed checkpoint of the ledger it was printed from."""

    printed_at: dt.datetime
    checkpoint: SignedRecord

    def __post_init__(self) -> None:
        if self.printed_at.tzinfo is None:
            raise ValueError("printed_at must carry its time zone")


# --- adapting a scoring result ------------------------------------------------------------------


class _StandingLike(Protocol):
    @property
    def contestant(self) -> str: ...
    @property
    def rank(self) -> int: ...
    @property
    def final(self) -> Decimal: ...
    @property
    def panel(self) -> Decimal: ...
    @property
    def components(self) -> Mapping[str, Decimal]: ...
    @property
    def criterion_means(self) -> Mapping[str, Decimal]: ...
    @property
    def judges(self) -> Mapping[str, Decimal]: ...
    @property
    def dropped(self) -> tuple[str, ...]: ...
    @property
    def prize(self) -> str | None: ...
    @property
    def advances(self) -> bool | None: ...
    @property
    def honours(self) -> tuple[str, ...]: ...


class _ScopeLike(Protocol):
    @property
    def track(self) -> str: ...
    @property
    def group(self) -> str | None: ...
    @property
    def ranking(self) -> tuple[_StandingLike, ...]: ...
    @property
    def absent(self) -> tuple[str, ...]: ...


class _UnresolvedLike(Protocol):
    @property
    def scope(self) -> tuple[str, str | None]: ...
    @property
    def reason(self) -> str: ...


class _ResultsLike(Protocol):
    @property
    def scopes(self) -> tuple[_ScopeLike, ...]: ...
    @property
    def unresolved(self) -> tuple[_UnresolvedLike, ...]: ...


def results_from(results: _ResultsLike, decisions: Iterable[tuple[str, str | None, str]] = ()
                 ) -> tuple[Scope, ...]:
    """Scopes from a scoring result with the attributes of `head_judge.scoring.Results`
    (read by name, not imported). `decisions`: (track, group, text) of recorded tie decisions."""
    decided = list(decisions)
    scopes = []
    for s in results.scopes:
        ranking = tuple(
            Placing(p.contestant, p.rank, p.final, p.panel, dict(p.components),
                    dict(p.criterion_means), dict(p.judges), tuple(p.dropped), p.prize,
                    p.advances, tuple(p.honours))
            for p in s.ranking
        )
        key = (s.track, s.group)
        unresolved = tuple(u.reason for u in results.unresolved if u.scope == key)
        notes = tuple(text for track, group, text in decided if (track, group) == key)
        scopes.append(Scope(s.track, s.group, ranking, tuple(s.absent), unresolved, notes))
    return tuple(scopes)


class _OrganisationStandingLike(Protocol):
    @property
    def rank(self) -> int: ...
    @property
    def organisation(self) -> str: ...
    @property
    def score(self) -> Decimal: ...
    @property
    def contestants(self) -> tuple[str, ...]: ...
    @property
    def awarded(self) -> bool | None: ...


class _OrganisationRankingLike(Protocol):
    @property
    def award(self) -> str: ...
    @property
    def ranking(self) -> tuple[_OrganisationStandingLike, ...]: ...


def organisations_from(rankings: Iterable[_OrganisationRankingLike]
                       ) -> tuple[OrganisationTable, ...]:
    """Organisation award tables from `head_judge.scoring.Results.organisations` (read by
    name, not imported)."""
    return tuple(OrganisationTable(r.award, tuple(
        OrganisationPlace(s.rank, s.organisation, s.score, tuple(s.contestants), s.awarded)
        for s in r.ranking)) for r in rankings)
