"""The top line: the app and the event on the left, the judge and the time on the right (in
the event's time zone, with its offset: `10:30 +08:00`)."""

from __future__ import annotations

from rich.table import Table
from textual.widgets import Static

from sync.store import StoreError
from sync.zones import with_offset

from ..words import say
from . import judge_app


class TitleBar(Static):
    """One line; follows the language and refreshes the clock every 15 s."""

    def on_mount(self) -> None:
        app = judge_app(self)
        self.watch(app, "lang", self.redraw)
        self.set_interval(15, self.redraw)

    def redraw(self, *_: object) -> None:
        app = judge_app(self)
        lang = app.lang
        left = say("app_title", lang)
        right = with_offset(app.local_now(), "%H:%M")
        enrolment = app.store.enrolment()
        if enrolment is not None:
            try:
                event = app.store.event()
            except StoreError:
                event = None
            if event is not None:
                left = f"{left} · {event.name.get(lang)}"
                judge = event.judge(enrolment.judge)
                name = judge.name.get(lang) if judge is not None else ""
                right = f"{say('judge', lang)} {enrolment.judge} {name}  {right}"
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(no_wrap=True, justify="right", width=None)
        grid.add_row(left, "  " + right)
        self.update(grid)
