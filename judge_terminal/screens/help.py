"""The keys, the status words and what "saved" means, in the current language."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Static

from ..words import say
from .base import JudgeModal

TOPICS = ("help_queue", "help_sheet", "help_modal", "help_always", "help_status", "help_safe")


class HelpScreen(JudgeModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,f1,question_mark", "close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog help"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Static(id="help-text")
            yield Button("", id="close", variant="primary")

    def relabel(self) -> None:
        lang = self.japp.lang
        self.query_one("#dialog-title", Static).update(say("help_title", lang))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1)
        grid.add_column(ratio=1)
        for topic in TOPICS:
            grid.add_row("-", say(topic, lang))
        self.query_one("#help-text", Static).update(grid)
        self.query_one("#close", Button).label = f"Esc  {say('key_close', lang)}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
