"""`head-judge panel-report`: the confidential panel report (`head_judge.panel`) for the head
judge: how each judge scored and which results hang on a single judge. As text (the event's
languages), `--json`, or `--pdf FILE` (marked 保密 CONFIDENTIAL on every page). It is not
part of the public pack and changes no result."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from printouts.words import langs, scope_name, w, ws
from sync.event import Event
from sync.zones import event_zone

from ..master import DB_FILE, MasterError
from ..refusals import message
from .common import echo_error, echo_json, head_judge, now


def print_panel_report(event: Event, report: dict[str, Any]) -> None:
    from printouts.sheets.panel import result_now, result_without  # loads ReportLab

    out = Console(soft_wrap=False, width=200)
    out.print(f"{w('panel.title', langs(event))} · {w('panel.confidential', langs(event))}",
              style="bold", highlight=False)
    out.print(w("panel.note", langs(event)), highlight=False)
    scopes = list(dict.fromkeys((j["track"], j["group"]) for j in report["judges"]))
    for track, group in scopes:
        table = Table(title=scope_name(event, track, group), title_justify="left",
                      box=box.SIMPLE_HEAD)
        for key in ("judge", "panel.sheets", "panel.mean_total", "panel.deviation",
                    "panel.absolute", "panel.high", "panel.low", "panel.flags",
                    "panel.spearman"):
            table.add_column(ws(key, langs(event)), justify="left" if key == "judge"
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
    out.print(w("panel.fragile", langs(event)), style="bold", highlight=False)
    if not report["fragile"]:
        out.print(w("panel.none", langs(event)), highlight=False)
        return
    out.print(w("panel.fragile_note", langs(event)), highlight=False)
    table = Table(box=box.SIMPLE_HEAD)
    for key in ("track", "contestant", "panel.without", "panel.now", "panel.then"):
        table.add_column(ws(key, langs(event)))
    for f in report["fragile"]:
        contestant = event.contestant(f["contestant"])
        judge = event.judge(f["judge"])
        table.add_row(
            scope_name(event, f["track"], f["group"]),
            f"{f['contestant']} {contestant.name if contestant else ''}",
            f"{f['judge']} {judge.name.both(event.languages) if judge else ''}",
            result_now(event, f), result_without(event, f))
    out.print(table, highlight=False)


@click.command("panel-report")
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
        with head_judge(ctx) as head:
            event = head.event
            report = head.panel_report().to_document()
    except MasterError as exc:  # no master in --home, or no event loaded in it: say so
        if exc.message.id != "no_event_loaded" and (home / DB_FILE).exists():
            raise  # another fault (an unreadable record): said as it is
        said = message("no_event_loaded", home=home, command="`head-judge serve EVENT.toml`")
        echo_error(said)
        sys.exit(2)
    if pdf is not None:
        printed = now().astimezone(event_zone(event)).replace(microsecond=0)
        from printouts.sheets.panel import panel_pdf

        pdf.write_bytes(panel_pdf(event, report, printed))
    if as_json:
        echo_json(report)
    else:
        print_panel_report(event, report)
        if pdf is not None:
            click.echo(f"{w('panel.title', langs(event))}: {pdf}")


COMMANDS = (panel_report,)
