"""The content of a sheet: the plain data it prints, as a dict of strings, for hashing.

`sheet_content(event, sheet)` is what a sheet's digest (`sheet_code.sheet_digest`) covers
and what `describe_changes` compares. Values are spelled exactly as printed (`words`), keyed
by ids so that two versions line up: `scores[JUDGE][CONTESTANT]` on every sheet that shows
scores, `standings[CONTESTANT]` on results, `flags[ID]`, `history[POSITION]`.

Pure: no layout, no I/O. An enrolment card's secret code is represented by its SHA-256,
so the content can be kept in the ledger without the secret.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from sync.event import Event, Text

from .model import (
    AppealDossier,
    BlankForm,
    ContestantSheet,
    DiscrepancyReport,
    EnrolmentCard,
    Excusal,
    Flag,
    Inventory,
    JudgeSheet,
    Override,
    Placing,
    ResultsSheet,
    Scope,
    ScoreSheet,
    Sheet,
)
from .words import advances_word, contestant_name, judge_name, langs, plain, scope_name, w, ws

__all__ = ["KINDS", "VERSION", "Content", "kind_of", "sheet_content", "subject_of",
           "subject_text", "tie_notes"]

VERSION = 2
"""The content's own version, `"v"`: 2 since sheets name people and speak the event's
languages in their system text (docs/printouts.md)."""

Content = dict[str, object]

KINDS: dict[type, str] = {
    JudgeSheet: "judge",
    ContestantSheet: "contestant",
    ResultsSheet: "results",
    DiscrepancyReport: "discrepancy",
    AppealDossier: "appeal",
    EnrolmentCard: "enrolment",
    Inventory: "inventory",
    BlankForm: "form",
}


def kind_of(sheet: Sheet) -> str:
    return KINDS[type(sheet)]


def subject_of(sheet: Sheet) -> str:
    """The id a sheet is about: a judge, a contestant, a scope (`track/group`), an appeal
    (or `appeal-contestant` for the page of a contestant its decision moved)."""
    if isinstance(sheet, JudgeSheet | EnrolmentCard | BlankForm):
        return sheet.judge
    if isinstance(sheet, ContestantSheet):
        return sheet.contestant
    if isinstance(sheet, AppealDossier):  # a moved contestant's page: `ID-CONTESTANT`
        return sheet.appeal + (f"-{sheet.moved_contestant}" if sheet.moved_contestant else "")
    if isinstance(sheet, ResultsSheet):
        return sheet.scope.track + (f"/{sheet.scope.group}" if sheet.scope.group else "")
    if isinstance(sheet, Inventory):
        return str(sheet.checkpoint)
    return "all"


def subject_text(event: Event, kind: str, subject: str) -> str:
    """What a sheet of `kind` about `subject` is about, by name: `J1 周立群`, `L05 沈秀`,
    a ranking's names, `申诉 A1 Appeal A1`; the discrepancy report is about everything."""
    lg = langs(event)
    if kind in ("judge", "enrolment", "form"):
        return f"{subject} {judge_name(event, subject)}"
    if kind == "contestant":
        return f"{subject} {contestant_name(event, subject)}"
    if kind == "results":
        track, _, group = subject.partition("/")
        return scope_name(event, track, group or None)
    if kind == "appeal":
        return w("appeal", lg) + f" {subject}"
    return w("inv_all", lg)


def sheet_content(event: Event, sheet: Sheet) -> Content:
    """Everything `sheet` prints, as canonical-ready plain data."""
    lg = langs(event)
    content: Content = {
        "v": VERSION,
        "kind": kind_of(sheet),
        "subject": subject_of(sheet),
        "event": {
            "id": event.id,
            "name": event.name.both(lg),
            "round": event.round.both(lg),
            "date": event.date.isoformat(),
            "venue": event.venue.both(lg),
        },
        "title": w(f"title.{kind_of(sheet)}", lg),
    }
    if isinstance(sheet, JudgeSheet):
        content.update(_judge(event, sheet))
    elif isinstance(sheet, ContestantSheet):
        content.update(_contestant(event, sheet.contestant, sheet.scores, sheet.overrides,
                                   sheet.placing))
        content.update(_contestant_extras(event, sheet))
    elif isinstance(sheet, ResultsSheet):
        content.update(_results(event, sheet))
    elif isinstance(sheet, DiscrepancyReport):
        content.update(_discrepancy(sheet))
    elif isinstance(sheet, AppealDossier):
        content.update(_appeal(event, sheet))
    elif isinstance(sheet, Inventory):
        content.update(_inventory(event, sheet))
    elif isinstance(sheet, BlankForm):
        content.update(form_content(event, sheet.judge))
    else:
        content.update(_enrolment(event, sheet))
    if isinstance(sheet, JudgeSheet | ContestantSheet | ResultsSheet) and sheet.excused:
        content["excused"] = excused_content(sheet.excused)
    return content


