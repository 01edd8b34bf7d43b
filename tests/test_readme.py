"""The README's pictures: every image it shows exists, and `python -m tools.screenshots` still
makes them (each app's SVG, as Textual draws it, with the final's contestants on it)."""

from __future__ import annotations

import re
from pathlib import Path

from tools import screenshots

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"


def images() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return [*re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text),
            *re.findall(r"<img\b[^>]*\bsrc=[\"']([^\"']+)", text)]


def test_every_image_the_readme_shows_exists() -> None:
    shown = images()
    assert len(shown) >= 3  # the judge terminal and the console's Overview and Results
    missing = [src for src in shown if "://" not in src and not (REPO / src).is_file()]
    assert missing == []
    for src in shown:
        if src.endswith(".svg"):
            assert "<svg" in (REPO / src).read_text(encoding="utf-8")[:500], src


def test_the_screenshots_tool_makes_every_picture_the_readme_shows(tmp_path: Path) -> None:
    screenshots.main(["--out", str(tmp_path)])
    names = {p.name for p in tmp_path.glob("*.svg")}
    assert {Path(src).name for src in images() if src.startswith("docs/screenshots/")} <= names
    sheet = (tmp_path / "judge-terminal-sheet.svg").read_text(encoding="utf-8")
    overview = (tmp_path / "console-overview.svg").read_text(encoding="utf-8")
    results = (tmp_path / "console-results.svg").read_text(encoding="utf-8")
    assert "L05" in sheet and "沈秀" in sheet
    assert "L08" in overview and "姚梓飞" in overview and "92.96" in overview
    assert "一等奖" in results
