"""From plain sheet data and the ledger checkpoint to PDF bytes, with codes on every page.

`prepare` computes what the ledger records for a printed sheet (content, digest, sheet code,
QR text) without drawing anything; `render_pack` draws many sheets into one PDF, each with
its own page numbering and code; `render` draws one. Same input, same bytes.

The QR payload of every sheet in a PDF is also written, in order and separated by spaces,
into the PDF's `Keywords` metadata, so a verifier given the file reads the payloads back
(`qr_payloads_of_pdf`) without rendering a page or decoding a QR code. The paper carries
only the printed QR; the metadata is a convenience for the file, verified the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sync.event import Event

from . import sheets as builders
from .content import Content, kind_of, sheet_content, subject_of
from .layout import Masthead, build_pdf
from .model import (
    BlankForm,
    ContestantSheet,
    EnrolmentCard,
    Imprint,
    Inventory,
    JudgeSheet,
    ResultsSheet,
    Sheet,
)
from .sheet_code import QR_PREFIX, Checkpoint, code_and_payload, parse_checkpoint, sheet_digest
from .words import WORDS, contestant_name, judge_name, langs, scope_name, sheet_zone, w

__all__ = ["PrintedSheet", "page_counts", "prepare", "qr_payloads_of_pdf", "render",
           "render_pack"]

_KEYWORDS = re.compile(rb"/Keywords\s*\(([A-Z0-9: ]*)\)")


@dataclass(frozen=True)
class PrintedSheet:
    """What the ledger's "sheet printed" entry needs, and what the verifier compares."""

    kind: str
    subject: str
    content: Content
    digest: str
    code: str
    qr: str
    ledger_size: int


def prepare(event: Event, sheet: Sheet, imprint: Imprint) -> PrintedSheet:
    """Content, digest, sheet code and QR payload of `sheet` printed at `imprint`."""
    return _prepare(event, sheet, _checkpoint(event, imprint))


def _checkpoint(event: Event, imprint: Imprint) -> Checkpoint:
    checkpoint = parse_checkpoint(imprint.checkpoint)
    if checkpoint.event != event.id:
        raise ValueError(f"the checkpoint is for event {checkpoint.event}, not {event.id}")
    return checkpoint


def _prepare(event: Event, sheet: Sheet, checkpoint: Checkpoint) -> PrintedSheet:
    content = sheet_content(event, sheet)
    digest = sheet_digest(content)
    kind = kind_of(sheet)
    code, qr = code_and_payload(kind, digest, checkpoint)
    return PrintedSheet(kind=kind, subject=subject_of(sheet), content=content, digest=digest,
                        code=code, qr=qr, ledger_size=checkpoint.size)


def render(event: Event, sheet: Sheet, imprint: Imprint) -> bytes:
    return render_pack(event, [sheet], imprint)


def render_pack(event: Event, sheets: Sequence[Sheet], imprint: Imprint,
                pages: list[int] | None = None) -> bytes:
    """One PDF holding `sheets` in order; every sheet starts on a new page. Every time on
    them, the imprint's included, is in the event's time zone (`sheet_zone`). `pages`, when
    given, receives each sheet's number of pages."""
    zone = sheet_zone(event, imprint.printed_at)
    imprint = replace(imprint, printed_at=imprint.printed_at.astimezone(zone))
    checkpoint = _checkpoint(event, imprint)
    parts = []
    payloads = []
    for sheet in sheets:
        printed = _prepare(event, sheet, checkpoint)
        payloads.append(printed.qr)
        parts.append((_masthead(event, sheet, printed, imprint, checkpoint),
                      builders.story(event, sheet, zone)))
    lg = langs(event)
    return build_pdf(parts, title=f"{event.name.both(lg)} · {event.round.both(lg)}",
                     author=event.organiser.both(lg), printed_at=imprint.printed_at,
                     keywords=" ".join(payloads), pages=pages)


def page_counts(event: Event, sheets: Sequence[Sheet], imprint: Imprint) -> list[int]:
    """How many pages each of `sheets` takes, laid out as `render_pack` lays it out (a
    sheet's body does not depend on the imprint's checkpoint, only on its time zone)."""
    pages: list[int] = []
    if sheets:
        render_pack(event, sheets, imprint, pages)
    return pages


def qr_payloads_of_pdf(pdf: bytes) -> list[str]:
    """The QR payloads `render_pack` wrote into a PDF's `Keywords`, in sheet order; [] for a
    PDF without them (another program's file, a scan of the paper, a re-saved copy that
    compressed its metadata). Payloads are not checked here (`verify_qr_payload`)."""
    found: list[str] = []
    for match in _KEYWORDS.finditer(pdf):
        found += [word for word in match.group(1).decode("ascii").split()
                  if word.startswith(QR_PREFIX)]
    return list(dict.fromkeys(found))


def _subject(event: Event, sheet: Sheet) -> str:
    lg = langs(event)
    if isinstance(sheet, JudgeSheet | EnrolmentCard | BlankForm):
        return f"{w('judge', lg)} {sheet.judge} {judge_name(event, sheet.judge)}"
    if isinstance(sheet, ContestantSheet):
        name = contestant_name(event, sheet.contestant)
        return f"{w('contestant', lg)} {sheet.contestant} {name}"
    if isinstance(sheet, ResultsSheet):
        return f"{w('track', lg)} {scope_name(event, sheet.scope.track, sheet.scope.group)}"
    if isinstance(sheet, Inventory):
        return f"{w('ledger', lg)} {sheet.checkpoint - 1}"
    subject = subject_of(sheet)
    return "" if subject == "all" else f"{w('appeal', lg)} {subject}"


def _masthead(event: Event, sheet: Sheet, printed: PrintedSheet, imprint: Imprint,
              checkpoint: Checkpoint) -> Masthead:
    lg = langs(event)
    names = list(dict.fromkeys(n for n in (event.name.get(x) for x in lg) if n))
    details = " · ".join([event.round.both(lg), event.date.isoformat(), event.venue.both(lg)])
    title = WORDS[f"title.{printed.kind}"]
    stamp = imprint.printed_at.isoformat(sep=" ", timespec="seconds")
    return Masthead(
        event_lines=(*names, details),
        title_lines=tuple(dict.fromkeys(title.get(x) for x in lg)),
        subject=_subject(event, sheet),
        code=printed.code,
        qr=printed.qr,
        imprint=f"{w('printed_at', lg)} {stamp} · {w('ledger', lg)} {checkpoint.size} · "
                f"{w('root', lg)} {checkpoint.root[:16]}…",
        page_word=tuple(dict.fromkeys(WORDS["page"].get(x) for x in lg)),
        code_label=w("sheet_code", lg),
        hint=w("verify_hint", lg),
        landscape=builders.is_landscape(sheet),
        initials=w("initials", lg),
        seam=w("seam_seal", lg),
        watermark=tuple(dict.fromkeys(WORDS["draft"].get(x) for x in lg))
        if isinstance(sheet, ResultsSheet) and sheet.version is None else (),
    )
