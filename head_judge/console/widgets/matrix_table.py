"""The live matrix: contestants in running order (rows) by judges (columns). A cell is the
judge's total or its state, with a mark in front or behind (never colour alone): `!` flagged,
`?` review asked, `*` overridden, `p` a paper sheet, `·` waiting, `—` recused, `×` withdrawn.
Rows carry the open flags, the live score, `■` when locked and `◆` once revealed to the hall
(`◇`: revealed, then changed: to be revealed again); `▶` marks the contestant on stage.

A Line API widget: each row is drawn once into a strip and kept until one of its cells, the
cursor or the layout changes, so a sheet landing redraws one row, not the table (a DataTable
re-renders every visible cell on any update). Arrow keys, Page Up/Down, Home/End move the cell
cursor; Enter, a click on the cursor's cell or a double click posts `MatrixTable.Opened`."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sync.event import Event

from ...scoring import plain
from ..state import Cell, Matrix, MatrixRow
from ..words import say

ORDER_WIDTH = 5
FLAGS_WIDTH = 6
FINAL_WIDTH = 8
LOCK_WIDTH = 2
REVEAL_WIDTH = 3
REVEAL_MARKS = {"": "", "shown": "  ◆", "changed": "  ◇"}
MIN_NAME = 6
MAX_NAME = 22


def total_width(event: Event) -> int:
    """Cells a judge's total needs: the rubric's maximum and the step's decimals."""
    exponents = [c.step.normalize().as_tuple().exponent for c in event.criteria]
    decimals = max((-e for e in exponents if isinstance(e, int)), default=0)
    digits = len(str(int(event.rubric_max)))
    return digits + (1 + decimals if decimals > 0 else 0)


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` terminal cells (CJK-aware): padded, or cut with an ellipsis."""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    cut = Text(text)
    cut.truncate(width, overflow="ellipsis")
    return cut.plain + " " * (width - cell_len(cut.plain))


def rjust(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal cells (CJK-aware), cut if longer."""
    pad = width - cell_len(text)
    return " " * pad + text if pad >= 0 else fit(text, width)


def cell_text(cell: Cell, width: int) -> Text:
    """` !87.5?`: a space, the flag mark and the total right-aligned, then the review,
    override or paper mark (the first that applies); a state is its mark in the same
    place."""
    if cell.state != "scored" or cell.total is None:
        mark = {"recused": "—", "withdrawn": "×"}.get(cell.state, "·")
        return Text(f" {mark:>{width + 1}} ", style="dim")
    core = ("!" if cell.flagged else "") + plain(cell.total)
    post = "?" if cell.review else "*" if cell.overridden else "p" if cell.paper else " "
    style = "bold red" if cell.flagged else ("yellow" if cell.review else "")
    return Text(f" {core:>{width + 1}}{post}", style=style)


class MatrixTable(ScrollView, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "key_open"),
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(-1)", show=False),
        Binding("end", "edge(1)", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "matrix--header", "matrix--cursor", "matrix--even", "matrix--stage",
    }
    DEFAULT_CSS = """
    MatrixTable {
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    MatrixTable > .matrix--header { text-style: bold; background: $panel; }
    MatrixTable > .matrix--cursor { background: $block-cursor-background;
                                    color: $block-cursor-foreground; text-style: bold; }
    MatrixTable:blur > .matrix--cursor { background: $block-cursor-blurred-background; }
    MatrixTable > .matrix--even { background: $surface-lighten-1; }
    MatrixTable > .matrix--stage { text-style: bold reverse; }
    """

    cursor_row: reactive[int] = reactive(0, repaint=False)
    cursor_column: reactive[int] = reactive(0, repaint=False)

    class Opened(Message):
        def __init__(self, table: MatrixTable, contestant: str) -> None:
            super().__init__()
            self.table = table
            self.contestant = contestant

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.matrix: Matrix | None = None
        self._keys: list[str] = []
        """Column keys: order, who (when there is room), judge ids, flags, final, lock,
        reveal."""
        self._widths: list[int] = []
        self._header: list[Text] = []
        self._rows: list[str] = []
        self._cells: dict[str, dict[str, Text]] = {}
        self._strips: dict[int, Strip] = {}
        self._shape: tuple[object, ...] = ()
        self._seqs: dict[tuple[str, str], int] = {}
        self._stage: str | None = None
        self._name_width = MAX_NAME
        self._names: dict[str, str] = {}

    # --- layout -------------------------------------------------------------------------------

    def _layout(self, event: Event, lang: str, judges: list[str]) -> None:
        judge = total_width(event) + 3
        width = (self.size.width or self.app.size.width) - 1
        rest = width - ORDER_WIDTH - FLAGS_WIDTH - FINAL_WIDTH - LOCK_WIDTH - REVEAL_WIDTH \
            - judge * len(judges)
        name = min(MAX_NAME, rest)
        self._name_width = name
        self._keys = ["order"] + (["who"] if name >= MIN_NAME else []) + judges \
            + ["flags", "final", "lock", "reveal"]
        widths = {"order": ORDER_WIDTH, "who": name, "flags": FLAGS_WIDTH,
                  "final": FINAL_WIDTH, "lock": LOCK_WIDTH, "reveal": REVEAL_WIDTH}
        self._widths = [widths.get(k, judge) for k in self._keys]
        titles = {"order": rjust(say("col_order", lang), ORDER_WIDTH - 1),
                  "who": " " + say("col_contestant", lang),
                  "flags": rjust(say("col_flags", lang), FLAGS_WIDTH),
                  "final": rjust(say("col_final", lang), FINAL_WIDTH - 1),
                  "lock": say("col_lock", lang),
                  "reveal": rjust(say("col_reveal", lang), REVEAL_WIDTH)}
        self._header = [Text(fit(titles.get(k, rjust(k, judge - 1)), w))
                        for k, w in zip(self._keys, self._widths, strict=True)]

    def _row_cells(self, row: MatrixRow, tw: int) -> dict[str, Text]:
        c = row.contestant
        name = self._names.get(c.id, c.name)
        stage = c.id == self._stage
        cells: dict[str, Text] = {
            "order": Text(("▶" if stage else " ") + f"{c.order:>3} ",
                          style="bold" if stage else ""),
            "who": Text(f"{c.id} {name}" if cell_len(c.id) + 4 <= self._name_width else c.id,
                        style="bold" if stage else "")}
        for judge, cell in row.cells.items():
            cells[judge] = cell_text(cell, tw)
        cells["flags"] = Text(f" !{row.open_flags}" if row.open_flags else "",
                              style="bold red" if row.open_flags else "")
        final = row.standing.final if row.standing is not None else None
        cells["final"] = Text(f"{final:>{FINAL_WIDTH - 1}}" if final is not None else "")
        cells["lock"] = Text(" ■" if row.locked else "", style="bold")
        cells["reveal"] = Text(REVEAL_MARKS[row.revealed],
                               style="bold" if row.revealed == "shown" else "yellow")
        return cells

    def show(self, matrix: Matrix, lang: str, on_stage: str | None,
             event: Event) -> list[int]:
        """Show `matrix`; the ledger entries of the sheets that appeared or changed."""
        judges = [j.id for j in matrix.judges]
        width = self.size.width or self.app.size.width
        names = {c.id: c.name for c in event.contestants}  # a blind final: `[07] 沈秀`
        shape = (lang, width, tuple(judges), tuple(r.contestant.id for r in matrix.rows),
                 tuple(names.items()))
        if shape != self._shape:
            self._layout(event, lang, judges)
            self._names = names
            self._rows = [r.contestant.id for r in matrix.rows]
            self._cells.clear()
            self._strips.clear()
            self._shape = shape
            self.virtual_size = Size(sum(self._widths), len(self._rows) + 1)
            self.refresh()
        if on_stage != self._stage:
            for index, cid in enumerate(self._rows):
                if cid in (on_stage, self._stage):
                    self._strips.pop(index, None)
                    self._cells.pop(cid, None)
            self._stage = on_stage
            self.refresh()
        tw = total_width(event)
        fresh: list[int] = []
        before = {r.contestant.id: r for r in self.matrix.rows} if self.matrix else {}
        for index, row in enumerate(matrix.rows):
            cid = row.contestant.id
            if before.get(cid) is row and cid in self._cells:
                continue  # the same row as shown: nothing to draw
            cells = self._row_cells(row, tw)
            if self._cells.get(cid) != cells:
                self._cells[cid] = cells
                self._strips.pop(index, None)
                self.refresh_line(index)
            for judge, cell in row.cells.items():
                if cell.seq and self._seqs.get((cid, judge)) != cell.seq:
                    self._seqs[(cid, judge)] = cell.seq
                    fresh.append(cell.seq)
        self.matrix = matrix
        self.cursor_row = min(self.cursor_row, max(0, len(self._rows) - 1))
        self.cursor_column = min(self.cursor_column, max(0, len(self._keys) - 1))
        return fresh

    def refresh_line(self, index: int) -> None:
        y = index - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, _event: events.Resize) -> None:
        self._shape = ()  # the next `show` lays the columns out again
        if self.matrix is not None and self.app.is_running:
            screen = self.screen
            if hasattr(screen, "refresh_data"):
                self.call_after_refresh(screen.refresh_data)

    # --- drawing ------------------------------------------------------------------------------

    def get_cell(self, contestant: str, key: str) -> Text:
        """What the cell shows (for tests and the screen reader of the future)."""
        return self._cells.get(contestant, {}).get(key, Text(""))

    def _strip(self, index: int) -> Strip:
        cached = self._strips.get(index)
        if cached is not None:
            return cached
        cid = self._rows[index]
        cells = self._cells.get(cid, {})
        base = self.rich_style
        if index % 2:
            base += self.get_component_rich_style("matrix--even", partial=True)
        segments = []
        for column, (key, width) in enumerate(zip(self._keys, self._widths, strict=True)):
            text = cells.get(key, Text(""))
            style = base + Style.parse(str(text.style)) if text.style else base
            if key == "order" and cid == self._stage:
                style += self.get_component_rich_style("matrix--stage", partial=True)
            if (index, column) == (self.cursor_row, self.cursor_column):
                style += self.get_component_rich_style("matrix--cursor", partial=True)
            segments.append(Segment(fit(text.plain, width), style))
        strip = Strip(segments, sum(self._widths))
        self._strips[index] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            style = self.rich_style + self.get_component_rich_style("matrix--header",
                                                                    partial=True)
            strip = Strip([Segment(t.plain, style) for t in self._header],
                          sum(self._widths))
            return strip.crop(0, width).extend_cell_length(width, style)
        index = round(self.scroll_y) + y - 1
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self.rich_style)
        return self._strip(index).crop(0, width).extend_cell_length(width, self.rich_style)

    # --- the cursor ---------------------------------------------------------------------------

    def _cursor_moved(self, old: tuple[int, int]) -> None:
        for index in {old[0], self.cursor_row}:
            self._strips.pop(index, None)
            self.refresh_line(index)
        rows_shown = max(1, self.size.height - 1)
        if self.cursor_row < self.scroll_y:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= self.scroll_y + rows_shown:
            self.scroll_to(y=self.cursor_row - rows_shown + 1, animate=False)

    def move_to(self, row: int, column: int | None = None) -> None:
        old = (self.cursor_row, self.cursor_column)
        self.cursor_row = min(max(row, 0), max(0, len(self._rows) - 1))
        if column is not None:
            self.cursor_column = min(max(column, 0), max(0, len(self._keys) - 1))
        self._cursor_moved(old)

    def action_move(self, rows: int, columns: int) -> None:
        self.move_to(self.cursor_row + rows, self.cursor_column + columns)

    def action_page(self, pages: int) -> None:
        self.move_to(self.cursor_row + pages * max(1, self.size.height - 2))

    def action_edge(self, end: int) -> None:
        self.move_to(len(self._rows) - 1 if end > 0 else 0)

    def action_open(self) -> None:
        contestant = self.cursor_contestant()
        if contestant is not None:
            self.post_message(self.Opened(self, contestant))

    def on_focus(self) -> None:
        self._strips.pop(self.cursor_row, None)
        self.refresh_line(self.cursor_row)

    def on_blur(self) -> None:
        self.on_focus()

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        row = round(self.scroll_y) + event.y - 1
        x, column = event.x, 0
        for column, width in enumerate(self._widths):  # noqa: B007
            if x < width:
                break
            x -= width
        if not 0 <= row < len(self._rows):
            return
        again = (row, column) == (self.cursor_row, self.cursor_column)
        self.move_to(row, column)
        if again or event.chain > 1:
            self.action_open()

    def cursor_contestant(self) -> str | None:
        return self._rows[self.cursor_row] if self._rows else None

    def cursor_judge(self) -> str | None:
        if self.matrix is None or not self._keys:
            return None
        key = self._keys[self.cursor_column]
        return key if key in {j.id for j in self.matrix.judges} else None

    def go_to(self, contestant: str) -> None:
        if contestant in self._rows:
            self.move_to(self._rows.index(contestant))
