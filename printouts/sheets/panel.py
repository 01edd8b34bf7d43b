"""The panel report as a PDF: confidential (保密 across every page), for the head judge
only, outside the record (no sheet code, nothing to verify); it changes no result.

Takes the report's document (`head_judge.panel.PanelReport.to_document()`), so this package
stays below the head judge's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from sync.event import Event

from ..flowables import Cell, grid, heading
from ..layout import Lines, Masthead, build_pdf, content_width, p, styles
from ..words import WORDS, judge_name, langs, scope_name, tier_name, w, ws

LANDSCAPE = True


def panel_pdf(event: Event, report: Mapping[str, Any], printed_at: dt.datetime) -> bytes:
    lg = langs(event)
    names = list(dict.fromkeys(n for n in (event.name.get(x) for x in lg) if n))
    details = " · ".join([event.round.both(lg), event.date.isoformat(), event.venue.both(lg)])
    confidential = w("panel.confidential", lg)
    head = Masthead(
        event_lines=(*names, details),
        title_lines=tuple(dict.fromkeys(WORDS["panel.title"].get(x) for x in lg)),
        subject=confidential, code="", qr="",
        imprint=printed_at.isoformat(sep=" ", timespec="seconds"),
        page_word=tuple(dict.fromkeys(WORDS["page"].get(x) for x in lg)),
        code_label="", hint="", landscape=LANDSCAPE,
        watermark=tuple(dict.fromkeys(WORDS["panel.confidential"].get(x) for x in lg)))
    return build_pdf([(head, story(event, report))], title=w("panel.title", lg),
                     author="finals-kiosk", printed_at=printed_at)


def _outcome(event: Event, prize: str | None, advances: bool | None) -> str:
    lg = langs(event)
    parts = [tier_name(event, prize)] if event.awards.tiers else []
    if advances is not None:
        parts.append(w("panel.advances" if advances else "panel.not_advancing", lg))
    return " · ".join(parts) or w("panel.undecided", lg)


def result_now(event: Event, fragile: Mapping[str, Any]) -> str:
    """A fragile result as it stands, in the event's languages: `3 · 二等奖 Second prize`."""
    return f"{fragile['rank']} · {_outcome(event, fragile['prize'], fragile['advances'])}"


def result_without(event: Event, fragile: Mapping[str, Any]) -> str:
    """The same result without the judge it hangs on, or why there is none."""
    lg = langs(event)
    if fragile.get("no_sheet_without"):
        return w("panel.no_sheet", lg)
    rank = fragile["rank_without"] if fragile["rank_without"] is not None \
        else w("panel.not_ranked", lg)
    return f"{rank} · {_outcome(event, fragile['prize_without'], fragile['advances_without'])}"


def story(event: Event, report: Mapping[str, Any]) -> list[Flowable]:
    lg = langs(event)
    s = styles()
    width = content_width(LANDSCAPE)
    body: list[Flowable] = [Lines(w("panel.note", lg), s.warn), heading(w("panel.judges", lg))]
    scopes = list(dict.fromkeys((j["track"], j["group"]) for j in report["judges"]))
    for track, group in scopes:
        body.append(Lines(scope_name(event, track, group), s.body))
        header = [ws(k, lg) for k in ("judge", "panel.sheets", "panel.mean_total",
                                      "panel.deviation", "panel.absolute", "panel.high",
                                      "panel.low", "panel.flags", "panel.spearman")]
        rows: list[list[Cell]] = [
            [p(f"{j['judge']} {judge_name(event, j['judge'])}", s.cell), j["sheets"],
             j["mean_total"], j["mean_deviation"], j["mean_absolute_deviation"],
             j["dropped_high"], j["dropped_low"], j["flags"], j["spearman"] or "—"]
            for j in report["judges"] if (j["track"], j["group"]) == (track, group)]
        fixed = [0.0] + [26 * mm] * 8
        fixed[0] = width - sum(fixed)
        body.append(grid(header, rows, fixed, numeric_from=1))
    if not report["fragile"]:
        body += [heading(w("panel.fragile", lg)), Lines(w("panel.none", lg), s.body)]
        return body
    header = [ws(k, lg) for k in ("track", "contestant", "panel.without", "panel.now",
                                  "panel.then")]
    rows = []
    for f in report["fragile"]:
        contestant = event.contestant(f["contestant"])
        rows.append([
            p(scope_name(event, f["track"], f["group"]), s.cell),
            p(f"{f['contestant']} {contestant.name if contestant else ''}", s.cell),
            p(f"{f['judge']} {judge_name(event, f['judge'])}", s.cell),
            p(result_now(event, f), s.cell), p(result_without(event, f), s.cell)])
    fixed = [50 * mm, 0.0, 45 * mm, 55 * mm, 55 * mm]
    fixed[1] = width - sum(fixed)
    body.append(KeepTogether([  # the heading and its note stay with the table
        heading(w("panel.fragile", lg)), Lines(w("panel.fragile_note", lg), s.body),
        grid(header, rows, fixed)]))
    return body
