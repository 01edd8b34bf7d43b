"""`head-judge`: the master's command line. A thin layer over the Python API; every
user mistake ends with the problems listed, one per line, and exit code 2."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
import platformdirs

from sync.event_file import load_event
from sync.identity import IdentityError, MasterIdentity, NoMasterIdentity, load_master_identity
from sync.problems import InputProblems, Problem
from sync.zones import event_zone, with_offset

from .checkpoints import DEFAULT_CHECKPOINT_INTERVAL
from .master import DEFAULT_CODE_TTL, Master, MasterError
from .paper import read_component, read_sheets
from .report import print_results
from .scoring import PanelSheet
from .scoring import tabulate as tabulate_results


class KioskGroup(click.Group):
    """Turns `InputProblems` (and the master's refusals) from any command into a clean list of
    problems and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputProblems as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(2)
        except (MasterError, IdentityError) as exc:
            click.echo(f"error: {exc}", err=True)
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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def existing_master(home: Path) -> MasterIdentity:
    """The identity of the master in `home`, read as it is: for commands that must not create
    a master where there is none (a mistyped --home). MasterError, naming the folder, if there
    is no master there."""
    try:
        return load_master_identity(home)
    except NoMasterIdentity as exc:
        raise MasterError(f"{exc}; check --home, or start one with "
                          "`head-judge serve EVENT.toml`") from None


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
@click.pass_context
def serve(ctx: click.Context, event_file: str, host: str, port: int, no_mdns: bool,
          headless: bool, lang: str | None, checkpoint_minutes: float) -> None:
    """Run the master for a final: the server, its mDNS advertisement and the head judge's
    console in one process (Ctrl+Q quits); --headless for the server alone."""
    checkpoint_interval = checkpoint_minutes * 60
    if not headless and not (sys.stdin.isatty() and sys.stdout.isatty()):
        headless = True  # started by a script or a service: no screen for the console
    if not headless:
        from .console.run import run_console  # Textual only for the console
        from .console.serving import ServeOptions

        code, problem = run_console(ctx.obj["home"], Path(event_file),
                                    ServeOptions(host, port, not no_mdns, checkpoint_interval),
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
                               checkpoint_interval=checkpoint_interval))


@main.command("enrol-codes")
@click.option("--judge", "judges", multiple=True, metavar="J1",
              help="Seat to issue a code for (repeatable; default: the whole panel).")
@click.option("--ttl-hours", default=DEFAULT_CODE_TTL // dt.timedelta(hours=1),
              show_default=True, type=click.IntRange(1, 24 * 14),
              help="Hours before the codes expire.")
@click.option("--event", "event_file", metavar="EVENT.toml", type=click.Path(dir_okay=False),
              help="Event file, needed before the master has first served the final.")
@click.pass_context
def enrol_codes(ctx: click.Context, judges: tuple[str, ...], ttl_hours: int,
                event_file: str | None) -> None:
    """Issue one-time enrolment codes, one per judge seat (a new code replaces the old)."""
    event = load_event(event_file) if event_file is not None else None
    if event is not None:  # check the seats before anything is written
        unknown = [j for j in judges if event.judge(j) is None]
        if unknown:
            raise MasterError(f"unknown judge(s) {', '.join(unknown)}; the panel is "
                              + ", ".join(j.id for j in event.judges))
    now = _now()
    master = Master.open(ctx.obj["home"], event, now=now, allow_event_change=False)
    try:
        ttl = dt.timedelta(hours=ttl_hours)
        codes = master.issue_codes(list(judges) or None, now=now, ttl=ttl)
        lang = master.event.languages[0]
        click.echo(f"head judge fingerprint: {master.identity.fingerprint_text}")
        expires = (now + ttl).astimezone(event_zone(master.event))
        click.echo(f"codes expire at {with_offset(expires, '%Y-%m-%d %H:%M')}; "
                   "each works once")
        for issued in codes:
            judge = issued.judge
            note = "  (seat locked: reopen-seat first)" if master.seat(judge.id).locked else ""
            click.echo(f"{judge.id}\tseat {issued.code.seat}\t{judge.name.get(lang)}\t"
                       f"{issued.code.encode()}{note}")
    finally:
        master.close()


@main.command("reopen-seat")
@click.argument("judge", metavar="J1")
@click.option("--reason", required=True, help="Why the seat is reopened (kept in the ledger).")
@click.pass_context
def reopen_seat(ctx: click.Context, judge: str, reason: str) -> None:
    """Unlock a judge's seat after too many wrong enrolment codes."""
    now = _now()
    master = Master.open(ctx.obj["home"], now=now)
    try:
        failures = master.seat(judge).failures if master.event.judge(judge) else 0
        if master.reopen_seat(judge, reason, now=now):
            click.echo(f"{judge} reopened ({failures} failed attempt(s) cleared)")
        else:
            click.echo(f"{judge} was not locked and had no failed attempts; nothing to do")
    finally:
        master.close()


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

from . import cli_excel  # noqa: E402, F401  # isort: skip  (registers import-contestants, export)

from . import cli_print  # noqa: E402, F401  # isort: skip  (registers print, verify)
from . import cli_demo  # noqa: E402,F401  # isort: skip
