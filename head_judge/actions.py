"""The head judge's actions on a running final, over a `Master`: reviews, flag acceptance,
overrides, withdrawals, excused seats, locks, imported components, tie decisions, live
results, publishing.

`HeadJudge` is the headless API the CLI (`head_judge.cli.record`) and the console call. Each
action checks its input and the state it acts on inside one write transaction, then appends
its ledger entry (actor, time, payload) and what follows from it in that same transaction:
flags evaluated again after an override or a withdrawal, a signed checkpoint after a
publication. A reason is required wherever a number changes (override, withdrawal, unlock,
forced lock, tie decision, re-import of a value, republication).

It refuses with `ActionRefused(message_id, **params)` (head_judge.refusals), writing
nothing, an unknown contestant, judge, criterion, component, scope, flag or review, a
missing reason, and the wrong state: an action on a recused pair, a second open review of
one sheet, accepting a flag that is not open, changing a locked contestant (unlock first),
locking a contestant whose sheets are missing or whose flags or reviews are open (unless
forced, with a reason), unlocking one that is not locked, an import that changes nothing,
deciding a tie that is not unresolved, and publishing a scope that is not clear or whose
results did not change.

Results are computed by `head_judge.scoring.tabulate`, the code `head-judge tabulate` runs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from sync.canonical import canonical_bytes, sha256_hex
from sync.clock import Clock, utc_now
from sync.event import Contestant, Criterion, Event, Judge, Text
from sync.problems import InputProblems, os_reason

from .blind import blind_state
from .checkpoints import append_checkpoint
from .ledger import Entry
from .master import HEAD_JUDGE, Master, MasterError, iso
from .panel import PanelReport, flags_per_judge, panel_report
from .paper import parse_value, read_component
from .projections import (
    AppealRow,
    CurrentSheet,
    ExcusalRow,
    FlagRow,
    LockRow,
    OverrideRow,
    PublicationRow,
    ReviewRow,
    WithdrawalRow,
    appeal_rows,
    component_values,
    current_sheets,
    excusal_rows,
    flag_rows,
    lock_rows,
    override_rows,
    publication_rows,
    review_rows,
    tie_decisions,
    withdrawal_rows,
)
from .refusals import Message, message
from .scoring import (
    PanelSheet,
    Results,
    ScopeKey,
    TieDecision,
    Unresolved,
    organisations_document,
    plain,
    rank_organisations,
    tabulate,
)

__all__ = [
    "MAX_TEXT",
    "ON_STAGE",
    "ROW_BLOCKED",
    "ROW_CHANGED",
    "ROW_NEW",
    "ROW_UNCHANGED",
    "ActionRefused",
    "ComponentChange",
    "ComponentImport",
    "ComponentPreview",
    "ComponentRow",
    "HeadJudge",
    "Publication",
    "ScoringInputs",
    "check_value",
    "describe_changes",
    "parse_score",
    "results_from",
    "scope_document",
]

MAX_TEXT: Final = 2000
"""Longest note, reason or appeal ground accepted, in characters."""

ON_STAGE: Final = "on_stage"
"""Ledger entry kind and notice kind of who is on stage (docs/protocol.md)."""



class ActionRefused(MasterError):
    """The head judge's action cannot be done as asked; nothing was written.

    `ActionRefused(message_id, **params)` with an id of `head_judge.refusals.REFUSALS`:
    `str(exc)` and `reason` are the English sentence, `message.render(lang)` the words the
    console shows."""

    def __init__(self, reason: str | Message, /, **params: object) -> None:
        super().__init__(reason, **params)
        self.reason: Message = self.message


# --- what scoring is computed from ------------------------------------------------------------


@dataclass(frozen=True)
class ScoringInputs:
    """Everything `tabulate` needs, read from the projections at one moment: the sheets in
    force (overrides applied), imported components, withdrawn (excused) pairs, tie decisions."""

    sheets: tuple[PanelSheet, ...]
    imported: Mapping[str, Mapping[str, Decimal]]
    excused: frozenset[tuple[str, str]]
    decisions: tuple[TieDecision, ...]

    def with_value(self, judge: str, contestant: str, criterion: str,
                   value: Decimal) -> ScoringInputs:
        """A copy in which one value of a judge's sheet is replaced (a proposed override)."""
        changed = tuple(
            PanelSheet(s.judge, s.contestant, {**s.values, criterion: value})
            if (s.judge, s.contestant) == (judge, contestant) else s
            for s in self.sheets)
        return replace(self, sheets=changed)

    def without_sheet(self, judge: str, contestant: str) -> ScoringInputs:
        """A copy in which the judge's sheet for the contestant is withdrawn (excused)."""
        return replace(self, sheets=tuple(s for s in self.sheets
                                          if (s.judge, s.contestant) != (judge, contestant)),
                       excused=self.excused | {(judge, contestant)})


def results_from(event: Event, inputs: ScoringInputs) -> Results:
    return tabulate(event, inputs.sheets, inputs.imported, excused=inputs.excused,
                    decisions=inputs.decisions)


def _normal(document: Mapping[str, Any]) -> dict[str, Any]:
    """A document exactly as the ledger will hold it (canonical JSON and back)."""
    loaded: dict[str, Any] = json.loads(canonical_bytes(dict(document)))
    return loaded


def scope_document(results: Results, scope: ScopeKey) -> dict[str, Any]:
    """The results document (docs/scoring.md) of one scope."""
    document = results.to_document()
    track, group = scope
    return _normal({
        "event": document["event"],
        "scopes": [s for s in document["scopes"] if (s["track"], s["group"]) == scope],
        "unresolved": [u for u in document["unresolved"]
                       if (u["scope"]["track"], u["scope"]["group"]) == (track, group)],
    })


def _ranking(document: Mapping[str, Any] | None) -> dict[str, Mapping[str, Any]]:
    if document is None:
        return {}
    return {row["contestant"]: row for scope in document["scopes"] for row in scope["ranking"]}


def _shown(value: object, lang: str = "en") -> str:
    if value is None:
        return Message("none").render(lang)
    if isinstance(value, bool):
        return Message("chg_yes" if value else "chg_no").render(lang)
    return str(value)


