"""Filling a DataTable in one go with columns as wide as their widest cell (CJK-aware), so a
table rebuilt on every refresh never shows cut values while Textual catches up."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

Cell = Text | str


def _width(cell: Cell) -> int:
    text = cell.plain if isinstance(cell, Text) else str(cell)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def refill(table: DataTable[Any], columns: Sequence[tuple[str, Cell]],
           rows: Sequence[tuple[str, Sequence[Cell]]]) -> None:
    """Replace the table's columns and rows; the cursor row stays where it was."""
    row = table.cursor_row
    widths = [_width(label) for _key, label in columns]
    for _key, cells in rows:
        for index, cell in enumerate(cells):
            widths[index] = max(widths[index], _width(cell))
    table.clear(columns=True)
    for (key, label), width in zip(columns, widths, strict=True):
        table.add_column(label, width=width, key=key)
    for key, cells in rows:
        table.add_row(*cells, key=key)
    if rows:
        table.move_cursor(row=min(max(row, 0), len(rows) - 1), animate=False)
