"""Contestant sheet: every judge's values by criterion for one contestant, recused, dropped,
withdrawn and excused judges marked (an excused seat with the head judge's reason),
revisions and overrides with both values and the reason, then the components, final score,
rank and prize; the head judge signs it."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sync.event import Event

from ..layout import content_width
from ..model import ContestantSheet
from ..widgets import (
    contestant_info_block,
    excusal_lines,
    heading,
    legend,
    notes,
    result_block,
    revision_notes,
    score_matrix,
    scoring_notes,
    signature_block,
)
from ..words import langs, w

LANDSCAPE = False


def story(event: Event, sheet: ContestantSheet, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    width = content_width(LANDSCAPE)
    body: list[Flowable] = [
        contestant_info_block(event, sheet.contestant, width), Spacer(1, 3 * mm),
        score_matrix(event, sheet.contestant, sheet.scores, sheet.overrides, sheet.placing,
                     width, sheet.excused),
        Spacer(1, 1.5 * mm),
        legend(event, ["legend_revised", "legend_override", "legend_dropped", "legend_recused"]),
    ]
    lines = revision_notes(event, sheet.scores, sheet.overrides, name_contestant=False,
                           zone=zone)
    if lines:
        body += [heading(w("revisions", lg)), *notes(lines)]
    if sheet.excused:
        body += [heading(w("excused_head", lg)),
                 *notes(excusal_lines(event, sheet.excused, contestants=False))]
    if sheet.placing is not None:
        body += [heading(w("result", lg)), result_block(event, sheet.placing, width),
                 Spacer(1, 1.5 * mm), *notes(scoring_notes(event))]
    body.append(signature_block(event, [(w("sign_head", lg), "")], width / 2, per_row=1))
    return body
