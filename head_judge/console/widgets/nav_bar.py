"""The screens, numbered 1-9 and 0 as their keys, the current one marked; each one clickable, and
the language switch at the end."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from ..words import WORDS, say
from . import console_app

SCREENS: tuple[str, ...] = ("overview", "discrepancies", "contestant", "enrolment",
                            "components", "results", "appeals", "audit", "print", "paper")


def screen_key(number: int) -> str:
    """The key of the `number`th screen (from 1): 1-9, then 0."""
    return str(number % 10)


class NavBar(Static):
    def __init__(self, current: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.current = current
        self._shown: tuple[str, int, str] | None = None

    def on_mount(self) -> None:
        app = console_app(self)
        self.watch(app, "lang", self.redraw)
        self.watch(app, "data_version", self.redraw)

    def redraw(self, *_: object) -> None:
        app = console_app(self)
        lang = app.lang
        flags = app.open_flag_count()
        width = self.size.width or app.size.width
        full = sum(cell_len(say(f"nav_{n}", lang)) + 4 for n in SCREENS) + 12
        short = "_short" if full > width and f"nav_{SCREENS[1]}_short" in WORDS else ""
        parts = []
        for number, name in enumerate(SCREENS, start=1):
            key = f"nav_{name}{short}"
            label = say(key if key in WORDS else f"nav_{name}", lang)
            if name == "discrepancies" and flags:
                label += f" !{flags}"
            style = "b reverse" if name == self.current else ""
            mark = "▸" if name == self.current else " "
            parts.append(Content.from_markup(
                f"[@click=app.screen('{name}')][{style}]{mark}$key $label [/][/]"
                if style else f"[@click=app.screen('{name}')]{mark}$key $label[/]",
                label=label, key=screen_key(number)))
        parts.append(Content.from_markup("[@click=app.toggle_language][dim]F4[/] $other[/]",
                                         other=say("other_language", lang)))
        shown = (lang, flags, short)
        if shown != self._shown:  # an update lays the screen out again: only when it changed
            self._shown = shown
            self.update(Content(" ").join(parts))

    def on_resize(self) -> None:
        self._shown = None
        self.redraw()
