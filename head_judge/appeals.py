"""Appeals: filing, the dossier an appeals committee reads, a preview of a proposed
correction, and the decision.

An appeal's id is the ledger position of its `appeal_filed` entry. The dossier is read from
the ledger itself, not from projections: every sheet and revision of the contestant with the
judge's signature checked against the device key enrolled for it, and every entry touching
the contestant (flags, reviews, overrides, withdrawals, locks, imports, tie decisions,
publications of their ranking, prints, appeals) in ledger order, each with the first signed
checkpoint that covers it, and every such checkpoint checked (master signature, Merkle root
of the entries before it). A preview runs `tabulate` on a modified copy of the scoring
inputs and writes nothing. An upheld appeal changes nothing by itself: the correction
follows as ordinary recorded actions (unlock, override, lock, publish again).

Refuses with `ActionRefused`, writing nothing: an unknown appeal or contestant, a missing
ground, filer or reason, an outcome other than upheld/rejected, deciding an appeal twice, and
a correction naming an unknown judge or criterion, a value outside the rubric, or a sheet
that is not in force.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from sync.event import APPEAL_CATEGORIES, AppealRules, Event, Text
from sync.merkle import root
from sync.problems import os_reason
from sync.records import RecordError, SignedRecord
from sync.zones import event_zone, shown_iso

from .actions import (
    ActionRefused,
    HeadJudge,
    check_value,
    describe_changes,
    parse_score,
    results_from,
    scope_document,
)
from .checkpoints import CHECKPOINT_KIND, MasterKeys, checkpoint_record, leaves
from .entry_lines import actor_said, entry_line, signed_body
from .ledger import Entry
from .master import iso, parse_time
from .paper_history import paper_revisions
from .projections import (
    AppealRow,
    Evidence,
    ReplyRow,
    VoteRow,
    appeal_rows,
    official_versions,
    reply_rows,
    vote_rows,
)
from .refusals import Message, read_back
from .scoring import Results, ScopeKey, Standing, plain

__all__ = [
    "OUTCOMES",
    "CheckpointCover",
    "Correction",
    "CorrectionPreview",
    "Dossier",
    "DossierEntry",
    "SheetRevision",
    "appeal",
    "appeals",
    "committee_members",
    "decide_appeal",
    "dossier",
    "file_appeal",
    "preview_correction",
]

OUTCOMES = ("upheld", "rejected")
VOTES = ("upheld", "rejected", "abstain")
CATEGORIES: Final = APPEAL_CATEGORIES
SCORED: Final = ("calculation", "judgement")
"""Categories about a score: upholding one needs the correction that changes it."""
EVIDENCE_DIR: Final = "evidence"
"""The folder of the master's home that keeps appeal evidence, one file per SHA-256."""


# --- filing ----------------------------------------------------------------------------------


def appeal(head: HeadJudge, appeal_id: int) -> AppealRow:
    rows = appeal_rows(head.master.ledger.conn, appeal_id)
    if not rows:
        raise ActionRefused("no_appeal", appeal=appeal_id)
    return rows[0]


def appeals(head: HeadJudge) -> list[AppealRow]:
    return appeal_rows(head.master.ledger.conn)


def file_appeal(head: HeadJudge, contestant: str, ground: str, filed_by: str, *,
                category: str = "calculation", evidence: Sequence[str | Path] = (),
                late_reason: str = "", late_option: str | Text = "--late-reason") -> AppealRow:
    """Record an appeal about a contestant's result; returns it with its id. `evidence`:
    files kept in the master's home by their SHA-256, named with it in the entry. After the
    appeal window of the contestant's ranking closed, it is accepted only with
    `late_reason`; a refusal names where to give it as `late_option` (the CLI's option, the
    console's field)."""
    if category not in CATEGORIES:
        raise ActionRefused("appeal_category", category=repr(category),
                            categories=list(CATEGORIES))
    if category == "judgement" and not head.event.appeal_rules.allow_judgement:
        raise ActionRefused("appeal_judgement_refused")
    kept = [_keep_evidence(head, Path(path)) for path in evidence]
    at = head.timestamp()
    with head.master.write():
        contestant_ = head.contestant(contestant)
        ground_text = head.required_text(ground, "what_appeal_ground")
        filer = head.required_text(filed_by, "what_appeal_filer")
        payload: dict[str, Any] = {"contestant": contestant_.id, "ground": ground_text,
                                   "filed_by": filer, "category": category,
                                   "evidence": [vars(e) for e in kept]}
        window = appeal_window(head, (contestant_.track, contestant_.group))
        if window is not None and window.closes is not None and at >= window.closes:
            if not (late_reason or "").strip():
                raise ActionRefused("appeal_window_closed", contestant=contestant_.id,
                                    scope=head.scope_text((contestant_.track,
                                                           contestant_.group)),
                                    closed=shown_iso(window.closes,
                                                     event_zone(head.event), "%H:%M"),
                                    option=late_option)
            payload["late"] = head.required_text(late_reason, "what_late_reason")
        entry = head.record("appeal_filed", payload, at)
    return appeal(head, entry.seq)


