"""A one-line score field that takes digits and a decimal point, and lets `?` through as the
help key instead of typing it."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

ALLOWED = r"[0-9.,，。．]*"


class ScoreInput(Input):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="______", restrict=ALLOWED, compact=True,
                         select_on_focus=True, max_length=8, id=id)

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "?":
            return  # not a score character: let it reach the help binding
        await super()._on_key(event)
