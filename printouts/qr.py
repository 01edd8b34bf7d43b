"""QR codes (ISO/IEC 18004, model 2) encoded here and drawn as vector shapes.

`qr_modules(text)` gives the module matrix: error correction level M, the smallest version
that holds `text` as one segment (alphanumeric mode when every character allows it, else
UTF-8 bytes), quiet zone left to the caller. The mask pattern is fixed (pattern 2) instead
of chosen by the penalty rules: every reader accepts any mask, and evaluating all eight
costs more than encoding. A pack of 100+ sheets draws one code per sheet, so encoding speed
matters; the `qrcode` package spends half its time in polynomial objects for Reed-Solomon,
this does it with log tables. Tests check the matrices against `qrcode` with the same mask
and decode every rendered sheet with zxing-cpp. `draw_qr` fills one path of horizontal runs.
No I/O.
"""

from __future__ import annotations

import functools
import hashlib
import operator
from collections.abc import Callable

from reportlab.pdfbase.pdfdoc import PDFFormXObject
from reportlab.pdfgen.canvas import Canvas

__all__ = ["MASK", "Matrix", "draw_qr", "qr_modules"]

MASK = 2
Matrix = tuple[tuple[bool, ...], ...]

_ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_VALUE = {ch: i for i, ch in enumerate(_ALPHANUMERIC)}

# Level M, versions 1-40: (ECC codewords per block, blocks in group 1, data codewords per
# block in group 1, blocks in group 2, data codewords per block in group 2).
_BLOCKS = (
    (10, 1, 16, 0, 0), (16, 1, 28, 0, 0), (26, 1, 44, 0, 0), (18, 2, 32, 0, 0),
    (24, 2, 43, 0, 0), (16, 4, 27, 0, 0), (18, 4, 31, 0, 0), (22, 2, 38, 2, 39),
    (22, 3, 36, 2, 37), (26, 4, 43, 1, 44), (30, 1, 50, 4, 51), (22, 6, 36, 2, 37),
    (22, 8, 37, 1, 38), (24, 4, 40, 5, 41), (24, 5, 41, 5, 42), (28, 7, 45, 3, 46),
    (28, 10, 46, 1, 47), (26, 9, 43, 4, 44), (26, 3, 44, 11, 45), (26, 3, 41, 13, 42),
    (26, 17, 42, 0, 0), (28, 17, 46, 0, 0), (28, 4, 47, 14, 48), (28, 6, 45, 14, 46),
    (28, 8, 47, 13, 48), (28, 19, 46, 4, 47), (28, 22, 45, 3, 46), (28, 3, 45, 23, 46),
    (28, 21, 45, 7, 46), (28, 19, 47, 10, 48), (28, 2, 46, 29, 47), (28, 10, 46, 23, 47),
    (28, 14, 46, 21, 47), (28, 14, 46, 23, 47), (28, 12, 47, 26, 48), (28, 6, 47, 34, 48),
    (28, 29, 46, 14, 47), (28, 13, 46, 32, 47), (28, 40, 47, 7, 48), (28, 18, 47, 31, 48),
)
_LEVEL_M = 0b00  # the error correction level's two bits in the format information

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]
_PRODUCTS: dict[int, list[int]] = {}
"""For a number of ECC codewords: factor -> factor times the generator (`_products`)."""
_BITS = [bytes(w >> (7 - k) & 1 for k in range(8)) for w in range(256)]
"""Each byte value as its eight bits, one byte (0 or 1) per bit, most significant first."""
_FLIP = bytes([1, 0]) + bytes(254)
"""`bytes.translate` table swapping 0 and 1."""


def qr_modules(text: str) -> Matrix:
    """The dark/light modules of `text`'s QR code, row by row, top row first."""
    alnum = all(ch in _ALNUM_VALUE for ch in text)
    data = text.encode("ascii") if alnum else text.encode("utf-8")
    version = _version_for(len(data), alnum)
    codewords = _codewords(_bitstream(data, alnum, version), version)
    return _matrix(codewords, version)


