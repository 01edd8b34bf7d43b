"""Every reason, note and value the head judge types is entered here: a dialog of labelled
fields (typed text, or a choice), with the context it is about. The action runs from the
dialog; the master's refusal shows in it and the dialog stays open to fix the input.

Focus opens on the first field to type (a ring shows it); Tab moves through the fields and the
confirm button, never to Cancel (Esc, or a click): Enter on a focused button always means
confirm. A letter typed while the button has focus goes back into the field last typed in,
never nowhere."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from ...actions import MAX_TEXT
from ..words import say
from .base import ConsoleModal
from .dialogs import Line, Phrase, shown


@dataclass(frozen=True)
class Field:
    """One input. With `choices` ((shown, value), ...) it is a choice, else typed text."""

    name: str
    label: str
    """A `words` key."""
    choices: tuple[tuple[str, str], ...] = ()
    value: str = ""
    required: bool = True
    max_length: int = MAX_TEXT


class FormDialog(ConsoleModal[dict[str, str] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: Phrase, fields: Sequence[Field],
                 context: Sequence[Line] = (), *, ok: str = "key_ok",
                 danger: bool = False,
                 submit: Callable[[Mapping[str, str]], str | None] | None = None) -> None:
        super().__init__()
        self.title_phrase = title
        self.fields = list(fields)
        self.context = list(context)
        self.ok = ok
        self.danger = danger
        self.submit = submit
        self.problem: Phrase | str = ""
        self._typed_in: Input | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog" + (" danger" if self.danger else "")):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Static(id="dialog-context")
            for f in self.fields:
                yield Static(id=f"label-{f.name}", classes="field-label")
                if f.choices:
                    yield Select[str](list(f.choices), id=f"field-{f.name}", allow_blank=False,
                                      value=f.value or f.choices[0][1], compact=True)
                else:
                    yield Input(f.value, id=f"field-{f.name}", max_length=f.max_length,
                                compact=True, select_on_focus=False)  # typing adds to it
            yield Static(id="dialog-problem", classes="problem")
            with Horizontal(classes="buttons"):
                yield Button("", id="ok", variant="error" if self.danger else "primary",
                             compact=True)
                cancel = Button("", id="cancel", compact=True)
                cancel.can_focus = False
                yield cancel

    def on_mount(self) -> None:
        super().on_mount()
        empty = [f for f in self.fields if not f.choices and not f.value]
        first = empty[0] if empty else (self.fields[0] if self.fields else None)
        if first is not None:
            self.query_one(f"#field-{first.name}").focus()

    def relabel(self) -> None:
        lang = self.capp.lang
        self.query_one("#dialog-title", Static).update(self.title_phrase.say(lang))
        self.query_one("#dialog-context", Static).update(
            "\n".join(shown(line, lang) for line in self.context))
        self.query_one("#dialog-context").display = bool(self.context)
        for f in self.fields:
            self.query_one(f"#label-{f.name}", Static).update(say(f.label, lang))
        self.query_one("#ok", Button).label = f"Enter  {say(self.ok, lang)}"
        self.query_one("#cancel", Button).label = f"Esc  {say('key_cancel', lang)}"
        self._show_problem()

    def _show_problem(self) -> None:
        lang = self.capp.lang
        text = ""
        if isinstance(self.problem, Phrase):
            text = self.problem.say(lang)
        elif self.problem:
            text = say("refused", lang, reason=self.problem)
        self.query_one("#dialog-problem", Static).update(text)

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in self.fields:
            widget: Any = self.query_one(f"#field-{f.name}")
            value = widget.value
            out[f.name] = value.strip() if isinstance(value, str) else str(value)
        return out

    def done(self) -> None:
        values = self.values()
        for f in self.fields:
            if f.required and not values[f.name]:
                self.problem = Phrase("required", {"what": say(f.label, self.capp.lang)})
                self._show_problem()
                self.query_one(f"#field-{f.name}").focus()
                return
        if self.submit is not None:
            problem = self.submit(values)
            if problem:
                self.problem = problem
                self._show_problem()
                return
        self.dismiss(values)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input):
            self._typed_in = event.widget

    def on_key(self, event: events.Key) -> None:
        """A character typed on the button: into the field, not lost."""
        if isinstance(self.focused, Button) and event.is_printable and event.character:
            inputs = list(self.query(Input))
            target = self._typed_in or (inputs[0] if inputs else None)
            if target is not None:
                event.stop()
                event.prevent_default()
                target.focus()
                target.insert_text_at_cursor(event.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        names = [f.name for f in self.fields]
        name = (event.input.id or "").removeprefix("field-")
        later = [f for f in self.fields[names.index(name) + 1:] if not f.choices] \
            if name in names else []
        if later:
            self.query_one(f"#field-{later[0].name}").focus()
        else:
            self.done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.done()
        else:
            self.dismiss(None)
