"""A one-line score field that takes digits and a decimal point; `?` opens the help instead
of being typed."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

ALLOWED = r"[0-9.,，。．]*"
BLANK = "______"
"""What an empty field shows while it can be typed into."""


class ScoreInput(Input):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=BLANK, restrict=ALLOWED, compact=True,
                         select_on_focus=True, max_length=8, id=id)

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "?":  # not a score character: the help key, as everywhere
            event.stop()
            event.prevent_default()
            await self.run_action("app.help")
            return
        await super()._on_key(event)
