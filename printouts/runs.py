"""Plain text runs written straight into one PDF text object.

reportlab's `PDFTextObject.textOut` measures the run (to move its cursor), splits it into the
embedded font's subsets and escapes it, every time: a pack writes some 30,000 runs, most of
them values and names it has written before. `draw_runs` writes what `setTextOrigin(x, y)`
followed by `textOut(text)` write, byte for byte, with each run's encoded form kept for the
rest of the document (a character's code in a subset never changes once given), and no
measuring. `string_width` is reportlab's `stringWidth`, remembered.

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

__all__ = ["Run", "draw_runs", "string_width"]

Run: TypeAlias = tuple[str, float, float, Any, float, float, str]
"""(font name, size, leading, fill colour or None to keep the current one, x, y, text)."""

_Encoded: TypeAlias = tuple[tuple[int, str], ...]


@functools.lru_cache(maxsize=16384)
def string_width(text: str, font: str, size: float) -> float:
    """Width of `text` in points (reportlab's `stringWidth`, remembered: a pack measures the
    same values, names and labels thousands of times)."""
    return float(pdfmetrics.stringWidth(text, font, size))


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
    subset = -1
    for name, size, leading, fill, x, y, line in runs:
        if current != (name, size, leading):
            current = (name, size, leading)
            text.setFont(name, size, leading)
            dynamic = pdfmetrics.getFont(name)._dynamicFont
            template = f"{fp_str(size)} Tf {fp_str(leading)} TL"
            subset = -1
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
            font = pdfmetrics.getFont(name)
            encoded = memo[name, line] = tuple(
                (part, f"({escapePDF(chars)}) Tj") for part, chars in font.splitString(line, doc)
            )
        out = []
        for part, shown in encoded:
            if part != subset:
                subset = part
                internal = names.get((name, part))
                if internal is None:
                    font = pdfmetrics.getFont(name)
                    internal = names[name, part] = font.getSubsetInternalName(part, doc)
                out.append(f"{internal} {template}")
            out.append(shown)
        code.append(" ".join(out))
    text._curSubset = subset
    canvas.drawText(text)