def form_content(event: Event, judge_id: str) -> Content:
    """A blank paper form: the judge, the criteria with max and step, and one row per
    contestant in running order (`struck` where the judge is recused: no boxes)."""
    judge = event.judge(judge_id)
    return {
        "judge": {"id": judge_id, "name": judge_name(event, judge_id)},
        "criteria": [{"id": c.id, "name": c.name.both(langs(event)), "max": plain(c.max),
                      "step": plain(c.step)} for c in event.criteria],
        "rows": [{"order": c.order, "contestant": c.id, "name": c.name,
                  "organisation": c.organisation, "track": c.track, "group": c.group,
                  "struck": judge is not None and event.is_recused(judge, c)}
                 for c in event.running_order()],
    }


def excused_content(excused: Sequence[Excusal]) -> dict[str, list[dict[str, object]]]:
    """Judge -> each excusal of the seat: contestants (None: the whole final), reason."""
    out: dict[str, list[dict[str, object]]] = {}
    for e in excused:
        out.setdefault(e.judge, []).append({
            "contestants": None if e.contestants is None else list(e.contestants),
            "reason": e.reason})
    return out


# --- pieces shared by several sheets ----------------------------------------------------------


def _values(values: Mapping[str, Decimal]) -> dict[str, str]:
    return {k: plain(v) for k, v in values.items()}


def override_content(o: Override) -> dict[str, str]:
    return {"from": plain(o.before), "to": plain(o.after), "reason": o.reason,
            "by": o.by, "at": o.at}


def score_entry(sheet: ScoreSheet, overrides: Iterable[Override]) -> dict[str, object]:
    """One judge's sheet for one contestant: current values, earlier revisions, overrides."""
    current = sheet.current
    return {
        "values": _values(current.values),
        "total": plain(current.total),
        "comment": current.comment,
        "revision": str(current.number),
        "reason": current.reason,
        "at": current.at,
        "signature": "paper" if sheet.paper is not None
        else "verified" if sheet.signature_ok else "invalid",
        "withdrawn": sheet.withdrawn,
        "earlier": {
            str(r.number): {"values": _values(r.values), "total": plain(r.total),
                            "comment": r.comment, "reason": r.reason, "at": r.at}
            for r in sheet.revisions[:-1]
        },
        "overrides": _keyed(
            (o.criterion, override_content(o)) for o in overrides
            if o.judge == sheet.judge and o.contestant == sheet.contestant
        ),
        # only on a paper sheet: a laptop sheet's content is what it was before paper
        **({} if sheet.paper is None else {"paper": {
            "form": sheet.paper.form, "operators": list(sheet.paper.operators)}}),
    }


def scores_content(scores: Sequence[ScoreSheet], overrides: Sequence[Override]
                   ) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for s in scores:
        out.setdefault(s.judge, {})[s.contestant] = score_entry(s, overrides)
    return out


def _keyed(pairs: Iterable[tuple[str, object]]) -> dict[str, object]:
    """A dict from pairs; a repeated key gets ` #2`, ` #3`... so nothing is lost."""
    out: dict[str, object] = {}
    for key, value in pairs:
        name, n = key, 1
        while name in out:
            n += 1
            name = f"{key} #{n}"
        out[name] = value
    return out


def placing_content(event: Event, p: Placing) -> dict[str, object]:
    content: dict[str, object] = {
        "rank": str(p.rank),
        "final": str(p.final),
        "panel": str(p.panel),
        "components": {k: str(v) for k, v in p.components.items()},
        "criterion_means": {k: str(v) for k, v in p.criterion_means.items()},
        "judges": _values(p.judges),
        "dropped": list(p.dropped),
        "prize": p.prize,
        "advances": None if event.advancement is None else advances_word(p.advances, ("en",)),
    }
    if event.honours:  # only then: other events' sheet codes stay as they were
        content["honours"] = list(p.honours)
    return content


