"""`head-judge` commands for the head judge's record: flags, reviews, overrides, withdrawals,
excused seats, locks, imported components, tie decisions, results, publishing and appeals.

Each command opens the master in `--home` (whether or not `serve` is running: SQLite WAL and
a busy timeout serialise the writes) and calls one function of `head_judge.actions` or
`head_judge.appeals`; a refusal is printed as `error: ...` with exit code 2 by `KioskGroup`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from sync.zones import event_zone, shown_iso

from ..actions import ActionRefused, ComponentPreview, HeadJudge, describe_changes
from ..appeals import ScopeStanding, scope_standings
from ..entry_lines import flag_message
from ..refusals import Message
from ..report import print_results
from ..reveal import reveal as reveal_contestant
from ..scoring import (
    OrganisationRanking,
    OrganisationStanding,
    Results,
    ScopeResult,
    Standing,
    plain,
)
from .common import REASON, echo_json, echo_row, echo_said, head_judge, recording, said_entries

_SCOPE_TRACK = click.option("--track", required=True, help="Track of the ranking.")
_SCOPE_GROUP = click.option("--group", default=None, help="Group of the ranking, if any.")


# --- discrepancies ----------------------------------------------------------------------------


@click.command()
@click.option("--all", "everything", is_flag=True, help="Also accepted and cleared flags.")
@click.option("--contestant", default=None, help="Only this contestant's flags.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def flags(ctx: click.Context, everything: bool, contestant: str | None, as_json: bool) -> None:
    """List discrepancy flags (open ones unless --all)."""
    with head_judge(ctx) as head:
        rows = head.flags(None if everything else "open", contestant)
    if as_json:
        echo_json([{"id": f.id, "contestant": f.contestant, "rule": f.rule,
                     "criterion": f.criterion, "judges": list(f.judges),
                     "values": {j: plain(v) for j, v in f.compared.items()},
                     "difference": plain(f.difference), "threshold": plain(f.threshold),
                     "key": f.key, "status": f.status, "note": f.note} for f in rows])
        return
    for f in rows:
        echo_row(head.event.languages, f.id, Message(f"status_{f.status}"),
                  flag_message(f.flag(), head.event), *([f.note] if f.note else []))
    if not rows:
        echo_said(Message("cli_no_flags" if everything else "cli_no_open_flags"),
                  head.event.languages)



@click.command("accept-flag")
@click.argument("flag", type=int)
@click.option("--note", default="", help="Why the difference stands (required).")
@click.pass_context
def accept_flag(ctx: click.Context, flag: int, note: str) -> None:
    """Accept an open flag as it is, with a note."""
    with recording(ctx) as head:
        head.accept_flag(flag, note)


@click.command("accept-flags")
@click.argument("contestant")
@click.option("--note", default="", help="Why the differences stand (required).")
@click.option("--dry-run", is_flag=True, help="Only list the open flags; record nothing.")
@click.pass_context
def accept_flags(ctx: click.Context, contestant: str, note: str, dry_run: bool) -> None:
    """Accept every open flag of a contestant with one note (one ledger entry)."""
    with recording(ctx) as head:
        cid = head.contestant(contestant).id
        rows = head.flags("open", cid)
        if not rows:
            raise ActionRefused("no_open_flags", contestant=cid)
        if not dry_run:
            head.accept_flags(cid, note, [f.id for f in rows])
            return
    for f in rows:
        echo_row(head.event.languages, f.id, flag_message(f.flag(), head.event))
    echo_said(Message("cli_nothing_recorded", what=Message(
        "cli_flags_would_accept", n=len(rows), contestant=cid)), head.event.languages)


@click.command("request-review")
@click.argument("judge")
@click.option("--flag", type=int, default=None, help="The flag the review is about.")
@click.option("--contestant", default=None, help="The contestant (when there is no flag).")
@click.option("--note", default="", help="What the judge should look at (required).")
@click.pass_context
def request_review(ctx: click.Context, judge: str, flag: int | None, contestant: str | None,
                   note: str) -> None:
    """Ask a judge to review a sheet; the request reaches the judge's terminal."""
    with recording(ctx) as head:
        head.request_review(judge, note, flag=flag, contestant=contestant)


