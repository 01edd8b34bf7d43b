"""`head-judge panel-report`: the confidential panel report (`head_judge.panel`) for the head
judge: how each judge scored and which results hang on a single judge. As text (the event's
languages), `--json`, or `--pdf FILE` (marked 保密 CONFIDENTIAL on every page). It is not
part of the public pack and changes no result."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from printouts.words import WORDS
from sync.event import Event
from sync.zones import event_zone

from .cli import main
from .cli_record import _echo_json, _head_judge
from .master import DB_FILE, MasterError
from .refusals import message


def _w(key: str, event: Event, sep: str = " ") -> str:
    return sep.join(dict.fromkeys(WORDS[key].get(x) for x in event.languages))


def _outcome(event: Event, prize: str | None, advances: bool | None) -> str:
    tiers = {t.id: t.name.both(event.languages) for t in event.awards.tiers}
    parts = [tiers.get(prize or "", "—")] if tiers else []
    if advances is not None:
        parts.append(_w("panel.advances" if advances else "panel.not_advancing", event))
    return " · ".join(parts) or _w("panel.undecided", event)


def _then(event: Event, f: dict[str, Any]) -> str:
    """The result without the judge, or why there is none."""
    if f.get("no_sheet_without"):
        return _w("panel.no_sheet", event)
    then = f["rank_without"] if f["rank_without"] is not None \
        else _w("panel.not_ranked", event)
    return f"{then} · {_outcome(event, f['prize_without'], f['advances_without'])}"


def _scope_title(event: Event, track: str, group: str | None) -> str:
    found = event.track(track)
    title = found.name.both(event.languages) if found else track
    if group:
        named = event.group(group)
        title += " · " + (named.name.both(event.languages) if named else group)
    return title


def print_panel_report(event: Event, report: dict[str, Any]) -> None:
    out = Console(soft_wrap=False, width=200)
    out.print(f"{_w('panel.title', event)} · {_w('panel.confidential', event)}",
              style="bold", highlight=False)
    out.print(_w("panel.note", event), highlight=False)
    scopes = list(dict.fromkeys((j["track"], j["group"]) for j in report["judges"]))
    for track, group in scopes:
        table = Table(title=_scope_title(event, track, group), title_justify="left",
                      box=box.SIMPLE_HEAD)
        for key in ("judge", "panel.sheets", "panel.mean_total", "panel.deviation",
                    "panel.absolute", "panel.high", "panel.low", "panel.flags",
                    "panel.spearman"):
            table.add_column(_w(key, event, "\n"), justify="left" if key == "judge"
                             else "right")
        for j in report["judges"]:
            if (j["track"], j["group"]) != (track, group):
                continue
            judge = event.judge(j["judge"])
            name = judge.name.both(event.languages) if judge else ""
            table.add_row(f"{j['judge']} {name}", str(j["sheets"]), j["mean_total"],
                          j["mean_deviation"], j["mean_absolute_deviation"],
                          str(j["dropped_high"]), str(j["dropped_low"]), str(j["flags"]),
                          j["spearman"] or "—")
        out.print(table, highlight=False)
    out.print(_w("panel.fragile", event), style="bold", highlight=False)
    if not report["fragile"]:
        out.print(_w("panel.none", event), highlight=False)
        return
    out.print(_w("panel.fragile_note", event), highlight=False)
    table = Table(box=box.SIMPLE_HEAD)
    for key in ("track", "contestant", "panel.without", "panel.now", "panel.then"):
        table.add_column(_w(key, event, "\n"))
    for f in report["fragile"]:
        contestant = event.contestant(f["contestant"])
        judge = event.judge(f["judge"])
        table.add_row(
            _scope_title(event, f["track"], f["group"]),
            f"{f['contestant']} {contestant.name if contestant else ''}",
            f"{f['judge']} {judge.name.both(event.languages) if judge else ''}",
            f"{f['rank']} · {_outcome(event, f['prize'], f['advances'])}",
            _then(event, f))
    out.print(table, highlight=False)


@main.command("panel-report")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the report as a PDF marked confidential to this file.")
@click.pass_context
def panel_report(ctx: click.Context, as_json: bool, pdf: Path | None) -> None:
    """The confidential panel report for the head judge (评委组分析报告): each judge's
    leniency and consistency per ranking, and every result that would change without one
    judge. Informs only: changes no result, not part of the public pack."""
    home = Path(ctx.obj["home"])
    try:
        with _head_judge(ctx) as head:
            event = head.event
            report = head.panel_report().to_document()
    except MasterError as exc:  # no master in --home, or no event loaded in it: say so
        if exc.message.id != "no_event_loaded" and (home / DB_FILE).exists():
            raise  # another fault (an unreadable record): said as it is
        said = message("no_event_loaded", home=home, command="`head-judge serve EVENT.toml`")
        click.echo(f"错误：{said.render('zh')}\nerror: {said.render('en')}", err=True)
        sys.exit(2)
    if pdf is not None:
        from printouts.sheets.panel import panel_pdf  # reportlab: only when a PDF is asked for

        printed = dt.datetime.now(event_zone(event)).replace(microsecond=0)
        pdf.write_bytes(panel_pdf(event, report, printed))
    if as_json:
        _echo_json(report)
    else:
        print_panel_report(event, report)
        if pdf is not None:
            click.echo(f"{_w('panel.title', event)}: {pdf}")
