"""Printing the record for the notary, and proving a printed sheet against the record later.

`build_sheets(head, kinds, subjects)` builds `printouts` sheets from the master's ledger and
projections: a judge sheet per judge (every revision, overrides in force, withdrawals), a
contestant sheet per contestant (every judge's values, recused and dropped judges, overrides
with both values and the reason, components, final, rank, prize), a results sheet per scope
(ranking, how ties were broken, the head judge's tie decisions, signature blocks), the
discrepancy and override report (every flag and how it was resolved, every override), an
appeal dossier per appeal (history in ledger order with the checkpoints covering it, the
decision), and enrolment cards per judge seat. It reads, it never writes.

`print_sheets(head, kinds, subjects, out_dir=..., now=...)` prints, in ONE write transaction:
for enrolment cards a fresh `codes_issued` (the code text exists only in memory and on the
card and in the master's code book; the ledger keeps their ids, as `Master.issue_codes`
does), then a signed
checkpoint (reason `print`) over the ledger as it stands, then one `sheet_printed` entry per
sheet with payload

    kind, subject, digest, code   what `printouts.prepare` made of the sheet
    checkpoint, size              the checkpoint's entry, and the entries it covers (the
                                  "ledger position" printed on the page)
    printed_at, file              the printer's local time, the PDF's file name
    content                       the sheet's content as printed (`printouts.sheet_content`,
                                  plain strings; an enrolment code only as its SHA-256)
    contestants                   the contestants the sheet shows (an appeal dossier lists
                                  every print touching its contestant)
    signatories                   results sheets: the names printed under the signature lines
    codes                         enrolment cards: the `codes_issued` entry of the card's code

The PDFs are rendered after the commit, deterministically, one file per sheet
(`contestant-L05-ledger211.pdf`); the QR payload is also in each PDF's metadata. The two
steps can be taken apart: `record_print` (same arguments) records the print and returns a
`PrintJob` without drawing anything, `render_print(job)` writes its PDFs holding no
transaction and no connection, so a caller can close the master, or let other writers in,
before the slow part.

`verify(head, text)` takes a typed sheet code, a scanned QR payload or a PDF (or a scan of
the paper as PNG/JPEG), finds the `sheet_printed` entry, checks that the checkpoint it was
printed at is signed by this master and that its Merkle root still matches the ledger prefix
it covers, rebuilds the sheet from the record as it is now and compares: `matches`, or
`changed` with `printouts.describe_changes` naming what moved. Malformed input raises
`VerifyInputError` (exit 2); an unknown code, a forged QR, a changed sheet or a broken record
give a `Verification` with exit code 1.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal

from printouts import (
    AppealDecision,
    AppealDossier,
    CheckpointError,
    CheckpointRef,
    ContestantSheet,
    DiscrepancyReport,
    EnrolmentCard,
    Flag,
    HistoryEntry,
    Imprint,
    JudgeSheet,
    Override,
    Placing,
    QrVerdict,
    ResultsSheet,
    Revision,
    ScoreSheet,
    Sheet,
    compute_sheet_code,
    describe_changes,
    parse_checkpoint,
    parse_sheet_code,
    prepare,
    qr_payloads_of_pdf,
    render,
    sheet_content,
    sheet_digest,
    verify_qr_payload,
)
from printouts import results_from as scopes_from
from printouts.model import Excusal, FlagStatus
from printouts.sheet_code import QR_PREFIX
from sync.canonical import canonical_bytes
from sync.codes import TypedCodeError
from sync.event import Event, Text
from sync.records import RecordError, SignedRecord
from sync.zones import event_zone, in_zone

from .actions import ActionRefused, HeadJudge
from .appeals import appeal, appeals, dossier
from .checkpoints import append_checkpoint, checkpoint_record, leaves, verify_checkpoint_copy
from .enrolment import IssuedCode
from .ledger import Entry
from .master import DEFAULT_CODE_TTL, MasterError, iso
from .projections import (
    OverrideRow,
    checkpoint_rows,
    current_sheets,
    excusal_rows,
    flag_rows,
    override_rows,
    review_rows,
    withdrawal_rows,
)
from .refusals import UNTRANSLATED, Message

__all__ = [
    "DEFAULT_KINDS",
    "KINDS",
    "PRINT_REASON",
    "SHEET_PRINTED",
    "PrintJob",
    "PrintedSheet",
    "Signatories",
    "Verification",
    "VerifyInputError",
    "build_sheets",
    "print_sheets",
    "record_print",
    "render_print",
    "sheet_subjects",
    "verify",
    "verify_code",
    "verify_file",
    "verify_qr",
]

SHEET_PRINTED: Final = "sheet_printed"
PRINT_REASON: Final = "print"
KINDS: Final = ("judge", "contestant", "results", "discrepancy", "appeal", "enrolment")
DEFAULT_KINDS: Final = KINDS[:-1]
"""What "print everything" prints: enrolment cards carry secrets and are printed only when
asked for by name."""
KIND_NAMES: Final = {"judge": "judge sheet", "contestant": "contestant sheet",
                     "results": "results sheet", "discrepancy": "discrepancy report",
                     "appeal": "appeal dossier", "enrolment": "enrolment card"}
ALL: Final = "all"
"""The subject of the discrepancy report, the one sheet about everything."""
FILE_SUFFIXES: Final = (".pdf", ".png", ".jpg", ".jpeg")
SCAN_DPI: Final = 200

_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class VerifyInputError(MasterError):
    """What was given to `verify` is not a sheet code, QR payload or readable file (exit 2)."""


# --- what printing returns ----------------------------------------------------------------------


@dataclass(frozen=True)
class Signatories:
    """Names printed under the head judge's and the notary's signature lines on results
    sheets; empty leaves the line blank to be filled in by hand."""

    head_judge: str = ""
    notary: str = ""


@dataclass(frozen=True)
class PrintedSheet:
    """One printed sheet: its code (to show the user), its file and its ledger entry."""

    kind: str
    subject: str
    code: str
    file: Path
    entry: int
    """The `sheet_printed` entry."""
    size: int
    """The ledger position printed on the page: entries covered by the checkpoint."""
    checkpoint: int
    """The checkpoint entry the sheet was printed at."""
    digest: str
    qr: str

    @property
    def title(self) -> Message:
        return describe_sheet(self.kind, self.subject)


def describe_sheet(kind: str, subject: str) -> Message:
    """`contestant sheet L05`, `appeal dossier 57`, `discrepancy report` (a `Message`: this
    English as a str, `render("zh")` for `选手成绩表 L05`)."""
    if subject == ALL:
        return _kind_text(kind)
    return Message("sheet_about", sheet=_kind_text(kind), subject=subject)


def _kind_text(kind: str) -> Message:
    return Message(f"sheet_{kind}") if kind in KIND_NAMES \
        else Message(UNTRANSLATED, text=kind)


def _kinds_text(kinds: Sequence[str]) -> Text:
    """Kinds of sheet in a refusal: `评委评分表或选手成绩表`; in English the ids the CLI takes,
    `judge or contestant`."""
    named = list(dict.fromkeys(kinds))
    return Text("或".join(_kind_text(k).render("zh") for k in named), " or ".join(named))


# --- reading the record -----------------------------------------------------------------------


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


class _Record:
    """The record at one moment, read once, turned into `printouts` sheets on demand. Only
    inside a ledger snapshot or write transaction, so that every read sees the same state."""

    def __init__(self, head: HeadJudge) -> None:
        self.head = head
        self.event: Event = head.event
        conn = head.master.ledger.conn
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
        self.scopes = scopes_from(self.results, self._decisions(conn))
        self.placings: dict[str, Placing] = {p.contestant: p for s in self.scopes
                                             for p in s.ranking}
        self._conn = conn
        self.excusals = self._excusals(conn)

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
        withdrawn = {(w.judge, w.contestant): w.reason for w in withdrawal_rows(conn)}
        held = {(s.judge, s.contestant) for s in current_sheets(conn)}
        scores = [
            ScoreSheet(judge, contestant,
                       tuple(sorted(revisions[(judge, contestant)], key=lambda r: r.number)),
                       signed[(judge, contestant)], withdrawn.get((judge, contestant)))
            for judge, contestant in held if (judge, contestant) in revisions
        ]
        scores.sort(key=lambda s: (self.contestant_order.get(s.contestant, len(
            self.contestant_order)), s.contestant, self.judge_order.get(
            s.judge, len(self.judge_order)), s.judge))
        self.scores = tuple(scores)

    def _ordered(self, values: Mapping[str, str]) -> list[str]:
        known = [c for c in self.criteria if c in values]
        return known + sorted(c for c in values if c not in self.criteria)

    def _override(self, o: OverrideRow, note: str = "") -> Override:
        meta = self.meta.get(o.id, _Meta("", "", ""))
        reason = f"{o.reason} ({note})" if note else o.reason
        return Override(o.judge, o.contestant, o.criterion, o.old, o.new, reason, meta.at,
                        meta.actor)

    def _decisions(self, conn: Any) -> list[tuple[str, str | None, str]]:
        lg = self.languages
        out: list[tuple[str, str | None, str]] = []
        for track, group, kind, order, contestants, reason, seq in conn.execute(
                "SELECT track, grp, kind, tie_order, contestants, reason, ledger_seq "
                "FROM tie_decisions ORDER BY ledger_seq"):
            if kind == "order":
                what = _both(lg, "裁决名次", "order decided") + ": " + " > ".join(
                    json.loads(order))
            else:
                what = (_both(lg, "裁决并列较好名次", "shared place decided") + ": "
                        + ", ".join(contestants.split(",")))
            entry = _both(lg, f"账本序号 {seq}", f"entry {seq}")
            out.append((track, group or None, f"{what} — {reason} ({entry})"))
        return out

    # one builder per sheet kind

    def judge_sheet(self, judge: str) -> JudgeSheet | None:
        if self.event.judge(judge) is None:
            return None
        return JudgeSheet(judge, tuple(s for s in self.scores if s.judge == judge),
                          tuple(o for o in self.in_force if o.judge == judge),
                          tuple(e for e in self.excusals if e.judge == judge))

    def contestant_sheet(self, contestant: str) -> ContestantSheet | None:
        if self.event.contestant(contestant) is None:
            return None
        return ContestantSheet(contestant,
                               tuple(s for s in self.scores if s.contestant == contestant),
                               self.placings.get(contestant),
                               tuple(o for o in self.in_force if o.contestant == contestant),
                               self._excused_for({contestant}))

    def results_sheet(self, subject: str, names: Signatories) -> ResultsSheet | None:
        scope = next((s for s in self.scopes if scope_subject(s.track, s.group) == subject),
                     None)
        if scope is None:
            return None
        members = {c.id for c in self.event.contestants
                   if (c.track, c.group) == (scope.track, scope.group)}
        return ResultsSheet(scope, names.head_judge, names.notary if self.event.notary else "",
                            self._excused_for(members))

    def discrepancy_report(self) -> DiscrepancyReport:
        lg = self.languages
        notes = {"replaced": _both(lg, "已被后来的改分取代", "replaced by a later override"),
                 "lapsed": _both(lg, "已失效：评委提交了新版本",
                                 "lapsed: the judge sent a new revision")}
        overrides = tuple(self._override(o, notes.get(o.status, "")) for o in self.overrides)
        return DiscrepancyReport(tuple(self._flags()), overrides)

    def _flags(self) -> Iterator[Flag]:
        lg = self.languages
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
                status, resolution = "cleared", _both(
                    lg, f"账本第 {cause} 条后不再成立", f"no longer holds after entry {cause}")
                if cause in self.revision_at:
                    judge, _, revision = self.revision_at[cause]
                    if revision.number == 1:
                        resolution = _both(lg, f"{judge} 的评分表送达后不再成立",
                                           f"no longer holds once {judge}'s sheet arrived")
                    else:
                        status = "reviewed"
                        resolution = _both(lg, f"{judge} 提交第 {revision.number} 版",
                                           f"{judge} sent revision {revision.number}")
                        if revision.reason:
                            resolution += f": {revision.reason}"
                elif cause in overrides:
                    o = overrides[cause]
                    status = "overridden"
                    resolution = _both(lg, f"总裁判长改分 {o.judge} 的 {o.criterion}",
                                       f"head judge override of {o.judge}'s {o.criterion}"
                                       ) + f": {o.reason}"
                elif cause in withdrawals:
                    w = withdrawals[cause]
                    status = "withdrawn"
                    resolution = _both(lg, f"{w.judge} 的评分表已撤回",
                                       f"{w.judge}'s sheet withdrawn") + f": {w.reason}"
            else:
                asked = [r for r in reviews if r.flag == f.id]
                if asked:
                    r = asked[-1]
                    resolution = _both(lg, f"已请 {r.judge} 复核", f"review asked of {r.judge}")
                    if r.status == "confirmed":
                        resolution = _both(lg, f"{r.judge} 确认原评分",
                                           f"{r.judge} confirmed the sheet")
                        if r.answer_text:
                            resolution += f": {r.answer_text}"
            yield Flag(str(f.id), f.contestant, f.rule, tuple(f.judges), f.describe(), raised,
                       status, resolution, resolved_at)

    def _at(self, seq: int | None) -> str:
        return self.meta[seq].at if seq is not None and seq in self.meta else ""

    def appeal_dossier(self, subject: str) -> AppealDossier | None:
        try:
            appeal_id = int(subject)
            filed = appeal(self.head, appeal_id)
        except (ValueError, ActionRefused):
            return None
        if self.event.contestant(filed.contestant) is None:
            return None
        found = dossier(self.head, appeal_id)
        history = [h for h in found.history if h.kind != SHEET_PRINTED]
        covering = {h.covered_by for h in history if h.covered_by is not None}
        checkpoints = tuple(CheckpointRef(c.size, c.root, c.at)
                            for c in checkpoint_rows(self._conn) if c.ledger_seq in covering)
        decision = None
        if filed.status in ("upheld", "rejected"):
            decision = AppealDecision("upheld" if filed.status == "upheld" else "rejected",
                                      filed.decision_reason or "", filed.decided_by or "",
                                      filed.decided_at or "")
        contestant = filed.contestant
        return AppealDossier(
            str(filed.id), contestant, filed.ground, filed.filed_by, filed.filed_at,
            tuple(s for s in self.scores if s.contestant == contestant),
            tuple(HistoryEntry(h.seq, h.at, h.actor, h.kind.replace("_", " "), h.summary,
                               "verified" if h.signature == "verified"
                               else "invalid" if h.signature else "")
                  for h in history),
            checkpoints, self.placings.get(contestant),
            tuple(o for o in self.in_force if o.contestant == contestant), (), decision)

    def sheet(self, kind: str, subject: str, names: Signatories) -> Sheet | None:
        """The sheet of `kind` about `subject` as the record holds it now (None: the record
        has no such subject). Not for enrolment cards, whose code only the paper holds."""
        if kind == "judge":
            return self.judge_sheet(subject)
        if kind == "contestant":
            return self.contestant_sheet(subject)
        if kind == "results":
            return self.results_sheet(subject, names)
        if kind == "discrepancy":
            return self.discrepancy_report() if subject == ALL else None
        if kind == "appeal":
            return self.appeal_dossier(subject)
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


# --- choosing what to print ---------------------------------------------------------------------


def sheet_subjects(head: HeadJudge) -> dict[str, list[str]]:
    """Every subject each kind of sheet can be printed for, in the order they print: judge
    and card: judge ids; contestant: contestant ids; results: `track` or `track/group`;
    discrepancy: `all`; appeal: appeal ids."""
    event = head.event
    judges = [j.id for j in event.judges]
    return {
        "judge": judges,
        "contestant": [c.id for c in event.contestants],
        "results": [scope_subject(t, g) for t, g in head.scopes()],
        "discrepancy": [ALL],
        "appeal": [str(a.id) for a in appeals(head)],
        "enrolment": list(judges),
    }


def _chosen(head: HeadJudge, kinds: Sequence[str], subjects: Sequence[str]
            ) -> list[tuple[str, str]]:
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ActionRefused("print_kind_unknown", kinds=[repr(k) for k in unknown],
                            known=list(KINDS))
    if not kinds:
        raise ActionRefused("print_no_kind")
    available = sheet_subjects(head)
    wanted = list(dict.fromkeys(s.strip() for s in subjects if s.strip()))
    chosen: list[tuple[str, str]] = []
    for kind in dict.fromkeys(kinds):
        chosen += [(kind, s) for s in available[kind] if not wanted or s in wanted]
    if wanted:
        matched = {s for _, s in chosen}
        missing = [s for s in wanted if s not in matched]
        if missing:
            choices = Text(
                "；".join(f"{_kind_text(kind).render('zh')}：{', '.join(available[kind]) or '无'}"
                         for kind in dict.fromkeys(kinds)),
                "; ".join(f"{kind}: {', '.join(available[kind]) or 'none'}"
                          for kind in dict.fromkeys(kinds)))
            raise ActionRefused("print_no_subject", kinds=_kinds_text(kinds),
                                missing=missing, choices=choices)
    if not chosen:
        raise ActionRefused("print_nothing", kinds=_kinds_text(kinds))
    return chosen


def build_sheets(head: HeadJudge, kinds: Sequence[str] = DEFAULT_KINDS,
                 subjects: Sequence[str] = (), *, signatories: Signatories = Signatories()
                 ) -> list[Sheet]:
    """The sheets `print_sheets` would print now, without writing anything (enrolment cards
    come without a code: only printing issues one)."""
    with head.master.ledger.snapshot():
        chosen = _chosen(head, kinds, subjects)
        record = _Record(head)
        fingerprint = head.master.identity.fingerprint_text
        return [
            EnrolmentCard(subject, subject, "", fingerprint) if kind == "enrolment"
            else _required(record.sheet(kind, subject, signatories), kind, subject)
            for kind, subject in chosen
        ]


def _required(sheet: Sheet | None, kind: str, subject: str) -> Sheet:
    if sheet is None:  # pragma: no cover - subjects come from the same record
        raise ActionRefused("print_no_sheet", sheet=describe_sheet(kind, subject))
    return sheet


# --- printing -----------------------------------------------------------------------------------


def file_name(kind: str, subject: str, size: int) -> str:
    """`judge-J1-ledger211.pdf`, `results-live-ledger211.pdf`, `card-J1-ledger211.pdf`."""
    stem = "card" if kind == "enrolment" else kind
    part = "" if subject == ALL else "-" + _SAFE.sub("-", subject).strip("-")
    return f"{stem}{part}-ledger{size}.pdf"


def _writable(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".print-check-"):
            pass
    except OSError as exc:
        raise ActionRefused("print_folder", folder=folder, error=exc.strerror or exc) from None


def print_blockers(head: HeadJudge, kinds: Sequence[str], subjects: Sequence[str],
                   out_dir: Path | str) -> list[Message]:
    """Why `record_print` would refuse these sheets into `out_dir` now ([] when it would
    not), found without writing anything (no folder is made): the console shows them in a
    dialog that cannot be confirmed rather than after the print."""
    problems: list[Message] = []
    try:
        with head.master.ledger.snapshot():
            _chosen(head, kinds, subjects)
    except ActionRefused as exc:
        problems.append(exc.message)
    folder = Path(out_dir)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        problems.append(Message("print_folder", folder=folder,
                                error=Text("不是文件夹", "not a folder")))
    elif not os.access(existing, os.W_OK | os.X_OK):
        problems.append(Message("print_folder", folder=folder,
                                error=Text("没有写权限", "no permission to write")))
    return problems


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class PrintJob:
    """A print recorded in the ledger whose PDFs are not drawn yet (`record_print`): the
    sheets as recorded, each with what its `sheet_printed` entry says and its file. It holds
    no connection to the master, so `render_print` can draw it on any thread, after the
    master is closed. Enrolment cards carry their codes here, in memory only."""

    event: Event
    imprint: Imprint
    sheets: tuple[tuple[Sheet, PrintedSheet], ...]

    @property
    def printed(self) -> list[PrintedSheet]:
        return [printed for _, printed in self.sheets]


def print_sheets(head: HeadJudge, kinds: Sequence[str] = DEFAULT_KINDS,
                 subjects: Sequence[str] = (), *, out_dir: Path | str,
                 now: dt.datetime | None = None, signatories: Signatories = Signatories(),
                 code_ttl: dt.timedelta = DEFAULT_CODE_TTL,
                 rng: Callable[[int], bytes] = os.urandom) -> list[PrintedSheet]:
    """Print the chosen sheets into `out_dir`, one PDF each, and record the print.

    `kinds` from `KINDS` (default: all but enrolment cards); `subjects` narrows each kind to
    those of its subjects named (`sheet_subjects`). `now` (aware; default the head judge's
    clock) is printed on every page in its own time zone. Printing cards issues new codes,
    which replace the seats' outstanding ones. Refuses (ActionRefused, nothing written) an
    unknown kind or subject, nothing to print, or a folder it cannot write to.

    The two steps, `record_print` (the ledger transaction) then `render_print` (the PDFs,
    no transaction held)."""
    return render_print(record_print(head, kinds, subjects, out_dir=out_dir, now=now,
                                     signatories=signatories, code_ttl=code_ttl, rng=rng))


def record_print(head: HeadJudge, kinds: Sequence[str] = DEFAULT_KINDS,
                 subjects: Sequence[str] = (), *, out_dir: Path | str,
                 now: dt.datetime | None = None, signatories: Signatories = Signatories(),
                 code_ttl: dt.timedelta = DEFAULT_CODE_TTL,
                 rng: Callable[[int], bytes] = os.urandom) -> PrintJob:
    """Record a print as `print_sheets` does (arguments, refusals and ledger entries the
    same), in one write transaction, and draw nothing: the PDFs are `render_print`'s. Checks
    that `out_dir` can be written to before recording anything."""
    moment = now if now is not None else head.clock()
    if moment.tzinfo is None:
        raise ActionRefused("print_naive_time")
    at = iso(moment)
    folder = Path(out_dir)
    with head.master.ledger.snapshot():
        _chosen(head, kinds, subjects)  # a mistyped subject creates no folder
    _writable(folder)
    master = head.master
    event = head.event
    jobs: list[tuple[Sheet, PrintedSheet]] = []
    with master.write():
        chosen = _chosen(head, kinds, subjects)
        cards = [subject for kind, subject in chosen if kind == "enrolment"]
        codes: dict[str, IssuedCode] = {}
        codes_entry: Entry | None = None
        if cards:
            try:
                issued, codes_entry = master.append_codes(
                    [j for j in event.judges if j.id in cards], now=moment, ttl=code_ttl,
                    rng=rng)
            except MasterError as exc:
                raise ActionRefused(exc.message) from None
            codes = {one.judge.id: one for one in issued}
        checkpoint = append_checkpoint(master.ledger, master.identity.signing_key, event.id,
                                       at, PRINT_REASON)
        imprint = Imprint(moment, checkpoint_record(checkpoint))
        size = checkpoint.seq - 1
        record = _Record(head)
        expires = (moment + code_ttl).isoformat(timespec="seconds")
        names_used: set[str] = set()
        for kind, subject in chosen:
            sheet: Sheet
            if kind == "enrolment":
                code = codes[subject]
                sheet = EnrolmentCard(subject, str(code.code.seat), code.code.encode(),
                                      master.identity.fingerprint_text, expires, code.code_id)
            else:
                sheet = _required(record.sheet(kind, subject, signatories), kind, subject)
            made = prepare(event, sheet, imprint)
            name = file_name(kind, subject, size)
            if name in names_used:
                name = name.replace(".pdf", f"-{master.ledger.next_seq()}.pdf")
            names_used.add(name)
            payload: dict[str, Any] = {
                "kind": made.kind, "subject": made.subject, "digest": made.digest,
                "code": made.code, "checkpoint": checkpoint.seq, "size": size,
                "printed_at": moment.isoformat(), "file": name, "content": made.content,
                "contestants": record.contestants_of(sheet)}
            if kind == "results":
                payload["signatories"] = {"head_judge": signatories.head_judge,
                                          "notary": signatories.notary}
            if codes_entry is not None and kind == "enrolment":
                payload["codes"] = codes_entry.seq
            entry = head.record(SHEET_PRINTED, payload, at)
            jobs.append((sheet, PrintedSheet(made.kind, made.subject, made.code, folder / name,
                                             entry.seq, size, checkpoint.seq, made.digest,
                                             made.qr)))
    return PrintJob(event, imprint, tuple(jobs))


def render_print(job: PrintJob) -> list[PrintedSheet]:
    """Draw a recorded print: one PDF per sheet, written whole (fsynced, then renamed into
    place) at the file its entry names. Deterministic: the same job, the same bytes. Reads
    and writes nothing of the master's."""
    for sheet, printed in job.sheets:
        _write(printed.file, render(job.event, sheet, job.imprint))
    return job.printed


