"""`head-judge paper …`: the paper desk on the command line (thin layers over
`head_judge.paper_desk`).

`paper type FORM --operator NAME` asks an operator for every row of a judge's paper form that
is theirs to type, one line of scores per row; `paper enter` records one row; `paper status`
shows where each row of a form stands (never the values typed: the second typing is blind);
`paper forms` lists the printed forms; `paper resolve` is the head judge's choice between a
judge's laptop sheet and paper sheet. Refusals are said in the event's languages and change
nothing (exit 2).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

import click

from ..actions import ActionRefused, HeadJudge
from ..console.words import say
from ..master import Master
from ..paper_desk import (
    KEEP,
    EntryOutcome,
    PaperDesk,
    PaperForm,
    RowState,
    form_codes,
    resolve_conflict,
)
from ..scoring import plain
from .common import echo_error, existing_master, now


@contextmanager
def _master(ctx: click.Context) -> Iterator[Master]:
    existing_master(ctx.obj["home"])
    with Master.open(ctx.obj["home"], now=now()) as master:
        yield master


def _lines(languages: Sequence[str], key: str, **values: object) -> None:
    for lang in languages:
        click.echo(say(key, lang, **values))


def _refused(languages: Sequence[str], exc: ActionRefused) -> NoReturn:
    echo_error(exc.message, languages)
    sys.exit(2)


def _criteria_names(desk: PaperDesk, ids: Sequence[str], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(f"{c.name.get(lang)}" if (c := desk.head.event.criterion(i)) else i
                    for i in ids)


def _outcome(desk: PaperDesk, outcome: EntryOutcome, languages: Sequence[str]) -> None:
    common = {"judge": outcome.judge, "contestant": outcome.contestant}
    for lang in languages:
        if outcome.agreed:
            click.echo(say("paper_agreed", lang, revision=outcome.round, **common))
        elif outcome.differing:
            click.echo(say("paper_differs", lang, **common,
                           criteria=_criteria_names(desk, outcome.differing, lang)))
        else:
            click.echo(say("paper_first", lang, **common))
        if outcome.conflict:
            click.echo(say("paper_conflict", lang, **common))


@click.group()
def paper() -> None:
    """Paper sheets typed in twice by two operators (纸质评分表双人录入)."""


@paper.command("forms")
@click.pass_context
def forms(ctx: click.Context) -> None:
    """List the printed paper forms: each form's code and judge."""
    with _master(ctx) as master:
        languages = master.event.languages
        codes = form_codes(master)
        if not codes:
            _lines(languages, "paper_no_forms")
            return
        for code, judge in codes:
            found = master.event.judge(judge)
            click.echo(f"{code}  {judge}  {found.name.both(languages) if found else ''}")


def _status_text(desk: PaperDesk, row: RowState, lang: str) -> str:
    if row.status == "settle":
        text = say("paper_status_settle", lang, criteria=_criteria_names(desk, row.asked, lang))
    else:
        text = say(f"paper_status_{row.status}", lang, revision=row.round)
    return text + (" · " + say("paper_status_conflict", lang) if row.conflict else "")


@paper.command("status")
@click.argument("form_code", metavar="FORM")
@click.option("--operator", default="", help="Show the rows as this operator sees them "
              "(which are theirs to type).")
@click.pass_context
def status(ctx: click.Context, form_code: str, operator: str) -> None:
    """Where each row of a paper form stands: to type, typed once, differing (which
    criteria), agreed, scored on the laptop, recused. Values typed are never shown."""
    with _master(ctx) as master:
        languages = master.event.languages
        try:
            desk = PaperDesk(master, operator or "-")
            form = desk.form(form_code)
        except ActionRefused as exc:
            _refused(languages, exc)
        _lines(languages, "paper_form_head", code=form.code, judge=form.judge.id,
               name=form.judge.name.get(languages[0]), operator=operator or "—")
        for row in desk.rows(form):
            c = row.contestant
            click.echo(f"{c.order:>3} {c.id:<6} {c.name}  "
                       + " / ".join(_status_text(desk, row, lang) for lang in languages))


@paper.command("enter")
@click.argument("form_code", metavar="FORM")
@click.argument("contestant")
@click.argument("scores", nargs=-1, required=True, metavar="CRITERION=VALUE...")
@click.option("--operator", required=True, help="Who types (recorded as the entry's actor).")
@click.option("--revise", is_flag=True, help="Type a corrected sheet of a contestant whose "
              "paper sheet is already agreed (its next revision).")
