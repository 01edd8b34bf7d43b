"""The head judge's actions on a contestant, each behind its dialog: request a review, accept
a flag, override a value, withdraw a sheet, lock and unlock. Shared by the Overview,
Discrepancies and Contestant screens; every one calls exactly one `HeadJudge` function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len

from ...projections import FlagRow
from ...scoring import plain
from ..ledger_view import flag_text, rule_text
from ..state import running_order
from ..words import say
from .confirm import ConfirmDialog
from .dialogs import Line, attempt, bullet, phrase
from .form import Field, FormDialog

if TYPE_CHECKING:
    from ..app import ConsoleApp


def _flag_line(app: ConsoleApp, flag: FlagRow) -> Line:
    return lambda lang: f"#{flag.id} " + flag_text(app.head.event, flag, lang)


def _short_flag_line(app: ConsoleApp, flag: FlagRow) -> Line:
    """A flag in a list of one contestant's flags: the rule, the judges, the difference."""
    return lambda lang: (f"  #{flag.id} "
                         + rule_text(app.head.event, flag.rule, flag.criterion, lang)
                         + f" ({' '.join(flag.judges)}) {plain(flag.difference)} > "
                         + plain(flag.threshold))


def packed(items: Sequence[str], width: int = 76) -> list[str]:
    """Items side by side, two spaces apart, in lines at most `width` cells wide (a dialog
    shows a dozen lines: 18 contestants fit in four)."""
    lines: list[str] = []
    for item in items:
        if lines and cell_len(lines[-1]) + 2 + cell_len(item) <= width:
            lines[-1] += "  " + item
        else:
            lines.append("  " + item)
    return lines