def _keep_evidence(head: HeadJudge, path: Path) -> Evidence:
    """Copy an evidence file into `evidence/<sha256>` in the master's home (written before
    the entry that names it: a refused filing leaves at most an unnamed copy)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ActionRefused("evidence_unreadable", file=str(path), reason=os_reason(exc)
                            ) from None
    digest = hashlib.sha256(data).hexdigest()
    folder = head.master.home / EVIDENCE_DIR
    folder.mkdir(exist_ok=True)
    kept = folder / digest
    if not kept.exists():
        partial = kept.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(kept)
    return Evidence(path.name, digest, len(data))


def reply_to_appeal(head: HeadJudge, appeal_id: int, contestant: str, reply: str) -> ReplyRow:
    """Record the reply of a contestant the appeal may affect (another contestant of the
    same ranking), before it is decided."""
    at = head.timestamp()
    with head.master.write():
        filed = open_appeal(head, appeal_id)
        who = head.contestant(contestant)
        about = head.contestant(filed.contestant)
        if who.id == about.id or (who.track, who.group) != (about.track, about.group):
            raise ActionRefused("reply_not_affected", contestant=who.id, appeal=appeal_id,
                                about=about.id)
        text = head.required_text(reply, "what_appeal_reply")
        entry = head.record("appeal_replied", {"appeal": appeal_id, "contestant": who.id,
                                               "reply": text}, at)
    return next(r for r in reply_rows(head.master.ledger.conn, appeal_id)
                if r.ledger_seq == entry.seq)


def open_appeal(head: HeadJudge, appeal_id: int) -> AppealRow:
    """The appeal, if it is still open; refused (naming how it ended) otherwise."""
    filed = appeal(head, appeal_id)
    if filed.status != "open":
        raise ActionRefused("appeal_decided", appeal=appeal_id,
                            status=Message(f"outcome_{filed.status}"),
                            reason=filed.decision_reason)
    return filed


def withdraw_appeal(head: HeadJudge, appeal_id: int, reason: str) -> AppealRow:
    """End an open appeal without a decision (the contestant or their organisation withdrew
    it), with a reason: `appeal_withdrawn`. Refused for an appeal already decided or
    withdrawn."""
    at = head.timestamp()
    with head.master.write():
        filed = open_appeal(head, appeal_id)
        text = head.required_text(reason, "what_appeal_withdraw_reason")
        head.record("appeal_withdrawn", {"appeal": appeal_id, "contestant": filed.contestant,
                                          "reason": text}, at)
    return appeal(head, appeal_id)


# --- the committee's votes --------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """The committee's votes on one appeal, counted by the event's rules. `needed`: the votes
    a decision needs (None: no vote needed, the committee has not voted and the event sets
    no quorum); `outcome`: what the counted votes decide (None: no majority)."""

    upheld: int
    rejected: int
    abstained: int
    conflicts: tuple[str, ...]
    needed: int | None
    outcome: str | None

    @property
    def counted(self) -> int:
        return self.upheld + self.rejected + self.abstained

    @property
    def quorate(self) -> bool:
        return self.needed is None or self.counted >= self.needed


def tally(votes: Sequence[VoteRow], committee: Sequence[str], rules: AppealRules) -> Tally:
    """Count votes: a member who declared a conflict is not counted; the quorum is the
    event's, else (once anyone voted) more than half of the committee; a simple majority is
    more upheld than rejected votes (or the reverse), two thirds at least two thirds of
    them."""
    counted = [v for v in votes if not v.conflict]
    up = sum(v.vote == "upheld" for v in counted)
    down = sum(v.vote == "rejected" for v in counted)
    needed = rules.quorum if rules.quorum is not None else (
        len(committee) // 2 + 1 if votes else None)
    outcome: str | None = None
    if rules.majority == "two_thirds":
        if up + down and 3 * up >= 2 * (up + down):
            outcome = "upheld"
        elif up + down and 3 * down >= 2 * (up + down):
            outcome = "rejected"
    elif up != down:
        outcome = "upheld" if up > down else "rejected"
    return Tally(up, down, len(counted) - up - down,
                 tuple(v.member for v in votes if v.conflict), needed, outcome)


def vote_on_appeal(head: HeadJudge, appeal_id: int, member: str, vote: str, *,
                   conflict: bool = False) -> VoteRow:
    """Record one committee member's vote on an open appeal; `conflict`: the member declares
    a conflict of interest and the vote is recorded but not counted. One vote per member."""
    committee = head.event.committee
    at = head.timestamp()
    with head.master.write():
        filed = open_appeal(head, appeal_id)
        if not committee:
            raise ActionRefused("no_committee")
        name = (member or "").strip()
        if name not in committee:
            raise ActionRefused("not_a_member", member=repr(name), committee=list(committee))
        if vote not in VOTES:
            raise ActionRefused("vote_choice", vote=repr(vote))
        cast = {v.member: v for v in vote_rows(head.master.ledger.conn, appeal_id)}
        if name in cast:
            raise ActionRefused("already_voted", member=name, appeal=appeal_id,
                                vote=Message(f"vote_{cast[name].vote}"))
        head.record("appeal_voted", {"appeal": appeal_id, "contestant": filed.contestant,
                                     "member": name, "vote": vote, "conflict": conflict}, at)
    return {v.member: v for v in vote_rows(head.master.ledger.conn, appeal_id)}[name]


# --- deciding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A decided appeal; for an upheld one, the correction it applied and how the ranking
    moved (`preview`), which the head judge then publishes."""

    appeal: AppealRow
    preview: CorrectionPreview | None


