"""The one typeface every sheet uses, shipped inside the package and embedded in every PDF.

WenQuanYi Micro Hei (`fonts/wqy-microhei.ttc`, Apache-2.0, see `fonts/LICENSE`) covers Chinese
and Latin, so a sheet prints the same on a machine with no Chinese fonts installed. Its first
face sets text, its monospaced face sets codes. reportlab subsets and embeds both.

Refuses to look at system font folders: the package file is the only source. Registering is
done once per process, on first use.
"""

from __future__ import annotations

import functools
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["MONO", "TEXT", "missing_glyphs", "register_fonts"]

TEXT = "FKSans"
"""Font name for all text: Chinese and Latin."""
MONO = "FKMono"
"""Font name for sheet codes, enrolment codes and fingerprints."""

_FILE = "wqy-microhei.ttc"


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Register the shipped faces with reportlab (once) and return (TEXT, MONO)."""
    font_file = resources.files("printouts") / "fonts" / _FILE
    with resources.as_file(font_file) as path:
        pdfmetrics.registerFont(TTFont(TEXT, str(path), subfontIndex=0))
        pdfmetrics.registerFont(TTFont(MONO, str(path), subfontIndex=1))
    return TEXT, MONO


def missing_glyphs(text: str) -> str:
    """The characters of `text` the shipped font cannot draw (they would print as boxes)."""
    register_fonts()
    font = pdfmetrics.getFont(TEXT)
    cmap = font.face.charToGlyph
    return "".join(sorted({ch for ch in text if ch not in "\n\t" and ord(ch) not in cmap}))
