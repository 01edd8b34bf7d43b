"""Discrepancy and override report: every flag the event's rules raised and how it was
resolved, then every head-judge override with both values and the reason; the head judge,
whose decisions these are, signs it."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from sync.event import Event

from ..flowables import Cell, grid, heading, signature_block
from ..layout import Lines, content_width, p, styles
from ..model import DiscrepancyReport
from ..words import (
    actor_name,
    contestant_name,
    judge_name,
    langs,
    plain,
    rule_name,
    show_time,
    w,
    ws,
)

LANDSCAPE = False


def story(event: Event, sheet: DiscrepancyReport, zone: dt.tzinfo) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE)
    body: list[Flowable] = [heading(f"{w('flags', lg)} ({len(sheet.flags)})")]
    if sheet.flags:
        header = [ws(k, lg) for k in (
            "flag", "contestant", "rule", "judges", "detail", "raised", "resolution")]
        rows: list[list[Cell]] = []
        for f in sheet.flags:
            c = event.contestant(f.contestant)
            resolution = ws(f"flag.{f.status}", lg)
            if f.resolution:
                resolution += f"\n{f.resolution}"
            if f.resolved_at:
                resolution += f"\n{show_time(f.resolved_at, zone)}"
            rows.append([
                f.id, p(f"{f.contestant} {c.name if c else ''}", s.cell),
                p(rule_name(f.rule, lg), s.cell),
                p("\n".join(f"{j} {judge_name(event, j)}" for j in f.judges), s.cell),
                p(f.detail, s.cell), p(show_time(f.raised_at, zone), s.cell),
                p(resolution, s.cell),
            ])
        fixed = [13 * mm, 24 * mm, 22 * mm, 16 * mm, 0, 22 * mm, 44 * mm]
        fixed[4] = width - sum(fixed)
        body.append(grid(header, rows, fixed))
    else:
        body.append(Lines(w("nothing", lg), s.body))
    body.append(heading(f"{w('overrides', lg)} ({len(sheet.overrides)})"))
    if sheet.overrides:
        header = [ws(k, lg) for k in (
            "judge", "contestant", "criterion", "before", "after", "reason_head", "by")]
        rows = []
        for o in sheet.overrides:
            criterion = event.criterion(o.criterion)
            rows.append([
                p(f"{o.judge} {judge_name(event, o.judge)}", s.cell),
                p(f"{o.contestant} {contestant_name(event, o.contestant)}", s.cell),
                p(criterion.name.both(lg) if criterion else o.criterion, s.cell),
                plain(o.before), plain(o.after), p(o.reason, s.cell),
                p(f"{actor_name(o.by, lg)}\n{show_time(o.at, zone)}", s.cell),
            ])
        fixed = [22 * mm, 22 * mm, 26 * mm, 13 * mm, 13 * mm, 0, 34 * mm]
        fixed[5] = width - sum(fixed)
        body.append(grid(header, rows, fixed, numeric_from=3))
    else:
        body.append(Lines(w("nothing", lg), s.body))
    body.append(signature_block(event, [(w("sign_head", lg), sheet.head_judge)], width / 2,
                                per_row=1))
    return body