def decide_appeal(head: HeadJudge, appeal_id: int, outcome: str, reason: str,
                  committee: Sequence[str] = (), corrections: Sequence[Correction] = (),
                  withdrawals: Sequence[str] = ()) -> AppealRow:
    """`decide`, returning the appeal only (the API the console and older callers use)."""
    return decide(head, appeal_id, outcome, reason, committee, corrections,
                  withdrawals).appeal


def decide(head: HeadJudge, appeal_id: int, outcome: str, reason: str,
           committee: Sequence[str] = (), corrections: Sequence[Correction] = (),
           withdrawals: Sequence[str] = ()) -> Decision:
    """Decide an open appeal, `upheld` or `rejected`, with a reason, in one transaction.

    Once the committee has voted (or the event sets a quorum) the decision needs the quorum
    and must be what the majority voted; the entry names the members and their votes.
    Without votes, `committee` names who decided (default: the event file's committee).
    An upheld appeal carries its correction (`corrections`: values set; `withdrawals`:
    judges whose sheet for the contestant no longer counts) and applies exactly it: the
    contestant unlocked if locked, each override or withdrawal recorded (naming the appeal),
    locked again. A rejected appeal changes no score."""
    at = head.timestamp()
    with head.master.write():
        filed = open_appeal(head, appeal_id)
        if outcome not in OUTCOMES:
            raise ActionRefused("appeal_outcome", outcome=repr(outcome))
        text = head.required_text(reason, "what_decision_reason")
        votes = vote_rows(head.master.ledger.conn, appeal_id)
        rules = head.event.appeal_rules
        count = tally(votes, head.event.committee or (), rules)
        if not count.quorate:
            raise ActionRefused("appeal_no_quorum", appeal=appeal_id, counted=count.counted,
                                needed=count.needed)
        if count.needed is not None:
            if committee:
                raise ActionRefused("committee_from_votes", appeal=appeal_id)
            if count.outcome != outcome:
                raise ActionRefused(
                    "appeal_against_votes", appeal=appeal_id,
                    outcome=Message(f"outcome_{outcome}"), upheld=count.upheld,
                    rejected=count.rejected, abstained=count.abstained)
            members = [v.member for v in votes if not v.conflict]
        else:
            members = committee_members(head, committee)
        has_correction = bool(corrections or withdrawals)
        if outcome == "upheld" and not has_correction and filed.category in SCORED:
            raise ActionRefused("upheld_needs_correction", appeal=appeal_id)
        if outcome == "rejected" and has_correction:
            raise ActionRefused("rejected_with_correction", appeal=appeal_id)
        preview = preview_correction(head, appeal_id, corrections, withdrawals) \
            if has_correction else None
        payload: dict[str, Any] = {
            "appeal": appeal_id, "contestant": filed.contestant, "outcome": outcome,
            "reason": text, "committee": members}
        if votes:
            payload["votes"] = [{"member": v.member, "vote": v.vote, "conflict": v.conflict}
                                for v in votes]
        if preview is not None:
            payload["correction"] = {
                "set": [{"judge": c.judge, "criterion": c.criterion, "value": plain(c.value)}
                        for c in corrections],
                "withdraw": list(dict.fromkeys(withdrawals))}
            payload["moved"] = preview.moved
        entry = head.record("appeal_decided", payload, at)
        if preview is not None:
            _apply(head, filed, corrections, withdrawals, text, at, entry.seq)
    return Decision(appeal(head, appeal_id), preview)


