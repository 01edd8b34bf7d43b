"""`head-judge tabulate`: results from sheets in files, with no master (CSV or XLSX sheets,
components' values and absences); exit 2 for bad input, 3 when sheets, values or tie decisions
are missing."""


from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import click

from sync.event import Event, Text
from sync.event_file import load_event
from sync.problems import InputProblems, Problem, Said, os_reason

from ..paper import read_component, read_sheets, sheets_header
from ..report import print_results
from ..scoring import PanelSheet, Results
from ..scoring import tabulate as tabulate_results
from .common import echo_error


def _component_option(_ctx: click.Context, _param: click.Parameter,
                      values: tuple[str, ...]) -> list[tuple[str, Path]]:
    pairs = []
    for value in values:
        cid, sep, file = value.partition("=")
        if not sep or not cid or not file:
            raise click.BadParameter(f"{value!r}: expected ID=FILE.csv, e.g. data=data.csv")
        pairs.append((cid, Path(file)))
    return pairs


EXIT_INCOMPLETE = 3
"""`tabulate`: the results are printed, but sheets, imported values or decisions are missing."""


@click.command(epilog="""\b
Exit codes:
  0  complete: every sheet of every contestant's panel and every imported
     value is in, and no tie waits for a decision (or incomplete, with
     --allow-incomplete: the list is then printed as a warning)
  2  bad input: every problem is listed, nothing is computed or written
  3  incomplete: the results are printed, then (on stderr) which judge's
     sheet for which contestant, which value for whom, which tie is missing""")
@click.argument("event_file", metavar="EVENT.toml", type=click.Path(dir_okay=False))
@click.option("--scores", "scores", default=None, metavar="SHEETS.csv",
              type=click.Path(dir_okay=False),
              help="Judges' sheets (CSV or XLSX): judge, contestant, then one column per "
                   "criterion headed by its id or its name in any of the event's languages "
                   "(`创意` or `Creativity`). Required unless --template.")
@click.option("--component", "components", multiple=True, metavar="ID=FILE.csv",
              callback=_component_option,
              help="Values of an imported component: contestant,value. Repeatable.")
@click.option("--absent", "absent", multiple=True, metavar="ID",
              help="A contestant who did not compete: no sheets or values expected (a sheet "
                   "for them is an error). Repeatable.")
@click.option("--allow-incomplete", is_flag=True,
              help="Exit 0 even when sheets, values or tie decisions are missing; what is "
                   "missing is still listed, as a warning.")
@click.option("--json", "as_json", is_flag=True, help="Print the results document as JSON.")
@click.option("--template", is_flag=True,
              help="Instead of tabulating, write the sheets CSV header for EVENT.toml: "
                   "judge,contestant,<criterion ids> (criterion names are accepted too when "
                   "reading).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE.csv",
              help="With --template: write the header to this new file (never overwritten) "
                   "instead of standard output.")
def tabulate(event_file: str, scores: str | None, components: list[tuple[str, Path]],
             absent: tuple[str, ...], allow_incomplete: bool, as_json: bool, template: bool,
             out: Path | None) -> None:
    """Compute results from paper sheets, with no server at all (the paper fallback).

    `head-judge tabulate EVENT.toml --template [--out FILE.csv]` writes the header of an
    empty sheets file instead.
    """
    if template:
        used = [name for name, given in (("--scores", scores), ("--component", components),
                                         ("--absent", absent), ("--json", as_json),
                                         ("--allow-incomplete", allow_incomplete)) if given]
        if used:
            raise click.UsageError(f"--template writes the header only; leave out "
                                   f"{', '.join(used)}")
        _write_template(event_file, out)
        return
    if out is not None:
        raise click.UsageError("--out goes with --template; results go to standard output")
    if scores is None:
        raise click.UsageError("Missing option '--scores' (or --template for an empty file)")
    event = load_event(event_file)
    try:
        results = _tabulate_files(event, scores, components, absent)
    except InputProblems as exc:
        _exit_with_problems(exc.problems, event.languages)
    if as_json:
        click.echo(json.dumps(results.to_document(with_missing=True), ensure_ascii=False,
                              indent=1))
    else:
        print_results(event, results)
    if results.complete:
        return
    head = "incomplete_allowed" if allow_incomplete else "incomplete"
    lines = [Said(head, option="--allow-incomplete"), *incomplete_lines(event, results)]
    for index, line in enumerate(lines):
        for text in dict.fromkeys(line.render(lang) for lang in _languages(event.languages)):
            click.echo(f"  {text}" if index else text, err=True)
    if not allow_incomplete:
        sys.exit(EXIT_INCOMPLETE)


