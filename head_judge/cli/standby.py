"""`head-judge standby` and `head-judge promote`: the spare laptop at the head judge's desk
mirrors the master's ledger and takes over when it dies (a thin layer over
`head_judge.standby`; docs/standby.md).

    head-judge --home SPARE standby --master HOST:PORT [--port N] CODE
    head-judge --home SPARE promote --reason TEXT [--force]

The first `standby` enrols with the standby seat's code (`head-judge enrol-codes --standby`);
a later run in the same home carries on without one. It prints a line whenever the mirror's
state changes (caught up, behind, the master silent), in Chinese and English, until Ctrl+C;
once `promote` has run in its home it serves as the master (as `serve --headless` does, on
`--port` and advertised on the LAN). Refusals are one line in each language and exit 2;
nothing is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from sync.clock import local_now

from ..master import DB_FILE, refuse_damaged
from ..refusals import REFUSALS, Message
from .common import echo_error, now

if TYPE_CHECKING:  # the network (aiohttp) is loaded by the commands, not by `--help`
    from ..standby import MirrorStatus, StandbyLink

__all__ = ["promote", "standby"]

BEHIND_EVERY = 5.0
"""Seconds between the standby's lines while it stays behind."""


def _refuse(message: Message) -> NoReturn:
    echo_error(message)
    sys.exit(2)


def _address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        _refuse(Message("standby_bad_address", given=text))
    return host.strip("[]"), int(port)


def _said(status: MirrorStatus) -> Message:
    if status.problem is not None:
        return Message(f"mirror_{status.problem}", held=status.mirrored,
                       s=int(status.seconds_behind))
    if status.behind:
        return Message("standby_mirror_behind", held=status.mirrored, size=status.size,
                       n=status.behind, s=int(status.seconds_behind))
    return Message("standby_mirror_caught_up", held=status.mirrored)


@click.command()
@click.argument("code", required=False, metavar="CODE")
@click.option("--master", "master_address", metavar="HOST:PORT",
              help="The head judge's master (needed with CODE, the first time).")
@click.option("--port", "serve_port", default=8765, show_default=True,
              type=click.IntRange(1, 65535),
              help="Where this laptop will serve once promoted (`head-judge promote`).")
@click.option("--no-mdns", is_flag=True,
              help="Once promoted, do not advertise on the LAN (terminals use the address "
                   "in the succession record).")
@click.pass_context
def standby(ctx: click.Context, code: str | None, master_address: str | None,
            serve_port: int, no_mdns: bool) -> None:
    """Mirror the master's ledger on the spare laptop (备用主控机), ready to take over."""
    from sync.client import CodeTypo, MasterRefused, MasterUnreachable, NotTheMaster, SyncError

    from ..standby import LINK_FILE, JudgeCode, StandbyLink, enrol_standby, mirror_forever

    home = Path(ctx.obj["home"])
    refuse_damaged(home / DB_FILE)
    try:
        link = StandbyLink.load(home)
    except SyncError as exc:
        _refuse(Message("standby_link_unreadable", error=exc.reason))
    if link is not None and code is not None:
        _refuse(Message("standby_already", host=link.host, port=link.port))
    if link is None:
        if code is None or master_address is None:
            _refuse(Message("standby_needs_code", command="`head-judge standby --master "
                                                          "HOST:PORT CODE`"))
        host, port = _address(master_address)
        if not home.exists():  # a refused enrolment leaves no keys behind
            def unmade() -> None:
                if not (home / LINK_FILE).exists():
                    shutil.rmtree(home, ignore_errors=True)
            ctx.call_on_close(unmade)
        try:
            link = asyncio.run(enrol_standby(home, code, host, port, serve_port))
        except JudgeCode as exc:
            _refuse(Message("standby_judge_code", seat=exc.seat,
                            command="`head-judge enrol-codes --standby`"))
        except CodeTypo as exc:
            kind = f"code_typo_{exc.kind}"
            _refuse(Message("standby_code_typo", where=Message(kind) if kind in REFUSALS
                            else exc.reason))
        except MasterRefused:
            _refuse(Message("standby_code_refused",
                            command="`head-judge enrol-codes --standby`"))
        except MasterUnreachable:
            _refuse(Message("standby_unreachable", host=host, port=port))
        except NotTheMaster:
            _refuse(Message("standby_not_the_master", host=host, port=port))
        except SyncError as exc:
            _refuse(Message("standby_enrol_failed", host=host, port=port, error=exc.reason))
        click.echo(Message("standby_enrolled", host=host, port=port).render("zh"))
        click.echo(Message("standby_enrolled", host=host, port=port).render("en"))
    advertise = not no_mdns
    last_id: list[str] = [""]
    last_at: list[float] = [0.0]

    def report(status: MirrorStatus) -> None:
        """A line when the state changes, and every few seconds while it stays behind."""
        said, now = _said(status), time.monotonic()
        if said.id != last_id[0] or (said.id == "standby_mirror_behind"
                                     and now - last_at[0] >= BEHIND_EVERY):
            when = local_now().strftime("%H:%M:%S")
            click.echo(f"{when} {said.render('zh')}  {said.render('en')}")
            last_id[0], last_at[0] = said.id, now

    stop = asyncio.Event()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(mirror_forever(home, link, report, clock=now,
                                   stop=stop))
        _serve_promoted(home, link, advertise)


