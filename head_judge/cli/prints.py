"""`head-judge print` and `head-judge verify`: notarisable printouts and their proof.

`print` records the print in the ledger (a signed checkpoint and one `sheet_printed` entry per
sheet) and writes one PDF per sheet; it lists each sheet's code and file. `verify` takes a
typed sheet code, the text of a sheet's QR code (`-` reads it from standard input, as a
scanner types it) or a PDF, and says whether the sheet still matches the record: exit 0 when
it matches, 1 when it changed, is unknown, forged or the record is broken, 2 for input that
is not a code, payload or readable file (`KioskGroup`). Given several, it reports each in turn
and ends with a summary line (exit 1 if any does not match; 2, saying nothing else, if any is
not a code, payload or readable file). Thin layers over
`head_judge.printing`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from sync.clock import local_now
from sync.phrases import cells

from ..actions import ActionRefused, HeadJudge
from ..master import DEFAULT_CODE_TTL, Master
from ..printing import DEFAULT_KINDS, Signatories, describe_sheet, print_sheets
from ..refusals import Message
from ..verification import outdated, verify_many
from .common import echo_said, existing_master, now

SHEET_CHOICES = ("judge", "form", "contestant", "results", "discrepancy", "appeal", "cards",
                 "inventory", "all")


def _kinds(sheets: tuple[str, ...]) -> list[str]:
    kinds: list[str] = []
    for sheet in sheets or ("all",):
        kinds += list(DEFAULT_KINDS) if sheet == "all" else \
            ["enrolment"] if sheet == "cards" else [sheet]
    return list(dict.fromkeys(kinds))


@click.command("print")
@click.option("--sheet", "sheets", multiple=True, type=click.Choice(SHEET_CHOICES),
              help="Kind of sheet (repeatable; default all: every kind but cards and "
                   "forms). `form` is each judge's blank paper scoring form, printed before "
                   "the final for judges whose laptop fails (typed in twice with `head-judge "
                   "paper type`). Cards issue new enrolment codes, replacing the seats' "
                   "outstanding ones. A pack "
                   "of more than one sheet starts with its inventory (every sheet's code and "
                   "pages, for the notary and the head judge to sign).")
@click.option("--subject", "subjects", multiple=True, metavar="ID",
              help="Only the sheets about these judges, contestants, rankings (TRACK or "
                   "TRACK/GROUP) or appeals (repeatable, or comma-separated).")
@click.option("--out", "out_dir", default=None, metavar="DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder the PDFs are written to (created if missing); required to print.")
@click.option("--outdated", "outdated_only", is_flag=True,
              help="List every printed sheet that no longer matches the record (a newer "
                   "results version, a decision, a correction: its code verifies CHANGED).")
@click.option("--reprint", is_flag=True,
              help="With --outdated: print those sheets again into --out.")
@click.option("--head-judge", "head_judge_name", default="", metavar="NAME",
              help="Name printed under the head judge's signature lines.")
@click.option("--notary", "notary_name", default="", metavar="NAME",
              help="Name printed under the notary's signature lines (results sheets, the "
                   "inventory).")
@click.option("--ttl-hours", default=DEFAULT_CODE_TTL // dt.timedelta(hours=1),
              show_default=True, type=click.IntRange(1, 24 * 14),
              help="Hours before the codes on enrolment cards expire.")
@click.pass_context
def print_command(ctx: click.Context, sheets: tuple[str, ...], subjects: tuple[str, ...],
                  out_dir: Path | None, outdated_only: bool, reprint: bool,
                  head_judge_name: str, notary_name: str, ttl_hours: int) -> None:
    """Print sheets for the notary as PDFs, one per sheet, and record the print in the
    ledger; each sheet's code is listed (`head-judge verify CODE` proves it later). With
    --outdated, list the printed sheets the record has moved past (--reprint: print them
    again)."""
    wanted = [s.strip() for text in subjects for s in text.split(",") if s.strip()]
    kinds = _kinds(sheets)
    if reprint and not outdated_only:
        raise ActionRefused("print_reprint_needs_outdated", reprint="--reprint",
                            outdated="--outdated")
    if out_dir is None and (reprint or not outdated_only):
        raise ActionRefused("print_needs_out", option="--out DIR")
    at = local_now()
    existing_master(ctx.obj["home"])
    with Master.open(ctx.obj["home"], now=at) as master:
        head = HeadJudge(master, clock=local_now)
        if outdated_only:
            stale = outdated(head)
            languages = head.event.languages
            for v in stale:
                what = describe_sheet(v.kind, v.subject)
                change = v.changes[0] if v.changes else ""
                for line in dict.fromkeys(
                        f"{v.code}  {what.render(lang)}  {v.printed_at}  "
                        + (change.render(lang) if isinstance(change, Message) else change)
                        for lang in languages):
                    click.echo(line)
            said = Message("print_outdated", n=len(stale))
            click.echo(f"{said.render('zh')}  {said.render('en')}")
            if not reprint or not stale:
                return
            kinds = sorted({v.kind for v in stale})
            wanted = sorted({v.subject for v in stale})
        assert out_dir is not None
        printed = print_sheets(head, kinds, wanted, out_dir=out_dir, now=at,
                               signatories=Signatories(head_judge_name, notary_name),
                               code_ttl=dt.timedelta(hours=ttl_hours), inventory=True)
    first = printed[0]
    languages = head.event.languages
    echo_said(Message("cli_printed", n=len(printed), size=first.size,
                      checkpoint=first.checkpoint, folder=out_dir), languages)
    titles = [p.title.both(languages) for p in printed]
    width = max(cells(t) for t in titles)
    for p, title in zip(printed, titles, strict=True):
        click.echo(f"{p.code}  {title}{' ' * (width - cells(title))}  {p.file.name}")
    if any(p.kind == "enrolment" for p in printed):
        echo_said(Message("cli_printed_cards"), languages)


@click.command("verify")
@click.argument("what", metavar="CODE | QR-TEXT | FILE.pdf ...", nargs=-1, required=True)
@click.pass_context
def verify_command(ctx: click.Context, what: tuple[str, ...]) -> None:
    """Say whether a printed sheet matches the record, and what changed if it does not. A
    PDF's pages are read and every difference from the record's print is named (page, row,
    column, both values); for a code, QR text or scan, the figures the paper must show are
    listed to compare by eye. Several codes, QR texts or files (a stack of paper) are each
    reported in turn, then a summary line; the exit code is 1 if any does not match."""
    existing_master(ctx.obj["home"])
    with Master.open(ctx.obj["home"], now=now()) as master:
        texts = [sys.stdin.read() if given == "-" else given for given in what]
        # all checked against one read of the record before anything is said: bad input is
        # one line, exit 2 (KioskGroup)
        verdicts = [v for found in verify_many(HeadJudge(master), texts) for v in found]
        languages = master.event.languages
    for i, verdict in enumerate(verdicts):
        if i:
            click.echo("")
        for line in verdict.said():
            echo_said(line, languages)
    if len(what) > 1:
        matched = sum(1 for v in verdicts if v.ok)
        click.echo("")
        echo_said(Message("verify_summary", given=len(what), sheets=len(verdicts),
                          matched=matched, other=len(verdicts) - matched), languages)
    sys.exit(max(v.exit_code for v in verdicts))


COMMANDS = (print_command, verify_command)
