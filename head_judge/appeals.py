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
from .checkpoints import CHECKPOINT_KIND, checkpoint_record, leaves
from .discrepancy import Flag
from .ledger import Entry
from .projections import AppealRow, appeal_rows
from .refusals import Message
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
    "decide_appeal",
    "dossier",
    "file_appeal",
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


def decide_appeal(head: HeadJudge, appeal_id: int, outcome: str, reason: str) -> AppealRow:
    """Decide an open appeal: `upheld` or `rejected`, with a reason."""
    at = head.timestamp()
    with head.master.write():
        filed = appeal(head, appeal_id)
        if filed.status != "open":
            raise ActionRefused("appeal_decided", appeal=appeal_id,
                                status=Message(f"outcome_{filed.status}"),
                                reason=filed.decision_reason)
        if outcome not in OUTCOMES:
            raise ActionRefused("appeal_outcome", outcome=repr(outcome))
        text = head.required_text(reason, "what_decision_reason")
        head.record("appeal_decided", {"appeal": appeal_id, "contestant": filed.contestant,
                                        "outcome": outcome, "reason": text}, at)
    return appeal(head, appeal_id)


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
        """The scoring's English reason; a tie's in Chinese too."""
        if str(u.get("kind", "")).startswith("tie_"):
            return Text(Message(f"blocker_{u['kind']}", contestants=list(u["contestants"])
                                ).render("zh"), str(u["reason"]))
        return str(u["reason"])

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
    """One signed revision of a judge's sheet for the contestant, as the ledger holds it.
    `signature`: `verified`, `invalid`, or `unknown device`."""

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
                 "signature": r.signature} for r in self.revisions],
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
    return False


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
             criteria: Sequence[str]) -> str:
    p, kind = entry.payload, entry.kind
    if kind == "sheet_received" and body is not None:
        values = {k: Decimal(v) for k, v in body["values"].items()}
        ordered = sorted(body["values"].items(),
                         key=lambda kv: (criteria.index(kv[0]) if kv[0] in criteria
                                         else len(criteria), kv[0]))
        text = (f"{body['judge']} sent revision {body['revision']}: total "
                f"{plain(sum(values.values(), Decimal(0)))} ("
                + ", ".join(f"{k} {v}" for k, v in ordered) + ")")
        if body.get("reason"):
            text += f"; reason: {body['reason']}"
        return text + (f"; comment: {body['comment']}" if body.get("comment") else "")
    if kind == "review_confirmed" and body is not None:
        return (f"{body['judge']} confirmed the sheet as it is (review {p['review']})"
                + (f": {body['comment']}" if body.get("comment") else ""))
    if kind == "alarm":
        return f"alarm: {p.get('detail', '')}"
    if kind == "flag_raised":
        flag = Flag(p["contestant"], p["rule"], p["criterion"], tuple(p["judges"]),
                    {j: Decimal(v) for j, v in p["values"].items()}, Decimal(p["difference"]),
                    Decimal(p["threshold"]))
        return f"flag {entry.seq} raised: {flag.describe()}"
    if kind == "flag_cleared":
        return f"flag {p['flag']} cleared: it no longer holds after entry {p['cause']}"
    if kind == "flag_accepted":
        return f"flag {p['flag']} accepted: {p['note']}"
    if kind == "flags_accepted":
        return ("flags " + ", ".join(str(f) for f in p["flags"])
                + f" of {p['contestant']} accepted together: {p['note']}")
    if kind == "review_requested":
        about = f" about flag {p['flag']}" if p.get("flag") is not None else ""
        return f"review {entry.seq} asked of {p['judge']}{about}: {p['note']}"
    if kind == "review_answered":
        return f"review {p['review']} answered by revision {p['revision']}: {p['reason']}"
    if kind == "review_closed":
        return f"review {p['review']} closed: {p['reason']}"
    if kind == "value_overridden":
        return (f"{p['judge']}'s {p['criterion']} (revision {p['revision']}) overridden "
                f"from {p['old']} to {p['new']}: {p['reason']}")
    if kind == "sheet_withdrawn":
        return f"{p['judge']}'s sheet withdrawn: {p['reason']}"
    if kind in ("seat_excused", "seat_restored"):
        who = "the whole final" if p["contestants"] is None else ", ".join(p["contestants"])
        done = "excused" if kind == "seat_excused" else "restored"
        return f"{p['judge']} {done} for {who}: {p['reason']}"
    if kind == "contestant_locked":
        text = "locked" + (f": {p['reason']}" if p.get("reason") else "")
        if p.get("forced"):
            text += " (forced over: " + ("; ".join(p.get("blockers", [])) or "nothing") + ")"
        return text
    if kind == "contestants_locked":
        return (f"locked as complete and clear, one of {len(p['contestants'])} locked "
                "together" + (f": {p['reason']}" if p.get("reason") else ""))
    if kind == "contestant_unlocked":
        return f"unlocked: {p['reason']}"
    if kind == "components_imported":
        old = {c["contestant"]: c["old"] for c in p.get("changes", [])}
        was = f" (was {old[contestant]})" if old.get(contestant) else ""
        return (f"{p['component']} = {p['values'][contestant]}{was} imported from "
                f"{p['file']} (sha256 {p['sha256']})"
                + (f"; reason: {p['reason']}" if p.get("reason") else ""))
    if kind == "tie_decided":
        how = ("in the order " + ", ".join(p["order"]) if p["kind"] == "order"
               else "sharing the better place")
        return f"tie among {', '.join(p['contestants'])} decided {how}: {p['reason']}"
    if kind == "results_published":
        rows = [r for s in p["document"]["scopes"] for r in s["ranking"]
                if r["contestant"] == contestant]
        place = (f": rank {rows[0]['rank']}, final {rows[0]['final']}, prize "
                 f"{rows[0]['prize'] or 'none'}" if rows else ": not ranked")
        return f"results version {p['version']} published{place}"
    if kind == "appeal_filed":
        return f"appeal {entry.seq} filed by {p['filed_by']}: {p['ground']}"
    if kind == "appeal_decided":
        return f"appeal {p['appeal']} {p['outcome']}: {p['reason']}"
    return kind.replace("_", " ")  # e.g. a print: its kind names it


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
        history.append(DossierEntry(entry.seq, entry.at, entry.kind, entry.actor,
                                    _summary(entry, body, contestant.id, criteria),
                                    signature,
                                    covered_by(entry.seq)))
    first = history[0].seq if history else None
    covers = [_checkpoint_cover(c, entries, master.master_key) for c in checkpoints
              if first is not None and c.seq > first]
    standing = next((s for result in head.current_results().scopes for s in result.ranking
                     if s.contestant == contestant.id), None)
    return Dossier(filed, tuple(revisions), tuple(history), tuple(covers), standing)


def _checkpoint_cover(entry: Entry, entries: Sequence[Entry], master_key: bytes
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
    if not record.verify(master_key):
        problem = "not signed by this master's key"
    elif size != len(before):
        problem = f"covers {size} entries but {len(before)} precede it"
    elif root_hex != root(leaves(before)).hex():
        problem = "Merkle root differs from the entries it covers"
    return CheckpointCover(entry.seq, size if isinstance(size, int) else 0, root_hex, at,
                           reason, problem)
