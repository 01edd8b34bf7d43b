"""Every character a name may have prints, and reads back: the whole of 通用规范汉字表 (the
national list used for names, `tests/data/tghz2013.txt`, from Unihan's kTGHZ2013 by
`tools/build_fonts.py`) and a sample of CJK Extensions A and B, set in names on real sheets,
read back with pdftotext; the fallback faces embedded; what no face has named, never dropped."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics, ttfonts

from printouts import ContestantSheet, render, render_pack
from printouts.fonts import HAN, TEXT, missing_glyphs, register_fonts, segments, unprintable
from printouts.runs import string_width
from sync.event import Contestant, Event

from . import tools
from .sample import Record

DATA = Path(__file__).resolve().parents[1] / "data" / "tghz2013.txt"
EXT_A = (0x3400, 0x4DBF)
EXT_B = (0x20000, 0x2A6DF)
RARE = ("赵䶮", "龚璟𬌗", "李𠮷")
NOT_IN_ANY_FACE = "\U0002B740"  # CJK Extension D: no face of the stack has it


def pages_raw(pdf: bytes) -> list[str]:
    """pdftotext's text of each page, whitespace removed (it adds spaces between faces)."""
    tools.need_poppler()
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return [re.sub(r"\s+", "", page) for page in out.stdout.decode("utf-8").split("\f")
            if page.strip()]


def named_pack(record: Record, text: str, name_len: int = 12,
               members_len: int = 300) -> tuple[bytes, list[Contestant]]:
    """`text` cut into contestants, each a name (`name_len` characters, set as runs) and a
    member list (`members_len`, wrapped as a paragraph), one contestant sheet each."""
    people = []
    at = 0
    while at < len(text):
        name, members = text[at:at + name_len], text[at + name_len:at + name_len + members_len]
        people.append(dataclasses.replace(record.event.contestants[0], id=f"X{len(people):03d}",
                                          name=name, members=members))
        at += name_len + members_len
    event = dataclasses.replace(record.event, contestants=record.event.contestants + tuple(people))
    sheets = [ContestantSheet(c.id, (), None, ()) for c in people]
    return render_pack(event, sheets, record.imprint), people


def assert_read_back(pdf: bytes, people: list[Contestant]) -> None:
    pages = pages_raw(pdf)
    assert len(pages) == len(people)
    for person, page in zip(people, pages, strict=True):
        assert person.id + person.name in page, (person.id, person.name)
        assert person.members in page, person.id


def test_the_list_has_every_character_of_the_national_standard_once() -> None:
    chars = DATA.read_text(encoding="utf-8").strip()
    assert len(chars) == len(set(chars)) == 8105
    assert all(ord(ch) >= 0x3400 for ch in chars) and "䶮" in chars and "𬌗" in chars


def test_every_character_of_the_national_list_prints_in_names_and_reads_back(
        record: Record) -> None:
    chars = DATA.read_text(encoding="utf-8").strip()
    assert missing_glyphs(chars) == ""
    pdf, people = named_pack(record, chars)
    assert "".join(p.name + p.members for p in people) == chars
    assert_read_back(pdf, people)
    fonts = {row["name"].split("+")[-1]: row["emb"] for row in tools.fonts(pdf)}
    assert fonts.get("FKHanA") == "yes"  # all 276 WenQuanYi lacks are in the first Han face


def test_extensions_a_and_b_sampled_print_and_read_back(record: Record) -> None:
    sample = "".join(
        chr(c) for first, last in (EXT_A, EXT_B)
        for c in sorted({*range(first, last + 1, 50), first, last}))
    assert missing_glyphs(sample) == ""
    pdf, people = named_pack(record, sample, name_len=8, members_len=160)
    assert_read_back(pdf, people)
    fonts = {row["name"].split("+")[-1]: row["emb"] for row in tools.fonts(pdf)}
    assert {fonts.get(face) for face in HAN} == {"yes"}  # U+4DBF and U+2A6DF: the third face


def test_rare_names_print_on_every_sheet_that_names_them(record: Record) -> None:
    """赵䶮, 龚璟𬌗 and 李𠮷 in the results table (one run per cell), as a judge's name in
    a header and in a contestant sheet's masthead; the text layer says them back."""
    contestants = list(record.event.contestants)
    for i, name in enumerate(RARE):
        contestants[i] = dataclasses.replace(contestants[i], name=name)
    judges = list(record.event.judges)
    judges[0] = dataclasses.replace(judges[0],
                                    name=dataclasses.replace(judges[0].name, zh="赵䶮"))
    event = dataclasses.replace(record.event, contestants=tuple(contestants),
                                judges=tuple(judges))
    results = "".join(pages_raw(render(event, record.results_sheet(), record.imprint)))
    for c in contestants[:3]:
        assert c.id + c.name in results
    assert "J1赵䶮" in results
    sheet = pages_raw(render(event, record.contestant_sheet(contestants[1].id),
                             record.imprint))[0]
    assert sheet.count("L02龚璟𬌗") == 2  # masthead subject and the contestant block


def test_a_fallback_segment_is_measured_in_its_own_face() -> None:
    register_fonts()
    assert segments("L01 赵䶮 Z", TEXT) == ((TEXT, "L01 赵"), ("FKHanA", "䶮"), (TEXT, " Z"))
    assert segments("L01 赵", TEXT) == ((TEXT, "L01 赵"),)
    assert string_width("赵䶮", TEXT, 10) == pytest.approx(
        pdfmetrics.stringWidth("赵", TEXT, 10) + pdfmetrics.stringWidth("䶮", "FKHanA", 10))


def test_the_text_layer_keeps_characters_beyond_the_basic_plane() -> None:
    """reportlab writes `<%04X>` into the ToUnicode map: U+2C317 would read back as U+2C31.
    The replacement writes its UTF-16 pair and is otherwise reportlab's, byte for byte."""
    register_fonts()
    cmap = ttfonts.makeToUnicodeCMap("AAAAAA+X", [0x41, 0x8D75, 0x2C317])
    assert "<02> <D870DF17>" in cmap.splitlines()
    assert "<01> <8D75>" in cmap.splitlines()


def test_a_character_no_face_has_is_named_not_dropped(record: Record) -> None:
    assert missing_glyphs(f"赵䶮{NOT_IN_ANY_FACE}\ue000\n") == "\ue000" + NOT_IN_ANY_FACE
    contestants = list(record.event.contestants)
    contestants[2] = dataclasses.replace(contestants[2], name="李" + NOT_IN_ANY_FACE)
    event: Event = dataclasses.replace(record.event, contestants=tuple(contestants))
    assert unprintable(event) == [("contestant", contestants[2].id, "李" + NOT_IN_ANY_FACE,
                                   NOT_IN_ANY_FACE)]
    assert unprintable(record.event) == []