def _apply(head: HeadJudge, filed: AppealRow, corrections: Sequence[Correction],
           withdrawals: Sequence[str], reason: str, at: str, decided: int) -> None:
    """The upheld appeal's correction, inside its decision's transaction: unlock, each
    override and withdrawal, the flags they raised accepted (the committee decided those
    values), lock again."""
    because = {"appeal": filed.id}
    contestant = filed.contestant
    was_locked = contestant in head.locks()
    if was_locked:
        head.record("contestant_unlocked", {"contestant": contestant, "reason": reason,
                                            **because}, at)
    for c in corrections:
        head.record_override(c.judge, contestant, c.criterion, c.value, reason, at, because)
    for judge in dict.fromkeys(withdrawals):
        head.record_withdrawal(judge, contestant, reason, at, because)
    raised = [f.id for f in head.flags("open", contestant) if (f.raised_by or 0) > decided]
    if raised:
        head.record("flags_accepted", {"contestant": contestant, "flags": raised,
                                        "note": reason, **because}, at)
    if was_locked:
        blockers = head.lock_blockers(contestant)
        head.record("contestant_locked", {"contestant": contestant, "reason": reason,
                                          "forced": bool(blockers), "blockers": blockers,
                                          **because}, at)


def moved(head: HeadJudge, filed: AppealRow) -> list[str]:
    """The contestants whose rank or prize the appeal's upheld decision changed (as its
    preview computed them when it was decided); [] for any other appeal."""
    if filed.status != "upheld" or filed.decided_seq is None:
        return []
    row = head.master.ledger.conn.execute(
        "SELECT json_extract(payload, '$.moved') FROM ledger WHERE seq = ?",
        (filed.decided_seq,)).fetchone()
    return list(json.loads(row[0])) if row and row[0] else []


def committee_members(head: HeadJudge, given: Sequence[str]) -> list[str]:
    """The committee members named for a decision (each name checked like any typed text,
    each once), else the event file's; [] when neither names any."""
    members: list[str] = []
    for name in given:
        text = head.required_text(name, "what_committee_member")
        if text not in members:
            members.append(text)
    return members or list(head.event.committee or ())


# --- provisional and official -----------------------------------------------------------------


@dataclass(frozen=True)
class AppealWindow:
    """A ranking's appeal window: it opens with the ranking's first publication and lasts
    the event's `window_minutes`. `closes` is None before the first publication."""

    opened: str | None
    closes: str | None


def appeal_window(head: HeadJudge, scope: ScopeKey) -> AppealWindow | None:
    """The scope's appeal window; None when the event sets none."""
    minutes = head.event.appeal_rules.window_minutes
    if minutes is None:
        return None
    versions = head.publications(scope)
    if not versions:
        return AppealWindow(None, None)
    return AppealWindow(versions[0].at, _closes(versions[0].at, minutes))


