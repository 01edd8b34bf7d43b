"""What the `head-judge` command modules share: opening the master in `--home` for one
command, the clock a command records, JSON output and the `--reason` option.

It imports no command module and not `head_judge.cli`, so any command module can import it
whatever the order the group registers them in.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from sync.identity import MasterIdentity, NoMasterIdentity, load_master_identity

from .actions import HeadJudge
from .master import Master, MasterError


def now() -> dt.datetime:
    """The time a command records (tests set it to move through an appeal window)."""
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


@contextmanager
def head_judge(ctx: click.Context) -> Iterator[HeadJudge]:
    """The head judge acting on the master in `--home` for one command; closed after it."""
    existing_master(ctx.obj["home"])  # a mistyped --home: say so, create nothing
    with Master.open(ctx.obj["home"], now=now()) as master:
        yield HeadJudge(master, clock=lambda: now())


def echo_json(obj: object) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=1))


REASON = click.option("--reason", default="", help="Why (kept in the ledger).")
