"""The judge seats: who sits there, the seat's enrolment state, the terminal enrolled for it
(and how many were replaced), and whether a code was issued in this session."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...master import Master
from ..words import say
from . import console_app
from .tables import Cell, refill


class SeatTable(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.judges: list[str] = []

    def show(self, master: Master, lang: str) -> None:
        app = console_app(self)
        rows: list[tuple[str, list[Cell]]] = []
        self.judges = []
        for number, judge in enumerate(master.event.judges, start=1):
            seat = master.seat(judge.id)
            devices = master.devices_of(judge.id)
            active = [d for d in devices if not d.revoked]
            if seat.locked:
                state = Text(say("seat_locked", lang, n=seat.failures), style="bold red")
            elif seat.code_id and seat.code_expires:
                state = Text(say("seat_code_out", lang, time=app.local(seat.code_expires,
                                                                       "%m-%d %H:%M")))
            elif active:
                state = Text(say("seat_used", lang), style="green")
            else:
                state = Text(say("seat_none", lang), style="dim")
            if seat.failures and not seat.locked:
                state.append("  " + say("seat_failures", lang, n=seat.failures), style="yellow")
            device = ""
            if active:
                device = say("device_line", lang, device=active[-1].id[:10],
                             name=active[-1].name)
            revoked = len(devices) - len(active)
            if revoked:
                device += f"  +{revoked} " + say("device_revoked", lang)
            code = "✓" if judge.id in app.codes else ""
            rows.append((judge.id, [f"{number} {judge.id}", judge.name.get(lang),
                                    judge.affiliation, state,
                                    device, code]))
            self.judges.append(judge.id)
        refill(self, [(key, say(f"col_{key}", lang)) for key in
                      ("seat", "judge", "affiliation", "seat_state", "device", "code")], rows)

    def chosen(self) -> str | None:
        if not self.judges:
            return None
        return self.judges[min(max(self.cursor_row, 0), len(self.judges) - 1)]