def _closes(first_published: str, minutes: int) -> str:
    return iso(parse_time(first_published) + dt.timedelta(minutes=minutes))


@dataclass(frozen=True)
class ScopeStanding:
    """Where a published ranking stands: `state` is `provisional` (暂定: its window is open,
    an appeal about it is open, or an upheld correction waits for a new version) or
    `official` (正式); `version` the latest published version."""

    track: str
    group: str | None
    version: int
    state: str
    closes: str | None
    due: bool = False
    """Provisional, but its window has closed with nothing open: `declare_official` makes
    it official."""


def scope_standings(head: HeadJudge, now: str | None = None) -> list[ScopeStanding]:
    """Every published ranking's state at `now` (default: the head judge's clock); [] when
    the event sets no appeal window."""
    minutes = head.event.appeal_rules.window_minutes
    if minutes is None:
        return []
    now = now or head.timestamp()
    conn = head.master.ledger.conn
    official = official_versions(conn)
    out: list[ScopeStanding] = []
    for scope in head.scopes():
        versions = head.publications(scope)
        if not versions:
            continue
        last, closes = versions[-1], _closes(versions[0].at, minutes)
        if official.get(scope) == last.version:
            out.append(ScopeStanding(scope[0], scope[1], last.version, "official", closes))
        else:
            out.append(ScopeStanding(scope[0], scope[1], last.version, "provisional", closes,
                                     _may_become_official(head, scope, last.ledger_seq,
                                                          closes, now)))
    return out


def _may_become_official(head: HeadJudge, scope: ScopeKey, published_seq: int,
                         closes: str, now: str) -> bool:
    if now < closes:  # ISO UTC texts of one format compare as their times do
        return False
    return not any(a.status == "open" or (a.status == "upheld"
                                          and (a.decided_seq or 0) > published_seq)
                   for a in head.scope_appeals(scope))


def declare_official(head: HeadJudge) -> list[ScopeStanding]:
    """Record `results_official` for every ranking whose appeal window has closed with no
    appeal open and no upheld correction unpublished; returns them (empty: none is due)."""
    at = head.timestamp()
    with head.master.write():
        due = [s for s in scope_standings(head, at) if s.due]
        for s in due:
            head.record("results_official", {"track": s.track, "group": s.group,
                                             "version": s.version}, at)
    return [replace(s, state="official", due=False) for s in due]


# --- preview of a correction ------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """A proposed override of one value of a judge's sheet for the appeal's contestant."""

    judge: str
    criterion: str
    value: Decimal


@dataclass(frozen=True)
class CorrectionPreview:
    """How the contestant's ranking would change; `changes` in plain English words
    (`lines(lang)` in either language), `before` and `after` the full results."""

    appeal: int
    contestant: str
    corrections: tuple[Correction, ...]
    changes: tuple[str, ...]
    before: Results
    after: Results
    event: Event | None = field(default=None, repr=False, compare=False)
    scope: tuple[str, str | None] | None = field(default=None, repr=False, compare=False)
    withdrawals: tuple[str, ...] = ()

    @property
    def moved(self) -> list[str]:
        """Contestants whose rank or prize differs between `before` and `after`, in id
        order: those the correction moves."""
        def places(results: Results) -> dict[str, tuple[object, object]]:
            return {s.contestant: (s.rank, s.prize) for r in results.scopes
                    for s in r.ranking}
        old, new = places(self.before), places(self.after)
        return sorted(c for c in old.keys() | new.keys() if old.get(c) != new.get(c))

    def lines(self, lang: str) -> list[str]:
        """`changes` in `lang`: the contestant's ranking before and after, compared."""
        if self.scope is None:
            return list(self.changes)
        return _preview_lines(scope_document(self.before, self.scope),
                              scope_document(self.after, self.scope), lang, self.event)


