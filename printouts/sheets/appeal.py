"""Appeal dossier and decision: the appeal, every sheet and revision of its contestant with
signature status, every ledger entry touching them in order with the checkpoints that cover
them, the preview of a proposed correction, and the decision with its reason, signed by each
member of the appeals committee who decided it, by name, and the head judge."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from sync.entry_kinds import ENTRY_KINDS
from sync.event import Event

from ..flowables import (
    Cell,
    contestant_info_block,
    fitted,
    grid,
    heading,
    info_block,
    legend,
    notes,
    paper_notes,
    result_block,
    revision_notes,
    score_matrix,
    signature_block,
)
from ..fonts import MONO
from ..layout import Lines, content_width, p, styles
from ..model import AppealDossier
from ..words import WORDS, langs, show_time, w, ws

LANDSCAPE = False


def story(event: Event, sheet: AppealDossier, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE)
    about = [(w("appeal", lg), sheet.appeal),
             (w("filed_at", lg), show_time(sheet.filed_at, zone)),
             (w("filed_by", lg), sheet.filed_by), (w("ground", lg), sheet.ground)]
    if sheet.category != "calculation":
        about.append((w("category", lg), w(f"category.{sheet.category}", lg)))
    if sheet.evidence:  # a line each, in one cell: the pairs beside stay side by side
        about.append((w("evidence", lg), "\n".join(sheet.evidence)))
    if sheet.replies:
        about.append((w("replies", lg), "\n".join(sheet.replies)))
    body: list[Flowable] = []
    if sheet.moved_contestant:
        body.append(Lines(w("page_of", lg, contestant=sheet.moved_contestant), s.warn))
    body += [
        info_block(about, width),
        Spacer(1, 2 * mm),
        contestant_info_block(event, sheet.contestant, width),
        heading(w("scores", lg)),
        score_matrix(event, sheet.contestant, sheet.scores, sheet.overrides, sheet.placing, width),
        Spacer(1, 1.5 * mm),
        legend(event, ["legend_revised", "legend_override", "legend_dropped", "legend_recused"]),
        *notes(revision_notes(event, sheet.scores, sheet.overrides, name_contestant=False,
                              zone=zone)),
        *notes(paper_notes(event, sheet.scores, name_contestant=False)),
    ]
    if sheet.placing is not None:
        body += [heading(w("result", lg)), result_block(event, sheet.placing, width)]
    body.append(heading(w("history", lg)))
    header = [ws(k, lg) for k in ("position", "at", "actor", "action", "detail", "signature")]
    fixed = [13 * mm, 24 * mm, 20 * mm, 24 * mm, 0, 22 * mm]
    fixed[4] = width - sum(fixed)
    fixed_sig = fixed[5]
    rows: list[list[Cell]] = []
    for h in sheet.history:
        signature = {"verified": ws("signature_ok", lg), "invalid": ws("signature_bad", lg),
                     "": "—"}[h.signature]
        actor = ws(f"actor.{h.actor}", lg) if f"actor.{h.actor}" in WORDS else h.actor
        action = ENTRY_KINDS.stacked(h.action, lg) if h.action in ENTRY_KINDS else h.action
        rows.append([str(h.position), p(show_time(h.at, zone), s.cell), p(actor, s.cell),
                     p(action, s.cell), p(h.detail, s.cell),
                     fitted(signature, s.cell_c, fixed_sig)])
    body.append(grid(header, rows, fixed, extra=[("ALIGN", (0, 1), (0, -1), "CENTER"),
                                                 ("ALIGN", (5, 1), (5, -1), "CENTER")]))
    if sheet.checkpoints:
        body.append(heading(w("checkpoints", lg)))
        header = [ws(k, lg) for k in ("size", "root", "at")]
        rows = []
        for cp in sheet.checkpoints:
            rows.append([str(cp.size), cp.root, p(show_time(cp.at, zone), s.cell)])
        body.append(grid(header, rows, [18 * mm, width - 18 * mm - 40 * mm, 40 * mm],
                         extra=[("FONT", (1, 1), (1, -1), MONO, 7.2, 9),
                                ("ALIGN", (0, 1), (0, -1), "CENTER")]))
    if sheet.preview:
        body += [heading(w("preview", lg)), *notes(list(sheet.preview))]
    body.append(heading(w("decision", lg)))
    d = sheet.decision
    if d is None:
        body.append(Lines(w("pending", lg), s.body))
    else:
        body.append(info_block([(w("decision", lg), w(f"outcome.{d.outcome}", lg)),
                                (w("at", lg), show_time(d.decided_at, zone)),
                                (w("committee", lg), "、".join(d.committee) or "—"),
                                (w("reason", lg), d.reason)]
                               + ([(w("correction", lg), "\n".join(d.correction)),
                                   (w("moved", lg), "、".join(d.moved) or "—")]
                                  if d.correction else []),
                               width))
        if d.votes:  # each member signs beside their own vote (a conflict too: declared)
            body.append(heading(w("votes", lg)))
            voted: list[list[Cell]] = [
                [p(member, s.cell), p(w("vote.conflict", lg) if conflict
                                      else w(f"vote.{vote}", lg), s.cell),
                 Spacer(1, 10 * mm), ""]
                for member, vote, conflict in d.votes]
            widths = [0.2 * width, 0.3 * width, 0.32 * width, 0.18 * width]
            body.append(grid([w("member", lg), w("vote", lg), w("member_signature", lg),
                              w("date", lg)], voted, widths))
    boxes: list[tuple[str, str]] = []
    if d is None or not d.votes:  # a vote table holds the members' signatures
        boxes = [(w("sign_member", lg), name) for name in (d.committee if d else ())] or [
            (w("sign_committee", lg), "")]
    boxes.append((w("sign_head", lg), sheet.head_judge))
    body.append(signature_block(event, boxes, width, per_row=3))
    return body
