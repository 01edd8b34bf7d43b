"""Results: per scope, the live ranking with prizes and advancement, the unresolved ties to
decide, what blocks publishing, the published versions and how the live results differ from
the last one; publish. Below them, the event's organisation awards (over every scope), one
table each."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich import box
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from sync.event import Event

from ...actions import Publication, describe_changes, scope_document
from ...appeals import scope_standings
from ...refusals import Message
from ...scoring import OrganisationRanking, Results, ScopeKey, Unresolved
from ..widgets.ranking_table import RankingTable
from ..words import say
from .asks import ask_lock_ready
from .base import ConsoleScreen
from .confirm import ConfirmDialog
from .dialogs import Line, attempt, phrase
from .form import Field, FormDialog
from .panel import PanelDialog


def summarise(blockers: Sequence[Message], lang: str) -> list[str]:
    """The master's reasons a scope cannot be published, in `lang`, with the long repetitive
    ones (open flags, missing component values, unlocked contestants) folded into one line
    each."""
    flags: list[str] = []
    missing: dict[str, list[str]] = {}
    out: list[str] = []
    for blocker in blockers:
        params = blocker.params
        if blocker.id == "blocker_flag":
            flags.append(str(params["flag"]))
        elif blocker.id == "blocker_missing_component":
            for component in params["component"]:  # type: ignore[attr-defined]
                missing.setdefault(component.get(lang), []).append(str(params["contestant"]))
        elif blocker.id == "blocker_not_locked":
            who = list(params["contestants"])  # type: ignore[call-overload]
            out.append(say("blk_unlocked", lang, n=len(who), who=", ".join(who)))
        else:
            out.append(blocker.render(lang))
    if flags:
        out.append(say("blk_flags", lang, n=len(flags), ids=", ".join(flags)))
    for component, who in missing.items():
        out.append(say("blk_missing", lang, component=component, n=len(who),
                       who=", ".join(who)))
    return out


def tie_text(tie: Unresolved, lang: str) -> str:
    """An unresolved tie, in `lang`."""
    return Message(f"blocker_{tie.kind}", contestants=list(tie.contestants)).render(lang)


def organisation_table(event: Event, ranking: OrganisationRanking, results: Results,
                       lang: str) -> RenderableType:
    """One organisation award in `lang`: rank, organisation, score, contestants, awarded;
    then the tie across its last place that waits for a decision, if any."""
    award = next((a for a in event.organisation_awards if a.id == ranking.award), None)
    table = Table(title=award.name.get(lang) if award else ranking.award, title_justify="left",
                  title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for key in ("col_rank", "col_org", "col_org_score", "col_org_contestants", "col_awarded"):
        table.add_column(say(key, lang),
                         justify="right" if key in ("col_rank", "col_org_score") else "left")
    for s in ranking.ranking:
        awarded = {True: say("org_awarded", lang), False: "",
                   None: say("org_undecided", lang)}[s.awarded]
        table.add_row(str(s.rank), s.organisation, str(s.score), ", ".join(s.contestants),
                      awarded, style="bold" if s.awarded else None)
    undecided = {s.organisation for s in ranking.ranking if s.awarded is None}
    ties = [u for u in results.unresolved
            if u.kind == "tie_organisation" and set(u.contestants) == undecided]
    if not ties:
        return table
    return Group(table, *(Text(f"  ! {tie_text(u, lang)}") for u in ties))


class ResultsScreen(ConsoleScreen):
    NAME = "results"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "publish", "key_publish"),
        Binding("t", "tie", "key_tie"),
        Binding("j", "panel", "key_panel"),
        Binding("L", "lock_ready", "key_lock_ready"),
        Binding("left_square_bracket", "scope(-1)", "key_prev", show=False),
        Binding("right_square_bracket", "scope(1)", "key_scope"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scope_index = 0
        self._window_closes: str | None = None
        """When the appeal window shown as open closes: the notes then say so."""

    def compose_body(self) -> ComposeResult:
        yield Static(id="scope-title", classes="heading")
        yield RankingTable(id="ranking")
        with VerticalScroll(id="results-more"):
            yield Static(id="results-notes")
            yield Static(id="organisation-awards")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RankingTable).focus()

    def scope(self) -> ScopeKey | None:
        scopes = self.capp.head.scopes()
        return scopes[self.scope_index % len(scopes)] if scopes else None

    def refresh_data(self) -> None:
        app, lang = self.capp, self.capp.lang
        scopes = app.head.scopes()
        scope = self.scope()
        if scope is None:
            return
        results = app.head.current_results()
        self.query_one("#scope-title", Static).update(say(
            "scope_title", lang, scope=app.scope_name(scope),
            i=self.scope_index % len(scopes) + 1, n=len(scopes)))
        ranked = next((s for s in results.scopes if (s.track, s.group) == scope), None)
        self.query_one(RankingTable).show(app.shown_event, ranked, lang)
        self.query_one("#results-notes", Static).update(self._notes(results, scope))
        awards = self.query_one("#organisation-awards", Static)
        awards.display = bool(results.organisations)
        awards.update(Group(*(organisation_table(self.capp.head.event, ranking, results, lang)
                              for ranking in results.organisations)))

    def refresh_live(self) -> None:
        closes = self._window_closes
        if closes is not None and self.capp.head.timestamp() >= closes:
            self.refresh_data()  # nothing was written, but the window shown open has closed

    def _ties(self, results: Results, scope: ScopeKey) -> list[Unresolved]:
        return [u for u in results.unresolved if u.scope == scope and u.kind.startswith("tie_")]

    def _notes(self, results: Results, scope: ScopeKey) -> str:
        app, lang = self.capp, self.capp.lang
        lines: list[str] = []
        self._window_closes = None
        ties = self._ties(results, scope)
        if ties:
            lines.append(f"[b]{escape(say('ties_title', lang))}[/b]")
            lines += [escape(f"  ! {tie_text(u, lang)}") for u in ties]
        blockers = app.head.publish_blockers(scope)
        if blockers:
            lines.append(f"[b]{escape(say('blockers_title', lang))}[/b]")
            lines += [escape(f"  - {b}") for b in summarise(blockers, lang)]
        else:
            lines.append(f"[b green]{escape(say('ready_to_publish', lang))}[/b green]")
        versions = app.head.publications(scope)
        if versions:
            last = versions[-1]
            title = say("published_title", lang, version=last.version,
                        time=app.local(last.at, "%m-%d %H:%M", offset=True))
            lines.append(f"[b]{escape(title)}[/b]" + self._standing(scope, last.at))
            changes = describe_changes(last.document, scope_document(results, scope), lang,
                                       app.head.event)
            lines.append(escape(say("diff_title", lang) if changes else say("diff_none", lang)))
            lines += [escape(f"  {c}") for c in changes]
        else:
            lines.append(escape(say("never_published", lang)))
        return "\n".join(lines)

    def _standing(self, scope: ScopeKey, published_at: str) -> str:
        """With an appeal window, 暂定 and when appeals close, or 正式, to follow the
        published version on its line ("" when the event sets no window)."""
        app, lang = self.capp, self.capp.lang
        now = app.head.timestamp()
        standing = next((s for s in scope_standings(app.head, now)
                         if (s.track, s.group) == tuple(scope)), None)
        if standing is None:
            return ""
        if standing.state == "official":
            key = "state_official"
        elif standing.closes and standing.closes <= now:  # closed, not official yet
            key = "state_due" if standing.due else "state_held"
        else:
            key = "state_provisional"
            self._window_closes = standing.closes
        state = say(key, lang, closes=self._closes(standing.closes, published_at))
        colour = "green" if standing.state == "official" else "yellow"
        return f"  [b {colour}]{escape(state)}[/b {colour}]"

    def _closes(self, closes: str | None, published_at: str) -> str:
        """When appeals close as the results sheet prints it: `17:01 +08:00`, dated when
        that is not the day the version was published."""
        if not closes:
            return "—"
        app = self.capp
        same_day = app.local(closes, "%Y-%m-%d") == app.local(published_at, "%Y-%m-%d")
        return app.local(closes, "%H:%M" if same_day else "%m-%d %H:%M", offset=True)

    # --- keys ---------------------------------------------------------------------------------

    def action_scope(self, step: int) -> None:
        self.scope_index += step
        self.refresh_data()

    def action_lock_ready(self) -> None:
        ask_lock_ready(self.capp)

    def action_publish(self) -> None:
        app = self.capp
        scope = self.scope()
        if scope is None:
            return
        name = app.scope_name(scope)
        blockers = app.head.publish_blockers(scope)
        versions = app.head.publications(scope)
        version = versions[-1].version + 1 if versions else 1
        lines: list[Line] = [f"  - {b}" for b in summarise(blockers, app.lang)]
        pending = app.head.open_appeals(scope)
        if not lines:
            lines.append(phrase("confirm_publish_lines", version=version))
            if pending:
                lines.append(phrase("publish_open_appeals_line", appeals=", ".join(
                    f"{a.id} {app.contestant_label(a.contestant)}" for a in pending)))
        published: list[Publication] = []

        def after() -> None:
            p = published[0]
            app.done("msg_published", scope=name, version=p.version, entry=p.entry)

        if (versions or pending) and not blockers:  # a reason is needed
            def with_reason(values: Mapping[str, str]) -> str | None:
                problem = attempt(lambda: published.append(app.head.publish(scope,
                                                                            values["reason"])))
                if problem is None:
                    after()
                return problem

            app.push_screen(FormDialog(phrase("confirm_publish_title", scope=name),
                                       [Field("reason", "field_reason")], lines,
                                       ok="key_publish", danger=True, submit=with_reason))
            return

        def submit() -> str | None:
            problem = attempt(lambda: published.append(app.head.publish(scope)))
            if problem is None:
                after()
            return problem

        title = "publish_blocked_title" if blockers else "confirm_publish_title"
        app.push_screen(ConfirmDialog(phrase(title, scope=name), lines, ok="key_publish",
                                      danger=True, submit=submit, blocked=bool(blockers)))

    def action_panel(self) -> None:
        self.capp.push_screen(PanelDialog())

    def action_tie(self) -> None:
        app = self.capp
        scope = self.scope()
        if scope is None:
            return
        ties = self._ties(app.head.current_results(), scope)
        if not ties:
            app.notify(say("no_ties", app.lang), timeout=4)
            return
        tie = ties[0]
        who = ", ".join(tie.contestants)

        def submit(values: Mapping[str, str]) -> str | None:
            order = values["order"].replace(",", " ").split() if values["kind"] == "order" \
                else []
            problem = attempt(lambda: app.head.decide_tie(scope, tie.contestants,
                                                          values["kind"], order,
                                                          values["reason"]))
            if problem is None:
                app.done("msg_tie")
            return problem

        lang = app.lang
        app.push_screen(FormDialog(
            phrase("tie_title", who=who),
            [Field("kind", "tie_kind", ((say("tie_kind_order", lang), "order"),
                                        (say("tie_kind_shared", lang), "shared"))),
             Field("order", "tie_order", value=" ".join(tie.contestants), required=False),
             Field("reason", "field_reason")],
            [lambda lang: tie_text(tie, lang)], ok="key_tie", submit=submit))
