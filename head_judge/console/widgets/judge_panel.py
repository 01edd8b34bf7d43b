"""One line per judge: how many of their contestants they have scored, and their terminal's
connection (online or not, last seen, sheets waiting in its outbox, clock offset); a judge
with paper sheets whose laptop is offline or gone is shown scoring on paper. Only the cells
whose text changed are redrawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from sync.i18n import offset_text

from ..state import Progress, Terminal, ago_text
from ..words import say
from . import console_app

CLOCK_WARNING = dt.timedelta(minutes=1)
BAR = 10
COLUMNS = ("judge", "progress", "terminal", "last_seen", "outbox", "offset", "device")


def bar(done: int, expected: int) -> str:
    filled = round(BAR * done / expected) if expected else BAR
    return "█" * filled + "░" * (BAR - filled)


class JudgePanel(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="none", zebra_stripes=False, show_cursor=False)
        self.can_focus = False
        self._lang = ""
        self._shown: dict[tuple[str, str], str] = {}

    def show(self, progress: Sequence[Progress], terminals: Sequence[Terminal],
             lang: str, now: dt.datetime) -> None:
        app = console_app(self)
        if lang != self._lang or len(self.rows) != len(progress):
            self.clear(columns=True)
            self._shown.clear()
            for key in COLUMNS:
                self.add_column(say(f"col_{key}", lang), key=key)
            for p in progress:
                self.add_row(*([""] * len(COLUMNS)), key=p.judge.id)
            self._lang = lang
        by_judge = {t.judge.id: t for t in terminals}
        excused = {e.judge for e in app.head.excusals() if e.contestant is None}
        for p in progress:
            for key, value in self._cells(p, by_judge.get(p.judge.id), lang, now,
                                          app.local, p.judge.id in excused).items():
                text = value.plain if isinstance(value, Text) else value
                was = self._shown.get((p.judge.id, key))
                if was == text:
                    continue
                self._shown[(p.judge.id, key)] = text
                self.update_cell(p.judge.id, key, value,
                                 update_width=was is None or len(text) > len(was))

    @staticmethod
    def _cells(p: Progress, t: Terminal | None, lang: str, now: dt.datetime,
               local: Callable[[str | None], str], excused: bool = False
               ) -> dict[str, Text | str]:
        """A judge's row; a seat excused for the whole final (`excused`) says so instead of
        its progress (nothing is expected of it), and needs no terminal."""
        complete = p.expected > 0 and p.done >= p.expected
        cells: dict[str, Text | str] = {
            "judge": f"{p.judge.id} {p.judge.name.get(lang)}",
            "progress": Text(f"{p.done:>3}/{p.expected:<3} {bar(p.done, p.expected)}",
                             style="green" if complete else ""),
        }
        if excused:
            cells["progress"] = Text("× " + say("seat_state_excused", lang), style="bold")
        on_paper = Text(say("t_paper", lang, n=p.paper), style="bold") if p.paper else None
        if t is None or t.device is None:
            cells.update(terminal="" if excused
                         else on_paper or Text(say("t_unenrolled", lang), style="dim"),
                         last_seen="", outbox="", offset="", device="")
            return cells
        cells["terminal"] = Text(say("t_online", lang), style="green") if t.online \
            else on_paper or Text(say("t_offline", lang), style="yellow")
        if t.last_seen:
            seen = dt.datetime.fromisoformat(t.last_seen.replace("Z", "+00:00"))
            cells["last_seen"] = say("t_ago", lang, time=local(t.last_seen),
                                     ago=ago_text((now - seen).total_seconds()))
        else:
            cells["last_seen"] = say("t_never", lang)
        cells["outbox"] = Text(str(t.outbox) if t.outbox is not None else "—",
                               style="bold yellow" if t.outbox else "")
        if t.offset is None:
            cells["offset"] = "—"
        else:
            far = abs(t.offset) > CLOCK_WARNING
            cells["offset"] = Text(("! " if far else "") + offset_text(t.offset),
                                   style="bold red" if far else "")
        cells["device"] = Text(f"{t.device[:10]} {t.device_name}"[:28], style="dim")
        return cells
