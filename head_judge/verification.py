"""Proving a printed sheet against the record: `head-judge verify`.

`verify(head, text)` takes a typed sheet code, a scanned QR payload or a PDF (or a scan of
the paper as PNG/JPEG), finds the `sheet_printed` entry, checks that the checkpoint it was
printed at is signed by this master and that its Merkle root still matches the ledger prefix
it covers, rebuilds the sheet from the record as it is now and compares: `matches`, or
`changed` with `printouts.describe_changes` naming what moved. Malformed input raises
`VerifyInputError` (exit 2); an unknown code, a forged QR, a changed sheet or a broken record
give a `Verification` with exit code 1.

A PDF the kiosk printed is also read page by page: the record's print of its sheets is drawn
again with the recorded imprint (the record as it is now when it still gives the printed
digest, else the ledger replayed up to the print's checkpoint into a scratch master) and
`head_judge.page_reading` names every place where the file's pages differ (`altered` when the
record itself is intact). A code, a QR text or a scan is not read: its answer lists the
figures the paper must show (`head_judge.sheet_figures`), to compare by eye. So does a PDF
where poppler's `pdftotext`/`pdftoppm` are not installed: its verdict comes from its QR
payloads alone, and a note says that its pages were not read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import io
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Final, Literal

from printouts import (
    CheckpointError,
    EnrolmentCard,
    Imprint,
    QrVerdict,
    compute_sheet_code,
    describe_changes,
    parse_checkpoint,
    parse_sheet_code,
    sheet_content,
    sheet_digest,
    verify_qr_payload,
)
from printouts.model import Sheet
from printouts.sheet_code import QR_PREFIX
from sync.canonical import canonical_bytes
from sync.codes import EnrolmentCode, TypedCodeError
from sync.event import Event, Text
from sync.problems import os_reason
from sync.records import RecordError
from sync.zones import event_zone, in_zone

from .actions import HeadJudge
from .checkpoints import checkpoint_record, leaves, verify_checkpoint_copy
from .ledger import Entry, Ledger
from .master import Master, MasterError
from .page_reading import PageReadError, ToolMissing, page_differences, read_pages
from .printing import describe_sheet
from .projections import MasterProjections
from .refusals import Message, read_back
from .sheet_figures import sheet_figures
from .sheet_record import SHEET_PRINTED, SheetRecord, Signatories

__all__ = ["FILE_SUFFIXES", "Verification", "VerifyInputError", "verify", "verify_code",
           "verify_file", "verify_many", "verify_qr"]

FILE_SUFFIXES: Final = (".pdf", ".png", ".jpg", ".jpeg")
SCAN_DPI: Final = 200


class VerifyInputError(MasterError):
    """What was given to `verify` is not a sheet code, QR payload or readable file (exit 2)."""


Outcome = Literal["matches", "altered", "changed", "unknown", "refused", "broken"]
"""`altered`: the record is intact and still gives the sheet, but the PDF's pages show
something else than the record's print of it (`page`)."""


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
    page: tuple[str, ...] = ()
    """Where the PDF's pages differ from the record's print of the sheet
    (`head_judge.page_reading`)."""
    page_read: bool = False
    """The PDF's pages were compared with the record's print (a PDF with its metadata; not
    a code, a QR text or a scan)."""
    figures: tuple[str, ...] = ()
    """What the paper must show (`head_judge.sheet_figures`), for a code, QR or scan."""

    @property
    def exit_code(self) -> int:
        return 0 if self.outcome == "matches" else 1

    @property
    def ok(self) -> bool:
        return self.outcome == "matches"

    def lines(self, lang: str = "en") -> list[str]:
        """The verdict first, then what it is about, as `head-judge verify` prints it, in
        `lang`."""
        return [line.render(lang) for line in self.said()]

    def said(self) -> list[Message]:
        """`lines`, each a catalogue message (the same lines in every language)."""
        what = describe_sheet(self.kind, self.subject) if self.kind else Message("verify_sheet")
        if self.outcome == "unknown":
            return [Message("verify_unknown"), Message("verify_code", code=self.code)]
        if self.outcome == "refused":
            return [Message("verify_refused", problems=list(self.problems)),
                    Message("verify_refused_about", what=what, code=Message(
                        "verify_with_code", code=self.code) if self.code else "")]
        about = Message("verify_about", what=what, code=self.code, at=self.printed_at,
                        entry=self.entry)
        if self.outcome == "broken":
            return [Message("verify_broken"), about, *_each("verify_note", self.problems)]
        proof = Message("verify_proof", size=self.size)
        tail = [*_each("verify_note", self.notes), *self._figure_lines()]
        if self.outcome == "matches":
            return [Message("verify_matches", size=self.size), about, proof,
                    *self._page_lines(), *tail]
        if self.outcome == "altered":
            return [Message("verify_altered"), *_each("verify_item", self.page), about, proof,
                    Message("verify_record_unchanged"), *tail]
        return [Message("verify_changed"), *_each("verify_item", self.changes), about,
                Message("verify_printed_at", size=self.size, now=self.ledger_size), proof,
                *self._page_lines(), *tail]

    def _page_lines(self) -> list[Message]:
        if not self.page_read:
            return []
        if not self.page:
            return [Message("verify_pages_same")]
        return [Message("verify_pages_differ"), *_each("verify_item", self.page)]

    def _figure_lines(self) -> list[Message]:
        if not self.figures:
            return []
        return [Message("verify_figures"), *(Message("verify_figure", figure=f)
                                             for f in self.figures)]


