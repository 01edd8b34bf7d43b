"""The head judge's choice when a judge has both a laptop sheet and a paper sheet for one
contestant: keep one, with a reason (`head_judge.paper_desk.resolve_conflict`, as `head-judge
paper resolve` does). A dialog like the console's other reason dialogs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ...paper_desk import KEEP, resolve_conflict
from ..words import say
from .dialogs import attempt, phrase
from .form import Field, FormDialog

if TYPE_CHECKING:
    from ..app import ConsoleApp


def ask_resolve(app: ConsoleApp, judge: str, contestant: str) -> None:
    """Ask which of `judge`'s sheets for `contestant` counts, and why."""
    def submit(values: Mapping[str, str]) -> str | None:
        keep = values["keep"]
        problem = attempt(lambda: resolve_conflict(app.head, judge, contestant, keep,
                                                   values["reason"]))
        if problem is None:
            app.done("paper_resolved", judge=judge, contestant=contestant,
                     keep=say(f"keep_{keep}", app.lang))
        return problem

    choices = tuple((say(f"keep_{keep}", app.lang), keep) for keep in KEEP)
    app.push_screen(FormDialog(
        phrase("paper_resolve_title", judge=app.judge_label(judge),
               contestant=app.contestant_label(contestant)),
        [Field("keep", "field_keep", choices), Field("reason", "field_reason")],
        [phrase("paper_resolve_context")], ok="key_paper_resolve", submit=submit))
