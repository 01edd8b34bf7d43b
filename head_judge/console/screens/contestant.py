"""Contestant: every judge's sheet by criterion, revisions and their reasons, flags, the
head judge's actions on it, components, the live score and rank; lock / unlock, and the
other actions on one contestant."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...projections import FlagRow
from ...refusals import recorded
from ...scoring import Standing, plain
from ..ledger_view import flag_text, kind_name, local_time
from ..state import flagged_judges, read_reveals, reveal_state, running_order, standings
from ..widgets.sheet_grid import SheetGrid
from ..words import colon, say
from .asks import (
    ask_accept_all,
    ask_lock,
    ask_override,
    ask_review,
    ask_unlock,
    ask_withdraw,
    panel_of,
)
from .base import ConsoleScreen
from .pick import PickDialog
from .reveal import ask_reveal

HEAD_JUDGE_ACTIONS = frozenset({
    "review_requested", "review_closed", "flag_accepted", "flags_accepted", "value_overridden",
    "sheet_withdrawn", "seat_excused", "seat_restored", "contestant_locked",
    "contestants_locked", "contestant_unlocked", "components_imported", "tie_decided",
    "appeal_filed", "appeal_decided", "sheet_conflict_resolved", "contestant_revealed",
})
"""Ledger kinds that are the head judge's acts on a contestant (the Contestant screen lists
each one that names the contestant, with its reason)."""


class ContestantScreen(ConsoleScreen):
    NAME = "contestant"
    TOPICS = ("help_reveal",)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "lock", "key_lock"),
        Binding("u", "unlock", "key_unlock"),
        Binding("r", "review", "key_review"),
        Binding("a", "accept_all", "key_accept_all"),
        Binding("o", "override", "key_override"),
        Binding("w", "withdraw", "key_withdraw"),
        Binding("v", "reveal", "key_reveal"),
        Binding("s", "on_stage", "key_on_stage", show=False),
        Binding("left_square_bracket", "step(-1)", "key_prev", show=False),
        Binding("right_square_bracket", "step(1)", "key_prev_next"),
        Binding("slash", "choose", "key_choose"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(id="contestant-head", classes="heading")
        yield SheetGrid(id="sheet-grid")
        yield Static(id="contestant-legend", classes="hint")
        yield Static(id="contestant-score", classes="score-line")
        with VerticalScroll(id="contestant-more"):
            yield Static(id="contestant-history")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(SheetGrid).focus()

    def relabel(self) -> None:
        self.query_one("#contestant-legend", Static).update(say("legend", self.capp.lang))

    def show(self, contestant: str) -> None:
        self.capp.contestant = contestant
        self.refresh_data()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.refresh_data()

    def refresh_data(self) -> None:
        app, lang = self.capp, self.capp.lang
        event = app.head.event
        if app.contestant is None and event.contestants:
            app.contestant = running_order(event.contestants)[0].id
        cid = app.contestant
        contestant = event.contestant(cid) if cid else None
        head = self.query_one("#contestant-head", Static)
        if contestant is None:
            head.update(say("no_contestant", lang))
            self.query_one(SheetGrid).clear(columns=True)
            self.query_one("#contestant-score", Static).update("")
            self.query_one("#contestant-history", Static).update("")
            return
        locks = app.head.locks()
        marks = [say("locked_word" if contestant.id in locks else "unlocked_word", lang)]
        if app.on_stage == contestant.id:
            marks.append(say("on_stage_word", lang))
        recused = [j.id for j in event.judges if event.is_recused(j, contestant)]
        if recused:
            marks.append("— " + say("recused_judges", lang, judges=", ".join(recused)))
        excused = set(app.head.excused_judges(contestant.id))
        if excused:
            marks.append("× " + say("excused_judges", lang, judges=", ".join(sorted(excused))))
        excused |= {w.judge for w in app.head.withdrawals(contestant.id)}
        judges = [j for j in event.judges if not event.is_recused(j, contestant)]
        sheets = {s.judge: s for s in app.head.sheets(contestant.id)}
        results = app.head.current_results()
        standing = standings(results).get(contestant.id)
        revealed = reveal_state(
            {j.id: sum(sheets[j.id].values.values(), Decimal(0)) for j in judges
             if j.id in sheets and j.id not in excused},
            standing, read_reveals(app.head).get(contestant.id))
        if revealed:
            marks.append(say("revealed_word" if revealed == "shown" else "reveal_changed_word",
                             lang))
        head.update(say("contestant_head", lang, order=contestant.order, id=contestant.id,
                        name=(app.shown_event.contestant(contestant.id) or contestant).name,
                        org=contestant.organisation,
                        scope=app.scope_name((contestant.track, contestant.group)))
                    + "   " + "  ".join(marks))
        flags = app.head.flags(contestant=contestant.id)
        open_flags = [f for f in flags if f.status == "open"]
        flagged = {j for f in open_flags for j in flagged_judges(f)}
        reviews = {r.judge for r in app.head.reviews("open", contestant.id)}
        dropped = standing.dropped if standing else ()
        self.query_one(SheetGrid).show(event, judges, sheets, flagged, dropped, reviews, lang,
                                       excused)
        self.query_one("#contestant-score", Static).update(
            self._score_lines(standing, contestant.id))
        self.query_one("#contestant-history", Static).update(
            self._history(contestant.id, flags))
        self.refresh_bindings()  # lock or unlock

    def _score_lines(self, standing: Standing | None, contestant: str) -> str:
        app, lang = self.capp, self.capp.lang
        event = app.head.event
        lines = []
        if standing is not None:
            tier = next((t for t in event.awards.tiers if t.id == standing.prize), None)
            lines.append(say("live_score", lang, panel=plain(standing.panel),
                             final=standing.final, rank=standing.rank,
                             prize=say("live_prize", lang, prize=tier.name.get(lang)
                                       if tier else "—") if event.awards.tiers else "",
                             advance=say("advances_yes", lang) if standing.advances else ""))
        else:
            lines.append(say("not_ranked", lang))
        imported = app.head.components()
        parts = []
        for component in event.scoring.components:
            if standing is not None and component.id in standing.components:
                value = str(standing.components[component.id])
            elif component.source == "import":
                found = imported.get(component.id, {}).get(contestant)
                value = plain(found) if found is not None else "—"
            else:
                value = "—"
            parts.append(f"{component.name.get(lang)} {value} (×{plain(component.weight)})")
        lines.append(say("section_components", lang) + colon(lang) + "   ".join(parts))
        return "\n".join(lines)

    def _history(self, contestant: str, flags: list[FlagRow]) -> str:
        app, lang = self.capp, self.capp.lang
        tz = app.zone
        lines = [f"[b]{say('section_revisions', lang)}[/b]"]
        revisions = app.cache.revisions(contestant)
        for r in revisions:
            time = local_time(r.at, tz, offset=True)
            if r.revision == 1:
                lines.append("  " + say("revision_first", lang, time=time, judge=r.judge,
                                        total=plain(r.total)))
            else:
                lines.append("  " + say("revision_line", lang, time=time, judge=r.judge,
                                        revision=r.revision, total=plain(r.total),
                                        reason=r.reason or ""))
            if r.form:
                lines[-1] += say("revision_paper", lang, form=r.form,
                                 operators=say("list_sep", lang).join(r.operators))
        if not revisions:
            lines.append("  " + say("nothing", lang))
        lines.append(f"[b]{say('section_flags', lang)}[/b]")
        for f in sorted(flags, key=lambda f: f.id, reverse=True):
            lines.append(f"  #{f.id} {say(f'flag_{f.status}', lang)}  "
                         f"{flag_text(app.head.event, f, lang)}"
                         + (f"  — {f.note}" if f.note else ""))
        if not flags:
            lines.append("  " + say("nothing", lang))
        lines.append(f"[b]{say('section_comments', lang)}[/b]")
        latest = {r.judge: r for r in revisions}  # a judge's newest revision says it now
        comments = ["  " + say("comment_line", lang, judge=r.judge, revision=r.revision,
                               comment=r.comment) for r in latest.values() if r.comment]
        lines += comments or ["  " + say("nothing", lang)]
        lines.append(f"[b]{say('section_actions', lang)}[/b]")
        lines += self._actions(contestant) or ["  " + say("nothing", lang)]
        if contestant not in app.head.locks():
            blockers = app.head.lock_blockers(contestant)
            lines.append(f"[b]{say('section_blockers', lang)}[/b]")
            lines += [f"  - {b.render(lang)}" for b in blockers] \
                or ["  " + say("lock_ready", lang)]
        return "\n".join(line if line.startswith("[b]") else escape(line) for line in lines)

    def _actions(self, contestant: str) -> list[str]:
        """Every head-judge action on `contestant`, oldest first, each with its reason: from
        the ledger, so a kind recorded later (an excusal, a batch lock) shows too."""
        app, lang = self.capp, self.capp.lang
        found = app.head.event.contestant(contestant)
        panel = {j.id for j in app.head.event.panel_for(found)} if found else set()
        overrides = {o.id: o for o in app.head.overrides(contestant)}
        reviews = {r.id: r for r in app.head.reviews(contestant=contestant)}
        out = []
        for entry in app.cache.entries:
            if entry.kind not in HEAD_JUDGE_ACTIONS:
                continue
            p = entry.payload
            whole = entry.kind in ("seat_excused", "seat_restored") \
                and p.get("contestants") is None and p.get("judge") in panel
            if not whole and contestant not in app.cache.contestants_of(entry):
                continue
            text = app.cache.describe(entry, lang, about=contestant)
            if entry.seq in overrides:
                text += f"  ({say(f'ov_{overrides[entry.seq].status}', lang)})"
            if entry.seq in reviews:
                review = reviews[entry.seq]
                text += "  → " + say(f"review_state_{review.status}", lang, judge=review.judge) \
                    + (f": {recorded(review.answer_text).render(lang)}"
                       if review.answer_text else "")
            out.append(f"  {app.local(entry.at, '%H:%M', offset=True)} #{entry.seq} "
                       f"{kind_name(entry.kind, lang)}  {text}")
        return out

    # --- keys ---------------------------------------------------------------------------------

    def _cid(self) -> str | None:
        return self.capp.contestant

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Lock or unlock, whichever applies (the footer shows one of them)."""
        if action in ("lock", "unlock") and (cid := self._cid()) is not None:
            return (action == "unlock") == (cid in self.capp.head.locks())
        return True

    def action_lock(self) -> None:
        if (cid := self._cid()) is not None:
            ask_lock(self.capp, cid)

    def action_unlock(self) -> None:
        if (cid := self._cid()) is not None:
            ask_unlock(self.capp, cid)

    def action_review(self) -> None:
        if (cid := self._cid()) is not None:
            ask_review(self.capp, cid, panel_of(self.capp, cid),
                       judge=self.query_one(SheetGrid).cursor_judge())

    def action_accept_all(self) -> None:
        if (cid := self._cid()) is not None:
            ask_accept_all(self.capp, cid)

    def action_override(self) -> None:
        if (cid := self._cid()) is not None:
            grid = self.query_one(SheetGrid)
            ask_override(self.capp, cid, panel_of(self.capp, cid), judge=grid.cursor_judge(),
                         criterion=grid.cursor_criterion())

    def action_withdraw(self) -> None:
        if (cid := self._cid()) is not None:
            ask_withdraw(self.capp, cid, panel_of(self.capp, cid),
                         judge=self.query_one(SheetGrid).cursor_judge())

    def action_reveal(self) -> None:
        if (cid := self._cid()) is not None:
            ask_reveal(self.capp, cid)

    def action_on_stage(self) -> None:
        if (cid := self._cid()) is not None:
            self.capp.mark_on_stage(cid)
            self.refresh_data()

    def action_step(self, step: int) -> None:
        order = [c.id for c in running_order(self.capp.head.event.contestants)]
        if not order:
            return
        now = self._cid()
        index = order.index(now) + step if now in order else 0
        self.show(order[min(max(index, 0), len(order) - 1)])

    def action_choose(self) -> None:
        def chosen(contestant: str | None) -> None:
            if contestant is not None:
                self.show(contestant)

        self.app.push_screen(PickDialog(self._cid()), chosen)