def _each(key: str, items: Sequence[str]) -> list[Message]:
    """A line `key` for each item (a message, said in each language, or a plain text)."""
    field = key.removeprefix("verify_")
    return [Message(key, **{field: item}) for item in items]


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
        self._record: SheetRecord | None = None

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
    def record(self) -> SheetRecord:
        if self._record is None:
            self._record = SheetRecord(self.head)
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
            raise VerifyInputError("verify_bad_code", text=repr(text.strip()),
                                   error=_code_typo(str(exc))) from None
        found = self.printed(code)
        if not found:
            return Verification("unknown", code)
        return self.check(found[0], None)

    def qr(self, text: str) -> Verification:
        verdict = verify_qr_payload(text, self.master.keys().over)
        if verdict.checkpoint is None:
            raise VerifyInputError("verify_bad_qr", error=verdict.reason)
        if not verdict.ok:
            expected = compute_sheet_code(verdict.kind, verdict.digest, verdict.checkpoint.hash)
            return Verification("refused", verdict.code, verdict.kind, problems=(
                Message("verify_qr_code_mismatch", code=verdict.code, expected=expected)
                if verdict.code != expected else Message("verify_qr_not_signed"),))
        event = self.head.event.id
        if verdict.checkpoint.event != event:
            return Verification("refused", verdict.code, verdict.kind, problems=(Message(
                "verify_other_final", given=repr(verdict.checkpoint.event), event=repr(event)),))
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
                                    Message("verify_not_the_print", entry=row.seq),))
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
        figures = tuple(sheet_figures(self.head.event, str(p["kind"]), printed))
        base = replace(base, figures=figures)
        if current is not None and sheet_digest(current) == p["digest"]:
            return replace(base, outcome="matches", notes=tuple(notes))
        if current is None:
            changes: list[str] = [Message("verify_subject_gone",
                                          what=describe_sheet(p["kind"], p["subject"]))]
        else:
            changes = _changes(printed, json.loads(canonical_bytes(current))) or [
                Message("verify_layout_differs")]
        return replace(base, outcome="changed", changes=tuple(changes), notes=tuple(notes))

    def _proof_problems(self, p: Mapping[str, Any], qr: QrVerdict | None) -> list[str]:
        problems: list[str] = []
        try:
            kind, digest, code = str(p["kind"]), str(p["digest"]), str(p["code"])
            content, seq, size = p["content"], int(p["checkpoint"]), int(p["size"])
        except (KeyError, TypeError, ValueError):
            return [Message("verify_bad_print_entry")]
        if not isinstance(content, Mapping) or sheet_digest(content) != digest:
            problems.append(Message("verify_digest_changed"))
        entries = self.entries
        holder = entries[seq - 1] if 0 < seq <= len(entries) else None
        if holder is None or holder.seq != seq or holder.kind != "checkpoint":
            return [*problems, Message("verify_no_checkpoint", entry=seq)]
        try:
            record = checkpoint_record(holder)
            checkpoint = parse_checkpoint(record)
        except (RecordError, CheckpointError) as exc:
            return [*problems, Message("verify_checkpoint_unreadable", entry=seq, error=exc)]
        if checkpoint.size != size or size != seq - 1:
            problems.append(Message("verify_checkpoint_size", entry=seq,
                                    covers=checkpoint.size, says=size))
        if compute_sheet_code(kind, digest, checkpoint.hash) != code:
            problems.append(Message("verify_code_unbound"))
        problems += verify_checkpoint_copy(self.hashes, record, self.master.keys(),
                                           Message("au_where_entry", seq=seq))
        if qr is not None and qr.checkpoint is not None:
            if qr.digest != digest:
                problems.append(Message("verify_qr_digest"))
            if qr.checkpoint.hash != checkpoint.hash:
                problems.append(Message("verify_qr_checkpoint"))
            problems += verify_checkpoint_copy(self.hashes, qr.checkpoint.record,
                                               self.master.keys(),
                                               Message("au_where_qr"))
        return list(dict.fromkeys(problems))

    def _current(self, p: Mapping[str, Any]) -> tuple[dict[str, object] | None, list[str]]:
        kind, subject = str(p["kind"]), str(p["subject"])
        if kind == "enrolment":
            return self._card(p)
        sheet = self.record.sheet(kind, subject, _signatories(p))
        return (None if sheet is None
                else sheet_content(self.record.event_for(kind), sheet)), []

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
                return [Message("verify_card_used", entry=entry.seq, device=q.get("device"))]
            if entry.kind == "codes_issued" and any(c.get("seat") == judge
                                                    for c in q.get("codes", [])):
                return [Message("verify_card_replaced", entry=entry.seq)]
        return [Message("verify_card_unused")]

    # --- reading a PDF's pages ------------------------------------------------------------

    def read_pages(self, verdicts: list[Verification], data: bytes,
                   path: Path) -> list[Verification]:
        """`verdicts` for the sheets of one PDF, with what its pages show compared with the
        record's print of them (rendered again from the record with the recorded imprint)."""
        if not verdicts or any(v.outcome not in ("matches", "changed") or v.entry is None
                               for v in verdicts):
            return verdicts  # a forged, unknown or unprovable sheet: nothing to compare with
        prints = [self.entries[v.entry - 1].payload for v in verdicts if v.entry is not None]
        try:
            built = self._as_printed(prints, data)
        except ToolMissing as exc:
            return _unread(verdicts, exc)
        except PageReadError as exc:
            raise VerifyInputError("verify_file_unreadable", path=path, error=exc.reason) from None
        if isinstance(built, str):
            return [replace(v, notes=(*v.notes, built)) for v in verdicts]
        event, sheets, imprint, wrong_codes = built
        counts: list[int] = []
        from printouts.printing import render_pack  # ReportLab: only to compare pages

        expected = render_pack(event, sheets, imprint, counts)
        ids = [c.id for c in event.contestants] + [j.id for j in event.judges] + [
            str(line.get("code")) for p in prints if isinstance(p["content"], Mapping)
            for line in p["content"].get("sheets") or [] if isinstance(line, Mapping)]
        try:
            found = page_differences(expected, data, ids)
        except ToolMissing as exc:
            return _unread(verdicts, exc)
        except PageReadError as exc:
            raise VerifyInputError("verify_file_unreadable", path=path, error=exc.reason) from None
        out: list[Verification] = []
        first = 1
        for n, (verdict, pages) in enumerate(zip(verdicts, counts, strict=True)):
            last = first + pages - 1 if n < len(verdicts) - 1 else 10**9
            mine: list[str] = [*wrong_codes.get(n, []), *(
                Message("verify_page", page=page, text=text) for page, text in found
                if first <= page <= last)]
            first += pages
            outcome: Outcome = "altered" if mine and verdict.outcome == "matches" \
                else verdict.outcome
            out.append(replace(verdict, outcome=outcome, page=tuple(mine), page_read=True,
                               figures=()))
        return out

    def _as_printed(self, prints: list[Mapping[str, Any]], data: bytes
                    ) -> tuple[Event, list[Sheet], Imprint, dict[int, list[str]]] | str:
        """The sheets as they were printed, the event and imprint they were printed with, and
        what is wrong with the enrolment codes on cards; or why they cannot be rebuilt."""
        stamps = {(str(p["printed_at"]), int(p["checkpoint"])) for p in prints}
        if len(stamps) != 1:
            return Message("verify_pages_not_read", why=Message("verify_mixed_times"))
        [(printed_at, seq)] = stamps
        try:
            imprint = Imprint(dt.datetime.fromisoformat(printed_at),
                              checkpoint_record(self.entries[seq - 1]))
        except (ValueError, RecordError):
            return Message("verify_pages_not_read", why=Message("verify_imprint_unreadable"))
        codes = _card_codes(data) if any(p["kind"] == "enrolment" for p in prints) else []
        event = self.head.event
        events: list[Event] = []  # the names each sheet was printed with (a blind final)
        sheets: list[Sheet] = []
        wrong: dict[int, list[str]] = {}
        for n, p in enumerate(prints):
            if p["kind"] == "enrolment":
                code = codes.pop(0) if codes else ""
                sheets.append(self._card_as_printed(p, code))
                wrong[n] = self._code_problems(p, code)
                continue
            event = self.record.event_for(str(p["kind"]))
            sheet = self._sheet_now(p)
            if sheet is None or sheet_digest(sheet_content(event, sheet)) != p["digest"]:
                past = self._sheet_then(p, seq)
                if past is None:
                    return Message("verify_pages_not_read", why=Message("verify_not_rebuilt"))
                event, sheet = past
            events.append(event)
            sheets.append(sheet)
        if any(e != events[0] for e in events):
            return Message("verify_pages_not_read", why=Message("verify_mixed_names"))
        return (events[0] if events else event), sheets, imprint, wrong

    def _sheet_now(self, p: Mapping[str, Any]) -> Sheet | None:
        return self.record.sheet(str(p["kind"]), str(p["subject"]), _signatories(p))

    def _sheet_then(self, p: Mapping[str, Any], seq: int) -> tuple[Event, Sheet] | None:
        """The sheet as the record gave it when it was printed: the ledger up to the print's
        checkpoint replayed into a scratch master (a temporary folder), the sheet built from
        it and checked against the recorded digest."""
        with tempfile.TemporaryDirectory(prefix="head-judge-verify-") as tmp:
            ledger = Ledger(Path(tmp) / "then.db", MasterProjections())
            try:
                with ledger.transaction():
                    for entry in self.entries[:seq]:
                        ledger.append(entry.kind, entry.actor, entry.payload, entry.at)
                then = HeadJudge(Master(self.master.home, self.master.identity, ledger),
                                 actor=self.head.actor, clock=self.head.clock)
                with ledger.snapshot():
                    record = SheetRecord(then)
                    sheet = record.sheet(str(p["kind"]), str(p["subject"]), _signatories(p))
                    event = record.event_for(str(p["kind"]))
            finally:
                ledger.close()
        if sheet is None or sheet_digest(sheet_content(event, sheet)) != p["digest"]:
            return None
        return event, sheet

    def _card_as_printed(self, p: Mapping[str, Any], code: str) -> EnrolmentCard:
        card = p["content"].get("card", {}) if isinstance(p["content"], Mapping) else {}
        return EnrolmentCard(str(p["subject"]), str(card.get("seat", "")), code,
                             str(card.get("fingerprint", "")), str(card.get("expires", "")),
                             str(card.get("code_id", "")))

    def _code_problems(self, p: Mapping[str, Any], code: str) -> list[str]:
        """The enrolment code is on the paper only: it must be a well-formed code for the
        card's seat, and the one issued when the master still keeps it."""
        card = p["content"].get("card", {}) if isinstance(p["content"], Mapping) else {}
        if not code:
            return [Message("verify_no_card_code")]
        try:
            parsed = EnrolmentCode.parse(code)
        except TypedCodeError:
            return [Message("verify_card_code_invalid", code=code)]
        if str(parsed.seat) != str(card.get("seat")):
            return [Message("verify_card_code_seat", code=code, seat=parsed.seat,
                            card=card.get("seat"))]
        kept = self.master.codes.password(str(card.get("code_id", "")))
        if kept is not None and kept != parsed.password:
            return [Message("verify_card_code_other", code=code)]
        return []


