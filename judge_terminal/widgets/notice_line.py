"""One line above the status line for what the head judge just did (locks, unlocks, review
requests, who is on stage). A burst of notices (18 locks replayed after a restart) is summed
up in that one line (`18 位选手已锁定`); it takes its own row in the layout, so it never covers
the queue or the title bar and its clock. It is hidden while there is nothing to say."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.content import Content
from textual.widgets import Static

from sync.store import Notice

from ..words import reason_of, say
from . import judge_app

SHOWN = ("review_request", "review_closed", "lock", "unlock", "on_stage")
"""The notice kinds this line tells of, in this order (the others show in the queue)."""
ONE = {"review_request": "review_arrived", "review_closed": "review_closed_arrived",
       "lock": "lock_arrived", "unlock": "unlock_arrived", "on_stage": "on_stage_arrived"}
MANY = {"review_request": "reviews_arrived", "review_closed": "reviews_closed_arrived",
        "lock": "locks_arrived", "unlock": "unlocks_arrived"}


def summarise(notices: Sequence[Notice], lang: str, label: Callable[[str], str]) -> str:
    """The notices as one line: a kind that came once named with its contestant (`label`
    gives the contestant's running number, id and name), a kind that came several times
    counted (contestants once each); only the latest on-stage change. A review request that
    needs no answer any more says why (`reason_of`), in `lang`."""
    parts: list[str] = []
    for kind in SHOWN:
        who = list(dict.fromkeys(str(n.payload.get("contestant") or "") for n in notices
                                 if n.kind == kind))
        who = [w for w in who if w]
        if not who:
            continue
        if len(who) == 1 or kind == "on_stage":
            last = [n for n in notices if n.kind == kind][-1]
            parts.append(say(ONE[kind], lang, who=label(who[-1]),
                             reason=reason_of(last.payload, lang)))
        else:
            parts.append(say(MANY[kind], lang, n=len(who)))
    return ("；" if lang == "zh" else "; ").join(parts)


class NoticeLine(Static):
    """Follows `JudgeApp.recent_notices` and the language."""

    def on_mount(self) -> None:
        app = judge_app(self)
        self.watch(app, "lang", self.redraw)
        self.watch(app, "recent_notices", self.redraw)

    def redraw(self, *_: object) -> None:
        app = judge_app(self)
        notices = app.recent_notices
        line = summarise(notices, app.lang, app.contestant_label)
        self.update(Content(line))
        self.display = bool(line)
        self.set_class(any(n.kind == "review_request" for n in notices), "review")
