"""`head-judge verify FILE.pdf` reads the page: a forger's edit of a printed PDF (an
incremental update drawing a white box over a figure and a new value on top, the QR code and
metadata kept, as a PDF editor saves it) is named by page, row and column with the printed
and the record's figure, for every sheet type; an untouched PDF still matches. `verify CODE`,
`verify QR-TEXT` and a scan list the figures the paper must show."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from head_judge import page_reading
from head_judge.page_reading import page_differences, read_pages

from ..printouts import tools
from .forgery import overlay, word_box
from .test_actions import Final
from .test_master import fixture_event
from .test_printing import print_, record_final, run


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path
            ) -> Iterator[tuple[Final, Path]]:
    """The livestream final with a revision, an override, a withdrawal, an accepted flag and
    a decided appeal, every sheet and the cards printed by `head-judge print`."""
    tmp = tmp_path_factory.mktemp("page")
    final = Final(tmp / "home", fixture_event(fixtures_dir))
    record_final(final, fixtures_dir)
    out = tmp / "out"
    code, text, err = run(final, "print", "--out", str(out), "--sheet", "all", "--sheet",
                          "cards", "--head-judge", "王建国", "--notary", "李静")
    assert code == 0, (text, err)
    yield final, out
    final.close()


def the(out: Path, prefix: str) -> Path:
    [found] = out.glob(f"{prefix}-ledger*.pdf")
    return found


# (file, word, beside, forged value, the lines verify must print: Chinese, English)
FORGERIES = [
    ("results-live", "92.96", "L08", "99.96",
     "第 1 页：L08, 最终得分 Final：印的是 99.96，记录是 92.96",
     "page 1: L08, 最终得分 Final: printed 99.96, record 92.96"),
    ("judge-J2", "84.5", "L06", "48.5", "第 1 页：L06, 总分 Total /100：印的是 48.5，记录是 84.5",
     "page 1: L06, 总分 Total /100: printed 48.5, record 84.5"),
    ("contestant-L08", "82", "J2", "92", "第 1 页：J2, 总分 Total /100：印的是 92，记录是 82",
     "page 1: J2, 总分 Total /100: printed 92, record 82"),
    ("discrepancy", "12", "马晓东", "14", "第 1 页：J4, 原值 Before：印的是 14，记录是 12",
     "page 1: J4, 原值 Before: printed 14, record 12"),
    ("appeal-*", "66.43", "", "86.43",
     "第 1 页：最终得分 Final, 得分 Value：印的是 86.43，记录是 66.43",
     "page 1: 最终得分 Final, 得分 Value: printed 86.43, record 66.43"),
    ("card-J1", "周立群", "", "Zhou", "第 1 页：该行：印的是 Zhou，记录是 周立群",
     "page 1: line: printed Zhou, record 周立群"),
]


@pytest.mark.parametrize(("prefix", "word", "beside", "value", "zh", "line"), FORGERIES,
                         ids=[f[0].split("-")[0] for f in FORGERIES])
def test_a_forged_figure_is_named_with_its_row_column_and_both_values(
        printed: tuple[Final, Path], tmp_path: Path, prefix: str, word: str, beside: str,
        value: str, zh: str, line: str) -> None:
    final, out = printed
    original = the(out, prefix)
    code, text, _ = run(final, "verify", str(original))
    assert code == 0, text
    assert text.startswith("相符：") and "the text on every page of the file is the " \
        "record's print of the sheet" in text, text
    pdf = original.read_bytes()
    forged = tmp_path / original.name
    forged.write_bytes(overlay(pdf, 1, word_box(pdf, 1, word, beside), value, size=9))
    assert forged.read_bytes().startswith(pdf)  # the original bytes, QR and metadata kept
    code, text, _ = run(final, "verify", str(forged))
    assert code == 1, text
    lines = text.splitlines()
    assert lines[:2] == ["页面不同：与记录打印的这张表不一致：",
                         "PAGE DIFFERS from the record's print of this sheet:"], text
    assert lines[2:4] == [f"  - {zh}", f"  - {line}"], text
    assert "  the record itself is unchanged since printing" in lines


def test_a_box_drawn_over_a_figure_with_nothing_on_it_is_named(
        printed: tuple[Final, Path], tmp_path: Path) -> None:
    final, out = printed
    pdf = the(out, "results-live").read_bytes()
    forged = tmp_path / "blanked.pdf"
    forged.write_bytes(overlay(pdf, 1, word_box(pdf, 1, "89.03", "L07")))
    code, text, _ = run(final, "verify", str(forged))
    assert code == 1
    assert "  - page 1: L07, 最终得分 Final: printed (blank), record 89.03" in text.splitlines()


def test_a_forged_page_of_a_sheet_the_record_moved_on_from_lists_both(
        final: Final, fixtures_dir: Path, tmp_path: Path) -> None:
    """CHANGED since printing: the record's print is rebuilt from the ledger as it stood at
    the print's checkpoint, and the page is still compared with it."""
    record_final(final, fixtures_dir)
    out = tmp_path / "out"
    print_(final, out, ["contestant"], ["L05"])
    pdf = the(out, "contestant-L05").read_bytes()
    forged = tmp_path / "l05.pdf"
    forged.write_bytes(overlay(pdf, 1, word_box(pdf, 1, "60", "J2"), "66"))
    final.head.override_value("J1", "L05", "pitch", Decimal(10), "复核 on review",
                              despite_appeal="仲裁后发现登记错误 misrecorded")
    code, text, _ = run(final, "verify", str(forged))
    assert code == 1
    lines = text.splitlines()
    assert lines[:2] == ["打印后已改变：", "CHANGED since printing:"]
    assert "  the file's pages differ from the record's print of the sheet:" in lines
    assert "  - page 1: J2, 总分 Total /100: printed 66, record 60" in lines
    code, text, _ = run(final, "verify", str(the(out, "contestant-L05")))
    assert code == 1 and "  the text on every page of the file is the record's print of " \
        "the sheet" in text.splitlines()


