"""Judge sheet: every contestant of the final as this judge scored them (or was recused from
or did not score, or was excused from), each criterion, total, comment, revisions marked,
paper sheets marked `纸质 paper` with their form's sheet code and the two operators who typed
them; the judge signs it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sync.event import Event

from ..flowables import (
    Cell,
    criterion_headers,
    excusal_lines,
    fitted,
    grid,
    heading,
    info_block,
    legend,
    notes,
    paper_notes,
    recusal_word,
    revision_notes,
    score_cells,
    signature_block,
    txt,
)
from ..layout import content_width, p, styles
from ..model import JudgeSheet
from ..words import judge_name, langs, plain, w, ws

LANDSCAPE = True


def story(event: Event, sheet: JudgeSheet, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE)
    judge = event.judge(sheet.judge)
    by_contestant = {sc.contestant: sc for sc in sheet.scores}
    n = len(event.criteria)
    no_w, who_w, total_w, status_w = 9 * mm, 46 * mm, 14 * mm, 22 * mm
    crit_w = min(max((width - no_w - who_w - total_w - status_w - 50 * mm) / n, 13 * mm),
                 20 * mm)
    comment_w = width - no_w - who_w - total_w - status_w - n * crit_w
    header = [ws("order", lg), ws("contestant", lg), *criterion_headers(event),
              f"{ws('total', lg)}\n/{plain(event.rubric_max)}", ws("comment", lg),
              ws("status", lg)]
    rows: list[list[Cell]] = []
    extra: list[tuple[Any, ...]] = []
    for contestant in sorted(event.contestants, key=lambda c: (c.order, c.id)):
        who = txt(f"{contestant.id} {contestant.name}\n{contestant.organisation}", who_w)
        order = str(contestant.order or "")
        scored = by_contestant.get(contestant.id)
        if judge is not None and event.is_recused(judge, contestant):
            rows.append([order, who, p(recusal_word(event, judge, contestant), s.cell_c)]
                        + [""] * (n + 2))
            extra.append(("SPAN", (2, len(rows)), (-1, len(rows))))  # row 0 is the header
            continue
        seat_excused = any(e.covers(contestant.id) for e in sheet.excused)
        if scored is None:
            rows.append([order, who] + ["—"] * (n + 2) + [fitted(
                ws("excused" if seat_excused else "not_scored", lg), s.cell_c, status_w)])
            continue
        values, total, status = score_cells(event, scored, sheet.overrides,
                                            excused=seat_excused)
        comment = scored.current.comment
        rows.append([order, who, *values, total, p(comment, s.cell) if comment else "",
                     fitted(status, s.cell_c, status_w)])
    info = [
        (w("judge", lg), f"{sheet.judge} {judge_name(event, sheet.judge)}"),
        (w("affiliation", lg), judge.affiliation if judge else ""),
    ]
    body: list[Flowable] = [
        info_block(info, width), Spacer(1, 3 * mm),
        grid(header, rows, [no_w, who_w] + [crit_w] * n + [total_w, comment_w, status_w],
             extra=[*extra, ("ALIGN", (0, 1), (0, -1), "CENTER")], numeric_from=2),
        Spacer(1, 1.5 * mm),
        legend(event, ["legend_revised", "legend_override", "legend_recused"]),
    ]
    lines = revision_notes(event, sheet.scores, sheet.overrides, name_contestant=True,
                           zone=zone)
    if lines:
        body += [heading(w("revisions", lg)), *notes(lines)]
    paper = paper_notes(event, sheet.scores, name_contestant=True)
    if paper:
        body += [heading(w("paper_head", lg)), *notes(paper)]
    if sheet.excused:
        body += [heading(w("excused_head", lg)), *notes(excusal_lines(event, sheet.excused))]
    body.append(signature_block(event, [(w("sign_judge", lg), judge_name(event, sheet.judge))],
                                width / 2, per_row=1))
    return body
