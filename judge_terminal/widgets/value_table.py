"""A read-only table of one sheet's values with both names of each criterion and the total,
for the confirmation and the review request."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from rich.table import Table
from textual.widgets import Static

from sync.event import Event

from ..model import shown
from ..words import pair, say


class ValueTable(Static):
    def show(self, event: Event, values: Mapping[str, Decimal], lang: str) -> None:
        table = Table(box=None, padding=(0, 1), expand=True, show_header=True,
                      header_style="bold")
        table.add_column(say("col_criterion", lang), ratio=1, no_wrap=True,
                         overflow="ellipsis")
        table.add_column(say("col_score", lang), justify="right", no_wrap=True)
        table.add_column(say("col_max", lang), justify="right", no_wrap=True)
        for criterion in event.criteria:
            value = values.get(criterion.id)
            table.add_row(criterion.name.both(pair(lang)),
                          shown(value) if value is not None else "-",
                          f"/ {shown(criterion.max)}")
        total = sum(values.values(), Decimal(0))
        table.add_row(f"[b]{say('total', lang)}[/b]", f"[b]{shown(total)}[/b]",
                      f"/ {shown(event.rubric_max)}")
        self.update(table)
