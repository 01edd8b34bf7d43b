"""Page furniture shared by every sheet, and the assembly of sheets into one PDF.

Every page carries a masthead (event, round, date, venue, the sheet's title and subject, in the
event's languages) and a folio (sheet code, "page x of y" within its sheet, printed-at time,
ledger position, QR code). Pages are held back until the document is complete so each
sheet's page count is known; each sheet's masthead and QR are drawn once as form XObjects
and placed on each of its pages. Output is byte-for-byte deterministic: reportlab's
invariant mode, the creation date taken from the imprint, nothing random.

Knows nothing of what a sheet says: the sheet builders (`printouts.sheets`) hand it
flowables. No I/O besides returning bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
)

from .fonts import MONO, TEXT, register_fonts, segments
from .qr import draw_qr, qr_modules
from .runs import draw_runs, string_width, text_width

__all__ = [
    "MARGIN",
    "Lines",
    "Masthead",
    "Styles",
    "build_pdf",
    "clear_caches",
    "content_width",
    "p",
    "styles",
    "wrap_text",
]

MARGIN: float = 12 * mm
_TOP: float = 8 * mm
_HEAD: float = 19 * mm
_QR: float = 27 * mm
_BOTTOM: float = 8 * mm
_FOOT: float = _QR + 4 * mm
_GREY = colors.Color(0.35, 0.35, 0.35)


@dataclass(frozen=True)
class Masthead:
    """What every page of one sheet shows besides its body."""

    event_lines: tuple[str, ...]
    """Event name (one line per language), then round · date · venue."""
    title_lines: tuple[str, ...]
    subject: str
    code: str
    qr: str
    imprint: str
    page_word: tuple[str, ...]
    """`page x of y` templates, one per language, with `{x}` and `{y}`."""
    code_label: str
    hint: str
    landscape: bool = False
    initials: str = ""
    """Label of the initials line drawn on every page of a sheet of several pages."""
    seam: str = ""
    """Label of the seam-seal strip at the outer edge of every page of such a sheet."""
    watermark: tuple[str, ...] = ()
    """Lines set diagonally across every page (a draft), empty for none."""

    @property
    def pagesize(self) -> tuple[float, float]:
        width, height = landscape(A4) if self.landscape else A4
        return float(width), float(height)


def content_width(landscape_page: bool = False) -> float:
    return float((landscape(A4) if landscape_page else A4)[0]) - 2 * MARGIN


# --- styles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    centre: ParagraphStyle
    small: ParagraphStyle
    small_c: ParagraphStyle
    note: ParagraphStyle
    cell: ParagraphStyle
    cell_c: ParagraphStyle
    cell_r: ParagraphStyle
    head: ParagraphStyle
    h2: ParagraphStyle
    big: ParagraphStyle
    mono: ParagraphStyle
    warn: ParagraphStyle


@functools.cache
def styles() -> Styles:
    register_fonts()

    def make(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=TEXT, fontSize=size, leading=leading,
                              wordWrap="CJK", **kw)

    return Styles(
        body=make("fk-body", 8.5, 12),
        centre=make("fk-centre", 8.5, 12, alignment=TA_CENTER),
        small=make("fk-small", 7, 9),
        small_c=make("fk-small-c", 7, 9, alignment=TA_CENTER),
        note=make("fk-note", 7, 9.2, spaceAfter=1.5),
        cell=make("fk-cell", 7.5, 9.4),
        cell_c=make("fk-cell-c", 7.5, 9.4, alignment=TA_CENTER),
        cell_r=make("fk-cell-r", 7.5, 9.4, alignment=TA_RIGHT),
        head=make("fk-head", 6.8, 8.4, alignment=TA_CENTER),
        h2=make("fk-h2", 10, 13, spaceBefore=7, spaceAfter=3),
        big=make("fk-big", 18, 24, alignment=TA_CENTER),
        mono=ParagraphStyle("fk-mono", fontName=MONO, fontSize=12, leading=16,
                            alignment=TA_CENTER),
        warn=make("fk-warn", 9, 12, textColor=colors.Color(0.7, 0, 0), spaceBefore=2,
                  spaceAfter=4, alignment=TA_LEFT),
    )


def p(text: str, style: ParagraphStyle) -> Flowable:
    """A paragraph of plain text: markup characters are escaped, newlines kept."""
    return _Text(text, style)


class Lines(Flowable):  # type: ignore[misc]
    """Plain text set in `style`'s font, size, leading and colour, broken into lines by
    `wrap_text` (cached: the notes and legends repeated on a hundred contestant sheets are
    broken once). For running text outside tables; several times cheaper than a Paragraph
    and, unlike sharing Paragraph objects between sheets, it keeps no layout state."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text, self.style = text, style
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self._lines: tuple[str, ...] = ()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._lines = wrap_text(self.text, self.style.fontName, self.style.fontSize,
                                availWidth)
        self.width, self.height = availWidth, len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = wrap_text(self.text, self.style.fontName, self.style.fontSize, availWidth)
        room = int(availHeight // self.style.leading)
        if room < 1 or room >= len(lines):
            return []
        return [Lines("\n".join(lines[:room]), self.style),
                Lines("\n".join(lines[room:]), self.style)]

    def draw(self) -> None:
        style = self.style
        font, size = style.fontName, style.fontSize
        self.canv.setFillColor(style.textColor)
        top = self.height - size
        centre = self.width / 2 if style.alignment == TA_CENTER else None
        draw_runs(self.canv, [
            (font, size, size * 1.2, None,
             0 if centre is None else centre - string_width(line, font, size) / 2,
             top - i * style.leading, line)
            for i, line in enumerate(self._lines) if line
        ])


@functools.lru_cache(maxsize=2048)
def wrap_text(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """`text` broken into lines no wider than `width`: at its newlines, then greedily, at a
    space where there is one in the line, else between any two characters (Chinese), never
    starting a line with closing punctuation."""
    return tuple(line for part in text.split("\n") for line in _wrap(part, font, size, width))


class _Paragraph(Paragraph):  # type: ignore[misc]
    """Lays its lines out once per width: a table wraps each cell two or three times, and
    breaking Chinese text into lines is the costliest step of a sheet. (reportlab drops the
    lines when a split finds no room, so they are checked for, not assumed.)"""

    _fk_wrapped: tuple[float, float, float] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self._fk_wrapped
        if memo is not None and memo[0] == availWidth and hasattr(self, "blPara"):
            return memo[1], memo[2]
        width, height = super().wrap(availWidth, availHeight)
        self._fk_wrapped = (availWidth, width, height)
        return width, height


_ALIGNED = frozenset({TA_LEFT, TA_CENTER, TA_RIGHT})


class _Text(Flowable):  # type: ignore[misc]
    """What `p` makes: a paragraph of plain text that, while each of its lines fits the width
    it is given as it is, sets them itself, where and as a reportlab Paragraph would (a
    pack has a thousand such cells and captions, and a Paragraph costs ten times as much to
    parse, lay out and draw); text that needs breaking, or that a Paragraph would change
    (runs of spaces, blank lines, other white space), is handed to a Paragraph."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text, self.style = text, style
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        lines = text.split("\n")
        plain = (style.alignment in _ALIGNED and not style.leftIndent and not style.rightIndent
                 and not style.firstLineIndent and not style.backColor
                 and not style.borderWidth and not getattr(style, "autoLeading", "")
                 and all(line and line == line.strip() and "  " not in line
                         and line.isprintable() for line in lines))
        self._lines: tuple[str, ...] | None = tuple(lines) if plain else None
        self._para: _Paragraph | None = None

    def _paragraph(self) -> _Paragraph:
        if self._para is None:
            self._para = _Paragraph(_markup(self.text, self.style.fontName), self.style)
            self._lines = None
        return self._para

    def _fits(self, width: float) -> bool:
        lines, style = self._lines, self.style
        return lines is not None and all(
            string_width(line, style.fontName, style.fontSize) <= width for line in lines)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._fits(availWidth):
            assert self._lines is not None
            self.width, self.height = availWidth, len(self._lines) * self.style.leading
        else:
            self.width, self.height = self._paragraph().wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return list(self._paragraph().split(availWidth, availHeight))

    def minWidth(self) -> float:
        if self._lines is not None:
            style = self.style
            return max(string_width(line, style.fontName, style.fontSize)
                       for line in self._lines)
        return float(self._paragraph().minWidth())

    def draw(self) -> None:
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        assert self._lines is not None
        style = self.style
        font, size = style.fontName, style.fontSize
        self.canv.setFillColor(style.textColor)
        top = self.height - size
        runs = []
        for i, line in enumerate(self._lines):
            x = 0.0
            if style.alignment != TA_LEFT:
                spare = self.width - string_width(line, font, size)
                x = spare / 2 if style.alignment == TA_CENTER else spare
            runs.append((font, size, style.leading, None, x, top - i * style.leading, line))
        draw_runs(self.canv, runs)


def _markup(text: str, font: str) -> str:
    """Paragraph markup for plain `text` in `font`: escaped, newlines kept, and each run of
    characters the `TEXT` face lacks set in the fallback face that has them."""
    return "".join(
        escape(part) if face == font else f'<font name="{face}">{escape(part)}</font>'
        for face, part in segments(text, font)).replace("\n", "<br/>")


def clear_caches() -> None:
    """Forget every line break, width and QR layout kept from earlier documents (for timing
    a document from cold)."""
    wrap_text.cache_clear()
    string_width.cache_clear()
    qr_modules.cache_clear()


# --- the document ------------------------------------------------------------------------------


class _Begin(Flowable):  # type: ignore[misc]
    """Zero-size marker: the pages from here on belong to sheet `index`."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._fk_sheet = self.index


def build_pdf(sheets: Sequence[tuple[Masthead, list[Flowable]]], *, title: str,
              author: str, printed_at: dt.datetime, keywords: str = "",
              pages: list[int] | None = None) -> bytes:
    """One PDF of `sheets`, each starting on a new page with its own page numbering.
    `keywords` go into the document information dictionary as they are (plain ASCII).
    `pages`, when given, receives each sheet's number of pages, in order."""
    register_fonts()
    if not sheets:
        raise ValueError("nothing to print")
    buf = io.BytesIO()
    first = "landscape" if sheets[0][0].landscape else "portrait"
    templates = [_template(name) for name in (first, *{"portrait", "landscape"} - {first})]
    doc = BaseDocTemplate(
        buf, pagesize=sheets[0][0].pagesize, pageTemplates=templates, invariant=1,
        title=title, author=author, creator="finals-kiosk printouts", subject="",
        keywords=keywords,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=_TOP + _HEAD,
        bottomMargin=_BOTTOM + _FOOT, initialFontName=TEXT, initialFontSize=8,
    )
    story: list[Flowable] = []
    for index, (head, body) in enumerate(sheets):
        if index:
            story += [NextPageTemplate("landscape" if head.landscape else "portrait"),
                      PageBreak()]
        story.append(_Begin(index))
        story += body
    mastheads = [head for head, _ in sheets]

    made: list[_DeferredCanvas] = []

    def make_canvas(*args: Any, **kwargs: Any) -> _DeferredCanvas:
        made.append(_DeferredCanvas(mastheads, printed_at, *args, **kwargs))
        return made[-1]

    with _binary_streams():
        doc.build(story, canvasmaker=make_canvas)
    if pages is not None:
        counts = made[-1]._fk_counts
        pages[:] = [counts.get(i, 0) for i in range(len(sheets))]
    return buf.getvalue()


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Streams deflated only, not also ASCII85-armoured (reportlab's default): a quarter
    smaller and a fifth faster. reportlab reads the switch from its global config while
    building, so it is set for the build and put back after."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _template(name: str) -> PageTemplate:
    size = landscape(A4) if name == "landscape" else A4
    frame = Frame(MARGIN, _BOTTOM + _FOOT, size[0] - 2 * MARGIN,
                  size[1] - _TOP - _HEAD - _BOTTOM - _FOOT - 2 * mm,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)
    return PageTemplate(id=name, frames=[frame], pagesize=size)


class _DeferredCanvas(Canvas):  # type: ignore[misc]
    """Keeps every page until `save`, then adds mastheads and folios knowing page counts."""

    def __init__(self, mastheads: Sequence[Masthead], printed_at: dt.datetime,
                 *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fk_mastheads = mastheads
        self._fk_sheet = 0
        self._fk_pages: list[dict[str, Any]] = []
        self._fk_counts: dict[int, int] = {}
        stamp = self._doc._timeStamp  # the PDF's CreationDate: when the pack was printed
        offset = printed_at.utcoffset() or dt.timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        stamp.YMDhms = printed_at.timetuple()[:6]
        stamp.dhh, stamp.dmm = int(minutes / 60), abs(minutes) % 60

    def showPage(self) -> None:
        self._fk_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        sheet_of = [page["_fk_sheet"] for page in self._fk_pages]
        counts = {s: sheet_of.count(s) for s in set(sheet_of)}
        seen: dict[int, int] = {}
        for page in self._fk_pages:
            self.__dict__.update(page)
            sheet = page["_fk_sheet"]
            seen[sheet] = seen.get(sheet, 0) + 1
            self._furnish(sheet, seen[sheet], counts[sheet])
            super().showPage()
        self._fk_counts = counts
        super().save()

    def _furnish(self, sheet: int, page: int, pages: int) -> None:
        head = self._fk_mastheads[sheet]
        name = f"fksheet{sheet}"
        if page == 1:
            self.beginForm(name, 0, 0, *head.pagesize)
            _draw_masthead(self, head)
            self.endForm()
        self.saveState()
        self.doForm(name)
        _draw_folio(self, head, page, pages)
        self.restoreState()
        if pages > 1 and head.initials:
            self.saveState()
            _draw_seals(self, head)
            self.restoreState()
        if head.watermark:
            self.saveState()
            _draw_watermark(self, head)
            self.restoreState()


def _fit(text: str, font: str, size: float, width: float, smallest: float = 6) -> float:
    """The largest size up to `size` (not below `smallest`) at which `text` fits `width`."""
    while size > smallest and text_width(text, font, size) > width:
        size -= 0.25
    return size


_NO_LINE_START = frozenset("，。、；：！？）》」』】,.;:!?)")


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces where possible, between any characters otherwise."""
    if text_width(text, font, size) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for ch in text:
        fits = text_width(line + ch, font, size) <= width
        if fits or not line or ch in _NO_LINE_START:
            line += ch
            continue
        cut = line.rfind(" ")
        if cut > 0 and ch != " ":
            lines.append(line[:cut])
            line = line[cut + 1 :] + ch
        else:
            lines.append(line.rstrip())
            line = ch.lstrip()
    lines.append(line)
    return lines


def _text_block(c: Canvas, lines: Sequence[tuple[str, float, str]], x: float, top: float,
                width: float, align: str) -> float:
    """Draw (text, size, font) lines downward from `top`, shrinking then wrapping what is too
    wide; returns the y below the last line."""
    y = top
    runs = []
    for text, size, font in lines:
        fitted = _fit(text, font, size, width, smallest=max(size * 0.8, 6))
        for part in _wrap(text, font, fitted, width):
            y -= fitted * 1.22
            left = x + width - string_width(part, font, fitted) if align == "right" else x
            runs.append((font, fitted, fitted * 1.2, None, left, y, part))
    draw_runs(c, runs)
    return y


def _draw_masthead(c: Canvas, head: Masthead) -> None:
    """Event on the left, sheet title and subject on the right, a rule below; the QR and the
    sheet code in the folio band at the foot (the page number is drawn per page)."""
    width, height = head.pagesize
    top = height - _TOP
    inner = width - 2 * MARGIN
    right_w = inner * 0.38
    left_w = inner - right_w - 6 * mm
    c.setFillGray(0)
    sizes = [12.0] + [8.5] * (len(head.event_lines) - 2) + [7.5]
    _text_block(c, [(t, s, TEXT) for t, s in zip(head.event_lines, sizes, strict=True)],
                MARGIN, top, left_w, "left")
    title = [(head.title_lines[0], 13.0, TEXT)] + [(t, 8.5, TEXT) for t in head.title_lines[1:]]
    _text_block(c, [*title, (head.subject, 8.0, TEXT)], width - MARGIN - right_w, top,
                right_w, "right")
    c.setStrokeGray(0)
    c.setLineWidth(0.8)
    rule = height - _TOP - _HEAD
    c.line(MARGIN, rule, width - MARGIN, rule)

    foot = _BOTTOM + _FOOT - 1.5 * mm
    c.setLineWidth(0.5)
    c.line(MARGIN, foot, width - MARGIN, foot)
    if head.qr:  # a confidential report, outside the record, has no sheet code
        draw_qr(c, qr_modules(head.qr), width - MARGIN - _QR, _BOTTOM, _QR)
    text_w = inner - _QR - 5 * mm
    draw_runs(c, [(TEXT, 7, 7 * 1.2, None, MARGIN, foot - 4.2 * mm, head.code_label)])
    c.setFont(MONO, 15)
    c.drawString(MARGIN, foot - 10.5 * mm, head.code)
    c.setFillColor(_GREY)
    _text_block(c, [(head.imprint, 7.0, TEXT), (head.hint, 6.5, TEXT)], MARGIN,
                _BOTTOM + 9.5 * mm, text_w, "left")


def _draw_folio(c: Canvas, head: Masthead, page: int, pages: int) -> None:
    width, _ = head.pagesize
    right = width - MARGIN - _QR - 5 * mm
    top = _BOTTOM + _FOOT - 5.5 * mm
    c.setFillGray(0)
    runs = []
    for i, template in enumerate(head.page_word):
        size, line = 10 if i == 0 else 7.5, template.format(x=page, y=pages)
        runs.append((TEXT, size, size * 1.2, None, right - string_width(line, TEXT, size),
                     top - i * 4.5 * mm, line))
    draw_runs(c, runs)


_SEAM: float = 8 * mm


def _draw_seals(c: Canvas, head: Masthead) -> None:
    """On a page of a sheet of several pages: an initials line in the folio band, between the
    sheet code and the page number, and a dashed seam-seal strip in the outer (right)
    margin, from the masthead rule to the folio rule, its label set along it."""
    width, height = head.pagesize
    foot = _BOTTOM + _FOOT - 1.5 * mm
    x = MARGIN + 62 * mm
    label = f"{head.initials}:"
    size = 7.5
    c.setFillGray(0)
    c.setStrokeGray(0)
    c.setLineWidth(0.5)
    draw_runs(c, [(TEXT, size, size * 1.2, None, x, foot - 10.5 * mm, label)])
    start = x + string_width(label, TEXT, size) + 2 * mm
    c.line(start, foot - 11 * mm, start + 40 * mm, foot - 11 * mm)
    right = width - 3 * mm
    left = right - _SEAM
    bottom, top = _BOTTOM + _FOOT, height - _TOP - _HEAD
    c.setDash(2, 2)
    c.setStrokeColor(_GREY)
    c.rect(left, bottom, _SEAM, top - bottom, stroke=1, fill=0)
    c.setDash()
    c.setFillColor(_GREY)
    c.translate(left + _SEAM / 2 + 2.4, (bottom + top) / 2)
    c.rotate(90)
    size = 7
    draw_runs(c, [(TEXT, size, size * 1.2, None, -string_width(head.seam, TEXT, size) / 2, 0,
                   head.seam)])


def _draw_watermark(c: Canvas, head: Masthead) -> None:
    """`head.watermark` diagonally across the page body, large, grey and translucent, so
    the figures under it stay readable."""
    width, height = head.pagesize
    bottom, top = _BOTTOM + _FOOT, height - _TOP - _HEAD
    c.translate(width / 2, (bottom + top) / 2)
    c.rotate(math.degrees(math.atan2(top - bottom, width - 2 * MARGIN)))
    c.setFillColor(colors.Color(0.55, 0.55, 0.55))
    c.setFillAlpha(0.22)
    lines = head.watermark
    size = 44.0
    widest = max(string_width(line, TEXT, size) for line in lines)
    room = math.hypot(width - 2 * MARGIN, top - bottom) * 0.8
    if widest > room:
        size *= room / widest
    leading = size * 1.25
    first = (len(lines) - 1) * leading / 2 - size / 3
    draw_runs(c, [(TEXT, size, leading, None, -string_width(line, TEXT, size) / 2,
                   first - i * leading, line) for i, line in enumerate(lines)])
