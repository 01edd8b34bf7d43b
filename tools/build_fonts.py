"""How the Han fallback faces in `printouts/fonts/` were made, and the test list of 通用规范汉字表.

WenQuanYi Micro Hei (the sheets' typeface) lacks 276 of the 8,105 characters of 通用规范汉字表
(the national list used for names) and nearly all of CJK Extensions A and B, so 赵䶮 printed
as 赵. This script takes, for every character of (通用规范汉字表 ∪ Extension A U+3400–4DBF ∪
Extension B U+20000–2A6DF) that WenQuanYi does not have, the glyph from the first of these
free fonts that has it, and writes one subset per source font:

    fk-han-a.ttf  HanaMinA (GlyphWiki, Hanazono Font License)       Debian fonts-hanazono
    fk-han-b.ttf  HanaMinB (GlyphWiki, Hanazono Font License)       Debian fonts-hanazono
    fk-han-s.ttf  BabelStone Han (Arphic Public License)            Debian fonts-babelstone-han

The subsets are renamed (family "FK Han A/B/S") so no reserved font name is used by a modified
font. It also writes tests/data/tghz2013.txt: the 8,105 characters of 通用规范汉字表, from the
Unihan `kTGHZ2013` field (Debian unicode-data, /usr/share/unicode/Unihan_*.txt.bz2).

Needs fonttools and those three Debian packages; not run in CI (its outputs are committed):

    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    /tmp/ft/bin/python tools/build_fonts.py

Fails (exit 1) if any character of the three sets is then still without a glyph.
"""

from __future__ import annotations

import bz2
import glob
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "printouts" / "fonts"
WQY = FONTS / "wqy-microhei.ttc"
SOURCES = (
    ("fk-han-a.ttf", "FK Han A", "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"),
    ("fk-han-b.ttf", "FK Han B", "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),
    ("fk-han-s.ttf", "FK Han S", "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"),
)
EXT_A = range(0x3400, 0x4DC0)
EXT_B = range(0x20000, 0x2A6E0)


def tghz2013() -> list[int]:
    """The code points Unihan gives a kTGHZ2013 entry (通用规范汉字表), ascending."""
    found: set[int] = set()
    for name in glob.glob("/usr/share/unicode/Unihan_*.txt.bz2"):
        with bz2.open(name, "rt", encoding="utf-8") as lines:
            for line in lines:
                if "\tkTGHZ2013\t" in line:
                    found.add(int(line.split("\t", 1)[0][2:], 16))
    return sorted(found)


def _rename(font: TTFont, family: str) -> None:
    """Family, full, unique and PostScript names replaced; copyright and licence kept."""
    postscript = family.replace(" ", "")
    for record in list(font["name"].names):
        if record.nameID in (1, 4, 16, 18):
            record.string = family
        elif record.nameID in (3,):
            record.string = f"{postscript};finals-kiosk subset"
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 17:
            record.string = "Regular"


def main() -> int:
    tgh = tghz2013()
    if len(tgh) != 8105:
        print(f"expected 8105 kTGHZ2013 characters, Unihan gives {len(tgh)}", file=sys.stderr)
        return 1
    data = ROOT / "tests" / "data" / "tghz2013.txt"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("".join(map(chr, tgh)) + "\n", encoding="utf-8")
    have = set(TTCollection(str(WQY)).fonts[0].getBestCmap())
    need = (set(tgh) | set(EXT_A) | set(EXT_B)) - have
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    for out, family, source in SOURCES:
        font = TTFont(source)
        take = need & set(font.getBestCmap())
        need -= take
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=take)
        subsetter.subset(font)
        _rename(font, family)
        font.save(str(FONTS / out))
        print(f"{out}: {len(take)} characters from {source}, "
              f"{(FONTS / out).stat().st_size:,} bytes")
    if need:
        print(f"{len(need)} characters have no glyph in any source: "
              + " ".join(f"U+{c:04X}" for c in sorted(need)[:20]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