def describe_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any],
                     lang: str = "en", event: Event | None = None) -> list[str]:
    """What changed between two results documents, contestant by contestant, in plain words
    of `lang` (rank, final score, prize, advancement, component values, judges' totals);
    with `event`, prizes by their names in `lang` rather than their ids."""
    old, new = _ranking(before), _ranking(after)
    if before is None:
        return []

    def say(key: str, **params: object) -> str:
        return Message(key, **params).render(lang)

    def value(key: str, raw: object) -> str:
        tier = next((t for t in event.awards.tiers if t.id == raw), None) \
            if event is not None and key == "prize" else None
        return tier.name.get(lang) if tier is not None else _shown(raw, lang)

    lines: list[str] = []
    for contestant, row in new.items():
        was = old.get(contestant)
        if was is None:
            lines.append(say("chg_newly_ranked", contestant=contestant, rank=row["rank"],
                             final=row["final"]))
            continue
        parts = [say("chg_value", what=Message(f"chg_{key}"), old=value(key, was[key]),
                     new=value(key, row[key]))
                 for key in ("rank", "final", "prize", "advances") if was[key] != row[key]]
        for key, label in (("components", "chg_component"), ("judges", "chg_total_of")):
            for item in sorted(set(was[key]) | set(row[key])):
                a, b = was[key].get(item), row[key].get(item)
                if a != b:
                    parts.append(say("chg_value", what=Message(label, item=item),
                                     old=_shown(a, lang), new=_shown(b, lang)))
        if was["dropped"] != row["dropped"]:
            parts.append(say("chg_value", what=Message("chg_dropped"),
                             old=", ".join(was["dropped"]) or _shown(None, lang),
                             new=", ".join(row["dropped"]) or _shown(None, lang)))
        if parts:
            lines.append(say("chg_contestant", contestant=contestant,
                             parts=("，" if lang == "zh" else ", ").join(parts)))
    lines += [say("chg_no_longer_ranked", contestant=contestant, rank=row["rank"])
              for contestant, row in old.items() if contestant not in new]
    return lines


# --- what actions return ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentChange:
    contestant: str
    old: Decimal | None
    new: Decimal


ROW_NEW: Final = "new"
ROW_CHANGED: Final = "changed"
ROW_UNCHANGED: Final = "unchanged"
ROW_BLOCKED: Final = "blocked"


@dataclass(frozen=True)
class ComponentRow:
    """One row of a component file against the record: `new` (no value recorded yet: it
    may be imported also for a locked contestant), `changed` (replaces a value: needs a
    reason), `unchanged`, or `blocked` (would change a locked contestant's value)."""

    contestant: str
    old: Decimal | None
    new: Decimal
    status: str
    locked: bool
    lock_reason: str = ""

    @property
    def said_status(self) -> Message:
        return Message(f"import_row_{self.status}")

    def why(self) -> Message:
        """Why the row is what it is (the console's Components screen and `--preview`)."""
        if self.status == ROW_BLOCKED:
            return Message("import_why_blocked", reason=Message(
                "import_lock_reason", reason=self.lock_reason) if self.lock_reason else "")
        if self.status == ROW_NEW and self.locked:
            return Message("import_why_new_locked")
        return Message(f"import_why_{self.status}")


@dataclass(frozen=True)
class ComponentPreview:
    """What importing a file would do, row by row, in the event's order; `blockers` say
    why it cannot be imported as it is (empty when it can)."""

    component: str
    file: str
    rows: tuple[ComponentRow, ...]

    def of(self, status: str) -> tuple[ComponentRow, ...]:
        return tuple(r for r in self.rows if r.status == status)

    @property
    def changes(self) -> tuple[ComponentChange, ...]:
        """The rows that would be recorded as changes (new and changed)."""
        return tuple(ComponentChange(r.contestant, r.old, r.new) for r in self.rows
                     if r.status in (ROW_NEW, ROW_CHANGED))

    @property
    def needs_reason(self) -> bool:
        return bool(self.of(ROW_CHANGED))

    def counts(self) -> Message:
        """How many rows are new, changed, unchanged and blocked."""
        return Message("import_counts", new=len(self.of(ROW_NEW)),
                       changed=len(self.of(ROW_CHANGED)),
                       unchanged=len(self.of(ROW_UNCHANGED)),
                       blocked=len(self.of(ROW_BLOCKED)))

    def problem(self) -> Message | None:
        """Why the file cannot be imported as it is, in one sentence (None when it can)."""
        if self.of(ROW_BLOCKED):
            return Message("import_blocked", n=len(self.of(ROW_BLOCKED)))
        return self.blockers[0] if self.blockers else None

    @property
    def blockers(self) -> list[Message]:
        blocked = self.of(ROW_BLOCKED)
        if blocked:
            return [Message("import_locked_because" if r.lock_reason else "import_locked",
                            contestant=r.contestant, reason=r.lock_reason,
                            component=self.component,
                            old=plain(r.old) if r.old is not None else "—", new=plain(r.new))
                    for r in blocked]
        if not self.changes:
            return [Message("import_changes_nothing", file=self.file,
                            component=self.component)]
        return []


@dataclass(frozen=True)
class ComponentImport:
    entry: int
    component: str
    file: str
    sha256: str
    changes: tuple[ComponentChange, ...]


@dataclass(frozen=True)
class Publication:
    """A published results version of one scope; `changes` are the differences from the
    version before (empty for version 1)."""

    track: str
    group: str | None
    version: int
    document: Mapping[str, Any]
    changes: tuple[str, ...]
    entry: int
    checkpoint: int


# --- the head judge ---------------------------------------------------------------------------


