"""One criterion of the score sheet: its name in both languages, the field, max and step,
and the check of what is typed (in words, not colour alone)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from sync.event import Criterion

from ..model import FieldCheck, check_value, narrow, shown
from ..words import pair, say
from . import judge_app
from .score_input import BLANK, ScoreInput


class ScoreField(Horizontal):
    """Posts `ScoreField.Changed` on every change of the typed text."""

    class Changed(Message):
        def __init__(self, field: ScoreField, criterion: str, text: str) -> None:
            super().__init__()
            self.field = field
            self.criterion = criterion
            self.text = text

    def __init__(self, criterion: Criterion) -> None:
        super().__init__(classes="score-field")
        self.criterion = criterion
        self.check = FieldCheck("empty")

    def compose(self) -> ComposeResult:
        yield Label(">", classes="marker")
        yield Label("", classes="name")
        yield ScoreInput(id=f"score-{self.criterion.id}")
        yield Label(f"/ {shown(self.criterion.max)}", classes="max")
        yield Label(shown(self.criterion.step), classes="step")
        yield Label("", classes="check")

    def on_mount(self) -> None:
        self.watch(judge_app(self), "lang", self.relabel)

    @property
    def input(self) -> ScoreInput:
        return self.query_one(ScoreInput)

    @property
    def text(self) -> str:
        return self.input.value

    def set_text(self, text: str) -> None:
        """Show `text` without announcing a change."""
        with self.input.prevent(Input.Changed):
            self.input.value = text
        self._recheck()

    def set_editable(self, editable: bool) -> None:
        self.input.disabled = not editable
        self.input.placeholder = BLANK if editable else ""

    def relabel(self, *_: object) -> None:
        lang = judge_app(self).lang
        self.query_one(".name", Label).update(self.criterion.name.both(pair(lang)))
        self._show_check(lang)

    def _recheck(self) -> None:
        self.check = check_value(self.criterion, self.input.value)
        self._show_check(judge_app(self).lang)

    def _show_check(self, lang: str) -> None:
        check = self.check
        if check.state == "ok":
            text = say("chk_ok", lang)
        elif check.problem is not None:
            text = say(check.problem, lang, max=shown(self.criterion.max),
                       step=shown(self.criterion.step), char=check.char)
        else:
            text = ""
        label = self.query_one(".check", Label)
        label.update(text)
        label.set_class(check.state == "bad", "bad")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        typed = self.input.value
        if narrow(typed) != typed:  # full-width digits shown as the ASCII ones, in place
            at = self.input.cursor_position
            with self.input.prevent(Input.Changed):
                self.input.value = narrow(typed)
            self.input.cursor_position = at
        self._recheck()
        self.post_message(self.Changed(self, self.criterion.id, self.input.value))

    def on_descendant_focus(self) -> None:
        self.add_class("focused")

    def on_descendant_blur(self) -> None:
        self.remove_class("focused")
