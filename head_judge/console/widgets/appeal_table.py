"""The appeals filed: number, when, contestant, who filed it, the category, the ground and
the outcome."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from ...projections import AppealRow
from ...refusals import Message
from ..ledger_view import time_column, time_header
from ..words import say
from . import console_app
from .tables import Cell, refill


class AppealTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "key_dossier"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.appeals: list[AppealRow] = []

    def show(self, appeals: Sequence[AppealRow], lang: str) -> None:
        app = console_app(self)
        chosen = self.chosen()
        self.appeals = list(appeals)
        rows: list[tuple[str, list[Cell]]] = []
        offset, times = time_column([a.filed_at for a in self.appeals], app.zone,
                                    "%m-%d %H:%M")
        for a, time in zip(self.appeals, times, strict=True):
            style = "bold" if a.status == "open" else ""
            ground = a.ground if len(a.ground) <= 40 else a.ground[:39] + "…"
            rows.append((str(a.id), [f"#{a.id}", time,
                                     app.contestant_label(a.contestant), a.filed_by,
                                     Message(f"line_category_{a.category}").render(lang),
                                     ground,
                                     Text(say(f"appeal_{a.status}", lang), style=style)]))
        refill(self, [(key, time_header(say("col_time", lang), offset) if key == "time"
                       else say(f"col_{key}", lang)) for key in
                      ("id", "time", "contestant", "filed_by", "category", "ground", "status")],
               rows)
        ids = [a.id for a in self.appeals]
        if chosen is not None and chosen.id in ids:
            self.move_cursor(row=ids.index(chosen.id), animate=False)

    def chosen(self) -> AppealRow | None:
        if not self.appeals:
            return None
        return self.appeals[min(max(self.cursor_row, 0), len(self.appeals) - 1)]
