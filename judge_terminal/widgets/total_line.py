"""The live total of the score sheet and how many criteria are still empty or wrong."""

from __future__ import annotations

from textual.widgets import Static

from sync.event import Event

from ..model import SheetCheck, shown
from ..words import say


class TotalLine(Static):
    def show(self, check: SheetCheck, event: Event, lang: str, *, editable: bool = True) -> None:
        parts = [f"{say('total', lang)}  {shown(check.total)} / {shown(event.rubric_max)}"]
        if not editable:
            self.update(parts[0])
            return
        if check.bad:
            parts.append("x " + say("bad_n", lang, n=len(check.bad)))
        if check.missing:
            parts.append(say("missing_n", lang, n=len(check.missing)))
        if check.complete:
            parts.append(say("complete", lang))
        self.update("   ".join(parts))
