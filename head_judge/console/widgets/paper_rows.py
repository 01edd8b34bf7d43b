"""The rows of a paper form and where each stands for the operator at the desk: to type,
second entry due, differing on which criteria, agreed (which revision), scored on the
laptop, recused, excused, and a conflict with the laptop sheet. Never a value typed (the
second typing is blind). The row being typed is marked `▸`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from sync.event import Event

from ...paper_desk import RowState
from ..words import say
from .tables import Cell, refill

STYLES = {"agreed": "green", "settle": "bold red", "struck": "dim", "excused": "dim",
          "laptop": "dim", "typed": "dim"}


def criteria_names(event: Event, ids: Sequence[str], lang: str) -> str:
    """Criteria named in `lang`, as the form names them."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(c.name.get(lang) if (c := event.criterion(i)) else i for i in ids)


def status_text(event: Event, row: RowState, lang: str,
                differs: Sequence[str] = ()) -> Text:
    """What the table says of a row (with `conflict` after it when there is one);
    `differs`: the criteria the entries of a row this operator typed differ on."""
    if row.status == "settle" or differs:
        text = say("paper_status_settle", lang,
                   criteria=criteria_names(event, differs or row.asked, lang))
    else:
        text = say(f"paper_status_{row.status}", lang, revision=row.round)
    shown = Text(text, style=STYLES.get(row.status, ""))
    if row.conflict:
        shown.append(" · " + say("paper_status_conflict", lang), style="bold red")
    return shown


class PaperRows(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show(self, event: Event, rows: Sequence[RowState], current: str | None,
             lang: str, differs: Mapping[str, Sequence[str]] | None = None) -> None:
        columns: list[tuple[str, Cell]] = [
            ("mark", ""), ("order", say("col_order", lang)), ("id", say("col_id", lang)),
            ("contestant", say("col_contestant", lang)), ("status", say("col_status", lang))]
        table = []
        for row in rows:
            c = row.contestant
            mark = Text("▸", style="bold") if c.id == current else ""
            name = Text(c.name, style="strike dim") if row.status == "struck" else c.name
            table.append((c.id, [mark, str(c.order), c.id, name,
                                 status_text(event, row, lang,
                                             (differs or {}).get(c.id, ()))]))
        refill(self, columns, table)
        keys = [key for key, _cells in table]
        if current in keys:
            self.move_cursor(row=keys.index(current), animate=False)
