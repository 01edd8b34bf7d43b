"""An appeal's dossier, as the appeals committee reads it: every sheet and revision with its
signature checked, every entry touching the contestant in ledger order, and the signed
checkpoints that cover them (`head_judge.appeals.dossier`)."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from sync.phrases import Phrase

from ...appeals import Dossier
from ...scoring import plain
from ..ledger_view import kind_name
from ..words import say
from .base import ConsoleModal


def _said(summary: str, lang: str) -> str:
    """A history line in the console's language (the record keeps catalogue phrases)."""
    return summary.render(lang) if isinstance(summary, Phrase) else summary


class DossierDialog(ConsoleModal[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "cancel", show=False)]

    def __init__(self, dossier: Dossier) -> None:
        super().__init__()
        self.dossier = dossier

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog wide"):
            yield Static(id="dialog-title", classes="dialog-title")
            with VerticalScroll(id="dossier-scroll"):
                yield Static(id="dossier-text")
            yield Button("", id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#dossier-scroll").focus()

    def relabel(self) -> None:
        app, lang = self.capp, self.capp.lang
        d = self.dossier
        a = d.appeal
        self.query_one("#dialog-title", Static).update(
            say("dossier_title", lang, id=a.id, who=app.contestant_label(a.contestant)))
        lines = [f"{app.local(a.filed_at, '%m-%d %H:%M', offset=True)}  {a.filed_by}: "
                 f"{a.ground}",
                 say("dossier_status", lang, status=say(f"appeal_{a.status}", lang),
                     reason=f" — {a.decision_reason}" if a.decision_reason else "")]
        if d.standing is not None:
            s = d.standing
            tier = next((t for t in app.head.event.awards.tiers if t.id == s.prize), None)
            lines.append(say("dossier_now", lang, rank=s.rank, final=s.final,
                             prize=say("dossier_prize", lang, prize=tier.name.get(lang)
                                       if tier else "—") if app.head.event.awards.tiers
                             else ""))
        lines += ["", f"[b]{say('dossier_sheets', lang)}[/b]"]
        for r in d.revisions:
            values = "  ".join(f"{k} {plain(v)}" for k, v in r.values.items())
            when = app.local(r.at, offset=True)
            origin = r.signature if not r.form else say(
                "revision_paper", lang, form=r.form,
                operators=say("list_sep", lang).join(r.operators)).strip()
            lines.append(escape(f"  #{r.ledger_seq} {when}  {r.judge} r{r.revision}  "
                                f"Σ {plain(r.total)}  [{origin}]  {values}"
                                + (f"  ({r.reason})" if r.reason else "")))
        lines += ["", f"[b]{say('dossier_history', lang)}[/b]"]
        for h in d.history:
            cover = (f"✓{h.covered_by}" if h.covered_by is not None
                     else say("not_checkpointed", lang))
            when = app.local(h.at, offset=True)
            lines.append(escape(f"  #{h.seq} {when}  {kind_name(h.kind, lang)}  "
                                f"{_said(h.summary, lang)}  [{cover}]"))
        lines += ["", f"[b]{say('dossier_checkpoints', lang)}[/b]"]
        for c in d.checkpoints:
            state = say("checkpoint_ok", lang) if c.verified else f"× {c.problem}"
            when = app.local(c.at, offset=True)
            lines.append(escape(f"  #{c.seq}  {c.size}  {c.root[:16]}…  {when}  "
                                f"({c.reason})  {state}"))
        if not d.checkpoints:
            lines.append("  " + say("not_checkpointed", lang))
        self.query_one("#dossier-text", Static).update("\n".join(lines))
        self.query_one("#close", Button).label = f"Esc  {say('key_close', lang)}"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
