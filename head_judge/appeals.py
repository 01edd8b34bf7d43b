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
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sync.event import Event, Text
from sync.merkle import root
from sync.records import RecordError, SignedRecord

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
from .discrepancy import Flag
from .ledger import Entry
from .paper_history import paper_revisions
from .projections import AppealRow, appeal_rows
from .refusals import UNTRANSLATED, Message, read_back
from .scoring import Results, Standing, plain

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
    "flag_message",
    "preview_correction",
]

OUTCOMES = ("upheld", "rejected")


# --- filing and deciding ----------------------------------------------------------------------


def appeal(head: HeadJudge, appeal_id: int) -> AppealRow:
    rows = appeal_rows(head.master.ledger.conn, appeal_id)
    if not rows:
        raise ActionRefused("no_appeal", appeal=appeal_id)
    return rows[0]


def appeals(head: HeadJudge) -> list[AppealRow]:
    return appeal_rows(head.master.ledger.conn)


def file_appeal(head: HeadJudge, contestant: str, ground: str, filed_by: str) -> AppealRow:
    """Record an appeal about a contestant's result; returns it with its id."""
    at = head.timestamp()
    with head.master.write():
        contestant_ = head.contestant(contestant)
        ground_text = head.required_text(ground, "what_appeal_ground")
        filer = head.required_text(filed_by, "what_appeal_filer")
        entry = head.record("appeal_filed", {"contestant": contestant_.id,
                                              "ground": ground_text, "filed_by": filer}, at)
    return appeal(head, entry.seq)


def open_appeal(head: HeadJudge, appeal_id: int) -> AppealRow:
    """The appeal, if it is still open; refused (naming how it ended) otherwise."""
    filed = appeal(head, appeal_id)
    if filed.status != "open":
        raise ActionRefused("appeal_decided", appeal=appeal_id,
                            status=Message(f"outcome_{filed.status}"),
                            reason=filed.decision_reason)
    return filed


def decide_appeal(head: HeadJudge, appeal_id: int, outcome: str, reason: str,
                  committee: Sequence[str] = ()) -> AppealRow:
    """Decide an open appeal: `upheld` or `rejected`, with a reason. `committee`: the
    members of the appeals committee who decided it, by name (default: the event file's
    `[appeals] committee`), recorded in the entry and printed with a signature box each."""
    at = head.timestamp()
    members = committee_members(head, committee)
    with head.master.write():
        filed = open_appeal(head, appeal_id)
        if outcome not in OUTCOMES:
            raise ActionRefused("appeal_outcome", outcome=repr(outcome))
        text = head.required_text(reason, "what_decision_reason")
        head.record("appeal_decided", {"appeal": appeal_id, "contestant": filed.contestant,
                                        "outcome": outcome, "reason": text,
                                        "committee": members}, at)
    return appeal(head, appeal_id)


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