_CODE_TYPOS: Final = ("sheet_code_char", "sheet_code_length_block", "sheet_code_length",
                      "sheet_code_block_typo", "sheet_code_padding")


def _code_typo(text: str) -> Message | str:
    """What `sync.codes` said of a typed sheet code, as the catalogue's message it is the
    English of (else the text as it is)."""
    return next((m for key in _CODE_TYPOS if (m := read_back(key, text)) is not None), text)


def _unread(verdicts: list[Verification], why: ToolMissing) -> list[Verification]:
    """The verdicts from the file's QR payloads alone, saying that its pages were not read
    (their figures listed, to compare with the pages by eye)."""
    note = Message("verify_text_unchecked", why=why.reason)
    return [replace(v, notes=(*v.notes, note)) for v in verdicts]


_CARD_CODE: Final = re.compile(r"^\d{1,2}-\d{4}-\d{5}$")


def _card_codes(pdf: bytes) -> list[str]:
    """The enrolment codes printed on a PDF's cards, in page order."""
    return [w.text for page in read_pages(pdf) for w in page.words
            if _CARD_CODE.match(w.text)]


def _signatories(p: Mapping[str, Any]) -> Signatories:
    """The names a print recorded under its signature lines."""
    names = p.get("signatories") or {}
    given: dict[str, Any] = {f.name: tuple(names[f.name]) if isinstance(names[f.name], list)
                             else str(names[f.name])
                             for f in fields(Signatories) if f.name in names}
    return Signatories(**given)


