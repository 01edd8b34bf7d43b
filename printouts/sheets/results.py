"""Results sheet for one scope: which published version it is (or that it is a draft), the
ranking with each judge's total, the components, the final score, prize, advancement and the
honours held (when the event gives honours); the organisation awards (on the last scope's
sheet, each award's table kept on one page); how the scores were combined and how ties were
broken; signature blocks for every judge, the head judge and, when the event has one, the
notary with a box for the notary office's seal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from sync.event import Event
from sync.i18n import honour_names
from sync.zones import recorded_moment, shown_iso

from ..content import tie_notes
from ..flowables import (
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
from ..fonts import TEXT
from ..layout import Lines, content_width, styles
from ..model import OrganisationTable, ResultsSheet
from ..words import advances_word, judge_name, langs, pct, plain, show_time, tier_name, w, ws

LANDSCAPE = True


def _closes(closes: str, published_at: str, zone: dt.tzinfo) -> str:
    """When the appeal window closes, as the console says it: `17:01 +08:00`, with its
    date when that is not the day the version printed was published."""
    when, published = recorded_moment(closes), recorded_moment(published_at)
    if when is None:
        return closes or "—"
    same_day = published is not None and \
        when.astimezone(zone).date() == published.astimezone(zone).date()
    return shown_iso(closes, zone, "%H:%M" if same_day else "%Y-%m-%d %H:%M")


def story(event: Event, sheet: ResultsSheet, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE)
    scope = sheet.scope
    components = event.scoring.components
    advancing = event.advancement is not None
    prizes = bool(event.awards.tiers)  # a round that only advances: no prize column
    honoured = bool(event.honours)  # the event gives honours: a column of those held
    judges = event.judges
    widths = ([11 * mm, 0.0] + [12.5 * mm] * len(judges) + [21 * mm] * len(components)
              + [17 * mm] + ([24 * mm] if prizes else []) + ([15 * mm] if advancing else [])
              + ([26 * mm] if honoured else []))
    widths[1] = min(max(width - sum(widths), 40 * mm), 58 * mm)
    spare = (width - sum(widths)) / (len(widths) - 2)
    widths = widths[:2] + [x + spare for x in widths[2:]]
    header = [ws("rank", lg), ws("contestant", lg)]
    header += [f"{j.id}\n{judge_name(event, j.id)}" for j in judges]
    header += [f"{c.name.stacked(lg)}\n{pct(c.weight)}" for c in components]
    header += [ws("final", lg)] + ([ws("prize", lg)] if prizes else [])
    header += [ws("advances", lg)] if advancing else []
    header += [ws("honours", lg)] if honoured else []
    prize_col = 3 + len(judges) + len(components)  # then advancement, then honours
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
            cells.append(fitted(prize, s.cell_c, widths[prize_col]))
        if advancing:
            cells.append(fitted(advances_word(placing.advances, lg), s.cell_c,
                                widths[prize_col + prizes]))
        if honoured:
            held = honour_names(event, placing.honours, lg, stacked=True) or "—"
            cells.append(fitted(held, s.cell_c, widths[-1]))
        rows.append(cells)
    final_col = 2 + len(judges) + len(components)
    extra: list[tuple[Any, ...]] = [("FONT", (final_col, 1), (final_col, -1), TEXT, 9, 11),
                                    ("ALIGN", (0, 1), (0, -1), "CENTER")]
    body: list[Flowable] = []
    if sheet.version is not None:
        body.append(Lines(w("published_version", lg, n=sheet.version,
                            at=show_time(sheet.published_at, zone)), s.h2))
        if sheet.state:
            body.append(Lines(w(f"state_{sheet.state}", lg,
                                closes=_closes(sheet.appeals_close, sheet.published_at, zone)),
                              s.warn if sheet.state == "provisional" else s.body))
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
    body += organisation_tables(event, sheet.organisations, width)
    boxes = [(f"{w('sign_judge', lg)} · {j.id}", judge_name(event, j.id)) for j in judges]
    boxes.append((w("sign_head", lg), sheet.head_judge))
    if event.notary:
        boxes.append((w("sign_notary", lg), sheet.notary))
    body.append(signature_block(event, boxes, width, per_row=4, title=w("signatures", lg),
                                seal=w("notary_seal", lg) if event.notary else ""))
    return body


def organisation_tables(event: Event, tables: Sequence[OrganisationTable], width: float
                        ) -> list[Flowable]:
    """The organisation awards over the whole event: a heading, then per award its name and
    a table (rank, organisation, score, contestants, awarded), each kept on one page."""
    if not tables:
        return []
    lg = langs(event)
    s = styles()
    widths = [13 * mm, 70 * mm, 20 * mm, 0.0, 24 * mm]
    widths[3] = width - sum(widths)
    header = [ws("rank", lg), ws("organisation", lg), ws("org_score", lg),
              ws("org_contestants", lg), ws("awarded", lg)]
    out: list[Flowable] = [Spacer(1, 3 * mm)]
    for index, table in enumerate(tables):
        award = next((a for a in event.organisation_awards if a.id == table.award), None)
        rows: list[list[Cell]] = []
        for place in table.ranking:
            awarded = {True: w("awarded_yes", lg), False: "",
                       None: w("undecided", lg)}[place.awarded]
            rows.append([str(place.rank), txt(place.organisation, widths[1]), str(place.score),
                         txt(", ".join(place.contestants), widths[3]),
                         fitted(awarded, s.cell_c, widths[4])])
        out.append(KeepTogether([  # the section's heading stays with its first table
            *([heading(w("organisation_awards", lg))] if index == 0 else []),
            Lines(award.name.both(lg) if award else table.award, s.h2),
            grid(header, rows, widths, extra=[("ALIGN", (0, 1), (0, -1), "CENTER"),
                                              ("ALIGN", (2, 1), (2, -1), "CENTER"),
                                              ("ALIGN", (4, 1), (4, -1), "CENTER")]),
            Spacer(1, 2 * mm)]))
    return out
