"""Overview: the whole final at once. The live matrix of contestants by judges, the legend of
its marks, and one line per judge with their progress and their terminal's connection."""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Static

from ...scoring import Results
from ..state import Matrix, read_matrix, read_terminals, running_order
from ..widgets.judge_panel import JudgePanel
from ..widgets.matrix_table import MatrixTable
from ..words import say
from .asks import ask_lock, ask_lock_ready, ask_review, ask_unlock, panel_of
from .base import ConsoleScreen
from .reveal import ask_reveal

PANEL_SECONDS = 1.0
"""Under a stream of sheets the judges' lines are drawn again at most this often."""
RESULTS_SECONDS = 0.5
"""The live scores (a whole tabulation) are computed again at most this often, or four times
as long as the last one took (a big final's: the server keeps most of the loop). A sheet's
total shows at once; the ranks a moment later, computed just after the matrix has been drawn
and only while no other sheet waits to be shown: a tabulation never holds up a sheet."""
RESULTS_AGAIN_SECONDS = 0.04
"""When sheets wait to be shown at the moment the scores are due, try again this much later."""


class OverviewScreen(ConsoleScreen):
    NAME = "overview"
    TOPICS = ("help_reveal",)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "on_stage", "key_on_stage"),
        Binding("n", "next_on_stage", "key_next_on_stage"),
        Binding("r", "review", "key_review"),
        Binding("l", "lock", "key_lock"),
        Binding("L", "lock_ready", "key_lock_ready"),
        Binding("v", "reveal", "key_reveal"),
        Binding("j", "judges", "key_judges"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._seen = 0
        self._results: Results | None = None
        self._results_at = -RESULTS_SECONDS
        self._results_every = RESULTS_SECONDS
        self._results_seen = 0
        """The ledger entries the console had read when the scores were computed."""
        self._results_queued = False
        self._results_timer: Timer | None = None
        self._panel_at = -PANEL_SECONDS

    def compose_body(self) -> ComposeResult:
        yield MatrixTable(id="matrix")
        yield Static(id="legend")
        yield JudgePanel(id="judges")

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.capp, "on_stage", self._stage_changed, init=False)
        self.query_one(MatrixTable).focus()

    def _stage_changed(self, _who: str | None) -> None:
        self.refresh_data()

    def relabel(self) -> None:
        self.query_one("#legend", Static).update(say("legend", self.capp.lang))

    def _touched(self) -> set[str] | None:
        """Contestants named by the entries appended since the last refresh (None: read every
        row again)."""
        cache = self.capp.cache
        fresh = cache.entries[self._seen:]
        self._seen = len(cache.entries)
        if any(e.kind == "event_changed" or (e.kind in ("seat_excused", "seat_restored")
                                             and e.payload.get("contestants") is None)
               for e in fresh):
            return None  # the event, or a seat for the whole final: every row
        return {c for e in fresh for c in cache.contestants_of(e)}

    def _live_results(self) -> Results | None:
        """The live results as last computed (the first time: computed now)."""
        if self._results is None:
            self._compute_results()
        return self._results

    def _compute_results(self) -> float:
        """Compute the live results again; the seconds it took."""
        started = time.perf_counter()
        self._results_seen = len(self.capp.cache.entries)
        self._results = self.capp.head.current_results()
        spent = time.perf_counter() - started
        self._results_at = time.monotonic()
        self._results_every = max(RESULTS_SECONDS, 4 * spent)
        return spent

    def _want_results(self) -> None:
        """If the ledger grew since the results were computed: when they are due, compute
        them just after the screen's next refresh (`_results_due`); before, set a timer."""
        if self._results_queued or len(self.capp.cache.entries) <= self._results_seen:
            return
        wait = self._results_every - (time.monotonic() - self._results_at)
        if wait <= 0:
            self._results_queued = True
            self.call_after_refresh(self._results_due)
        elif self._results_timer is None:
            self._results_timer = self.set_timer(wait, self._results_timer_fired)

    def _results_timer_fired(self) -> None:
        self._results_timer = None
        self._want_results()

    def _results_due(self) -> None:
        self._results_queued = False
        if not self.is_current:
            self._stale = True
            return
        if self.capp.refresh_pending:  # sheets wait to be shown: they go first
            if self._results_timer is None:
                self._results_timer = self.set_timer(RESULTS_AGAIN_SECONDS,
                                                     self._results_timer_fired)
            return
        self.capp.refresh_seconds += self._compute_results()
        self.refresh_data()

    def refresh_data(self) -> None:
        app = self.capp
        started = time.perf_counter()
        table = self.query_one(MatrixTable)
        touched = self._touched()
        matrix = read_matrix(app.head, self._live_results(),
                             previous=table.matrix if touched is not None else None,
                             touched=touched)
        fresh = table.show(matrix, app.lang, app.on_stage, app.shown_event)
        if time.monotonic() - self._panel_at >= PANEL_SECONDS:
            self._show_panel(matrix)  # else the next second's tick shows the progress
        app.refresh_seconds += time.perf_counter() - started
        probe = app.matrix_probe
        if probe is not None and fresh:
            self.call_after_refresh(lambda: probe(fresh, time.perf_counter()))
        self._want_results()  # after the probe: the sheets are drawn, then the scores

    def refresh_live(self) -> None:
        matrix = self.query_one(MatrixTable).matrix
        if matrix is not None:
            self._show_panel(matrix)

    def _show_panel(self, matrix: Matrix) -> None:
        self._panel_at = time.monotonic()
        app = self.capp
        serving = app.serving
        terminals = read_terminals(app.head, serving.is_live if serving is not None
                                   else lambda _j, _d: False)
        self.query_one(JudgePanel).show(matrix.progress, terminals, app.lang, app.clock())

    # --- keys ---------------------------------------------------------------------------------

    def _contestant(self) -> str | None:
        return self.query_one(MatrixTable).cursor_contestant()

    async def action_open(self) -> None:
        contestant = self._contestant()
        if contestant is not None:
            await self.capp.show_contestant(contestant)

    async def on_matrix_table_opened(self, message: MatrixTable.Opened) -> None:
        await self.capp.show_contestant(message.contestant)

    def action_on_stage(self) -> None:
        contestant = self._contestant()
        if contestant is not None:
            self.capp.mark_on_stage(contestant)

    def action_next_on_stage(self) -> None:
        order = [c.id for c in running_order(self.capp.head.event.contestants)]
        now = self.capp.on_stage
        if now is None:
            following = order[0] if order else None
        elif order.index(now) + 1 < len(order):
            following = order[order.index(now) + 1]
        else:
            self.app.notify(say("msg_last_on_stage", self.capp.lang), timeout=4)
            return
        if following is not None:
            self.capp.mark_on_stage(following)
            self.query_one(MatrixTable).go_to(following)

    def action_review(self) -> None:
        table = self.query_one(MatrixTable)
        contestant, judge = table.cursor_contestant(), table.cursor_judge()
        if contestant is None:
            return
        judges = panel_of(self.capp, contestant)
        ask_review(self.capp, contestant, judges, judge=judge if judge in judges else None)

    def action_judges(self) -> None:
        """Hide or show the judges' lines (more rows of the matrix on a small screen)."""
        panel = self.query_one(JudgePanel)
        panel.display = not panel.display

    def action_lock_ready(self) -> None:
        ask_lock_ready(self.capp)

    def action_reveal(self) -> None:
        contestant = self._contestant()
        if contestant is not None:
            ask_reveal(self.capp, contestant)

    def action_lock(self) -> None:
        contestant = self._contestant()
        if contestant is None:
            return
        if contestant in self.capp.head.locks():
            ask_unlock(self.capp, contestant)
        else:
            ask_lock(self.capp, contestant)