@click.pass_context
def enter(ctx: click.Context, form_code: str, contestant: str, scores: tuple[str, ...],
          operator: str, revise: bool) -> None:
    """Record one operator's typing of one row of a judge's paper form."""
    with _master(ctx) as master:
        languages = master.event.languages
        values: dict[str, str] = {}
        try:
            for pair in scores:
                name, sep, value = pair.partition("=")
                if not sep:
                    raise ActionRefused("paper_pair", text=repr(pair))
                values[name.strip()] = value.strip()
            desk = PaperDesk(master, operator, clock=now)
            outcome = desk.enter(form_code, contestant, values, revise=revise)
        except ActionRefused as exc:
            _refused(languages, exc)
        _outcome(desk, outcome, languages)


def _ask(desk: PaperDesk, form: PaperForm, row: RowState, lang: str) -> str:
    c = row.contestant
    everything = len(row.asked) == len(desk.head.event.criteria) and row.status != "settle"
    if everything:
        prompt = say("paper_ask_all", lang, order=c.order, contestant=c.id, name=c.name,
                     n=len(row.asked))
    else:
        prompt = say("paper_ask_settle", lang, order=c.order, contestant=c.id, name=c.name,
                     criteria=_criteria_names(desk, row.asked, lang))
    answer: str = click.prompt(prompt, default="", show_default=False, prompt_suffix="> ")
    return answer.strip()


@paper.command("type")
@click.argument("form_code", metavar="FORM")
@click.option("--operator", required=True, help="Who types (recorded as the entries' actor).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of the prompts (default: the event's first).")
@click.pass_context
def type_form(ctx: click.Context, form_code: str, operator: str, lang: str | None) -> None:
    """Type a judge's paper form row by row: each row's scores on one line, in the form's
    order; the rows asked are those still to type by this operator (a third operator is
    asked only the criteria two entries differ on)."""
    with _master(ctx) as master:
        languages = master.event.languages
        shown = lang or languages[0]
        try:
            desk = PaperDesk(master, operator, clock=now)
            form = desk.form(form_code)
        except ActionRefused as exc:
            _refused(languages, exc)
        criteria = desk.head.event.criteria
        click.echo(say("paper_form_head", shown, code=form.code, judge=form.judge.id,
                       name=form.judge.name.get(shown), operator=desk.operator))
        click.echo(say("paper_howto", shown, n=len(criteria)))
        click.echo(say("paper_criteria", shown, criteria="  ".join(
            f"{n}.{c.name.get(shown)}/{plain(c.max)}" for n, c in enumerate(criteria, 1))))
        started, typed = time.monotonic(), 0
        for row in desk.rows(form):
            if not row.wanted:
                continue
            while True:
                answer = _ask(desk, form, row, shown)
                if answer.lower() in ("q", "quit"):
                    _summary(shown, typed, started)
                    return
                if not answer:
                    break
                numbers = answer.replace("，", " ").replace(",", " ").split()
                if len(numbers) != len(row.asked):
                    click.echo(say("paper_count", shown, n=len(row.asked), typed=len(numbers)),
                               err=True)
                    continue
                try:
                    outcome = desk.enter(form.code, row.contestant.id,
                                         dict(zip(row.asked, numbers, strict=True)))
                except ActionRefused as exc:
                    echo_error(exc.message, [shown])
                    continue
                typed += 1
                _outcome(desk, outcome, [shown])
                break
        _summary(shown, typed, started)


def _summary(lang: str, rows: int, started: float) -> None:
    click.echo(say("paper_summary", lang, rows=rows,
                   seconds=f"{time.monotonic() - started:.0f}"))


@paper.command("resolve")
@click.argument("judge")
@click.argument("contestant")
@click.option("--keep", required=True, type=click.Choice(KEEP),
              help="The sheet that counts: the judge's laptop sheet or the paper one.")
@click.option("--reason", required=True, help="Why (kept in the ledger).")
@click.pass_context
def resolve(ctx: click.Context, judge: str, contestant: str, keep: str, reason: str) -> None:
    """Choose between a judge's laptop sheet and paper sheet for a contestant (head judge)."""
    with _master(ctx) as master:
        languages = master.event.languages
        try:
            resolve_conflict(HeadJudge(master, clock=now), judge, contestant, keep, reason)
        except ActionRefused as exc:
            _refused(languages, exc)
        for lang in languages:
            click.echo(say("paper_resolved", lang, judge=judge, contestant=contestant,
                           keep=say(f"keep_{keep}", lang)))


COMMANDS = (paper,)
