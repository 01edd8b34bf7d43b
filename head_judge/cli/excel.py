"""`head-judge import-contestants` and `head-judge export`: Excel in and out.

`import-contestants` maps an organiser's registration workbook into the event's contestants
file (`sync.registration`); `export --xlsx` writes results, judges' sheets and the audit
trail from the master in `--home` (`head_judge.export`). Both are thin: a problem in the
input is raised as `InputProblems` and printed by `KioskGroup`, exit code 2, nothing written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sync.problems import InputProblems
from sync.registration import import_contestants as run_import

from ..actions import HeadJudge
from ..glyphs import unprintable_texts
from ..master import Master
from ..refusals import Message
from .common import LANGUAGES, echo_error, echo_said, existing_master, now


@click.command("import-contestants")
@click.argument("workbook", metavar="WORKBOOK.xlsx", type=click.Path(dir_okay=False))
@click.option("--mapping", required=True, metavar="MAPPING.toml",
              type=click.Path(dir_okay=False),
              help="Which header or cell gives each contestant column (see "
                   "docs/event-file.md).")
@click.option("--out", required=True, metavar="contestants.csv",
              type=click.Path(dir_okay=False, path_type=Path),
              help="The contestants file to write (UTF-8 with BOM, opens in Excel).")
@click.option("--event", "event_file", metavar="EVENT.toml", type=click.Path(dir_okay=False),
              help="Also check that this event file loads with the imported contestants "
                   "(tracks, groups, judges); nothing is written if it does not. Warns of "
                   "an organisation close to a judge's affiliation but not the same.")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def import_contestants(workbook: str, mapping: str, out: Path, event_file: str | None,
                       force: bool) -> None:
    """Import contestants from a registration workbook (XLSX, every sheet; save an .xls or
    .ods as .xlsx first) through a column mapping; only mapped columns are read, personal
    data stays behind, duplicate people are refused naming both cells (报名表导入)."""
    try:
        imported = run_import(workbook, mapping, out, event=event_file, overwrite=force)
    except InputProblems as exc:
        for problem in exc.problems:
            echo_error(problem)
        sys.exit(2)
    rows = imported.rows
    sheets = len(dict.fromkeys(r.sheet for r in rows))
    echo_said(Message("cli_contestants_written", n=len(rows), sheets=sheets, out=out),
              LANGUAGES)
    people = unprintable_texts(
        (Message("unprintable_row", place=row.place, name=row.values.get("name", "")),
         "".join(row.values.values())) for row in rows)
    if people:  # written, but no sheet can print them until the names are corrected
        echo_said(Message("warn_unprintable", people=people), LANGUAGES, err=True)
    for warning in imported.warnings:  # each says "注意" / "warning" itself
        echo_said(warning, LANGUAGES, err=True)


@click.command("export")
@click.option("--xlsx", "xlsx", required=True, metavar="FILE.xlsx",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Workbook to write (replaced if it exists).")
@click.pass_context
def export(ctx: click.Context, xlsx: Path) -> None:
    """Export results, every judge's sheets and the audit trail to Excel (导出 Excel)."""
    if xlsx.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"{xlsx}: expected a file name ending in .xlsx",
                                 param_hint="--xlsx")
    from ..export import export_xlsx  # openpyxl only for this command

    at = now()
    existing_master(ctx.obj["home"])
    with Master.open(ctx.obj["home"], now=at) as master:
        done = export_xlsx(HeadJudge(master), xlsx, now=at)
        languages = master.event.languages
    echo_said(Message("cli_exported", path=done.path, results=done.results, sheets=done.sheets,
                      audit=done.audit), languages)


COMMANDS = (import_contestants, export)
