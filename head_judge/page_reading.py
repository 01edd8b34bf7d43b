"""What a PDF's pages show, compared with what the record's copy of them shows.

`page_differences(expected, actual, ids)` takes two PDFs, the record's rendering of a sheet
and the file given to `head-judge verify`, and names every place where the page a reader sees
differs: a word changed, added or removed in the text layer (an edited content stream, or new
text drawn over the page), and a word of the record's page that no longer looks as it should
(a filled box drawn over it, found by rendering both at 72 dpi and comparing the pixels in the
word's box), and anything else drawn on the page where the record's page is blank. Each
difference is named by page and, inside a table, by its row (the first contestant or judge id
on the row, `ids`) and its column (the header cell above it), else by its line:

    page 1: L08, 最终得分 Final: printed 99.96, record 92.96

Text and positions come from poppler's `pdftotext -bbox-layout` (every table cell is a block
of lines of words), pictures from `pdftoppm -gray` (PGM, read here without Pillow). Both are
poppler's, installed where the kiosk prints (`PageReadError` says when they are not). Reads
only the two byte strings it is given.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from .refusals import Message

__all__ = ["Page", "PageReadError", "ToolMissing", "page_differences", "read_pages"]

DPI: Final = 72
"""Pictures are compared at one pixel per point."""
INK: Final = 96
"""Grey levels two pictures must differ by for a pixel to count as changed."""
COVERED: Final = 0.2
"""Share of a word's pixels that must change for it to count as covered or redrawn."""
TILE: Final = 12
"""Side, in points, of the squares the rest of the page is compared in."""
TILE_INK: Final = 6
"""Changed pixels in a square, away from every word, for it to count as marked."""
NEAR: Final = 1.5
"""Points two boxes may be apart and still be the same place."""
COLUMN_GAP: Final = 12.0
"""Points of blank between two cells of one column of a table (more ends the column)."""
SHOWN: Final = 60
"""Characters of a line quoted in a difference."""


class PageReadError(Exception):
    """The pages cannot be read: poppler's tools are missing or refuse the file; `reason`
    says so in each language."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason)
        self.reason = reason


class ToolMissing(PageReadError):
    """poppler's `pdftotext` or `pdftoppm` is not installed: the pages were not read (the
    file itself may be fine)."""


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def grown(self, by: float) -> Box:
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def holds(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def meets(self, other: Box) -> bool:
        return (self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1
                and other.y0 < self.y1)

    def same_place(self, other: Box) -> bool:
        return all(abs(a - b) <= NEAR for a, b in zip(
            (self.x0, self.y0, self.x1, self.y1), (other.x0, other.y0, other.x1, other.y1),
            strict=True))


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    line: int
    """Index of its line in `Page.lines`."""


@dataclass(frozen=True)
class Line:
    box: Box
    block: int
    """Index of its block (a table cell, a paragraph) in `Page.blocks`."""
    words: tuple[int, ...] = ()

    def text(self, page: Page) -> str:
        return " ".join(page.words[i].text for i in self.words)


@dataclass(frozen=True)
class Block:
    box: Box
    lines: tuple[int, ...] = ()

    def text(self, page: Page) -> str:
        return " ".join(page.lines[i].text(page) for i in self.lines)


@dataclass
class Page:
    """One page's words, lines and blocks, in points from the top left."""

    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


# --- reading --------------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ToolMissing(Message("page_tool_missing", tool=name, package="poppler-utils"))
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, check=False)
    if done.returncode:
        raise PageReadError(Message("page_tool_failed", tool=Path(args[0]).name,
                                    error=done.stderr.decode(errors="replace").strip()))


