"""The bottom line: the keys that work here, in words, each one also clickable."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.markup import escape
from textual.widgets import Static

from ..words import say
from . import judge_app

Key = tuple[str, str, str]
"""(what to press, the action it runs, the `words` key saying what it does)."""


class KeyBar(Static):
    def __init__(self, keys: Sequence[Key] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys = list(keys)

    def on_mount(self) -> None:
        self.watch(judge_app(self), "lang", self.redraw)

    def set_keys(self, keys: Sequence[Key]) -> None:
        self._keys = list(keys)
        self.redraw()

    def redraw(self, *_: object) -> None:
        lang = judge_app(self).lang
        parts = [
            Content.from_markup(f"[@click={action}][b reverse] {escape(key)} [/] $what[/]",
                                what=say(word, lang))
            for key, action, word in self._keys
        ]
        self.update(Content(" ").join(parts))
