"""The queue: contestants in running order with organisation, this judge's status (a word
with an ASCII mark in front, never colour alone) and total. The contestant on stage is
marked `>>` and highlighted. Digits jump to a running number; Enter (or a click) opens."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from sync.event import Event

from ..model import Queue, QueueRow, shown
from ..words import contestant_name, say

FIXED = {"order": 4, "id": 5, "name": 10, "status": 20, "total": 6}
"""Column widths in cells; the organisation takes the rest."""
ORG_MAX = 40
JUMP_SECONDS = 1.2


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, with an ellipsis when cut (CJK-aware)."""
    if cell_len(text) <= width:
        return text
    cut = Text(text)
    cut.truncate(width, overflow="ellipsis")
    return cut.plain


class QueueTable(DataTable[Any]):
    """Posts `QueueTable.Opened` when the judge opens a contestant."""

    class Opened(Message):
        def __init__(self, table: QueueTable, contestant: str) -> None:
            super().__init__()
            self.table = table
            self.contestant = contestant

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first_row", show=False),
        Binding("end", "last_row", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._queue: Queue | None = None
        self._lang = "zh"
        self._org_width = 0
        self._typed = ""
        self._typed_at = 0.0

    def org_width(self) -> int:
        width = self.size.width or self.app.size.width
        padding = 2 * self.cell_padding * (len(FIXED) + 1)
        return min(ORG_MAX, max(8, width - sum(FIXED.values()) - padding - 2))

    def show(self, queue: Queue, lang: str) -> None:
        """Show `queue`; rebuilt when the language, the width or the contestants change,
        otherwise updated in place (the cursor stays)."""
        keys = [r.contestant.id for r in queue.rows]
        old = [r.contestant.id for r in self._queue.rows] if self._queue is not None else None
        width = self.org_width()
        if old != keys or lang != self._lang or width != self._org_width:
            self._rebuild(queue, lang, width)
        else:
            for row in queue.rows:
                for key, cell in zip(FIXED_ORDER, self._cells(row), strict=True):
                    self.update_cell(row.contestant.id, key, cell)
        self._queue = queue

    def _rebuild(self, queue: Queue, lang: str, width: int) -> None:
        cursor = self.cursor_row
        self._lang, self._org_width = lang, width
        self.clear(columns=True)
        widths = {**FIXED, "org": width}
        for key in FIXED_ORDER:
            self.add_column(say(f"col_{key}", lang), width=widths[key], key=key)
        for row in queue.rows:
            self.add_row(*self._cells(row), key=row.contestant.id)
        if queue.rows:
            self.move_cursor(row=min(max(cursor, 0), len(queue.rows) - 1), animate=False)

    def _cells(self, row: QueueRow) -> list[Text]:
        c = row.contestant
        style = "bold reverse" if row.on_stage else ""
        order = (">>" if row.on_stage else "") + str(c.order)
        event = getattr(self.app, "event", None)  # the judge app's (blind: draw numbers)
        name = contestant_name(event, c, self._lang) if isinstance(event, Event) else c.name
        cells = [order, c.id, fit(name, FIXED["name"]), fit(c.organisation, self._org_width),
                 say(f"st_{row.status}", self._lang),
                 shown(row.total) if row.total is not None else ""]
        return [Text(value, style=style, justify="right" if i in (0, 5) else "left")
                for i, value in enumerate(cells)]

    def on_resize(self, _event: events.Resize) -> None:
        if self._queue is not None and self.org_width() != self._org_width:
            self.show(self._queue, self._lang)

    def contestant_at_cursor(self) -> str | None:
        if self._queue is None or not self._queue.rows:
            return None
        index = min(max(self.cursor_row, 0), len(self._queue.rows) - 1)
        return self._queue.rows[index].contestant.id

    def go_to(self, contestant: str) -> bool:
        if self._queue is None:
            return False
        for index, row in enumerate(self._queue.rows):
            if row.contestant.id == contestant:
                self.move_cursor(row=index, animate=False)
                return True
        return False

    def action_first_row(self) -> None:
        self.move_cursor(row=0, animate=False)

    def action_last_row(self) -> None:
        self.move_cursor(row=self.row_count - 1, animate=False)

    def on_blur(self) -> None:
        self._typed = ""

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._typed = ""
        if event.row_key.value is not None:
            self.post_message(self.Opened(self, str(event.row_key.value)))

    async def _on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            event.stop()
            now = event.time
            if now - self._typed_at > JUMP_SECONDS:
                self._typed = ""
            self._typed = (self._typed + event.character)[-4:]
            self._typed_at = now
            if self._queue is not None:
                for index, row in enumerate(self._queue.rows):
                    if str(row.contestant.order) == self._typed.lstrip("0"):
                        self.move_cursor(row=index, animate=False)
                        break
            return
        await super()._on_key(event)


FIXED_ORDER = ("order", "id", "name", "org", "status", "total")
