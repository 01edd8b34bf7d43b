"""Printouts of a blind final (加密/解密): before `reveal-identities` every sheet kind, and the
Excel export, carries draw numbers (抽签号 07) and no contestant's name, member, organisation
or instructor; after it, judge sheets and blank forms still show draw numbers only, while
contestant sheets and results show the draw number and the name. Every sheet still verifies
against the record. The PDFs are read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest

from head_judge.blind_actions import make_draw, reveal_identities
from head_judge.export import export_xlsx
from head_judge.printing import KINDS, verify_code
from sync.event import Event

from .test_actions import Final
from .test_printing import print_, record_final, words

NOW = dt.datetime(2025, 5, 17, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def identity_words(event: Event) -> set[str]:
    """Every name, member, organisation and instructor of the final's contestants."""
    found: set[str] = set()
    for c in event.contestants:
        found |= {c.name, c.organisation, c.instructor,
                  *re.split(r"[、,，;；/ ]+", c.members)}
    return {w for w in found if w}


def flat(text: str) -> str:
    """Text without white space: the PDF's text is read back without it."""
    return re.sub(r"\s+", "", text)


def leaked(text: str, secret: set[str]) -> list[str]:
    return sorted(w for w in secret if flat(w) in flat(text))


@pytest.fixture
def blind(tmp_path: Path, event: Event, fixtures_dir: Path) -> Final:
    final = Final(tmp_path / "home", replace(event, blind=True))
    make_draw(final.head, seed="公证处 2025-05-17")
    record_final(final, fixtures_dir)
    return final


def draws(final: Final) -> dict[str, str]:
    return dict(final.master.ledger.conn.execute("SELECT contestant, draw FROM draws"))


def test_before_the_reveal_no_sheet_names_a_contestant(blind: Final, tmp_path: Path) -> None:
    secret = identity_words(blind.event)
    drawn = draws(blind)
    try:
        printed = print_(blind, tmp_path / "out", KINDS)
        for (kind, subject), sheet in printed.items():
            text = words(sheet.file)
            assert not leaked(text, secret), (kind, subject, leaked(text, secret))
            assert verify_code(blind.head, sheet.code).ok, (kind, subject)
        judge = words(printed[("judge", "J1")].file)
        assert f"抽签号{drawn['L01']}" in judge and f"Draw{drawn['L01']}" in judge
        contestant = words(printed[("contestant", "L05")].file)
        assert f"抽签号{drawn['L05']}" in contestant
        results = words(printed[("results", "live")].file)
        assert all(f"抽签号{drawn[c.id]}" in results for c in blind.event.contestants)
        export_xlsx(blind.head, tmp_path / "final.xlsx", now=NOW)
    finally:
        blind.close()
    import openpyxl
    book = openpyxl.load_workbook(tmp_path / "final.xlsx")
    cells = "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(
        values_only=True) for v in row if v is not None)
    assert not leaked(cells, secret), leaked(cells, secret)
    assert f"抽签号 {drawn['L05']}" in cells


def test_after_the_reveal_judge_sheets_keep_draw_numbers_and_the_rest_show_both(
        blind: Final, tmp_path: Path) -> None:
    secret = identity_words(blind.event)
    drawn = draws(blind)
    l05 = blind.event.contestant("L05")
    assert l05 is not None
    try:
        reveal_identities(blind.head, "评分已全部锁定 all scores locked")
        printed = print_(blind, tmp_path / "out", KINDS)
        for (kind, subject), sheet in printed.items():
            assert verify_code(blind.head, sheet.code).ok, (kind, subject)
        for kind, subject in (("judge", "J1"), ("form", "J1")):
            text = words(printed[(kind, subject)].file)
            assert not leaked(text, secret), (kind, leaked(text, secret))
            assert f"抽签号{drawn['L05']}" in text
        contestant = words(printed[("contestant", "L05")].file)
        assert f"抽签号{drawn['L05']}" in contestant and l05.name in contestant
        assert l05.organisation in contestant
        results = words(printed[("results", "live")].file)
        assert all(c.name in results for c in blind.event.contestants)
    finally:
        blind.close()
