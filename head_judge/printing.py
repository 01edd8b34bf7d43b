"""Printing the record for the notary, and proving a printed sheet against the record later.

`build_sheets(head, kinds, subjects)` builds `printouts` sheets from the master's ledger and
projections: a judge sheet per judge (every revision, overrides in force, withdrawals), a
contestant sheet per contestant (every judge's values, recused and dropped judges, overrides
with both values and the reason, components, final, rank, prize), a results sheet per scope
(ranking, how ties were broken, the head judge's tie decisions, signature blocks), the
discrepancy and override report (every flag and how it was resolved, every override), an
appeal dossier per appeal (history in ledger order with the checkpoints covering it, the
decision), and enrolment cards per judge seat, as `head_judge.sheet_record` reads them. It
reads, it never writes.

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
    signatories                   the names printed under the head judge's and notary's lines
                                  (every sheet but judge sheets and cards)
    pages                         when the print has an inventory: the sheet's page count
    codes                         enrolment cards: the `codes_issued` entry of the card's code

The PDFs are rendered after the commit, deterministically, one file per sheet
(`contestant-L05-ledger211.pdf`); the QR payload is also in each PDF's metadata. The two
steps can be taken apart: `record_print` (same arguments) records the print and returns a
`PrintJob` without drawing anything, `render_print(job)` writes its PDFs holding no
transaction and no connection, so a caller can close the master, or let other writers in,
before the slow part.

Verifying a printed sheet against the record is `head_judge.verification`'s; its
`verify`, `verify_code`, `verify_qr`, `verify_file`, `Verification` and
`VerifyInputError` are also importable from here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from printouts import EnrolmentCard, Imprint, Inventory, InventoryLine, Sheet
from sync.event import Event, Text

from .actions import ActionRefused, HeadJudge
from .appeals import appeals, moved
from .checkpoints import append_checkpoint, checkpoint_record
from .enrolment import IssuedCode
from .glyphs import unprintable
from .ledger import Entry
from .master import DEFAULT_CODE_TTL, MasterError, iso
from .refusals import UNTRANSLATED, Message
from .sheet_record import ALL, INVENTORY, SHEET_PRINTED, SheetRecord, Signatories, scope_subject

if TYPE_CHECKING:
    from .verification import (
        Verification,
        VerifyInputError,
        verify,
        verify_code,
        verify_file,
        verify_qr,
    )

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

PRINT_REASON: Final = "print"
KINDS: Final = ("judge", "form", "contestant", "results", "discrepancy", "appeal",
                "enrolment")
DEFAULT_KINDS: Final = tuple(k for k in KINDS if k not in ("form", "enrolment"))
"""What "print everything" prints: the record of the final. Blank paper forms (printed
before the final, for judges whose laptop fails) and enrolment cards (which carry secrets)
are printed only when asked for by name."""
KIND_NAMES: Final = {"judge": "judge sheet", "form": "paper form",
                     "contestant": "contestant sheet",
                     "results": "results sheet", "discrepancy": "discrepancy report",
                     "appeal": "appeal dossier", "enrolment": "enrolment card",
                     "inventory": "pack inventory"}
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


# --- what printing returns ----------------------------------------------------------------------


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


# --- choosing what to print ---------------------------------------------------------------------


def sheet_subjects(head: HeadJudge) -> dict[str, list[str]]:
    """Every subject each kind of sheet can be printed for, in the order they print: judge
    and card: judge ids; contestant: contestant ids; results: `track` or `track/group`;
    discrepancy: `all`; appeal: appeal ids."""
    event = head.event
    judges = [j.id for j in event.judges]
    return {
        "judge": judges,
        "form": list(judges),
        "contestant": [c.id for c in event.contestants],
        "results": [scope_subject(t, g) for t, g in head.scopes()],
        "discrepancy": [ALL],
        "appeal": [subject for a in appeals(head)
                   for subject in (str(a.id), *(f"{a.id}-{c}" for c in moved(head, a)
                                                if c != a.contestant))],
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
        record = SheetRecord(head)
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
    """`judge-J1-ledger211.pdf`, `results-live-ledger211.pdf`, `card-J1-ledger211.pdf`,
    `inventory-ledger211.pdf`."""
    stem = "card" if kind == "enrolment" else kind
    part = "" if subject == ALL or kind == INVENTORY \
        else "-" + _SAFE.sub("-", subject).strip("-")
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
    unprintable_people = unprintable(head.event)
    if unprintable_people:
        problems.append(Message("print_unprintable", people=unprintable_people))
    folder = Path(out_dir)
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        problems.append(Message("print_folder", folder=folder,
                                error=Text("不是文件夹", "not a folder")))
    elif not os.access(existing, os.W_OK | os.X_OK):
        problems.append(Message("print_folder", folder=folder,
                                error=Text("没有写权限", "no permission to write")))
    return problems


def _refuse_unprintable(event: Event, signatories: Signatories) -> None:
    """A character no printing font has is refused before anything is recorded or written,
    never printed as a gap (`head_judge.glyphs`)."""
    names = [v for value in vars(signatories).values()
             for v in (value if isinstance(value, (tuple, list)) else (value,))
             if isinstance(v, str)]
    people = unprintable(event, names)
    if people:
        raise ActionRefused("print_unprintable", people=people)


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
    events: Mapping[str, Event] = field(default_factory=dict)
    """The event each kind of sheet takes its names from where it is not `event` (a blind
    final: draw numbers, `SheetRecord.event_for`)."""

    @property
    def printed(self) -> list[PrintedSheet]:
        return [printed for _, printed in self.sheets]


def print_sheets(head: HeadJudge, kinds: Sequence[str] = DEFAULT_KINDS,
                 subjects: Sequence[str] = (), *, out_dir: Path | str,
                 now: dt.datetime | None = None, signatories: Signatories = Signatories(),
                 code_ttl: dt.timedelta = DEFAULT_CODE_TTL,
                 rng: Callable[[int], bytes] = os.urandom,
                 inventory: bool = False) -> list[PrintedSheet]:
    """Print the chosen sheets into `out_dir`, one PDF each, and record the print.

    `kinds` from `KINDS` (default: all but enrolment cards); `subjects` narrows each kind to
    those of its subjects named (`sheet_subjects`). `now` (aware; default the head judge's
    clock) is printed on every page in its own time zone. Printing cards issues new codes,
    which replace the seats' outstanding ones. Refuses (ActionRefused, nothing written) an
    unknown kind or subject, nothing to print, or a folder it cannot write to.

    The pack inventory (`INVENTORY`) is printed first when it is among `kinds`, or with
    `inventory` when more than one sheet is printed: it lists every other sheet with its
    code and pages (the pack is laid out once more, in the transaction, to count them).

    The two steps, `record_print` (the ledger transaction) then `render_print` (the PDFs,
    no transaction held)."""
    return render_print(record_print(head, kinds, subjects, out_dir=out_dir, now=now,
                                     signatories=signatories, code_ttl=code_ttl, rng=rng,
                                     inventory=inventory))


def record_print(head: HeadJudge, kinds: Sequence[str] = DEFAULT_KINDS,
                 subjects: Sequence[str] = (), *, out_dir: Path | str,
                 now: dt.datetime | None = None, signatories: Signatories = Signatories(),
                 code_ttl: dt.timedelta = DEFAULT_CODE_TTL,
                 rng: Callable[[int], bytes] = os.urandom,
                 inventory: bool = False) -> PrintJob:
    """Record a print as `print_sheets` does (arguments, refusals and ledger entries the
    same), in one write transaction, and draw nothing: the PDFs are `render_print`'s. Checks
    that `out_dir` can be written to before recording anything."""
    from printouts.printing import page_counts, prepare  # ReportLab: only once printing
    asked_inventory = INVENTORY in kinds
    kinds = [k for k in kinds if k != INVENTORY]
    if asked_inventory and not kinds:
        raise ActionRefused("print_inventory_alone")
    moment = now if now is not None else head.clock()
    if moment.tzinfo is None:
        raise ActionRefused("print_naive_time")
    at = iso(moment)
    folder = Path(out_dir)
    with head.master.ledger.snapshot():
        _chosen(head, kinds, subjects)  # a mistyped subject creates no folder
    _refuse_unprintable(head.event, signatories)
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
        record = SheetRecord(head)
        expires = (moment + code_ttl).isoformat(timespec="seconds")
        names_used: set[str] = set()
        built: list[tuple[str, str, Sheet]] = []
        for kind, subject in chosen:
            sheet: Sheet
            if kind == "enrolment":
                code = codes[subject]
                sheet = EnrolmentCard(subject, str(code.code.seat), code.code.encode(),
                                      master.identity.fingerprint_text, expires, code.code_id)
            else:
                sheet = _required(record.sheet(kind, subject, signatories), kind, subject)
            built.append((kind, subject, sheet))
        pages: list[int | None] = [None] * len(built)
        shown = record.event_for
        if asked_inventory or (inventory and len(built) > 1):
            pages = [page_counts(shown(kind), [sheet], imprint)[0] for kind, _, sheet in built
                     ] if record.blind.blind else list(page_counts(
                         event, [sheet for _, _, sheet in built], imprint))
            lines = tuple(InventoryLine(prepare(shown(kind), sheet, imprint).code, kind,
                                        subject, n or 0)
                          for (kind, subject, sheet), n in zip(built, pages, strict=True))
            cover = Inventory(checkpoint.seq, lines, signatories.head_judge,
                              signatories.notary)
            built.insert(0, (INVENTORY, str(checkpoint.seq), cover))
            pages.insert(0, page_counts(shown(INVENTORY), [cover], imprint)[0])
        for (kind, subject, sheet), n in zip(built, pages, strict=True):
            made = prepare(shown(kind), sheet, imprint)
            name = file_name(kind, subject, size)
            if name in names_used:
                name = name.replace(".pdf", f"-{master.ledger.next_seq()}.pdf")
            names_used.add(name)
            payload: dict[str, Any] = {
                "kind": made.kind, "subject": made.subject, "digest": made.digest,
                "code": made.code, "checkpoint": checkpoint.seq, "size": size,
                "printed_at": moment.isoformat(), "file": name, "content": made.content,
                "contestants": record.contestants_of(sheet)}
            if kind not in ("judge", "form", "enrolment"):
                payload["signatories"] = {"head_judge": signatories.head_judge,
                                          "notary": signatories.notary}
            if n is not None:
                payload["pages"] = n
            if codes_entry is not None and kind == "enrolment":
                payload["codes"] = codes_entry.seq
            entry = head.record(SHEET_PRINTED, payload, at)
            jobs.append((sheet, PrintedSheet(made.kind, made.subject, made.code, folder / name,
                                             entry.seq, size, checkpoint.seq, made.digest,
                                             made.qr)))
    return PrintJob(event, imprint, tuple(jobs),
                    {kind: shown(kind) for kind, _, _ in built if shown(kind) is not event})


def render_print(job: PrintJob) -> list[PrintedSheet]:
    """Draw a recorded print: one PDF per sheet, written whole (fsynced, then renamed into
    place) at the file its entry names. Deterministic: the same job, the same bytes. Reads
    and writes nothing of the master's."""
    from printouts.printing import render  # ReportLab: only once printing
    for sheet, printed in job.sheets:
        _write(printed.file, render(job.events.get(printed.kind, job.event), sheet,
                                    job.imprint))
    return job.printed


_VERIFICATION: Final = frozenset(("Verification", "VerifyInputError", "verify", "verify_code",
                                  "verify_file", "verify_qr"))


def __getattr__(name: str) -> Any:
    """`head_judge.verification`'s names, where callers imported them before it was split
    off (imported on first use: it imports this module)."""
    if name in _VERIFICATION:
        from . import verification
        return getattr(verification, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