def _preview_lines(old: Mapping[str, Any], new: Mapping[str, Any], lang: str,
                   event: Event | None) -> list[str]:
    def unresolved(u: Mapping[str, Any]) -> Text | str:
        """The scoring's English reason, in Chinese too: a tie's from its contestants, a
        missing sheet's or component's read back from the scoring's words (the catalogue's
        `blocker_missing_*`, components by their names); anything else as the scoring
        wrote it."""
        kind, reason = str(u.get("kind", "")), str(u["reason"])
        if kind.startswith("tie_"):
            return Text(Message(f"blocker_{kind}", contestants=list(u["contestants"])
                                ).render("zh"), reason)
        said = read_back(f"blocker_{kind}", reason) \
            if kind in ("missing_sheets", "missing_component") else None
        if said is None:
            return reason
        if kind == "missing_component" and event is not None:
            names = {c.id: c.name for c in event.scoring.components}
            ids = str(said.params["component"]).split(", ")
            said = Message("blocker_missing_component",
                           contestant=said.params["contestant"],
                           component=[Text(names[i].get("zh"), i) if i in names else i
                                      for i in ids])
        return Text(said.render("zh"), reason)

    lines = describe_changes(old, new, lang, event)
    lines += [Message("chg_now_unresolved", reason=unresolved(u)).render(lang)
              for u in new["unresolved"] if u not in old["unresolved"]]
    lines += [Message("chg_no_longer_unresolved", reason=unresolved(u)).render(lang)
              for u in old["unresolved"] if u not in new["unresolved"]]
    return lines or [Message("chg_ranking_unchanged").render(lang)]


def preview_correction(head: HeadJudge, appeal_id: int,
                       correction: Correction | Sequence[Correction],
                       withdrawals: Sequence[str] = ()) -> CorrectionPreview:
    """Tabulate as if the corrections were recorded as overrides and the judges' sheets in
    `withdrawals` withdrawn; nothing is written. `decide` applies exactly this."""
    filed = appeal(head, appeal_id)
    corrections = (correction,) if isinstance(correction, Correction) else tuple(correction)
    if not corrections and not withdrawals:
        raise ActionRefused("correction_empty")
    inputs = head.scoring_inputs()
    changed = inputs
    for c in corrections:
        head.panel_pair(c.judge, filed.contestant)
        criterion = head.criterion(c.criterion)
        value = parse_score(c.value)
        if value is None:
            raise ActionRefused("not_a_score", value=repr(c.value))
        check_value(criterion, value)
        head.sheet_in_force(c.judge, filed.contestant)
        changed = changed.with_value(c.judge, filed.contestant, c.criterion, value)
    for judge in dict.fromkeys(withdrawals):
        head.panel_pair(judge, filed.contestant)
        if any(w.judge == judge for w in head.withdrawals(filed.contestant)):
            raise ActionRefused("already_withdrawn", judge=judge, contestant=filed.contestant)
        changed = changed.without_sheet(judge, filed.contestant)
    before, after = results_from(head.event, inputs), results_from(head.event, changed)
    contestant = head.contestant(filed.contestant)
    scope = (contestant.track, contestant.group)
    lines = _preview_lines(scope_document(before, scope), scope_document(after, scope), "en",
                           None)  # ids, as a publication's `changes` records them
    return CorrectionPreview(appeal_id, filed.contestant, corrections, tuple(lines), before,
                             after, head.event, scope, tuple(dict.fromkeys(withdrawals)))


