"""Paper sheets (key 0): operators at the head judge's desk type judges' paper forms into the
master, twice and blind (`head_judge.paper_desk.PaperDesk`, the functions `head-judge paper`
calls).

The operator gives a name once (kept while the console runs; Ctrl+O changes it), then types
or scans the form's code (a barcode scanner types the code, or the QR's text, and Enter). The
screen asks, in the form's order, only the rows that are this operator's to type, one at a
time: the judge's numbers go in one box per criterion (space, Tab or Enter to the next box,
Enter in the last records the row and asks the next; ↓ skips a row left blank on paper, ↑
goes back). A third operator is asked only the criteria two entries differ on. What the row
came to (first entry, agreed, differs on which criteria, a conflict with the judge's laptop
sheet) shows on the status line; a refusal shows there in the console's language, the
offending box takes the keys again, and nothing is recorded. Values typed by anyone are never
shown: the table beside says only where each row stands.

Ctrl+R is the head judge's: when a judge has both a laptop and a paper sheet for a contestant,
keep one of them, with a reason (`resolve_conflict`)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from printouts.sheet_code import QR_PREFIX, verify_qr_payload
from sync.event import Event

from ...actions import parse_score
from ...double_entry import Entry, settle
from ...master import Master, MasterError
from ...paper import rubric_problem
from ...paper_desk import FORM_KIND, EntryOutcome, PaperDesk, PaperForm, RowState
from ..widgets.paper_rows import PaperRows, criteria_names
from ..widgets.score_boxes import ScoreBoxes
from ..words import say
from .base import ConsoleScreen
from .paper_conflict import ask_resolve

Said = Callable[[str], str]
"""A line made for a language (said again when the language changes)."""

PROMPTS = {"new": "paper_row_first", "second": "paper_row_second",
           "settle": "paper_row_settle"}


def typed_number(raw: str) -> str:
    """A number as typed with a Chinese input method too (`８．５`, `8。5`): plain ASCII."""
    return unicodedata.normalize("NFKC", raw).replace("。", ".").strip()


class PaperScreen(ConsoleScreen):
    NAME = "paper"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave_input", show=False),
        Binding("down", "skip", "key_paper_skip", show=False),  # shown by the boxes
        Binding("up", "back", "key_paper_back", show=False),
        Binding("ctrl+o", "operator", "key_paper_operator"),
        Binding("ctrl+f", "new_form", "key_paper_form"),
        Binding("ctrl+r", "resolve", "key_paper_resolve"),
    ]
    DEFAULT_CSS: ClassVar[str] = """
    #paper-head { height: 1; padding: 0 1; }
    #paper-head Static { width: auto; padding: 0 1 0 0; }
    #paper-operator { width: 14; margin: 0 1 0 0; background: $boost; }
    #paper-code { width: 19; margin: 0 1 0 0; background: $boost; }
    #paper-judge { width: 1fr; text-style: bold; }
    #paper-prompt { height: 1; padding: 0 1; text-style: bold; }
    #paper-status { height: auto; max-height: 2; padding: 0 1; }
    #paper-status.error { color: $error; text-style: bold; }
    #paper-rows { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.operator = ""
        self.desk: PaperDesk | None = None
        self.form: PaperForm | None = None
        self.rows: list[RowState] = []
        self.current: str | None = None
        self.asked: tuple[str, ...] = ()
        self.said: Said | None = None
        self.error = False

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="paper-head"):
            yield Static(id="paper-operator-label")
            yield Input(id="paper-operator", compact=True, max_length=40)
            yield Static(id="paper-code-label")
            yield Input(id="paper-code", compact=True, max_length=400)
            yield Static(id="paper-judge")
        yield Static(id="paper-prompt")
        yield ScoreBoxes(self.capp.head.event.criteria, id="paper-boxes")
        yield Static(id="paper-status")
        yield PaperRows(id="paper-rows")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(ScoreBoxes).ask(())
        self.query_one("#paper-operator", Input).focus()

    # --- what is shown ------------------------------------------------------------------------

    def relabel(self) -> None:
        lang = self.capp.lang
        self.query_one("#paper-operator-label", Static).update(say("paper_operator_label", lang))
        self.query_one("#paper-code-label", Static).update(say("paper_code_label", lang))
        self.query_one(ScoreBoxes).relabel(lang)
        self._show()

    def refresh_data(self) -> None:
        """The ledger grew (another operator, the CLI, this screen): where each row stands
        now; the row being typed stays unless it is no longer this operator's to type."""
        if self.desk is None or self.form is None:
            self._show()
            return
        self.rows = self.desk.rows(self.form)
        row = self._row(self.current)
        if self.current is not None and (row is None or row.asked != self.asked):
            self._go(self._next(self.current, inclusive=True))
        self._show()

    def _show(self) -> None:
        app, lang = self.capp, self.capp.lang
        event = app.head.event
        judge = self.form.judge if self.form else None
        self.query_one("#paper-judge", Static).update(
            say("paper_form_judge", lang, judge=judge.id, name=judge.name.get(lang))
            if judge else "")
        row = self._row(self.current)
        left = sum(1 for r in self.rows if r.asked)
        if not self.operator:
            prompt = say("paper_title", lang) + " · " + say("paper_ask_operator", lang)
        elif self.form is None:
            prompt = say("paper_ask_code", lang)
        elif row is not None:
            c = row.contestant
            prompt = say(PROMPTS.get(row.status, "paper_row_first"), lang, order=c.order,
                         contestant=c.id, name=c.name,
                         criteria=criteria_names(event, row.asked, lang))
            prompt += "   " + say("paper_rows_left", lang, n=left)
        elif left:
            prompt = say("paper_form_finished", lang, n=left)
        else:
            prompt = say("paper_done", lang)
        self.query_one("#paper-prompt", Static).update(Text(prompt))
        status = self.query_one("#paper-status", Static)
        status.update(Text(self.said(lang)) if self.said else
                      Text(say("paper_typing_hint", lang), style="dim") if row else "")
        status.set_class(self.error and self.said is not None, "error")
        differs = {r.contestant.id: differing(app.master, self.form.judge.id, r)
                   for r in self.rows if r.status == "typed"} if self.form else {}
        self.query_one(PaperRows).show(event, self.rows, self.current, lang,
                                       {c: d for c, d in differs.items() if d})

    def _say(self, said: Said | None, *, error: bool = False) -> None:
        self.said, self.error = said, error
        self._show()

    # --- rows ---------------------------------------------------------------------------------

    def _row(self, contestant: str | None) -> RowState | None:
        return next((r for r in self.rows if r.contestant.id == contestant), None)

    def _next(self, after: str | None, *, inclusive: bool = False,
              step: int = 1) -> str | None:
        """The next (`step` -1: previous) row this operator types, from `after`."""
        ids = [r.contestant.id for r in self.rows]
        start = ids.index(after) if after in ids else (-1 if step > 0 else len(ids))
        order = range(start if inclusive else start + step, len(ids) if step > 0 else -1, step)
        return next((ids[i] for i in order if 0 <= i < len(ids) and self.rows[i].asked), None)

    def _go(self, contestant: str | None) -> None:
        """Ask `contestant`'s row (empty boxes); None: the form is done, the code box waits
        for the next form."""
        row = self._row(contestant)
        self.current = row.contestant.id if row else None
        self.asked = row.asked if row else ()
        self.query_one(ScoreBoxes).ask(self.asked)
        if row is None:
            self._code_box()
        self._show()

    def _code_box(self) -> None:
        box = self.query_one("#paper-code", Input)
        box.focus()
        box.select_all()

    # --- typing -------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "paper-operator":
            event.stop()
            self._set_operator(event.value.strip())
        elif event.input.id == "paper-code":
            event.stop()
            self._open_form(event.value.strip())

    def _set_operator(self, name: str) -> None:
        if not name:
            self._say(lambda lang: say("required", lang,
                                       what=say("paper_operator_label", lang)), error=True)
            return
        try:
            self.desk = PaperDesk(self.capp.master, name, clock=self.capp.clock)
        except MasterError as exc:
            self._say(exc.message.render, error=True)
            return
        self.operator = self.desk.operator
        self._say(None)
        if self.form is None:
            self._code_box()
            return
        self.rows = self.desk.rows(self.form)  # what this operator types is not the last's
        self._go(self._next(None))

    def _open_form(self, typed: str) -> None:
        if self.desk is None:
            self._set_operator(self.query_one("#paper-operator", Input).value.strip())
            if self.desk is None:
                return
        code = self._scanned(typed)
        if code is None:
            self._code_box()
            return
        try:
            form = self.desk.form(code)
        except MasterError as exc:
            self._say(exc.message.render, error=True)
            self._code_box()
            return
        self.form = form
        self.query_one("#paper-code", Input).value = form.code
        self.rows = self.desk.rows(form)
        self._say(None)
        self._go(self._next(None))

    def _scanned(self, typed: str) -> str | None:
        """The code typed, or the code a scanned QR's text carries (None: refused, said)."""
        if not typed.upper().startswith(QR_PREFIX):
            return typed
        verdict = verify_qr_payload(typed.upper(), self.capp.master.keys().over)
        if not verdict.ok:
            self._say(lambda lang: say("paper_qr_bad", lang), error=True)
            return None
        if verdict.kind != FORM_KIND:
            self._say(lambda lang: say("paper_qr_not_form", lang), error=True)
            return None
        return verdict.code

    def on_score_boxes_done(self, event: ScoreBoxes.Done) -> None:
        event.stop()
        self.record()

    def record(self) -> None:
        """Record the row typed: one `paper_entered` entry, or a refusal and nothing."""
        desk, form, current = self.desk, self.form, self.current
        if desk is None or form is None or current is None:
            return
        boxes = self.query_one(ScoreBoxes)
        event = self.capp.head.event
        values = {c: typed_number(v) for c, v in boxes.values().items()}
        empty = next((c for c, v in values.items() if not v), None)
        if empty is not None:
            name = event.criterion(empty)
            self._say(lambda lang: say("paper_box_empty", lang,
                                       criterion=name.name.get(lang) if name else empty),
                      error=True)
            boxes.box(empty).focus()
            return
        try:
            outcome = desk.enter(form.code, current, values)
        except MasterError as exc:
            self._say(exc.message.render, error=True)
            wrong = offending(event, values)
            if wrong is not None:
                boxes.box(wrong).focus()
            return
        self._say(lambda lang: outcome_text(event, outcome, lang))
        self.rows = desk.rows(form)
        self._go(self._next(current))
        self.capp.refresh_now()

    # --- keys ---------------------------------------------------------------------------------

    def action_skip(self) -> None:
        if self.current is None:
            return
        skipped = self._row(self.current)
        self._go(self._next(self.current))
        if skipped is not None:
            who = f"{skipped.contestant.order} {skipped.contestant.id}"
            self._say(lambda lang: say("paper_skipped", lang, contestant=who))

    def action_back(self) -> None:
        previous = self._next(self.current, step=-1)
        if previous is not None:
            self._say(None)
            self._go(previous)

    def action_operator(self) -> None:
        box = self.query_one("#paper-operator", Input)
        box.focus()
        box.select_all()

    def action_new_form(self) -> None:
        self._code_box()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row of the table: type that row now (when it is this operator's)."""
        event.stop()
        row = self._row(event.row_key.value)
        if row is not None and row.asked:
            self._say(None)
            self._go(row.contestant.id)

    def action_resolve(self) -> None:
        """The head judge keeps the laptop or the paper sheet of a row in conflict: the row
        being typed, else the one the table's cursor is on, else the form's first."""
        if self.form is None:
            return
        table = self.query_one(PaperRows)
        chosen = self._row(self.current)
        if (chosen is None or not chosen.conflict) and table.row_count:
            chosen = self.rows[table.cursor_row] if table.cursor_row < len(self.rows) \
                else None
        if chosen is None or not chosen.conflict:
            chosen = next((r for r in self.rows if r.conflict), None)
        if chosen is None:
            self._say(lambda lang: say("paper_no_conflict", lang), error=True)
            return
        ask_resolve(self.capp, self.form.judge.id, chosen.contestant.id)


def differing(master: Master, judge: str, row: RowState) -> tuple[str, ...]:
    """The criteria the entries of a row's round differ on, for a row this operator typed
    (`RowState.asked` is empty there): read-only, never a value."""
    found = master.ledger.conn.execute(
        "SELECT ledger_seq, operator, scores FROM paper_entries WHERE judge = ? AND "
        "contestant = ? AND round = ?", (judge, row.contestant.id, row.round)).fetchall()
    entries = [Entry(seq, operator, {c: Decimal(v) for c, v in json.loads(scores).items()})
               for seq, operator, scores in found]
    return settle(entries).differing


def offending(event: Event, values: dict[str, str]) -> str | None:
    """The first criterion whose typed value the rubric refuses (not a number, out of its
    range, off its step): the box to type again."""
    for criterion, raw in values.items():
        value = parse_score(raw)
        if value is None or rubric_problem(event, criterion, value) is not None:
            return criterion
    return None


def outcome_text(event: Event, outcome: EntryOutcome, lang: str) -> str:
    """What a typing came to, in `lang` (never a value)."""
    common = {"judge": outcome.judge, "contestant": outcome.contestant}
    if outcome.agreed:
        text = say("paper_agreed", lang, revision=outcome.round, **common)
    elif outcome.differing:
        text = say("paper_differs", lang, **common,
                   criteria=criteria_names(event, outcome.differing, lang))
    else:
        text = say("paper_first", lang, **common)
    if outcome.conflict:
        text += "\n" + say("paper_conflict", lang, **common)
    return text