# --- verifying ----------------------------------------------------------------------------------

Outcome = Literal["matches", "changed", "unknown", "refused", "broken"]


@dataclass(frozen=True)
class Verification:
    """What `verify` found for one sheet. `exit_code` 0 only when it matches."""

    outcome: Outcome
    code: str
    kind: str = ""
    subject: str = ""
    entry: int | None = None
    """The `sheet_printed` entry."""
    size: int | None = None
    """The ledger position the sheet was printed at."""
    printed_at: str = ""
    ledger_size: int = 0
    """Entries the ledger holds now."""
    changes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return 0 if self.outcome == "matches" else 1

    @property
    def ok(self) -> bool:
        return self.outcome == "matches"

    def lines(self) -> list[str]:
        """The verdict first, then what it is about, as `head-judge verify` prints it."""
        what = describe_sheet(self.kind, self.subject) if self.kind else "sheet"
        if self.outcome == "unknown":
            return ["no sheet with this code was printed by this master",
                    f"  sheet code {self.code}"]
        if self.outcome == "refused":
            return [f"REFUSED: {'; '.join(self.problems)}",
                    f"  {what}" + (f", sheet code {self.code}" if self.code else "")]
        about = (f"  {what}, sheet code {self.code}, printed {self.printed_at} "
                 f"(ledger entry {self.entry})")
        if self.outcome == "broken":
            return ["NOT INTACT: the record no longer proves this sheet", about,
                    *(f"  {p}" for p in self.problems)]
        proof = (f"  checkpoint signed by this head judge; its Merkle root matches ledger "
                 f"entries 1-{self.size}")
        if self.outcome == "matches":
            return [f"MATCHES the record as of ledger position {self.size}", about, proof,
                    *(f"  {n}" for n in self.notes)]
        return ["CHANGED since printing:", *(f"  - {c}" for c in self.changes), about,
                f"  printed at ledger position {self.size}; the record now holds "
                f"{self.ledger_size} entries", proof, *(f"  {n}" for n in self.notes)]


