"""The head judge's actions on a running final, over a `Master`: reviews, flag acceptance,
overrides, withdrawals, locks, imported components, tie decisions, live results, publishing.

`HeadJudge` is the headless API the CLI (`head_judge.cli_record`) and the console call. Each
action checks its input and the state it acts on inside one write transaction, then appends
its ledger entry (actor, time, payload) and what follows from it in that same transaction:
flags evaluated again after an override or a withdrawal, a signed checkpoint after a
publication. A reason is required wherever a number changes (override, withdrawal, unlock,
forced lock, tie decision, re-import of a value, republication).

It refuses with `ActionRefused(reason)`, writing nothing, an unknown contestant, judge,
criterion, component, scope, flag or review, a missing reason, and the wrong state: an
action on a recused pair, a second open review of one sheet, accepting a flag that is not
open, changing a locked contestant (unlock first), locking a contestant whose sheets are
missing or whose flags or reviews are open (unless forced, with a reason), unlocking one that
is not locked, an import that changes nothing, deciding a tie that is not unresolved, and
publishing a scope that is not clear or whose results did not change.

Results are computed by `head_judge.scoring.tabulate`, the code `head-judge tabulate` runs.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from sync.canonical import canonical_bytes, sha256_hex
from sync.event import Contestant, Criterion, Event, Judge
from sync.problems import InputProblems

from .checkpoints import append_checkpoint
from .ledger import Entry
from .master import HEAD_JUDGE, Master, MasterError, iso
from .paper import parse_value, read_component, rubric_problem
from .projections import (
    CurrentSheet,
    FlagRow,
    LockRow,
    OverrideRow,
    PublicationRow,
    ReviewRow,
    WithdrawalRow,
    component_values,
    current_sheets,
    flag_rows,
    lock_rows,
    override_rows,
    publication_rows,
    review_rows,
    tie_decisions,
    withdrawal_rows,
)
from .scoring import PanelSheet, Results, ScopeKey, TieDecision, plain, tabulate

__all__ = [
    "MAX_TEXT",
    "ON_STAGE",
    "ActionRefused",
    "ComponentChange",
    "ComponentImport",
    "HeadJudge",
    "Publication",
    "ScoringInputs",
    "describe_changes",
    "parse_score",
    "results_from",
    "scope_document",
]

MAX_TEXT: Final = 2000
"""Longest note, reason or appeal ground accepted, in characters."""

ON_STAGE: Final = "on_stage"
"""Ledger entry kind and notice kind of who is on stage (docs/protocol.md)."""

Clock = Callable[[], dt.datetime]


class ActionRefused(MasterError):
    """The head judge's action cannot be done as asked; nothing was written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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


def results_from(event: Event, inputs: ScoringInputs) -> Results:
    return tabulate(event, inputs.sheets, inputs.imported, excused=inputs.excused,
                    decisions=inputs.decisions)


def _normal(document: Mapping[str, Any]) -> dict[str, Any]:
    """A document exactly as the ledger will hold it (canonical JSON and back)."""
    loaded: dict[str, Any] = json.loads(canonical_bytes(dict(document)))
    return loaded


def scope_document(results: Results, scope: ScopeKey) -> dict[str, Any]:
    """The results document (DESIGN.md §4) of one scope."""
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


