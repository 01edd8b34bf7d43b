"""A forger's tools for the page-reading tests: an incremental update appended to a printed
PDF (the original bytes, QR code and metadata kept, as any PDF editor saves an edit) that
draws a white box over a figure and, optionally, new text on top of it."""

from __future__ import annotations

import re

from head_judge.page_reading import Box, read_pages

_OBJ = re.compile(rb"(\d+) 0 obj\s*(<<.*?>>)\s*(?:stream|endobj)", re.S)


def word_box(pdf: bytes, page: int, text: str, near: str = "") -> Box:
    """The box of the word `text` on page `page` (from 1), the last one in reading order;
    with `near`, the first one on the same line as an occurrence of the word `near` (a row
    label)."""
    words = read_pages(pdf)[page - 1].words
    if not near:
        return [w.box for w in words if w.text == text][-1]
    for anchor in (w.box for w in words if w.text == near):
        for word in words:
            if word.text == text and abs(word.box.cy - anchor.cy) < anchor.y1 - anchor.y0:
                return word.box
    raise LookupError(f"no {text!r} beside {near!r} on page {page}")


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJ.finditer(pdf)}


def overlay(pdf: bytes, page: int, box: Box, text: str = "", size: float = 9.0) -> bytes:
    """`pdf` with an incremental update drawing a white box over `box` (pdftotext
    coordinates, points from the top left) on page `page` and `text` at its left edge."""
    objects = _objects(pdf)
    pages = [n for n, body in sorted(objects.items())
             if re.search(rb"/Type /Page(?!s)", body)]
    number = pages[page - 1]
    body = objects[number]
    height = float(re.search(rb"/MediaBox \[ [\d.]+ [\d.]+ [\d.]+ ([\d.]+) \]", body)
                   .group(1))  # type: ignore[union-attr]
    fonts = int(re.search(rb"/Font (\d+) 0 R", body).group(1))  # type: ignore[union-attr]
    size_now = int(re.findall(rb"/Size (\d+)", pdf)[-1])
    prev = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    root = re.findall(rb"/Root (\d+ 0 R)", pdf)[-1]
    info = re.findall(rb"/Info (\d+ 0 R)", pdf)[-1]
    stream_no, font_no = size_now, size_now + 1
    x, y = box.x0 - 1, height - box.y1 - 1
    w, h = box.x1 - box.x0 + 2, box.y1 - box.y0 + 2
    ops = f"q 1 1 1 rg {x:.2f} {y:.2f} {w:.2f} {h:.2f} re f Q\n"
    if text:
        ops += (f"BT /FkForge {size} Tf 0 0 0 rg {box.x0:.2f} {height - box.y1 + 1.5:.2f} Td "
                f"({text}) Tj ET\n")
    content = ops.encode("latin-1")
    old_contents = re.search(rb"/Contents (\d+ 0 R|\[[^\]]*\])", body)
    assert old_contents is not None
    contents = old_contents.group(1).strip(b"[]").strip()
    new_page = body.replace(old_contents.group(0),
                            b"/Contents [ " + contents + b" %d 0 R ]" % stream_no)
    new_fonts = objects[fonts].rstrip()[:-2] + b" /FkForge %d 0 R >>" % font_no
    added = {
        stream_no: b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        font_no: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                 b"/Encoding /WinAnsiEncoding >>",
        number: new_page,
        fonts: new_fonts,
    }
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, int] = {}
    for n, obj in sorted(added.items()):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for n in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (n, offsets[n])
    out += (b"trailer\n<< /Size %d /Root " % (font_no + 1) + root + b" /Info " + info
            + b" /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (prev, xref))
    return bytes(out)
