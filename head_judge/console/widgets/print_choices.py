"""The kinds of sheet that can be printed, each marked `[x]` or `[ ]` (Space or Enter ticks,
A all or none). Enrolment cards are never ticked by themselves: printing them issues new
codes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..words import say


class PrintChoices(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "tick", "key_toggle"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self._kinds: list[str] = []
        self._counts: dict[str, int] = {}
        self._ticked: set[str] = set()
        self._lang = "zh"

    def show(self, subjects: Mapping[str, Sequence[str]], lang: str) -> None:
        if not self._kinds:
            self._ticked = {k for k in subjects if k not in ("enrolment", "form")}
        self._kinds = list(subjects)
        self._counts = {k: len(v) for k, v in subjects.items()}
        self._lang = lang
        self._draw()

    def _draw(self) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([
            Option(Text(("[x] " if kind in self._ticked else "[ ] ")
                        + say(f"pk_{kind}", self._lang, n=self._counts[kind]),
                        style="bold" if kind in self._ticked else ""), id=kind)
            for kind in self._kinds])
        if self._kinds:
            self.highlighted = min(highlighted or 0, len(self._kinds) - 1)

    def action_tick(self) -> None:
        if self.highlighted is None or not self._kinds:
            return
        kind = self._kinds[self.highlighted]
        self._ticked ^= {kind}
        self._draw()

    def tick_all(self) -> None:
        self._ticked = set() if self._ticked >= set(self._kinds) else set(self._kinds)
        self._draw()

    def ticked(self) -> list[str]:
        return [k for k in self._kinds if k in self._ticked]