class HeadJudge:
    """The head judge's actions on one master. `actor` is recorded on every entry; `clock`
    gives the time each action records."""

    def __init__(self, master: Master, *, actor: str = HEAD_JUDGE,
                 clock: Clock = utc_now) -> None:
        self.master = master
        self.actor = actor
        self.clock = clock

    @property
    def event(self) -> Event:
        return self.master.event

    def timestamp(self) -> str:
        """The clock's time as the ledger records it."""
        return iso(self.clock())

    def record(self, kind: str, payload: Mapping[str, Any], at: str) -> Entry:
        """Append an entry by this head judge; only inside `master.write()`."""
        return self.master.ledger.append(kind, self.actor, payload, at)

    # --- checking input -----------------------------------------------------------------------

    def contestant(self, contestant_id: str) -> Contestant:
        found = self.event.contestant(contestant_id)
        if found is None:
            raise ActionRefused("no_contestant", contestant=repr(contestant_id))
        return found

    def judge(self, judge_id: str) -> Judge:
        found = self.event.judge(judge_id)
        if found is None:
            raise ActionRefused("no_judge", judge=repr(judge_id),
                                panel=[j.id for j in self.event.judges])
        return found

    def criterion(self, criterion_id: str) -> Criterion:
        found = self.event.criterion(criterion_id)
        if found is None:
            raise ActionRefused("no_criterion", criterion=repr(criterion_id),
                                rubric=[c.id for c in self.event.criteria])
        return found

    def scope(self, scope: ScopeKey) -> ScopeKey:
        scopes = self.scopes()
        if tuple(scope) not in scopes:
            raise ActionRefused("no_scope", scope=self.scope_text(scope),
                                scopes=[self.scope_text(s) for s in scopes])
        return scope[0], scope[1]

    def scopes(self) -> list[ScopeKey]:
        """Every ranking of the final (track, group), in the order results list them."""
        keys = {(c.track, c.group) for c in self.event.contestants}
        return sorted(keys, key=lambda k: (k[0], k[1] or ""))

    def award_name(self, award: str) -> Text:
        """An organisation award in a refusal: its Chinese name, and its id in English."""
        found = next(a for a in self.event.organisation_awards if a.id == award)
        return Text(found.name.get("zh"), award)

    def scope_text(self, scope: Iterable[str | None]) -> Text:
        """A ranking in a refusal: its Chinese name (`主赛道 · 本科组`), and in English the
        ids the CLI takes (`live/undergrad`)."""
        track, group = tuple(scope)
        names = [found.name.get("zh") if found is not None else key
                 for found, key in ((self.event.track(track or ""), track),
                                    (self.event.group(group) if group else None, group))
                 if key]
        return Text(" · ".join(names), _scope_name((track, group)))

    @staticmethod
    def required_text(text: str | None, what: str | Message) -> str:
        """`text` stripped; refused when empty or too long. `what` is a message id
        (`what_reason`, ...) or a `Message` naming the text asked for."""
        cleaned = (text or "").strip()
        if not cleaned:
            raise ActionRefused("text_required", what=message(what))
        if len(cleaned) > MAX_TEXT:
            raise ActionRefused("text_too_long", what=message(what), max=MAX_TEXT)
        return cleaned

    def panel_pair(self, judge_id: str, contestant_id: str) -> tuple[Judge, Contestant]:
        judge, contestant = self.judge(judge_id), self.contestant(contestant_id)
        if self.event.is_recused(judge, contestant):
            raise ActionRefused("recused", judge=judge.id, contestant=contestant.id)
        return judge, contestant

    def _unlocked(self, contestant: str, doing: str) -> None:
        lock = lock_rows(self.master.ledger.conn).get(contestant)
        if lock is not None:
            raise ActionRefused("locked_because" if lock.reason else "locked",
                                contestant=contestant, reason=lock.reason,
                                doing=message(doing))

    def sheet_in_force(self, judge: str, contestant: str) -> CurrentSheet:
        for sheet in current_sheets(self.master.ledger.conn, contestant):
            if sheet.judge == judge:
                if sheet.withdrawn:
                    raise ActionRefused("sheet_withdrawn", judge=judge, contestant=contestant)
                return sheet
        raise ActionRefused("no_sheet", judge=judge, contestant=contestant)

    def _flag(self, flag_id: int) -> FlagRow:
        rows = flag_rows(self.master.ledger.conn, flag_id=flag_id)
        if not rows:
            raise ActionRefused("no_flag", flag=flag_id)
        return rows[0]

    # --- reading ------------------------------------------------------------------------------

    def sheets(self, contestant: str | None = None) -> list[CurrentSheet]:
        return current_sheets(self.master.ledger.conn, contestant)

    def flags(self, status: str | None = None, contestant: str | None = None) -> list[FlagRow]:
        return flag_rows(self.master.ledger.conn, status=status, contestant=contestant)

    def reviews(self, status: str | None = None, contestant: str | None = None
                ) -> list[ReviewRow]:
        return review_rows(self.master.ledger.conn, status=status, contestant=contestant)

    def overrides(self, contestant: str | None = None) -> list[OverrideRow]:
        return override_rows(self.master.ledger.conn, contestant=contestant)

    def withdrawals(self, contestant: str | None = None) -> list[WithdrawalRow]:
        return withdrawal_rows(self.master.ledger.conn, contestant)

    def excusals(self, judge: str | None = None) -> list[ExcusalRow]:
        """Judges' seats excused (for the whole final or for chosen contestants)."""
        return excusal_rows(self.master.ledger.conn, judge)

    def excused_judges(self, contestant: str) -> dict[str, str]:
        """Judge -> the reason, for every judge whose seat is excused for this contestant."""
        return {e.judge: e.reason for e in excusal_rows(self.master.ledger.conn)
                if e.covers(contestant)}

    def _excused_pairs(self, conn: sqlite3.Connection) -> set[tuple[str, str]]:
        """(judge, contestant) of every contestant an excused seat covers."""
        rows = excusal_rows(conn)
        return {(e.judge, c.id) for e in rows for c in self.event.contestants
                if e.covers(c.id)}

    def locks(self) -> dict[str, LockRow]:
        return lock_rows(self.master.ledger.conn)

    def components(self) -> dict[str, dict[str, Decimal]]:
        return component_values(self.master.ledger.conn)

    def publications(self, scope: ScopeKey | None = None) -> list[PublicationRow]:
        if scope is None:
            return publication_rows(self.master.ledger.conn)
        return publication_rows(self.master.ledger.conn, scope[0], scope[1])

    def panel_report(self) -> PanelReport:
        """The confidential panel report (`head_judge.panel`) on the results as they stand."""
        inputs = self.scoring_inputs()
        with self.master.ledger.snapshot() as conn:
            flags = flags_per_judge((f.contestant, f.judges) for f in flag_rows(conn))
        return panel_report(self.event, inputs.sheets, inputs.imported,
                            excused=inputs.excused, decisions=inputs.decisions, flags=flags)

    def published_organisations(self) -> dict[str, Any]:
        """The organisation awards over the latest published version of every ranking
        (`{"organisations": [...]}`), or nothing while a ranking is unpublished: an award
        over the whole event stands only on every ranking's published results."""
        latest = {(r.track, r.group): r for r in self.publications()}
        if set(self.scopes()) - set(latest):
            return {}
        standings = {entry["contestant"]: (entry["prize"], Decimal(entry["final"]))
                     for row in latest.values() for scope in row.document["scopes"]
                     for entry in scope["ranking"]}
        decided = {d.contestants: d for d in self.scoring_inputs().decisions}
        return {"organisations": organisations_document(
            rank_organisations(self.event, award, standings, decided)
            for award in self.event.organisation_awards)}

    def scoring_inputs(self) -> ScoringInputs:
        with self.master.ledger.snapshot() as conn:
            event = self.event
            sheets: list[PanelSheet] = []
            for s in current_sheets(conn):
                judge, contestant = event.judge(s.judge), event.contestant(s.contestant)
                if s.withdrawn or judge is None or contestant is None \
                        or event.is_recused(judge, contestant):
                    continue  # excused, or no longer on the panel after an event change
                sheets.append(PanelSheet(s.judge, s.contestant, dict(s.values)))
            return ScoringInputs(
                tuple(sheets), component_values(conn),
                frozenset({(w.judge, w.contestant) for w in withdrawal_rows(conn)}
                          | self._excused_pairs(conn)),
                tuple(tie_decisions(conn)))

    def current_results(self) -> Results:
        """Results from the sheets in force, overrides applied, withdrawn sheets excused,
        imported components and tie decisions: what `head-judge tabulate` would compute."""
        return results_from(self.event, self.scoring_inputs())

    def lock_blockers(self, contestant_id: str) -> list[Message]:
        """Why the contestant cannot be locked without forcing: missing sheets, open flags,
        open reviews, a judge's laptop and paper sheets not chosen between. Empty when it
        can."""
        contestant = self.contestant(contestant_id)
        conn = self.master.ledger.conn
        missing = self.missing_sheets(contestant.id)
        blockers = [Message("blocker_no_sheet", judges=missing)] if missing else []
        blockers += [self.flag_blocker(f)
                     for f in flag_rows(conn, status="open", contestant=contestant.id)]
        blockers += [Message("blocker_review", review=r.id, judge=r.judge)
                     for r in review_rows(conn, status="open", contestant=contestant.id)]
        blockers += [Message("blocker_sheet_conflict", judge=s.judge, contestant=s.contestant)
                     for s in current_sheets(conn, contestant.id) if s.conflict]
        return blockers

    def missing_sheets(self, contestant_id: str) -> list[str]:
        """The judges of the contestant's panel whose sheet is still expected (none held,
        not withdrawn, not excused)."""
        contestant = self.contestant(contestant_id)
        conn = self.master.ledger.conn
        held = {s.judge for s in current_sheets(conn, contestant.id)}
        excused = {w.judge for w in withdrawal_rows(conn, contestant.id)}
        excused |= {e.judge for e in excusal_rows(conn) if e.covers(contestant.id)}
        return [j.id for j in self.event.panel_for(contestant)
                if j.id not in held and j.id not in excused]

    def flag_blocker(self, flag: FlagRow) -> Message:
        """`flag 7 is open: L05: J3 differs from …`, in both languages."""
        values = ", ".join(f"{j} {plain(v)}" for j, v in flag.compared.items())
        common = {"contestant": flag.contestant, "diff": plain(flag.difference),
                  "limit": plain(flag.threshold), "values": values}
        if flag.rule == "outlier":
            described = Message("flag_outlier", judge=flag.judges[0], **common)
        else:
            ends = [", ".join(j for j in flag.judges if flag.compared.get(j) == end)
                    for end in (min(flag.compared.values()), max(flag.compared.values()))]
            found = self.event.criterion(flag.criterion or "")
            criterion = Text(found.name.get("zh"), found.id) if found is not None \
                else flag.criterion or ""
            described = Message(f"flag_{flag.rule}", criterion=criterion, low=ends[0],
                                high=ends[1], **common)
        return Message("blocker_flag", flag=flag.id, description=described)

    def publish_blockers(self, scope: ScopeKey) -> list[Message]:
        """Why a scope cannot be published now: unlocked contestants, open flags, missing
        sheets or components, unresolved ties, identities still hidden in a blind final.
        Empty when it can."""
        track, group = self.scope(scope)
        conn = self.master.ledger.conn
        members = [c for c in self.event.contestants if (c.track, c.group) == (track, group)]
        locks = lock_rows(conn)
        unlocked = [c.id for c in members if c.id not in locks]
        blockers = [Message("blocker_not_locked", contestants=unlocked)] if unlocked else []
        ids = {c.id for c in members}
        blockers += [self.flag_blocker(f)
                     for f in flag_rows(conn, status="open") if f.contestant in ids]
        results = self.current_results()
        blockers += [self._unresolved(u) for u in results.unresolved
                     if u.scope == (track, group) or u.kind == "tie_organisation"]
        ranked = [s for s in results.scopes if (s.track, s.group) == (track, group)]
        if not any(s.ranking for s in ranked):
            blockers.append(Message("blocker_nobody_ranked"))
        if blind_state(conn, self.event).hidden:
            blockers.append(Message("blocker_identities_hidden"))
        return blockers

    def _unresolved(self, unresolved: Unresolved) -> Message:
        who = unresolved.contestants
        if unresolved.kind == "missing_sheets":
            return Message("blocker_missing_sheets", contestant=who[0],
                           judges=self.missing_sheets(who[0]))
        if unresolved.kind == "missing_component":
            held = component_values(self.master.ledger.conn)
            absent = [Text(c.name.get("zh"), c.id) for c in self.event.scoring.components
                      if c.source == "import" and who[0] not in held.get(c.id, {})]
            return Message("blocker_missing_component", contestant=who[0], component=absent)
        return Message(f"blocker_{unresolved.kind}", contestants=list(who))

    # --- discrepancies ------------------------------------------------------------------------

    def request_review(self, judge: str, note: str, *, flag: int | None = None,
                       contestant: str | None = None) -> int:
        """Ask a judge to review their sheet for a contestant (or for a flag's contestant);
        the judge's terminal gets a `review_request` notice. Returns the review id."""
        at = self.timestamp()
        with self.master.write():
            if flag is not None:
                row = self._flag(flag)
                if row.status != "open":
                    raise ActionRefused("flag_not_open", flag=flag,
                                        status=Message(f"status_{row.status}"))
                if contestant is not None and contestant != row.contestant:
                    raise ActionRefused("flag_other_contestant", flag=flag,
                                        contestant=row.contestant, named=contestant)
                contestant = row.contestant
            if contestant is None:
                raise ActionRefused("review_needs_subject")
            judge_, contestant_ = self.panel_pair(judge, contestant)
            text = self.required_text(note, "what_review_note")
            self._unlocked(contestant_.id, "doing_review")
            sheet = self.sheet_in_force(judge_.id, contestant_.id)
            pending = review_rows(self.master.ledger.conn, status="open", judge=judge_.id,
                                  contestant=contestant_.id)
            if pending:
                raise ActionRefused("review_still_open", review=pending[0].id, judge=judge_.id,
                                    contestant=contestant_.id)
            entry = self.record("review_requested", {
                "judge": judge_.id, "contestant": contestant_.id, "flag": flag, "note": text,
                "sheet": sheet.hash, "revision": sheet.revision}, at)
        return entry.seq

    def accept_flag(self, flag: int, note: str) -> None:
        """Accept an open flag as it is (the difference is genuine), with a note."""
        at = self.timestamp()
        with self.master.write():
            row = self._flag(flag)
            if row.status != "open":
                raise ActionRefused("flag_not_open", flag=flag,
                                    status=Message(f"status_{row.status}"))
            text = self.required_text(note, "what_accept_note")
            self.record("flag_accepted", {"flag": flag, "contestant": row.contestant,
                                           "note": text}, at)

    def accept_flags(self, contestant: str, note: str,
                     flags: Sequence[int] | None = None) -> list[int]:
        """Accept every open flag of a contestant with one note, in one `flags_accepted`
        entry; returns the flag ids. `flags`, when given, are the ones the head judge was
        shown: refused if the contestant's open flags are no longer exactly those."""
        at = self.timestamp()
        with self.master.write():
            contestant_ = self.contestant(contestant)
            open_ = [f.id for f in self.flags("open", contestant_.id)]
            if not open_:
                raise ActionRefused("no_open_flags", contestant=contestant_.id)
            if flags is not None and sorted(flags) != open_:
                raise ActionRefused("open_flags_changed", contestant=contestant_.id,
                                    now=open_, was=sorted(flags) or Message("none"))
            text = self.required_text(note, "what_accept_all_note")
            self.record("flags_accepted", {"contestant": contestant_.id, "flags": open_,
                                            "note": text}, at)
        return open_

    def override_value(self, judge: str, contestant: str, criterion: str,
                       value: Decimal | str, reason: str, *, despite_appeal: str = "") -> int:
        """Replace one value of a judge's current sheet; both values are kept, scoring uses
        the new one until the judge sends another revision. Returns the override's id.
        Changing a contestant whose appeal was rejected needs `despite_appeal`, a reason of
        its own (recorded with the override)."""
        at = self.timestamp()
        with self.master.write():
            contestant_ = self.contestant(contestant)
            rejected = [a for a in appeal_rows(self.master.ledger.conn)
                        if a.contestant == contestant_.id and a.status == "rejected"]
            despite = (despite_appeal or "").strip()
            if rejected and not despite:
                raise ActionRefused("override_despite_appeal", contestant=contestant_.id,
                                    appeal=rejected[-1].id,
                                    reason=rejected[-1].decision_reason or "")
            extra = {"despite_appeal": {
                "appeal": rejected[-1].id,
                "reason": self.required_text(despite, "what_despite_appeal_reason")}} \
                if rejected else {}
            entry = self.record_override(judge, contestant_.id, criterion, value, reason, at,
                                         extra)
        return entry.seq

    def record_override(self, judge: str, contestant: str, criterion: str,
                        value: Decimal | str, reason: str, at: str,
                        extra: Mapping[str, Any] | None = None) -> Entry:
        """`override_value`'s checks and entry, inside the caller's `master.write()`;
        `extra` joins the entry's payload (the appeal an upheld decision applies)."""
        new = parse_score(value)
        judge_, contestant_ = self.panel_pair(judge, contestant)
        criterion_ = self.criterion(criterion)
        if new is None:
            raise ActionRefused("not_a_score", value=repr(value))
        check_value(criterion_, new)
        self._unlocked(contestant_.id, "doing_override")
        sheet = self.sheet_in_force(judge_.id, contestant_.id)
        old = sheet.values[criterion_.id]
        if old == new:
            raise ActionRefused("value_unchanged", judge=judge_.id, criterion=criterion_.id,
                                contestant=contestant_.id, value=plain(old))
        text = self.required_text(reason, "what_override_reason")
        entry = self.record("value_overridden", {
            "judge": judge_.id, "contestant": contestant_.id, "criterion": criterion_.id,
            "sheet": sheet.hash, "revision": sheet.revision, "old": plain(old),
            "new": plain(new), "reason": text, **(extra or {})}, at)
        self.master.reevaluate_flags(contestant_.id, entry.seq, at)
        return entry

    def withdraw_sheet(self, judge: str, contestant: str, reason: str) -> None:
        """Excuse a judge from a contestant (e.g. the judge was taken ill): their sheet, if
        any, no longer counts, and no sheet is expected. Open reviews of it are closed."""
        at = self.timestamp()
        with self.master.write():
            self.record_withdrawal(judge, contestant, reason, at)

    def record_withdrawal(self, judge: str, contestant: str, reason: str, at: str,
                          extra: Mapping[str, Any] | None = None) -> Entry:
        """`withdraw_sheet`'s checks and entries, inside the caller's `master.write()`."""
        judge_, contestant_ = self.panel_pair(judge, contestant)
        conn = self.master.ledger.conn
        if any(w.judge == judge_.id for w in withdrawal_rows(conn, contestant_.id)):
            raise ActionRefused("already_withdrawn", judge=judge_.id,
                                contestant=contestant_.id)
        text = self.required_text(reason, "what_withdraw_reason")
        self._unlocked(contestant_.id, "doing_withdraw")
        held = [s for s in current_sheets(conn, contestant_.id) if s.judge == judge_.id]
        entry = self.record("sheet_withdrawn", {
            "judge": judge_.id, "contestant": contestant_.id,
            "sheet": held[0].hash if held else None, "reason": text, **(extra or {})}, at)
        for review in review_rows(conn, status="open", judge=judge_.id,
                                  contestant=contestant_.id):
            self.record("review_closed", {
                "review": review.id, "judge": judge_.id, "contestant": contestant_.id,
                "reason": Message("why_sheet_withdrawn", reason=text)}, at)
        self.master.reevaluate_flags(contestant_.id, entry.seq, at)
        return entry

    # --- excused seats ------------------------------------------------------------------------

    def _listed(self, judge: Judge, contestants: Sequence[str]) -> list[Contestant]:
        """The contestants named, each once, in running order; refused when one is unknown
        or not on the judge's panel, or when none is named."""
        named = [self.panel_pair(judge.id, cid)[1] for cid in dict.fromkeys(contestants)]
        if not named:
            raise ActionRefused("name_excused_contestants")
        return sorted(named, key=lambda c: (c.order, c.id))

    def _counting(self, conn: sqlite3.Connection, judge: str) -> set[str]:
        """Contestants for whom the judge has a sheet that counts now."""
        return {s.contestant for s in current_sheets(conn)
                if s.judge == judge and not s.withdrawn}

    def excuse_judge(self, judge: str, reason: str,
                     contestants: Sequence[str] | None = None) -> int:
        """Excuse a judge's seat for the whole final (`contestants` None) or for the
        contestants named: each one's panel counts without that judge, no sheet is expected
        from it, any it already sent for them no longer counts, and its terminal is told (an
        `excused` notice) and refused further sheets for them. One `seat_excused` entry; open
        reviews of its sheets for them are closed and their flags evaluated again. Refused
        when a covered contestant is locked and the judge's sheet for them counts (unlock
        first), or would be left with no judge at all. Returns the entry."""
        at = self.timestamp()
        with self.master.write():
            judge_ = self.judge(judge)
            conn = self.master.ledger.conn
            held = excusal_rows(conn, judge_.id)
            if any(e.contestant is None for e in held):
                raise ActionRefused("excused_whole_final", judge=judge_.id)
            if contestants is None:
                covered = [c for c in self.event.contestants
                           if not self.event.is_recused(judge_, c)]
            else:
                covered = self._listed(judge_, contestants)
                already = [c.id for c in covered if any(e.covers(c.id) for e in held)]
                if already:
                    raise ActionRefused("already_excused_for", judge=judge_.id,
                                        contestants=already)
            text = self.required_text(reason, "what_excuse_reason")
            counting = self._counting(conn, judge_.id)
            locks = lock_rows(conn)
            locked = [c.id for c in covered if c.id in locks and c.id in counting]
            if locked:
                raise ActionRefused("excuse_locked", contestants=locked, judge=judge_.id)
            gone = self._excused_pairs(conn) | {(w.judge, w.contestant)
                                                for w in withdrawal_rows(conn)}
            alone = [c.id for c in covered
                     if not any(j.id != judge_.id and (j.id, c.id) not in gone
                                for j in self.event.panel_for(c))]
            if alone:
                raise ActionRefused("excuse_alone", judge=judge_.id, contestants=alone)
            entry = self.record("seat_excused", {
                "judge": judge_.id,
                "contestants": None if contestants is None else [c.id for c in covered],
                "reason": text}, at)
            ids = {c.id for c in covered}
            for review in review_rows(conn, status="open", judge=judge_.id):
                if review.contestant in ids:
                    self.record("review_closed", {
                        "review": review.id, "judge": judge_.id,
                        "contestant": review.contestant,
                        "reason": Message("why_judge_excused", reason=text)}, at)
            for cid in sorted(ids & counting):
                self.master.reevaluate_flags(cid, entry.seq, at)
        return entry.seq

    def restore_judge(self, judge: str, reason: str,
                      contestants: Sequence[str] | None = None) -> int:
        """Undo an excusal (`seat_restored`): of the whole seat (`contestants` None: every
        excusal of the judge) or for the contestants named, each of which must have been
        excused by name. The judge's sheets for them count again and are expected again.
        Refused for a locked contestant (unlock first). Returns the entry."""
        at = self.timestamp()
        with self.master.write():
            judge_ = self.judge(judge)
            conn = self.master.ledger.conn
            held = excusal_rows(conn, judge_.id)
            if not held:
                raise ActionRefused("not_excused", judge=judge_.id)
            if contestants is None:
                freed = [c for c in self.event.contestants
                         if any(e.covers(c.id) for e in held)
                         and not self.event.is_recused(judge_, c)]
            else:
                freed = self._listed(judge_, contestants)
                named = {e.contestant for e in held}
                if None in named:
                    raise ActionRefused("restore_whole_seat", judge=judge_.id)
                not_excused = [c.id for c in freed if c.id not in named]
                if not_excused:
                    raise ActionRefused("not_excused_for", judge=judge_.id,
                                        contestants=not_excused)
            text = self.required_text(reason, "what_restore_reason")
            locks = lock_rows(conn)
            locked = [c.id for c in freed if c.id in locks]
            if locked:
                raise ActionRefused("restore_locked", contestants=locked, judge=judge_.id)
            entry = self.record("seat_restored", {
                "judge": judge_.id,
                "contestants": None if contestants is None else [c.id for c in freed],
                "reason": text}, at)
            for cid in sorted({c.id for c in freed} & self._counting(conn, judge_.id)):
                self.master.reevaluate_flags(cid, entry.seq, at)
        return entry.seq

    # --- locks --------------------------------------------------------------------------------

    def lock(self, contestant: str, *, reason: str = "", force: bool = False) -> None:
        """Close a contestant: no further sheets or changes. Refused while sheets are missing
        or flags or reviews are open, unless `force` (then `reason` is required)."""
        at = self.timestamp()
        with self.master.write():
            contestant_ = self.contestant(contestant)
            lock = lock_rows(self.master.ledger.conn).get(contestant_.id)
            if lock is not None:
                raise ActionRefused("already_locked", contestant=contestant_.id)
            blockers = self.lock_blockers(contestant_.id)
            if blockers and not force:
                raise ActionRefused("cannot_lock", contestant=contestant_.id, blockers=blockers)
            text = self.required_text(reason, "what_force_reason") if force \
                else (reason or "").strip()
            if len(text) > MAX_TEXT:
                raise ActionRefused("text_too_long", what=Message("what_reason"), max=MAX_TEXT)
            self.record("contestant_locked", {
                "contestant": contestant_.id, "reason": text, "forced": force,
                "blockers": blockers}, at)

    def ready_to_lock(self) -> list[str]:
        """Contestants not locked yet that are complete (every judge of the panel, less
        recusals and excusals, has a sheet) and clear (no open flag or review), in running
        order: what `lock_ready` would lock."""
        locks = self.locks()
        order = sorted(self.event.contestants, key=lambda c: (c.order, c.id))
        return [c.id for c in order
                if c.id not in locks and not self.lock_blockers(c.id)]

    def lock_ready(self, reason: str = "",
                   contestants: Sequence[str] | None = None) -> list[str]:
        """Lock, in one `contestants_locked` entry, every contestant `ready_to_lock` (or
        exactly `contestants`, each of which must be ready: what the head judge was shown).
        Returns the contestants locked."""
        at = self.timestamp()
        with self.master.write():
            if contestants is None:
                chosen = self.ready_to_lock()
                if not chosen:
                    raise ActionRefused("none_ready_to_lock")
            else:
                chosen = list(dict.fromkeys(self.contestant(c).id for c in contestants))
                if not chosen:
                    raise ActionRefused("name_contestants_to_lock")
                locks = self.locks()
                for cid in chosen:
                    if cid in locks:
                        raise ActionRefused("already_locked", contestant=cid)
                    blockers = self.lock_blockers(cid)
                    if blockers:
                        raise ActionRefused("cannot_lock_plain", contestant=cid,
                                            blockers=blockers)
            text = (reason or "").strip()
            if len(text) > MAX_TEXT:
                raise ActionRefused("text_too_long", what=Message("what_reason"), max=MAX_TEXT)
            self.record("contestants_locked", {"contestants": chosen, "reason": text}, at)
        return chosen

    def unlock(self, contestant: str, reason: str) -> None:
        at = self.timestamp()
        with self.master.write():
            contestant_ = self.contestant(contestant)
            if contestant_.id not in lock_rows(self.master.ledger.conn):
                raise ActionRefused("not_locked", contestant=contestant_.id)
            text = self.required_text(reason, "what_unlock_reason")
            self.record("contestant_unlocked", {"contestant": contestant_.id,
                                                 "reason": text}, at)

    # --- imported components ------------------------------------------------------------------

    def _read_component(self, component_id: str, path: Path) -> tuple[dict[str, Decimal], str]:
        try:
            before = path.read_bytes()
            values = read_component(self.event, component_id, path)
            after = path.read_bytes()
        except InputProblems as exc:
            raise ActionRefused("file_problems",  # one a line, in the language shown
                                problems=InputProblems(exc.problems)) from None
        except OSError as exc:
            raise ActionRefused("file_unreadable", path=path, error=os_reason(exc)) from None
        if before != after:
            raise ActionRefused("file_changed", path=path)
        return values, sha256_hex(before)

    def _preview(self, component_id: str, file: str, values: Mapping[str, Decimal]
                 ) -> ComponentPreview:
        conn = self.master.ledger.conn
        held = component_values(conn).get(component_id, {})
        locks = lock_rows(conn)
        order = {c.id: i for i, c in enumerate(self.event.contestants)}
        rows = []
        for cid, new in sorted(values.items(), key=lambda item: order[item[0]]):
            old, lock = held.get(cid), locks.get(cid)
            if old == new:
                status = ROW_UNCHANGED
            elif old is None:
                status = ROW_NEW
            else:
                status = ROW_BLOCKED if lock is not None else ROW_CHANGED
            rows.append(ComponentRow(cid, old, new, status, lock is not None,
                                     lock.reason if lock is not None else ""))
        return ComponentPreview(component_id, file, tuple(rows))

    def preview_components(self, component_id: str, path: str | Path) -> ComponentPreview:
        """What importing this CSV/XLSX (`contestant,value`) would do, row by row: new,
        changed, unchanged or blocked, and why; writes nothing."""
        path = Path(path)
        values, _ = self._read_component(component_id, path)
        with self.master.ledger.snapshot():
            return self._preview(component_id, path.name, values)

    def import_components(self, component_id: str, path: str | Path, *,
                          reason: str = "") -> ComponentImport:
        """Record an imported component's values (the file's name and SHA-256 with them).
        Values of contestants not in the file stay as they are. A first value may be
        imported for a locked contestant too; changing a value already recorded needs a
        reason, and is refused for a locked contestant (unlock first)."""
        path = Path(path)
        values, digest = self._read_component(component_id, path)
        at = self.timestamp()
        with self.master.write():
            preview = self._preview(component_id, path.name, values)
            if preview.of(ROW_BLOCKED):
                raise ActionRefused("cannot_import", file=path.name, blockers=preview.blockers)
            if preview.blockers:  # nothing to record
                raise ActionRefused(preview.blockers[0])
            changes = preview.changes
            text = (reason or "").strip()
            if preview.needs_reason:
                shown = ", ".join(f"{r.contestant} {plain(r.old)} → {plain(r.new)}"
                                  for r in preview.of(ROW_CHANGED) if r.old is not None)
                text = self.required_text(
                    reason, Message("what_reimport_reason", changes=shown))
            elif len(text) > MAX_TEXT:
                raise ActionRefused("text_too_long", what=Message("what_reason"), max=MAX_TEXT)
            entry = self.record("components_imported", {
                "component": component_id, "file": path.name, "sha256": digest,
                "values": {c: plain(v) for c, v in values.items()}, "reason": text,
                "changes": [{"contestant": c.contestant,
                             "old": None if c.old is None else plain(c.old),
                             "new": plain(c.new)} for c in changes]}, at)
        return ComponentImport(entry.seq, component_id, path.name, digest, tuple(changes))

    # --- ties ---------------------------------------------------------------------------------

    def decide_tie(self, scope: ScopeKey | None, contestants: Sequence[str], kind: str,
                   order: Sequence[str] = (), reason: str = "", *,
                   award: str | None = None) -> None:
        """Settle a tie the tie-break chain leaves on a prize, advancement or honour boundary
        (`order` ranks them as listed, `shared` lets them share the better place), or, with
        `award`, a tie between organisations (named as the results name them) across the
        last place of that organisation award; `scope` is then not used."""
        at = self.timestamp()
        with self.master.write():
            if award is not None:
                if not any(a.id == award for a in self.event.organisation_awards):
                    raise ActionRefused("no_organisation_award", award=repr(award), awards=[
                        a.id for a in self.event.organisation_awards] or Message("none"))
                track, group = "", None
            else:
                track, group = self.scope(scope or ("", None))
                for cid in contestants:
                    self.contestant(cid)
            tied = frozenset(contestants)
            if kind not in ("order", "shared"):
                raise ActionRefused("tie_kind", kind=repr(kind))
            if kind == "order" and sorted(order) != sorted(tied):
                raise ActionRefused("tie_order", contestants=sorted(tied))
            if kind == "shared" and order:
                raise ActionRefused("tie_shared_order")
            inputs = self.scoring_inputs()
            results = results_from(self.event, inputs)
            ties = [u for u in results.unresolved
                    if u.scope == (track, group) and u.kind.startswith("tie_")]
            if not any(frozenset(u.contestants) == tied for u in ties):
                now = [", ".join(u.contestants) for u in ties]
                raise ActionRefused("no_such_tie", contestants=list(contestants),
                                    scope=self.scope_text((track, group)) if award is None
                                    else self.award_name(award),
                                    ties="; ".join(now) if now else Message("none"))
            text = self.required_text(reason, "what_tie_reason")
            decision = TieDecision(tied, kind, tuple(order), text)
            settled = results_from(self.event, replace(
                inputs, decisions=(*inputs.decisions, decision)))
            if any(frozenset(u.contestants) == tied for u in settled.unresolved):
                raise ActionRefused("tie_not_settled")
            payload = {"track": track, "group": group, "contestants": sorted(tied),
                       "kind": kind, "order": list(order), "reason": text}
            self.record("tie_decided", payload if award is None else {**payload,
                                                                      "award": award}, at)

    # --- publishing ---------------------------------------------------------------------------

    def announce_on_stage(self, contestant: str | None) -> int:
        """Record who is on stage now (None: nobody); every terminal is told. Returns the
        ledger entry."""
        at = self.timestamp()
        with self.master.write():
            if contestant is not None:
                self.contestant(contestant)
            entry = self.record(ON_STAGE, {"contestant": contestant}, at)
        return entry.seq

    def last_on_stage(self) -> str | None:
        """Who the ledger last recorded on stage (None: nobody, or never recorded); the
        projections turn each record into an `on_stage` notice for every terminal."""
        try:
            row = self.master.ledger.conn.execute(
                "SELECT json_extract(payload, '$.contestant') FROM ledger WHERE kind = ? "
                "ORDER BY seq DESC LIMIT 1", (ON_STAGE,)).fetchone()
        except sqlite3.Error:
            return None
        return str(row[0]) if row is not None and row[0] is not None else None

    def scope_appeals(self, scope: ScopeKey) -> list[AppealRow]:
        """Appeals about the scope's contestants, oldest first."""
        track, group = self.scope(scope)
        ids = {c.id for c in self.event.contestants if (c.track, c.group) == (track, group)}
        return [a for a in appeal_rows(self.master.ledger.conn) if a.contestant in ids]

    def open_appeals(self, scope: ScopeKey) -> list[AppealRow]:
        """Appeals about the scope's contestants that are still open."""
        return [a for a in self.scope_appeals(scope) if a.status == "open"]

    def publish(self, scope: ScopeKey, reason: str = "") -> Publication:
        """Freeze a scope's results as its next version, followed by a signed checkpoint.
        Refused unless every contestant in it is locked and nothing is flagged, missing or
        unresolved; a republication, or a publication while appeals about the scope are
        open, needs a reason; a republication needs different results."""
        at = self.timestamp()
        with self.master.write():
            track, group = self.scope(scope)
            blockers = self.publish_blockers((track, group))
            if blockers:
                raise ActionRefused("cannot_publish", scope=self.scope_text(scope),
                                    blockers=blockers)
            document = scope_document(self.current_results(), (track, group))
            versions = self.publications((track, group))
            last = versions[-1] if versions else None
            text = (reason or "").strip()
            pending = self.open_appeals((track, group))
            if pending and not text:  # issue 27: the committee has not decided yet
                raise ActionRefused("publish_open_appeals", scope=self.scope_text(scope),
                                    appeals=[f"{a.id} ({a.contestant})" for a in pending])
            if last is not None:
                if last.document == document:
                    raise ActionRefused("already_published", version=last.version,
                                        scope=self.scope_text(scope))
                upheld = [a.id for a in self.scope_appeals((track, group))
                          if a.status == "upheld" and (a.decided_seq or 0) > last.ledger_seq]
                if upheld and not text:  # the decisions that made this version say why
                    said = Message("why_appeals_upheld", appeals=upheld)
                    text = f"{said.render('zh')} / {said.render('en')}"
                text = self.required_text(text, "what_republish_reason")
            elif len(text) > MAX_TEXT:
                raise ActionRefused("text_too_long", what=Message("what_reason"), max=MAX_TEXT)
            changes = describe_changes(last.document if last else None, document)
            version = last.version + 1 if last else 1
            entry = self.record("results_published", {
                "track": track, "group": group, "version": version, "document": document,
                "reason": text, "changes": changes}, at)
            checkpoint = append_checkpoint(self.master.ledger, self.master.identity.signing_key,
                                           self.event.id, at, "publish")
        return Publication(track, group, version, document, tuple(changes), entry.seq,
                           checkpoint.seq)


def _scope_name(scope: Iterable[str | None]) -> str:
    return "/".join(part for part in scope if part)


def check_value(criterion: Criterion, value: Decimal) -> None:
    """Refuse a value the criterion does not allow: outside 0–max, or off its step."""
    if value < 0 or value > criterion.max:
        raise ActionRefused("value_out_of_range", criterion=criterion.id, value=value,
                            max=criterion.max)
    if value % criterion.step != 0:
        raise ActionRefused("value_off_step", criterion=criterion.id, value=value,
                            step=criterion.step)


def parse_score(value: Decimal | str) -> Decimal | None:
    """A score typed by the head judge (`8`, `8.5`) or given as a Decimal; None if it is not
    a plain non-negative number."""
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return parse_value(value.strip()) if isinstance(value, str) else None
