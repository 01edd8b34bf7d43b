"""Plain text runs written straight into one PDF text object.

reportlab's `PDFTextObject.textOut` measures the run (to move its cursor), splits it into the
embedded font's subsets and escapes it, every time: a pack writes some 30,000 runs, most of
them values and names it has written before. `draw_runs` writes what `setTextOrigin(x, y)`
followed by `textOut(text)` write, byte for byte, with each run's encoded form kept for the
rest of the document (a character's code in a subset never changes once given), and no
measuring. `string_width` is reportlab's `stringWidth`, remembered.

A `TEXT` run with characters its face lacks is written in segments, each in the first face of
the stack that has its characters (`fonts.segments`): one origin, then each segment's font
selected and shown in turn, so each starts where the one before ends, on the same baseline.
Text the `TEXT` face covers (nearly all) takes the path it always took.

Only for fonts reportlab embeds and subsets itself (the shipped TrueType faces); a run in
any other font is handed to `textOut`. No I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, TypeAlias

from reportlab.lib.rl_accel import escapePDF, fp_str  # what its text objects use
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from .fonts import segments

__all__ = ["Run", "draw_runs", "string_width", "text_width"]

Run: TypeAlias = tuple[str, float, float, Any, float, float, str]
"""(font name, size, leading, fill colour or None to keep the current one, x, y, text)."""

_Encoded: TypeAlias = tuple[tuple[str, int, str], ...]
"""(font name, subset, shown) per part of a run."""


@functools.lru_cache(maxsize=16384)
def string_width(text: str, font: str, size: float) -> float:
    """Width of `text` in points (reportlab's `stringWidth`, remembered: a pack measures the
    same values, names and labels thousands of times); a `TEXT` run with characters its face
    lacks is measured segment by segment in the faces that draw them."""
    return text_width(text, font, size)


def text_width(text: str, font: str, size: float) -> float:
    """`string_width` not remembered: for the trial widths of line breaking and fitting."""
    parts = segments(text, font)
    if len(parts) == 1:
        return float(pdfmetrics.stringWidth(text, font, size))
    return float(sum(pdfmetrics.stringWidth(part, face, size) for face, part in parts))


def draw_runs(canvas: Canvas, runs: Iterable[Run]) -> None:
    """Write `runs` as one text object: each at its own origin, in its own font and fill."""
    text = canvas.beginText()
    code: list[str] = text._code
    doc = canvas._doc
    memo: dict[tuple[str, str], _Encoded] = doc.__dict__.setdefault("_fk_encoded", {})
    names: dict[tuple[str, int], str] = doc.__dict__.setdefault("_fk_subsets", {})
    current: tuple[str, float, float] | None = None
    colour: Any = None
    dynamic = True
    template = ""
    subset: tuple[str, int] = ("", -1)
    for name, size, leading, fill, x, y, line in runs:
        if current != (name, size, leading):
            current = (name, size, leading)
            text.setFont(name, size, leading)
            dynamic = pdfmetrics.getFont(name)._dynamicFont
            template = f"{fp_str(size)} Tf {fp_str(leading)} TL"
            subset = ("", -1)
        if fill is not None and fill != colour:
            colour = fill
            text.setFillColor(fill)
        if not dynamic:
            text.setTextOrigin(x, y)
            text.textOut(line)
            continue
        code.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        encoded = memo.get((name, line))
        if encoded is None:
            encoded = memo[name, line] = tuple(
                (face, part, f"({escapePDF(chars)}) Tj")
                for face, segment in segments(line, name)
                for part, chars in pdfmetrics.getFont(face).splitString(segment, doc)
            )
        out = []
        for face, part, shown in encoded:
            if (face, part) != subset:
                subset = (face, part)
                internal = names.get(subset)
                if internal is None:
                    font = pdfmetrics.getFont(face)
                    internal = names[subset] = font.getSubsetInternalName(part, doc)
                out.append(f"{internal} {template}")
            out.append(shown)
        code.append(" ".join(out))
    # reportlab's own textOut, were it called next, must select the font again after a fallback
    text._curSubset = subset[1] if current and subset[0] == current[0] else -1
    canvas.drawText(text)
