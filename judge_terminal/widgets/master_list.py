"""The masters heard on the LAN (or the one given with --master): each one's final, address
and master fingerprint (主控指纹) in its typable form, as the enrolment card prints them.

With several, the judge chooses one (Up/Down, or a click): `>` marks it. None is chosen for
them, since each try of a code with a master costs that code a guess."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from sync.identity import format_fingerprint

from ..lan import SeenMaster
from ..words import say

SHOWN = 3
"""Masters on screen at once (two lines each); with more, the list follows the choice."""
NAME_CELLS = 54
"""Room for a final's name beside an IPv4 address and port in 78 columns."""


class MasterList(Static):
    """Posts `MasterList.Chosen` when the judge clicks a master."""

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.first = 0
        """Index of the first master on screen."""

    def show(self, masters: Sequence[SeenMaster] | None, chosen: int | None, lang: str,
             empty: str = "none_found") -> None:
        """`masters` None while searching; `chosen` the index marked; `empty` the words for
        an empty list."""
        if masters is None:
            self.update(say("searching", lang))
            return
        if not masters:
            self.update(say(empty, lang))
            return
        if chosen is not None:
            self.first = min(max(self.first, chosen - SHOWN + 1), chosen)
        self.first = max(0, min(self.first, len(masters) - SHOWN))
        self.update(self._table(masters, chosen, lang))

    def _table(self, masters: Sequence[SeenMaster], chosen: int | None, lang: str) -> Text:
        """Two lines a master: its final (cut to fit 80 columns) and address, then its
        fingerprint; with several, `>` before the chosen one."""
        several = len(masters) > 1
        indent = "  " if several else ""
        out = Text()
        for index in range(self.first, min(len(masters), self.first + SHOWN)):
            master = masters[index]
            marked = several and index == chosen
            name = Text(master.event_name.get(lang) if master.event_name else master.label,
                        style="bold reverse" if marked else "bold")
            name.truncate(NAME_CELLS - len(indent), overflow="ellipsis")
            if index > self.first:
                out.append("\n")
            out.append("> " if marked else indent, style="bold")
            out.append_text(name)
            out.append(f"  {master.address}\n{indent}")
            if master.fingerprint is not None:
                out.append(format_fingerprint(master.fingerprint))
            else:
                out.append(say("fingerprint_unknown", lang), style="italic")
        return out

    def on_click(self, event: events.Click) -> None:
        if event.y >= 0:
            self.post_message(self.Chosen(self.first + event.y // 2))
