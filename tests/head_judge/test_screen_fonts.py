"""The faces the audience's pages load: WenQuanYi Micro Hei cut out of its collection as a
plain TrueType file a browser accepts, the Han faces as they are, nothing else by name."""

from __future__ import annotations

import struct
from importlib import resources

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

from head_judge.screen_fonts import FONT_NAMES, font_file, ttc_face

FONTS = resources.files("printouts") / "fonts"


def test_the_text_face_is_the_collections_first_face_as_a_plain_font(tmp_path) -> None:
    data = font_file("wqy-microhei.ttf")
    assert data is not None and data[:4] == b"\0\1\0\0"  # a TrueType file, not `ttcf`
    (tmp_path / "f.ttf").write_bytes(data)
    cut = TTFontFile(str(tmp_path / "f.ttf"))
    whole = TTFontFile(str(FONTS / "wqy-microhei.ttc"), subfontIndex=0)
    assert cut.charToGlyph == whole.charToGlyph
    assert {ord(c) for c in "评委总裁判长暂定第版最终得分"} <= set(cut.charToGlyph)
    padded = data + b"\0" * (-len(data) % 4)
    assert sum(struct.unpack(f">{len(padded) // 4}L", padded)) & 0xFFFFFFFF == 0xB1B0AFBA


def test_the_han_faces_are_sent_as_they_are_and_no_other_name_reaches_a_file() -> None:
    for name in FONT_NAMES[1:]:
        assert font_file(name) == (FONTS / name).read_bytes()
    for name in ("wqy-microhei.ttc", "../fonts/fk-han-a.ttf", "LICENSE", "", "x.ttf"):
        assert font_file(name) is None


def test_a_file_that_is_not_a_collection_or_a_face_it_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="not a TrueType collection"):
        ttc_face(b"\0\1\0\0" + b"\0" * 40, 0)
    with pytest.raises(ValueError, match="2 faces"):
        ttc_face((FONTS / "wqy-microhei.ttc").read_bytes(), 2)
