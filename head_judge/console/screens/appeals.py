"""Appeals: file one, open its dossier, preview how a proposed correction would change the
ranking, decide it (upheld or rejected, with a reason)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...actions import parse_score
from ...appeals import (
    CATEGORIES,
    OUTCOMES,
    Correction,
    CorrectionPreview,
    appeals,
    decide_appeal,
    dossier,
    file_appeal,
    preview_correction,
    tally,
)
from ...projections import AppealRow, vote_rows
from ...refusals import Message
from ...scoring import plain
from ..state import running_order
from ..widgets.appeal_table import AppealTable
from ..words import WORDS, say
from .asks import panel_of
from .base import ConsoleScreen
from .dialogs import attempt, phrase
from .dossier import DossierDialog
from .form import Field, FormDialog


class AppealsScreen(ConsoleScreen):
    NAME = "appeals"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "file", "key_file"),
        Binding("p", "preview", "key_correction"),
        Binding("d", "decide", "key_decide"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.previews: dict[int, CorrectionPreview] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(id="appeals-title", classes="heading")
        yield AppealTable(id="appeals")
        with VerticalScroll(id="appeal-more"):
            yield Static(id="appeal-detail")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(AppealTable).focus()

    def refresh_data(self) -> None:
        app, lang = self.capp, self.capp.lang
        rows = appeals(app.head)
        self.query_one("#appeals-title", Static).update(
            say("appeals_title", lang, n=len(rows)) if rows else say("no_appeals", lang))
        self.query_one(AppealTable).show(rows, lang)
        self._detail()

    def on_data_table_row_highlighted(self, event: object) -> None:
        self._detail()

    def on_data_table_row_selected(self, event: AppealTable.RowSelected) -> None:
        event.stop()
        self.action_dossier()

    def _detail(self) -> None:
        app, lang = self.capp, self.capp.lang
        chosen = self.query_one(AppealTable).chosen()
        box = self.query_one("#appeal-detail", Static)
        if chosen is None:
            box.update("")
            return
        lines = [escape(f"#{chosen.id} {app.contestant_label(chosen.contestant)}: "
                        f"{chosen.ground}"),
                 escape(say("dossier_status", lang, status=say(f"appeal_{chosen.status}", lang),
                            reason=f" — {chosen.decision_reason}" if chosen.decision_reason
                            else ""))]
        lines.append(escape(Message("line_appeal_category", category=Message(
            f"line_category_{chosen.category}")).render(lang)))
        votes = vote_rows(app.head.master.ledger.conn, chosen.id)
        if votes:
            count = tally(votes, app.head.event.committee or (), app.head.event.appeal_rules)
            lines.append(escape(say(
                "tally", lang, up=count.upheld, down=count.rejected, abstain=count.abstained,
                conflicts=say("tally_conflicts", lang, names="、".join(count.conflicts))
                if count.conflicts else "",
                needed=say("tally_needed", lang, n=count.needed)
                if count.needed and chosen.status == "open" else "")))
        if chosen.status == "upheld":
            lines.append(escape(say("upheld_hint", lang)))
        preview = self.previews.get(chosen.id)
        if preview is not None:
            shown = ", ".join(f"{c.judge}:{c.criterion}={plain(c.value)}"
                              for c in preview.corrections)
            lines += ["", f"[b]{escape(say('preview_result', lang))}[/b] {escape(shown)}"]
            lines += [escape(f"  {line}") for line in preview.lines(lang)]
        box.update("\n".join(lines))

    def _chosen(self) -> AppealRow | None:
        return self.query_one(AppealTable).chosen()

    # --- keys ---------------------------------------------------------------------------------

    def action_file(self) -> None:
        app = self.capp
        contestants = tuple((app.contestant_label(c.id), c.id)
                            for c in running_order(app.head.event.contestants))

        rules = app.head.event.appeal_rules
        categories = tuple((Message(f"line_category_{c}").render(app.lang), c)
                           for c in CATEGORIES
                           if c != "judgement" or rules.allow_judgement)

        def submit(values: Mapping[str, str]) -> str | None:
            filed: list[AppealRow] = []
            problem = attempt(lambda: filed.append(file_appeal(
                app.head, values["contestant"], values["ground"], values["filed_by"],
                category=values["category"], late_reason=values.get("late_reason", ""),
                late_option=WORDS["late_reason_field"])))
            if problem is None:
                app.done("msg_filed", id=filed[0].id)
            return problem

        fields = [Field("contestant", "field_contestant", contestants, app.contestant or ""),
                  Field("category", "field_category", categories),
                  Field("ground", "field_ground"), Field("filed_by", "field_filed_by")]
        if rules.window_minutes is not None:  # after the window, accepted late with a reason
            fields.append(Field("late_reason", "field_late_reason", required=False))
        app.push_screen(FormDialog(phrase("file_title"), fields, ok="key_file",
                                   submit=submit))

    def action_dossier(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        found = []
        problem = attempt(lambda: found.append(dossier(self.capp.head, chosen.id)))
        if problem is not None:
            self.capp.refused(problem)
            return
        self.app.push_screen(DossierDialog(found[0]))

    def action_preview(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        app = self.capp
        event = app.head.event
        judges = tuple((app.judge_label(j), j) for j in panel_of(app, chosen.contestant))
        criteria = tuple((f"{c.id} {c.name.get(app.lang)} (0–{plain(c.max)})", c.id)
                         for c in event.criteria)

        def submit(values: Mapping[str, str]) -> str | None:
            value = parse_score(values["value"])
            if value is None:
                return Message("not_a_score", value=repr(values["value"])).render(app.lang)
            found: list[CorrectionPreview] = []
            problem = attempt(lambda: found.append(preview_correction(
                app.head, chosen.id, Correction(values["judge"], values["criterion"],
                                                Decimal(value)))))
            if problem is None:
                self.previews[chosen.id] = found[0]
                self._detail()
            return problem

        app.push_screen(FormDialog(
            phrase("correction_title", id=chosen.id, who=app.contestant_label(chosen.contestant)),
            [Field("judge", "field_judge", judges), Field("criterion", "field_criterion",
                                                          criteria),
             Field("value", "field_value", max_length=12)],
            ok="key_preview", submit=submit))

    def action_decide(self) -> None:
        chosen = self._chosen()
        if chosen is None:
            return
        app = self.capp
        outcomes = tuple((say(f"appeal_{o}", app.lang), o) for o in OUTCOMES)

        preview = self.previews.get(chosen.id)

        def submit(values: Mapping[str, str]) -> str | None:
            # upholding applies the correction previewed last (rejecting, none)
            carried = preview if values["outcome"] == "upheld" else None
            problem = attempt(lambda: decide_appeal(
                app.head, chosen.id, values["outcome"], values["reason"],
                corrections=carried.corrections if carried else (),
                withdrawals=carried.withdrawals if carried else ()))
            if problem is None:
                app.done("msg_decided", id=chosen.id,
                         outcome=say(f"appeal_{values['outcome']}", app.lang))
            return problem

        app.push_screen(FormDialog(
            phrase("decide_title", id=chosen.id),
            [Field("outcome", "field_outcome", outcomes), Field("reason", "field_reason")],
            [f"{app.contestant_label(chosen.contestant)}: {chosen.ground}"], ok="key_decide",
            danger=True, submit=submit))
