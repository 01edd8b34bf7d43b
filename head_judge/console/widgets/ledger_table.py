"""Ledger entries, newest first: number, local time, kind, actor and what it records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...ledger import Entry
from ..ledger_view import actor_name, kind_name
from ..words import say
from . import console_app

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
        self.clear(columns=True)
        for key in ("seq", "time", "kind", "actor", "summary"):
            self.add_column(say(f"col_{key}", lang), key=key)
        for entry in reversed(entries[-SHOWN:]):
            actor = actor_name(app.cache, entry.actor, lang)
            style = "bold red" if entry.kind == "alarm" else ""
            self.add_row(str(entry.seq), app.local(entry.at, "%m-%d %H:%M:%S"),
                         Text(kind_name(entry.kind, lang), style=style), actor,
                         app.cache.describe(entry, lang), key=str(entry.seq))
        self._shown, self._lang = newest, lang
