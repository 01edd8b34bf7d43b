"""Choose a contestant by typing part of the running number, id, name or organisation."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ..state import running_order
from ..words import say
from .base import ConsoleModal


class PickDialog(ConsoleModal[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", show=False),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog pick"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Input(id="filter", compact=True)
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        super().on_mount()
        self._fill("")
        self.query_one("#filter", Input).focus()

    def relabel(self) -> None:
        self.query_one("#dialog-title", Static).update(say("pick_title", self.capp.lang))

    def _fill(self, text: str) -> None:
        wanted = text.strip().lower()
        options = []
        for c in running_order(self.capp.shown_event.contestants):
            line = f"{c.order:>3}  {c.id}  {c.name}  · {c.organisation}"
            if not wanted or wanted in line.lower() or wanted == str(c.order):
                options.append(Option(line, id=c.id))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(options)
        ids = [o.id for o in options]
        if options:
            choices.highlighted = ids.index(self.current) if self.current in ids else 0

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def action_move(self, step: int) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            now = choices.highlighted or 0
            choices.highlighted = min(max(now + step, 0), choices.option_count - 1)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None and choices.option_count:
            self.dismiss(choices.get_option_at_index(choices.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
