"""`head-judge`: the master's command line. A thin layer over the Python API; every
user mistake ends with the problems listed, one per line, and exit code 2 (`tabulate` also
exits 3 when its results lack sheets, imported values or tie decisions)."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import datetime as dt
import io
import json
import logging
import sqlite3
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import click
import platformdirs

from sync.event import Event, Text
from sync.event_file import load_event
from sync.identity import IdentityError
from sync.problems import InputProblems, Problem, Said, os_reason
from sync.zones import event_zone, with_offset

from .checkpoints import DEFAULT_CHECKPOINT_INTERVAL
from .cli_common import existing_master
from .cli_common import now as clock_now
from .enrolment import STANDBY
from .master import DB_FILE, DEFAULT_CODE_TTL, Master, MasterError, damaged
from .paper import read_component, read_sheets, sheets_header
from .report import print_results
from .scoring import PanelSheet, Results
from .scoring import tabulate as tabulate_results


class KioskGroup(click.Group):
    """Turns `InputProblems` (and the master's refusals) from any command into a clean list of
    problems and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputProblems as exc:
            for problem in exc.problems:
                if isinstance(problem.message, Said):  # from the catalogue: Chinese first
                    click.echo(f"错误：{problem.render('zh')}", err=True)
                click.echo(f"error: {problem}", err=True)
            sys.exit(2)
        except MasterError as exc:
            zh = exc.message.render("zh")
            if zh != str(exc):  # a sentence of the catalogue: Chinese first, as users read
                click.echo(f"错误：{zh}", err=True)
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except IdentityError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except sqlite3.DatabaseError as exc:  # found damaged after it was opened
            refusal = damaged(Path(ctx.obj["home"]) / DB_FILE, exc)
            click.echo(f"错误：{refusal.message.render('zh')}", err=True)
            click.echo(f"error: {refusal}", err=True)
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


EXIT_INCOMPLETE = 3
"""`tabulate`: the results are printed, but sheets, imported values or decisions are missing."""


@main.command(epilog="""\b
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
        for lang in _languages(languages):
            text = problem.render(lang)
            if lang != "en" and text == str(problem):
                continue  # plain English only: said once, below
            click.echo(("错误：" if lang == "zh" else "error: ") + text, err=True)
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


@main.command()
@click.argument("event_file", metavar="EVENT.toml", type=click.Path(dir_okay=False))
@click.option("--host", default="0.0.0.0", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0: any free port).")
@click.option("--no-mdns", is_flag=True, help="Do not advertise the master on the LAN.")
@click.option("--headless", is_flag=True,
              help="No console: run the server alone with plain log lines (Ctrl-C stops).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Console language at start (default: the event's first; F4 switches).")
@click.option("--checkpoint-minutes", default=DEFAULT_CHECKPOINT_INTERVAL / 60,
              show_default=True, type=click.FloatRange(0.01, 24 * 60),
              help="Minutes between the checkpoints the master signs while the ledger grows.")
@click.option("--screen-port", default=8766, show_default=True, type=click.IntRange(0, 65535),
              help="Plain-HTTP port of the audience's screen: /screen, /overlay, /results "
              "(0: any free port, printed at start).")
@click.option("--no-screen", is_flag=True, help="Do not serve the audience's screen.")
@click.pass_context
def serve(ctx: click.Context, event_file: str, host: str, port: int, no_mdns: bool,
          headless: bool, lang: str | None, checkpoint_minutes: float, screen_port: int,
          no_screen: bool) -> None:
    """Run the master for a final: the server, its mDNS advertisement, the audience's screen
    and the head judge's console in one process (Ctrl+Q quits); --headless for the servers
    alone."""
    checkpoint_interval = checkpoint_minutes * 60
    screen = None if no_screen else screen_port
    if not headless and not (sys.stdin.isatty() and sys.stdout.isatty()):
        headless = True  # started by a script or a service: no screen for the console
    if not headless:
        from .console.run import run_console  # Textual only for the console
        from .console.serving import ServeOptions

        code, problem = run_console(ctx.obj["home"], Path(event_file),
                                    ServeOptions(host, port, not no_mdns, checkpoint_interval,
                                                 screen_port=screen),
                                    lang)
        if problem:
            click.echo(f"error: {problem}", err=True)
            sys.exit(2)
        sys.exit(code)
    from .server import run_master  # aiohttp only for the commands that serve

    logging.basicConfig(level=logging.INFO, stream=sys.stdout, force=True,
                        format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("aiohttp").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_master(ctx.obj["home"], Path(event_file), host, port, not no_mdns,
                               checkpoint_interval=checkpoint_interval, screen_port=screen))


@main.command("enrol-codes")
@click.option("--judge", "judges", multiple=True, metavar="J1",
              help="Seat to issue a code for (repeatable; default: the whole panel).")
@click.option("--ttl-hours", default=DEFAULT_CODE_TTL // dt.timedelta(hours=1),
              show_default=True, type=click.IntRange(1, 24 * 14),
              help="Hours before the codes expire.")
@click.option("--event", "event_file", metavar="EVENT.toml", type=click.Path(dir_okay=False),
              help="Event file, needed before the master has first served the final.")
@click.option("--standby", is_flag=True,
              help="Issue the code of the standby master's seat (`head-judge standby` on the "
                   "spare laptop), instead of the judges' unless --judge is also given.")
@click.pass_context
def enrol_codes(ctx: click.Context, judges: tuple[str, ...], ttl_hours: int,
                event_file: str | None, standby: bool) -> None:
    """Issue one-time enrolment codes, one per judge seat (a new code replaces the old)."""
    event = load_event(event_file) if event_file is not None else None
    if event is not None:  # check the seats before anything is written
        unknown = [j for j in judges if event.judge(j) is None]
        if unknown:
            raise MasterError(f"unknown judge(s) {', '.join(unknown)}; the panel is "
                              + ", ".join(j.id for j in event.judges))
    now = clock_now()
    with Master.open(ctx.obj["home"], event, now=now, allow_event_change=False) as master:
        ttl = dt.timedelta(hours=ttl_hours)
        codes = ([] if standby and not judges else
                 master.issue_codes(list(judges) or None, now=now, ttl=ttl))
        if standby:
            codes.append(master.issue_standby_code(now=now, ttl=ttl))
        lang = master.event.languages[0]
        click.echo(f"head judge fingerprint: {master.identity.fingerprint_text}")
        expires = (now + ttl).astimezone(event_zone(master.event))
        click.echo(f"codes expire at {with_offset(expires, '%Y-%m-%d %H:%M')}; "
                   "each works once")
        for issued in codes:
            judge = issued.judge
            note = "  (seat locked: reopen-seat first)" if master.seat(judge.id).locked else ""
            name = (f"{judge.name.zh} {judge.name.en}" if judge.id == STANDBY
                    else judge.name.get(lang))
            click.echo(f"{judge.id}\tseat {issued.code.seat}\t{name}\t"
                       f"{issued.code.encode()}{note}")


@main.command("reopen-seat")
@click.argument("judge", metavar="J1")
@click.option("--reason", required=True, help="Why the seat is reopened (kept in the ledger).")
@click.pass_context
def reopen_seat(ctx: click.Context, judge: str, reason: str) -> None:
    """Unlock a judge's seat after too many wrong enrolment codes."""
    now = clock_now()
    with Master.open(ctx.obj["home"], now=now) as master:
        failures = master.seat(judge).failures if master.event.judge(judge) else 0
        if master.reopen_seat(judge, reason, now=now):
            click.echo(f"{judge} reopened ({failures} failed attempt(s) cleared)")
        else:
            click.echo(f"{judge} was not locked and had no failed attempts; nothing to do")


@main.command()
@click.option("--hex", "as_hex", is_flag=True,
              help="Print the SHA-256 of the certificate's public key (SPKI) in hex instead, "
                   "as `openssl dgst -sha256` prints it (docs/security.md).")
@click.pass_context
def fingerprint(ctx: click.Context, as_hex: bool) -> None:
    """Print this master's fingerprint (主控指纹), as terminals and enrolment cards show it."""
    identity = existing_master(ctx.obj["home"])
    click.echo(identity.fingerprint.hex() if as_hex else identity.fingerprint_text)

from . import cli_audit  # noqa: E402, F401  (registers audit, checkpoint, rebuild)

from . import cli_record  # noqa: E402, F401  # isort: skip  (registers record commands)
from . import cli_appeal  # noqa: E402, F401  # isort: skip  (registers appeal, official)

from . import cli_excel  # noqa: E402, F401  # isort: skip  (registers import-contestants, export)

from . import cli_print  # noqa: E402, F401  # isort: skip  (registers print, verify)
from . import cli_demo  # noqa: E402,F401  # isort: skip
from . import cli_paper  # noqa: E402,F401  # isort: skip  (registers paper …)
from . import cli_blind  # noqa: E402,F401  # isort: skip  (registers draw, reveal-identities)
from . import cli_panel  # noqa: E402,F401  # isort: skip  (registers panel-report)
from . import cli_standby  # noqa: E402,F401  # isort: skip  (registers standby)
