"""A one-line score field; `?` opens the help instead of being typed.

Every other character is kept as typed: what cannot be part of a number is refused by the
field's check (`model.check_value`, shown beside it, naming the character), never dropped
silently (a slip such as `1O` for 10 must not become 1). No length limit either: a cut-off
value could look valid."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

BLANK = "______"
"""What an empty field shows while it can be typed into."""


class ScoreInput(Input):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=BLANK, compact=True, select_on_focus=True,
                         id=id)

    def on_blur(self) -> None:
        """Show a long value from its start once the judge moves on (not its scrolled end)."""
        self.scroll_home(animate=False)

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "?":  # not a score character: the help key, as everywhere
            event.stop()
            event.prevent_default()
            await self.run_action("app.help")
            return
        await super()._on_key(event)
