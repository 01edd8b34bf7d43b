"""The reveal (亮分) behind its dialog, from the Overview and Contestant screens: what blocks
it (a blocked dialog listing it), or the figures the hall's screen will show, confirmed with
Enter or Y; `head_judge.reveal.reveal` writes the entry."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ...reveal import reveal, reveal_blockers, reveal_figures
from ..words import say
from .confirm import ConfirmDialog
from .dialogs import Line, attempt, bullet, phrase

if TYPE_CHECKING:
    from ..app import ConsoleApp


def preview(app: ConsoleApp, contestant: str) -> dict[str, Any] | None:
    """The figures a reveal of `contestant` would show now (None: no sheet counts)."""
    head = app.head
    found = head.event.contestant(contestant)
    totals = {s.judge: sum(s.values.values(), Decimal(0))
              for s in head.sheets(contestant) if not s.withdrawn}
    if found is None or not totals:
        return None
    return reveal_figures(head.event, found, totals, head.components())


def figure_lines(figures: dict[str, Any]) -> list[Line]:
    """`评委分：85.5 (90) 84 (70)` and `评委评分 … 最终得分 …`, in whichever language."""
    totals = "  ".join(f"{j['judge']} " + (f"({j['total']})" if j["dropped"] else j["total"])
                       for j in figures["judges"])
    final = figures["final"]
    return [phrase("reveal_judges", totals=totals),
            lambda lang: say("reveal_score", lang, panel=figures["panel"],
                             final=final if final is not None
                             else say("reveal_no_final", lang))]


def ask_reveal(app: ConsoleApp, contestant: str) -> None:
    """Reveal `contestant` to the hall after a look at the figures; a refusal is shown in
    the dialog, and what blocks it is listed instead of the figures."""
    who = app.contestant_label(contestant)
    blockers = reveal_blockers(app.head, contestant)
    if blockers:
        app.push_screen(ConfirmDialog(phrase("reveal_blocked_title", who=who),
                                      [bullet(b) for b in blockers], ok="key_reveal",
                                      blocked=True))
        return
    before = app.master.ledger.conn.execute(
        "SELECT ledger_seq, at FROM reveals WHERE contestant = ?", (contestant,)).fetchone()
    figures = preview(app, contestant)
    lines: list[Line] = [phrase("reveal_lines"), *(figure_lines(figures) if figures else [])]
    if before is not None:
        lines.append(phrase("reveal_before", time=app.local(before[1], offset=True),
                            entry=before[0]))
    done: list[int] = []

    def submit() -> str | None:
        problem = attempt(lambda: done.append(reveal(app.head, contestant)))
        if problem is None:
            app.done("msg_revealed", who=who, entry=done[0])
        return problem

    title = "reveal_again_title" if before is not None else "reveal_title"
    app.push_screen(ConfirmDialog(phrase(title, who=who), lines, ok="key_reveal",
                                  submit=submit))