def contestant_info(event: Event, contestant_id: str) -> dict[str, object]:
    c = event.contestant(contestant_id)
    if c is None:
        return {"id": contestant_id, "name": contestant_id}
    return {"id": c.id, "name": c.name, "organisation": c.organisation,
            "track": scope_name(event, c.track, None),
            "group": scope_name(event, c.track, c.group) if c.group else None,
            "members": c.members, "instructor": c.instructor}


# --- one function per sheet kind --------------------------------------------------------------


def _judge(event: Event, sheet: JudgeSheet) -> Content:
    judge = event.judge(sheet.judge)
    recused = [c.id for c in event.contestants if judge and event.is_recused(judge, c)]
    return {
        "judge": {"id": sheet.judge, "name": judge_name(event, sheet.judge),
                  "affiliation": judge.affiliation if judge else ""},
        "scores": scores_content(sheet.scores, sheet.overrides),
        "recused": recused,
    }


def _contestant(event: Event, contestant_id: str, scores: Sequence[ScoreSheet],
                overrides: Sequence[Override], placing: Placing | None) -> Content:
    contestant = event.contestant(contestant_id)
    recused = [j.id for j in event.judges if contestant and event.is_recused(j, contestant)]
    return {
        "contestant": contestant_info(event, contestant_id),
        "scores": scores_content(scores, overrides),
        "recused": recused,
        "result": placing_content(event, placing) if placing else None,
    }


def tie_notes(event: Event, scope: Scope, only: str | None = None) -> list[str]:
    """How each tie on the final score was broken, in the event's languages, contestants by
    id and name; with `only`, the ties that contestant is in."""
    lg = langs(event)

    def who(cid: str) -> str:
        return f"{cid} {contestant_name(event, cid)}"

    notes: list[str] = []
    ranking = scope.ranking
    i = 0
    while i < len(ranking):
        j = i
        while j + 1 < len(ranking) and ranking[j + 1].final == ranking[i].final:
            j += 1
        run = ranking[i : j + 1]
        for a, b in itertools.pairwise(run):
            if a.rank == b.rank or only not in (None, a.contestant, b.contestant):
                continue
            for key in event.scoring.tiebreak:
                va, vb = _tiebreak_value(a, key.kind, key.id), _tiebreak_value(b, key.kind, key.id)
                if va != vb:
                    notes.append(ws("tie_broken", lg, a=who(a.contestant), b=who(b.contestant),
                                    final=a.final, key=_key_name(event, key.kind, key.id),
                                    va=va, vb=vb))
                    break
        shared: dict[int, list[str]] = {}
        for p in run:
            shared.setdefault(p.rank, []).append(p.contestant)
        for rank, tied in shared.items():
            if len(tied) > 1 and only in (None, *tied):
                notes.append(ws("tie_shared", lg, who=", ".join(map(who, tied)), rank=rank))
        i = j + 1
    return notes


def _tiebreak_value(p: Placing, kind: str, key: str) -> Decimal | None:
    return (p.components if kind == "component" else p.criterion_means).get(key)


def _key_name(event: Event, kind: str, key: str) -> Text:
    named = event.component(key) if kind == "component" else event.criterion(key)
    name = named.name if named else Text(key, key)
    return Text(f" {name.zh} ", name.en)


def _results(event: Event, sheet: ResultsSheet) -> Content:
    scope = sheet.scope
    standings: dict[str, object] = {}
    for p in scope.ranking:
        entry = placing_content(event, p)
        entry["name"] = contestant_name(event, p.contestant)
        c = event.contestant(p.contestant)
        entry["organisation"] = c.organisation if c else ""
        if event.honours:
            entry["honours"] = list(p.honours)
        standings[p.contestant] = entry
    signatories = [judge_name(event, j.id) for j in event.judges] + [sheet.head_judge]
    if event.notary:
        signatories.append(sheet.notary)
    return {
        "version": None if sheet.version is None else {
            "n": sheet.version, "published_at": sheet.published_at,
            **({"state": sheet.state, "appeals_close": sheet.appeals_close}
               if sheet.state else {})},
        "scope": {"track": scope.track, "group": scope.group,
                  "name": scope_name(event, scope.track, scope.group)},
        "standings": standings,
        "ties": tie_notes(event, scope),
        "decisions": list(scope.decisions),
        "absent": list(scope.absent),
        "unresolved": list(scope.unresolved),
        "signatories": signatories,
        **({"organisations": [
            {"award": t.award, "ranking": [
                {"rank": o.rank, "organisation": o.organisation, "score": str(o.score),
                 "contestants": list(o.contestants), "awarded": o.awarded}
                for o in t.ranking]} for t in sheet.organisations]}
           if sheet.organisations else {}),
    }


