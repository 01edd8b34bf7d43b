"""Yes or no before anything that cannot be undone; the action runs from here, and a refusal
is shown in the dialog (which stays open) rather than after it closed. A `blocked` dialog
lists what stands in the way and cannot be confirmed: its confirm button is disabled, Y and
Enter only say why, and Enter/Esc close it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..words import say
from .base import ConsoleModal
from .dialogs import Line, Phrase, shown


class ConfirmDialog(ConsoleModal[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n,N", "cancel", show=False),
        Binding("y,Y", "confirm", show=False),  # the button says "Y"
    ]

    def __init__(self, title: Phrase, lines: Sequence[Line] = (), *,
                 ok: str = "key_ok", danger: bool = False,
                 submit: Callable[[], str | None] | None = None,
                 blocked: bool = False) -> None:
        super().__init__()
        self.title_phrase = title
        self.lines = list(lines)
        self.ok = ok
        self.danger = danger
        self.submit = submit
        self.blocked = blocked
        self.problem = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog" + (" danger" if self.danger else "")):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Static(id="dialog-lines")
            yield Static(id="dialog-problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("", id="ok", variant="error" if self.danger else "primary",
                             compact=True, disabled=self.blocked)
                cancel = Button("", id="cancel", compact=True)
                cancel.can_focus = self.blocked  # Tab never lands on a button Enter leaves by
                yield cancel

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#cancel" if self.blocked else "#ok", Button).focus()

    def relabel(self) -> None:
        lang = self.capp.lang
        self.query_one("#dialog-title", Static).update(self.title_phrase.say(lang))
        self.query_one("#dialog-lines", Static).update(
            "\n".join(shown(line, lang) for line in self.lines))
        if self.blocked:
            self.query_one("#ok", Button).label = say(self.ok, lang)
            self.query_one("#cancel", Button).label = f"Enter/Esc  {say('key_close', lang)}"
        else:
            self.query_one("#ok", Button).label = f"Enter/Y  {say(self.ok, lang)}"
            self.query_one("#cancel", Button).label = f"Esc  {say('key_cancel', lang)}"
        self._show_problem()

    def _show_problem(self) -> None:
        lang = self.capp.lang
        if self.blocked:
            text = say("blocked_cannot_confirm", lang)
        else:
            text = say("refused", lang, reason=self.problem) if self.problem else ""
        self.query_one("#dialog-problem", Static).update(text)

    def action_confirm(self) -> None:
        if self.blocked:  # nothing to confirm: the lines say what blocks it
            return
        if self.submit is not None:
            problem = self.submit()
            if problem:
                self.problem = problem
                self._show_problem()
                return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.action_confirm()
        else:
            self.action_cancel()
