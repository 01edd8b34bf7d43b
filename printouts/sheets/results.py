"""Results sheet for one scope: which published version it is (or that it is a draft), the
ranking with each judge's total, the components, the final score, prize and advancement; how
the scores were combined and how ties were broken; signature blocks for every judge, the head
judge and, when the event has one, the notary with a box for the notary office's seal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sync.event import Event

from ..content import tie_notes
from ..fonts import TEXT
from ..layout import Lines, content_width, styles
from ..model import ResultsSheet
from ..widgets import (
    Cell,
    excusal_lines,
    fitted,
    grid,
    heading,
    legend,
    notes,
    scoring_notes,
    signature_block,
    txt,
)
from ..words import advances_word, judge_name, langs, pct, plain, show_time, tier_name, w, ws

LANDSCAPE = True


def story(event: Event, sheet: ResultsSheet, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE)
    scope = sheet.scope
    components = event.scoring.components
    advancing = event.advancement is not None
    prizes = bool(event.awards.tiers)  # a round that only advances: no prize column
    judges = event.judges
    widths = ([11 * mm, 0.0] + [12.5 * mm] * len(judges) + [21 * mm] * len(components)
              + [17 * mm] + ([24 * mm] if prizes else []) + ([15 * mm] if advancing else []))
    widths[1] = min(max(width - sum(widths), 40 * mm), 58 * mm)
    spare = (width - sum(widths)) / (len(widths) - 2)
    widths = widths[:2] + [x + spare for x in widths[2:]]
    header = [ws("rank", lg), ws("contestant", lg)]
    header += [f"{j.id}\n{judge_name(event, j.id)}" for j in judges]
    header += [f"{c.name.stacked(lg)}\n{pct(c.weight)}" for c in components]
    header += [ws("final", lg)] + ([ws("prize", lg)] if prizes else [])
    header += [ws("advances", lg)] if advancing else []
    rows: list[list[Cell]] = []
    for placing in scope.ranking:
        c = event.contestant(placing.contestant)
        who = f"{placing.contestant} {c.name}\n{c.organisation}" if c else placing.contestant
        cells: list[Cell] = [str(placing.rank), txt(who, widths[1])]
        for j in judges:
            total = placing.judges.get(j.id)
            text = "—" if total is None else plain(total)
            cells.append(f"[{text}]" if j.id in placing.dropped else text)
        cells += [str(placing.components.get(c.id, "—")) for c in components]
        cells.append(str(placing.final))
        if prizes:
            prize = tier_name(event, placing.prize, stacked=True)
            cells.append(fitted(prize, s.cell_c, widths[-1 - advancing]))
        if advancing:
            cells.append(fitted(advances_word(placing.advances, lg), s.cell_c, widths[-1]))
        rows.append(cells)
    final_col = 2 + len(judges) + len(components)
    extra: list[tuple[Any, ...]] = [("FONT", (final_col, 1), (final_col, -1), TEXT, 9, 11),
                                    ("ALIGN", (0, 1), (0, -1), "CENTER")]
    body: list[Flowable] = []
    if sheet.version is not None:
        body.append(Lines(w("published_version", lg, n=sheet.version,
                            at=show_time(sheet.published_at, zone)), s.h2))
    else:
        body.append(Lines(w("draft_note", lg), s.warn))
    if scope.unresolved:
        body += [Lines(w("unresolved", lg), s.warn), *notes([f"! {u}" for u in scope.unresolved])]
    body += [
        grid(header, rows, widths, extra=extra, numeric_from=2),
        Spacer(1, 1.5 * mm),
        legend(event, ["legend_dropped", "legend_recused"]),
        *notes(scoring_notes(event)),
        heading(w("ties", lg)),
        *notes(tie_notes(event, scope) or [w("no_ties", lg)]),
    ]
    if scope.decisions:
        body += [heading(w("decisions", lg)), *notes(list(scope.decisions))]
    if sheet.excused:
        body += [heading(w("excused_head", lg)), *notes(excusal_lines(event, sheet.excused))]
    if scope.absent:
        body += notes([f"{w('absent', lg)}: " + ", ".join(
            f"{cid} {c.name}" if (c := event.contestant(cid)) else cid for cid in scope.absent)])
    boxes = [(f"{w('sign_judge', lg)} · {j.id}", judge_name(event, j.id)) for j in judges]
    boxes.append((w("sign_head", lg), sheet.head_judge))
    if event.notary:
        boxes.append((w("sign_notary", lg), sheet.notary))
    body.append(signature_block(event, boxes, width, per_row=4, title=w("signatures", lg),
                                seal=w("notary_seal", lg) if event.notary else ""))
    return body
