"""Enrolment: the master's fingerprint, a one-time code per judge seat, the devices enrolled;
a judge moves to a spare laptop with a new code (the old device is revoked when it enrols)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from ...master import DEFAULT_CODE_TTL, MasterError
from ..ledger_view import local_time
from ..state import IssuedCode
from ..widgets.seat_table import SeatTable
from ..words import say
from .base import ConsoleScreen
from .confirm import ConfirmDialog
from .dialogs import Line, attempt, phrase
from .form import Field, FormDialog


class EnrolmentScreen(ConsoleScreen):
    NAME = "enrolment"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "code", "key_code"),
        Binding("a", "codes_all", "key_codes_all"),
        Binding("o", "reopen", "key_reopen"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="fingerprint", classes="heading")
        yield Static(id="fingerprint-hint", classes="hint")
        yield SeatTable(id="seats")
        yield Static(id="code-box", classes="detail")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(SeatTable).focus()

    def relabel(self) -> None:
        app = self.capp
        self.query_one("#fingerprint", Static).update(
            say("fingerprint", app.lang, fp=app.master.identity.fingerprint_text))
        self.query_one("#fingerprint-hint", Static).update(say("fingerprint_hint", app.lang))

    def refresh_data(self) -> None:
        self.query_one(SeatTable).show(self.capp.master, self.capp.lang)
        self._code_box()

    def on_data_table_row_highlighted(self, event: object) -> None:
        self._code_box()

    def _code_box(self) -> None:
        app, lang = self.capp, self.capp.lang
        judge = self.query_one(SeatTable).chosen()
        box = self.query_one("#code-box", Static)
        if judge is None:
            box.update("")
            return
        issued = app.codes.get(judge)
        if issued is None:
            seat = app.master.seat(judge)
            box.update(say("code_hidden" if seat.code_id else "code_none", lang))
            return
        expires = local_time(issued.expires, app.clock().tzinfo, "%m-%d %H:%M")
        box.update(say("code_for", lang, judge=app.judge_label(judge), expires=expires)
                   + "\n\n  [b]" + issued.code + "[/b]")

    # --- keys ---------------------------------------------------------------------------------

    def _issue(self, judges: Sequence[str]) -> str | None:
        app = self.capp
        now = app.clock()
        found: list[IssuedCode] = []

        def issue() -> None:
            for issued in app.master.issue_codes(list(judges), now=now):
                expires = (now + DEFAULT_CODE_TTL).astimezone(dt.UTC).isoformat()
                found.append(IssuedCode(issued.judge.id, issued.code.encode(), expires))

        problem = attempt(issue)
        if problem is None:
            for issued in found:
                app.codes[issued.judge] = issued
            app.done("msg_codes", judges=", ".join(judges))
        return problem

    def action_code(self) -> None:
        judge = self.query_one(SeatTable).chosen()
        if judge is None:
            return
        app = self.capp
        active = [d for d in app.master.devices_of(judge) if not d.revoked]
        lines: list[Line] = [
            phrase("confirm_code_enrolled", judge=judge, device=active[-1].id[:10])
            if active else phrase("confirm_code_plain")]
        app.push_screen(ConfirmDialog(phrase("confirm_code_title", judge=app.judge_label(judge)),
                                      lines, ok="key_code", danger=bool(active),
                                      submit=lambda: self._issue([judge])))

    def action_codes_all(self) -> None:
        app = self.capp
        judges = [j.id for j in app.head.event.judges]
        app.push_screen(ConfirmDialog(phrase("confirm_codes_title", n=len(judges)),
                                      [phrase("confirm_codes_plain")], ok="key_codes_all",
                                      danger=True, submit=lambda: self._issue(judges)))

    def action_reopen(self) -> None:
        judge = self.query_one(SeatTable).chosen()
        if judge is None:
            return
        app = self.capp

        def submit(values: Mapping[str, str]) -> str | None:
            reopened: list[bool] = []
            try:
                reopened.append(app.master.reopen_seat(judge, values["reason"],
                                                       now=app.clock()))
            except MasterError as exc:
                return str(exc)
            app.done("msg_reopened" if reopened[0] else "msg_not_locked_seat", judge=judge)
            return None

        app.push_screen(FormDialog(phrase("reopen_title", judge=app.judge_label(judge)),
                                   [Field("reason", "field_reason")], ok="key_reopen",
                                   submit=submit))
