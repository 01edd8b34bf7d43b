"""Discrepancy flags, newest first: number, time, contestant, rule, the judges it is about
(the one far from the panel's median, or those at both ends of a spread), the values behind
it, the difference against the limit, and the status. Posts `FlagTable.Chosen` when the cursor moves
to a flag."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from ...projections import FlagRow
from ...scoring import plain
from ..ledger_view import judges_text, rule_text, time_column, time_header
from ..words import say
from . import console_app
from .tables import Cell, refill

COLUMNS = ("id", "time", "contestant", "rule", "judges", "values", "diff", "status")


class FlagTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "key_open"),
    ]

    class Chosen(Message):
        def __init__(self, table: FlagTable, flag: int | None) -> None:
            super().__init__()
            self.table = table
            self.flag = flag

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.flags: list[FlagRow] = []

    def show(self, flags: Sequence[FlagRow], lang: str) -> None:
        app = console_app(self)
        chosen = self.chosen()
        self.flags = list(flags)
        rows: list[tuple[str, list[Cell]]] = []
        offset, times = time_column([app.cache.at(f.id) for f in self.flags], app.zone,
                                    "%H:%M:%S")
        for f, time in zip(self.flags, times, strict=True):
            rule = rule_text(app.head.event, f.rule, f.criterion, lang)
            values = "  ".join(f"{j} {plain(v)}" for j, v in f.compared.items())
            style = "bold" if f.status == "open" else "dim"
            rows.append((str(f.id), [
                Text(f"#{f.id}", style=style), time,
                app.contestant_label(f.contestant), rule,
                Text(judges_text(f.judges, lang), style="bold"), values,
                f"{plain(f.difference)} > {plain(f.threshold)}",
                Text(say(f"flag_{f.status}", lang), style=style)]))
        refill(self, [(key, time_header(say("col_time", lang), offset) if key == "time"
                       else say(f"col_{key}", lang)) for key in COLUMNS], rows)
        ids = [f.id for f in self.flags]
        if chosen in ids:
            self.move_cursor(row=ids.index(chosen), animate=False)
        self.post_message(self.Chosen(self, self.chosen()))

    def chosen(self) -> int | None:
        if not self.flags:
            return None
        index = min(max(self.cursor_row, 0), len(self.flags) - 1)
        return self.flags[index].id

    def chosen_flag(self) -> FlagRow | None:
        chosen = self.chosen()
        return next((f for f in self.flags if f.id == chosen), None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Chosen(self, self.chosen()))