def committee_members(head: HeadJudge, given: Sequence[str]) -> list[str]:
    """The committee members named for a decision (each name checked like any typed text,
    each once), else the event file's; [] when neither names any."""
    members: list[str] = []
    for name in given:
        text = head.required_text(name, "what_committee_member")
        if text not in members:
            members.append(text)
    return members or list(head.event.committee or ())


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
                       correction: Correction | Sequence[Correction]) -> CorrectionPreview:
    """Tabulate as if the corrections were recorded as overrides; nothing is written."""
    filed = appeal(head, appeal_id)
    corrections = (correction,) if isinstance(correction, Correction) else tuple(correction)
    if not corrections:
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
    before, after = results_from(head.event, inputs), results_from(head.event, changed)
    contestant = head.contestant(filed.contestant)
    scope = (contestant.track, contestant.group)
    lines = _preview_lines(scope_document(before, scope), scope_document(after, scope), "en",
                           None)  # ids, as a publication's `changes` records them
    return CorrectionPreview(appeal_id, filed.contestant, corrections, tuple(lines), before,
                             after, head.event, scope)


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
    summary: str
    signature: str
    covered_by: int | None


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

    def to_document(self) -> dict[str, Any]:
        """The dossier as JSON-ready data; decimals as strings."""
        a = self.appeal
        s = self.standing
        return {
            "appeal": {"id": a.id, "contestant": a.contestant, "ground": a.ground,
                       "filed_by": a.filed_by, "filed_at": a.filed_at, "status": a.status,
                       "decision_reason": a.decision_reason, "decided_by": a.decided_by,
                       "decided_at": a.decided_at},
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


_SIGNED_KINDS = ("sheet_received", "review_confirmed", "alarm")


def _signed_body(entry: Entry) -> dict[str, Any] | None:
    if entry.kind not in _SIGNED_KINDS or not isinstance(entry.payload.get("body"), str):
        return None
    try:
        body = json.loads(entry.payload["body"])
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _touches(entry: Entry, contestant: str, scope: tuple[str, str | None],
             body: Mapping[str, Any] | None) -> bool:
    p = entry.payload
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


def _summary(entry: Entry, body: Mapping[str, Any] | None, contestant: str,
             criteria: Sequence[str], *, prizes: bool = True) -> Message:
    """What the entry records, as a message of the catalogue (`dos_*`): its English as the
    dossier has always said it, ids as the ledger has them (a printed dossier names them).
    Without `prizes` (a round that only advances) a published place names no prize."""
    p, kind = entry.payload, entry.kind

    def opt(key: str, value: object, **params: object) -> Message | str:
        return Message(key, **params) if value else ""

    if kind == "sheet_received" and body is not None:
        values = {k: Decimal(v) for k, v in body["values"].items()}
        ordered = sorted(body["values"].items(),
                         key=lambda kv: (criteria.index(kv[0]) if kv[0] in criteria
                                         else len(criteria), kv[0]))
        return Message("dos_sheet", judge=body["judge"], revision=body["revision"],
                       total=plain(sum(values.values(), Decimal(0))),
                       values=", ".join(f"{k} {v}" for k, v in ordered),
                       reason=opt("dos_reason", body.get("reason"), reason=body.get("reason")),
                       comment=opt("dos_comment", body.get("comment"),
                                   comment=body.get("comment")))
    if kind == "review_confirmed" and body is not None:
        return Message("dos_confirmed", judge=body["judge"], review=p["review"],
                       comment=opt("dos_colon", body.get("comment"), text=body.get("comment")))
    if kind == "alarm":
        return Message("dos_alarm", detail=p.get("detail", ""))
    if kind == "flag_raised":
        return Message("dos_flag_raised", flag=entry.seq, description=flag_message(
            p["contestant"], p["rule"], p["criterion"], tuple(p["judges"]),
            {j: Decimal(v) for j, v in p["values"].items()}, Decimal(p["difference"]),
            Decimal(p["threshold"])))
    if kind == "flag_cleared":
        return Message("dos_flag_cleared", flag=p["flag"], cause=p["cause"])
    if kind == "flag_accepted":
        return Message("dos_flag_accepted", flag=p["flag"], note=p["note"])
    if kind == "flags_accepted":
        return Message("dos_flags_accepted", flags=", ".join(str(f) for f in p["flags"]),
                       contestant=p["contestant"], note=p["note"])
    if kind == "review_requested":
        return Message("dos_review", review=entry.seq, judge=p["judge"], note=p["note"],
                       about=opt("dos_about_flag", p.get("flag") is not None, flag=p.get("flag")))
    if kind == "review_answered":
        return Message("dos_answered", review=p["review"], revision=p["revision"],
                       reason=p["reason"])
    if kind == "review_closed":
        return Message("dos_review_closed", review=p["review"], reason=p["reason"])
    if kind == "value_overridden":
        return Message("dos_override", judge=p["judge"], criterion=p["criterion"],
                       revision=p["revision"], old=p["old"], new=p["new"], reason=p["reason"])
    if kind == "sheet_withdrawn":
        return Message("dos_withdrawn", judge=p["judge"], reason=p["reason"])
    if kind == "paper_entered":  # the evidence: who typed which values from which form
        return Message("dos_paper_entered", operator=p["operator"], judge=p["judge"],
                       revision=p["round"], form=p["form"], values=", ".join(
                           f"{k} {v}" for k, v in sorted(
                               p["values"].items(), key=lambda kv: (
                                   criteria.index(kv[0]) if kv[0] in criteria
                                   else len(criteria), kv[0]))))
    if kind == "contestant_revealed":
        return Message("dos_revealed", contestant=p["contestant"],
                       panel=p["figures"]["panel"], final=p["figures"]["final"] or "—")
    if kind == "draw_made":
        how = (Message("dos_draw_seed", seed=p["seed"]) if p["method"] == "seed"
               else Message("dos_draw_import", file=p["file"], sha=p["digest"]))
        return Message("dos_draw", draw=p["draws"][contestant], how=how)
    if kind == "identities_revealed":
        return Message("dos_identities_revealed", reason=p["reason"])
    if kind == "sheet_conflict_resolved":
        return Message("dos_conflict_resolved", judge=p["judge"],
                       keep=Message(f"dos_keep_{p['keep']}"), reason=p["reason"])
    if kind in ("seat_excused", "seat_restored"):
        who: object = Message("dos_whole_final") if p["contestants"] is None \
            else list(p["contestants"])
        return Message("dos_excused" if kind == "seat_excused" else "dos_restored",
                       judge=p["judge"], who=who, reason=p["reason"])
    if kind == "contestant_locked":
        blockers = "; ".join(p.get("blockers", [])) or "nothing"
        return Message("dos_locked", reason=opt("dos_colon", p.get("reason"),
                                                text=p.get("reason")),
                       forced=opt("dos_forced", p.get("forced"), blockers=blockers))
    if kind == "contestants_locked":
        return Message("dos_locked_together", n=len(p["contestants"]),
                       reason=opt("dos_colon", p.get("reason"), text=p.get("reason")))
    if kind == "contestant_unlocked":
        return Message("dos_unlocked", reason=p["reason"])
    if kind == "components_imported":
        old = {c["contestant"]: c["old"] for c in p.get("changes", [])}
        return Message("dos_imported", component=p["component"],
                       value=p["values"][contestant],
                       was=opt("dos_was", old.get(contestant), old=old.get(contestant)),
                       file=p["file"], sha=p["sha256"],
                       reason=opt("dos_reason", p.get("reason"), reason=p.get("reason")))
    if kind == "tie_decided":
        how = (Message("dos_tie_order", order=list(p["order"])) if p["kind"] == "order"
               else Message("dos_tie_shared"))
        return Message("dos_tie", contestants=list(p["contestants"]), how=how,
                       reason=p["reason"])
    if kind == "results_published":
        rows = [r for s in p["document"]["scopes"] for r in s["ranking"]
                if r["contestant"] == contestant]
        place: Message = Message("dos_not_ranked")
        if rows and prizes:
            place = Message("dos_place", rank=rows[0]["rank"], final=rows[0]["final"],
                            prize=rows[0]["prize"] or Message("none"))
        elif rows:
            place = Message("dos_place_unawarded", rank=rows[0]["rank"], final=rows[0]["final"])
        return Message("dos_published", version=p["version"], place=place)
    if kind == "appeal_filed":
        return Message("dos_appeal_filed", appeal=entry.seq, filed_by=p["filed_by"],
                       ground=p["ground"])
    if kind == "appeal_decided":
        return Message("dos_appeal_decided", appeal=p["appeal"],
                       outcome=Message(f"outcome_{p['outcome']}"), reason=p["reason"])
    if kind == "appeal_withdrawn":
        return Message("dos_appeal_withdrawn", appeal=p["appeal"], reason=p["reason"])
    return Message(UNTRANSLATED, text=kind.replace("_", " "))  # e.g. a print: its kind


def flag_message(contestant: str, rule: str, criterion: str | None, judges: Sequence[str],
                 values: Mapping[str, Decimal], difference: Decimal, threshold: Decimal
                 ) -> Message:
    """A flag as the catalogue's `flag_*` says it (its English is `discrepancy.Flag.describe`):
    the judges it is about, the difference against the limit, every value."""
    flag = Flag(contestant, rule, criterion, tuple(judges), dict(values), difference, threshold)
    shown = ", ".join(f"{j} {plain(v)}" for j, v in flag.values.items())
    params: dict[str, object] = {"contestant": contestant, "diff": plain(difference),
                                 "limit": plain(threshold), "values": shown}
    if rule == "outlier":
        params["judge"] = judges[0]
    else:
        low, high = (", ".join(j for j in judges if values.get(j) == end)
                     for end in (min(values.values()), max(values.values())))
        params.update(low=low, high=high)
        if rule == "criterion_spread":
            params["criterion"] = criterion or ""
    return Message(f"flag_{rule}", **params)


def dossier(head: HeadJudge, appeal_id: int) -> Dossier:
    """Everything the ledger holds about the appeal's contestant, in ledger order."""
    filed = appeal(head, appeal_id)
    contestant = head.contestant(filed.contestant)
    scope = (contestant.track, contestant.group)
    master = head.master
    with master.ledger.snapshot() as conn:
        keys = {device: base64.b64decode(key) for device, key in
                conn.execute("SELECT device, public_key FROM devices")}
        entries = list(master.ledger.entries())
    checkpoints = [e for e in entries if e.kind == CHECKPOINT_KIND]
    criteria = [c.id for c in head.event.criteria]

    def covered_by(seq: int) -> int | None:
        return next((c.seq for c in checkpoints if c.seq > seq), None)

    revisions: list[SheetRevision] = []
    history: list[DossierEntry] = []
    paper = {r.ledger_seq: r for r in paper_revisions(
        e for e in entries if e.kind == "paper_entered"
        and e.payload.get("contestant") == contestant.id)}
    for entry in entries:
        body = _signed_body(entry)
        if entry.kind == CHECKPOINT_KIND or not _touches(entry, contestant.id, scope, body):
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
                                    _summary(entry, body, contestant.id, criteria,
                                             prizes=bool(head.event.awards.tiers)),
                                    signature,
                                    covered_by(entry.seq)))
    first = history[0].seq if history else None
    covers = [_checkpoint_cover(c, entries, master.keys()) for c in checkpoints
              if first is not None and c.seq > first]
    standing = next((s for result in head.current_results().scopes for s in result.ranking
                     if s.contestant == contestant.id), None)
    return Dossier(filed, tuple(revisions), tuple(history), tuple(covers), standing)


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