def _box(element: ET.Element) -> Box:
    return Box(*(float(element.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")))


def read_pages(pdf: bytes) -> list[Page]:
    """Every page's words with their boxes (`pdftotext -bbox-layout`)."""
    tool = _tool("pdftotext")
    with tempfile.TemporaryDirectory(prefix="head-judge-page-") as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.html"
        source.write_bytes(pdf)
        _run([tool, "-bbox-layout", "-enc", "UTF-8", str(source), str(target)])
        root = ET.fromstring(target.read_bytes())
    pages: list[Page] = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] != "page":
            continue
        page = Page(float(element.get("width", "0")), float(element.get("height", "0")))
        for block in (e for e in element.iter() if e.tag.endswith("}block")):
            lines: list[int] = []
            for line in (e for e in block if e.tag.endswith("}line")):
                words: list[int] = []
                for word in (e for e in line if e.tag.endswith("}word")):
                    words.append(len(page.words))
                    page.words.append(Word(word.text or "", _box(word), len(page.lines)))
                lines.append(len(page.lines))
                page.lines.append(Line(_box(line), len(page.blocks), tuple(words)))
            page.blocks.append(Block(_box(block), tuple(lines)))
        pages.append(page)
    return pages


@dataclass(frozen=True)
class Picture:
    """A page rendered in grey, one byte a pixel, at `DPI`."""

    width: int
    height: int
    pixels: bytes

    def changed(self, other: Picture, box: Box) -> tuple[int, int]:
        """Pixels in `box` (points) that differ by `INK` or more, and pixels in it."""
        scale = DPI / 72
        x0, y0 = max(0, int(box.x0 * scale)), max(0, int(box.y0 * scale))
        x1 = min(self.width, other.width, int(box.x1 * scale + 0.999))
        y1 = min(self.height, other.height, int(box.y1 * scale + 0.999))
        changed = total = 0
        for y in range(y0, y1):
            a = self.pixels[y * self.width + x0:y * self.width + x1]
            b = other.pixels[y * other.width + x0:y * other.width + x1]
            changed += sum(1 for p, q in zip(a, b, strict=True) if abs(p - q) >= INK)
            total += len(a)
        return changed, total


def _pgm(data: bytes) -> Picture:
    """A binary PGM (`P5`) as pdftoppm writes it."""
    fields: list[bytes] = []
    at = 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        end = at
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    if fields[0] != b"P5" or int(fields[3]) > 255:
        raise PageReadError(Message("page_bad_picture", tool="pdftoppm"))
    width, height = int(fields[1]), int(fields[2])
    return Picture(width, height, data[at + 1:at + 1 + width * height])


def read_pictures(pdf: bytes) -> list[Picture]:
    """Every page in grey at `DPI` (`pdftoppm -gray`)."""
    tool = _tool("pdftoppm")
    with tempfile.TemporaryDirectory(prefix="head-judge-page-") as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(pdf)
        _run([tool, "-r", str(DPI), "-gray", str(source), str(Path(tmp) / "p")])
        return [_pgm(p.read_bytes()) for p in sorted(Path(tmp).glob("p-*.pgm"),
                                                      key=lambda p: int(p.stem.split("-")[-1]))]


# --- where a place on the page is -------------------------------------------------------------


def _first_word(page: Page, block: int) -> str:
    lines = page.blocks[block].lines
    words = page.lines[lines[0]].words if lines else ()
    return page.words[words[0]].text if words else ""


def _beside(page: Page, cell: int) -> list[int]:
    """The blocks on `cell`'s row, left to right."""
    box = page.blocks[cell].box
    return sorted((i for i, b in enumerate(page.blocks)
                   if b.box.y0 <= box.cy <= b.box.y1 or box.y0 <= b.box.cy <= box.y1),
                  key=lambda i: page.blocks[i].box.x0)


def _row_label(page: Page, cell: int, ids: frozenset[str]) -> tuple[int | None, str]:
    """The block naming `cell`'s row and its name: the first contestant or judge id among
    the cells of the row, left to right (the cell itself included); else the row's first
    cell when it is words (`最终得分 Final`), not a number."""
    beside = _beside(page, cell)
    for i in beside:
        if _first_word(page, i) in ids:
            return i, _first_word(page, i)
    if beside and beside[0] != cell and len(beside) > 1:
        text = page.blocks[beside[0]].text(page)
        if any(ch.isalpha() for ch in text):
            return beside[0], _short(text)
    return None, ""


def _over(page: Page, cell: int, below: float) -> int | None:
    """The nearest block above `below` over `cell`'s middle."""
    box = page.blocks[cell].box
    above = [i for i, b in enumerate(page.blocks)
             if i != cell and b.box.y1 <= below + NEAR
             and b.box.x0 - NEAR <= box.cx <= b.box.x1 + NEAR]
    return max(above, key=lambda i: page.blocks[i].box.y1) if above else None


def _column_label(page: Page, cell: int, row: int | None, ids: frozenset[str]) -> str:
    """The header cell of `cell`'s column. In a table whose rows are named by ids, the cell
    over the column just above the first of those rows (the rows' ids in one column, each
    under the one before); else the top of the run of cells above it, each under the one
    before, no further apart than `COLUMN_GAP`."""
    box = page.blocks[cell].box
    if row is not None and _first_word(page, row) in ids:
        x0 = page.blocks[row].box.x0
        rows = sorted((i for i in range(len(page.blocks))
                       if abs(page.blocks[i].box.x0 - x0) <= NEAR
                       and _first_word(page, i) in ids
                       and page.blocks[i].box.y0 <= page.blocks[row].box.y0),
                      key=lambda i: -page.blocks[i].box.y0)
        top = page.blocks[row].box
        for i in rows:
            if top.y0 - page.blocks[i].box.y1 > 4 * (top.y1 - top.y0):
                break
            top = page.blocks[i].box
        header = _over(page, cell, top.y0)
        return page.blocks[header].text(page) if header is not None else ""
    top_cell, edge = cell, box.y0
    while True:
        above = _over(page, top_cell, edge)
        if above is None or edge - page.blocks[above].box.y1 > COLUMN_GAP:
            break
        top_cell, edge = above, page.blocks[above].box.y0
    return page.blocks[top_cell].text(page) if top_cell != cell else ""


def _short(text: str) -> str:
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"


def place(page: Page, box: Box, ids: frozenset[str]) -> str | Message:
    """Where `box` is on the record's page: `L08, 最终得分 Final` in a table, else
    `line "…"` quoting the nearest line, else its position."""
    cells = [i for i, b in enumerate(page.blocks) if b.box.grown(NEAR).meets(box)]
    if not cells:
        return Message("page_at", x=f"{box.x0:.0f}", y=f"{box.y0:.0f}")
    cell = max(cells, key=lambda i: _overlap(page.blocks[i].box, box))
    row_block, row = _row_label(page, cell, ids)
    column = _column_label(page, cell, row_block, ids)
    if row_block == cell and not column:
        row = ""
    if row or column:
        return ", ".join(p for p in (row, column) if p)
    line = min(page.blocks[cell].lines, key=lambda i: abs(page.lines[i].box.cy - box.cy))
    return Message("page_line", text=_short(page.lines[line].text(page)))


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


# --- comparing --------------------------------------------------------------------------------


@dataclass
class _Spot:
    """One line of the record's page that the file shows otherwise."""

    line: int
    added: list[Word] = field(default_factory=list)


def _match(expected: Page, actual: Page) -> tuple[dict[int, int], list[int], list[int]]:
    """Words at the same place with the same text ({expected: actual}), then the expected
    words not found and the actual words not expected."""
    free: dict[str, list[int]] = {}
    for i, word in enumerate(actual.words):
        free.setdefault(word.text, []).append(i)
    matched: dict[int, int] = {}
    for i, word in enumerate(expected.words):
        for j in free.get(word.text, []):
            if actual.words[j].box.same_place(word.box):
                matched[i] = j
                free[word.text].remove(j)
                break
    missing = [i for i in range(len(expected.words)) if i not in matched]
    taken = set(matched.values())
    added = [j for j in range(len(actual.words)) if j not in taken]
    return matched, missing, added


def _covered(expected: Page, matched: dict[int, int], record: Picture,
             shown: Picture) -> set[int]:
    """Expected words still in the text layer whose pixels changed (drawn over)."""
    out: set[int] = set()
    for i in matched:
        changed, total = record.changed(shown, expected.words[i].box)
        if total and changed / total >= COVERED:
            out.add(i)
    return out


def _written_over(expected: Page, actual: Page, matched: dict[int, int],
                  added: list[int]) -> set[int]:
    """Expected words still in the text layer with a new word drawn on top of them (over
    half of the smaller box shared): a page never prints two words in one place, and a
    look-alike drawn over a figure (a 1 over a 2) may change too few pixels to count as
    covered."""
    out: set[int] = set()
    for j in added:
        new = actual.words[j].box
        for i, k in matched.items():
            old = actual.words[k].box
            smaller = min((new.x1 - new.x0) * (new.y1 - new.y0),
                          (old.x1 - old.x0) * (old.y1 - old.y0))
            if smaller > 0 and _overlap(new, old) > smaller / 2:
                out.add(i)
    return out


def _shown_text(expected: Page, actual: Page, line: int, hidden: set[int]) -> str:
    """The words a reader sees where the record's line is: the file's words in its box but
    those drawn over."""
    box = expected.lines[line].box.grown(NEAR)
    seen = sorted((w for j, w in enumerate(actual.words)
                   if j not in hidden and box.holds(w.box.cx, w.box.cy)),
                  key=lambda w: (round(w.box.cy / 4), w.box.x0))
    return " ".join(w.text for w in seen)


def _marks(expected: Page, actual: Page, record: Picture, shown: Picture,
           ids: frozenset[str]) -> list[str]:
    """Places away from every word where the pictures differ (a box over a signature line,
    a QR code blotted out): squares of `TILE` points, touching ones taken together."""
    boxes = [w.box.grown(2) for w in (*expected.words, *actual.words)]
    columns = int(expected.width // TILE) + 1
    rows = int(expected.height // TILE) + 1
    marked: set[tuple[int, int]] = set()
    for r in range(rows):
        for c in range(columns):
            tile = Box(c * TILE, r * TILE, (c + 1) * TILE, (r + 1) * TILE)
            if any(b.meets(tile) for b in boxes):
                continue
            if record.changed(shown, tile)[0] >= TILE_INK:
                marked.add((r, c))
    found: list[tuple[int, int, str]] = []
    while marked:
        group, todo = set(), [marked.pop()]
        while todo:
            r, c = todo.pop()
            group.add((r, c))
            for near in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if near in marked:
                    marked.remove(near)
                    todo.append(near)
        top, left = min(r for r, _ in group), min(c for _, c in group)
        bottom, right = max(r for r, _ in group) + 1, max(c for _, c in group) + 1
        box = Box(left * TILE, top * TILE, right * TILE, bottom * TILE)
        found.append((top, left, Message("page_marks", where=place(expected, box, ids))))
    return [text for _, _, text in sorted(found)]


def _page_differences(expected: Page, actual: Page, record: Picture | None,
                      shown: Picture | None, ids: frozenset[str]) -> list[str]:
    matched, missing, added = _match(expected, actual)
    covered = _covered(expected, matched, record, shown) \
        if record is not None and shown is not None else set()
    covered |= _written_over(expected, actual, matched, added)
    spots: dict[int, _Spot] = {}
    for i in (*missing, *covered):
        line = expected.words[i].line
        spots.setdefault(line, _Spot(line))
    stray: list[Word] = []
    for j in added:
        word = actual.words[j]
        lines = [i for i, line in enumerate(expected.lines)
                 if line.box.grown(NEAR).meets(word.box)]
        if lines:
            line = max(lines, key=lambda i: _overlap(expected.lines[i].box, word.box))
            spots.setdefault(line, _Spot(line)).added.append(word)
        else:
            stray.append(word)
    hidden = {matched[i] for i in covered}
    found: list[tuple[float, float, str]] = []
    for spot in spots.values():
        row = expected.lines[spot.line]
        was = row.text(expected)
        now = _shown_text(expected, actual, spot.line, hidden)
        where = place(expected, row.box, ids)
        if isinstance(where, Message) and where.id == "page_line":  # the record's text follows
            where = Message("page_the_line")
        found.append((row.box.y0, row.box.x0, Message(
            "page_printed_record", where=where, now=_short(now) or Message("page_blank"),
            was=_short(was)) if now != was else Message("page_drawn_over", where=where,
                                                        was=_short(was))))
    for group in _grouped(stray):
        box = Box(min(w.box.x0 for w in group), min(w.box.y0 for w in group),
                  max(w.box.x1 for w in group), max(w.box.y1 for w in group))
        text = " ".join(w.text for w in group)
        found.append((box.y0, box.x0, Message("page_stray", where=place(expected, box, ids),
                                              text=_short(text))))
    found.sort()
    texts = [text for _, _, text in found]
    if record is not None and shown is not None:
        texts += _marks(expected, actual, record, shown, ids)
    return texts


def _grouped(words: Iterable[Word]) -> list[list[Word]]:
    """Added words that are not over any line of the record, by the line they sit on."""
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return [sorted(group, key=lambda w: w.box.x0) for _, group in sorted(lines.items())]


def page_differences(expected: bytes, actual: bytes, ids: Iterable[str] = ()
                     ) -> list[tuple[int, str]]:
    """Every difference between what `actual`'s pages show and `expected`'s, as (page
    number from 1, `WHERE: printed X, record Y`). [] when every page reads and looks the
    same; identical bytes are not read at all."""
    if expected == actual:
        return []
    known = frozenset(ids)
    record_pages, shown_pages = read_pages(expected), read_pages(actual)
    record_pictures, shown_pictures = read_pictures(expected), read_pictures(actual)
    out: list[tuple[int, str]] = []
    for n, (want, have) in enumerate(zip(record_pages, shown_pages, strict=False)):
        record = record_pictures[n] if n < len(record_pictures) else None
        shown = shown_pictures[n] if n < len(shown_pictures) else None
        out += [(n + 1, text) for text in _page_differences(want, have, record, shown, known)]
    pages = len(record_pages)
    counts = {"pages": Message("page_count_one" if pages == 1 else "page_count", n=pages),
              "file": len(shown_pages)}
    out += [(n + 1, Message("page_missing", **counts))
            for n in range(len(shown_pages), len(record_pages))]
    out += [(n + 1, Message("page_extra", **counts))
            for n in range(len(record_pages), len(shown_pages))]
    return out
