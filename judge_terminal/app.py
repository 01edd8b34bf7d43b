"""The judge's Textual app: a thin shell over `sync.store.TerminalStore` and
`sync.client.SyncClient`.

First run: the enrolment screen. Later runs: straight to the queue, with `SyncClient.run`
in a worker on the app's own event loop, reconnecting by itself. The client reports through
`on_state` and `on_notice`; the app turns those into three reactives screens and widgets
watch: `lang` (F4 / Ctrl+L), `sync_state` and `data_version` (bumped whenever what the store
holds may have changed). Every time shown or recorded comes from `clock`.

The network side (`sync.client`, aiohttp, zeroconf) is imported only once the queue is on
screen: it is a third of the launch time on an old laptop.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.timer import Timer
from textual.worker import Worker

from sync.catalogue import other
from sync.clock import Clock, local_now
from sync.event import Event
from sync.store import Notice, StoreError, TerminalStore
from sync.zones import in_zone, zone_of

from .model import Queue, ReviewRequest, build_queue
from .words import LANGUAGES, contestant_name, say

if TYPE_CHECKING:
    from sync.client import SyncClient, SyncState

    from .lan import SeenMaster



class JudgeApp(App[None]):
    """The judge terminal. `store` is opened (and closed) by the caller."""

    CSS_PATH = "judge.tcss"
    TITLE = "judge-terminal"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4,ctrl+l", "toggle_language", show=False, priority=True),
        Binding("f1,question_mark", "help", show=False),
        Binding("ctrl+q", "quit", show=False, priority=True),
    ]

    lang: reactive[str] = reactive("zh")
    sync_state: reactive[SyncState | None] = reactive(None)
    """None until the sync client first reports (or when it does not run)."""
    data_version: reactive[int] = reactive(0)
    recent_notices: reactive[tuple[Notice, ...]] = reactive(())
    """What the head judge just did, for the notice line (`widgets.notice_line`): gathered
    for `NOTICE_GATHER` seconds so a burst is one line, cleared `NOTICE_SECONDS` after the
    last."""

    NOTICE_GATHER = 0.25
    NOTICE_SECONDS = 10.0

    def __init__(
        self,
        store: TerminalStore,
        *,
        master: tuple[str, int] | None = None,
        clock: Clock = local_now,
        connect: bool = True,
        discover: bool = True,
        lang: str | None = None,
        client_options: Mapping[str, Any] | None = None,
        browse_timeout: float = 3.0,
        finder: Callable[[], Awaitable[list[SeenMaster]]] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.master = master
        self.clock = clock
        self.connect = connect
        self.browse_timeout = browse_timeout
        self.finder = finder
        """Lists masters for the first-run screen instead of mDNS (tests, demos)."""
        self._chosen_lang = lang if lang in LANGUAGES else None
        self._discover = discover
        self._client_options = dict(client_options or {})
        self._client: SyncClient | None = None
        self._stop = asyncio.Event()
        self._sync_worker: Worker[None] | None = None
        self._queue: tuple[int, Queue] | None = None
        self._arrived: list[Notice] = []
        self._gather: Timer | None = None
        self._fade: Timer | None = None

    # --- start and stop -----------------------------------------------------------------------

    def on_mount(self) -> None:
        from .screens.queue import QueueScreen

        if self.store.enrolment() is None:
            from .screens.enrol import EnrolScreen  # with the network side: first run only

            self.lang = self._chosen_lang or "zh"
            self.push_screen(EnrolScreen())
            return
        self.lang = self._chosen_lang or self._event_language()
        self.push_screen(QueueScreen())
        self.start_sync()

    def _event_language(self) -> str:
        try:
            languages = self.store.event().languages
        except StoreError:
            return "zh"
        return next((lang for lang in languages if lang in LANGUAGES), "zh")

    @property
    def client(self) -> SyncClient:
        """The sync client (made, and the network libraries imported, on first use)."""
        if self._client is None:
            from sync.client import SyncClient
            from sync.discovery import browse

            rediscover = (lambda: browse(2.0)) if self._discover else None
            self._client = SyncClient(self.store, on_state=self._on_state,
                                      on_notice=self._on_notice, discover=rediscover,
                                      **self._client_options)
        return self._client

    def start_sync(self) -> None:
        """Run the sync loop until the app quits (reconnecting by itself), starting once
        what is on screen has been drawn."""
        if not self.connect or self._sync_worker is not None:
            return
        self._stop = asyncio.Event()
        self._sync_worker = self.run_worker(self._sync(), name="sync", group="sync",
                                            exit_on_error=False)

    async def _sync(self) -> None:
        drawn = asyncio.Event()
        self.call_after_refresh(drawn.set)
        await drawn.wait()
        await asyncio.sleep(0.05)  # let the first screen reach the terminal
        await self.client.run(self._stop)

    async def stop_sync(self) -> None:
        self._stop.set()
        if self._sync_worker is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._sync_worker.wait(), 5.0)
            self._sync_worker = None
        if self._client is not None:
            await self._client.close()

    async def action_quit(self) -> None:
        await self.stop_sync()
        self.exit()

    async def on_unmount(self) -> None:
        await self.stop_sync()

    def enrolled(self) -> None:
        """Called by the enrolment screen once the store holds an enrolment."""
        from .screens.queue import QueueScreen

        if self._chosen_lang is None:
            self.lang = self._event_language()
        self.bump()
        self.switch_screen(QueueScreen())
        self.start_sync()

    # --- what the sync client reports ---------------------------------------------------------

    def _on_state(self, state: SyncState) -> None:
        before = self.sync_state
        self.sync_state = state
        if before is None or (before.outbox, before.last_receipt_at) != (
                state.outbox, state.last_receipt_at):
            self.bump()

    def _on_notice(self, notice: Notice) -> None:
        self.bump()
        enrolment = self.store.enrolment()
        if notice.judge is not None and (enrolment is None or notice.judge != enrolment.judge):
            return
        from .widgets.notice_line import SHOWN

        if notice.kind not in SHOWN or not notice.payload.get("contestant"):
            return
        self._arrived.append(notice)
        if self._gather is None:  # the rest of a burst arrives within the same pull
            self._gather = self.set_timer(self.NOTICE_GATHER, self._show_notices)

    def _show_notices(self) -> None:
        """Add what arrived to the notice line (one line however many) and keep it there
        `NOTICE_SECONDS` after the last notice."""
        self._gather = None
        arrived, self._arrived = self._arrived, []
        self.recent_notices = (*self.recent_notices, *arrived)
        if self._fade is not None:
            self._fade.stop()
        self._fade = self.set_timer(self.NOTICE_SECONDS, self._clear_notices)

    def _clear_notices(self) -> None:
        self._fade = None
        self.recent_notices = ()

    def bump(self) -> None:
        """What the store holds may have changed: screens read it again."""
        self.data_version += 1

    def wake_sync(self) -> None:
        if self._client is not None:
            self._client.wake()

    # --- shared reads -------------------------------------------------------------------------

    @property
    def event(self) -> Event:
        return self.store.event()

    def queue(self) -> Queue:
        """The queue as the store holds it now (read once per `data_version`)."""
        if self._queue is None or self._queue[0] != self.data_version:
            self._queue = (self.data_version, build_queue(self.store))
        return self._queue[1]

    def contestant_label(self, contestant_id: str) -> str:
        try:
            found = self.event.contestant(contestant_id)
        except StoreError:
            found = None
        if found is None:
            return contestant_id
        return f"{found.order} {found.id} {contestant_name(self.event, found, self.lang)}"

    @property
    def zone(self) -> dt.tzinfo | None:
        """Where every time is shown: the event's `timezone` (once enrolled), or the clock's
        own (the laptop's)."""
        try:
            event: Event | None = self.event if self.store.enrolment() is not None else None
        except StoreError:
            event = None
        return zone_of(event, self.clock().tzinfo)

    def local_now(self) -> dt.datetime:
        """The clock, in `zone`: what the terminal shows as "now"."""
        return in_zone(self.clock(), self.zone)

    def local_time(self, iso: str | None, fmt: str = "%H:%M:%S") -> str:
        if not iso:
            return ""
        try:
            moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            return iso
        return moment.astimezone(self.zone).strftime(fmt)

    # --- actions available everywhere ---------------------------------------------------------

    def action_help_quit(self) -> None:
        """Ctrl+C (Textual's own hint is in English): how to quit, in the current language."""
        self.notify(say("quit_hint", self.lang), timeout=5)

    def action_toggle_language(self) -> None:
        self.lang = other(self.lang)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):  # the first-run screen explains enrolling
            topics = getattr(self.screen, "HELP_TOPICS", None)
            title = getattr(self.screen, "HELP_TITLE", None)
            self.push_screen(HelpScreen(topics, title) if topics and title else HelpScreen())

    def open_review(self, review: ReviewRequest) -> None:
        """Show a review request; answer it as the judge chooses."""
        from .screens.review import ReviewScreen
        from .screens.sheet import SheetScreen

        def answered(choice: str | None) -> None:
            if choice == "confirm":
                try:
                    self.store.confirm_review(review.id, now=self.clock())
                except StoreError as exc:
                    self.notify(say("msg_store_refused", self.lang, reason=exc.reason),
                                severity="error", timeout=10)
                    return
                self.wake_sync()
                self.bump()
                self.notify(say("msg_confirmed", self.lang), timeout=6)
            elif choice == "revise":
                if isinstance(self.screen, SheetScreen) \
                        and self.screen.contestant.id == review.contestant:
                    self.screen.start_correction(review)
                else:
                    self.push_screen(SheetScreen(review.contestant, review=review))

        self.push_screen(ReviewScreen(review), answered)