def _serve_promoted(home: Path, link: StandbyLink, advertise: bool) -> None:
    """Serve as the master once this home has taken over (mirroring ended with it)."""
    from ..standby import open_mirror, promoted

    ledger = open_mirror(home)
    try:
        if not promoted(ledger):
            return
    finally:
        ledger.close()
    from ..server import run_master  # aiohttp's server only once serving

    said = Message("standby_serving", port=link.serve_port)
    click.echo(f"{said.render('zh')}  {said.render('en')}")
    logging.basicConfig(level=logging.INFO, stream=sys.stdout, force=True,
                        format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("aiohttp").setLevel(logging.WARNING)
    asyncio.run(run_master(home, None, "0.0.0.0", link.serve_port, advertise))


@click.command()
@click.option("--reason", required=True, help="Why the standby takes over (kept in the ledger).")
@click.option("--force", is_flag=True,
              help="Take over even though the master still answers (two masters: only when "
                   "it is known to be wrong).")
@click.pass_context
def promote(ctx: click.Context, reason: str, force: bool) -> None:
    """Take over as the master on the standby laptop (接管), continuing the same record."""
    from sync.client import SyncError

    from ..standby import StandbyLink, StandbyRefused, master_answers
    from ..standby import promote as take_over

    home = Path(ctx.obj["home"])
    refuse_damaged(home / DB_FILE)
    if not reason.strip():
        _refuse(Message("text_required", what=Message("what_reason")))
    try:
        link = StandbyLink.load(home)
    except SyncError as exc:
        _refuse(Message("standby_link_unreadable", error=exc.reason))
    if link is None:
        _refuse(Message("promote_not_standby", home=home,
                        command="`head-judge standby --master HOST:PORT CODE`"))
    if not force and asyncio.run(master_answers(link)):
        _refuse(Message("promote_master_alive", host=link.host, port=link.port,
                        force="--force"))
    try:
        done = take_over(home, reason.strip(), forced=force, now=now())
    except StandbyRefused as exc:
        _refuse(exc.message)
    lines = [Message("promote_done", entry=done.entry)]
    answered = (dt.datetime.fromisoformat(done.last_answer).astimezone().strftime("%H:%M:%S")
                if done.last_answer else "")
    if done.master_size is None:
        lines.append(Message("promote_unknown_size", mirrored=done.mirrored))
    elif done.not_mirrored:
        lines.append(Message("promote_lost", at=answered, size=done.master_size,
                             mirrored=done.mirrored, first=done.mirrored + 1))
    else:
        lines.append(Message("promote_all_mirrored", at=answered,
                             size=done.master_size))
    lines.append(Message("promote_serving", command=f"`head-judge --home {home} standby`"))
    for line in lines:
        click.echo(line.render("zh"))
    for line in lines:
        click.echo(line.render("en"))


COMMANDS = (standby, promote)
