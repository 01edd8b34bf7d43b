"""Blank paper scoring form: the sheet a judge fills in by hand when their laptop cannot be
used. The criteria with max and step as column heads, one row per contestant in running
order with a box per criterion, a total and the judge's initials; rows of contestants the
judge is recused from struck through, with no boxes. A final with several tracks (or groups)
heads each one's rows with its name. Operators type it in twice at the paper desk, in this order,
after typing its sheet code (`head_judge.paper_desk`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sync.event import Event

from ..flowables import Cell, fitted, grid, info_block, notes, signature_block, txt
from ..layout import Lines, content_width, styles
from ..model import BlankForm
from ..runs import string_width
from ..words import judge_name, langs, plain, scope_name, w, ws

LANDSCAPE = True
STRUCK = colors.HexColor("#d9d9d9")
ROW_PADDING = 3.5 * mm
"""Above and below a row's text: room for figures written with a pen (about 5 mm high)."""
SECTION = colors.HexColor("#f2f2f2")


class _Struck(Lines):
    """Plain lines with a line drawn through each: a recused contestant on the form."""

    def draw(self) -> None:
        super().draw()
        size = self.style.fontSize
        self.canv.setLineWidth(0.8)
        for i, line in enumerate(self._lines):
            y = self.height - size - i * self.style.leading + 0.3 * size
            self.canv.line(0, y, string_width(line, self.style.fontName, size), y)


def story(event: Event, sheet: BlankForm, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE)
    judge = event.judge(sheet.judge)
    n = len(event.criteria)
    no_w, who_w, total_w, initials_w = 9 * mm, 52 * mm, 18 * mm, 16 * mm
    crit_w = (width - no_w - who_w - total_w - initials_w) / n
    header = [ws("order", lg), ws("contestant", lg),
              *[f"{c.name.stacked(lg)}\n{ws('form_step', lg, max=plain(c.max), step=plain(c.step))}"
                for c in event.criteria],
              f"{ws('total', lg)}\n/{plain(event.rubric_max)}", ws("form_initials", lg)]
    rows: list[list[Cell]] = []
    extra: list[tuple[Any, ...]] = []
    sections: list[tuple[Any, ...]] = []  # styled last: they undo the rows' padding and centring
    running = event.running_order()
    scopes = list(dict.fromkeys((c.track, c.group) for c in running))
    scope = None
    for contestant in running:
        if len(scopes) > 1 and (contestant.track, contestant.group) != scope:
            scope = (contestant.track, contestant.group)
            rows.append([f"{w('track', lg)}  {scope_name(event, *scope)}"] + [""] * (n + 3))
            line = len(rows)  # row 0 is the header
            sections += [("SPAN", (0, line), (-1, line)), ("ALIGN", (0, line), (-1, line), "LEFT"),
                         ("BACKGROUND", (0, line), (-1, line), SECTION),
                         ("TOPPADDING", (0, line), (-1, line), 2),
                         ("BOTTOMPADDING", (0, line), (-1, line), 2.5)]
        label = f"{contestant.id} {contestant.name}\n{contestant.organisation}"
        who = txt(label, who_w)
        order = str(contestant.order or "")
        if judge is not None and event.is_recused(judge, contestant):
            rows.append([order, _Struck(label, s.cell),
                         fitted(w("form_struck", lg), s.cell_c, crit_w * n)] + [""] * (n + 1))
            line = len(rows)  # row 0 is the header
            extra += [("SPAN", (2, line), (-1, line)),
                      ("BACKGROUND", (0, line), (-1, line), STRUCK)]
            continue
        rows.append([order, who] + [""] * (n + 2))
    info = [
        (w("judge", lg), f"{sheet.judge} {judge_name(event, sheet.judge)}"),
        (w("affiliation", lg), judge.affiliation if judge else ""),
    ]
    if len(scopes) == 1:
        info.append((w("track", lg), scope_name(event, *scopes[0])))
    table = grid(header, rows, [no_w, who_w] + [crit_w] * n + [total_w, initials_w],
                 extra=[*extra, ("ALIGN", (0, 1), (0, -1), "CENTER"),
                        ("TOPPADDING", (0, 1), (-1, -1), ROW_PADDING),
                        ("BOTTOMPADDING", (0, 1), (-1, -1), ROW_PADDING), *sections],
                 numeric_from=2)
    return [
        info_block(info, width), Spacer(1, 2 * mm),
        *notes([w(f"form_howto_{i}", lg) for i in (1, 2, 3)]),
        Spacer(1, 2 * mm),
        table,
        Spacer(1, 3 * mm),
        signature_block(event, [(w("sign_judge", lg), judge_name(event, sheet.judge))],
                        width / 2, per_row=1),
    ]