def _judge_choices(app: ConsoleApp, judges: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((app.judge_label(j), j) for j in judges)


def ask_review(app: ConsoleApp, contestant: str, judges: Sequence[str],
               flag: FlagRow | None = None, judge: str | None = None) -> None:
    """Ask one of `judges` to review their sheet for `contestant` (about `flag`)."""
    who = app.contestant_label(contestant)
    context: list[Line] = []
    if flag is not None:
        context.append(_flag_line(app, flag))

    def submit(values: Mapping[str, str]) -> str | None:
        found: list[int] = []
        problem = attempt(lambda: found.append(app.head.request_review(
            values["judge"], values["note"], flag=flag.id if flag else None,
            contestant=contestant)))
        if problem is None:
            app.done("msg_review", judge=values["judge"], id=found[0])
        return problem

    app.push_screen(FormDialog(
        phrase("review_title", who=who),
        [Field("judge", "field_judge", _judge_choices(app, judges), judge or ""),
         Field("note", "field_note")],
        context, ok="key_review", submit=submit))


def ask_accept(app: ConsoleApp, flag: FlagRow) -> None:
    def submit(values: Mapping[str, str]) -> str | None:
        problem = attempt(lambda: app.head.accept_flag(flag.id, values["note"]))
        if problem is None:
            app.done("msg_accepted", id=flag.id)
        return problem

    app.push_screen(FormDialog(phrase("accept_title", id=flag.id),
                               [Field("note", "field_accept_note")],
                               [_flag_line(app, flag)], ok="key_accept",
                               submit=submit))


def ask_accept_all(app: ConsoleApp, contestant: str) -> None:
    """Accept every open flag of `contestant` with one note: one dialog listing them."""
    who = app.contestant_label(contestant)
    flags = app.head.flags("open", contestant)
    if not flags:
        app.notify(say("no_open_flags_of", app.lang, who=who), timeout=4)
        return
    ids = [f.id for f in flags]

    def submit(values: Mapping[str, str]) -> str | None:
        problem = attempt(lambda: app.head.accept_flags(contestant, values["note"], ids))
        if problem is None:
            app.done("msg_accepted_all", who=who, n=len(ids))
        return problem

    app.push_screen(FormDialog(phrase("accept_all_title", who=who, n=len(ids)),
                               [Field("note", "field_accept_note")],
                               [phrase("accept_all_lines"),
                                *(_short_flag_line(app, f) for f in flags)],
                               ok="key_accept_all", submit=submit))


def ask_lock_ready(app: ConsoleApp) -> None:
    """Lock every contestant that is complete and clear: one confirmation listing them."""
    ready = app.head.ready_to_lock()
    if not ready:
        app.notify(say("none_ready", app.lang), timeout=5)
        return
    locks = app.head.locks()
    rest = [c.id for c in running_order(app.head.event.contestants)
            if c.id not in locks and c.id not in ready]
    lines: list[Line] = [phrase("lock_ready_lines"),
                         *packed([app.contestant_label(c) for c in ready])]
    if rest:
        shown = rest if len(rest) <= 8 else [*rest[:8], "…"]  # which: the head judge asks
        lines.append(phrase("lock_ready_rest", n=len(rest), who=" ".join(shown)))
    lines.append(phrase("lock_lines"))

    def submit() -> str | None:
        problem = attempt(lambda: app.head.lock_ready(contestants=ready))
        if problem is None:
            app.done("msg_locked_ready", n=len(ready))
        return problem

    app.push_screen(ConfirmDialog(phrase("lock_ready_title", n=len(ready)), lines,
                                  ok="key_lock_ready", submit=submit))


def ask_override(app: ConsoleApp, contestant: str, judges: Sequence[str],
                 judge: str | None = None, criterion: str | None = None) -> None:
    """Override one value of a judge's sheet for `contestant`, with a reason."""
    event = app.head.event
    lang = app.lang
    values_now = {s.judge: s.values for s in app.head.sheets(contestant) if not s.withdrawn}
    context: list[Line] = [phrase("override_hint"),
                           "     " + "".join(f"{c.id[:6]:>7}" for c in event.criteria)]
    for j in judges:
        if j in values_now:
            context.append(f"{j:<5}" + "".join(
                f"{plain(values_now[j][c.id]) if c.id in values_now[j] else '':>7}"
                for c in event.criteria))

    def submit(values: Mapping[str, str]) -> str | None:
        problem = attempt(lambda: app.head.override_value(
            values["judge"], contestant, values["criterion"], values["value"],
            values["reason"]))
        if problem is None:
            app.done("msg_overridden", judge=values["judge"], criterion=values["criterion"],
                     value=values["value"])
        return problem

    criteria = tuple((f"{c.id} {c.name.get(lang)} (0–{plain(c.max)}, {plain(c.step)})", c.id)
                     for c in event.criteria)
    app.push_screen(FormDialog(
        phrase("override_title", who=app.contestant_label(contestant)),
        [Field("judge", "field_judge", _judge_choices(app, judges), judge or ""),
         Field("criterion", "field_criterion", criteria, criterion or ""),
         Field("value", "field_value", max_length=12),
         Field("reason", "field_reason")],
        context, ok="key_override", danger=True, submit=submit))


def ask_withdraw(app: ConsoleApp, contestant: str, judges: Sequence[str],
                 judge: str | None = None) -> None:
    who = app.contestant_label(contestant)

    def submit(values: Mapping[str, str]) -> str | None:
        problem = attempt(lambda: app.head.withdraw_sheet(values["judge"], contestant,
                                                          values["reason"]))
        if problem is None:
            app.done("msg_withdrawn", judge=values["judge"])
        return problem

    app.push_screen(FormDialog(
        phrase("withdraw_title", judge=judge or "…", who=who),
        [Field("judge", "field_judge", _judge_choices(app, judges), judge or ""),
         Field("reason", "field_reason")],
        [phrase("withdraw_hint")], ok="key_withdraw", danger=True, submit=submit))


def ask_lock(app: ConsoleApp, contestant: str) -> None:
    """Lock; when something blocks it, show what and offer to force it with a reason."""
    who = app.contestant_label(contestant)
    blockers = app.head.lock_blockers(contestant)
    if not blockers:
        def submit() -> str | None:
            problem = attempt(lambda: app.head.lock(contestant))
            if problem is None:
                app.done("msg_locked", who=who)
            return problem

        app.push_screen(ConfirmDialog(phrase("lock_title", who=who), [phrase("lock_lines")],
                                      ok="key_lock", submit=submit))
        return

    def force(values: Mapping[str, str]) -> str | None:
        problem = attempt(lambda: app.head.lock(contestant, reason=values["reason"],
                                                force=True))
        if problem is None:
            app.done("msg_locked", who=who)
        return problem

    app.push_screen(FormDialog(
        phrase("force_title", who=who), [Field("reason", "field_reason")],
        [phrase("force_lines"), *(bullet(b) for b in blockers), phrase("lock_lines")],
        ok="key_lock", danger=True, submit=force))


def ask_unlock(app: ConsoleApp, contestant: str) -> None:
    who = app.contestant_label(contestant)

    def submit(values: Mapping[str, str]) -> str | None:
        problem = attempt(lambda: app.head.unlock(contestant, values["reason"]))
        if problem is None:
            app.done("msg_unlocked", who=who)
        return problem

    app.push_screen(FormDialog(phrase("unlock_title", who=who),
                               [Field("reason", "field_reason")], ok="key_unlock",
                               danger=True, submit=submit))


def panel_of(app: ConsoleApp, contestant: str) -> list[str]:
    event = app.head.event
    found = event.contestant(contestant)
    return [j.id for j in event.panel_for(found)] if found else []
