"""Audit: the ledger itself, filtered by contestant, judge, kind and time; verify the whole
record (hash chain, signatures, checkpoints, projections) in a worker thread."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static

from ...audit import AuditError, AuditReport, audit
from ..ledger_view import KINDS, kind_name, parse_clock_time
from ..widgets.ledger_table import LedgerTable
from ..words import say
from .base import ConsoleScreen

FILTERS = ("contestant", "judge", "since", "until")
"""The typed filters; the kind is chosen from the kinds the ledger holds."""
PROBLEMS_SHOWN = 8


class AuditScreen(ConsoleScreen):
    NAME = "audit"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "verify", "key_verify"),
        Binding("slash", "filter", "key_filter"),
        Binding("x", "clear", "key_clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: AuditReport | str | None = None
        self._kinds: tuple[str, ...] = ()
        self.verifying = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            for name in FILTERS[:2]:
                yield Input(id=f"filter-{name}", classes="filter", compact=True,
                            select_on_focus=False)
            yield Select[str]([], id="filter-kind", classes="filter", compact=True,
                              allow_blank=True)
            for name in FILTERS[2:]:
                yield Input(id=f"filter-{name}", classes="filter", compact=True,
                            select_on_focus=False)
        yield Static(id="audit-title", classes="heading")
        yield LedgerTable(id="ledger")
        yield Static(id="verify", classes="detail")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(LedgerTable).focus()

    def relabel(self) -> None:
        lang = self.capp.lang
        for name in FILTERS:
            self.query_one(f"#filter-{name}", Input).placeholder = say(f"filter_{name}", lang)
        self._kinds = ()
        self._show_report()

    def _kind_choices(self) -> None:
        """The kinds the ledger holds, named in the current language."""
        app = self.capp
        present = tuple(k for k in KINDS if any(e.kind == k for e in app.cache.entries))
        if present == self._kinds:
            return
        self._kinds = present
        kind = self.query_one("#filter-kind", Select)
        chosen = kind.value
        kind.prompt = say("filter_kind", app.lang)
        kind.set_options([(kind_name(k, app.lang), k) for k in present])
        if isinstance(chosen, str) and chosen in present:
            kind.value = chosen

    def _value(self, name: str) -> str:
        return self.query_one(f"#filter-{name}", Input).value.strip()

    def refresh_data(self) -> None:
        app, lang = self.capp, self.capp.lang
        self._kind_choices()
        kind = self.query_one("#filter-kind", Select).value
        today = app.local_now()  # `HH:MM` typed in a filter is in the event's zone
        since = parse_clock_time(self._value("since"), today) if self._value("since") else None
        until = parse_clock_time(self._value("until"), today) if self._value("until") else None
        entries = app.cache.matching(contestant=self._value("contestant"),
                                     judge=self._value("judge"),
                                     kind=kind if isinstance(kind, str) else "",
                                     since=since, until=until, lang=lang)
        self.query_one("#audit-title", Static).update(
            say("audit_title", lang, shown=len(entries), total=len(app.cache.entries)))
        self.query_one(LedgerTable).show(entries, lang)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refresh_data()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.refresh_data()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(LedgerTable).focus()

    def action_filter(self) -> None:
        self.query_one("#filter-contestant", Input).focus()

    def action_clear(self) -> None:
        for name in FILTERS:
            self.query_one(f"#filter-{name}", Input).value = ""
        self.query_one("#filter-kind", Select).clear()
        self.refresh_data()

    # --- verify -------------------------------------------------------------------------------

    def action_verify(self) -> None:
        if self.verifying:
            return
        self.verifying = True
        self._show_report()
        self._verify()

    @work(thread=True, exclusive=True, group="audit")
    def _verify(self) -> None:
        try:
            report: AuditReport | str = audit(self.capp.master)
        except AuditError as exc:
            report = str(exc)
        self.app.call_from_thread(self._verified, report)

    def _verified(self, report: AuditReport | str) -> None:
        self.verifying = False
        self.report = report
        self._show_report()

    def _show_report(self) -> None:
        lang = self.capp.lang
        box = self.query_one("#verify", Static)
        if self.verifying:
            box.update(say("verify_running", lang))
            return
        report = self.report
        if report is None:
            box.update(say("verify_none", lang))
        elif isinstance(report, str):
            box.update("[b red]" + escape(say("verify_bad", lang, n=1)) + "[/] "
                       + escape(report))
        elif report.ok:
            box.update("[b green]" + escape(say(
                "verify_ok", lang, entries=report.entries, checkpoints=report.checkpoints,
                signatures=report.signatures, tables=report.tables)) + "[/]")
        else:
            lines = [say("verify_bad", lang, n=len(report.problems))]
            lines += [f"  {p.render(lang)}" for p in report.problems[:PROBLEMS_SHOWN]]
            box.update("[b red]" + escape(lines[0]) + "[/]\n"
                       + "\n".join(escape(line) for line in lines[1:]))
