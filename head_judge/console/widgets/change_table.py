"""Values of an imported component: what a file would do, row by row (contestant, new /
changed / unchanged / blocked, was, new, why) or, with no preview, the values recorded now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...actions import ROW_BLOCKED, ROW_CHANGED, ROW_NEW, ROW_UNCHANGED, ComponentRow
from ...scoring import plain
from ..words import say
from . import console_app
from .tables import Cell, refill

_STYLES = {ROW_NEW: "green", ROW_CHANGED: "yellow", ROW_UNCHANGED: "dim",
           ROW_BLOCKED: "bold red"}


class ChangeTable(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show_preview(self, preview: Sequence[ComponentRow], lang: str) -> None:
        """Every row of a file: new, changed, unchanged or blocked, and why."""
        app = console_app(self)
        rows: list[tuple[str, list[Cell]]] = [
            (r.contestant, [app.contestant_label(r.contestant, organisation=True),
                            Text(r.said_status.render(lang), style=_STYLES[r.status]),
                            "—" if r.old is None else plain(r.old),
                            Text(plain(r.new), style="bold" if r.status != ROW_UNCHANGED
                                 else "dim"),
                            r.why().render(lang)]) for r in preview]
        refill(self, [(key, say(f"col_{key}", lang))
                      for key in ("contestant", "status", "old", "new", "why")], rows)

    def show_values(self, values: Mapping[str, Decimal], lang: str) -> None:
        app = console_app(self)
        rows: list[tuple[str, list[Cell]]] = []
        for c in app.head.event.contestants:
            value = values.get(c.id)
            rows.append((c.id, [app.contestant_label(c.id, organisation=True),
                                plain(value) if value is not None
                                else Text("—", style="dim")]))
        refill(self, [(key, say(f"col_{key}", lang)) for key in ("contestant", "value")], rows)
