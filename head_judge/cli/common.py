"""What the `head-judge` command modules share: opening the master in `--home` for one
command, the clock a command records, JSON output and the `--reason` option.

It imports no command module and not `head_judge.cli`, so any command module can import it
whatever the order the group registers them in.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from sync.clock import utc_now
from sync.entry_kinds import ENTRY_KINDS
from sync.identity import IdentityError, MasterIdentity, NoMasterIdentity, load_master_identity
from sync.phrases import Phrase
from sync.problems import InputProblems, Problem
from sync.usage import BilingualUsageGroup

from ..actions import HeadJudge
from ..entry_lines import entry_line
from ..master import DB_FILE, Master, MasterError, damaged
from ..refusals import Message, Refused

LANGUAGES = ("zh", "en")
"""What a command says when it has no event to take the languages from (a ledger read
without its event, a registration workbook): Chinese, then English."""


def now() -> dt.datetime:
    """The time a command records (tests set it to move through an appeal window)."""
    return utc_now()


def existing_master(home: Path) -> MasterIdentity:
    """The identity of the master in `home`, read as it is: for commands that must not create
    a master where there is none (a mistyped --home). MasterError, naming the folder, if there
    is no master there."""
    try:
        return load_master_identity(home)
    except NoMasterIdentity:
        raise MasterError("no_master_here", home=home, folder="identity/", option="--home",
                          command="`head-judge serve EVENT.toml`") from None


@contextmanager
def head_judge(ctx: click.Context) -> Iterator[HeadJudge]:
    """The head judge acting on the master in `--home` for one command; closed after it."""
    existing_master(ctx.obj["home"])  # a mistyped --home: say so, create nothing
    with Master.open(ctx.obj["home"], now=now()) as master:
        yield HeadJudge(master, clock=lambda: now())


@contextmanager
def recording(ctx: click.Context) -> Iterator[HeadJudge]:
    """`head_judge(ctx)` for a command that records something: once it has, every entry it
    appended to the ledger, as the record says it (`entry_lines`), in each of the event's
    languages, Chinese first: what the head judge reads back is what the ledger holds."""
    with head_judge(ctx) as head:
        before = len(head.master.ledger)
        yield head
        lines = said_entries(head, before)
    for line in lines:
        click.echo(line)


def said_entries(head: HeadJudge, since: int) -> list[str]:
    """The entries appended after the first `since`: `seq kind line`, in each of the event's
    languages (the same words once)."""
    out: list[str] = []
    for entry in head.master.ledger.entries(since=since):
        line = entry_line(entry, event=head.event)
        out += dict.fromkeys(f"{entry.seq} {ENTRY_KINDS.say(entry.kind, lang)} "
                             f"{line.render(lang)}" for lang in head.event.languages)
    return out


def echo_said(message: Phrase | Problem, languages: Sequence[str], *, err: bool = False
              ) -> None:
    """A catalogue message (or an input problem), one line per language in `languages` (the
    same words once); on stderr with `err`."""
    for text in dict.fromkeys(message.render(lang) for lang in languages):
        click.echo(text, err=err)


def echo_row(languages: Sequence[str], *cells: object) -> None:
    """One row of a listing, tab-separated, a line in each language (the same line once):
    catalogue messages in each cell rendered in that language, anything else as it is."""
    for line in dict.fromkeys("\t".join(c.render(lang) if isinstance(c, Message) else str(c)
                                        for c in cells) for lang in languages):
        click.echo(line)


def echo_error(problem: object, languages: Sequence[str] = LANGUAGES) -> None:
    """`错误：…` then `error: …` on stderr, a line per language of `languages`, for anything
    that renders itself in a language (catalogue messages, input problems); text with no
    other language than English once, on the English line."""
    render = getattr(problem, "render", None)
    for lang in languages:
        text = render(lang) if callable(render) else str(problem)
        if lang != "en" and text == str(problem) and "en" in languages:
            continue
        click.echo(("错误：" if lang == "zh" else "error: ") + text, err=True)


def echo_json(obj: object) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=1))


REASON = click.option("--reason", default="", help="Why (kept in the ledger).")


class KioskGroup(BilingualUsageGroup):
    """Turns `InputProblems` (and the master's refusals) from any command into a clean list of
    problems and exit 2, and click's usage errors into a Chinese line before click's own
    (`sync.usage`)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputProblems as exc:
            for problem in exc.problems:
                echo_error(problem)
            sys.exit(2)
        except Refused as exc:  # the master's refusals, a ledger altered on disk
            echo_error(exc.message)
            sys.exit(2)
        except IdentityError as exc:
            echo_error(exc.reason)
            sys.exit(2)
        except sqlite3.DatabaseError as exc:  # found damaged after it was opened
            echo_error(damaged(Path(ctx.obj["home"]) / DB_FILE, exc).message)
            sys.exit(2)
