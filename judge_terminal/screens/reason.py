"""Correcting a submitted sheet needs a reason, recorded with the signed revision."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from sync.records import MAX_REASON

from ..model import ReviewRequest
from ..words import say
from .base import JudgeModal


class ReasonScreen(JudgeModal[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, review: ReviewRequest | None = None) -> None:
        super().__init__()
        self.review = review

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Static(id="reason-context")
            yield Static(id="reason-prompt")
            yield Input(id="reason", max_length=MAX_REASON)
            yield Static(id="reason-problem")
            with Horizontal(classes="buttons"):
                yield Button("", id="ok", variant="primary")
                yield Button("", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    def relabel(self) -> None:
        lang = self.japp.lang
        self.query_one("#dialog-title", Static).update(say("reason_title", lang))
        context = ""
        if self.review is not None:
            context = (say("review_title", lang, id=self.review.id) + "  "
                       + say("review_note", lang, note=self.review.note))
        self.query_one("#reason-context", Static).update(context)
        self.query_one("#reason-prompt", Static).update(say("reason_prompt", lang))
        self.query_one("#ok", Button).label = f"Enter  {say('key_ok', lang)}"
        self.query_one("#cancel", Button).label = f"Esc  {say('key_back', lang)}"

    def _done(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one("#reason-problem", Static).update(
                "x " + say("reason_needed", self.japp.lang))
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(reason)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._done()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
