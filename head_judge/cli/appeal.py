"""`head-judge appeal …` and `head-judge official`: the appeals committee's record.

An appeal is filed (category, ground, evidence files; late only with a reason once its
ranking's appeal window closed), answered by a contestant it may affect, voted on by the
committee, previewed and decided with the correction it carries (`--set`, `--withdraw`; an
upheld appeal applies it in the same act), or withdrawn. `official` records each ranking
whose window closed with nothing open as official. Each command calls one function of
`head_judge.appeals`; a refusal is printed by `KioskGroup` as `error: …` with exit code 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from sync.zones import event_zone, shown_iso

from ..actions import HeadJudge, parse_score
from ..appeals import (
    CATEGORIES,
    Correction,
    CorrectionPreview,
    appeals,
    decide,
    declare_official,
    dossier,
    file_appeal,
    preview_correction,
    reply_to_appeal,
    scope_standings,
    vote_on_appeal,
    withdraw_appeal,
)
from ..entry_lines import checkpoint_reason
from ..refusals import Message
from ..scoring import plain
from .common import REASON, echo_json, echo_row, echo_said, head_judge


def _say(key: str, **params: object) -> None:
    """One sentence of the catalogue, Chinese then English, on one line."""
    said = Message(key, **params)
    click.echo(f"{said.render('zh')} · {said.render('en')}")


@click.group()
def appeal() -> None:
    """File, answer, vote on, preview, decide and withdraw appeals (申诉)."""


@appeal.command("file")
@click.argument("contestant")
@click.option("--ground", default="", help="What the appeal claims (required).")
@click.option("--filed-by", default="", help="Who files it (required).")
@click.option("--category", type=click.Choice(CATEGORIES), default="calculation",
              show_default=True,
              help="calculation: a score added or copied wrong; procedure: a rule of the "
                   "final not kept; eligibility: a contestant's right to compete; judgement: "
                   "the judges' evaluation itself (heard only if the event file allows it).")
@click.option("--evidence", "evidence", multiple=True, metavar="FILE",
              type=click.Path(path_type=Path),
              help="A file the appeal rests on (photo, video, paper sheet scan); kept by its "
                   "SHA-256 and listed in the dossier. Repeatable.")
@click.option("--late-reason", default="",
              help="Why an appeal filed after the ranking's appeal window closed is accepted "
                   "(kept in the ledger).")
@click.pass_context
def appeal_file(ctx: click.Context, contestant: str, ground: str, filed_by: str,
                category: str, evidence: tuple[Path, ...], late_reason: str) -> None:
    """File an appeal about a contestant's result."""
    with head_judge(ctx) as head:
        filed = file_appeal(head, contestant, ground, filed_by, category=category,
                            evidence=evidence, late_reason=late_reason)
    _say("cli_appeal_filed", appeal=filed.id, contestant=filed.contestant)
    for e in filed.evidence:
        _say("cli_evidence_kept", name=e.name, sha=e.sha256[:16], size=e.size)


@appeal.command("list")
@click.pass_context
def appeal_list(ctx: click.Context) -> None:
    """List appeals: id, status, contestant, filed by, ground, category."""
    with head_judge(ctx) as head:
        rows = appeals(head)
    languages = head.event.languages
    for a in rows:
        status = Message("cli_dos_status_open" if a.status == "open" else f"outcome_{a.status}")
        echo_row(languages, a.id, status, a.contestant, a.filed_by, a.ground,
                 Message(f"line_category_{a.category}"))
    if not rows:
        echo_said(Message("cli_no_appeals"), languages)


@appeal.command("reply")
@click.argument("appeal_id", metavar="ID", type=int)
@click.argument("contestant")
@click.option("--text", "reply", default="", help="The contestant's reply (required).")
@click.pass_context
def appeal_reply(ctx: click.Context, appeal_id: int, contestant: str, reply: str) -> None:
    """Record the reply (答辩) of another contestant of the ranking the appeal may move."""
    with head_judge(ctx) as head:
        done = reply_to_appeal(head, appeal_id, contestant, reply)
    _say("cli_reply_recorded", contestant=done.contestant, appeal=appeal_id)


