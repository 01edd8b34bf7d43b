"""Print: choose sheets, print them as PDFs into a folder and see each sheet's code.

Printing is `head_judge.printing.print_sheets`'s two steps, as `head-judge print` runs them:
`record_print` (a signed checkpoint and one `sheet_printed` entry per sheet), then
`render_print` (the PDFs, with the master closed). It runs in a worker thread on a
connection of its own (SQLite connections stay on their thread; WAL and the busy
timeout serialise its write with the server's), so the screen never freezes.

What would refuse the print (a subject that does not exist, a folder that cannot be written)
is found first and shown in a dialog that cannot be confirmed. A relative folder is read from
the event file's folder; F chooses one from a tree."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from ...actions import HeadJudge
from ...master import Master, MasterError
from ...printing import (
    PrintedSheet,
    Signatories,
    print_blockers,
    record_print,
    render_print,
    sheet_subjects,
)
from ...refusals import Message
from ..widgets.print_choices import PrintChoices
from ..widgets.printed_table import PrintedTable
from ..words import say
from .base import ConsoleScreen
from .browse import BrowseDialog, browse_base, relative_to_event, resolve
from .confirm import ConfirmDialog
from .dialogs import bullet, phrase

INPUTS = ("subjects", "head_judge", "notary", "folder")


class PrintScreen(ConsoleScreen):
    NAME = "print"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "generate", "key_generate"),
        Binding("a", "all", "key_all"),
        Binding("f", "browse", "key_browse"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.started: float | None = None
        self.problem = ""

    def compose_body(self) -> ComposeResult:
        yield Static(id="print-title", classes="heading")
        yield PrintChoices(id="choices")
        for name in INPUTS:
            with Horizontal(classes="print-row"):
                yield Static(id=f"label-{name}", classes="print-label")
                yield Input(id=f"input-{name}", classes="print-input", compact=True,
                            select_on_focus=False)  # a key typed adds to the text
        yield Static(id="print-state", classes="heading")
        yield PrintedTable(id="printed")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#input-folder", Input).value = relative_to_event(
            self.capp.prints, self.capp.event_folder)
        self.query_one(PrintChoices).focus()
        self.set_interval(1.0, self._state)

    def relabel(self) -> None:
        lang = self.capp.lang
        self.query_one("#print-title", Static).update(say("print_title", lang))
        for name, word in zip(INPUTS, ("print_subjects", "print_head_judge", "print_notary",
                                       "print_folder"), strict=True):
            self.query_one(f"#label-{name}", Static).update(say(word, lang))

    def refresh_data(self) -> None:
        app = self.capp
        self.query_one(PrintChoices).show(sheet_subjects(app.head), app.lang)
        self.query_one(PrintedTable).show(app.last_print, app.lang)
        self._state()

    def _state(self) -> None:
        app, lang = self.capp, self.capp.lang
        box = self.query_one("#print-state", Static)
        if self.started is not None:
            box.update(say("print_running", lang,
                           seconds=int(time.monotonic() - self.started)))
        elif self.problem:
            box.update(say("refused", lang, reason=self.problem))
        elif app.last_print:
            first = app.last_print[0]
            box.update(say("print_done", lang, n=len(app.last_print), folder=first.file.parent,
                           size=first.size, checkpoint=first.checkpoint))
        else:
            box.update("")

    def _value(self, name: str) -> str:
        return self.query_one(f"#input-{name}", Input).value.strip()

    def folder(self) -> Path:
        """The folder typed, a relative one read from the event file's folder."""
        return resolve(self._value("folder"), self.capp.event_folder) \
            if self._value("folder") else self.capp.prints

    def action_browse(self) -> None:
        def chosen(path: str | None) -> None:
            if path is not None:
                self.query_one("#input-folder", Input).value = path

        self.capp.push_screen(BrowseDialog(browse_base(self.capp.event_folder), folders=True),
                              chosen)

    def action_all(self) -> None:
        self.query_one(PrintChoices).tick_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_generate()

    def action_generate(self) -> None:
        app = self.capp
        if self.started is not None:
            return
        kinds = self.query_one(PrintChoices).ticked()
        if not kinds:
            app.notify(say("print_nothing", app.lang), severity="warning")
            return
        blockers = print_blockers(app.head, kinds, self._subjects(), self.folder())
        if blockers:
            app.push_screen(ConfirmDialog(phrase("print_blocked_title"),
                                          [bullet(b) for b in blockers], ok="key_generate",
                                          blocked=True))
            return
        if "enrolment" in kinds:
            def answered(yes: bool | None) -> None:
                if yes:
                    self._start(kinds)

            app.push_screen(ConfirmDialog(phrase("confirm_cards_title"),
                                          [phrase("confirm_cards_lines")], ok="key_generate",
                                          danger=True), answered)
            return
        self._start(kinds)

    def _subjects(self) -> list[str]:
        return [s.strip() for s in self._value("subjects").replace("，", ",").split(",")
                if s.strip()]

    def _start(self, kinds: list[str]) -> None:
        app = self.capp
        subjects = self._subjects()
        folder = self.folder()
        signatories = Signatories(self._value("head_judge"), self._value("notary"))
        self.problem = ""
        self.started = time.monotonic()
        self._state()
        self._print(app.master.home, kinds, subjects, folder, signatories, app.clock())

    @work(thread=True, exclusive=True, group="print")
    def _print(self, home: Path, kinds: list[str], subjects: list[str], folder: Path,
               signatories: Signatories, now: dt.datetime) -> None:
        result: list[PrintedSheet] | str
        try:
            master = Master.open(home, now=now)
            try:
                head = HeadJudge(master, actor=self.capp.head.actor, clock=self.capp.clock)
                job = record_print(head, kinds, subjects, out_dir=folder, now=now,
                                   signatories=signatories, inventory=True)
            finally:
                master.close()
            result = render_print(job)  # drawing needs the record no more
        except MasterError as exc:  # ActionRefused among them
            result = exc.message
        except OSError as exc:
            result = Message("print_folder", folder=folder, error=exc.strerror or exc)
        self.app.call_from_thread(self._printed, result)

    def _printed(self, result: list[PrintedSheet] | str) -> None:
        self.started = None
        if isinstance(result, str):
            self.problem = result
        else:
            self.capp.last_print = result
        self.capp.ledger_touched()
        self.refresh_data()
