"""Plain-text rendering of a results document for the terminal: one table per scope (with
the honours each contestant holds, when the event gives honours), then one per organisation
award."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from sync.event import Event
from sync.i18n import honour_names, label, stacked_label

from .refusals import REFUSALS, read_back
from .scoring import OrganisationRanking, Results, plain


def results_tables(event: Event, results: Results) -> RenderableType:
    langs = event.languages
    parts: list[RenderableType] = []
    for scope in results.scopes:
        track = event.track(scope.track)
        title = track.name.both(langs) if track else scope.track
        if scope.group:
            group = event.group(scope.group)
            title += " · " + (group.name.both(langs) if group else scope.group)
        headers = [stacked_label("rank", langs), stacked_label("contestant", langs)]
        headers += [judge.id for judge in event.judges]
        headers += [c.name.stacked(langs) for c in event.scoring.components]
        prizes = bool(event.awards.tiers)  # a round that only advances has no prize column
        headers += [stacked_label("final", langs)]
        headers += [stacked_label("prize", langs)] if prizes else []
        if event.advancement:
            headers.append(stacked_label("advances", langs))
        if results.honours:
            headers.append(stacked_label("honours", langs))
        tiers = {t.id: t.name.stacked(langs) for t in event.awards.tiers}
        rows: list[list[str]] = []
        for s in scope.ranking:
            contestant = event.contestant(s.contestant)
            who = s.contestant
            if contestant:
                who = f"{s.contestant} {contestant.name}\n{contestant.organisation}"
            cells = [str(s.rank), who]
            for judge in event.judges:
                total = s.judges.get(judge.id)
                if total is None:
                    cells.append("—")
                elif judge.id in s.dropped:
                    cells.append(f"[{plain(total)}]")
                else:
                    cells.append(plain(total))
            cells += [str(s.components[c.id]) for c in event.scoring.components]
            cells.append(str(s.final))
            if prizes:
                cells.append(tiers[s.prize] if s.prize else "—")
            if event.advancement:
                key = {True: "yes", False: "no", None: "undecided"}[s.advances]
                cells.append(label(key, langs))
            if results.honours:
                cells.append(honour_names(event, s.honours, langs, stacked=True) or "—")
            rows.append(cells)
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD,
                      collapse_padding=True, pad_edge=False)
        final_column = 2 + len(event.judges) + len(event.scoring.components)
        left: tuple[int, ...] = (1, final_column + 1) if prizes else (1,)
        if results.honours:
            left += (len(headers) - 1,)
        for index, header in enumerate(headers):
            # Nothing wraps or truncates: a clipped score is worse than a wide table.
            table.add_column(header, justify="left" if index in left else "right",
                             no_wrap=True,
                             style="bold" if index == final_column else None)
        for row in rows:
            table.add_row(*row)
        parts.append(table)
        notes = [label("dropped_note", langs), f"— {label('recused', langs)}"]
        if scope.absent:
            notes.append(f"{label('absent', langs)}: {', '.join(scope.absent)}")
        parts.append(RichText("  ".join(notes), style="dim"))
    parts += [organisation_table(event, ranking) for ranking in results.organisations]
    if results.unresolved:
        parts.append(RichText(label("unresolved", langs), style="bold"))
        for u in results.unresolved:
            said = read_back(f"blocker_{u.kind}", u.reason) if f"blocker_{u.kind}" in REFUSALS \
                else None
            parts += [RichText(f" ! {u.scope[0]}: {said.render(lang) if said else u.reason}")
                      for lang in (langs if said else langs[:1])]
    return Group(*parts)


def organisation_table(event: Event, ranking: OrganisationRanking) -> Table:
    """One organisation award: rank, organisation, score, its contestants, awarded (获奖,
    blank when not, 待定 while a tie across the last place waits for a decision)."""
    langs = event.languages
    award = next((a for a in event.organisation_awards if a.id == ranking.award), None)
    table = Table(title=award.name.both(langs) if award else ranking.award,
                  title_justify="left", box=box.SIMPLE_HEAD, collapse_padding=True,
                  pad_edge=False)
    for index, key in enumerate(("rank", "organisation", "score", "contestants", "awarded")):
        table.add_column(stacked_label(key, langs), no_wrap=True,
                         justify="right" if index in (0, 2) else "left")
    for s in ranking.ranking:
        awarded = {True: label("awarded", langs), False: "",
                   None: label("undecided", langs)}[s.awarded]
        table.add_row(str(s.rank), s.organisation, str(s.score), ", ".join(s.contestants),
                      awarded, style="bold" if s.awarded else None)
    return table


def print_results(event: Event, results: Results, console: Console | None = None) -> None:
    """Print the tables; a terminal too narrow for them gets lines that wrap, never a
    clipped score."""
    console = console or Console()
    rendered = results_tables(event, results)
    needed = console.measure(rendered, options=console.options.update_width(1000)).maximum
    if needed > console.width:
        console = Console(width=needed, file=console.file, force_terminal=console.is_terminal)
    console.print(rendered)
