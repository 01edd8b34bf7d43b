"""Chinese and English, switched at any moment: screens, the footer, and an open dialog."""

from __future__ import annotations

from head_judge.console.screens.form import FormDialog
from head_judge.console.screens.help import HelpDialog
from head_judge.console.widgets.key_footer import KeyFooter
from head_judge.master import Master

from .conftest import screen_text, world_app


def footer(app: object) -> str:
    keys = app.screen.query_one(KeyFooter).query("FooterKey")  # type: ignore[attr-defined]
    return " ".join(k.description for k in keys)


async def test_switch_anywhere(world: Master) -> None:
    app = world_app(world, "zh")
    async with app.run_test(size=(120, 36)) as pilot:
        assert "分歧" in screen_text(app, "#nav") and "台上" in screen_text(app, "#title")
        assert "设为台上" in footer(app)
        await pilot.press("f4")
        await pilot.pause()
        assert app.lang == "en"
        assert "Overview" in screen_text(app, "#nav") and "Results" in screen_text(app, "#nav")
        assert "on stage" in footer(app) and "设为台上" not in footer(app)
        assert "flagged" in screen_text(app, "#legend")

        await pilot.press("2", "r")
        assert isinstance(app.screen, FormDialog)
        assert screen_text(app, "#dialog-title").startswith("Request a review")
        await pilot.press("ctrl+l")  # typed into the note? no: the switch has priority
        assert app.lang == "zh"
        assert screen_text(app, "#dialog-title").startswith("请求复核")
        assert screen_text(app, "#label-note") == "给评委的说明"
        await pilot.press("escape", "f1")
        assert isinstance(app.screen, HelpDialog)
        assert "本页按键" in screen_text(app, "#help-text")


UNUSED_ELSEWHERE = {"app_title", "key_screens", "key_next", "key_back", "override_line",
                    "withdrawn_line", "blk_nobody", "print_failed", "field_path", "time_unknown"}
"""Console words no code says yet (left to the engineers of those screens); the list may only
shrink."""


def test_every_console_word_is_said_somewhere() -> None:
    """A word is used when the console's code names it (a string constant), or an f-string's
    constant start names its family (`col_{key}`)."""
    import ast
    from pathlib import Path

    from head_judge.console import words

    root = Path(words.__file__).resolve().parents[1]
    named: set[str] = set()
    prefixes: set[str] = set()
    for path in root.rglob("*.py"):
        if path == Path(words.__file__).resolve():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values \
                    and isinstance(node.values[0], ast.Constant):
                prefixes.add(str(node.values[0].value))
    unused = {key for key in words.WORDS if key not in named
              and not any(p and key.startswith(p) for p in prefixes)}
    assert unused <= UNUSED_ELSEWHERE, sorted(unused - UNUSED_ELSEWHERE)