def _changes(printed: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """`describe_changes`, causes first: the judges' sheets (revisions, overrides,
    withdrawals), then what followed from them (results, flags, history)."""
    def split(content: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        return ({"scores": content.get("scores", {})},
                {k: v for k, v in content.items() if k != "scores"})

    (old_scores, old_rest), (new_scores, new_rest) = split(printed), split(current)
    said = {lang: describe_changes(old_scores, new_scores, lang)
            + describe_changes(old_rest, new_rest, lang) for lang in ("zh", "en")}
    if len(said["zh"]) != len(said["en"]):  # pragma: no cover - one sentence per change
        said["zh"] = said["en"]
    return [Message("verify_change", change=Text(zh, en))
            for zh, en in zip(said["zh"], said["en"], strict=True)]


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
    zxing-cpp, when they are installed).

    A PDF with its metadata is also read page by page (`head_judge.page_reading`) against
    the record's print of its sheets, rebuilt with the recorded imprint: same record, same
    bytes; any word changed, added, removed or drawn over is named (`page`), and a sheet
    whose record is intact but whose pages differ is `altered`. A scan lists the figures the
    paper must show instead (`figures`)."""
    with _verifier(head) as check:
        return _file(check, Path(path))


def _file(check: _Verifier, path: Path) -> list[Verification]:
    data, payloads, from_metadata = _payloads_in(path)
    verdicts = [check.qr(payload) for payload in payloads]
    if not from_metadata:
        return verdicts
    return check.read_pages(verdicts, data, path)


def verify(head: HeadJudge, text: str) -> list[Verification]:
    """Verify a sheet code, a QR payload or a file (see the module docstring)."""
    [found] = verify_many(head, [text])
    return found


OUTDATABLE: Final = ("judge", "contestant", "results", "discrepancy", "appeal")
"""The kinds of printed sheet a later change of the record can make out of date (not the
blank forms, the enrolment cards or a pack's inventory)."""


def outdated(head: HeadJudge) -> list[Verification]:
    """Every sheet whose latest print no longer matches the record (`changed`: a newer
    results version, a decision, a correction), in print order; against one read of it."""
    with _verifier(head) as check:
        rows = check.master.ledger.conn.execute(
            "SELECT ledger_seq, code, kind, subject, digest FROM printed_sheets p WHERE "
            "ledger_seq = (SELECT MAX(ledger_seq) FROM printed_sheets q WHERE "
            "q.kind = p.kind AND q.subject = p.subject) ORDER BY ledger_seq").fetchall()
        found = [check.check(_Printed(*row), None) for row in rows if row[2] in OUTDATABLE]
    return [v for v in found if v.outcome == "changed"]


def verify_many(head: HeadJudge, texts: Sequence[str]) -> list[list[Verification]]:
    """`verify` each of `texts` in turn, against one read of the record: a stack of sheets
    reads the ledger, its hashes and the record's sheets once, not once a sheet."""
    with _verifier(head) as check:
        return [_one(check, text) for text in texts]


def _one(check: _Verifier, text: str) -> list[Verification]:
    given = text.strip()
    if not given:
        raise VerifyInputError("verify_nothing_given")
    if given.upper().startswith(QR_PREFIX):
        return [check.qr(given)]
    path = Path(given)
    is_file = False
    with contextlib.suppress(OSError, ValueError):
        is_file = path.is_file()
    if is_file or path.suffix.lower() in FILE_SUFFIXES:
        return _file(check, path)
    return [check.code(given)]


# --- reading payloads from files ----------------------------------------------------------------


def _payloads_in(path: Path) -> tuple[bytes, list[str], bool]:
    """The file's bytes, its QR payloads, and whether they came from a PDF's metadata."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VerifyInputError("verify_cannot_read", path=path,
                               error=os_reason(exc)) from None
    is_pdf = data.startswith(b"%PDF")
    if is_pdf:
        from printouts.printing import qr_payloads_of_pdf

        found = qr_payloads_of_pdf(data)
        if found:
            return data, found, True
    elif path.suffix.lower() == ".pdf":
        raise VerifyInputError("verify_not_pdf", path=path)
    found = _scan(path, data, is_pdf)
    if not found:
        raise VerifyInputError("verify_no_qr", path=path)
    return data, found, False


def _scan(path: Path, data: bytes, is_pdf: bool) -> list[str]:
    """QR payloads decoded off the pages of a scan (pdftoppm renders a PDF's pages)."""
    try:
        zxingcpp: Any = importlib.import_module("zxingcpp")
        image_module: Any = importlib.import_module("PIL.Image")
    except ImportError:
        raise VerifyInputError("verify_needs_zxing", path=path,
                               packages=Text("zxing-cpp 和 Pillow", "zxing-cpp and Pillow")
                               ) from None
    images: list[bytes] = []
    if is_pdf:
        tool = shutil.which("pdftoppm")
        if tool is None:
            raise VerifyInputError("verify_needs_pdftoppm", path=path, tool="pdftoppm (poppler)")
        with tempfile.TemporaryDirectory(prefix="head-judge-verify-") as tmp:
            source = Path(tmp) / "in.pdf"
            source.write_bytes(data)
            done = subprocess.run([tool, "-r", str(SCAN_DPI), "-png", "-gray", str(source),
                                   str(Path(tmp) / "page")], capture_output=True, check=False)
            if done.returncode:
                raise VerifyInputError("verify_pdftoppm_failed", path=path, tool="pdftoppm",
                                       error=done.stderr.decode(errors="replace").strip())
            images = [p.read_bytes() for p in sorted(Path(tmp).glob("page-*.png"))]
    else:
        images = [data]
    found: list[str] = []
    for image in images:
        try:
            picture = image_module.open(io.BytesIO(image))
        except Exception:  # not an image at all: say what is expected, never a traceback
            raise VerifyInputError("verify_not_a_sheet_file", path=path,
                                   formats="PNG, JPEG") from None
        try:
            results = zxingcpp.read_barcodes(picture)
        except Exception as exc:  # an unreadable image: say so, never a traceback
            raise VerifyInputError("verify_image_unreadable", path=path, error=exc) from None
        found += [r.text for r in results if str(r.text).startswith(QR_PREFIX)]
    return list(dict.fromkeys(found))