def _tabulate_files(event: Event, scores: str, components: list[tuple[str, Path]],
                    absent: tuple[str, ...]) -> Results:
    """Read every input, collecting every problem, then tabulate."""
    problems: list[Problem] = [
        Problem("--absent", "", Said("unknown_contestant", contestant=repr(cid)))
        for cid in absent if event.contestant(cid) is None]
    sheets: list[PanelSheet] = []
    imported: dict[str, dict[str, Decimal]] = {}
    try:
        sheets = read_sheets(event, scores, absent=frozenset(absent))
    except InputProblems as exc:
        problems.extend(exc.problems)
    for cid, path in components:
        try:
            imported[cid] = read_component(event, cid, path)
        except InputProblems as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputProblems(problems)
    excused = {(judge.id, contestant.id) for contestant in event.contestants
               if contestant.id in absent for judge in event.panel_for(contestant)}
    return tabulate_results(event, sheets, imported, excused=excused)


def incomplete_lines(event: Event, results: Results) -> list[Said]:
    """What keeps `results` from being complete, one phrase a line: each contestant's missing
    sheets (by judge) and imported values, then each undecided tie."""
    lines: list[Said] = []
    for m in results.missing:
        contestant = event.contestant(m.contestant)
        who = f"{m.contestant} {contestant.name}" if contestant else m.contestant
        if m.absent:  # their imported values are beside the point
            lines.append(Said("missing_all_sheets", contestant=who, judges=", ".join(m.sheets),
                              option=f"--absent {m.contestant}"))
            continue
        if m.sheets:
            lines.append(Said("missing_sheets", contestant=who, judges=", ".join(m.sheets)))
        if m.components:
            lines.append(Said("missing_components", contestant=who,
                              components=", ".join(m.components)))
    for u in results.unresolved:
        if u.kind in ("missing_sheets", "missing_component"):
            continue  # listed above, judge by judge
        if u.kind in ("tie_prize", "tie_advancement", "tie_honour"):
            lines.append(Said(f"unresolved_{u.kind}", contestants=", ".join(u.contestants)))
        elif u.kind == "tie_organisation":
            lines.append(Said("unresolved_tie_organisation", contestants=", ".join(u.contestants),
                              award=_tied_award(event, results, u.contestants)))
        else:
            lines.append(Said("unresolved_other", reason=u.reason))
    return lines


def _tied_award(event: Event, results: Results, organisations: Sequence[str]) -> Text | str:
    """The name of the organisation award whose last place `organisations` tie across (the
    one whose undecided standings are exactly they)."""
    for ranking in results.organisations:
        if {s.organisation for s in ranking.ranking if s.awarded is None} == set(organisations):
            award = next((a for a in event.organisation_awards if a.id == ranking.award), None)
            return award.name if award else ranking.award
    return ""


def _languages(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The event's languages, primary first, then any of Chinese and English it lacks."""
    return tuple(dict.fromkeys((*languages, "zh", "en")))


def _exit_with_problems(problems: tuple[Problem, ...] | list[Problem],
                        languages: tuple[str, ...]) -> NoReturn:
    """Every problem in each language (once when it reads the same), then exit 2."""
    for problem in problems:
        echo_error(problem, _languages(languages))
    sys.exit(2)


def _write_template(event_file: str, out: Path | None) -> None:
    event = load_event(event_file)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(sheets_header(event))
    if out is None:
        click.echo(buffer.getvalue(), nl=False)
        return
    try:
        with out.open("x", encoding="utf-8", newline="") as file:
            file.write(buffer.getvalue())
    except FileExistsError:
        _exit_with_problems([Problem(str(out), "", Said("file_exists"))], event.languages)
    except OSError as exc:
        _exit_with_problems([Problem(str(out), "", Said("unwritable", error=os_reason(exc)))],
                            event.languages)




COMMANDS = (tabulate,)
