"""The record as printed sheets show it: `SheetRecord` reads the master's ledger and projections
once, inside one snapshot or write transaction, and builds `printouts` sheets from them on
demand (judge, contestant, results, discrepancy, appeal, enrolment, inventory). It reads, it
never writes; `head_judge.printing` chooses and prints, `head_judge.verification` proves a
printed sheet against the same reading.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Final

from printouts import (
    AppealDecision,
    AppealDossier,
    AppealNote,
    BlankForm,
    CheckpointRef,
    ContestantSheet,
    DiscrepancyReport,
    Flag,
    HistoryEntry,
    Inventory,
    InventoryLine,
    JudgeSheet,
    Override,
    Placing,
    ResultsSheet,
    Revision,
    ScoreSheet,
    Sheet,
    organisations_from,
)
from printouts import results_from as scopes_from
from printouts.blind import blind_view
from printouts.model import Excusal, FlagStatus, PaperSource
from sync.event import Event, Text
from sync.records import SignedRecord

from .actions import ActionRefused, HeadJudge, scope_document
from .appeals import ScopeStanding, appeal, appeals, dossier, scope_standings
from .blind import blind_state
from .entry_lines import correction_messages, flag_message
from .ledger import Entry
from .paper_history import paper_revisions
from .projections import (
    AppealRow,
    OverrideRow,
    checkpoint_rows,
    current_sheets,
    excusal_rows,
    flag_rows,
    override_rows,
    review_rows,
    withdrawal_rows,
)
from .refusals import Message, read_back
from .scoring import ScopeKey

SHEET_PRINTED: Final = "sheet_printed"
INVENTORY: Final = "inventory"
"""The pack's cover sheet: asked for among the kinds (or by `inventory=True` when a print
has more than one sheet), printed first, about the print itself (its subject is the print's
checkpoint entry), so it has no subjects of its own to choose from."""
ALL: Final = "all"
"""The subject of the discrepancy report, the one sheet about everything."""


@dataclass(frozen=True)
class Signatories:
    """Names printed under the head judge's and the notary's signature lines (results,
    contestant sheets, the discrepancy report, appeal dossiers, the inventory); empty leaves
    the line blank to be filled in by hand."""

    head_judge: str = ""
    notary: str = ""


def _both(languages: tuple[str, ...], zh: str, en: str) -> str:
    return Text(zh, en).both(languages)


def scope_subject(track: str, group: str | None) -> str:
    """A results sheet's subject: `track` or `track/group` (as `printouts` names it)."""
    return track + (f"/{group}" if group else "")


@dataclass(frozen=True)
class _Meta:
    kind: str
    actor: str
    at: str


