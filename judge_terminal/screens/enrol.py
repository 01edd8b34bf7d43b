"""First run: pick up the head judge on the LAN (or the --master address), type the one-time
enrolment code (checked as typed; a typo's blocks are named), compare the fingerprint it pins,
and enrol. Success lands on the queue."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input, Static

from sync.client import CodeTypo, MasterRefused, MasterUnreachable, PinMismatch, SyncError
from sync.identity import format_fingerprint

from ..lan import SeenMaster, describe_all, find_masters
from ..model import CodeCheck
from ..widgets.code_entry import CodeEntry
from ..widgets.key_bar import Key, KeyBar
from ..widgets.master_list import MasterList
from ..widgets.title_bar import TitleBar
from ..words import say
from .base import JudgeScreen

KEYS: list[Key] = [("Enter", "screen.enrol", "key_enrol"), ("F5", "screen.search", "key_search"),
                   ("F4", "app.toggle_language", "key_language"), ("F1", "app.help", "key_help"),
                   ("^Q", "app.quit", "key_quit")]
REFUSALS = {"bad_code": "enrol_bad_code", "seat_locked": "enrol_seat_locked",
            "unknown_seat": "enrol_unknown_seat"}


class EnrolScreen(JudgeScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "search", show=False)]

    def __init__(self) -> None:
        super().__init__()
        self.masters: list[SeenMaster] | None = None
        self.check: CodeCheck | None = None
        self.problem: str | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title")
        yield Static(id="enrol-heading")
        yield Static(id="masters-label")
        yield MasterList(id="masters")
        yield Static(id="code-label")
        yield CodeEntry(id="code")
        yield Static(id="pin")
        yield Static(id="enrol-message")
        yield KeyBar(KEYS, id="keys")

    def on_mount(self) -> None:
        self.relabel()
        self.query_one("#code-input", Input).focus()
        self.action_search()

    # --- the list of masters ------------------------------------------------------------------

    def action_search(self) -> None:
        self.masters = None
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
            found = await find_masters(app.client, app.browse_timeout)
        self.masters = found
        self.relabel()

    # --- words --------------------------------------------------------------------------------

    def relabel(self) -> None:
        lang = self.japp.lang
        pin = self.check.code.fingerprint if self.check and self.check.code else None
        self.query_one("#enrol-heading", Static).update(say("first_run", lang))
        self.query_one("#masters-label", Static).update(
            say("masters_given" if self.japp.master else "masters_found", lang))
        self.query_one(MasterList).show(self.masters, pin, lang)
        self.query_one("#code-label", Static).update(say("code_prompt", lang))
        if pin is not None:
            self.query_one("#pin", Static).update(
                f"{say('code_fingerprint', lang)}\n{format_fingerprint(pin)}\n"
                f"{say('code_compare', lang)}")
        else:
            self.query_one("#pin", Static).update("")
        self.query_one("#enrol-message", Static).update(
            say("enrolling", lang) if self.busy else f"x {self.problem}" if self.problem else "")

    def on_code_entry_checked(self, event: CodeEntry.Checked) -> None:
        self.check = event.check
        self.problem = None
        self.relabel()

    def on_code_entry_submitted(self, event: CodeEntry.Submitted) -> None:
        self.check = event.check
        self.action_enrol()

    # --- enrolling ----------------------------------------------------------------------------

    def candidates(self, pin: bytes) -> list[tuple[str, int]]:
        app = self.japp
        seen = self.masters or []
        if app.master is not None and not seen:
            return [app.master]
        matching = [m for m in seen if m.fingerprint == pin]
        unknown = [m for m in seen if m.fingerprint is None]
        return [(m.host, m.port) for m in matching + unknown]

    def action_enrol(self) -> None:
        check = self.check
        if self.busy or check is None or check.code is None:
            self.relabel()
            return
        candidates = self.candidates(check.code.fingerprint)
        if not candidates:
            self.problem = say("enrol_nowhere" if not self.masters else "enrol_pin",
                               self.japp.lang)
            self.relabel()
            return
        self.busy = True
        self.relabel()
        text = self.query_one("#code-input", Input).value
        self.run_worker(self._enrol(text, candidates), group="enrol", exclusive=True)

    async def _enrol(self, text: str, candidates: list[tuple[str, int]]) -> None:
        app = self.japp
        lang = app.lang
        try:
            enrolment, _skipped = await app.client.enrol_any(text, candidates)
        except CodeTypo as exc:
            self.problem = say("enrol_failed", lang, reason=exc.reason)
        except MasterRefused as exc:
            key = REFUSALS.get(exc.code)
            self.problem = say(key, lang) if key else say("enrol_failed", lang,
                                                          reason=exc.reason)
        except PinMismatch:
            self.problem = say("enrol_pin", lang)
        except MasterUnreachable as exc:
            self.problem = say("enrol_unreachable", lang, reason=exc.reason)
        except SyncError as exc:
            self.problem = say("enrol_failed", lang, reason=exc.reason)
        else:
            self.busy = False
            pinned = format_fingerprint(enrolment.pin)
            app.notify(say("enrolled", app.lang, judge=enrolment.judge,
                           fingerprint=pinned[:15] + "…"), timeout=6)
            app.enrolled()
            return
        self.busy = False
        self.relabel()