FIGURES = [
    ("results-live",
     "名次 Rank 1 · L08 姚梓飞 · 最终得分 Final 92.96 · 奖项 Prize 一等奖 First prize"),
    ("judge-J2", "L06 肖思远 · 总分 Total 84.5"),
    ("contestant-L08", "J2 林雪梅 · 总分 Total 82"),
    ("discrepancy", "总裁判长改分 Head judge override · J4 马晓东 · L08 姚梓飞 · "
                    "诚信经营 Integrity · 12 → 9"),
    ("appeal-*", "裁决 Decision: 申诉驳回 Rejected · 各评分签名有效，维持原成绩 every sheet "
                 "verifies; the scores stand"),
    ("card-J1", "J1 周立群 · 席位 Seat 1"),
]


@pytest.mark.parametrize(("prefix", "figure"), FIGURES,
                         ids=[f[0].split("-")[0] for f in FIGURES])
def test_a_code_and_a_qr_text_list_the_figures_the_paper_must_show(
        printed: tuple[Final, Path], prefix: str, figure: str) -> None:
    final, out = printed
    pdf = the(out, prefix).read_bytes()
    [qr] = [t for t in tools.qr_texts(tools.pngs(pdf, dpi=110, first=1, last=1)[0])
            if t.startswith("FKS1:")]
    code_text = next(w.text for w in read_pages(pdf)[0].words
                     if len(w.text) == 15 and w.text[7] == "-" and w.text.isupper())
    for given in (code_text, qr):
        code, text, _ = run(final, "verify", given)
        assert (code, text.splitlines()[0]) == (0, text.splitlines()[0]), text
        assert text.startswith("相符：") and "\nMATCHES" in text, text
        lines = text.splitlines()
        assert "  the paper must show (as printed at that position):" in lines
        assert f"    {figure}" in lines, text


