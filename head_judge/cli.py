"""`head-judge`: the master's command line. A thin layer over the Python API; every
user mistake ends with the problems listed, one per line, and exit code 2."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import platformdirs

from sync.event_file import load_event
from sync.problems import InputProblems, Problem

from .paper import read_component, read_sheets
from .report import print_results
from .scoring import PanelSheet
from .scoring import tabulate as tabulate_results


class KioskGroup(click.Group):
    """Turns `InputProblems` from any command into a clean list of problems and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputProblems as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(2)


@click.group(cls=KioskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home", type=click.Path(file_okay=False, path_type=Path),
    default=lambda: platformdirs.user_data_dir("finals-kiosk", appauthor=False),
    show_default="the platform's user data folder", help="Data folder of this master.",
)
@click.version_option(package_name="finals-kiosk")
@click.pass_context
def main(ctx: click.Context, home: Path) -> None:
    """Head judge's master for an on-site final (总裁判长主控)."""
    ctx.obj = {"home": home}


def _component_option(_ctx: click.Context, _param: click.Parameter,
                      values: tuple[str, ...]) -> list[tuple[str, Path]]:
    pairs = []
    for value in values:
        cid, sep, file = value.partition("=")
        if not sep or not cid or not file:
            raise click.BadParameter(f"{value!r}: expected ID=FILE.csv, e.g. data=data.csv")
        pairs.append((cid, Path(file)))
    return pairs


@main.command()
@click.argument("event_file", metavar="EVENT.toml", type=click.Path(dir_okay=False))
@click.option("--scores", "scores", required=True, metavar="SHEETS.csv",
              type=click.Path(dir_okay=False),
              help="Judges' sheets: judge,contestant,<criterion ids...> (CSV or XLSX).")
@click.option("--component", "components", multiple=True, metavar="ID=FILE.csv",
              callback=_component_option,
              help="Values of an imported component: contestant,value. Repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the results document as JSON.")
def tabulate(event_file: str, scores: str, components: list[tuple[str, Path]],
             as_json: bool) -> None:
    """Compute results from paper sheets, with no server at all (the paper fallback)."""
    event = load_event(event_file)
    problems: list[Problem] = []
    sheets: list[PanelSheet] = []
    imported: dict[str, dict[str, Decimal]] = {}
    try:
        sheets = read_sheets(event, scores)
    except InputProblems as exc:
        problems.extend(exc.problems)
    for cid, path in components:
        try:
            imported[cid] = read_component(event, cid, path)
        except InputProblems as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputProblems(problems)
    results = tabulate_results(event, sheets, imported)
    if as_json:
        click.echo(json.dumps(results.to_document(), ensure_ascii=False, indent=1))
    else:
        print_results(event, results)
