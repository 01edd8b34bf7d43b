"""`head-judge serve`, `enrol-codes`, `reopen-seat` and `fingerprint`: starting the master
and giving judges (and a standby) their way in."""


from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import sys
from pathlib import Path

import click

from sync.event_file import load_event
from sync.zones import event_zone, with_offset

from ..checkpoints import DEFAULT_CHECKPOINT_INTERVAL
from ..enrolment import STANDBY
from ..master import DEFAULT_CODE_TTL, Master, MasterError
from ..refusals import Message
from .common import echo_error, echo_said, existing_master
from .common import now as clock_now


@click.command()
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
        from ..console.run import run_console  # Textual only for the console
        from ..console.serving import ServeOptions

        code, problem = run_console(ctx.obj["home"], Path(event_file),
                                    ServeOptions(host, port, not no_mdns, checkpoint_interval,
                                                 screen_port=screen),
                                    lang)
        if problem:
            echo_error(problem)
            sys.exit(2)
        sys.exit(code)
    from ..server import run_master  # aiohttp only for the commands that serve

    logging.basicConfig(level=logging.INFO, stream=sys.stdout, force=True,
                        format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("aiohttp").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_master(ctx.obj["home"], Path(event_file), host, port, not no_mdns,
                               checkpoint_interval=checkpoint_interval, screen_port=screen))


@click.command("enrol-codes")
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
            raise MasterError("unknown_judges", judges=", ".join(unknown),
                              panel=", ".join(j.id for j in event.judges))
    now = clock_now()
    with Master.open(ctx.obj["home"], event, now=now, allow_event_change=False) as master:
        ttl = dt.timedelta(hours=ttl_hours)
        codes = ([] if standby and not judges else
                 master.issue_codes(list(judges) or None, now=now, ttl=ttl))
        if standby:
            codes.append(master.issue_standby_code(now=now, ttl=ttl))
        languages = master.event.languages
        expires = (now + ttl).astimezone(event_zone(master.event))
        echo_said(Message("cli_fingerprint", fingerprint=master.identity.fingerprint_text),
                  languages)
        echo_said(Message("cli_codes_expire", at=with_offset(expires, "%Y-%m-%d %H:%M")),
                  languages)
        click.echo("\t".join(Message(f"cli_code_col_{column}").both(languages)
                             for column in ("judge", "seat", "name", "code")))
        locked = Message("cli_code_seat_locked", command="`head-judge reopen-seat`")
        for issued in codes:
            judge = issued.judge
            note = "  " + locked.both(languages) if master.seat(judge.id).locked else ""
            name = (judge.name.both(("zh", "en")) if judge.id == STANDBY
                    else judge.name.get(languages[0]))
            click.echo(f"{judge.id}\t{issued.code.seat}\t{name}\t{issued.code.encode()}{note}")


@click.command("reopen-seat")
@click.argument("judge", metavar="J1")
@click.option("--reason", required=True, help="Why the seat is reopened (kept in the ledger).")
@click.pass_context
def reopen_seat(ctx: click.Context, judge: str, reason: str) -> None:
    """Unlock a judge's seat after too many wrong enrolment codes."""
    now = clock_now()
    with Master.open(ctx.obj["home"], now=now) as master:
        failures = master.seat(judge).failures if master.event.judge(judge) else 0
        said = (Message("cli_seat_reopened", judge=judge, failures=failures)
                if master.reopen_seat(judge, reason, now=now)
                else Message("cli_seat_not_locked", judge=judge))
        echo_said(said, master.event.languages)


@click.command()
@click.option("--hex", "as_hex", is_flag=True,
              help="Print the SHA-256 of the certificate's public key (SPKI) in hex instead, "
                   "as `openssl dgst -sha256` prints it (docs/security.md).")
@click.pass_context
def fingerprint(ctx: click.Context, as_hex: bool) -> None:
    """Print this master's fingerprint (主控指纹), as terminals and enrolment cards show it."""
    identity = existing_master(ctx.obj["home"])
    click.echo(identity.fingerprint.hex() if as_hex else identity.fingerprint_text)


COMMANDS = (serve, enrol_codes, reopen_seat, fingerprint)
