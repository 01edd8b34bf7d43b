"""The status line: connection in words, sheets waiting in the outbox, a warning when this
laptop's clock is far from the master's, the last receipt, and what the master refused.
What does not fit the width is left out, least important first (never the outbox)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.widgets import Static

from sync.i18n import offset_text
from sync.phrases import Phrase

from ..words import say
from . import judge_app

if TYPE_CHECKING:
    from sync.client import SyncState

CLOCK_WARNING = dt.timedelta(minutes=1)
"""Warn when the laptop's clock differs from the master's by more than this."""
SEPARATOR = " | "

_REFUSALS = {"revoked_device": "revoked", "unknown_device": "unknown_device",
             "bad_signature": "unknown_device"}
"""Refusals of whole requests, in plain words. `bad_signature`: the head judge holds another
key for this laptop, which a new code mends as for an unknown one."""



class StatusBar(Static):
    """Follows `JudgeApp.sync_state`, the store and the language."""

    def on_mount(self) -> None:
        app = judge_app(self)
        self.watch(app, "lang", self.redraw)
        self.watch(app, "sync_state", self.redraw)
        self.watch(app, "data_version", self.redraw)

    @staticmethod
    def problem(state: SyncState, lang: str) -> str:
        """Why the terminal is not online, in plain words."""
        refusal = _REFUSALS.get(state.error_code or "")
        if refusal is not None:
            return say(refusal, lang)
        if state.error_code is not None:  # the master's reason is its own English
            return say("master_refused", lang, code=state.error_code)
        if isinstance(state.error, Phrase) and "net_pin_mismatch" in (
                state.error.id, getattr(state.error.params.get("problem"), "id", None)):
            return say("pin_mismatch", lang)
        return say("unreachable", lang, master=state.master or "")

    def describe(self, state: SyncState | None, lang: str, width: int) -> str:
        app = judge_app(self)
        status = app.store.status()
        if state is None:  # the client has not reported yet
            line = say("reconnecting" if app.connect else "offline", lang) + SEPARATOR + say(
                "outbox", lang, n=status.outbox)
            received = status.last_receipt_at
            tail = say("last_receipt", lang, time=app.local_time(received)) if received \
                else say("no_receipt", lang)
            return line + SEPARATOR + tail if cell_len(line + SEPARATOR + tail) <= width \
                else line
        connection = say(state.connection, lang)
        if state.error and state.connection != "online":
            connection += ("：" if lang == "zh" else ": ") + self.problem(state, lang)
        line = connection + SEPARATOR + say("outbox", lang, n=status.outbox)
        optional = []
        if state.clock_offset is not None and abs(state.clock_offset) > CLOCK_WARNING:
            optional.append("! " + say("clock_off", lang, offset=offset_text(state.clock_offset)))
        if state.event_changed:
            optional.append(say("event_changed", lang))
        received = status.last_receipt_at or state.last_receipt_at
        optional.append(say("last_receipt", lang, time=app.local_time(received)) if received
                        else say("no_receipt", lang))
        for part in optional:
            if cell_len(line + SEPARATOR + part) <= width:
                line += SEPARATOR + part
        return line

    def redraw(self, *_: object) -> None:
        app = judge_app(self)
        width = max(20, (self.size.width or app.size.width) - 2)
        self.update(self.describe(app.sync_state, app.lang, width))

    def on_resize(self) -> None:
        self.redraw()
