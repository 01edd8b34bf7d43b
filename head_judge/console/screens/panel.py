"""The panel report (评委组分析), confidential, for the head judge before sealing: each
judge's leniency and consistency per ranking, and the results that hang on one judge
(`head_judge.panel`). Read-only: it changes no result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from sync.event import Event

from ..words import say
from .base import ConsoleModal

_COLUMNS = ("col_judge", "panel_sheets", "panel_mean", "panel_dev", "panel_abs", "panel_high",
            "panel_low", "panel_flags", "panel_rho")


def _outcome(event: Event, prize: str | None, advances: bool | None, lang: str) -> str:
    tier = next((t for t in event.awards.tiers if t.id == prize), None)
    parts = [tier.name.get(lang) if tier else "—"] if event.awards.tiers else []
    if advances is not None:
        parts.append(say("panel_advances" if advances else "panel_not_advancing", lang))
    return " · ".join(parts) or say("panel_undecided", lang)


def panel_tables(event: Event, report: dict[str, Any],
                 scope_name: Callable[[tuple[str, str | None]], str], lang: str
                 ) -> RenderableType:
    """The report in `lang`: a table per ranking, then the results that hang on one judge."""
    parts: list[RenderableType] = [Text(say("panel_note", lang), style="italic")]
    scopes = list(dict.fromkeys((j["track"], j["group"]) for j in report["judges"]))
    for scope in scopes:
        table = Table(title=scope_name(scope), title_justify="left", title_style="bold",
                      box=box.SIMPLE_HEAD, pad_edge=False)
        for key in _COLUMNS:
            table.add_column(say(key, lang), justify="left" if key == "col_judge" else "right")
        for j in report["judges"]:
            if (j["track"], j["group"]) == scope:
                judge = event.judge(j["judge"])
                table.add_row(f"{j['judge']} {judge.name.get(lang) if judge else ''}",
                              str(j["sheets"]), j["mean_total"], j["mean_deviation"],
                              j["mean_absolute_deviation"], str(j["dropped_high"]),
                              str(j["dropped_low"]), str(j["flags"]), j["spearman"] or "—")
        parts.append(table)
    parts.append(Text(say("panel_fragile", lang), style="bold"))
    if not report["fragile"]:
        parts.append(Text(say("panel_none", lang)))
        return Group(*parts)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for key in ("panel_ranking", "col_contestant", "panel_without", "panel_now", "panel_then"):
        table.add_column(say(key, lang))
    for f in report["fragile"]:
        contestant = event.contestant(f["contestant"])
        then = f["rank_without"] if f["rank_without"] is not None \
            else say("panel_not_ranked", lang)
        table.add_row(scope_name((f["track"], f["group"])),
                      f"{f['contestant']} {contestant.name if contestant else ''}",
                      f["judge"],
                      f"{f['rank']} · {_outcome(event, f['prize'], f['advances'], lang)}",
                      say("panel_no_sheet", lang) if f.get("no_sheet_without") else
                      f"{then} · "
                      f"{_outcome(event, f['prize_without'], f['advances_without'], lang)}")
    parts.append(table)
    return Group(*parts)


class PanelDialog(ConsoleModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "cancel", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog wide"):
            yield Static(id="dialog-title", classes="dialog-title")
            with VerticalScroll(id="panel-scroll"):
                yield Static(id="panel-text")
            yield Button("", id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#panel-scroll").focus()

    def relabel(self) -> None:
        app, lang = self.capp, self.capp.lang
        report = app.head.panel_report().to_document()
        self.query_one("#dialog-title", Static).update(say("panel_title", lang))
        self.query_one("#panel-text", Static).update(
            panel_tables(app.shown_event, report, app.scope_name, lang))
        self.query_one("#close", Button).label = f"Esc  {say('key_close', lang)}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
