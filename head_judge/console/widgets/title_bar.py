"""The top line: the final's name, the server's address and terminals online, who is on
stage, and the time in the event's time zone, with its offset (`10:30:00 +08:00`)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sync.zones import with_offset

from . import console_app


class TitleBar(Static):
    def on_mount(self) -> None:
        app = console_app(self)
        for name in ("lang", "live_version", "on_stage", "serve_state"):
            self.watch(app, name, self.redraw)

    def redraw(self, *_: object) -> None:
        app = console_app(self)
        lang = app.lang
        event = app.head.event
        name, stage = event.name.get(lang), event.round.get(lang)
        left = Text(f" {name} " if stage in name else f" {name} · {stage} ", style="bold")
        parts = [app.blind_text(), app.serve_text(), app.stage_text()]
        right = Text("  ".join(p for p in parts if p) + "  "
                     + with_offset(app.local_now()) + " ")
        width = max(20, self.size.width or app.size.width)
        room = width - right.cell_len - 1
        if left.cell_len > room:
            left.truncate(max(8, room), overflow="ellipsis")
        fill = max(1, width - left.cell_len - right.cell_len)
        self.update(Text.assemble(left, " " * fill, right))

    def on_resize(self) -> None:
        self.redraw()
