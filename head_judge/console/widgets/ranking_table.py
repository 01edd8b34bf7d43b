"""One scope's live ranking: rank, contestant, organisation, each judge's total (`[ ]` when
dropped), the components, the final score, the prize and advancement."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from sync.event import Event

from ...scoring import ScopeResult, plain
from ..words import say
from . import console_app


class RankingTable(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    def show(self, event: Event, scope: ScopeResult | None, lang: str) -> None:
        app = console_app(self)
        row = self.cursor_row
        self.clear(columns=True)
        self.add_column(say("col_rank", lang), key="rank")
        self.add_column(say("col_contestant", lang), key="who")
        self.add_column(say("col_org", lang), key="org")
        for judge in event.judges:
            self.add_column(judge.id, key=f"j:{judge.id}")
        for component in event.scoring.components:
            self.add_column(component.name.get(lang)[:8], key=f"c:{component.id}")
        self.add_column(say("col_final", lang), key="final")
        self.add_column(say("col_prize", lang), key="prize")
        if event.advancement is not None:
            self.add_column(say("col_advances", lang), key="advances")
        if scope is None:
            return
        tiers = {t.id: t.name.get(lang) for t in event.awards.tiers}
        for s in scope.ranking:
            contestant = event.contestant(s.contestant)
            cells: list[Text | str] = [str(s.rank), app.contestant_label(s.contestant),
                                       contestant.organisation if contestant else ""]
            for judge in event.judges:
                total = s.judges.get(judge.id)
                if total is None:
                    cells.append(Text("—", style="dim"))
                elif judge.id in s.dropped:
                    cells.append(Text(f"[{plain(total)}]", style="dim"))
                else:
                    cells.append(plain(total))
            cells += [str(s.components.get(c.id, "—")) for c in event.scoring.components]
            cells.append(Text(str(s.final), style="bold"))
            cells.append(tiers.get(s.prize or "", "—"))
            if event.advancement is not None:
                cells.append({True: say("yes", lang), False: say("no", lang)}.get(
                    s.advances, "?") if s.advances is not None else "?")
            self.add_row(*cells, key=s.contestant)
        if scope.ranking:
            self.move_cursor(row=min(max(row, 0), len(scope.ranking) - 1), animate=False)