@dataclass(frozen=True)
class _Printed:
    seq: int
    code: str
    kind: str
    subject: str
    digest: str


class _Verifier:
    """Checks against one consistent read of the master (inside a ledger snapshot)."""

    def __init__(self, head: HeadJudge) -> None:
        self.head = head
        self.master = head.master
        self._entries: list[Entry] | None = None
        self._hashes: list[bytes] | None = None
        self._record: _Record | None = None

    @property
    def entries(self) -> list[Entry]:
        if self._entries is None:
            self._entries = list(self.master.ledger.entries())
        return self._entries

    @property
    def hashes(self) -> list[bytes]:
        if self._hashes is None:
            self._hashes = leaves(self.entries)
        return self._hashes

    @property
    def record(self) -> _Record:
        if self._record is None:
            self._record = _Record(self.head)
        return self._record

    def printed(self, code: str) -> list[_Printed]:
        rows = self.master.ledger.conn.execute(
            "SELECT ledger_seq, code, kind, subject, digest FROM printed_sheets WHERE code = ? "
            "ORDER BY ledger_seq", (code,)).fetchall()
        return [_Printed(*row) for row in rows]

    def code(self, text: str) -> Verification:
        try:
            code = parse_sheet_code(text)
        except TypedCodeError as exc:
            raise VerifyInputError(f"sheet code {text.strip()!r}: {exc}") from None
        found = self.printed(code)
        if not found:
            return Verification("unknown", code)
        return self.check(found[0], None)

    def qr(self, text: str) -> Verification:
        verdict = verify_qr_payload(text, self.master.master_key)
        if verdict.checkpoint is None:
            raise VerifyInputError(f"not a readable sheet QR code: {verdict.reason}")
        if not verdict.ok:
            return Verification("refused", verdict.code, verdict.kind,
                                problems=(verdict.reason,))
        event = self.head.event.id
        if verdict.checkpoint.event != event:
            return Verification("refused", verdict.code, verdict.kind, problems=(
                f"the sheet is from the final {verdict.checkpoint.event!r}; this master runs "
                f"{event!r}",))
        found = [p for p in self.printed(verdict.code) if p.digest == verdict.digest]
        if not found:
            return Verification("unknown", verdict.code, verdict.kind)
        return self.check(found[0], verdict)

    def check(self, row: _Printed, qr: QrVerdict | None) -> Verification:
        entries = self.entries
        entry = entries[row.seq - 1] if 0 < row.seq <= len(entries) else None
        if entry is None or entry.seq != row.seq or entry.kind != SHEET_PRINTED:
            return Verification("broken", row.code, row.kind, row.subject, row.seq,
                                ledger_size=len(entries), problems=(
                                    f"ledger entry {row.seq} is not the print of this sheet",))
        p = entry.payload
        size = p.get("size")
        base = Verification("broken", row.code, str(p.get("kind", row.kind)),
                            str(p.get("subject", row.subject)), row.seq,
                            size if isinstance(size, int) else None,
                            _shown_time(str(p.get("printed_at", "")), self.head.event),
                            len(entries))
        problems = self._proof_problems(p, qr)
        if problems:
            return replace(base, problems=tuple(problems))
        printed = p["content"]
        current, notes = self._current(p)
        if current is not None and sheet_digest(current) == p["digest"]:
            return replace(base, outcome="matches", notes=tuple(notes))
        if current is None:
            changes = [f"the record no longer has the {describe_sheet(p['kind'], p['subject'])}"
                       " (its subject is gone)"]
        else:
            changes = _changes(printed, json.loads(canonical_bytes(current))) or [
                "the sheet's content differs from the record in its layout data"]
        return replace(base, outcome="changed", changes=tuple(changes), notes=tuple(notes))

    def _proof_problems(self, p: Mapping[str, Any], qr: QrVerdict | None) -> list[str]:
        problems: list[str] = []
        try:
            kind, digest, code = str(p["kind"]), str(p["digest"]), str(p["code"])
            content, seq, size = p["content"], int(p["checkpoint"]), int(p["size"])
        except (KeyError, TypeError, ValueError):
            return ["the print's ledger entry is not of the `sheet_printed` shape"]
        if not isinstance(content, Mapping) or sheet_digest(content) != digest:
            problems.append("the content recorded for this print does not give its digest "
                            "(the ledger entry was changed)")
        entries = self.entries
        holder = entries[seq - 1] if 0 < seq <= len(entries) else None
        if holder is None or holder.seq != seq or holder.kind != "checkpoint":
            return [*problems, f"ledger entry {seq} is not the checkpoint the sheet was "
                    "printed at"]
        try:
            record = checkpoint_record(holder)
            checkpoint = parse_checkpoint(record)
        except (RecordError, CheckpointError) as exc:
            return [*problems, f"the checkpoint at entry {seq} is unreadable: {exc}"]
        if checkpoint.size != size or size != seq - 1:
            problems.append(f"the checkpoint at entry {seq} covers {checkpoint.size} entries, "
                            f"the print says {size}")
        if compute_sheet_code(kind, digest, checkpoint.hash) != code:
            problems.append("the sheet code does not bind this content to this checkpoint")
        problems += verify_checkpoint_copy(self.hashes, record, self.master.master_key,
                                           f"the checkpoint at entry {seq}")
        if qr is not None and qr.checkpoint is not None:
            if qr.digest != digest:
                problems.append("the QR code's digest is not the one recorded for this print")
            if qr.checkpoint.hash != checkpoint.hash:
                problems.append("the QR code names another checkpoint than the print's")
            problems += verify_checkpoint_copy(self.hashes, qr.checkpoint.record,
                                               self.master.master_key,
                                               "the checkpoint in the sheet's QR code")
        return list(dict.fromkeys(problems))

    def _current(self, p: Mapping[str, Any]) -> tuple[dict[str, object] | None, list[str]]:
        kind, subject = str(p["kind"]), str(p["subject"])
        if kind == "enrolment":
            return self._card(p)
        names = p.get("signatories") or {}
        sheet = self.record.sheet(kind, subject, Signatories(
            str(names.get("head_judge", "")), str(names.get("notary", ""))))
        return (None if sheet is None else sheet_content(self.head.event, sheet)), []

    def _card(self, p: Mapping[str, Any]) -> tuple[dict[str, object] | None, list[str]]:
        """A card's code is on the paper only: the card is rebuilt around the code's hash it
        was printed with, and a note says whether that code is still outstanding."""
        subject = str(p["subject"])
        printed = p["content"].get("card", {}) if isinstance(p["content"], Mapping) else {}
        if self.head.event.judge(subject) is None:
            return None, []
        card = EnrolmentCard(subject, str(printed.get("seat", subject)), "",
                             self.master.identity.fingerprint_text,
                             str(printed.get("expires", "")))
        content = sheet_content(self.head.event, card)
        fields = content["card"]
        if isinstance(fields, dict):
            fields["code_id"] = printed.get("code_id")
        return content, self._card_notes(subject, p.get("codes"))

    def _card_notes(self, judge: str, codes_seq: object) -> list[str]:
        if not isinstance(codes_seq, int) or not 0 < codes_seq <= len(self.entries):
            return []
        issued = self.entries[codes_seq - 1].payload.get("codes", [])
        code_id = next((c.get("code_id") for c in issued if c.get("seat") == judge), None)
        for entry in self.entries[codes_seq:]:
            q = entry.payload
            if entry.kind == "device_enrolled" and q.get("judge") == judge \
                    and q.get("code") == code_id:
                return [f"the code on this card was used at ledger entry {entry.seq} to enrol "
                        f"device {q.get('device')}; it cannot enrol another"]
            if entry.kind == "codes_issued" and any(c.get("seat") == judge
                                                    for c in q.get("codes", [])):
                return [f"the code on this card was replaced by a new one at ledger entry "
                        f"{entry.seq}; it no longer enrols a terminal"]
        return ["the code on this card has not been used yet"]