def flags_content(flags: Sequence[Flag]) -> dict[str, object]:
    return _keyed(
        (f.id, {"contestant": f.contestant, "rule": f.rule, "judges": list(f.judges),
                "detail": f.detail, "raised_at": f.raised_at, "status": f.status,
                "resolution": f.resolution, "resolved_at": f.resolved_at})
        for f in flags)


def _contestant_extras(event: Event, sheet: ContestantSheet) -> Content:
    return {
        "absent": sheet.absent,
        "ties": [] if sheet.scope is None else tie_notes(event, sheet.scope, sheet.contestant),
        "flags": flags_content(sheet.flags),
        "appeals": [{"appeal": a.appeal, "filed_at": a.filed_at, "ground": a.ground,
                     "outcome": a.outcome, "reason": a.reason, "decided_at": a.decided_at}
                    for a in sheet.appeals],
        "signatories": [sheet.head_judge],
    }


def _inventory(event: Event, sheet: Inventory) -> Content:
    return {
        "sheets": [{"code": line.code, "kind": line.kind, "subject": line.subject,
                    "name": subject_text(event, line.kind, line.subject),
                    "pages": line.pages} for line in sheet.lines],
        "signatories": [sheet.notary, sheet.head_judge],
    }


def _discrepancy(sheet: DiscrepancyReport) -> Content:
    return {
        "flags": flags_content(sheet.flags),
        "signatories": [sheet.head_judge],
        "overrides": _keyed(
            (f"{o.judge}/{o.contestant}/{o.criterion}", override_content(o))
            for o in sheet.overrides
        ),
    }


def _appeal(event: Event, sheet: AppealDossier) -> Content:
    content = _contestant(event, sheet.contestant, sheet.scores, sheet.overrides, sheet.placing)
    d = sheet.decision
    content.update({
        "appeal": {"id": sheet.appeal, "contestant": sheet.contestant, "ground": sheet.ground,
                   "filed_by": sheet.filed_by, "filed_at": sheet.filed_at,
                   **({"category": sheet.category} if sheet.category != "calculation"
                      else {}),
                   **({"evidence": list(sheet.evidence)} if sheet.evidence else {}),
                   **({"replies": list(sheet.replies)} if sheet.replies else {}),
                   **({"page_of": sheet.moved_contestant} if sheet.moved_contestant
                      else {})},
        "history": _keyed(
            (str(h.position), {"at": h.at, "actor": h.actor, "action": h.action,
                               "detail": h.detail, "signature": h.signature})
            for h in sheet.history
        ),
        "checkpoints": _keyed((str(c.size), {"root": c.root, "at": c.at})
                              for c in sheet.checkpoints),
        "preview": list(sheet.preview),
        "decision": None if d is None else {
            "outcome": d.outcome, "reason": d.reason, "committee": list(d.committee),
            "decided_at": d.decided_at,
            **({"votes": [list(v) for v in d.votes]} if d.votes else {}),
            **({"correction": list(d.correction), "moved": list(d.moved)}
               if d.correction else {})},
        # who signs: each member beside their vote when the committee voted, else each
        # member who decided; then the head judge
        "signatories": [*((v[0] for v in d.votes) if d and d.votes
                          else d.committee if d else ()), sheet.head_judge],
    })
    return content


def _enrolment(event: Event, card: EnrolmentCard) -> Content:
    return {
        "card": {"judge": card.judge, "name": judge_name(event, card.judge), "seat": card.seat,
                 "code_id": card.code_id,
                 "fingerprint": card.fingerprint, "expires": card.expires},
    }
