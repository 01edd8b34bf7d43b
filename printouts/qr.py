"""QR codes drawn as vector shapes, each defined once per PDF and reused on every page.

`qr_modules(text)` gives the module matrix (error correction M, quiet zone left to the
caller); `draw_qr` fills one path of horizontal runs. The mask pattern is fixed (pattern 2)
instead of searched: any mask is valid to every reader, and the search costs 5x the encoding
(~40 ms for a sheet payload), which a pack of 100+ sheets cannot afford. Tests decode every
sheet's QR back from a rendered page. No I/O.
"""

from __future__ import annotations

import functools

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

__all__ = ["MASK", "draw_qr", "qr_modules"]

MASK = 2
Matrix = tuple[tuple[bool, ...], ...]


@functools.lru_cache(maxsize=512)
def qr_modules(text: str) -> Matrix:
    """The dark/light modules of `text`'s QR code, row by row, top row first."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK)
    code.add_data(text)
    code.make(fit=True)
    return tuple(tuple(bool(m) for m in row) for row in code.get_matrix())


def draw_qr(canvas: Canvas, modules: Matrix, x: float, y: float, size: float) -> None:
    """Draw `modules` as a `size`-point square with its lower left corner at (x, y)."""
    n = len(modules)
    unit = size / n
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        top = y + size - (r + 1) * unit
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            path.rect(x + start * unit, top, (c - start) * unit, unit)
    canvas.saveState()
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
