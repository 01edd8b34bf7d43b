"""Discrepancies: the open flags, newest first, with the numbers behind the chosen one and its
reviews; request a review, accept with a note, or override a value, from the keyboard."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from ...projections import FlagRow
from ...scoring import plain
from ..ledger_view import rule_text
from ..state import flagged_judges
from ..widgets.flag_table import FlagTable
from ..words import say
from .asks import ask_accept, ask_accept_all, ask_override, ask_review, panel_of
from .base import ConsoleScreen


class DiscrepanciesScreen(ConsoleScreen):
    NAME = "discrepancies"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", "key_review"),
        Binding("a", "accept", "key_accept"),
        Binding("A", "accept_all", "key_accept_all"),
        Binding("o", "override", "key_override"),
        Binding("h", "all", "key_all_flags"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.everything = False

    def compose_body(self) -> ComposeResult:
        yield Static(id="flags-title", classes="heading")
        yield FlagTable(id="flags")
        yield Static(id="flag-detail", classes="detail")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(FlagTable).focus()

    def refresh_data(self) -> None:
        app = self.capp
        flags = app.head.flags(None if self.everything else "open")
        flags.sort(key=lambda f: f.id, reverse=True)
        key = "flags_title_all" if self.everything else "flags_title"
        title = say(key, app.lang, n=len(flags)) if flags else say("no_flags", app.lang)
        self.query_one("#flags-title", Static).update(title)
        self.query_one(FlagTable).show(flags, app.lang)

    async def on_data_table_row_selected(self, event: FlagTable.RowSelected) -> None:
        event.stop()
        await self.action_open()

    def on_flag_table_chosen(self, message: FlagTable.Chosen) -> None:
        message.stop()
        self._detail(self.query_one(FlagTable).chosen_flag())

    def _detail(self, flag: FlagRow | None) -> None:
        app, lang = self.capp, self.capp.lang
        box = self.query_one("#flag-detail", Static)
        if flag is None:
            box.update("")
            return
        lines = [say("flag_detail", lang, id=flag.id, contestant=app.contestant_label(
            flag.contestant), rule=rule_text(app.head.event, flag.rule, flag.criterion, lang),
            criterion="", diff=plain(flag.difference), limit=plain(flag.threshold))]
        sheets = {s.judge: s for s in app.head.sheets(flag.contestant) if not s.withdrawn}
        gone = set(app.head.excused_judges(flag.contestant)) | {
            w.judge for w in app.head.withdrawals(flag.contestant)}
        numbers = []
        for judge in panel_of(app, flag.contestant):
            sheet = sheets.get(judge)
            if sheet is None:  # `×` not counted (the Overview's mark), `·` still waited for
                numbers.append(f"{judge} {'×' if judge in gone else '·'}")
                continue
            value = (sheet.values.get(flag.criterion, Decimal(0)) if flag.criterion
                     else sum(sheet.values.values(), Decimal(0)))
            mark = "!" if judge in flagged_judges(flag) else " "
            numbers.append(f"{mark}{judge} {plain(value)}")
        lines.append("   ".join(numbers))
        reviews = [r for r in app.head.reviews(contestant=flag.contestant)
                   if r.flag == flag.id or r.status == "open"]
        if reviews:
            lines.append(say("flag_reviews", lang, reviews="; ".join(
                say(f"review_state_{r.status}", lang, judge=r.judge)
                + (f" ({r.answer_text})" if r.answer_text else "") for r in reviews)))
        if flag.note:
            lines.append(say("flag_note", lang, note=flag.note))
        box.update("\n".join(lines))

    # --- keys ---------------------------------------------------------------------------------

    def _flag(self) -> FlagRow | None:
        return self.query_one(FlagTable).chosen_flag()

    def action_review(self) -> None:
        flag = self._flag()
        if flag is not None:
            judges = panel_of(self.capp, flag.contestant)
            first = flag.judges[0] if flag.rule == "outlier" else _farthest(flag)
            ask_review(self.capp, flag.contestant, judges, flag=flag, judge=first)

    def action_accept(self) -> None:
        flag = self._flag()
        if flag is not None:
            ask_accept(self.capp, flag)

    def action_accept_all(self) -> None:
        """Accept every open flag of the chosen flag's contestant, with one note."""
        flag = self._flag()
        if flag is not None:
            ask_accept_all(self.capp, flag.contestant)

    def action_override(self) -> None:
        flag = self._flag()
        if flag is not None:
            ask_override(self.capp, flag.contestant, panel_of(self.capp, flag.contestant),
                         judge=_farthest(flag), criterion=flag.criterion)

    async def action_open(self) -> None:
        flag = self._flag()
        if flag is not None:
            await self.capp.show_contestant(flag.contestant)

    def action_all(self) -> None:
        self.everything = not self.everything
        self.refresh_data()


def _farthest(flag: FlagRow) -> str | None:
    """The judge whose value is farthest from the median of the values compared."""
    values = sorted(flag.compared.values())
    if not values:
        return None
    middle = values[len(values) // 2]
    return max(flag.compared, key=lambda j: abs(flag.compared[j] - middle))