def _shown(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def describe_changes(before: Mapping[str, Any] | None,
                     after: Mapping[str, Any]) -> list[str]:
    """What changed between two results documents, contestant by contestant, in plain words
    (rank, final score, prize, advancement, component values, judges' totals)."""
    old, new = _ranking(before), _ranking(after)
    if before is None:
        return []
    lines: list[str] = []
    for contestant, row in new.items():
        was = old.get(contestant)
        if was is None:
            lines.append(f"{contestant}: newly ranked {row['rank']} with {row['final']}")
            continue
        parts = [f"{label} {_shown(was[key])} → {_shown(row[key])}"
                 for key, label in (("rank", "rank"), ("final", "final"), ("prize", "prize"),
                                    ("advances", "advances"))
                 if was[key] != row[key]]
        for key, label in (("components", "component"), ("judges", "total of")):
            for item in sorted(set(was[key]) | set(row[key])):
                a, b = was[key].get(item), row[key].get(item)
                if a != b:
                    parts.append(f"{label} {item} {_shown(a)} → {_shown(b)}")
        if was["dropped"] != row["dropped"]:
            parts.append(f"dropped {', '.join(was['dropped']) or 'none'} → "
                         f"{', '.join(row['dropped']) or 'none'}")
        if parts:
            lines.append(f"{contestant}: " + ", ".join(parts))
    lines += [f"{contestant}: no longer ranked (was {row['rank']})"
              for contestant, row in old.items() if contestant not in new]
    return lines


# --- what actions return ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentChange:
    contestant: str
    old: Decimal | None
    new: Decimal


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
                 clock: Clock = _utc_now) -> None:
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
            raise ActionRefused(f"there is no contestant {contestant_id!r} in this final")
        return found

    def judge(self, judge_id: str) -> Judge:
        found = self.event.judge(judge_id)
        if found is None:
            raise ActionRefused(f"there is no judge {judge_id!r} on the panel; the panel is "
                                + ", ".join(j.id for j in self.event.judges))
        return found

    def criterion(self, criterion_id: str) -> Criterion:
        found = self.event.criterion(criterion_id)
        if found is None:
            raise ActionRefused(f"there is no criterion {criterion_id!r}; the rubric has "
                                + ", ".join(c.id for c in self.event.criteria))
        return found

    def scope(self, scope: ScopeKey) -> ScopeKey:
        scopes = self.scopes()
        if tuple(scope) not in scopes:
            raise ActionRefused(f"there is no ranking {_scope_name(scope)}; rankings are "
                                + ", ".join(_scope_name(s) for s in scopes))
        return scope[0], scope[1]

    def scopes(self) -> list[ScopeKey]:
        """Every ranking of the final (track, group), in the order results list them."""
        keys = {(c.track, c.group) for c in self.event.contestants}
        return sorted(keys, key=lambda k: (k[0], k[1] or ""))

    @staticmethod
    def required_text(text: str | None, what: str) -> str:
        cleaned = (text or "").strip()
        if not cleaned:
            raise ActionRefused(f"{what} is required")
        if len(cleaned) > MAX_TEXT:
            raise ActionRefused(f"{what} is longer than {MAX_TEXT} characters")
        return cleaned

    def panel_pair(self, judge_id: str, contestant_id: str) -> tuple[Judge, Contestant]:
        judge, contestant = self.judge(judge_id), self.contestant(contestant_id)
        if self.event.is_recused(judge, contestant):
            raise ActionRefused(f"{judge.id} does not score {contestant.id} (same organisation "
                                "or a declared conflict)")
        return judge, contestant

    def _unlocked(self, contestant: str, doing: str) -> None:
        lock = lock_rows(self.master.ledger.conn).get(contestant)
        if lock is not None:
            raise ActionRefused(f"{contestant} is locked" + (f" ({lock.reason})" if lock.reason
                                                              else "")
                                + f"; unlock it first to {doing}")

    def sheet_in_force(self, judge: str, contestant: str) -> CurrentSheet:
        for sheet in current_sheets(self.master.ledger.conn, contestant):
            if sheet.judge == judge:
                if sheet.withdrawn:
                    raise ActionRefused(f"{judge}'s sheet for {contestant} was withdrawn")
                return sheet
        raise ActionRefused(f"{judge} has not sent a sheet for {contestant}")

    def _flag(self, flag_id: int) -> FlagRow:
        rows = flag_rows(self.master.ledger.conn, flag_id=flag_id)
        if not rows:
            raise ActionRefused(f"there is no flag {flag_id}")
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

    def locks(self) -> dict[str, LockRow]:
        return lock_rows(self.master.ledger.conn)

    def components(self) -> dict[str, dict[str, Decimal]]:
        return component_values(self.master.ledger.conn)

    def publications(self, scope: ScopeKey | None = None) -> list[PublicationRow]:
        if scope is None:
            return publication_rows(self.master.ledger.conn)
        return publication_rows(self.master.ledger.conn, scope[0], scope[1])

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
                frozenset((w.judge, w.contestant) for w in withdrawal_rows(conn)),
                tuple(tie_decisions(conn)))

    def current_results(self) -> Results:
        """Results from the sheets in force, overrides applied, withdrawn sheets excused,
        imported components and tie decisions: what `head-judge tabulate` would compute."""
        return results_from(self.event, self.scoring_inputs())

    def lock_blockers(self, contestant_id: str) -> list[str]:
        """Why the contestant cannot be locked without forcing: missing sheets, open flags,
        open reviews. Empty when it can."""
        contestant = self.contestant(contestant_id)
        conn = self.master.ledger.conn
        held = {s.judge for s in current_sheets(conn, contestant.id)}
        excused = {w.judge for w in withdrawal_rows(conn, contestant.id)}
        missing = [j.id for j in self.event.panel_for(contestant)
                   if j.id not in held and j.id not in excused]
        blockers = [f"no sheet yet from {', '.join(missing)}"] if missing else []
        blockers += [f"flag {f.id} is open: {f.describe()}"
                     for f in flag_rows(conn, status="open", contestant=contestant.id)]
        blockers += [f"review {r.id} of {r.judge}'s sheet is open"
                     for r in review_rows(conn, status="open", contestant=contestant.id)]
        return blockers

    def publish_blockers(self, scope: ScopeKey) -> list[str]:
        """Why a scope cannot be published now: unlocked contestants, open flags, missing
        sheets or components, unresolved ties. Empty when it can."""
        track, group = self.scope(scope)
        conn = self.master.ledger.conn
        members = [c for c in self.event.contestants if (c.track, c.group) == (track, group)]
        locks = lock_rows(conn)
        unlocked = [c.id for c in members if c.id not in locks]
        blockers = [f"not locked: {', '.join(unlocked)}"] if unlocked else []
        ids = {c.id for c in members}
        blockers += [f"flag {f.id} is open: {f.describe()}"
                     for f in flag_rows(conn, status="open") if f.contestant in ids]
        results = self.current_results()
        blockers += [u.reason for u in results.unresolved if u.scope == (track, group)]
        ranked = [s for s in results.scopes if (s.track, s.group) == (track, group)]
        if not any(s.ranking for s in ranked):
            blockers.append("nobody is ranked in this scope yet")
        return blockers

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
                    raise ActionRefused(f"flag {flag} is {row.status}, not open")
                if contestant is not None and contestant != row.contestant:
                    raise ActionRefused(f"flag {flag} is about {row.contestant}, not "
                                        f"{contestant}")
                contestant = row.contestant
            if contestant is None:
                raise ActionRefused("name the flag or the contestant to review")
            judge_, contestant_ = self.panel_pair(judge, contestant)
            text = self.required_text(note, "a note for the judge")
            self._unlocked(contestant_.id, "ask for a review")
            sheet = self.sheet_in_force(judge_.id, contestant_.id)
            pending = review_rows(self.master.ledger.conn, status="open", judge=judge_.id,
                                  contestant=contestant_.id)
            if pending:
                raise ActionRefused(f"review {pending[0].id} of {judge_.id}'s sheet for "
                                    f"{contestant_.id} is still open")
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
                raise ActionRefused(f"flag {flag} is {row.status}, not open")
            text = self.required_text(note, "a note saying why the flag is accepted")
            self.record("flag_accepted", {"flag": flag, "contestant": row.contestant,
                                           "note": text}, at)

    def override_value(self, judge: str, contestant: str, criterion: str,
                       value: Decimal | str, reason: str) -> int:
        """Replace one value of a judge's current sheet; both values are kept, scoring uses
        the new one until the judge sends another revision. Returns the override's id."""
        new = parse_score(value)
        at = self.timestamp()
        with self.master.write():
            judge_, contestant_ = self.panel_pair(judge, contestant)
            criterion_ = self.criterion(criterion)
            if new is None:
                raise ActionRefused(f"{value!r} is not a score")
            problem = rubric_problem(self.event, criterion_.id, new)
            if problem is not None:
                raise ActionRefused(f"{criterion_.id}: {problem}")
            self._unlocked(contestant_.id, "override a value")
            sheet = self.sheet_in_force(judge_.id, contestant_.id)
            old = sheet.values[criterion_.id]
            if old == new:
                raise ActionRefused(f"{judge_.id}'s {criterion_.id} for {contestant_.id} is "
                                    f"already {plain(old)}")
            text = self.required_text(reason, "a reason for the override")
            entry = self.record("value_overridden", {
                "judge": judge_.id, "contestant": contestant_.id, "criterion": criterion_.id,
                "sheet": sheet.hash, "revision": sheet.revision, "old": plain(old),
                "new": plain(new), "reason": text}, at)
            self.master.reevaluate_flags(contestant_.id, entry.seq, at)
        return entry.seq

    def withdraw_sheet(self, judge: str, contestant: str, reason: str) -> None:
        """Excuse a judge from a contestant (e.g. the judge was taken ill): their sheet, if
        any, no longer counts, and no sheet is expected. Open reviews of it are closed."""
        at = self.timestamp()
        with self.master.write():
            judge_, contestant_ = self.panel_pair(judge, contestant)
            conn = self.master.ledger.conn
            if any(w.judge == judge_.id for w in withdrawal_rows(conn, contestant_.id)):
                raise ActionRefused(f"{judge_.id}'s sheet for {contestant_.id} is already "
                                    "withdrawn")
            text = self.required_text(reason, "a reason for the withdrawal")
            self._unlocked(contestant_.id, "withdraw a sheet")
            held = [s for s in current_sheets(conn, contestant_.id) if s.judge == judge_.id]
            entry = self.record("sheet_withdrawn", {
                "judge": judge_.id, "contestant": contestant_.id,
                "sheet": held[0].hash if held else None, "reason": text}, at)
            for review in review_rows(conn, status="open", judge=judge_.id,
                                      contestant=contestant_.id):
                self.record("review_closed", {
                    "review": review.id, "judge": judge_.id, "contestant": contestant_.id,
                    "reason": f"the sheet was withdrawn: {text}"}, at)
            self.master.reevaluate_flags(contestant_.id, entry.seq, at)

    # --- locks --------------------------------------------------------------------------------

    def lock(self, contestant: str, *, reason: str = "", force: bool = False) -> None:
        """Close a contestant: no further sheets or changes. Refused while sheets are missing
        or flags or reviews are open, unless `force` (then `reason` is required)."""
        at = self.timestamp()
        with self.master.write():
            contestant_ = self.contestant(contestant)
            lock = lock_rows(self.master.ledger.conn).get(contestant_.id)
            if lock is not None:
                raise ActionRefused(f"{contestant_.id} is already locked")
            blockers = self.lock_blockers(contestant_.id)
            if blockers and not force:
                raise ActionRefused(f"cannot lock {contestant_.id}: " + "; ".join(blockers)
                                    + " (resolve these, or force the lock with a reason)")
            text = self.required_text(reason, "a reason for a forced lock") if force \
                else (reason or "").strip()
            if len(text) > MAX_TEXT:
                raise ActionRefused(f"the reason is longer than {MAX_TEXT} characters")
            self.record("contestant_locked", {
                "contestant": contestant_.id, "reason": text, "forced": force,
                "blockers": blockers}, at)

    def unlock(self, contestant: str, reason: str) -> None:
        at = self.timestamp()
        with self.master.write():
            contestant_ = self.contestant(contestant)
            if contestant_.id not in lock_rows(self.master.ledger.conn):
                raise ActionRefused(f"{contestant_.id} is not locked")
            text = self.required_text(reason, "a reason for unlocking")
            self.record("contestant_unlocked", {"contestant": contestant_.id,
                                                 "reason": text}, at)

    # --- imported components ------------------------------------------------------------------

    def _read_component(self, component_id: str, path: Path) -> tuple[dict[str, Decimal], str]:
        try:
            before = path.read_bytes()
            values = read_component(self.event, component_id, path)
            after = path.read_bytes()
        except InputProblems as exc:
            raise ActionRefused("\n".join(str(p) for p in exc.problems)) from None
        except OSError as exc:
            raise ActionRefused(f"{path}: cannot read the file: {exc.strerror or exc}"
                                ) from None
        if before != after:
            raise ActionRefused(f"{path}: the file changed while it was read; try again")
        return values, sha256_hex(before)

    def _changes(self, component_id: str, values: Mapping[str, Decimal]
                 ) -> list[ComponentChange]:
        held = component_values(self.master.ledger.conn).get(component_id, {})
        order = {c.id: i for i, c in enumerate(self.event.contestants)}
        return [ComponentChange(c, held.get(c), v)
                for c, v in sorted(values.items(), key=lambda item: order[item[0]])
                if held.get(c) != v]

    def preview_components(self, component_id: str, path: str | Path) -> list[ComponentChange]:
        """What importing this CSV/XLSX (`contestant,value`) would change; writes nothing."""
        values, _ = self._read_component(component_id, Path(path))
        return self._changes(component_id, values)

    def import_components(self, component_id: str, path: str | Path, *,
                          reason: str = "") -> ComponentImport:
        """Record an imported component's values (the file's name and SHA-256 with them).
        Values of contestants not in the file stay as they are. Changing a value already
        imported needs a reason; changing a locked contestant's value is refused."""
        path = Path(path)
        values, digest = self._read_component(component_id, path)
        at = self.timestamp()
        with self.master.write():
            changes = self._changes(component_id, values)
            if not changes:
                raise ActionRefused(f"{path.name} changes nothing: every value in it equals "
                                    f"the {component_id} value already recorded")
            locks = lock_rows(self.master.ledger.conn)
            locked = [c.contestant for c in changes if c.contestant in locks]
            if locked:
                raise ActionRefused(f"{', '.join(locked)} locked; unlock first to change "
                                    f"their {component_id} value")
            replaced = [c for c in changes if c.old is not None]
            text = (reason or "").strip()
            if replaced:
                shown = ", ".join(f"{c.contestant} {plain(c.old)} → {plain(c.new)}"
                                  for c in replaced if c.old is not None)
                text = self.required_text(
                    reason, f"a reason for changing imported values ({shown})")
            entry = self.record("components_imported", {
                "component": component_id, "file": path.name, "sha256": digest,
                "values": {c: plain(v) for c, v in values.items()}, "reason": text,
                "changes": [{"contestant": c.contestant,
                             "old": None if c.old is None else plain(c.old),
                             "new": plain(c.new)} for c in changes]}, at)
        return ComponentImport(entry.seq, component_id, path.name, digest, tuple(changes))

    # --- ties ---------------------------------------------------------------------------------

    def decide_tie(self, scope: ScopeKey, contestants: Sequence[str], kind: str,
                   order: Sequence[str] = (), reason: str = "") -> None:
        """Settle a tie the tie-break chain leaves on a prize or advancement boundary: `order`
        ranks them as listed, `shared` lets them share the better prize."""
        at = self.timestamp()
        with self.master.write():
            track, group = self.scope(scope)
            for cid in contestants:
                self.contestant(cid)
            tied = frozenset(contestants)
            if kind not in ("order", "shared"):
                raise ActionRefused(f"a tie decision is `order` or `shared`, not {kind!r}")
            if kind == "order" and sorted(order) != sorted(tied):
                raise ActionRefused("an `order` decision lists each tied contestant once: "
                                    + ", ".join(sorted(tied)))
            if kind == "shared" and order:
                raise ActionRefused("a `shared` decision has no order")
            inputs = self.scoring_inputs()
            results = results_from(self.event, inputs)
            ties = [u for u in results.unresolved
                    if u.scope == (track, group) and u.kind.startswith("tie_")]
            if not any(frozenset(u.contestants) == tied for u in ties):
                now = "; ".join(", ".join(u.contestants) for u in ties) or "none"
                raise ActionRefused(f"there is no unresolved tie among exactly "
                                    f"{', '.join(contestants)} in {_scope_name(scope)} "
                                    f"(unresolved ties there: {now})")
            text = self.required_text(reason, "a reason for the tie decision")
            decision = TieDecision(tied, kind, tuple(order), text)
            settled = results_from(self.event, replace(
                inputs, decisions=(*inputs.decisions, decision)))
            if any(frozenset(u.contestants) == tied for u in settled.unresolved):
                raise ActionRefused("a decision on exactly these contestants does not settle "
                                    "this tie")
            self.record("tie_decided", {
                "track": track, "group": group, "contestants": sorted(tied), "kind": kind,
                "order": list(order), "reason": text}, at)

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

    def publish(self, scope: ScopeKey, reason: str = "") -> Publication:
        """Freeze a scope's results as its next version, followed by a signed checkpoint.
        Refused unless every contestant in it is locked and nothing is flagged, missing or
        unresolved; a republication needs a reason and different results."""
        at = self.timestamp()
        with self.master.write():
            track, group = self.scope(scope)
            blockers = self.publish_blockers((track, group))
            if blockers:
                raise ActionRefused(f"cannot publish {_scope_name(scope)}: "
                                    + "; ".join(blockers))
            document = scope_document(self.current_results(), (track, group))
            versions = self.publications((track, group))
            last = versions[-1] if versions else None
            text = (reason or "").strip()
            if last is not None:
                if last.document == document:
                    raise ActionRefused(f"version {last.version} of {_scope_name(scope)} "
                                        "already publishes exactly these results")
                text = self.required_text(reason, "a reason for publishing again")
            elif len(text) > MAX_TEXT:
                raise ActionRefused(f"the reason is longer than {MAX_TEXT} characters")
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


def parse_score(value: Decimal | str) -> Decimal | None:
    """A score typed by the head judge (`8`, `8.5`) or given as a Decimal; None if it is not
    a plain non-negative number."""
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return parse_value(value.strip()) if isinstance(value, str) else None
