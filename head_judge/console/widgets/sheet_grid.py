"""Every judge's sheet for one contestant: criteria (rows) by judges (columns), the values in
force (`*` overridden by the head judge, the signed value beside it), the totals (`[ ]` when
dropped from the panel score), and each sheet's revision (`r2 纸` / `r2 P`: a paper sheet
typed in twice, its form and operators listed under the grid). A judge in an open flag is marked
`!` in the header, one asked to review `?` behind; `·` waiting, `×` withdrawn or excused, with
or without a sheet (the Overview's marks and legend)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from sync.event import Event, Judge

from ...projections import CurrentSheet
from ...scoring import plain
from ..words import say
from .tables import Cell, refill


class SheetGrid(DataTable[Any]):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=True)

    def show(self, event: Event, judges: Sequence[Judge], sheets: Mapping[str, CurrentSheet],
             flagged: Collection[str], dropped: Collection[str], reviews: Collection[str],
             lang: str, excused: Collection[str] = ()) -> None:
        """`excused`: judges whose sheet is not expected (seat excused, or withdrawn before
        any sheet came): `×` where they have none, not `·` waiting."""
        column = self.cursor_column
        columns: list[tuple[str, Cell]] = [("criterion", say("col_criterion", lang)),
                                           ("max", say("col_max", lang))]
        for judge in judges:  # the Overview's marks: `!J3?` flagged and asked to review
            flag = "!" if judge.id in flagged else " "
            review = "?" if judge.id in reviews else ""
            columns.append((judge.id, Text(f"{flag}{judge.id}{review}",
                                           style="bold red" if flag == "!" else "")))
        rows: list[tuple[str, list[Cell]]] = []
        for criterion in event.criteria:
            cells: list[Cell] = [criterion.name.get(lang), plain(criterion.max)]
            for judge in judges:
                sheet = sheets.get(judge.id)
                if sheet is None:
                    cells.append(Text("×" if judge.id in excused else "·", style="dim"))
                    continue
                value = sheet.values.get(criterion.id)
                signed = sheet.signed.get(criterion.id)
                if value is None:
                    cells.append("")
                elif signed is not None and value != signed:
                    cells.append(Text(f"{plain(value)}* ({plain(signed)})", style="bold"))
                else:
                    cells.append(Text(plain(value), style="dim" if sheet.withdrawn else ""))
            rows.append((criterion.id, cells))
        totals: list[Cell] = [Text(say("row_total", lang), style="bold"),
                              plain(event.rubric_max)]
        revisions: list[Cell] = [say("row_revision", lang), ""]
        for judge in judges:
            sheet = sheets.get(judge.id)
            if sheet is None:
                totals.append(Text("×" if judge.id in excused else "·", style="dim"))
                revisions.append("")
                continue
            total = plain(sum(sheet.values.values(), Decimal(0)))
            if sheet.withdrawn:
                totals.append(Text(f"× {total}", style="dim strike"))
            elif judge.id in dropped:
                totals.append(Text(f"[{total}]", style="bold"))
            else:
                totals.append(Text(total, style="bold"))
            paper = f" {say('paper_mark', lang)}" if sheet.paper is not None else ""
            revisions.append(f"r{sheet.revision}{paper}")
        rows += [("total", totals), ("revision", revisions)]
        refill(self, columns, rows)
        self.move_cursor(column=min(column, len(self.columns) - 1), animate=False)

    def cursor_judge(self) -> str | None:
        keys = list(self.columns)
        if not keys:
            return None
        key = keys[min(max(self.cursor_column, 0), len(keys) - 1)].value
        return key if key not in ("criterion", "max") else None

    def cursor_criterion(self) -> str | None:
        keys = list(self.rows)
        if not keys:
            return None
        key = keys[min(max(self.cursor_row, 0), len(keys) - 1)].value
        return key if key not in ("total", "revision") else None
