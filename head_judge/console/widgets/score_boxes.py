"""One box per criterion of the rubric, side by side as on the paper form: the criterion's
name, its range and step, and the box the operator types the judge's number into.

Made for typing fast from paper: space, Tab or Enter moves to the next box; Enter asks for
the row to be recorded (`ScoreBoxes.Done`) once every box holds something (in the last box,
or after correcting one); Shift+Tab or Backspace in an empty box goes back one. Only the
criteria asked are shown (a third operator types only the ones two entries differ on); every
box is empty when a row is asked: nothing another operator typed is ever shown here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from sync.event import Criterion

from ...scoring import plain

NEXT_KEYS = frozenset({"space", "tab", "enter"})


class ScoreBox(Input):
    """A criterion's box: the keys that move on never reach the text; ↓ and ↑ are the
    screen's (skip the row, back one), not a scroll of the box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.skip", "key_paper_skip"),
        Binding("up", "screen.back", "key_paper_back", show=False),
    ]

    def __init__(self, criterion: str) -> None:
        super().__init__(id=f"box-{criterion}", compact=True, select_on_focus=True,
                         max_length=8, classes="score-box")
        self.criterion = criterion

    async def _on_key(self, event: events.Key) -> None:
        boxes = next((a for a in self.ancestors if isinstance(a, ScoreBoxes)), None)
        if isinstance(boxes, ScoreBoxes):
            if event.key in NEXT_KEYS:
                event.stop()
                event.prevent_default()
                boxes.forward(self, submit=event.key == "enter")
                return
            if event.key == "shift+tab" or (event.key == "backspace" and not self.value):
                event.stop()
                event.prevent_default()
                boxes.back(self)
                return
        await super()._on_key(event)


class ScoreBoxes(Horizontal):
    """The row being typed. `ask(criteria)` empties every box and shows those criteria."""

    DEFAULT_CSS: ClassVar[str] = """
    ScoreBoxes { height: 3; padding: 0 1; }
    ScoreBoxes .score-cell { width: 1fr; height: 3; padding: 0 1 0 0; }
    ScoreBoxes .score-name, ScoreBoxes .score-range {
        height: 1; width: 100%; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ScoreBoxes .score-range { color: $text-muted; }
    ScoreBoxes .score-box { width: 100%; background: $boost; }
    """

    class Done(Message):
        """Enter in the last box: record the row."""

    def __init__(self, criteria: Sequence[Criterion], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.criteria = list(criteria)
        self.asked: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        for criterion in self.criteria:
            with Vertical(id=f"cell-{criterion.id}", classes="score-cell"):
                yield Static(id=f"name-{criterion.id}", classes="score-name")
                yield Static(id=f"range-{criterion.id}", classes="score-range")
                yield ScoreBox(criterion.id)

    def relabel(self, lang: str) -> None:
        for number, criterion in enumerate(self.criteria, start=1):
            self.query_one(f"#name-{criterion.id}", Static).update(
                f"{number} {criterion.name.get(lang)}")
            step = "" if criterion.step == 1 else f" ·{plain(criterion.step)}"
            self.query_one(f"#range-{criterion.id}", Static).update(
                f"0–{plain(criterion.max)}{step}")

    def boxes(self) -> list[ScoreBox]:
        """The boxes asked, in the form's order."""
        return [b for b in self.query(ScoreBox) if b.criterion in self.asked]

    def box(self, criterion: str) -> ScoreBox:
        return self.query_one(f"#box-{criterion}", ScoreBox)

    def ask(self, criteria: Sequence[str]) -> None:
        """Empty every box and show only `criteria`; the first one takes the keys."""
        self.asked = tuple(criteria)
        for criterion in self.criteria:
            self.query_one(f"#cell-{criterion.id}").display = criterion.id in self.asked
            self.box(criterion.id).value = ""
        self.start()

    def start(self) -> None:
        boxes = self.boxes()
        if boxes:
            self.take_keys(boxes[0])

    def take_keys(self, box: ScoreBox) -> None:
        """`box` takes the keys now, not after the keys already sent (a fast typist's next
        number goes into the next box)."""
        self.screen.set_focus(box)

    def values(self) -> dict[str, str]:
        """What each box asked holds, stripped (empty boxes too)."""
        return {b.criterion: b.value.strip() for b in self.boxes()}

    def forward(self, box: ScoreBox, *, submit: bool) -> None:
        boxes = self.boxes()
        index = boxes.index(box) if box in boxes else -1
        if submit and all(b.value.strip() for b in boxes):
            self.post_message(self.Done())
        elif 0 <= index < len(boxes) - 1:
            self.take_keys(boxes[index + 1])
        elif submit:
            self.post_message(self.Done())  # a box left empty: the screen says which
        elif boxes:
            self.take_keys(boxes[0])

    def back(self, box: ScoreBox) -> None:
        boxes = self.boxes()
        index = boxes.index(box) if box in boxes else 0
        if index > 0:
            self.take_keys(boxes[index - 1])
