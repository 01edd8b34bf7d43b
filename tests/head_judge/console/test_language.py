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
