"""The judge seats: who sits there, the seat's enrolment state (from the record, the same after a
restart: no code / code out until, or expired / enrolled, and when the code was used / locked;
excused for the whole final), the terminal enrolled for it (and how many were replaced), and
whether a code was issued in this session."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from ...master import Master
from ..ledger_view import parse_iso
from ..words import say
from . import console_app
from .tables import Cell, refill


class SeatTable(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.judges: list[str] = []

    def show(self, master: Master, lang: str) -> None:
        app = console_app(self)
        today = app.local_now().date()

        def _fmt(iso: str | None) -> str:
            """Today's times without the date: the column stays narrow with the offset."""
            moment = parse_iso(iso) if iso else None
            same = moment is not None and moment.astimezone(app.zone).date() == today
            return "%H:%M" if same else "%m-%d %H:%M"

        rows: list[tuple[str, list[Cell]]] = []
        self.judges = []
        excused = {e.judge for e in app.head.excusals() if e.contestant is None}
        for number, judge in enumerate(master.event.judges, start=1):
            seat = master.seat(judge.id)
            devices = master.devices_of(judge.id)
            active = [d for d in devices if not d.revoked]
            usable = False
            if seat.locked:
                state = Text(say("seat_locked", lang, n=seat.failures), style="bold red")
            elif seat.code_id and seat.code_expires:
                when = app.local(seat.code_expires, _fmt(seat.code_expires), offset=True)
                expires = parse_iso(seat.code_expires)
                usable = expires is not None and app.clock() < expires
                state = Text(say("seat_code_out", lang, time=when)) if usable \
                    else Text(say("seat_code_expired", lang, time=when), style="yellow")
            elif active:
                at = app.cache.at(active[-1].enrolled_seq)
                used = app.local(at, _fmt(at), offset=True)
                state = Text(say("seat_used_at", lang, time=used), style="green")
            else:
                state = Text(say("seat_none", lang), style="dim")
            if seat.failures and not seat.locked:
                state.append("  " + say("seat_failures", lang, n=seat.failures), style="yellow")
            if judge.id in excused:  # no code expected for it (codes for all leave it out)
                state.append("  × " + say("seat_state_excused", lang), style="bold")
            device = ""
            if active:
                device = say("device_line", lang, device=active[-1].id[:10],
                             name=active[-1].name)
            revoked = len(devices) - len(active)
            if revoked:
                device += f"  +{revoked} " + say("device_revoked", lang)
            issued = app.codes.get(judge.id)  # ✓ only while that code can still enrol
            code = "✓" if usable and issued is not None \
                and issued.code_id in (None, seat.code_id) else ""
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
