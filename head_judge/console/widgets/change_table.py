"""Values of an imported component: what a file would change (contestant, was, new) or, with
no preview, the values recorded now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...actions import ComponentChange
from ...scoring import plain
from ..words import say
from . import console_app
from .tables import Cell, refill


class ChangeTable(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show_changes(self, changes: Sequence[ComponentChange], lang: str) -> None:
        app = console_app(self)
        rows: list[tuple[str, list[Cell]]] = [
            (c.contestant, [app.contestant_label(c.contestant, organisation=True),
                            "—" if c.old is None else plain(c.old),
                            Text(plain(c.new), style="bold")]) for c in changes]
        refill(self, [(key, say(f"col_{key}", lang)) for key in ("contestant", "old", "new")],
               rows)

    def show_values(self, values: Mapping[str, Decimal], lang: str) -> None:
        app = console_app(self)
        rows: list[tuple[str, list[Cell]]] = []
        for c in app.head.event.contestants:
            value = values.get(c.id)
            rows.append((c.id, [app.contestant_label(c.id, organisation=True),
                                plain(value) if value is not None
                                else Text("—", style="dim")]))
        refill(self, [(key, say(f"col_{key}", lang)) for key in ("contestant", "value")], rows)
