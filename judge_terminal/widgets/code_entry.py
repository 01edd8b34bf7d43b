"""The enrolment code field: digits checked as they are typed, shown grouped as the card
prints them (`3-4827-19561`, the digits still to come as dots), what is wrong marked, and
in words what to do next."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from sync.codes import RANDOM_DIGITS

from ..model import CodeCheck, check_code
from ..words import say
from . import judge_app

PLACEHOLDER = "3-4827-19561"
MAX_TYPED = 40
"""Far more than any code with spaces and dashes: a paste of something else stops here."""
_MARKED = "bold reverse"


class CodeEntry(Vertical):
    """Posts `CodeEntry.Checked` on every change and `CodeEntry.Submitted` on Enter."""

    class Checked(Message):
        def __init__(self, entry: CodeEntry, check: CodeCheck) -> None:
            super().__init__()
            self.entry = entry
            self.check = check

    class Submitted(Message):
        def __init__(self, entry: CodeEntry, check: CodeCheck, text: str) -> None:
            super().__init__()
            self.entry = entry
            self.check = check
            self.text = text

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.check = check_code("")
        self.typed = ""

    def compose(self) -> ComposeResult:
        yield Input(id="code-input", placeholder=PLACEHOLDER, max_length=MAX_TYPED)
        yield Static(id="code-shown")
        yield Static(id="code-check")

    def on_mount(self) -> None:
        self.watch(judge_app(self), "lang", self.redraw)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.typed = event.value
        self.check = check_code(event.value)
        self.redraw()
        self.post_message(self.Checked(self, self.check))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, self.check, event.value))

    def shown(self) -> Text:
        """The digits in the card's groups, the rest of a code as dots; a character that is
        not a digit, digits beyond a code and a whole code that fails its check marked."""
        check = self.check
        out = Text("  ")
        if check.state == "bad_char":  # what was typed, the culprit marked
            at = check.position - 1
            out.append(self.typed[:at])
            out.append(self.typed[at], style=_MARKED)
            out.append(self.typed[at + 1:])
            return out
        if check.state == "empty":
            return out
        seat = check.seat_digits
        sizes = [seat, 4, RANDOM_DIGITS - 4 + 1]
        groups = check.groups
        whole = check.state in ("typo", "zero_start")
        for index, size in enumerate(sizes):
            if index:
                out.append("-")
            typed = groups[index] if index < len(groups) else ""
            out.append(typed, style=_MARKED if whole else "bold")
            out.append("·" * (size - len(typed)), style="dim")
        if len(groups) > len(sizes):  # too long: the digits beyond a code
            out.append("-")
            out.append(groups[-1], style=_MARKED)
        return out

    def message(self, lang: str) -> str:
        check = self.check
        if check.state == "typing":
            return say("code_progress", lang, n=len(check.digits))
        if check.state == "bad_char":
            return say("code_bad_char", lang, position=check.position, char=check.char)
        if check.state == "ok" and check.code is not None:
            return say("code_ok", lang, seat=check.code.seat)
        return say(f"code_{check.state}", lang)

    def redraw(self, *_: object) -> None:
        lang = judge_app(self).lang
        self.query_one("#code-shown", Static).update(self.shown())
        self.query_one("#code-check", Static).update(self.message(lang))