# --- data ----------------------------------------------------------------------------------


def _capacity(version: int) -> int:
    _, n1, d1, n2, d2 = _BLOCKS[version - 1]
    return n1 * d1 + n2 * d2


def _count_bits(version: int, alnum: bool) -> int:
    if version < 10:
        return 9 if alnum else 8
    if version < 27:
        return 11 if alnum else 16
    return 13 if alnum else 16


def _payload_bits(length: int, alnum: bool, version: int) -> int:
    data = 11 * (length // 2) + 6 * (length % 2) if alnum else 8 * length
    return 4 + _count_bits(version, alnum) + data


def _version_for(length: int, alnum: bool) -> int:
    for version in range(1, 41):
        if _payload_bits(length, alnum, version) <= 8 * _capacity(version):
            return version
    raise ValueError(f"{length} characters do not fit in a QR code at level M")


def _bitstream(data: bytes, alnum: bool, version: int) -> list[int]:
    """Mode, count, data, terminator and padding as data codewords (the bits are gathered
    in one integer, most significant first)."""
    count_bits = _count_bits(version, alnum)
    acc = (0b0010 if alnum else 0b0100) << count_bits | len(data)
    used = 4 + count_bits
    if alnum:
        values = [_ALNUM_VALUE[chr(b)] for b in data]
        for i in range(0, len(values) - 1, 2):
            acc = acc << 11 | values[i] * 45 + values[i + 1]
        used += 11 * (len(values) // 2)
        if len(values) % 2:
            acc = acc << 6 | values[-1]
            used += 6
    else:
        acc = acc << 8 * len(data) | int.from_bytes(data, "big")
        used += 8 * len(data)
    capacity = 8 * _capacity(version)
    tail = min(4, capacity - used)  # terminator
    tail += -(used + tail) % 8  # then up to a whole byte
    acc <<= tail
    used += tail
    words = list(acc.to_bytes(used // 8, "big"))
    pad = (0xEC, 0x11)
    words += [pad[i % 2] for i in range(capacity // 8 - len(words))]
    return words


def _products(degree: int) -> list[int]:
    """For each factor 0-255: the factor times the generator polynomial's coefficients
    (leading one left out), as one integer of `degree` bytes, first coefficient highest."""
    if degree not in _PRODUCTS:
        poly = [1]  # the generator polynomial: (x - a^0)(x - a^1)...(x - a^(degree-1))
        for i in range(degree):
            nxt = [0] * (len(poly) + 1)
            for j, coef in enumerate(poly):
                nxt[j] ^= coef
                if coef:
                    nxt[j + 1] ^= _EXP[_LOG[coef] + i]
            poly = nxt
        logs = [_LOG[g] for g in poly[1:]]
        _PRODUCTS[degree] = [0] + [
            int.from_bytes(bytes(_EXP[_LOG[f] + g] for g in logs), "big") for f in range(1, 256)
        ]
    return _PRODUCTS[degree]


def _ecc(block: list[int], degree: int) -> list[int]:
    """Reed-Solomon error correction codewords of one block (polynomial division, the
    remainder held as one integer of `degree` bytes)."""
    products = _products(degree)
    shift = 8 * (degree - 1)
    keep = (1 << shift) - 1
    rem = 0
    for word in block:
        rem = (rem & keep) << 8 ^ products[word ^ rem >> shift]
    return list(rem.to_bytes(degree, "big"))


def _codewords(words: list[int], version: int) -> list[int]:
    """Data split into blocks, each with its ECC, interleaved."""
    degree, n1, d1, n2, d2 = _BLOCKS[version - 1]
    blocks, at = [], 0
    for size in [d1] * n1 + [d2] * n2:
        blocks.append(words[at : at + size])
        at += size
    eccs = [_ecc(b, degree) for b in blocks]
    out = [b[i] for i in range(max(d1, d2)) for b in blocks if i < len(b)]
    out += [e[i] for i in range(degree) for e in eccs]
    return out


# --- matrix --------------------------------------------------------------------------------


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    last = 4 * version + 10
    step = 26 if version == 32 else (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    return [6] + [last - i * step for i in reversed(range(count - 1))]


def _bch(value: int, generator: int, shift: int) -> int:
    rem = value << shift
    top = generator.bit_length()
    while rem.bit_length() >= top:
        rem ^= generator << (rem.bit_length() - top)
    return (value << shift) | rem


def _matrix(codewords: list[int], version: int) -> Matrix:
    n, cells, gather = _layout(version)
    bits = b"".join([_BITS[w] for w in codewords])[:cells]
    bits += bytes(cells - len(bits))  # remainder bits
    flat = gather(memoryview(bits + bits.translate(_FLIP) + b"\0\1").cast("?").tolist())
    return tuple(flat[i : i + n] for i in range(0, n * n, n))


@functools.cache
def _layout(version: int) -> tuple[int, int, Callable[[list[int]], tuple[bool, ...]]]:
    """The size of a version, its number of data modules, and where each module comes from:
    a getter that, given the data bits in placement order, the same bits flipped, then a
    light and a dark module (as bools: `memoryview.cast("?")` types them as ints), picks
    every module row by row. The function patterns (finders, alignment, timing, format and
    version information) pick the constant; a data module picks its bit, or its flipped bit
    where mask 2 flips it."""
    n = 4 * version + 17
    grid: list[list[bool | None]] = [[None] * n for _ in range(n)]

    for top, left in ((0, 0), (0, n - 7), (n - 7, 0)):  # finder patterns and separators
        for r in range(-1, 8):
            for c in range(-1, 8):
                if 0 <= top + r < n and 0 <= left + c < n:
                    ring = max(abs(r - 3), abs(c - 3))
                    grid[top + r][left + c] = ring in (0, 1, 3)
    positions = _alignment_positions(version)
    for r in positions:  # alignment patterns, except where a finder pattern is
        for c in positions:
            if grid[r][c] is not None:
                continue
            for dr in range(-2, 3):
                for dc in range(-2, 3):
                    grid[r + dr][c + dc] = max(abs(dr), abs(dc)) != 1
    for i in range(8, n - 8):  # timing patterns, which cross some alignment patterns
        grid[6][i] = grid[i][6] = i % 2 == 0

    fmt = _bch(_LEVEL_M << 3 | MASK, 0b10100110111, 10) ^ 0b101010000010010
    for i in range(15):
        bit = bool(fmt >> i & 1)
        grid[i if i < 6 else i + 1 if i < 8 else n - 15 + i][8] = bit
        grid[8][n - i - 1 if i < 8 else 15 - i if i < 9 else 14 - i] = bit
    grid[n - 8][8] = True  # the dark module
    if version >= 7:
        ver = _bch(version, 0b1111100100101, 12)
        for i in range(18):
            bit = bool(ver >> i & 1)
            grid[i // 3][i % 3 + n - 11] = grid[i % 3 + n - 11][i // 3] = bit

    cells: list[tuple[int, int]] = []  # two columns at a time, zigzag, right to left
    row, step, col = n - 1, -1, n - 1
    while col > 0:
        if col == 6:  # the vertical timing pattern is skipped
            col -= 1
        while 0 <= row < n:
            for c in (col, col - 1):
                if grid[row][c] is None:
                    cells.append((row, c))
            row += step
        row -= step
        step = -step
        col -= 2
    count = len(cells)
    source = [[2 * count + bool(m) for m in line] for line in grid]
    for i, (r, c) in enumerate(cells):
        source[r][c] = i + count if c % 3 == 0 else i  # mask 2: every third column flips
    return n, count, operator.itemgetter(*(i for line in source for i in line))


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
