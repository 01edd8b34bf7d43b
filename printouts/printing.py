"""From plain sheet data and the ledger checkpoint to PDF bytes, with codes on every page.

`prepare` computes what the ledger records for a printed sheet (content, digest, sheet code,
QR text) without drawing anything; `render_pack` draws many sheets into one PDF, each with
its own page numbering and code; `render` draws one. Same input, same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sync.event import Event

from . import sheets as builders
from .content import Content, kind_of, sheet_content, subject_of
from .layout import Masthead, build_pdf
from .model import ContestantSheet, EnrolmentCard, Imprint, JudgeSheet, ResultsSheet, Sheet
from .sheet_code import compute_sheet_code, parse_checkpoint, qr_payload, sheet_digest
from .words import WORDS, contestant_name, judge_name, langs, scope_name, w

__all__ = ["PrintedSheet", "prepare", "render", "render_pack"]


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
    checkpoint = parse_checkpoint(imprint.checkpoint)
    if checkpoint.event != event.id:
        raise ValueError(f"the checkpoint is for event {checkpoint.event}, not {event.id}")
    content = sheet_content(event, sheet)
    digest = sheet_digest(content)
    return PrintedSheet(
        kind=kind_of(sheet), subject=subject_of(sheet), content=content, digest=digest,
        code=compute_sheet_code(kind_of(sheet), digest, checkpoint.hash),
        qr=qr_payload(kind_of(sheet), digest, imprint.checkpoint),
        ledger_size=checkpoint.size,
    )


def render(event: Event, sheet: Sheet, imprint: Imprint) -> bytes:
    return render_pack(event, [sheet], imprint)


def render_pack(event: Event, sheets: Sequence[Sheet], imprint: Imprint) -> bytes:
    """One PDF holding `sheets` in order; every sheet starts on a new page."""
    parts = []
    for sheet in sheets:
        printed = prepare(event, sheet, imprint)
        parts.append((_masthead(event, sheet, printed, imprint), builders.story(event, sheet)))
    lg = langs(event)
    return build_pdf(parts, title=f"{event.name.both(lg)} · {event.round.both(lg)}",
                     author=event.organiser.both(lg), printed_at=imprint.printed_at)


def _subject(event: Event, sheet: Sheet) -> str:
    lg = langs(event)
    if isinstance(sheet, JudgeSheet | EnrolmentCard):
        return f"{w('judge', lg)} {sheet.judge} {judge_name(event, sheet.judge)}"
    if isinstance(sheet, ContestantSheet):
        name = contestant_name(event, sheet.contestant)
        return f"{w('contestant', lg)} {sheet.contestant} {name}"
    if isinstance(sheet, ResultsSheet):
        return f"{w('track', lg)} {scope_name(event, sheet.scope.track, sheet.scope.group)}"
    subject = subject_of(sheet)
    return "" if subject == "all" else f"{w('appeal', lg)} {subject}"


def _masthead(event: Event, sheet: Sheet, printed: PrintedSheet, imprint: Imprint) -> Masthead:
    lg = langs(event)
    names = list(dict.fromkeys(n for n in (event.name.get(x) for x in lg) if n))
    details = " · ".join([event.round.both(lg), event.date.isoformat(), event.venue.both(lg)])
    title = WORDS[f"title.{printed.kind}"]
    checkpoint = parse_checkpoint(imprint.checkpoint)
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
    )
