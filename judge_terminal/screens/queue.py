"""The queue: every contestant in running order with this judge's status; the one on stage
is a key away, and so are review requests. Until the first sheet is saved, the pinned master
fingerprint is shown too, for the judge to compare with the enrolment card."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from sync.identity import format_fingerprint

from ..widgets.key_bar import KeyBar
from ..widgets.notice_line import NoticeLine
from ..widgets.queue_table import QueueTable
from ..widgets.status_bar import StatusBar
from ..widgets.title_bar import TitleBar
from ..words import say
from .base import JudgeScreen

KEYS = [("Enter", "screen.open", "key_open"), ("O", "screen.on_stage", "key_on_stage"),
        ("N", "screen.next", "key_next"), ("R", "screen.reviews", "key_reviews"),
        ("F4", "app.toggle_language", "key_language"), ("?", "app.help", "key_help"),
        ("^Q", "app.quit", "key_quit")]


class QueueScreen(JudgeScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "on_stage", show=False),
        Binding("n", "next", show=False),
        Binding("r", "reviews", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield Static(id="queue-head")
        yield QueueTable(id="queue")
        yield NoticeLine(id="notice")
        yield StatusBar(id="status")
        yield KeyBar(KEYS, id="keys")

    def on_mount(self) -> None:
        self.refresh_data()
        table = self.query_one(QueueTable)
        queue = self.japp.queue()
        first = queue.board.on_stage or next(
            (r.contestant.id for r in queue.rows if r.status in ("to_score", "draft")), None)
        if first is not None:
            table.go_to(first)
        table.focus()

    def relabel(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.japp
        queue = app.queue()
        lang = app.lang
        self.query_one(QueueTable).show(queue, lang)
        done = sum(1 for r in queue.rows if r.total is not None)
        todo = sum(1 for r in queue.rows if r.status in ("to_score", "draft", "rejected"))
        head = Content(say("queue", lang) + "  " + say(
            "queue_counts", lang, total=len(queue.rows), done=done, todo=todo))
        stage = queue.board.on_stage
        who = say("on_stage_now", lang, who=app.contestant_label(stage)) if stage \
            else say("on_stage_none", lang)
        parts = [head, Content(who)]
        reviews = queue.open_reviews
        if reviews:
            parts.append(Content.from_markup(
                "[@click=screen.reviews][b reverse]$badge[/][/]",
                badge=" " + say("reviews_badge", lang, n=len(reviews)) + " "))
        if not queue.sheets:  # just enrolled: the pinned master, to compare with the card
            pin = format_fingerprint(app.store.require_enrolment().pin)
            parts.append(Content(say("pinned", lang) + "\n" + pin))
        self.query_one("#queue-head", Static).update(Content("\n").join(
            [Content("   ").join(parts[:2]), *parts[2:]]))

    def action_open(self) -> None:
        contestant = self.query_one(QueueTable).contestant_at_cursor()
        if contestant is not None:
            self._open(contestant)

    def on_queue_table_opened(self, event: QueueTable.Opened) -> None:
        self._open(event.contestant)

    def _open(self, contestant: str) -> None:
        from .sheet import SheetScreen

        self.app.push_screen(SheetScreen(contestant))

    def action_on_stage(self) -> None:
        stage = self.japp.queue().board.on_stage
        if stage is None:
            self.app.notify(say("no_on_stage", self.japp.lang), timeout=4)
            return
        self.query_one(QueueTable).go_to(stage)
        self._open(stage)

    def action_next(self) -> None:
        table = self.query_one(QueueTable)
        rows = self.japp.queue().rows
        start = table.cursor_row
        order = list(range(start + 1, len(rows))) + list(range(0, start + 1))
        for index in order:
            if rows[index].status in ("to_score", "draft", "rejected"):
                table.move_cursor(row=index, animate=False)
                return
        self.app.notify(say("nothing_to_score", self.japp.lang), timeout=4)

    def action_reviews(self) -> None:
        queue = self.japp.queue()
        reviews = queue.open_reviews
        if not reviews:
            self.app.notify(say("no_reviews", self.japp.lang), timeout=4)
            return
        here = self.query_one(QueueTable).contestant_at_cursor()
        chosen = next((r for r in reviews if r.contestant == here), reviews[0])
        self.query_one(QueueTable).go_to(chosen.contestant)
        self.japp.open_review(chosen)