@click.command()
@click.option("--all", "everything", is_flag=True, help="Also answered and closed reviews.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def reviews(ctx: click.Context, everything: bool, as_json: bool) -> None:
    """List review requests (open ones unless --all)."""
    with head_judge(ctx) as head:
        rows = head.reviews(None if everything else "open")
    if as_json:
        echo_json([{"id": r.id, "judge": r.judge, "contestant": r.contestant,
                     "flag": r.flag, "note": r.note, "status": r.status,
                     "answer": r.answer_text} for r in rows])
        return
    for r in rows:
        echo_row(head.event.languages, r.id, Message(f"review_status_{r.status}"), r.judge,
                  r.contestant, r.note, *([r.answer_text] if r.answer_text else []))
    if not rows:
        echo_said(Message("cli_no_reviews" if everything else "cli_no_open_reviews"),
                  head.event.languages)


@click.command()
@click.argument("judge")
@click.argument("contestant")
@click.argument("criterion")
@click.argument("value")
@REASON
@click.option("--despite-appeal", default="",
              help="Why the value changes although an appeal about the contestant was "
                   "rejected (required then; kept in the ledger).")
@click.pass_context
def override(ctx: click.Context, judge: str, contestant: str, criterion: str, value: str,
             reason: str, despite_appeal: str) -> None:
    """Override one value of a judge's sheet (both values are kept)."""
    with recording(ctx) as head:
        head.override_value(judge, contestant, criterion, value, reason,
                            despite_appeal=despite_appeal)


@click.command("withdraw-sheet")
@click.argument("judge")
@click.argument("contestant")
@REASON
@click.pass_context
def withdraw_sheet(ctx: click.Context, judge: str, contestant: str, reason: str) -> None:
    """Withdraw a judge's sheet for a contestant (e.g. the judge was taken ill)."""
    with recording(ctx) as head:
        head.withdraw_sheet(judge, contestant, reason)


_EXCUSED_FOR = click.option(
    "--contestant", "contestants", multiple=True, metavar="ID",
    help="Only for this contestant (repeat for several); none: the whole final.")


@click.command("excuse-judge")
@click.argument("judge")
@_EXCUSED_FOR
@REASON
@click.pass_context
def excuse_judge(ctx: click.Context, judge: str, contestants: tuple[str, ...],
                 reason: str) -> None:
    """Excuse JUDGE's seat for the whole final or for chosen contestants (e.g. absent all
    day): their panels count without that judge, and the judge's sheets for them are
    refused and no longer count."""
    with recording(ctx) as head:
        head.excuse_judge(judge, reason, list(contestants) or None)


@click.command("restore-judge")
@click.argument("judge")
@_EXCUSED_FOR
@REASON
@click.pass_context
def restore_judge(ctx: click.Context, judge: str, contestants: tuple[str, ...],
                  reason: str) -> None:
    """Undo an excusal of JUDGE's seat: every excusal, or for the contestants named."""
    with recording(ctx) as head:
        head.restore_judge(judge, reason, list(contestants) or None)


# --- locks ------------------------------------------------------------------------------------


@click.command()
@click.argument("contestant")
@click.option("--force", is_flag=True,
              help="Lock although sheets are missing or flags are open (needs --reason).")
@REASON
@click.pass_context
def lock(ctx: click.Context, contestant: str, force: bool, reason: str) -> None:
    """Lock a contestant: no further sheets or changes."""
    with recording(ctx) as head:
        head.lock(contestant, reason=reason, force=force)


@click.command()
@click.argument("contestant")
@click.pass_context
def reveal(ctx: click.Context, contestant: str) -> None:
    """Reveal a contestant's scores to the hall (亮分): each judge's total, the totals struck
    out, the panel score and the final score appear on the screen server's pages. Refused
    while a sheet is missing or a flag or review is open."""
    with recording(ctx) as head:
        reveal_contestant(head, contestant)


@click.command("lock-ready")
@click.argument("contestants", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Only list who is ready and who is not.")
@REASON
@click.pass_context
def lock_ready(ctx: click.Context, contestants: tuple[str, ...], dry_run: bool,
               reason: str) -> None:
    """Lock, in one ledger entry, every contestant that is complete (a sheet from each judge
    of its panel) and clear (no open flag or review); or exactly the CONTESTANTS named, each
    of which must be."""
    with recording(ctx) as head:
        if not dry_run:
            head.lock_ready(reason, list(contestants) or None)
            return
        named = {head.contestant(c).id for c in contestants}
        locks = head.locks()
        order = sorted(head.event.contestants, key=lambda c: (c.order, c.id))
        waiting = [(c.id, head.lock_blockers(c.id)) for c in order
                   if c.id not in locks and (not named or c.id in named)]
    ready = [cid for cid, blockers in waiting if not blockers]
    for cid, blockers in waiting:
        echo_row(head.event.languages, cid, Message("cli_lock_not_ready", blockers=blockers)
                  if blockers else Message("cli_lock_ready"))
    echo_said(Message("cli_nothing_recorded", what=Message("cli_locks_would", n=len(ready))),
              head.event.languages)


@click.command()
@click.argument("contestant")
@REASON
@click.pass_context
def unlock(ctx: click.Context, contestant: str, reason: str) -> None:
    """Unlock a contestant (a reason is required)."""
    with recording(ctx) as head:
        head.unlock(contestant, reason)


# --- components and ties ----------------------------------------------------------------------


@click.command("import-component")
@click.argument("component")
@click.argument("file", metavar="FILE.csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--preview", is_flag=True, help="Only show what would change.")
@REASON
@click.pass_context
def import_component(ctx: click.Context, component: str, file: Path, preview: bool,
                     reason: str) -> None:
    """Import values of a component (contestant,value) from CSV or XLSX."""
    with head_judge(ctx) as head:
        if preview:
            _show_preview(head.preview_components(component, file), head.event.languages)
            return
        before = len(head.master.ledger)
        changes = head.import_components(component, file, reason=reason).changes
        recorded = said_entries(head, before)
    for c in changes:
        old = "—" if c.old is None else plain(c.old)
        click.echo(f"{c.contestant}\t{old} → {plain(c.new)}")
    for line in recorded:
        click.echo(line)


def _show_preview(preview: ComponentPreview, languages: tuple[str, ...]) -> None:
    """Every row of the file: new, changed, unchanged or blocked, and why (a line in each
    language); then what an import would need."""
    for r in preview.rows:
        old = "—" if r.old is None else plain(r.old)
        echo_row(languages, r.contestant, r.said_status, f"{old} → {plain(r.new)}", r.why())
    echo_said(Message("cli_nothing_recorded", what=preview.counts()), languages)
    problem = preview.problem()
    if problem is None and preview.needs_reason:
        problem = Message("import_needs_reason", option="--reason")
    if problem is not None:
        echo_said(problem, languages)


@click.command("decide-tie")
@click.argument("contestants", nargs=-1, required=True)
@click.option("--track", default=None, help="Track of the ranking (not with --award).")
@_SCOPE_GROUP
@click.option("--award", default=None,
              help="An organisation award: CONTESTANTS are then the tied organisations, "
                   "named as the results name them.")
@click.option("--kind", type=click.Choice(["order", "shared"]), required=True,
              help="order: rank them as listed; shared: they share the better prize.")
@REASON
@click.pass_context
def decide_tie(ctx: click.Context, contestants: tuple[str, ...], track: str | None,
               group: str | None, award: str | None, kind: str, reason: str) -> None:
    """Decide an unresolved tie (for `order`, list the contestants in the decided order);
    with --award, a tie between organisations for an organisation award."""
    with recording(ctx) as head:
        if (track is None) == (award is None):
            raise ActionRefused("cli_tie_needs_track_or_award")
        head.decide_tie(None if track is None else (track, group), contestants, kind,
                        contestants if kind == "order" else (), reason, award=award)


# --- results ----------------------------------------------------------------------------------


@click.command()
@_SCOPE_TRACK
@_SCOPE_GROUP
@REASON
@click.pass_context
def publish(ctx: click.Context, track: str, group: str | None, reason: str) -> None:
    """Publish a ranking's results as its next version, with a signed checkpoint."""
    with recording(ctx) as head:
        published = head.publish((track, group), reason)
        earlier = {r.version: r for r in head.publications((track, group))}.get(
            published.version - 1)
        changes = [] if earlier is None else [
            describe_changes(earlier.document, published.document, lang, head.event)
            for lang in head.event.languages]
    for lines in changes:  # what moved since the version before, in each language
        for line in lines:
            click.echo(f"  {line}")


def _published_document(head: HeadJudge, track: str | None, group: str | None,
                        version: int | None) -> dict[str, Any]:
    if version is not None and track is None:
        raise ActionRefused("cli_version_needs_track")
    if track is not None:
        head.scope((track, group))
        rows = head.publications((track, group))
    else:
        rows = head.publications()
    if version is not None:
        rows = [r for r in rows if r.version == version]
    latest = {(r.track, r.group): r for r in rows}
    if not latest:
        raise ActionRefused("no_such_published" if version is not None
                            else "nothing_published")
    keys = sorted(latest, key=lambda k: (k[0], k[1] or ""))
    scopes = [s for key in keys for s in latest[key].document["scopes"]]
    document: dict[str, Any] = {"event": head.event.id, "scopes": scopes, "unresolved": []}
    if track is None and version is None and head.event.organisation_awards:
        document.update(head.published_organisations())
    states = {(s.track, s.group): s for s in scope_standings(head)}
    document["publications"] = [
        {"track": latest[key].track, "group": latest[key].group,
         "version": latest[key].version, "at": latest[key].at, "reason": latest[key].reason,
         **_state(states.get(key), latest[key].version)}
        for key in keys]
    return document


def _state(standing: ScopeStanding | None, version: int) -> dict[str, Any]:
    """`state` (provisional, official, or superseded for an older version) and when its
    appeal window closes; nothing when the event sets no window."""
    if standing is None:
        return {}
    state = standing.state if standing.version == version else "superseded"
    return {"state": state, "appeals_close": standing.closes}


def _publication_line(head: HeadJudge, row: Mapping[str, Any]) -> str:
    """One published version as the head judge reads it: ranking, version, time, reason."""
    scope = "/".join(p for p in (row["track"], row["group"]) if p)
    when = shown_iso(row["at"], event_zone(head.event), "%Y-%m-%d %H:%M")
    reason = f" · 原因 reason: {row['reason']}" if row["reason"] else ""
    state = ""
    if row.get("state"):
        closes = shown_iso(row["appeals_close"], event_zone(head.event), "%H:%M") \
            if row.get("appeals_close") else "—"
        said = Message(f"state_{row['state']}", closes=closes)
        state = f" · {said.render('zh')} {said.render('en')}"
    return f"{scope}: 第 {row['version']} 版 version {row['version']} · {when}{reason}{state}"


def _for_display(document: Mapping[str, Any]) -> Results:
    """A published document in the shape `print_results` reads. A published document has no
    panel score or criterion means; the table shows neither, so they are left empty. Its
    honours and organisation awards, when it has them, are shown too."""
    return Results(document["event"], tuple(
        ScopeResult(scope["track"], scope["group"], tuple(
            Standing(row["contestant"], row["rank"], Decimal(row["final"]), Decimal("NaN"),
                     {k: Decimal(v) for k, v in row["components"].items()}, {},
                     {k: Decimal(v) for k, v in row["judges"].items()},
                     tuple(row["dropped"]), row["prize"], row["advances"],
                     tuple(row.get("honours", ())))
            for row in scope["ranking"]), ())
        for scope in document["scopes"]), (),
        organisations=tuple(
            OrganisationRanking(o["award"], tuple(
                OrganisationStanding(s["rank"], s["organisation"], Decimal(s["score"]),
                                     tuple(s["contestants"]), s["awarded"])
                for s in o["ranking"]))
            for o in document.get("organisations", ())),
        honours=any("honours" in row for scope in document["scopes"]
                    for row in scope["ranking"]))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the results document as JSON.")
@click.option("--published", is_flag=True, help="The published versions, not the live results.")
@click.option("--track", default=None, help="Only this track (with --published).")
@click.option("--group", default=None, help="Only this group (with --published).")
@click.option("--version", "version", type=int, default=None,
              help="This published version (with --published and --track).")
@click.option("--diff", "diff", type=int, nargs=2, default=None, metavar="A B",
              help="What moved from published version A to version B of a ranking (with "
                   "--track).")
@click.pass_context
def results(ctx: click.Context, as_json: bool, published: bool, track: str | None,
            group: str | None, version: int | None, diff: tuple[int, int] | None) -> None:
    """Print the live results, or the latest published version of each ranking (with its
    version, time and reason), or what moved between two published versions."""
    with head_judge(ctx) as head:
        event = head.event
        if diff is not None:
            _print_diff(head, track, group, diff, as_json)
            return
        if published:
            document = _published_document(head, track, group, version)
            shown = _for_display(document)
            if not as_json:
                for row in document["publications"]:
                    click.echo(_publication_line(head, row))
        else:
            if track is not None or version is not None:
                raise ActionRefused("cli_published_options")
            shown = head.current_results()
            document = shown.to_document()
    if as_json:
        echo_json(document)
    else:
        print_results(event, shown)


def _print_diff(head: HeadJudge, track: str | None, group: str | None,
                versions: tuple[int, int], as_json: bool) -> None:
    """`results --diff A B`: the changes from version A to version B of one ranking, as
    `publish` listed them, in Chinese then English."""
    if track is None:
        raise ActionRefused("cli_diff_needs_track")
    head.scope((track, group))
    rows = {r.version: r for r in head.publications((track, group))}
    missing = [v for v in versions if v not in rows]
    if missing:
        raise ActionRefused("no_such_version", versions=missing, scope=head.scope_text(
            (track, group)), known=sorted(rows) or "—")
    before, after = rows[versions[0]], rows[versions[1]]
    changes = {lang: describe_changes(before.document, after.document, lang, head.event)
               for lang in ("zh", "en")}
    if as_json:
        echo_json({"track": track, "group": group, "from": versions[0], "to": versions[1],
                    "to_at": after.at, "to_reason": after.reason, "changes": changes["en"]})
        return
    for row in (before, after):
        click.echo(_publication_line(head, {"track": row.track, "group": row.group,
                                            "version": row.version, "at": row.at,
                                            "reason": row.reason}))
    for lang in ("zh", "en"):
        for line in changes[lang] or [Message("diff_nothing").render(lang)]:
            click.echo(f"  {line}")


COMMANDS = (
    flags, accept_flag, accept_flags, request_review, reviews, override, withdraw_sheet,
    excuse_judge, restore_judge, lock, reveal, lock_ready, unlock, import_component,
    decide_tie, publish, results,
)
