"""Looking at printed PDFs from outside, as a reader would: poppler's pdftoppm, pdftotext and
pdffonts, and zxing-cpp to scan QR codes off the rendered pages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

POPPLER = ("pdftoppm", "pdftotext", "pdffonts")


def need_poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} not installed (apt-get install poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def pngs(pdf: bytes, dpi: int = 150, first: int | None = None, last: int | None = None,
         *, gray: bool = False) -> list[bytes]:
    """Each page as PNG bytes (8-bit grey when `gray`: a third of the size)."""
    need_poppler()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        args = ["pdftoppm", "-r", str(dpi), "-png"] + (["-gray"] if gray else [])
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        subprocess.run([*args, str(src), str(Path(tmp) / "page")], check=True)
        return [p.read_bytes() for p in sorted(Path(tmp).glob("page-*.png"))]


def sq(text: str) -> str:
    """`text` without whitespace: pdftotext drops or adds spaces around Chinese characters,
    so texts are compared squashed."""
    return re.sub(r"\s+", "", text)


def text(pdf: bytes) -> list[str]:
    """The text of each page, squashed (`sq`)."""
    need_poppler()
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    pages = out.stdout.decode("utf-8").split("\f")
    return [sq(page) for page in pages if page.strip()]


def fonts(pdf: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb (yes/no) for every font the PDF uses."""
    need_poppler()
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=False)
    if out.returncode:  # older poppler cannot read stdin
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            out = subprocess.run(["pdffonts", f.name], capture_output=True, check=True)
    lines = out.stdout.decode().splitlines()[2:]
    rows = []
    for line in lines:
        parts = line.split()
        # name, type (1-2 words), encoding, emb, sub, uni, object, id
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return rows


def qr_texts(png: bytes) -> list[str]:
    """Every QR code zxing-cpp finds on a page image."""
    import io

    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    found = zxingcpp.read_barcodes(image)
    return [r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode]
