"""`head-judge standby`: the spare laptop at the head judge's desk mirrors the master's ledger
(a thin layer over `head_judge.standby`; docs/standby.md).

    head-judge --home SPARE standby --master HOST:PORT [--port N] CODE

The first run enrols with the standby seat's code (`head-judge enrol-codes --standby`); a
later run in the same home carries on without one. It prints a line whenever the mirror's
state changes (caught up, behind, the master silent), in Chinese and English, until Ctrl+C.
Refusals are one line in each language and exit 2; nothing is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import click

from sync.client import CodeTypo, MasterRefused, MasterUnreachable, NotTheMaster, SyncError

from .cli import main
from .master import DB_FILE, refuse_damaged
from .refusals import REFUSALS, Message
from .standby import LINK_FILE, MirrorStatus, StandbyLink, enrol_standby, mirror_forever

__all__ = ["standby"]


def _refuse(message: Message) -> NoReturn:
    click.echo(f"错误：{message.render('zh')}", err=True)
    click.echo(f"error: {message.render('en')}", err=True)
    sys.exit(2)


def _address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        _refuse(Message("standby_bad_address", given=text))
    return host.strip("[]"), int(port)


def _said(status: MirrorStatus) -> Message:
    if status.error is not None:
        return Message("standby_master_silent", held=status.mirrored, error=status.error,
                       s=int(status.seconds_behind))
    if status.behind:
        return Message("standby_mirror_behind", held=status.mirrored, size=status.size,
                       n=status.behind, s=int(status.seconds_behind))
    return Message("standby_mirror_caught_up", held=status.mirrored)


@main.command()
@click.argument("code", required=False, metavar="CODE")
@click.option("--master", "master_address", metavar="HOST:PORT",
              help="The head judge's master (needed with CODE, the first time).")
@click.option("--port", "serve_port", default=8765, show_default=True,
              type=click.IntRange(1, 65535),
              help="Where this laptop will serve once promoted (`head-judge promote`).")
@click.pass_context
def standby(ctx: click.Context, code: str | None, master_address: str | None,
            serve_port: int) -> None:
    """Mirror the master's ledger on the spare laptop (备用主控机), ready to take over."""
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
    last: list[str] = []

    def report(status: MirrorStatus) -> None:
        said = _said(status)
        if said.id != (last[0] if last else None) or said.id == "standby_mirror_behind":
            when = dt.datetime.now().strftime("%H:%M:%S")
            click.echo(f"{when} {said.render('zh')}  {said.render('en')}")
            last[:] = [said.id]

    stop = asyncio.Event()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(mirror_forever(home, link, report, clock=lambda: dt.datetime.now(dt.UTC),
                                   stop=stop))
