"""QR codes encoded with the `qrcode` package and drawn as vector shapes.

`qr_modules(text)` gives the module matrix: error correction level M, the smallest version
that holds `text` as one segment (alphanumeric mode when every character allows it, else
UTF-8 bytes), quiet zone left to the caller. The mask pattern is fixed through qrcode's API
(`mask_pattern=MASK`) instead of chosen by the standard's penalty rules: every reader
accepts any mask, and trying all eight costs five times the encoding. The version is found
from the segment's length (`_version`) rather than by `make(fit=True)`, which writes the data
out once more to measure it. A code is kept once made: a sheet of several pages draws the
same code on each. `draw_qr` fills one path of horizontal runs. No I/O.
"""

from __future__ import annotations

import functools
import hashlib

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import (
    BIT_LIMIT_TABLE,
    MODE_8BIT_BYTE,
    MODE_ALPHA_NUM,
    MODE_NUMBER,
    QRData,
    mode_sizes_for_version,
)
from reportlab.pdfbase.pdfdoc import PDFFormXObject
from reportlab.pdfgen.canvas import Canvas

__all__ = ["MASK", "Matrix", "draw_qr", "qr_modules"]

MASK = 2
Matrix = tuple[tuple[bool, ...], ...]


@functools.lru_cache(maxsize=1024)
def qr_modules(text: str) -> Matrix:
    """The dark/light modules of `text`'s QR code, row by row, top row first; ValueError
    if `text` is too long for any version."""
    data = QRData(text)  # one segment, its mode the densest every character allows
    code = qrcode.QRCode(version=_version(data), error_correction=ERROR_CORRECT_M, border=0,
                         mask_pattern=MASK)
    code.add_data(data)
    code.make(fit=False)
    return tuple(tuple(map(bool, row)) for row in code.get_matrix())


_PAYLOAD_BITS = {MODE_NUMBER: lambda n: 10 * (n // 3) + (0, 4, 7)[n % 3],
                 MODE_ALPHA_NUM: lambda n: 11 * (n // 2) + 6 * (n % 2),
                 MODE_8BIT_BYTE: lambda n: 8 * n}


def _version(data: QRData) -> int:
    """The smallest version that holds `data` at level M: what `QRCode.best_fit` finds, from
    the segment's length instead of writing it out bit by bit (a third of the encoding)."""
    payload = _PAYLOAD_BITS[data.mode](len(data))
    limits = BIT_LIMIT_TABLE[ERROR_CORRECT_M]
    for version in range(1, 41):
        if 4 + mode_sizes_for_version(version)[data.mode] + payload <= limits[version]:
            return version
    raise ValueError(f"{len(data)} characters do not fit in a QR code at level M")


def draw_qr(canvas: Canvas, modules: Matrix, x: float, y: float, size: float) -> None:
    """Draw `modules` as a `size`-point square with its lower left corner at (x, y): one
    filled path of horizontal runs, in module units (whole numbers, so the operators are
    short and exact), scaled into place.

    The path is a form XObject of its own, its stream handed to reportlab as ASCII bytes:
    a stream given as text is re-encoded character by character (PDFDocEncoding), which for
    the 12 KB of a sheet code's path costs as much as drawing it. A code drawn twice in a
    document is one form."""
    path = _path(modules)
    name = "fkqr" + hashlib.sha256(path).hexdigest()[:24]
    doc = canvas._doc
    if not doc.hasForm(name):
        n = len(modules)
        form = PDFFormXObject(-1, -1, n + 1, n + 1)  # a margin round it: nothing clipped
        form.compression = canvas._pageCompression
        form.stream = path
        state = doc.inObject  # `addForm` leaves it unset; a page being drawn keeps it
        doc.addForm(name, form)
        doc.inObject = state
    scale = size / len(modules)
    canvas.saveState()
    canvas.setFillGray(0)
    canvas.transform(scale, 0, 0, scale, x, y)
    canvas.doForm(name)
    canvas.restoreState()


def _path(modules: Matrix) -> bytes:
    n = len(modules)
    runs: list[str] = []
    for r, row in enumerate(modules):
        c = 0
        while c < n:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < n and row[c]:
                c += 1
            runs.append(f"{start} {n - 1 - r} {c - start} 1 re")
    runs.append("f")
    return "\n".join(runs).encode("ascii")
