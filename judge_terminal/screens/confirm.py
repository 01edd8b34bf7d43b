"""Before a sheet is saved: every value, the total, the comment and the reason of a
correction. Enter confirms, Esc goes back to the sheet."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from sync.event import Contestant

from ..widgets.value_table import ValueTable
from ..words import contestant_name, say
from .base import JudgeModal


class ConfirmScreen(JudgeModal[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n,N", "cancel", show=False),
        Binding("y,Y", "confirm", show=False),
    ]

    def __init__(self, contestant: Contestant, values: Mapping[str, Decimal], comment: str,
                 reason: str | None) -> None:
        super().__init__()
        self.contestant = contestant
        self.values = dict(values)
        self.comment = comment
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield ValueTable(id="values")
            yield Static(id="dialog-notes")
            with Horizontal(classes="buttons"):
                yield Button("", id="confirm", variant="primary")
                yield Button("", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm", Button).focus()

    def relabel(self) -> None:
        lang = self.japp.lang
        c = self.contestant
        self.query_one("#dialog-title", Static).update(
            f"{say('confirm_title', lang)}{'：' if lang == 'zh' else ':'}  "
            f"{c.order}  {c.id}  {contestant_name(self.japp.event, c, lang)}")
        self.query_one(ValueTable).show(self.japp.event, self.values, lang)
        notes = []
        if self.reason:
            notes.append(say("confirm_revision", lang, reason=self.reason))
        if self.comment:
            notes.append(say("confirm_comment", lang, comment=self.comment))
        notes.append(say("confirm_hint", lang))
        self.query_one("#dialog-notes", Static).update("\n".join(notes))
        self.query_one("#confirm", Button).label = f"Enter  {say('key_confirm', lang)}"
        self.query_one("#cancel", Button).label = f"Esc  {say('key_cancel', lang)}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