def test_a_scan_of_the_paper_lists_the_figures_to_compare_by_eye(
        printed: tuple[Final, Path], tmp_path: Path) -> None:
    final, out = printed
    page = tools.pngs(the(out, "results-live").read_bytes(), dpi=150, first=1, last=1)[0]
    scan = tmp_path / "scan.jpg"
    Image.open(io.BytesIO(page)).convert("RGB").save(scan, "JPEG", quality=90)
    code, text, _ = run(final, "verify", str(scan))
    assert code == 0, text
    assert "    名次 Rank 2 · L07 薛浩飞 · 最终得分 Final 89.03 · 奖项 Prize 二等奖 Second " \
        "prize" in text.splitlines()
    assert "the text on every page" not in text  # a scan is not read, only its QR code


def _sheet_code(pdf: bytes) -> str:
    return next(w.text for w in read_pages(pdf)[0].words
                if len(w.text) == 15 and w.text[7] == "-" and w.text.isupper())


def test_a_look_alike_drawn_over_an_inventory_figure_is_named_by_the_sheets_code(
        printed: tuple[Final, Path], tmp_path: Path) -> None:
    """A "1" over the results sheet's "2" pages changes too few pixels to count as covered:
    still named, as what the reader sees, on the row of that sheet's code."""
    final, out = printed
    pdf = the(out, "inventory").read_bytes()
    results_code = _sheet_code(the(out, "results-live").read_bytes())
    forged = tmp_path / "inventory.pdf"
    forged.write_bytes(overlay(pdf, 1, word_box(pdf, 1, "2", "直播销售"), "1", size=9))
    code, text, _ = run(final, "verify", str(forged))
    assert code == 1, text
    assert text.splitlines()[1:4] == [
        "PAGE DIFFERS from the record's print of this sheet:",
        f"  - 第 1 页：{results_code}, 页数 Pages：印的是 1，记录是 2",
        f"  - page 1: {results_code}, 页数 Pages: printed 1, record 2"], text


def test_without_poppler_a_pdf_is_verified_by_its_payload_and_says_its_pages_were_not_read(
        printed: tuple[Final, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    final, out = printed
    pdf = the(out, "results-live").read_bytes()
    forged = tmp_path / "results.pdf"
    forged.write_bytes(overlay(pdf, 1, word_box(pdf, 1, "92.96", "L08"), "99.96", size=9))
    which = page_reading.shutil.which
    monkeypatch.setattr(page_reading.shutil, "which",
                        lambda name: None if name.startswith("pdfto") else which(name))
    code, text, _ = run(final, "verify", str(forged))
    assert code == 0, text  # the QR payload in the metadata still matches the record
    lines = text.splitlines()
    assert lines[1].startswith("MATCHES"), text
    assert "  the page text was not checked (reading a PDF's pages needs pdftotext " \
        "(poppler-utils)): the verdict is from the sheet's QR payload only; compare the " \
        "figures below with the pages" in lines, text
    assert "the text on every page" not in text
    assert "    名次 Rank 1 · L08 姚梓飞 · 最终得分 Final 92.96 · 奖项 Prize 一等奖 First " \
        "prize" in lines, text


def test_a_page_removed_or_added_is_named(printed: tuple[Final, Path], tmp_path: Path) -> None:
    """The inventory has two pages: the file with only the first, or with the second twice."""
    _, out = printed
    source = the(out, "inventory")
    subprocess.run(["pdfseparate", str(source), str(tmp_path / "p%d.pdf")], check=True)
    one, three = tmp_path / "one.pdf", tmp_path / "three.pdf"
    subprocess.run(["pdfunite", str(tmp_path / "p1.pdf"), str(one)], check=True)
    subprocess.run(["pdfunite", str(source), str(tmp_path / "p2.pdf"), str(three)], check=True)
    pdf = source.read_bytes()
    assert page_differences(pdf, one.read_bytes()) == [
        (2, "missing (the record's print has 2 pages, the file 1)")]
    assert page_differences(pdf, three.read_bytes()) == [
        (3, "not in the record's print (it has 2 pages, the file 3)")]
