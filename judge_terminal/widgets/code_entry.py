"""The enrolment code field: checked as it is typed, the code shown in numbered blocks of
seven with the typo's blocks bracketed and named in words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ..model import CodeCheck, check_code
from ..words import say
from . import judge_app

BLOCKS_PER_LINE = 4


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

    def compose(self) -> ComposeResult:
        yield Input(id="code-input", placeholder="XXXXXXX-XXXXXXX-…")
        yield Static(id="code-blocks")
        yield Static(id="code-check")

    def on_mount(self) -> None:
        self.watch(judge_app(self), "lang", self.redraw)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.check = check_code(event.value)
        self.redraw()
        self.post_message(self.Checked(self, self.check))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, self.check, event.value))

    def blocks(self) -> Text:
        check = self.check
        bad = check.bad_blocks or (0, 0)
        out = Text()
        for index, block in enumerate(check.blocks, start=1):
            if index > 1:
                out.append("\n" if (index - 1) % BLOCKS_PER_LINE == 0 else " ")
            marked = bad[0] <= index <= bad[1]
            out.append(f"[{index:>2} {block:<7}]" if marked else f" {index:>2} {block:<7} ",
                       style="bold reverse" if marked else "")
        return out

    def message(self, lang: str) -> str:
        check = self.check
        if check.state == "empty":
            return say("code_empty", lang)
        if check.state == "typing":
            return say("code_progress", lang, n=len(check.chars))
        if check.state == "typo" and check.bad_blocks:
            first, second = check.bad_blocks
            return say("code_typo", lang, first=first, second=second)
        if check.state == "bad_char":
            return say("code_bad_char", lang, block=check.char_block, char=check.char)
        if check.state in ("too_long", "invalid"):
            return say(f"code_{check.state}", lang)
        if check.code is not None:
            return say("code_ok", lang, seat=check.code.seat)
        return ""

    def redraw(self, *_: object) -> None:
        lang = judge_app(self).lang
        self.query_one("#code-blocks", Static).update(self.blocks())
        self.query_one("#code-check", Static).update(self.message(lang))