def _changes(printed: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """`describe_changes`, causes first: the judges' sheets (revisions, overrides,
    withdrawals), then what followed from them (results, flags, history)."""
    def split(content: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        return ({"scores": content.get("scores", {})},
                {k: v for k, v in content.items() if k != "scores"})

    (old_scores, old_rest), (new_scores, new_rest) = split(printed), split(current)
    return describe_changes(old_scores, new_scores) + describe_changes(old_rest, new_rest)


def _shown_time(text: str, event: Event) -> str:
    """A recorded printing time in the event's zone (as the sheet printed it), else as
    recorded (in the zone of the laptop that printed)."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    return in_zone(moment, event_zone(event)).isoformat(sep=" ", timespec="seconds")


@contextlib.contextmanager
def _verifier(head: HeadJudge) -> Iterator[_Verifier]:
    with head.master.ledger.snapshot():
        yield _Verifier(head)


def verify_code(head: HeadJudge, text: str) -> Verification:
    """Verify a typed sheet code; VerifyInputError names the block holding a typo."""
    with _verifier(head) as check:
        return check.code(text)


def verify_qr(head: HeadJudge, text: str) -> Verification:
    """Verify a scanned QR payload (`FKS1:...`) with this master's public key."""
    with _verifier(head) as check:
        return check.qr(text)


def verify_file(head: HeadJudge, path: Path | str) -> list[Verification]:
    """Verify every sheet in a PDF this software printed (payloads read from its metadata),
    or in a scan of the paper (PDF, PNG or JPEG: QR codes decoded with pdftoppm and
    zxing-cpp, when they are installed)."""
    payloads = _payloads_in(Path(path))
    with _verifier(head) as check:
        return [check.qr(payload) for payload in payloads]


def verify(head: HeadJudge, text: str) -> list[Verification]:
    """Verify a sheet code, a QR payload or a file (see the module docstring)."""
    given = text.strip()
    if not given:
        raise VerifyInputError("give a sheet code, the QR code's text or a PDF file")
    if given.upper().startswith(QR_PREFIX):
        return [verify_qr(head, given)]
    path = Path(given)
    is_file = False
    with contextlib.suppress(OSError, ValueError):
        is_file = path.is_file()
    if is_file or path.suffix.lower() in FILE_SUFFIXES:
        return verify_file(head, path)
    return [verify_code(head, given)]


# --- reading payloads from files ----------------------------------------------------------------


def _payloads_in(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VerifyInputError(f"{path}: cannot read the file ({exc.strerror or exc})"
                               ) from None
    is_pdf = data.startswith(b"%PDF")
    if is_pdf:
        found = qr_payloads_of_pdf(data)
        if found:
            return found
    elif path.suffix.lower() == ".pdf":
        raise VerifyInputError(f"{path}: not a PDF file")
    found = _scan(path, data, is_pdf)
    if not found:
        raise VerifyInputError(f"{path}: no sheet QR code found in it; type the sheet code "
                               "printed beside the QR code instead")
    return found


def _scan(path: Path, data: bytes, is_pdf: bool) -> list[str]:
    """QR payloads decoded off the pages of a scan (pdftoppm renders a PDF's pages)."""
    try:
        zxingcpp: Any = importlib.import_module("zxingcpp")
        image_module: Any = importlib.import_module("PIL.Image")
    except ImportError:
        raise VerifyInputError(
            f"{path}: the file holds no sheet payload in its metadata (a scan?), and reading "
            "its QR code needs the zxing-cpp and Pillow packages; type the sheet code "
            "instead") from None
    images: list[bytes] = []
    if is_pdf:
        tool = shutil.which("pdftoppm")
        if tool is None:
            raise VerifyInputError(
                f"{path}: the file holds no sheet payload in its metadata (a scan?), and "
                "rendering its pages needs pdftoppm (poppler); type the sheet code instead")
        with tempfile.TemporaryDirectory(prefix="head-judge-verify-") as tmp:
            source = Path(tmp) / "in.pdf"
            source.write_bytes(data)
            done = subprocess.run([tool, "-r", str(SCAN_DPI), "-png", "-gray", str(source),
                                   str(Path(tmp) / "page")], capture_output=True, check=False)
            if done.returncode:
                raise VerifyInputError(f"{path}: pdftoppm cannot read it: "
                                       f"{done.stderr.decode(errors='replace').strip()}")
            images = [p.read_bytes() for p in sorted(Path(tmp).glob("page-*.png"))]
    else:
        images = [data]
    found: list[str] = []
    for image in images:
        try:
            picture = image_module.open(io.BytesIO(image))
        except Exception:  # not an image at all: say what is expected, never a traceback
            raise VerifyInputError(
                f"{path}: neither a PDF nor an image; expected a printed sheet's PDF, a scan "
                "or photo of it (PNG, JPEG), its sheet code or its QR text") from None
        try:
            results = zxingcpp.read_barcodes(picture)
        except Exception as exc:  # an unreadable image: say so, never a traceback
            raise VerifyInputError(f"{path}: cannot read the image ({exc})") from None
        found += [r.text for r in results if str(r.text).startswith(QR_PREFIX)]
    return list(dict.fromkeys(found))