@appeal.command("vote")
@click.argument("appeal_id", metavar="ID", type=int)
@click.argument("member")
@click.argument("vote", metavar="upheld|rejected|abstain")
@click.option("--conflict", is_flag=True,
              help="The member declares a conflict of interest (回避): the vote is recorded "
                   "and not counted.")
@click.pass_context
def appeal_vote(ctx: click.Context, appeal_id: int, member: str, vote: str,
                conflict: bool) -> None:
    """Record one committee member's vote on an appeal."""
    with head_judge(ctx) as head:
        cast = vote_on_appeal(head, appeal_id, member, vote, conflict=conflict)
    _say("cli_vote_recorded_conflict" if cast.conflict else "cli_vote_recorded",
         member=cast.member, appeal=appeal_id, vote=Message(f"vote_{cast.vote}"))


@appeal.command("dossier")
@click.argument("appeal_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def appeal_dossier(ctx: click.Context, appeal_id: int, as_json: bool) -> None:
    """Everything the record holds about the appeal's contestant, in ledger order."""
    with head_judge(ctx) as head:
        found = dossier(head, appeal_id)
        zone = event_zone(head.event)  # every time in the event's zone, with its offset
        languages = head.event.languages
        prizes = {t.id: t.name for t in head.event.awards.tiers}
    if as_json:
        echo_json(found.to_document())
        return
    a = found.appeal

    def at(iso: str) -> str:
        return shown_iso(iso, zone)

    lines = [Message("cli_dos_appeal", appeal=a.id, contestant=a.contestant, at=at(a.filed_at),
                     filed_by=a.filed_by, ground=a.ground),
             Message("cli_dos_category", category=Message(f"line_category_{a.category}"),
                     late=Message("cli_dos_late", reason=a.late_reason) if a.late_reason
                     else ""),
             *(Message("cli_dos_evidence", name=e.name, size=e.size, sha=e.sha256)
               for e in a.evidence),
             Message("cli_dos_status", status=Message(
                 "cli_dos_status_open" if a.status == "open" else f"outcome_{a.status}"),
                 reason=Message("cli_dos_status_reason", reason=a.decision_reason)
                 if a.decision_reason else ""),
             *(Message("cli_dos_vote", member=v.member, vote=Message(f"vote_{v.vote}"),
                       conflict=Message("cli_dos_conflict") if v.conflict else "")
               for v in found.votes),
             *(Message("cli_dos_reply", contestant=r.contestant, at=at(r.at), reply=r.reply)
               for r in found.replies)]
    if found.standing is not None:
        s = found.standing
        lines.append(Message("cli_dos_now", rank=s.rank, final=s.final,
                             prize=prizes.get(s.prize, s.prize) if s.prize
                             else Message("none")))
    lines.append(Message("cli_dos_sheets"))
    lines += [Message("cli_dos_sheet", entry=rev.ledger_seq, judge=rev.judge,
                      revision=rev.revision, total=plain(rev.total), origin=Message(
                          "cli_dos_paper", form=rev.form, operators=", ".join(rev.operators))
                      if rev.form else Message("cli_dos_signature", signature=Message(
                          f"cli_dos_sig_{rev.signature.replace(' ', '_')}")))
              for rev in found.revisions]
    lines.append(Message("cli_dos_history"))
    lines += [Message("cli_dos_entry", entry=h.seq, at=at(h.at), actor=h.by,
                      summary=h.summary, cover=Message("cli_dos_covered", entry=h.covered_by)
                      if h.covered_by else Message("cli_dos_uncovered"))
              for h in found.history]
    lines.append(Message("cli_dos_checkpoints"))
    lines += [Message("cli_dos_checkpoint", entry=c.seq, size=c.size, root=c.root, at=at(c.at),
                      reason=checkpoint_reason(c.reason),
                      state=Message("cli_dos_verified") if c.verified
                      else Message("cli_dos_failed", problem=c.problem))
              for c in found.checkpoints]
    for line in lines:  # each line in the event's languages, Chinese first
        echo_said(line, languages)


def _correction(text: str) -> Correction:
    judge, sep, rest = text.partition(":")
    criterion, sep2, value = rest.partition("=")
    score = parse_score(value)
    if not (sep and sep2 and judge and criterion) or score is None:
        raise click.BadParameter(f"{text!r}: expected JUDGE:CRITERION=VALUE, e.g. J2:pitch=14")
    return Correction(judge, criterion, score)


_SET = click.option("--set", "corrections", multiple=True, metavar="JUDGE:CRITERION=VALUE",
                    help="A corrected value. Repeatable.")
_WITHDRAW = click.option("--withdraw", "withdrawals", multiple=True, metavar="JUDGE",
                         help="A judge whose sheet for the contestant no longer counts. "
                              "Repeatable.")


def _show_preview(preview: CorrectionPreview) -> None:
    """How the ranking moves, in Chinese then in English."""
    for lang in ("zh", "en"):
        for line in preview.lines(lang):
            click.echo(line)


@appeal.command("preview")
@click.argument("appeal_id", metavar="ID", type=int)
@_SET
@_WITHDRAW
@click.pass_context
def appeal_preview(ctx: click.Context, appeal_id: int, corrections: tuple[str, ...],
                   withdrawals: tuple[str, ...]) -> None:
    """Show how the ranking would change with the proposed correction; records nothing.
    `appeal decide ID upheld` with the same --set/--withdraw applies exactly this."""
    proposed = [_correction(c) for c in corrections]
    with head_judge(ctx) as head:
        preview = preview_correction(head, appeal_id, proposed, withdrawals)
    _show_preview(preview)


@appeal.command("decide")
@click.argument("appeal_id", metavar="ID", type=int)
@click.argument("outcome", type=click.Choice(["upheld", "rejected"]))
@REASON
@_SET
@_WITHDRAW
@click.option("--committee", "committee", multiple=True, metavar="NAME",
              help="Without votes: a member of the appeals committee who decided it, by name "
                   "(repeatable; default: the event file's [appeals] committee). Printed with "
                   "a signature box each.")
@click.pass_context
def appeal_decide(ctx: click.Context, appeal_id: int, outcome: str, reason: str,
                  corrections: tuple[str, ...], withdrawals: tuple[str, ...],
                  committee: tuple[str, ...]) -> None:
    """Decide an appeal, upheld or rejected, with a reason. Upholding applies its correction
    (--set, --withdraw, as previewed) in the same act; then publish the ranking again."""
    proposed = [_correction(c) for c in corrections]
    with head_judge(ctx) as head:
        decided = decide(head, appeal_id, outcome, reason, committee, proposed, withdrawals)
        scope = _scope_of(head, decided.appeal.contestant)
    _say("cli_appeal_ended", appeal=decided.appeal.id,
         status=Message(f"outcome_{decided.appeal.status}"))
    if decided.preview is not None:
        _show_preview(decided.preview)
        _say("cli_publish_next", command=f"head-judge publish {scope}")


def _scope_of(head: HeadJudge, contestant: str) -> str:
    c = head.contestant(contestant)
    return f"--track {c.track}" + (f" --group {c.group}" if c.group else "")


@appeal.command("withdraw")
@click.argument("appeal_id", metavar="ID", type=int)
@click.option("--reason", required=True,
              help="Why it ends without a decision, e.g. the contestant withdrew it (kept in "
                   "the ledger).")
@click.pass_context
def appeal_withdraw(ctx: click.Context, appeal_id: int, reason: str) -> None:
    """End an open appeal without a decision (撤回申诉), with a reason."""
    with head_judge(ctx) as head:
        withdrawn = withdraw_appeal(head, appeal_id, reason)
    _say("cli_appeal_ended", appeal=withdrawn.id,
         status=Message(f"outcome_{withdrawn.status}"))


@click.command()
@click.pass_context
def official(ctx: click.Context) -> None:
    """Make official (正式) every published ranking whose appeal window has closed with no
    appeal open and no upheld correction waiting to be published; say where the others
    stand. `serve` and the console do this by themselves every 30 seconds."""
    with head_judge(ctx) as head:
        made = declare_official(head)
        standings = scope_standings(head)
        zone = event_zone(head.event)
    if not standings:
        _say("cli_no_window")
        return
    for s in standings:
        _say("cli_official_made" if s in made else f"cli_state_{s.state}",
             scope="/".join(p for p in (s.track, s.group) if p), version=s.version,
             closes=shown_iso(s.closes, zone, "%H:%M") if s.closes else "—")


COMMANDS = (appeal, official)
