"""Contestant sheet: every judge's values by criterion for one contestant, recused, dropped,
withdrawn and excused judges marked (an excused seat with the head judge's reason),
revisions and overrides with both values and the reason, paper sheets with their form's
sheet code and operators, then the components, final score,
rank and prize; absence, the tie-breaks that decided the place, the flags raised and how
each was resolved, and any appeal with its outcome; the head judge signs it."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sync.event import Event, Text

from ..content import tie_notes
from ..flowables import (
    contestant_info_block,
    excusal_lines,
    heading,
    legend,
    notes,
    paper_notes,
    result_block,
    revision_notes,
    score_matrix,
    scoring_notes,
    signature_block,
)
from ..layout import Lines, content_width, styles
from ..model import ContestantSheet
from ..words import WORDS, langs, show_time, w, ws

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
    paper = paper_notes(event, sheet.scores, name_contestant=False)
    if paper:
        body += [heading(w("paper_head", lg)), *notes(paper)]
    if sheet.excused:
        body += [heading(w("excused_head", lg)),
                 *notes(excusal_lines(event, sheet.excused, contestants=False))]
    if sheet.absent:
        body += [Spacer(1, 2 * mm), Lines(w("absent_note", lg), styles().warn)]
    if sheet.placing is not None:
        body += [heading(w("result", lg)), result_block(event, sheet.placing, width),
                 Spacer(1, 1.5 * mm), *notes(scoring_notes(event))]
    ties = tie_notes(event, sheet.scope, sheet.contestant) if sheet.scope is not None else []
    if ties:
        body += [heading(w("contestant_ties", lg)), *notes(ties)]
    if sheet.flags:
        body += [heading(w("contestant_flags", lg)), *notes([
            f"{f.id} · {w(f'rule.{f.rule}', lg)} · {f.detail} · {w(f'flag.{f.status}', lg)}"
            + (f" · {f.resolution}" if f.resolution else "")
            + (f" · {show_time(f.resolved_at, zone)}" if f.resolved_at else "")
            for f in sheet.flags])]
    if sheet.appeals:
        lines = []
        for a in sheet.appeals:
            said = WORDS[f"outcome.{a.outcome}"]
            outcome = said if a.outcome == "open" else Text(*(
                WORDS["decided_on"].get(x).format(outcome=said.get(x), reason=a.reason,
                                                  at=show_time(a.decided_at, zone))
                for x in ("zh", "en")))
            lines.append(ws("appeal_line", lg, appeal=a.appeal,
                            at=show_time(a.filed_at, zone), ground=a.ground, outcome=outcome))
        body += [heading(w("appeals", lg)), *notes(lines)]
    body.append(signature_block(event, [(w("sign_head", lg), sheet.head_judge)], width / 2,
                                per_row=1))
    return body
