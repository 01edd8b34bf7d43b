"""First run: the masters heard on the LAN (or the --master address) with their final and
master fingerprint; with several, the judge chooses the one on the card (Up/Down): the code
is tried with that one only, since each try costs the code a guess. The one-time enrolment
code is checked as typed. Success lands on the queue and shows the pinned master fingerprint
to compare with the card."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from sync.client import SyncError

from ..lan import SeenMaster, describe_all, enrol_problem, find_masters
from ..model import CodeCheck
from ..widgets.code_entry import CodeEntry
from ..widgets.key_bar import Key, KeyBar
from ..widgets.master_list import MasterList
from ..widgets.title_bar import TitleBar
from ..words import fold, say
from .base import JudgeScreen

KEYS: list[Key] = [("Enter", "screen.enrol", "key_enrol"), ("F5", "screen.search", "key_search"),
                   ("F4", "app.toggle_language", "key_language"), ("F1", "app.help", "key_help"),
                   ("^Q", "app.quit", "key_quit")]
CHOOSE: Key = ("↑↓", "screen.choose(1)", "key_choose")
"""Shown second when there are several masters to choose from."""


class EnrolScreen(JudgeScreen):
    HELP_TOPICS = ("help_enrol_find", "help_enrol_code", "help_enrol_once", "help_enrol_pin",
                   "help_enrol_keys")
    """What F1 explains here: enrolling, not the queue and sheets the judge has not seen yet."""
    HELP_TITLE = "help_enrol_title"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "search", show=False),
        Binding("up", "choose(-1)", show=False),
        Binding("down", "choose(1)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.masters: list[SeenMaster] | None = None
        self.search_problem: str | None = None
        """Words key for why the last search could not listen (no network), or None."""
        self.chosen: int | None = None
        """Index in `masters` of the one to enrol with (set by itself when there is one)."""
        self.check: CodeCheck | None = None
        self.problem: tuple[str, dict[str, object]] | None = None
        """Why the last Enter did not enrol: a words key and its values (said in the
        language on screen, also after F4)."""
        self.busy: str | None = None
        """The address being enrolled with, while it runs."""

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield Static(id="enrol-heading")
        yield Static(id="masters-label")
        yield MasterList(id="masters")
        yield Static(id="code-label")
        yield CodeEntry(id="code")
        yield Static(id="enrol-message")
        yield KeyBar(KEYS, id="keys")

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#code-input", Input).focus()
        self.action_search()

    def on_resize(self) -> None:
        self.relabel()

    # --- the list of masters ------------------------------------------------------------------

    def action_search(self) -> None:
        if self.busy:
            return
        self.masters = None
        self.search_problem = None
        self.relabel()
        self.run_worker(self._search(), group="search", exclusive=True)

    async def _search(self) -> None:
        app = self.japp
        if app.finder is not None:
            found = await app.finder()
        elif app.master is not None:
            host, port = app.master
            found = await describe_all(app.client, [(host, port, f"{host}:{port}", "")])
        else:
            found = await find_masters(app.client, app.browse_timeout,
                                       on_no_network=self._no_network)
        before = self.chosen_master()
        # the ones whose fingerprint could not be read (gone, or not answering) last
        found = sorted(found, key=lambda m: m.fingerprint is None)
        self.masters = found
        same = [i for i, m in enumerate(found)
                if before is not None and (m.host, m.port) == (before.host, before.port)]
        self.chosen = 0 if len(found) == 1 else same[0] if same else None
        self.relabel()

    def _no_network(self, _problem: object) -> None:
        self.search_problem = "no_network"

    # --- words --------------------------------------------------------------------------------

    def relabel(self) -> None:
        lang = self.japp.lang
        masters = self.masters or []
        several = len(masters) > 1
        self.query_one("#enrol-heading", Static).update(say("first_run", lang))
        self.query_one("#masters-label", Static).update(
            say("masters_choose", lang, n=len(masters)) if several
            else say("masters_given" if self.japp.master else "masters_found", lang))
        self.query_one(MasterList).show(self.masters, self.chosen, lang,
                                        empty=self.search_problem or "none_found")
        self.query_one("#code-label", Static).update(say("code_prompt", lang))
        self.query_one(KeyBar).set_keys([KEYS[0], CHOOSE, *KEYS[1:]] if several else KEYS)
        if self.busy:
            message = say("enrolling", lang, address=self.busy)
        elif self.problem:
            key, values = self.problem
            message = "x " + say(key, lang, **values)
        elif self.check is not None and self.check.code is not None:
            message = self.next_step(lang)  # the code is ready: what is left to do
        else:
            message = ""
        shown = self.query_one("#enrol-message", Static)
        width = shown.content_region.width or self.app.size.width - 2
        shown.update(fold(message, width))

    def next_step(self, lang: str) -> str:
        chosen = self.chosen_master()
        if chosen is not None:
            name = chosen.event_name.get(lang) if chosen.event_name else ""
            return say("enrol_ready", lang, master=f"{name}  {chosen.address}".strip())
        if self.masters is None or (not self.masters and self.japp.master is None):
            return ""  # still searching, or nowhere to go: said by the list
        if not self.masters:
            host, port = self.japp.master  # type: ignore[misc]
            return say("enrol_ready", lang, master=f"{host}:{port}")
        return say("enrol_choose", lang)

    # --- choosing a master ------------------------------------------------------------------

    def chosen_master(self) -> SeenMaster | None:
        if not self.masters or self.chosen is None or self.chosen >= len(self.masters):
            return None
        return self.masters[self.chosen]

    def action_choose(self, step: int) -> None:
        """Up/Down: the master above or below the chosen one (the first or last if none)."""
        if not self.masters or len(self.masters) < 2 or self.busy:
            return
        if self.chosen is None:
            self.chosen = 0 if step > 0 else len(self.masters) - 1
        else:
            self.chosen = min(max(self.chosen + step, 0), len(self.masters) - 1)
        self.problem = None
        self.relabel()

    def on_master_list_chosen(self, event: MasterList.Chosen) -> None:
        if self.masters and 0 <= event.index < len(self.masters) and not self.busy:
            self.chosen = event.index
            self.problem = None
            self.relabel()

    def on_code_entry_checked(self, event: CodeEntry.Checked) -> None:
        self.check = event.check
        self.problem = None
        self.relabel()

    def on_code_entry_submitted(self, event: CodeEntry.Submitted) -> None:
        self.check = event.check
        self.action_enrol()

    # --- enrolling ----------------------------------------------------------------------------

    def target(self) -> tuple[str, int] | None:
        """Where the code goes: the chosen master, the only one, or --master while its
        description has not come back; None (and a problem said) if that is not yet known."""
        app = self.japp
        if app.master is not None and not self.masters:
            return app.master
        chosen = self.chosen_master()
        if chosen is not None:
            return chosen.host, chosen.port
        self.problem = ("enrol_wait" if self.masters is None
                        else "enrol_choose" if self.masters else "enrol_nowhere", {})
        return None

    def action_enrol(self) -> None:
        check = self.check
        if self.busy or check is None or check.code is None:
            self.relabel()
            return
        target = self.target()
        if target is None:
            self.relabel()
            return
        host, port = target
        self.busy = f"{host}:{port}"
        self.problem = None
        self.relabel()
        text = self.query_one("#code-input", Input).value
        self.run_worker(self._enrol(text, host, port, check.code.seat), group="enrol",
                        exclusive=True)

    async def _enrol(self, text: str, host: str, port: int, seat: int) -> None:
        """One try with one master: a refusal is said and never tried elsewhere."""
        app = self.japp
        try:
            enrolment = await app.client.enrol(text, host, port)
        except SyncError as exc:
            self.problem = enrol_problem(exc, seat)
        else:
            self.busy = None
            app.enrolled()  # the queue shows the pinned fingerprint, whole, on one line
            app.notify(say("enrolled", app.lang, judge=enrolment.judge), timeout=10)
            return
        self.busy = None
        self.relabel()
