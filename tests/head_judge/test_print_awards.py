"""The results sheets of a final with organisation awards and honours (the roadshow-awards
fixture): each ranking has an honours column, the last ranking's sheet carries the
organisation awards, every name prints whole, and the sheets verify against the record."""

from __future__ import annotations

from pathlib import Path

from head_judge.printing import print_sheets, verify_code

from ..printouts import tools
from ..printouts.tools import sq
from .awards_final import awards_final
from .test_printing import NAMES, PRINTED_AT

ORGANISATIONS = ("青岛大学", "山东科技大学", "青岛假发产业带联盟", "青岛农业大学",
                 "青岛海尔国际贸易有限公司", "青岛理工大学", "中国海洋大学",
                 "胶州帽业跨境电商有限公司", "青岛即发集团", "青岛科技大学")


def test_results_sheets_show_honours_and_the_organisation_awards(
        tmp_path: Path, fixtures_dir: Path) -> None:
    final = awards_final(tmp_path / "home", fixtures_dir)
    try:
        printed = print_sheets(final.head, ["results"], out_dir=tmp_path / "out",
                               now=PRINTED_AT, signatories=NAMES)
        assert [p.subject for p in printed] == ["intl", "site", "video"]
        texts = {p.subject: "".join(tools.text(p.file.read_bytes())) for p in printed}
        for text in texts.values():
            assert sq("荣誉 Honours") in text
            assert "优秀项目" in text and "Excellentproject" in text and "合格项目" in text
        last = texts["video"]
        for text in ("单位奖（全部赛道与组别）", "优秀组织奖", "OrganisationAward",
                     "最佳团队成绩奖", "StrongestUniversity", "88.02", *ORGANISATIONS):
            assert sq(text).casefold() in last.casefold(), text
        assert "优秀组织奖" not in texts["intl"] and "优秀组织奖" not in texts["site"]
        for sheet in printed:
            assert verify_code(final.head, sheet.code).ok, sheet.subject
    finally:
        final.close()


def test_a_contestant_sheet_names_the_honours_held(tmp_path: Path, fixtures_dir: Path) -> None:
    final = awards_final(tmp_path / "home", fixtures_dir)
    try:
        printed = print_sheets(final.head, ["contestant"], ["I06", "I03"],
                               out_dir=tmp_path / "out", now=PRINTED_AT, signatories=NAMES)
        texts = {p.subject: "".join(tools.text(p.file.read_bytes())) for p in printed}
        assert sq("荣誉 Honours") in texts["I06"] and "优秀项目" in texts["I06"]
        assert sq("荣誉 Honours") in texts["I03"]  # holds none: the row says so with a dash
        assert "优秀项目" not in texts["I03"] and "合格项目" not in texts["I03"]
        for sheet in printed:
            assert verify_code(final.head, sheet.code).ok, sheet.subject
    finally:
        final.close()
