"""A review request from the head judge: the note, the rule that fired and the judge's own
values (never other judges'). C confirms the sheet as it is, R revises it, Esc is later."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ..model import ReviewRequest
from ..widgets.value_table import ValueTable
from ..words import say
from .base import JudgeModal

RULES = {"criterion_spread": "rule_criterion_spread", "total_spread": "rule_total_spread",
         "outlier": "rule_outlier"}


class ReviewScreen(JudgeModal[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "answer('confirm')", show=False),
        Binding("r", "answer('revise')", show=False),
        Binding("escape", "answer('')", show=False),
    ]

    def __init__(self, review: ReviewRequest) -> None:
        super().__init__()
        self.review = review

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(id="dialog-title", classes="dialog-title")
            yield Static(id="review-about")
            yield ValueTable(id="values")
            with Horizontal(classes="buttons"):
                yield Button("", id="confirm", variant="primary")
                yield Button("", id="revise")
                yield Button("", id="later")

    def on_mount(self) -> None:
        self.query_one("#confirm", Button).focus()

    def rule(self, lang: str) -> str:
        p = self.review.payload
        rule = p.get("rule")
        if isinstance(rule, str):
            words = say(RULES[rule], lang) if rule in RULES else rule
            criterion = self.japp.event.criterion(str(p.get("criterion") or ""))
            if criterion is not None:
                words += f" · {criterion.name.get(lang)}"
            if p.get("difference") is not None and p.get("threshold") is not None:
                words += f" · {p['difference']} > {p['threshold']}"
            return say("review_rule", lang, rule=words)
        if self.review.flag is not None:
            return say("review_flag", lang, flag=self.review.flag)
        return say("review_no_flag", lang)

    def relabel(self) -> None:
        app = self.japp
        lang = app.lang
        review = self.review
        self.query_one("#dialog-title", Static).update(
            f"{say('review_title', lang, id=review.id)}{'：' if lang == 'zh' else ':'}  "
            f"{app.contestant_label(review.contestant)}")
        lines = [say("review_note", lang, note=review.note), self.rule(lang)]
        current = app.store.current_sheet(review.contestant)
        table = self.query_one(ValueTable)
        if current is None:
            lines.append(say("review_no_sheet", lang))
            table.display = False
        else:
            sheet = current.sheet
            comment = say("confirm_comment", lang, comment=sheet.comment) if sheet.comment else ""
            lines.append(say("review_your_values", lang, revision=current.revision)
                         + ("  " + comment if comment else ""))
            table.show(app.event, sheet.values, lang)
        self.query_one("#review-about", Static).update("\n".join(lines))
        self.query_one("#confirm", Button).label = f"C  {say('key_confirm_as_is', lang)}"
        self.query_one("#revise", Button).label = f"R  {say('key_revise', lang)}"
        self.query_one("#later", Button).label = f"Esc  {say('key_later', lang)}"
        self.query_one("#confirm", Button).disabled = current is None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_answer({"confirm": "confirm", "revise": "revise"}.get(event.button.id or "",
                                                                          ""))

    def action_answer(self, choice: str) -> None:
        self.dismiss(choice or None)
