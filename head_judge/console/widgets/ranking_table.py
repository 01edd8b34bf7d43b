"""One scope's live ranking: rank, contestant, the final score, the prize (when the event
awards any) and advancement first (what the head judge reads out, visible on the smallest
screen), then organisation, each
judge's total (`[ ]` when dropped, `免评`/`excused` for an excused seat, `—` recused) and
the components. The honours held follow advancement when the event gives honours. Rank
and contestant stay in view when the table scrolls sideways."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from sync.event import Event
from sync.i18n import honour_names

from ...scoring import ScopeResult, plain
from ..words import say
from . import console_app
from .tables import Cell, refill


class RankingTable(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True, fixed_columns=2)

    def show(self, event: Event, scope: ScopeResult | None, lang: str) -> None:
        app = console_app(self)
        columns: list[tuple[str, Cell]] = [("rank", say("col_rank", lang)),
                                           ("who", say("col_contestant", lang)),
                                           ("final", say("col_final", lang))]
        prizes = bool(event.awards.tiers)  # a round that only advances: no prize column
        if prizes:
            columns.append(("prize", say("col_prize", lang)))
        if event.advancement is not None:
            columns.append(("advances", say("col_advances", lang)))
        honours = bool(event.honours)
        if honours:
            columns.append(("honours", say("col_honours", lang)))
        columns.append(("org", say("col_org", lang)))
        columns += [(f"j:{judge.id}", judge.id) for judge in event.judges]
        columns += [(f"c:{c.id}", c.name.get(lang)[:10]) for c in event.scoring.components]
        rows: list[tuple[str, list[Cell]]] = []
        tiers = {t.id: t.name.get(lang) for t in event.awards.tiers}
        excusals = app.head.excusals()
        for s in scope.ranking if scope is not None else ():
            contestant = event.contestant(s.contestant)
            cells: list[Cell] = [str(s.rank), app.contestant_label(s.contestant),
                                 Text(str(s.final), style="bold")]
            if prizes:
                cells.append(tiers.get(s.prize or "", "—"))
            if event.advancement is not None:
                cells.append({True: say("yes", lang), False: say("no", lang)}[s.advances]
                             if s.advances is not None else "?")
            if honours:
                cells.append(honour_names(event, s.honours, (lang,)) or "—")
            cells.append(contestant.organisation if contestant else "")
            excused = {e.judge for e in excusals if e.covers(s.contestant)}
            for judge in event.judges:
                total = s.judges.get(judge.id)
                if total is None and judge.id in excused:  # counted without that judge
                    cells.append(Text(say("mark_excused", lang), style="dim"))
                elif total is None:  # recused (or no sheet)
                    cells.append(Text("—", style="dim"))
                elif judge.id in s.dropped:
                    cells.append(Text(f"[{plain(total)}]", style="dim"))
                else:
                    cells.append(plain(total))
            cells += [str(s.components.get(c.id, "—")) for c in event.scoring.components]
            rows.append((s.contestant, cells))
        refill(self, columns, rows)
