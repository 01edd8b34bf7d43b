"""The live matrix: contestants in running order (rows) by judges (columns). A cell is the
judge's total or its state, with a mark in front or behind (never colour alone): `!` flagged,
`?` review asked, `*` overridden, `·` waiting, `—` recused, `×` withdrawn. Rows carry the open
flags, the live score and `■` when locked; `▶` marks the contestant on stage.

Updated in place: only cells whose text changed are redrawn, and the cursor stays. Posts
`MatrixTable.Opened` when a contestant is opened (Enter or a click on the cursor)."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from sync.event import Event

from ...scoring import plain
from ..state import Cell, Matrix, MatrixRow
from ..words import say

ORDER_WIDTH = 5
FLAGS_WIDTH = 6
FINAL_WIDTH = 8
LOCK_WIDTH = 2
MIN_NAME = 6
MAX_NAME = 22


def total_width(event: Event) -> int:
    """Cells a judge's total needs: the rubric's maximum and the step's decimals."""
    exponents = [c.step.normalize().as_tuple().exponent for c in event.criteria]
    decimals = max((-e for e in exponents if isinstance(e, int)), default=0)
    digits = len(str(int(event.rubric_max)))
    return digits + (1 + decimals if decimals > 0 else 0)


def rjust(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal cells (CJK-aware), cut if longer."""
    pad = width - cell_len(text)
    return " " * pad + text if pad >= 0 else fit(text, width)


def fit(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    cut = Text(text)
    cut.truncate(width, overflow="ellipsis")
    return cut.plain


def cell_text(cell: Cell, width: int) -> Text:
    """` !87.5?`: space, flag mark, total right-aligned, then review or override mark."""
    mark = {"recused": "—", "withdrawn": "×"}.get(cell.state, "·")
    if cell.state != "scored" or cell.total is None:
        return Text(f" {mark:>{width + 1}} ", style="dim")
    core = ("!" if cell.flagged else "") + plain(cell.total)
    post = "?" if cell.review else ("*" if cell.overridden else " ")
    style = "bold red" if cell.flagged else ("yellow" if cell.review else "")
    return Text(f" {core:>{width + 1}}{post}", style=style)


class MatrixTable(DataTable[Any]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "key_open"),
    ]

    class Opened(Message):
        def __init__(self, table: MatrixTable, contestant: str) -> None:
            super().__init__()
            self.table = table
            self.contestant = contestant

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True, cell_padding=0)
        self.matrix: Matrix | None = None
        self._shape: tuple[object, ...] = ()
        self._texts: dict[tuple[str, str], str] = {}
        self._seqs: dict[tuple[str, str], int] = {}
        self.fixed_columns = 2

    # --- layout -------------------------------------------------------------------------------

    def _widths(self, event: Event) -> tuple[int, int]:
        """(judge cell width, name width) for the space there is."""
        judge = total_width(event) + 3
        width = (self.size.width or self.app.size.width) - 2
        rest = width - ORDER_WIDTH - FLAGS_WIDTH - FINAL_WIDTH - LOCK_WIDTH - 1
        name = rest - judge * len(event.judges)
        return judge, min(MAX_NAME, max(0, name))

    def _row_cells(self, row: MatrixRow, on_stage: str | None, judge_width: int,
                   name_width: int, tw: int) -> dict[str, Text]:
        c = row.contestant
        stage = c.id == on_stage
        cells: dict[str, Text] = {
            "order": Text(("▶" if stage else " ") + f"{c.order:>3} ",
                          style="bold reverse" if stage else "")}
        if name_width >= MIN_NAME:
            cells["who"] = Text(fit(f"{c.id} {c.name}", name_width),
                                style="bold" if stage else "")
        for judge, cell in row.cells.items():
            cells[judge] = cell_text(cell, tw)
        cells["flags"] = Text(f" !{row.open_flags}" if row.open_flags else "",
                              style="bold red" if row.open_flags else "")
        final = row.standing.final if row.standing is not None else None
        cells["final"] = Text(f"{final:>{FINAL_WIDTH - 1}}" if final is not None else "")
        cells["lock"] = Text(" ■" if row.locked else "", style="bold")
        return cells

    def show(self, matrix: Matrix, lang: str, on_stage: str | None,
             event: Event) -> list[int]:
        """Show `matrix`; the ledger entries of the sheets that appeared or changed."""
        judge_width, name_width = self._widths(event)
        tw = total_width(event)
        shape = (lang, judge_width, name_width >= MIN_NAME, name_width,
                 tuple(j.id for j in matrix.judges),
                 tuple(r.contestant.id for r in matrix.rows))
        fresh: list[int] = []
        if shape != self._shape:
            self._rebuild(matrix, lang, on_stage, judge_width, name_width, tw)
            self._shape = shape
        else:
            for row in matrix.rows:
                cid = row.contestant.id
                for key, text in self._row_cells(row, on_stage, judge_width, name_width,
                                                 tw).items():
                    plain_text = text.plain + str(text.style)
                    if self._texts.get((cid, key)) != plain_text:
                        self._texts[(cid, key)] = plain_text
                        self.update_cell(cid, key, text)
        for row in matrix.rows:
            for judge, cell in row.cells.items():
                pair = (row.contestant.id, judge)
                if cell.seq and self._seqs.get(pair) != cell.seq:
                    self._seqs[pair] = cell.seq
                    fresh.append(cell.seq)
        self.matrix = matrix
        return fresh

    def _rebuild(self, matrix: Matrix, lang: str, on_stage: str | None, judge_width: int,
                 name_width: int, tw: int) -> None:
        row_index, column_index = self.cursor_coordinate
        self.clear(columns=True)
        self._texts.clear()
        self.add_column(rjust(say("col_order", lang), ORDER_WIDTH - 1), width=ORDER_WIDTH,
                        key="order")
        if name_width >= MIN_NAME:
            self.add_column(" " + say("col_contestant", lang), width=name_width, key="who")
        for judge in matrix.judges:
            self.add_column(Text(judge.id.rjust(judge_width - 1)), width=judge_width,
                            key=judge.id)
        self.add_column(rjust(say("col_flags", lang), FLAGS_WIDTH), width=FLAGS_WIDTH,
                        key="flags")
        self.add_column(rjust(say("col_final", lang), FINAL_WIDTH - 1), width=FINAL_WIDTH,
                        key="final")
        self.add_column(say("col_lock", lang), width=LOCK_WIDTH, key="lock")
        for row in matrix.rows:
            cells = self._row_cells(row, on_stage, judge_width, name_width, tw)
            for key, text in cells.items():
                self._texts[(row.contestant.id, key)] = text.plain + str(text.style)
            self.add_row(*cells.values(), key=row.contestant.id)
        if matrix.rows:
            self.move_cursor(row=min(max(row_index, 0), len(matrix.rows) - 1),
                             column=min(max(column_index, 0), len(self.columns) - 1),
                             animate=False)

    def on_resize(self, _event: events.Resize) -> None:
        self._shape = ()  # the next `show` lays the columns out again

    # --- where the cursor is ------------------------------------------------------------------

    def cursor_contestant(self) -> str | None:
        if self.matrix is None or not self.matrix.rows:
            return None
        index = min(max(self.cursor_row, 0), len(self.matrix.rows) - 1)
        return self.matrix.rows[index].contestant.id

    def cursor_judge(self) -> str | None:
        if self.matrix is None or not self.columns:
            return None
        keys = list(self.columns)
        column = keys[min(max(self.cursor_column, 0), len(keys) - 1)].value
        return column if column in {j.id for j in self.matrix.judges} else None

    def go_to(self, contestant: str) -> None:
        if self.matrix is None:
            return
        for index, row in enumerate(self.matrix.rows):
            if row.contestant.id == contestant:
                self.move_cursor(row=index, animate=False)
                return

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        if event.cell_key.row_key.value is not None:
            self.post_message(self.Opened(self, str(event.cell_key.row_key.value)))
