"""The typefaces every sheet uses, shipped inside the package and embedded in every PDF.

WenQuanYi Micro Hei (`fonts/wqy-microhei.ttc`, Apache-2.0) covers Chinese and Latin, so a
sheet prints the same on a machine with no Chinese fonts installed. Its first face sets text,
its monospaced face sets codes. It lacks some characters people are named with (276 of the
8,105 of 通用规范汉字表, nearly all of CJK Extensions A and B: 赵䶮 would print as 赵), so text
falls back, character by character, to three Han faces subset from free fonts by
`tools/build_fonts.py`: `fk-han-a.ttf` and `fk-han-b.ttf` (GlyphWiki's HanaMinA/B, Hanazono
Font License) and `fk-han-s.ttf` (BabelStone Han, Arphic Public License); see `fonts/LICENSE*`.
Together they cover 通用规范汉字表 and Extensions A and B. reportlab subsets and embeds each
face a sheet uses.

`segments` splits text into runs of the first face of the stack that has each character;
`missing_glyphs` names the characters no face has (printing refuses those rather than drop
them). Refuses to look at system font folders: the package files are the only source.
Registering is done once per process, on first use.
"""

from __future__ import annotations

import functools
from importlib import resources

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from sync.event import Event, Text

__all__ = [
    "HAN",
    "MONO",
    "TEXT",
    "covered",
    "missing_glyphs",
    "register_fonts",
    "segments",
    "unprintable",
]

TEXT = "FKSans"
"""Font name for all text: Chinese and Latin (falls back to `HAN` per character)."""
MONO = "FKMono"
"""Font name for sheet codes, enrolment codes and fingerprints."""
HAN = ("FKHanA", "FKHanB", "FKHanS")
"""The fallback faces of `TEXT`, in the order they are tried."""

_FILE = "wqy-microhei.ttc"
_HAN_FILES = ("fk-han-a.ttf", "fk-han-b.ttf", "fk-han-s.ttf")
_TEXT_CHARS: frozenset[str] = frozenset()
"""Every character the `TEXT` face has (filled in by `register_fonts`)."""
_BREAKS = "\n\r\t"
"""Line and tab breaks: split off before anything is drawn, so never missing."""
_FACE_CHARS: tuple[tuple[str, frozenset[str]], ...] = ()
"""(font name, its characters) for `TEXT` and then each `HAN` face."""


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's `ttfonts.makeToUnicodeCMap`, except that a code point above U+FFFF is
    written as its UTF-16BE surrogate pair: reportlab writes `<%04X>`, which turns U+2C317
    (𬌗) into five hex digits that a reader takes for U+2C31, so the text layer (pdftotext,
    copy and paste, `verify FILE.pdf`) would lose every Extension B character of a name.
    Byte for byte what reportlab writes for every other subset."""
    def utf16(v: int) -> str:
        if v <= 0xFFFF:
            return f"{v:04X}"
        v -= 0x10000
        return f"{0xD800 + (v >> 10):04X}{0xDC00 + (v & 0x3FF):04X}"

    cmap = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *[f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)],
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(cmap)


@functools.cache
def register_fonts() -> tuple[str, str]:
    """Register the shipped faces with reportlab (once) and return (TEXT, MONO)."""
    global _TEXT_CHARS, _FACE_CHARS
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # see _to_unicode_cmap
    folder = resources.files("printouts") / "fonts"
    with resources.as_file(folder / _FILE) as path:
        pdfmetrics.registerFont(TTFont(TEXT, str(path), subfontIndex=0))
        pdfmetrics.registerFont(TTFont(MONO, str(path), subfontIndex=1))
    faces = [TEXT]
    for name, file in zip(HAN, _HAN_FILES, strict=True):
        with resources.as_file(folder / file) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        faces.append(name)
    _FACE_CHARS = tuple(
        (name, frozenset(map(chr, pdfmetrics.getFont(name).face.charToGlyph)))
        for name in faces)
    _TEXT_CHARS = _FACE_CHARS[0][1] | frozenset(_BREAKS)
    return TEXT, MONO


def covered(text: str) -> bool:
    """Whether the `TEXT` face alone has every character of `text` (the usual case)."""
    register_fonts()
    return text.isascii() or _TEXT_CHARS.issuperset(text)


def segments(text: str, font: str) -> tuple[tuple[str, str], ...]:
    """`text` as (font, part) runs: in `font`, except that a `TEXT` run is split at each
    change of the first face that has the character (a character no face has stays in
    `TEXT`; `missing_glyphs` is what keeps it from being printed)."""
    if font != TEXT or covered(text):
        return ((font, text),)
    return _split(text)


@functools.lru_cache(maxsize=4096)
def _split(text: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for ch in text:
        face = next((name for name, chars in _FACE_CHARS if ch in chars), TEXT)
        if out and out[-1][0] == face:
            out[-1] = (face, out[-1][1] + ch)
        else:
            out.append((face, ch))
    return tuple(out)


def missing_glyphs(text: str) -> str:
    """The characters of `text` that no face of the stack can draw (they would print as
    boxes or nothing), sorted, each once."""
    if covered(text):
        return ""
    return "".join(sorted({ch for ch in text if ch not in _BREAKS
                           and not any(ch in chars for _, chars in _FACE_CHARS)}))


def unprintable(event: Event) -> list[tuple[str, str, str, str]]:
    """Who or what in `event` has characters no face has, as (kind, id, name, characters):
    kind "contestant" (name, organisation, members, instructor), "judge" (name in each
    language, affiliation) or "event" (its names, tracks, groups, criteria, components,
    tiers; id says which). Empty when every sheet can print every name."""
    def texts(*values: Text | str) -> str:
        return "".join(v.zh + v.en if isinstance(v, Text) else v for v in values)

    found: list[tuple[str, str, str, str]] = []
    for contestant in event.contestants:
        missing = missing_glyphs(texts(contestant.name, contestant.organisation,
                                       contestant.members, contestant.instructor))
        if missing:
            found.append(("contestant", contestant.id, contestant.name, missing))
    for judge in event.judges:
        missing = missing_glyphs(texts(judge.name, judge.affiliation))
        if missing:
            found.append(("judge", judge.id, judge.name.zh or judge.name.en, missing))
    named: list[tuple[str, Text]] = [("name", event.name), ("round", event.round),
                                     ("venue", event.venue), ("organiser", event.organiser)]
    named += [(f"tracks.{t.id}", t.name) for t in event.tracks]
    named += [(f"groups.{g.id}", g.name) for g in event.groups]
    named += [(f"criteria.{c.id}", c.name) for c in event.criteria]
    named += [(f"components.{c.id}", c.name) for c in event.scoring.components]
    named += [(f"awards.{t.id}", t.name) for t in event.awards.tiers]
    for where, text in named:
        missing = missing_glyphs(texts(text))
        if missing:
            found.append(("event", where, text.zh or text.en, missing))
    return found
