"""Pack inventory: the cover sheet of a print, listing every other sheet printed with it (its
code, what it is, whom it is about and how many pages it has), for the notary and the head
judge to check against the pack and sign."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sync.event import Event

from ..content import subject_text
from ..flowables import Cell, grid, notes, signature_block
from ..fonts import MONO
from ..layout import Lines, content_width, p, styles
from ..model import Inventory
from ..words import WORDS, langs, w, ws

LANDSCAPE = False


def story(event: Event, sheet: Inventory, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE)
    header = [ws(k, lg) for k in ("order", "sheet_code", "inv_sheet", "inv_subject",
                                  "inv_pages")]
    fixed = [11 * mm, 44 * mm, 40 * mm, 0, 16 * mm]
    fixed[3] = width - sum(fixed)
    rows: list[list[Cell]] = []
    for i, line in enumerate(sheet.lines, start=1):
        title = WORDS[f"title.{line.kind}"]
        rows.append([str(i), line.code, p("\n".join(dict.fromkeys(title.get(x) for x in lg)),
                                           s.cell),
                     p(subject_text(event, line.kind, line.subject), s.cell), str(line.pages)])
    total = sum(line.pages for line in sheet.lines)
    return [
        Lines(w("inv_total", lg, n=len(sheet.lines), pages=total), s.h2),
        grid(header, rows, fixed, extra=[("FONT", (1, 1), (1, -1), MONO, 8.5, 10),
                                         ("ALIGN", (0, 1), (0, -1), "CENTER"),
                                         ("ALIGN", (4, 1), (4, -1), "CENTER")]),
        Spacer(1, 2 * mm),
        *notes([ws("inv_note", lg)]),
        signature_block(event, [(w("sign_notary", lg), sheet.notary),
                                (w("sign_head", lg), sheet.head_judge)], width, per_row=2),
    ]