# --- the dossier ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRevision:
    """One revision of a judge's sheet for the contestant, as the ledger holds it.
    `signature`: `verified`, `invalid`, or `unknown device`; `paper` for a paper sheet two
    operators typed alike (no device, no signature: `form` is the printed form's sheet code,
    `operators` those whose entries agreed, `entries` those `paper_entered` entries, and
    `ledger_seq` the one that completed it)."""

    ledger_seq: int
    at: str
    judge: str
    device: str
    revision: int
    values: Mapping[str, Decimal]
    comment: str
    reason: str | None
    hash: str
    supersedes: str | None
    device_time: str
    signature: str
    form: str = ""
    operators: tuple[str, ...] = ()
    entries: tuple[int, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum(self.values.values(), Decimal(0))


@dataclass(frozen=True)
class DossierEntry:
    """One ledger entry touching the contestant; `signature` is set for a judge's signed
    record, `covered_by` is the first checkpoint entry covering it (None: not yet)."""

    seq: int
    at: str
    kind: str
    actor: str
    summary: Message
    signature: str
    covered_by: int | None
    by: Message
    """`actor` in words (`entry_lines.actor_said`)."""


@dataclass(frozen=True)
class CheckpointCover:
    """A signed checkpoint covering entries of the dossier; `problem` empty when it verifies
    (master signature, size and Merkle root of the entries before it)."""

    seq: int
    size: int
    root: str
    at: str
    reason: str
    problem: str

    @property
    def verified(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Dossier:
    appeal: AppealRow
    revisions: tuple[SheetRevision, ...]
    history: tuple[DossierEntry, ...]
    checkpoints: tuple[CheckpointCover, ...]
    standing: Standing | None
    """The contestant's current place in the live results (None when not ranked)."""
    votes: tuple[VoteRow, ...] = ()
    replies: tuple[ReplyRow, ...] = ()

    def to_document(self) -> dict[str, Any]:
        """The dossier as JSON-ready data; decimals as strings."""
        a = self.appeal
        s = self.standing
        return {
            "appeal": {"id": a.id, "contestant": a.contestant, "ground": a.ground,
                       "filed_by": a.filed_by, "filed_at": a.filed_at, "status": a.status,
                       "decision_reason": a.decision_reason, "decided_by": a.decided_by,
                       "decided_at": a.decided_at, "category": a.category,
                       "late_reason": a.late_reason,
                       "evidence": [vars(e) for e in a.evidence]},
            "votes": [{"member": v.member, "vote": v.vote, "conflict": v.conflict,
                       "entry": v.ledger_seq, "at": v.at} for v in self.votes],
            "replies": [{"contestant": r.contestant, "reply": r.reply, "entry": r.ledger_seq,
                         "at": r.at} for r in self.replies],
            "revisions": [
                {"entry": r.ledger_seq, "at": r.at, "judge": r.judge, "device": r.device,
                 "revision": r.revision, "values": {k: plain(v) for k, v in r.values.items()},
                 "total": plain(r.total), "comment": r.comment, "reason": r.reason,
                 "hash": r.hash, "supersedes": r.supersedes, "device_time": r.device_time,
                 "signature": r.signature,
                 "paper": {"form": r.form, "operators": list(r.operators),
                           "entries": list(r.entries)} if r.form else None}
                for r in self.revisions],
            "history": [
                {"entry": h.seq, "at": h.at, "kind": h.kind, "actor": h.actor,
                 "summary": h.summary, "signature": h.signature or None,
                 "covered_by": h.covered_by} for h in self.history],
            "checkpoints": [
                {"entry": c.seq, "size": c.size, "root": c.root, "at": c.at,
                 "reason": c.reason, "verified": c.verified, "problem": c.problem or None}
                for c in self.checkpoints],
            "standing": None if s is None else {
                "rank": s.rank, "final": str(s.final), "prize": s.prize,
                "advances": s.advances,
                "judges": {j: plain(v) for j, v in s.judges.items()},
                "dropped": list(s.dropped)},
        }


def _touches(entry: Entry, contestant: str, scope: tuple[str, str | None],
             body: Mapping[str, Any] | None, moved_by: frozenset[int] = frozenset()) -> bool:
    """Whether the entry is about the contestant; `moved_by`: appeals whose upheld decision
    moved the contestant, every entry of which (filing, votes, replies, decision, the
    correction it applied) is about them too."""
    p = entry.payload
    if moved_by and (entry.seq in moved_by or p.get("appeal") in moved_by):
        return True
    if body is not None and body.get("contestant") == contestant:
        return True
    if p.get("contestant") == contestant:
        return True
    listed = p.get("contestants")
    if isinstance(listed, list) and contestant in listed:
        return True
    if entry.kind == "components_imported":
        return contestant in p.get("values", {})
    if entry.kind in ("seat_excused", "seat_restored"):
        return listed is None  # the whole final: every contestant's panel
    if entry.kind == "results_published":
        return (p.get("track"), p.get("group")) == scope
    if entry.kind == "draw_made":  # the contestant's draw number
        return contestant in p.get("draws", {})
    return entry.kind == "identities_revealed"  # every contestant's identity


def _signature(entry: Entry, keys: Mapping[str, bytes]) -> str:
    key = keys.get(str(entry.payload.get("device")))
    if key is None:
        return "unknown device"
    try:
        record = SignedRecord(str(entry.payload["body"]).encode("utf-8"),
                              base64.b64decode(str(entry.payload["sig"]), validate=True))
    except (KeyError, ValueError, binascii.Error):
        return "invalid"
    return "verified" if record.verify(key) else "invalid"


def dossier(head: HeadJudge, appeal_id: int, contestant_id: str | None = None) -> Dossier:
    """Everything the ledger holds about the appeal's contestant, in ledger order; with
    `contestant_id`, about another contestant the appeal's decision moved (their page
    names the appeal, its votes, decision and correction)."""
    filed = appeal(head, appeal_id)
    contestant = head.contestant(contestant_id or filed.contestant)
    moved_by = frozenset(a.id for a in appeals(head) if contestant.id in moved(head, a))
    if contestant.id != filed.contestant and appeal_id not in moved_by:
        raise ActionRefused("not_moved_by_appeal", contestant=contestant.id,
                            appeal=appeal_id)
    scope = (contestant.track, contestant.group)
    master = head.master
    with master.ledger.snapshot() as conn:
        devices = conn.execute("SELECT device, public_key, judge FROM devices").fetchall()
        keys = {device: base64.b64decode(key) for device, key, _judge in devices}
        device_judge = {device: judge for device, _key, judge in devices}
        entries = list(master.ledger.entries())
    checkpoints = [e for e in entries if e.kind == CHECKPOINT_KIND]

    def covered_by(seq: int) -> int | None:
        return next((c.seq for c in checkpoints if c.seq > seq), None)

    revisions: list[SheetRevision] = []
    history: list[DossierEntry] = []
    paper = {r.ledger_seq: r for r in paper_revisions(
        e for e in entries if e.kind == "paper_entered"
        and e.payload.get("contestant") == contestant.id)}
    for entry in entries:
        body = signed_body(entry)
        if entry.kind == CHECKPOINT_KIND or not _touches(entry, contestant.id, scope, body,
                                                          moved_by):
            continue
        signature = _signature(entry, keys) if body is not None else ""
        if entry.kind == "sheet_received" and body is not None:
            revisions.append(SheetRevision(
                entry.seq, entry.at, body["judge"], body["device"], body["revision"],
                {k: Decimal(v) for k, v in body["values"].items()}, body["comment"],
                body["reason"], str(entry.payload["hash"]), body["supersedes"],
                body["device_time"], signature))
        if entry.seq in paper:
            r = paper[entry.seq]
            revisions.append(SheetRevision(
                r.ledger_seq, r.at, r.judge, "", r.revision, dict(r.values), "", None, r.hash,
                None, "", "paper", r.form, r.operators, r.entries))
        history.append(DossierEntry(entry.seq, entry.at, entry.kind, entry.actor,
                                    entry_line(entry, event=head.event, about=contestant.id,
                                               body=body),
                                    signature,
                                    covered_by(entry.seq),
                                    actor_said(entry.actor, device_judge)))
    first = history[0].seq if history else None
    covers = [_checkpoint_cover(c, entries, master.keys()) for c in checkpoints
              if first is not None and c.seq > first]
    standing = next((s for result in head.current_results().scopes for s in result.ranking
                     if s.contestant == contestant.id), None)
    conn = master.ledger.conn
    return Dossier(filed, tuple(revisions), tuple(history), tuple(covers), standing,
                   tuple(vote_rows(conn, appeal_id)), tuple(reply_rows(conn, appeal_id)))


def _checkpoint_cover(entry: Entry, entries: Sequence[Entry], keys: MasterKeys
                      ) -> CheckpointCover:
    before = entries[:entry.seq - 1]
    reason = str(entry.payload.get("reason", ""))
    try:
        record = checkpoint_record(entry)
        body = record.parsed()
    except RecordError as exc:
        return CheckpointCover(entry.seq, 0, "", entry.at, reason, f"unreadable: {exc.reason}")
    size, root_hex, at = body.get("size"), str(body.get("root")), str(body.get("at"))
    problem = ""
    if not record.verify(keys.at(entry.seq)):
        problem = "not signed by this master's key"
    elif size != len(before):
        problem = f"covers {size} entries but {len(before)} precede it"
    elif root_hex != root(leaves(before)).hex():
        problem = "Merkle root differs from the entries it covers"
    return CheckpointCover(entry.seq, size if isinstance(size, int) else 0, root_hex, at,
                           reason, problem)
