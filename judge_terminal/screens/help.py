"""What F1 (or ?) explains, in the current language: on the first-run screen, enrolling; on
every other screen, the keys, the status words and what "saved" means. The text is folded to
the dialog's width (Chinese breaks between any two characters) and scrolls (↑↓, PgUp/PgDn)
when the terminal is too small for all of it: nothing is ever cut off."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from ..words import fold, say
from .base import JudgeModal

TOPICS = ("help_queue", "help_sheet", "help_modal", "help_always", "help_status", "help_safe")
DIALOG_WIDTH = 76
"""The dialog's width (judge.tcss `.dialog`)."""
CHROME = 2 + 2 + 3
"""Cells of a line that are not text: the border, the padding, and the mark in front (`-`,
or a step's number such as `1.`) with its space."""
STEP = re.compile(r"(\d+\.) (.*)", re.S)
AROUND = 2 + 1 + 3
"""Lines of the dialog that are not help text: the border, the title, the close button."""


class HelpScreen(JudgeModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,f1,question_mark", "close", show=False),
    ]

    def __init__(self, topics: tuple[str, ...] = TOPICS, title: str = "help_title") -> None:
        super().__init__()
        self.topics = topics
        self.title_key = title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog help"):
            yield Static(id="dialog-title", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(id="help-text")
            yield Button("", id="close", variant="primary")

    def relabel(self) -> None:
        lang = self.japp.lang
        self.query_one("#dialog-title", Static).update(say(self.title_key, lang))
        width = min(DIALOG_WIDTH, self.app.size.width) - CHROME
        grid = Table.grid(padding=(0, 1))  # folded here: Rich would measure Chinese short
        grid.add_column(width=2)
        grid.add_column(no_wrap=True)
        for topic in self.topics:
            said = say(topic, lang)
            step = STEP.fullmatch(said)
            mark, said = step.groups() if step else ("-", said)
            grid.add_row(mark, Text(fold(said, max(10, width))))
        self.query_one("#help-text", Static).update(grid)
        self.query_one("#help-scroll").styles.max_height = max(3, self.app.size.height - AROUND)
        self.query_one("#close", Button).label = f"Esc  {say('key_close', lang)}"

    def on_resize(self) -> None:
        self.relabel()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
