"""Ledger entries, newest first: number, local time (the offset in the column's header),
kind, actor and what it records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...ledger import Entry
from ..ledger_view import actor_name, kind_name, time_column, time_header
from ..words import say
from . import console_app
from .tables import Cell, refill

SHOWN = 500
"""At most this many entries are listed (the newest matching ones)."""


class LedgerTable(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._lang = ""
        self._shown: tuple[int, ...] = ()

    def show(self, entries: Sequence[Entry], lang: str) -> None:
        app = console_app(self)
        newest = tuple(e.seq for e in reversed(entries[-SHOWN:]))
        if newest == self._shown and lang == self._lang:
            return
        rows: list[tuple[str, list[Cell]]] = []
        shown = list(reversed(entries[-SHOWN:]))
        offset, times = time_column([e.at for e in shown], app.zone, "%m-%d %H:%M:%S")
        for entry, time in zip(shown, times, strict=True):
            style = "bold red" if entry.kind == "alarm" else ""
            rows.append((str(entry.seq), [
                str(entry.seq), time,
                Text(kind_name(entry.kind, lang), style=style),
                actor_name(app.cache, entry.actor, lang), app.cache.describe(entry, lang)]))
        refill(self, [(key, time_header(say("col_time", lang), offset) if key == "time"
                       else say(f"col_{key}", lang))
                      for key in ("seq", "time", "kind", "actor", "summary")], rows)
        self._shown, self._lang = newest, lang
