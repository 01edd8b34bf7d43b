"""The keys of the screen underneath and the ones that always work, in the current language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from ..words import say
from .base import ConsoleModal


class HelpDialog(ConsoleModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,f1,question_mark", "cancel", show=False),
    ]

    def __init__(self, keys: Sequence[tuple[str, str]], topics: Sequence[str]) -> None:
        super().__init__()
        self.keys = list(keys)
        self.topics = list(topics)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog help"):
            yield Static(id="dialog-title", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(id="help-text")
            yield Button("", id="close", variant="primary", compact=True)

    def relabel(self) -> None:
        lang = self.capp.lang
        self.query_one("#dialog-title", Static).update(say("help_title", lang))
        lines = [say("help_screen", lang)]
        lines += [f"  {key:<12} {say(word, lang)}"
                  for key, word in self.keys]
        lines += ["", *("- " + say(topic, lang) for topic in self.topics)]
        lines += ["- " + say("help_dialogs", lang), "- " + say("help_always", lang)]
        self.query_one("#help-text", Static).update("\n".join(lines))
        self.query_one("#close", Button).label = f"Esc  {say('key_close', lang)}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
