"""The head judge's console: a Textual app over one `Master`, with the master's server (and its
mDNS advertisement) running on the app's own event loop when `serve` is given.

Ten screens (keys 1-9 and 0, `MODES`), each a thin layer over `HeadJudge`,
`head_judge.appeals`, `head_judge.paper_desk` and `Master`: the functions the CLI calls. Four
reactives drive them: `lang` (F4 / Ctrl+L),
`data_version` (bumped when the ledger grew: after a push or an enrolment is answered, after
the console's own actions, and by a light poll for writes by other processes such as a CLI
command), `live_version` (every second: terminals' status and the clock) and `on_stage`.
Every time shown or recorded comes from `clock`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.widgets import Input

from sync.catalogue import other
from sync.clock import Clock, local_now
from sync.event import Event
from sync.zones import in_zone, zone_of

from ..actions import HeadJudge
from ..glyphs import event_warnings
from ..master import HEAD_JUDGE, Master, MasterError
from ..printing import PrintedSheet
from ..refusals import Message, Refused
from .ledger_view import LedgerCache, local_time
from .screens.appeals import AppealsScreen
from .screens.audit import AuditScreen
from .screens.base import ConsoleScreen
from .screens.components import ComponentsScreen
from .screens.confirm import ConfirmDialog
from .screens.contestant import ContestantScreen
from .screens.dialogs import phrase
from .screens.discrepancies import DiscrepanciesScreen
from .screens.enrolment import EnrolmentScreen
from .screens.help import HelpDialog
from .screens.overview import OverviewScreen
from .screens.paper import PaperScreen
from .screens.print import PrintScreen
from .screens.results import ResultsScreen
from .serving import ServeOptions, Serving
from .state import IssuedCode, blind_mark, shown_event, standby_lag
from .widgets.nav_bar import SCREENS, screen_key
from .words import LANGUAGES, say

POLL_SECONDS = 0.5
"""How often the ledger is checked for writes the console was not told about."""
MIN_REFRESH_SECONDS = 0.04
"""Refreshes closer together than this are merged into one."""


class ConsoleApp(App[int]):
    """The console. `master` is opened (and closed) by the caller."""

    CSS_PATH = "console.tcss"
    TITLE = "head-judge"
    ENABLE_COMMAND_PALETTE = False
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {  # type: ignore[type-arg]
        "overview": OverviewScreen, "discrepancies": DiscrepanciesScreen,
        "contestant": ContestantScreen, "enrolment": EnrolmentScreen,
        "components": ComponentsScreen, "results": ResultsScreen,
        "appeals": AppealsScreen, "audit": AuditScreen, "print": PrintScreen,
        "paper": PaperScreen,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(screen_key(n), f"screen('{name}')", show=False, priority=True)
          for n, name in enumerate(SCREENS, start=1)),
        Binding("f4,ctrl+l", "toggle_language", "key_language", priority=True),
        Binding("f1,question_mark", "help", "key_help"),
        Binding("ctrl+q", "quit", "key_quit", priority=True),
    ]

    lang: reactive[str] = reactive("zh")
    data_version: reactive[int] = reactive(0)
    live_version: reactive[int] = reactive(0)
    on_stage: reactive[str | None] = reactive(None)
    serve_state: reactive[str] = reactive("off")

    def __init__(
        self,
        master: Master,
        *,
        serve: ServeOptions | None = None,
        clock: Clock = local_now,
        lang: str | None = None,
        prints: Path | None = None,
        event_folder: Path | None = None,
        actor: str = HEAD_JUDGE,
        live_seconds: float = 1.0,
    ) -> None:
        super().__init__()
        self.master = master
        self.clock = clock
        self.head = HeadJudge(master, actor=actor, clock=clock)
        self.cache = LedgerCache(master)
        self.serve_options = serve
        self.serving: Serving | None = None
        self.serve_error: Message | None = None
        self.prints = prints or master.home / "prints"
        self.event_folder = event_folder
        """Where the event file is: the Components screen offers it for the CSV."""
        self.live_seconds = live_seconds
        languages = [x for x in master.event.languages if x in LANGUAGES]
        self.lang = lang if lang in LANGUAGES else (languages[0] if languages else "zh")
        self.contestant: str | None = None
        """The contestant the Contestant screen shows."""
        self.codes: dict[str, IssuedCode] = {}
        """Enrolment codes issued in this session, by seat, to show (the master keeps them to
        check enrolments, never in the ledger)."""
        self.last_print: list[PrintedSheet] = []
        """What the Print screen printed last."""
        """`on_stage` is shown here only: this master cannot record it (see `stage`)."""
        self.matrix_probe: Callable[[list[int], float], None] | None = None
        """Benchmarks: told the ledger entries of sheets the matrix just showed, and when."""
        self.refresh_seconds = 0.0
        """Time spent reading the ledger and redrawing after it grew (for the benchmark)."""
        self._ledger_seen = 0
        self._pending = False
        self._last_check = 0.0
        self._gap = MIN_REFRESH_SECONDS
        self._flags_cache: tuple[int, int] = (-1, 0)

    # --- start and stop -----------------------------------------------------------------------

    async def on_mount(self) -> None:
        self.cache.update()
        self._ledger_seen = len(self.cache.entries)
        self.on_stage = self.head.last_on_stage()
        self.contestant = self.on_stage
        await self.switch_mode("overview")
        for warning in event_warnings(self.master.event):  # a name the sheets cannot print
            self.notify(warning.render(self.lang), severity="warning", timeout=30)
        self.set_interval(POLL_SECONDS, self.ledger_touched)
        self.set_interval(self.live_seconds, self._tick)
        if self.serve_options is not None:
            self.serve_state = "starting"
            self.run_worker(self._serve(self.serve_options), name="serve", exit_on_error=False)
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self.exit)

    async def _serve(self, options: ServeOptions) -> None:
        # the server records (and makes results official) by the console's clock too
        serving = Serving(self.master, options, on_answer=self.ledger_touched,
                          clock=self.clock)
        try:
            await serving.start()
        except Refused as exc:  # a port taken, a ledger altered on disk
            self.serve_error = exc.message
            self.serve_state = "failed"
            await serving.server.close()
            self.exit(2)  # `head-judge serve` says why
            return
        self.serving = serving
        self.serve_state = "on"
        if serving.screen_problem is not None:  # the judges are served; the hall is not
            self.notify(serving.screen_problem.render(self.lang), severity="warning",
                        timeout=60)

    async def stop_serving(self) -> None:
        serving, self.serving = self.serving, None
        if serving is not None:
            await serving.close()
            self.serve_state = "off"

    async def on_unmount(self) -> None:
        await self.stop_serving()

    @property
    def port(self) -> int | None:
        return self.serving.port if self.serving is not None else None

    # --- following the ledger -----------------------------------------------------------------

    def ledger_size(self) -> int:
        return self.master.ledger_size()

    def ledger_touched(self) -> None:
        """The ledger may have grown: read it again soon (merged with other calls)."""
        if self._pending:
            return
        self._pending = True
        wait = self._last_check + self._gap - time.monotonic()
        if wait > 0:
            self.set_timer(wait, self._check)
        else:
            self.call_later(self._check)

    @property
    def refresh_pending(self) -> bool:
        """Whether the ledger may have grown since the screens last read it (a push was
        answered, or the poll is due) and their refresh is still to come."""
        return self._pending

    def refresh_now(self) -> None:
        """After the console's own action: show what it recorded at once."""
        self._check()

    def _check(self) -> None:
        self._pending = False
        self._last_check = time.monotonic()
        size = self.ledger_size()
        if size == self._ledger_seen:
            return
        started = time.perf_counter()
        self._ledger_seen = size
        self.cache.update()
        self.data_version += 1  # the screens showing read again, now
        spent = time.perf_counter() - started
        self.refresh_seconds += spent
        # under a stream of pushes, leave the server most of the loop
        self._gap = max(MIN_REFRESH_SECONDS, 2 * spent)

    def _tick(self) -> None:
        self.live_version += 1

    def open_flag_count(self) -> int:
        if self._flags_cache[0] != self._ledger_seen:
            count = self.master.ledger.conn.execute(
                "SELECT count(*) FROM flags WHERE status = 'open'").fetchone()[0]
            self._flags_cache = (self._ledger_seen, int(count))
        return self._flags_cache[1]

    # --- shown everywhere ---------------------------------------------------------------------

    def serve_text(self) -> str:
        lang = self.lang
        if self.serving is not None and self.serving.port is not None:
            host = self.serving.options.host
            shown = self.serving.addresses[0] if host in ("0.0.0.0", "::", "") else host
            live = sum(1 for connections in self.serving.server.live.values() if connections)
            screen = self.serving.screen
            return (say("serving", lang, address=f"{shown}:{self.serving.port}") + "  "
                    + (say("screen_port", lang, port=screen.port) + "  "
                       if screen is not None and screen.port is not None else "")
                    + say("terminals_online", lang, n=live, total=len(self.head.event.judges))
                    + self.standby_text())
        if self.serve_state == "starting":
            return say("starting", lang)
        return say("not_serving", lang)

    def standby_text(self) -> str:
        """The standby master's lag, after the terminals online (nothing without one)."""
        status = self.master.standby_status
        if status is None:
            return ""
        lag = standby_lag(status, self.master.ledger_size(), self.clock())
        return "" if lag is None else "  " + say(lag[0], self.lang, **lag[1])

    def stage_text(self) -> str:
        lang = self.lang
        if self.on_stage is None:
            return say("on_stage_nobody", lang)
        return say("on_stage_title", lang, who=self.contestant_label(self.on_stage))

    def contestant_label(self, contestant_id: str | None, *, organisation: bool = False) -> str:
        if contestant_id is None:
            return ""
        found = self.shown_event.contestant(contestant_id)
        if found is None:
            return contestant_id
        label = f"{found.order} {found.id} {found.name}"
        return label + (f" · {found.organisation}" if organisation else "")

    @property
    def shown_event(self) -> Event:
        """The event as the console shows contestants: in a blind final, draw number and
        name (`state.shown_event`)."""
        return shown_event(self.head)

    def blind_text(self) -> str:
        """The title bar's mark of a blind final: identities hidden, or revealed."""
        mark = blind_mark(self.head)
        return say(mark, self.lang) if mark else ""

    def judge_label(self, judge_id: str) -> str:
        found = self.head.event.judge(judge_id)
        return f"{judge_id} {found.name.get(self.lang)}" if found else judge_id

    @property
    def zone(self) -> dt.tzinfo | None:
        """Where every time is shown: the event's `timezone`, or the clock's own (the
        laptop's) when the event names none."""
        return zone_of(self.head.event, self.clock().tzinfo)

    def local_now(self) -> dt.datetime:
        """The clock, in `zone`: what the console shows as "now"."""
        return in_zone(self.clock(), self.zone)

    def local(self, iso: str | None, fmt: str = "%H:%M:%S", *, offset: bool = False) -> str:
        """A recorded time in `zone`; with `offset`, followed by its offset (for a time in
        a sentence; a table column puts the offset in its header: `ledger_view.time_column`)."""
        return local_time(iso, self.zone, fmt, offset=offset)

    def scope_name(self, scope: tuple[str, str | None]) -> str:
        event, lang = self.head.event, self.lang
        track = event.track(scope[0])
        name = track.name.get(lang) if track else scope[0]
        if scope[1]:
            group = event.group(scope[1])
            name += " · " + (group.name.get(lang) if group else scope[1])
        return name

    # --- on stage -----------------------------------------------------------------------------

    def mark_on_stage(self, contestant: str | None) -> None:
        """Tell every terminal who is on stage."""
        who = self.contestant_label(contestant) or "—"
        try:
            self.head.announce_on_stage(contestant)
        except MasterError as exc:  # ActionRefused: shown, nothing recorded
            self.notify(say("refused", self.lang, reason=exc.message), severity="error")
            return
        self.on_stage = contestant
        self.refresh_now()
        self.notify(say("msg_on_stage", self.lang, who=who), timeout=4)

    # --- actions available everywhere ---------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "screen":  # digits are typed into inputs and dialogs, not screen keys
            return not (isinstance(self.screen, ModalScreen) or isinstance(self.focused, Input))
        return True

    async def action_screen(self, name: str) -> None:
        if name in self.MODES and self.current_mode != name:
            await self.switch_mode(name)

    async def show_contestant(self, contestant: str) -> None:
        self.contestant = contestant
        if self.current_mode == "contestant":
            screen = self.screen
            if hasattr(screen, "show"):
                screen.show(contestant)
        else:
            await self.switch_mode("contestant")

    def action_help_quit(self) -> None:
        """Ctrl+C (Textual's own hint is in English): how to quit, in the current language."""
        self.notify(say("quit_hint", self.lang), timeout=5)

    def action_toggle_language(self) -> None:
        self.lang = other(self.lang)

    def action_help(self) -> None:
        if not isinstance(self.screen, ConsoleScreen):
            return
        grouped: dict[str, tuple[list[str], str]] = {}
        for _node, binding, _on, _tip in self.screen.key_bindings.values():
            if binding.show:
                shown, _words = grouped.setdefault(binding.action, ([], binding.description))
                shown.append(self.get_key_display(binding))
        keys = [(" / ".join(shown), words) for shown, words in grouped.values()]
        topics = getattr(self.screen, "TOPICS", ())
        self.push_screen(HelpDialog(keys, topics))

    async def action_quit(self) -> None:
        if self.serving is None:
            self.exit(0)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(ConfirmDialog(phrase("quit_title"), [phrase("quit_lines")],
                                       ok="key_quit", danger=True), answered)

    def refused(self, reason: str) -> None:
        self.notify(say("refused", self.lang, reason=reason), severity="error", timeout=10)

    def done(self, key: str, **values: object) -> None:
        self.refresh_now()
        self.notify(say(key, self.lang, **values), timeout=5)
