"""Enrolment: the master's fingerprint, a one-time code per judge seat, the devices enrolled;
a judge moves to a spare laptop with a new code (the old device is revoked when it enrols).
X excuses the chosen seat (the whole final, or contestants named) or, when it is excused for
the whole final, restores it.

Each seat's state comes from the record, so it is the same after a restart: no code, a code
out until a time (or expired), enrolled (when the code was used), or locked. A code is shown
only in the run that issued it and only while it is still the seat's unused, unexpired code:
once a terminal used it, or it expired or was replaced, the box says so instead."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from ...master import DEFAULT_CODE_TTL, MasterError
from ..ledger_view import local_time, parse_iso
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
        Binding("x", "excuse", "key_excuse"),
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
        grouped: dict[tuple[int, str], list[str]] = {}  # one line per excusal entry
        for e in app.head.excusals(judge):
            grouped.setdefault((e.ledger_seq, e.reason), []).append(_covered(e.contestant, lang))
        excused = "".join("\n" + say("seat_excused", lang, who=", ".join(who), reason=reason)
                          for (_, reason), who in grouped.items())
        box.update(self._code_text(judge) + excused)

    def _code_text(self, judge: str) -> str:
        """The seat's code as the record has it: the digits only while they can still enrol."""
        app, lang = self.capp, self.capp.lang
        who = app.judge_label(judge)
        seat = app.master.seat(judge)
        if seat.locked:
            return say("code_seat_locked", lang, judge=who, n=seat.failures)
        expires_at = parse_iso(seat.code_expires) if seat.code_expires else None
        if seat.code_id is not None and expires_at is not None:
            when = local_time(seat.code_expires, app.zone, "%m-%d %H:%M", offset=True)
            if app.clock() >= expires_at:
                return say("code_expired", lang, judge=who, time=when)
            issued = app.codes.get(judge)
            if issued is not None and issued.code_id in (None, seat.code_id):
                return (say("code_for", lang, judge=who, expires=when)
                        + "\n\n  [b]" + issued.code + "[/b]")
            return say("code_out_hidden", lang, judge=who, time=when)
        active = [d for d in app.master.devices_of(judge) if not d.revoked]
        if active:
            return say("code_used", lang, judge=who, device=active[-1].id[:10],
                       time=app.local(app.cache.at(active[-1].enrolled_seq), "%m-%d %H:%M",
                                      offset=True))
        return say("code_none", lang)

    # --- keys ---------------------------------------------------------------------------------

    def _issue(self, judges: Sequence[str]) -> str | None:
        app = self.capp
        now = app.clock()
        found: list[IssuedCode] = []

        def issue() -> None:
            for issued in app.master.issue_codes(list(judges), now=now):
                expires = (now + DEFAULT_CODE_TTL).astimezone(dt.UTC).isoformat()
                found.append(IssuedCode(issued.judge.id, issued.code.encode(), expires,
                                        issued.code_id))

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
        excused = sorted({e.judge for e in app.head.excusals() if e.contestant is None})
        judges = [j.id for j in app.head.event.judges if j.id not in excused]
        lines: list[Line] = [phrase("confirm_codes_plain")]
        if excused:  # an absent judge's seat gets no code it would never use
            lines.append(phrase("confirm_codes_excused", judges=", ".join(excused)))
        app.push_screen(ConfirmDialog(phrase("confirm_codes_title", n=len(judges)),
                                      lines, ok="key_codes_all",
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
                return exc.message
            app.done("msg_reopened" if reopened[0] else "msg_not_locked_seat", judge=judge)
            return None

        app.push_screen(FormDialog(phrase("reopen_title", judge=app.judge_label(judge)),
                                   [Field("reason", "field_reason")], ok="key_reopen",
                                   submit=submit))

    def action_excuse(self) -> None:
        """Excuse the chosen seat, or restore it when it is excused for the whole final."""
        judge = self.query_one(SeatTable).chosen()
        if judge is None:
            return
        app = self.capp
        held = app.head.excusals(judge)
        if any(e.contestant is None for e in held):
            def restore(values: Mapping[str, str]) -> str | None:
                problem = attempt(lambda: app.head.restore_judge(judge, values["reason"]))
                if problem is None:
                    app.done("msg_restored", judge=judge)
                return problem

            app.push_screen(FormDialog(
                phrase("restore_title", judge=app.judge_label(judge)),
                [Field("reason", "field_reason")],
                [lambda lang: say("seat_excused", lang, who=_covered(None, lang),
                                  reason=held[0].reason), phrase("restore_hint")],
                ok="key_restore_seat", danger=True, submit=restore))
            return

        def excuse(values: Mapping[str, str]) -> str | None:
            named = values["contestants"].replace(",", " ").replace("，", " ").replace(
                "、", " ").split()
            problem = attempt(lambda: app.head.excuse_judge(judge, values["reason"],
                                                            named or None))
            if problem is None:
                app.done("msg_excused", judge=judge, who=", ".join(named)
                         or say("whole_final", app.lang))
            return problem

        context: list[Line] = [phrase("excuse_hint")]
        context += [phrase("excuse_now", who=e.contestant, reason=e.reason) for e in held]
        app.push_screen(FormDialog(
            phrase("excuse_title", judge=app.judge_label(judge)),
            [Field("contestants", "field_contestants", required=False),
             Field("reason", "field_reason")],
            context, ok="key_excuse_seat", danger=True, submit=excuse))


def _covered(contestant: str | None, lang: str) -> str:
    return contestant if contestant is not None else say("whole_final", lang)