class SheetRecord:
    """The record at one moment, read once, turned into `printouts` sheets on demand. Only
    inside a ledger snapshot or write transaction, so that every read sees the same state."""

    @functools.cached_property
    def standings(self) -> dict[ScopeKey, ScopeStanding]:
        """Each published ranking's 暂定/正式 state (read once for every results sheet)."""
        return {(s.track, s.group): s for s in scope_standings(self.head)}

    def __init__(self, head: HeadJudge) -> None:
        self.head = head
        conn = head.master.ledger.conn
        self.blind = blind_state(conn, head.event)
        self._views: dict[bool, Event] = {}
        self.event: Event = self.event_for("results")
        self.languages = self.event.languages or ("zh", "en")
        self.meta = {seq: _Meta(kind, actor, at) for seq, kind, actor, at in conn.execute(
            "SELECT seq, kind, actor, at FROM ledger ORDER BY seq")}
        self.judge_order = {j.id: i for i, j in enumerate(self.event.judges)}
        self.contestant_order = {c.id: i for i, c in enumerate(self.event.contestants)}
        self.criteria = [c.id for c in self.event.criteria]
        self._read_sheets(conn)
        self.overrides = override_rows(conn)
        in_force = [o for o in self.overrides if o.status == "in_force"]
        self.in_force = tuple(self._override(o) for o in in_force)
        self.results = head.current_results()
        self.scopes = tuple(replace(scope, unresolved=tuple(
            self._unresolved(u) for u in self.results.unresolved
            if u.scope == (scope.track, scope.group)))
            for scope in scopes_from(self.results, self._decisions(conn)))
        self.placings: dict[str, Placing] = {p.contestant: p for s in self.scopes
                                             for p in s.ranking}
        self._conn = conn
        self.excusals = self._excusals(conn)
        self.device_judge = {device: judge for device, judge in conn.execute(
            "SELECT device, judge FROM devices")}
        self._flag_list: tuple[Flag, ...] | None = None

    def event_for(self, kind: str) -> Event:
        """The event a sheet of `kind` takes its names from. In a blind final judge sheets
        and blank forms show draw numbers only, always (the judges knew contestants by number
        alone); every other sheet shows draw numbers only while identities are hidden, then
        the draw number and the name (`printouts.blind`)."""
        if not self.blind.blind:
            return self.head.event
        names = not self.blind.hidden and kind not in ("judge", "form")
        if names not in self._views:
            self._views[names] = blind_view(self.head.event, self.blind.draws, names=names)
        return self._views[names]

    def _excusals(self, conn: Any) -> tuple[Excusal, ...]:
        """Excused seats in force, one per `seat_excused` entry (what it still covers)."""
        grouped: dict[tuple[int, str], list[str | None]] = {}
        reasons: dict[tuple[int, str], str] = {}
        for row in excusal_rows(conn):
            grouped.setdefault((row.ledger_seq, row.judge), []).append(row.contestant)
            reasons[(row.ledger_seq, row.judge)] = row.reason
        order = self.contestant_order
        return tuple(
            Excusal(judge, None if None in covered else tuple(
                sorted((c for c in covered if c is not None),
                       key=lambda c: (order.get(c, len(order)), c))), reasons[(seq, judge)])
            for (seq, judge), covered in sorted(grouped.items()))

    def _excused_for(self, contestants: set[str]) -> tuple[Excusal, ...]:
        """The excused seats that cover any of these contestants (whose panel the judge is
        on), naming only those."""
        event, out = self.event, []
        for e in self.excusals:
            judge = event.judge(e.judge)
            on_panel = {c.id for c in event.contestants if c.id in contestants
                        and judge is not None and not event.is_recused(judge, c)}
            if any(e.covers(c) for c in on_panel):
                named = None if e.contestants is None else tuple(
                    c for c in e.contestants if c in on_panel)
                out.append(Excusal(e.judge, named, e.reason))
        return tuple(out)

    # sheets and revisions

    def _read_sheets(self, conn: Any) -> None:
        keys = {}
        for device, key in conn.execute("SELECT device, public_key FROM devices"):
            with contextlib.suppress(ValueError, binascii.Error):
                keys[device] = base64.b64decode(key, validate=True)
        revisions: dict[tuple[str, str], list[Revision]] = {}
        signed: dict[tuple[str, str], bool] = {}
        self.revision_at: dict[int, tuple[str, str, Revision]] = {}
        rows = conn.execute(
            "SELECT r.ledger_seq, r.device, l.payload, l.at FROM records r "
            "JOIN ledger l ON l.seq = r.ledger_seq WHERE r.kind = 'sheet' "
            "ORDER BY r.ledger_seq").fetchall()
        for seq, device, payload_text, at in rows:
            payload = json.loads(payload_text)
            body = json.loads(payload["body"])
            values = {c: Decimal(body["values"][c]) for c in self._ordered(body["values"])}
            revision = Revision(int(body["revision"]), values, body.get("comment") or "",
                                body.get("reason"), at)
            pair = (body["judge"], body["contestant"])
            revisions.setdefault(pair, []).append(revision)
            signed[pair] = signed.get(pair, True) and _signature_ok(payload, keys.get(device))
            self.revision_at[seq] = (pair[0], pair[1], revision)
        paper: dict[tuple[str, str], list[Revision]] = {}
        for agreed in paper_revisions(  # typed twice: each agreed revision of a paper sheet
                Entry(seq, kind, actor, at, json.loads(payload), "", "")
                for seq, kind, actor, at, payload in conn.execute(
                    "SELECT seq, kind, actor, at, payload FROM ledger "
                    "WHERE kind = 'paper_entered' ORDER BY seq")):
            revision = Revision(agreed.revision, {c: agreed.values[c] for c in self._ordered(
                agreed.values)}, "", None, agreed.at)
            paper.setdefault((agreed.judge, agreed.contestant), []).append(revision)
            self.revision_at[agreed.ledger_seq] = (agreed.judge, agreed.contestant, revision)
        withdrawn = {(w.judge, w.contestant): w.reason for w in withdrawal_rows(conn)}
        scores = []
        for held in current_sheets(conn):  # the sheet that counts: a laptop's, or paper
            pair = (held.judge, held.contestant)
            if held.paper is not None and pair in paper:
                scores.append(ScoreSheet(
                    held.judge, held.contestant,
                    tuple(sorted(paper[pair], key=lambda r: r.number)), True,
                    withdrawn.get(pair), PaperSource(held.paper.form, held.paper.operators)))
            elif held.paper is None and pair in revisions:
                scores.append(ScoreSheet(
                    held.judge, held.contestant,
                    tuple(sorted(revisions[pair], key=lambda r: r.number)), signed[pair],
                    withdrawn.get(pair)))
        scores.sort(key=lambda s: (self.contestant_order.get(s.contestant, len(
            self.contestant_order)), s.contestant, self.judge_order.get(
            s.judge, len(self.judge_order)), s.judge))
        self.scores = tuple(scores)

    def _ordered(self, values: Mapping[str, object]) -> list[str]:
        known = [c for c in self.criteria if c in values]
        return known + sorted(c for c in values if c not in self.criteria)

    def _override(self, o: OverrideRow, note: str = "") -> Override:
        meta = self.meta.get(o.id, _Meta("", "", ""))
        reason = f"{o.reason} ({note})" if note else o.reason
        return Override(o.judge, o.contestant, o.criterion, o.old, o.new, reason, meta.at,
                        meta.actor)

    def _unresolved(self, u: Any) -> str:
        """Why a scope cannot be published, in the event's languages, by name: a tie's from
        its contestants, a missing sheet's or component's read back from the scoring's words;
        anything else as the scoring wrote it."""
        if u.kind.startswith("tie_"):
            return self.said(Message(f"blocker_{u.kind}", contestants=list(u.contestants)))
        said = read_back(f"blocker_{u.kind}", u.reason) \
            if u.kind in ("missing_sheets", "missing_component") else None
        return u.reason if said is None else self.said(said)

    def _decisions(self, conn: Any) -> list[tuple[str, str | None, str]]:
        lg = self.languages
        out: list[tuple[str, str | None, str]] = []
        for track, group, kind, order, contestants, reason, seq in conn.execute(
                "SELECT track, grp, kind, tie_order, contestants, reason, ledger_seq "
                "FROM tie_decisions ORDER BY ledger_seq"):
            if kind == "order":
                what = _both(lg, "裁决名次", "order decided") + ": " + " > ".join(
                    self.contestant_text(c) for c in json.loads(order))
            else:
                what = (_both(lg, "裁决并列较好名次", "shared place decided") + ": "
                        + ", ".join(self.contestant_text(c) for c in json.loads(contestants)))
            entry = _both(lg, f"账本序号 {seq}", f"entry {seq}")
            out.append((track, group or None, f"{what} — {reason} ({entry})"))
        return out

    # names, not ids, in the event's languages

    def said(self, message: Message) -> str:
        """A catalogue message with the people and criteria it names by name, one language a
        line, in the event's order."""
        named = self.named(message)
        return named.stacked(self.languages)

    def named(self, message: Message) -> Message:
        return Message(message.id, **{k: self._name(k, v) for k, v in message.params.items()})

    def _name(self, key: str, value: object) -> object:
        if isinstance(value, Message):
            return self.named(value)
        if isinstance(value, list | tuple):
            return [self._name(key, v) for v in value]
        if not isinstance(value, str):
            return value
        event = self.event
        if key in ("judge", "judges", "low", "high"):
            parts = [v.strip() for v in value.split(",")]
            if all(event.judge(v) for v in parts):
                return [self.judge_text(v) for v in parts] if len(parts) > 1 \
                    else self.judge_text(parts[0])
        if key in ("contestant", "contestants", "order") and event.contestant(value):
            return self.contestant_text(value)
        if key == "values":  # `pitch 8, J1 80`: criteria and judges by name
            return [self._value_pair(part) for part in value.split(", ")]
        if key == "criterion" and (criterion := event.criterion(value)) is not None:
            return criterion.name
        if key == "component" and (component := event.component(value)) is not None:
            return component.name
        return value

    def _value_pair(self, part: str) -> Text | str:
        key, _, value = part.rpartition(" ")
        if (criterion := self.event.criterion(key)) is not None:
            return Text(f"{criterion.name.get('zh')} {value}", f"{criterion.name.get('en')} "
                        f"{value}")
        if self.event.judge(key) is not None:
            name = self.judge_text(key)
            return Text(f"{name.zh} {value}", f"{name.en} {value}")
        return part

    def judge_text(self, judge_id: str) -> Text:
        judge = self.event.judge(judge_id)
        if judge is None:
            return Text(judge_id, judge_id)
        return Text(f"{judge_id} {judge.name.get('zh')}", f"{judge_id} {judge.name.get('en')}")

    def contestant_text(self, contestant_id: str) -> str:
        c = self.event.contestant(contestant_id)
        return f"{contestant_id} {c.name}" if c else contestant_id

    def actor(self, actor: str) -> str:
        """Who made an entry: `head-judge` and `master` as the sheets' words say them (ids
        the sheet translates), a judge's device by the judge's id and name."""
        if actor.startswith("device:"):
            judge = self.device_judge.get(actor.removeprefix("device:"))
            if judge is not None:
                return self.judge_text(judge).both(self.languages)
        return actor

    # one builder per sheet kind

    def judge_sheet(self, judge: str) -> JudgeSheet | None:
        if self.event.judge(judge) is None:
            return None
        return JudgeSheet(judge, tuple(s for s in self.scores if s.judge == judge),
                          tuple(o for o in self.in_force if o.judge == judge),
                          tuple(e for e in self.excusals if e.judge == judge))

    def contestant_sheet(self, contestant: str, names: Signatories = Signatories()
                         ) -> ContestantSheet | None:
        found = self.event.contestant(contestant)
        if found is None:
            return None
        scope = next((s for s in self.scopes if (s.track, s.group) == (found.track,
                                                                          found.group)), None)
        notes = tuple(
            AppealNote(str(a.id), a.filed_at, a.ground,
                       "upheld" if a.status == "upheld"
                       else "rejected" if a.status == "rejected"
                       else "withdrawn" if a.status == "withdrawn" else "open",
                       a.decision_reason or "", a.decided_at or "")
            for a in appeals(self.head) if a.contestant == contestant)
        return ContestantSheet(contestant,
                               tuple(s for s in self.scores if s.contestant == contestant),
                               self.placings.get(contestant),
                               tuple(o for o in self.in_force if o.contestant == contestant),
                               self._excused_for({contestant}),
                               absent=scope is not None and contestant in scope.absent,
                               scope=scope,
                               flags=tuple(f for f in self.flags if f.contestant == contestant),
                               appeals=notes, head_judge=names.head_judge)

    def results_sheet(self, subject: str, names: Signatories) -> ResultsSheet | None:
        scope = next((s for s in self.scopes if scope_subject(s.track, s.group) == subject),
                     None)
        if scope is None:
            return None
        members = {c.id for c in self.event.contestants
                   if (c.track, c.group) == (scope.track, scope.group)}
        key = (scope.track, scope.group)
        published = self.head.publications(key)
        last = published[-1] if published else None
        shows_last = last is not None and last.document == scope_document(self.results, key)
        standing = self.standings.get(key) if shows_last else None
        return ResultsSheet(scope, names.head_judge, names.notary if self.event.notary else "",
                            self._excused_for(members),
                            version=last.version if last is not None and shows_last else None,
                            published_at=last.at if last is not None and shows_last else "",
                            state=standing.state if standing else "",
                            appeals_close=standing.closes or "" if standing else "",
                            # the organisation awards span every scope: after the last one;
                            # not while identities are hidden (they name organisations)
                            organisations=organisations_from(self.results.organisations)
                            if scope == self.scopes[-1] and not self.blind.hidden else ())

    def discrepancy_report(self, names: Signatories = Signatories()) -> DiscrepancyReport:
        lg = self.languages
        notes = {"replaced": _both(lg, "已被后来的改分取代", "replaced by a later override"),
                 "lapsed": _both(lg, "已失效：评委提交了新版本",
                                 "lapsed: the judge sent a new revision")}
        overrides = tuple(
            replace(self._override(o, notes.get(o.status, "")), by=self.actor(
                self.meta.get(o.id, _Meta("", "", "")).actor))
            for o in self.overrides)
        return DiscrepancyReport(self.flags, overrides, names.head_judge)

    @property
    def flags(self) -> tuple[Flag, ...]:
        if self._flag_list is None:
            self._flag_list = tuple(self._flags())
        return self._flag_list

    def _flags(self) -> Iterator[Flag]:
        overrides = {o.id: o for o in self.overrides}
        withdrawals = {w.ledger_seq: w for w in withdrawal_rows(self._conn)}
        reviews = review_rows(self._conn)
        for f in flag_rows(self._conn):
            raised = self.meta.get(f.id, _Meta("", "", "")).at
            status: FlagStatus = "open"
            resolution, resolved_at = "", ""
            if f.status == "accepted":
                status, resolution = "accepted", f.note or ""
                resolved_at = self._at(f.accepted_seq)
            elif f.status == "cleared":
                resolved_at = self._at(f.cleared_seq)
                cause = f.cleared_by or 0
                status, resolution = "cleared", self.said(Message("flag_cleared_after",
                                                                  entry=cause))
                if cause in self.revision_at:
                    judge, _, revision = self.revision_at[cause]
                    if revision.number == 1:
                        resolution = self.said(Message("flag_cleared_arrived", judge=judge))
                    else:
                        status = "reviewed"
                        resolution = self.said(Message("flag_cleared_revision", judge=judge,
                                                       revision=revision.number))
                        if revision.reason:
                            resolution += f": {revision.reason}"
                elif cause in overrides:
                    o = overrides[cause]
                    status = "overridden"
                    resolution = self.said(Message("flag_cleared_override", judge=o.judge,
                                                   criterion=o.criterion)) + f": {o.reason}"
                elif cause in withdrawals:
                    w = withdrawals[cause]
                    status = "withdrawn"
                    resolution = self.said(Message("flag_cleared_withdrawn", judge=w.judge)
                                           ) + f": {w.reason}"
            else:
                asked = [r for r in reviews if r.flag == f.id]
                if asked:
                    r = asked[-1]
                    resolution = self.said(Message("flag_review_asked", judge=r.judge))
                    if r.status == "confirmed":
                        resolution = self.said(Message("flag_review_confirmed", judge=r.judge))
                        if r.answer_text:
                            resolution += f": {r.answer_text}"
            detail = self.said(flag_message(f.flag()))
            yield Flag(str(f.id), f.contestant, f.rule, tuple(f.judges), detail, raised,
                       status, resolution, resolved_at)

    def _at(self, seq: int | None) -> str:
        return self.meta[seq].at if seq is not None and seq in self.meta else ""

    def appeal_dossier(self, subject: str, names: Signatories = Signatories()
                       ) -> AppealDossier | None:
        number, _, moved_one = subject.partition("-")
        try:
            appeal_id = int(number)
            filed = appeal(self.head, appeal_id)
            if self.event.contestant(filed.contestant) is None:
                return None
            found = dossier(self.head, appeal_id, moved_one or None)
        except (ValueError, ActionRefused):
            return None
        history = [h for h in found.history if h.kind != SHEET_PRINTED]
        covering = {h.covered_by for h in history if h.covered_by is not None}
        checkpoints = tuple(CheckpointRef(c.size, c.root, c.at)
                            for c in checkpoint_rows(self._conn) if c.ledger_seq in covering)
        decision = self._decision(filed)
        contestant = moved_one or filed.contestant
        return AppealDossier(
            str(filed.id), contestant, filed.ground, filed.filed_by, filed.filed_at,
            tuple(s for s in self.scores if s.contestant == contestant),
            tuple(HistoryEntry(h.seq, h.at, self.actor(h.actor), h.kind,
                               self.said(h.summary),
                               "verified" if h.signature == "verified"
                               else "invalid" if h.signature else "")
                  for h in history),
            checkpoints, self.placings.get(contestant),
            tuple(o for o in self.in_force if o.contestant == contestant), (), decision,
            names.head_judge, filed.category,
            tuple(f"{e.name} · {e.size} B · SHA-256 {e.sha256[:16]}…" for e in filed.evidence),
            tuple(f"{r.contestant}: {r.reply}" for r in found.replies), moved_one)

    def _decision(self, filed: AppealRow) -> AppealDecision | None:
        """How the appeal ended, as its entry records it: the members (none for decisions
        recorded before members were), their votes, the correction (a line each, in the
        sheet's languages) and whom it moved; None while it is open."""
        if filed.status not in ("upheld", "rejected", "withdrawn") or filed.decided_seq is None:
            return None
        row = self._conn.execute("SELECT payload FROM ledger WHERE seq = ?",
                                 (filed.decided_seq,)).fetchone()
        payload = json.loads(row[0]) if row is not None else {}
        members = payload.get("committee")
        return AppealDecision(
            "upheld" if filed.status == "upheld"
            else "rejected" if filed.status == "rejected" else "withdrawn",
            filed.decision_reason or "", filed.decided_by or "", filed.decided_at or "",
            tuple(str(m) for m in members) if isinstance(members, list) else (),
            tuple((str(v["member"]), str(v["vote"]), bool(v["conflict"]))
                  for v in payload.get("votes", [])),
            tuple(self.said(m) for m in correction_messages(payload.get("correction"))),
            tuple(payload.get("moved", [])))

    def inventory(self, subject: str, names: Signatories) -> Inventory | None:
        """The inventory of the print at checkpoint entry `subject`: every other sheet its
        `sheet_printed` entries record, in order, with the pages each recorded."""
        try:
            checkpoint = int(subject)
        except ValueError:
            return None
        lines = []
        for (payload_text,) in self._conn.execute(
                "SELECT payload FROM ledger WHERE kind = ? AND "
                "json_extract(payload, '$.checkpoint') = ? ORDER BY seq",
                (SHEET_PRINTED, checkpoint)):
            p = json.loads(payload_text)
            if p.get("kind") != INVENTORY:
                lines.append(InventoryLine(str(p["code"]), str(p["kind"]), str(p["subject"]),
                                           int(p.get("pages", 0))))
        if not lines:
            return None
        return Inventory(checkpoint, tuple(lines), names.head_judge, names.notary)

    def sheet(self, kind: str, subject: str, names: Signatories) -> Sheet | None:
        """The sheet of `kind` about `subject` as the record holds it now (None: the record
        has no such subject). Not for enrolment cards, whose code only the paper holds."""
        if kind == "judge":
            return self.judge_sheet(subject)
        if kind == "form":
            return BlankForm(subject) if self.event.judge(subject) is not None else None
        if kind == "contestant":
            return self.contestant_sheet(subject, names)
        if kind == "results":
            return self.results_sheet(subject, names)
        if kind == "discrepancy":
            return self.discrepancy_report(names) if subject == ALL else None
        if kind == "appeal":
            return self.appeal_dossier(subject, names)
        if kind == INVENTORY:
            return self.inventory(subject, names)
        return None

    def contestants_of(self, sheet: Sheet) -> list[str]:
        """The contestants a sheet shows, in event order."""
        if isinstance(sheet, JudgeSheet):
            found = {s.contestant for s in sheet.scores}
        elif isinstance(sheet, ContestantSheet | AppealDossier):
            found = {sheet.contestant}
        elif isinstance(sheet, ResultsSheet):
            found = {p.contestant for p in sheet.scope.ranking} | set(sheet.scope.absent)
        elif isinstance(sheet, DiscrepancyReport):
            found = {f.contestant for f in sheet.flags} | {o.contestant for o in sheet.overrides}
        else:
            found = set()
        end = len(self.contestant_order)
        return sorted(found, key=lambda c: (self.contestant_order.get(c, end), c))


def _signature_ok(payload: Mapping[str, Any], key: bytes | None) -> bool:
    if key is None:
        return False
    try:
        record = SignedRecord(str(payload["body"]).encode("utf-8"),
                              base64.b64decode(str(payload["sig"]), validate=True))
    except (KeyError, ValueError, binascii.Error):
        return False
    return record.verify(key)
