"""The sheets just printed: what each is, its sheet code (as printed on every page) and its
file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...printing import PrintedSheet
from ..words import say
from .tables import refill


class PrintedTable(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show(self, printed: Sequence[PrintedSheet], lang: str) -> None:
        refill(self, [(key, say(f"col_{key}", lang)) for key in ("sheet_code", "subject", "file")],
               [(str(p.file), [Text(p.code, style="bold"), p.title.render(lang), p.file.name])
                for p in printed])
