"""`head-judge draw` and `head-judge reveal-identities`: blind judging on the command line
(thin layers over `head_judge.blind_actions`).

`draw --seed TEXT` draws every contestant's number from a seed read out in front of the
notary (docs/blind.md: anyone with the seed and the contestant list gets the same draw);
`draw --import draw.csv` records the organiser's physical draw (columns `contestant,draw`;
CSV in UTF-8 or GB18030, or XLSX). Both print the draw table. `reveal-identities --reason`
(解密) ends the blind part of the final. Refusals are said in the event's languages (Chinese
first) and change nothing (exit 2).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final, NoReturn

import click

from sync.phrases import cells
from sync.tabular import read_table

from ..actions import ActionRefused, HeadJudge
from ..blind_actions import DrawRow, make_draw, reveal_identities
from ..paper import header_key
from ..refusals import REFUSALS, Message
from .common import echo_error, echo_said, head_judge

__all__ = ["draw", "print_draw", "read_draw_file", "reveal_identities_command"]

_COLUMNS: Final = {"contestant": ("contestant", "选手"), "draw": ("draw", "抽签号")}
"""What each column of a draw file may be headed with."""


def _languages(head: HeadJudge) -> tuple[str, ...]:
    """The event's languages, primary first, then any of Chinese and English it lacks."""
    return tuple(dict.fromkeys((*head.event.languages, "zh", "en")))


def _refused(languages: Sequence[str], exc: ActionRefused) -> NoReturn:
    """The refusal in each language, then exit 2; a draw file's problems one per line."""
    said = exc.message
    problems = said.params.get("problems") if said.id == "draw_bad" else None
    for one in problems if isinstance(problems, list) else [said]:
        echo_error(one, languages)
    if problems:
        for lang in languages:
            click.echo(Message("draw_not_recorded").render(lang), err=True)
    sys.exit(2)


def _said(languages: Sequence[str], key: str, **params: object) -> None:
    echo_said(Message(key, **params), languages)


def _draw_order(draw: str) -> tuple[int, int, str]:
    return (0, int(draw), draw) if draw.isascii() and draw.isdigit() else (1, 0, draw)


def print_draw(languages: Sequence[str], draws: Mapping[str, str]) -> None:
    """The draw table: draw number and contestant id, in draw order, under a header in
    each language."""
    first, second = (REFUSALS[k].both(tuple(languages))
                     for k in ("said_col_draw", "said_col_contestant"))
    width = max([cells(d) for d in draws.values()] + [cells(first)])
    click.echo(first + " " * (width - cells(first) + 2) + second)
    for cid, number in sorted(draws.items(), key=lambda kv: _draw_order(kv[1])):
        click.echo(number + " " * (width - cells(number) + 2) + cid)


def read_draw_file(path: Path) -> tuple[list[DrawRow], str]:
    """The rows of a draw file (with their lines) and the file's SHA-256 (hex)."""
    table = read_table(path)  # a missing or unreadable file: InputProblems, said by the CLI
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    columns: dict[str, str] = {}
    for key, names in _COLUMNS.items():
        found = next((h for h in table.header if header_key(h).casefold() in names), None)
        if found is not None:
            columns[key] = found
    if len(columns) < len(_COLUMNS):
        table.require_columns(tuple(_COLUMNS))
    return [DrawRow(row.get(columns["contestant"], ""), row.get(columns["draw"], ""), line)
            for line, row in table.rows], digest


@click.command()
@click.option("--seed", default=None, help="Draw from this seed, read out in front of the "
              "notary (docs/blind.md).")
@click.option("--import", "import_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Record the organiser's draw: a CSV or XLSX file with "
              "columns contestant,draw.")
@click.pass_context
def draw(ctx: click.Context, seed: str | None, import_file: Path | None) -> None:
    """Give every contestant a draw number (抽签) in a blind final, from a seed or from the
    organiser's draw; again before the first sheet replaces the draw."""
    with head_judge(ctx) as head:
        languages = _languages(head)
        try:
            if import_file is not None and seed is None:
                rows, digest = read_draw_file(import_file)
                entry = make_draw(head, rows=rows, file_name=import_file.name, digest=digest)
            else:
                entry = make_draw(head, seed=seed, rows=[] if import_file is not None else None)
        except ActionRefused as exc:
            _refused(languages, exc)
        payload = next(head.master.ledger.entries(entry - 1)).payload
    draws = payload["draws"]
    if payload["method"] == "seed":
        _said(languages, "said_draw_seed", seed=payload["seed"], entry=entry, count=len(draws))
    else:
        _said(languages, "said_draw_import", file=payload["file"], digest=payload["digest"],
              entry=entry, count=len(draws))
    print_draw(languages, draws)


@click.command("reveal-identities")
@click.option("--reason", default="", help="Why identities are revealed now (required; kept "
              "in the ledger).")
@click.pass_context
def reveal_identities_command(ctx: click.Context, reason: str) -> None:
    """Reveal who is behind each draw number (解密) in a blind final: terminals get names
    and organisations again, and results may be published."""
    with head_judge(ctx) as head:
        languages = _languages(head)
        try:
            entry = reveal_identities(head, reason)
        except ActionRefused as exc:
            _refused(languages, exc)
    _said(languages, "said_revealed", entry=entry)


COMMANDS = (draw, reveal_identities_command)
