"""The blank paper form (`head-judge print --sheet form`): one per judge, contestants in
running order, recused rows struck, criteria with max and step; its code verifies and is
what the paper desk asks for."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from head_judge.paper_desk import PaperDesk
from head_judge.printing import print_sheets
from head_judge.verification import verify
from printouts.content import form_content

from .test_actions import Final


def test_the_form_lists_the_running_order_and_strikes_recused_rows(final: Final) -> None:
    content = form_content(final.event, "J4")
    rows = content["rows"]
    assert isinstance(rows, list)
    assert [r["contestant"] for r in rows] == [c.id for c in final.event.running_order()]
    assert [r["contestant"] for r in rows if r["struck"]] == ["L04", "L11", "L18"]
    assert content["criteria"][0] == {  # type: ignore[index]
        "id": "appearance", "name": "形象仪表 Appearance", "max": "10", "step": "0.5"}


def test_print_all_prints_a_form_per_judge_and_each_verifies(final: Final,
                                                             tmp_path: Path) -> None:
    printed = [p for p in print_sheets(final.head, ["form"], out_dir=tmp_path)]
    assert [p.subject for p in printed if p.kind == "form"] == \
        [j.id for j in final.event.judges]
    form = next(p for p in printed if p.subject == "J4")
    [verdict] = verify(final.head, form.code)
    assert verdict.exit_code == 0 and verdict.kind == "form"
    desk = PaperDesk(final.master, "王芳")
    assert desk.form(form.code).judge.id == "J4"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(form.file), "-"], check=True,
                          capture_output=True, text=True).stdout
    for word in ("纸质评分表", "回避", "产品推介", "满分 20/步长 0.5", "小签", form.code, "白梓"):
        assert word in text, word
