"""What a ledger entry records, in words: `entry_line`, one table of kinds said the same way by
the console (Audit and Contestant screens), an appeal's dossier (screen, CLI, printed sheet,
and so `verify`'s change lines over a printed history) and the export's summaries.

The words are the head judge's catalogue's `line_*` (`head_judge.refusals`); a line is a
`Message`, rendered in whichever language the reader has. Seen from the whole ledger, a line
names the contestant (or ranking) it is about before what happened; on a contestant's dossier
(`about`), it says what the entry meant for that contestant only (their draw number, their
imported value, their published place). Criteria and rankings go by the event's names when
the event is given, by their ids otherwise.

Pure: reads the entry and the judge's signed body inside it; no I/O, no clock. It does not
decide what an entry is about (`appeals._touches`, `LedgerCache.contestants_of` do)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sync.canonical import canonical_bytes
from sync.event import APPEAL_CATEGORIES, Event, Text
from sync.phrases import fields

from .discrepancy import Flag
from .ledger import Entry
from .paper_history import operator_of
from .refusals import REFUSALS, UNTRANSLATED, Message, read_back, recorded
from .scoring import plain
from .succession import successor_address

__all__ = ["APPLIED_BY_APPEAL", "LINES", "SIGNED_KINDS", "PaperTypings", "actor_said",
           "checkpoint_reason",
           "correction_messages", "entry_line", "flag_message", "signed_body"]

SIGNED_KINDS: Final = ("sheet_received", "review_confirmed", "alarm")
"""Kinds whose payload carries a judge's signed body."""

APPLIED_BY_APPEAL: Final = frozenset({
    "value_overridden", "sheet_withdrawn", "contestant_unlocked", "contestant_locked",
    "flags_accepted"})
"""Kinds an upheld appeal's decision records as its correction, naming the appeal."""


def signed_body(entry: Entry) -> dict[str, Any] | None:
    """The judge's signed body inside a `sheet_received` / `review_confirmed` / alarm entry."""
    if entry.kind not in SIGNED_KINDS or not isinstance(entry.payload.get("body"), str):
        return None
    try:
        body = json.loads(entry.payload["body"])
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@dataclass(frozen=True)
class _Names:
    """How a line names criteria, rankings and prizes: by the event's names, or by ids."""

    event: Event | None
    typing: Mapping[int, int]

    def criterion(self, criterion: str | None) -> Text | str:
        found = self.event.criterion(criterion) if self.event and criterion else None
        return found.name if found is not None else (criterion or "")

    def component(self, component: str) -> Text | str:
        found = self.event.component(component) if self.event else None
        return found.name if found is not None else component

    def scope(self, track: str | None, group: str | None) -> Text | str:
        """`主赛道 · 本科组` / `Main track · Undergraduate`, ids where unnamed."""
        names: list[Text] = []
        for found, key in ((self.event.track(track) if self.event and track else None, track),
                           (self.event.group(group) if self.event and group else None, group)):
            if key:
                names.append(found.name if found is not None else Text(key, key))
        return Text(" · ".join(n.get("zh") for n in names), " · ".join(n.get("en") for n in names))

    def prize(self, prize: str) -> Text | str:
        tier = next((t for t in self.event.awards.tiers if t.id == prize), None) \
            if self.event else None
        return Text(tier.name.zh or prize, prize) if tier is not None else prize

    def values(self, values: Mapping[str, Any]) -> Text | str:
        """`产品推介 18, 直播数据分 9` / `Product pitch 18, …`: in the event's order of criteria
        and by their names; `pitch 18, data 9` without the event."""
        if self.event is None:
            return ", ".join(f"{k} {v}" for k, v in sorted(values.items()))
        order = [c.id for c in self.event.criteria]
        ranked = sorted(values.items(), key=lambda kv: (
            order.index(kv[0]) if kv[0] in order else len(order), kv[0]))
        named = [(self.criterion(k), v) for k, v in ranked]
        return Text(*(", ".join(f"{n.get(lang) if isinstance(n, Text) else n} {v}"
                                for n, v in named) for lang in ("zh", "en")))


class PaperTypings:
    """Which typing of its paper sheet's round each `paper_entered` entry is (1, 2, 3): two
    operators type each form, a third when they disagree. `read` entries in ledger order."""

    def __init__(self) -> None:
        self._rounds: dict[tuple[object, ...], int] = {}
        self.of: dict[int, int] = {}

    def read(self, entries: Iterable[Entry]) -> PaperTypings:
        for entry in entries:
            if entry.kind == "paper_entered":
                p = entry.payload
                key = (p.get("judge"), p.get("contestant"), p.get("round"))
                self._rounds[key] = self.of[entry.seq] = self._rounds.get(key, 0) + 1
        return self


def entry_line(entry: Entry, *, event: Event | None = None, about: str | None = None,
               typings: PaperTypings | None = None, body: Mapping[str, Any] | None = None
               ) -> Message:
    """What `entry` records, as one line; `about`: the contestant whose dossier this is;
    `typings`: which typing each paper entry is, when the caller has read the ledger;
    `body`: the entry's `signed_body`, when the caller has already read it."""
    names = _Names(event, typings.of if typings is not None else {})
    p = entry.payload
    if body is None:
        body = signed_body(entry)
    try:
        line = LINES[entry.kind](entry, body, names, about) if entry.kind in LINES else None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ArithmeticError):
        line = None  # a payload of a shape this version does not know: its fields, as recorded
    if line is None:
        return Message(UNTRANSLATED, text=_payload_text(p))
    if about is None:
        subject = _subject(entry, body, names)
        if subject:
            line = Message("line_about", subject=subject, line=line)
    if isinstance(p.get("appeal"), int) and entry.kind in APPLIED_BY_APPEAL:
        line = Message("line_by_appeal", line=line, appeal=p["appeal"])
    despite = p.get("despite_appeal")
    if isinstance(despite, dict):
        line = Message("line_despite_appeal", line=line, appeal=despite.get("appeal"),
                       reason=despite.get("reason", ""))
    return line


def _payload_text(payload: Mapping[str, Any]) -> str:
    """A payload's top-level fields, long values cut."""
    parts = []
    for key, value in payload.items():
        text = value if isinstance(value, str) else canonical_bytes(value).decode("utf-8")
        parts.append(f"{key}={text[:40]}{'…' if len(text) > 40 else ''}")
    return ", ".join(parts)


_NAMES_ITS_SUBJECT: Final = frozenset({
    "flag_raised", "flags_accepted", "appeal_replied", "contestant_revealed", "tie_decided",
    "contestants_locked", "draw_made", "components_imported", "on_stage"})
"""Kinds whose line already names whom it is about."""


def _subject(entry: Entry, body: Mapping[str, Any] | None, names: _Names) -> Text | str:
    """Whom a line seen from the whole ledger is about: the contestant, or the ranking."""
    if entry.kind in _NAMES_ITS_SUBJECT:
        return ""
    p = entry.payload
    if entry.kind in ("results_published", "results_official"):
        return names.scope(p.get("track"), p.get("group"))
    contestant = p.get("contestant") or (body or {}).get("contestant")
    return contestant if isinstance(contestant, str) else ""


def _opt(key: str, value: object, **params: object) -> Message | str:
    return Message(key, **params) if value else ""


_Line = Callable[[Entry, "Mapping[str, Any] | None", _Names, "str | None"], "Message | None"]


def _sheet(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
           ) -> Message | None:
    if body is None:
        return None
    return Message("line_sheet", judge=body["judge"], revision=body["revision"],
                   total=plain(sum((Decimal(v) for v in body["values"].values()), Decimal(0))),
                   values=names.values(body["values"]),
                   reason=_opt("line_reason", body.get("reason"), reason=body.get("reason")),
                   comment=_opt("line_comment", body.get("comment"), comment=body.get("comment")))


def _confirmed(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
               ) -> Message | None:
    if body is None:
        return None
    return Message("line_confirmed", judge=body["judge"], review=entry.payload["review"],
                   comment=_opt("line_colon", body.get("comment"), text=body.get("comment")))


def _flag(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
          ) -> Message:
    p = entry.payload
    return Message("line_flag_raised", flag=entry.seq, description=flag_message(Flag(
        p["contestant"], p["rule"], p["criterion"], tuple(p["judges"]),
        {j: Decimal(v) for j, v in p["values"].items()}, Decimal(p["difference"]),
        Decimal(p["threshold"])), names.event))


def _imported(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
              ) -> Message:
    p = entry.payload
    reason = _opt("line_reason", p.get("reason"), reason=p.get("reason"))
    if about is None:
        return Message("line_imported_all", component=names.component(p["component"]),
                       file=p["file"],
                       sha=p["sha256"], n=len(p.get("changes", [])), reason=reason)
    old = {c["contestant"]: c["old"] for c in p.get("changes", [])}
    return Message("line_imported", component=names.component(p["component"]),
                   value=p["values"][about],
                   was=_opt("line_was", old.get(about), old=old.get(about)),
                   file=p["file"], sha=p["sha256"], reason=reason)


def _published(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
               ) -> Message:
    p = entry.payload
    if about is None:
        return Message("line_published", version=p["version"], place="")
    rows = [r for s in p["document"]["scopes"] for r in s["ranking"] if r["contestant"] == about]
    place: Message = Message("line_not_ranked")
    if rows and (names.event is None or names.event.awards.tiers):
        prize = rows[0]["prize"]
        place = Message("line_place", rank=rows[0]["rank"], final=rows[0]["final"],
                        prize=Message("none") if not prize else names.prize(prize))
    elif rows:
        place = Message("line_place_unawarded", rank=rows[0]["rank"], final=rows[0]["final"])
    return Message("line_published", version=p["version"], place=place)


def _draw(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
          ) -> Message:
    p = entry.payload
    how = (Message("line_draw_seed", seed=p["seed"]) if p["method"] == "seed"
           else Message("line_draw_import", file=p["file"], sha=p["digest"]))
    if about is None:
        return Message("line_draw_all", how=how, n=len(p["draws"]))
    return Message("line_draw", draw=p["draws"][about], how=how)


def _filed(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
           ) -> Message:
    p = entry.payload
    extra: list[Message] = []
    if p.get("category") in APPEAL_CATEGORIES:
        extra.append(Message("line_appeal_category",
                             category=Message(f"line_category_{p['category']}")))
    if p.get("evidence"):
        extra.append(Message("line_evidence", names=[e["name"] for e in p["evidence"]]))
    if p.get("late"):
        extra.append(Message("line_late", reason=p["late"]))
    return Message("line_appeal_filed", appeal=entry.seq, filed_by=p["filed_by"],
                   ground=p["ground"], extra=Message("line_extra", parts=extra) if extra else "")


def _decided(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
             ) -> Message:
    p = entry.payload
    decided = Message("line_appeal_decided", appeal=p["appeal"],
                      outcome=Message(f"outcome_{p['outcome']}"), reason=p["reason"])
    if "correction" not in p and "votes" not in p:
        return decided
    votes = [Message("line_vote_conflict" if v["conflict"] else "line_vote", member=v["member"],
                     vote=Message(f"vote_{v['vote']}")) for v in p.get("votes", [])]
    return Message("line_appeal_decided_with", decided=decided,
                   correction=correction_messages(p.get("correction"), names.criterion)
                   or Message("none"),
                   votes=votes or Message("none"),
                   moved=list(p.get("moved", [])) or Message("none"))


def _locked(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
            ) -> Message:
    p = entry.payload
    blockers = [_blocker(str(b)) for b in p.get("blockers", [])] or Message("none")
    return Message("line_locked", reason=_opt("line_colon", p.get("reason"), text=p.get("reason")),
                   forced=_opt("line_forced", p.get("forced"), blockers=blockers))


_LOCK_BLOCKERS: Final = ("blocker_no_sheet", "blocker_flag", "blocker_review",
                          "blocker_sheet_conflict")
_FLAGS: Final = ("flag_outlier", "flag_total_spread", "flag_criterion_spread")


def _blocker(text: str) -> Message:
    """What a forced lock went past, as the ledger keeps it (its English), read back into the
    message it was said from so that it shows in either language."""
    for key in _LOCK_BLOCKERS:
        found = read_back(key, text)
        if found is None:
            continue
        if key == "blocker_flag":
            described = str(found.params["description"])
            flag = next((m for m in (read_back(f, described) for f in _FLAGS) if m), None)
            return Message(key, flag=found.params["flag"], description=flag or described)
        return found
    return Message(UNTRANSLATED, text=text)


def _locked_together(entry: Entry, body: Mapping[str, Any] | None, names: _Names,
                     about: str | None) -> Message:
    p = entry.payload
    reason = _opt("line_colon", p.get("reason"), text=p.get("reason"))
    if about is None:
        return Message("line_locked_all", names=list(p["contestants"]), reason=reason)
    return Message("line_locked_together", n=len(p["contestants"]), reason=reason)


def _excused(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
             ) -> Message:
    p = entry.payload
    who: object = Message("line_whole_final") if p["contestants"] is None \
        else list(p["contestants"])
    return Message("line_excused" if entry.kind == "seat_excused" else "line_restored",
                   judge=p["judge"], who=who, reason=p["reason"])


def _checkpoint(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
                ) -> Message:
    p = entry.payload
    return Message("line_checkpoint", size=json.loads(p["checkpoint"]["body"])["size"],
                   reason=checkpoint_reason(str(p.get("reason", ""))))


def checkpoint_reason(reason: str) -> Message | str:
    """Why a checkpoint was made: the master's own reasons in words, a typed one as typed."""
    key = f"line_checkpoint_{reason}"
    return Message(key) if key in Message.catalogue else reason


def _simple(key: str, **computed: Callable[[Mapping[str, Any]], object]) -> _Line:
    """A line whose fields are the payload's of the same names, or `computed` from it."""
    wanted = fields(Message.catalogue[key].en)

    def line(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
             ) -> Message:
        p = entry.payload
        params = {name: computed[name](p) if name in computed else p[name] for name in wanted}
        return Message(key, **params)
    return line


def _printed(entry: Entry, body: Mapping[str, Any] | None, names: _Names, about: str | None
             ) -> Message:
    """`打印选手成绩表 L05` / `printed contestant sheet L05`: the sheet by its name, a results
    sheet's ranking by the event's names."""
    p = entry.payload
    kind, subject = str(p["kind"]), str(p["subject"])
    sheet = (Message(f"sheet_{kind}") if f"sheet_{kind}" in REFUSALS
             else Message(UNTRANSLATED, text=kind))
    track, _, group = subject.partition("/")
    named = names.scope(track, group or None) if kind == "results" else subject
    what = sheet if subject == "all" else Message("sheet_about", sheet=sheet, subject=named)
    return Message("line_printed", sheet=what, code=p["code"], size=p["size"])


LINES: Final[Mapping[str, _Line]] = {
    "event_loaded": _simple("line_event_loaded"),
    "event_changed": _simple("line_event_changed"),
    "codes_issued": _simple("line_codes_issued",
                            seats=lambda p: [str(c["seat"]) for c in p["codes"]]),
    "enrol_failed": _simple("line_enrol_failed",
                            cause=lambda p: Message(f"line_cause_{p['cause']}")),
    "seat_locked": _simple("line_seat_locked"),
    "seat_reopened": _simple("line_seat_reopened", reason=lambda p: _opt(
        "line_colon", p.get("reason"), text=p.get("reason"))),
    "device_enrolled": _simple("line_device_enrolled", device=lambda p: str(p["device"])[:12],
                               device_name=lambda p: p.get("device_name") or "—"),
    "device_confirmed": _simple("line_device_confirmed", device=lambda p: str(p["device"])[:12]),
    "device_revoked": _simple("line_device_revoked", device=lambda p: str(p["device"])[:12],
                              reason=lambda p: _opt("line_colon", p.get("reason"),
                                                    text=recorded(str(p.get("reason"))))),
    "on_stage": _simple("line_on_stage",
                        who=lambda p: p.get("contestant") or Message("line_nobody")),
    "sheet_received": _sheet,
    "review_confirmed": _confirmed,
    "alarm": _simple("line_alarm", detail=lambda p: recorded(str(p.get("detail", "")))),
    "checkpoint": _checkpoint,
    "flag_raised": _flag,
    "flag_cleared": _simple("line_flag_cleared"),
    "flag_accepted": _simple("line_flag_accepted"),
    "flags_accepted": _simple("line_flags_accepted",
                              flags=lambda p: ", ".join(str(f) for f in p["flags"])),
    "review_requested": lambda e, b, n, a: Message(
        "line_review", review=e.seq, judge=e.payload["judge"], note=e.payload["note"],
        about=_opt("line_about_flag", e.payload.get("flag") is not None,
                   flag=e.payload.get("flag"))),
    "review_answered": _simple("line_answered", reason=lambda p: _opt(
        "line_colon", p.get("reason"), text=p.get("reason"))),
    "review_closed": _simple("line_review_closed", reason=lambda p: recorded(str(p["reason"]))),
    "value_overridden": lambda e, b, n, a: Message(
        "line_override", judge=e.payload["judge"],
        criterion=n.criterion(e.payload["criterion"]), revision=e.payload["revision"],
        old=e.payload["old"], new=e.payload["new"], reason=e.payload["reason"]),
    "sheet_withdrawn": _simple("line_withdrawn"),
    "paper_entered": lambda e, b, n, a: Message(
        "line_paper_entered", operator=e.payload["operator"], judge=e.payload["judge"],
        revision=e.payload["round"], form=e.payload["form"],
        typing=_opt("line_typing", e.seq in n.typing, n=n.typing.get(e.seq)),
        values=n.values(e.payload["values"])),
    "contestant_revealed": _simple("line_revealed", panel=lambda p: p["figures"]["panel"],
                                   final=lambda p: p["figures"]["final"] or "—"),
    "draw_made": _draw,
    "identities_revealed": _simple("line_identities_revealed"),
    "sheet_conflict_resolved": _simple("line_conflict_resolved",
                                       keep=lambda p: Message(f"line_keep_{p['keep']}")),
    "seat_excused": _excused,
    "seat_restored": _excused,
    "contestant_locked": _locked,
    "contestants_locked": _locked_together,
    "contestant_unlocked": _simple("line_unlocked"),
    "components_imported": _imported,
    "tie_decided": lambda e, b, n, a: Message(
        "line_tie", contestants=list(e.payload["contestants"]), reason=e.payload["reason"],
        how=Message("line_tie_order", order=list(e.payload["order"]))
        if e.payload["kind"] == "order" else Message("line_tie_shared")),
    "results_published": _published,
    "results_official": _simple("line_results_official"),
    "appeal_filed": _filed,
    "appeal_decided": _decided,
    "appeal_voted": lambda e, b, n, a: Message(
        "line_appeal_voted_conflict" if e.payload["conflict"] else "line_appeal_voted",
        member=e.payload["member"], appeal=e.payload["appeal"],
        vote=Message(f"vote_{e.payload['vote']}")),
    "appeal_replied": _simple("line_appeal_replied"),
    "appeal_withdrawn": _simple("line_appeal_withdrawn"),
    "sheet_printed": _printed,
    "promoted": _simple("line_promoted"),
    "succession": _simple("line_succession", device=lambda p: str(p["device"])[:12],
                          where=successor_address),
}


def correction_messages(correction: Mapping[str, Any] | None,
                        criterion_name: Callable[[str], Text | str] = str) -> list[Message]:
    """An upheld decision's recorded correction, a message per value set and per judge
    withdrawn (none for a decision without one)."""
    fix = correction or {}
    return [*(Message("line_correction_set", judge=c["judge"],
                      criterion=criterion_name(c["criterion"]),
                      value=c["value"]) for c in fix.get("set", [])),
            *(Message("line_correction_withdraw", judge=j) for j in fix.get("withdraw", []))]


def actor_said(actor: str, device_judge: Mapping[str, str]) -> Message:
    """Who made an entry: the head judge, the master, a paper operator by name, or the judge
    whose device signed it (`device_judge`: device id to judge id); else the id as it is."""
    if actor.startswith("device:"):
        judge = device_judge.get(actor.removeprefix("device:"))
        return (Message("actor_device", judge=judge) if judge is not None
                else Message(UNTRANSLATED, text=actor[:16]))
    operator = operator_of(actor)
    if operator is not None:
        return Message("actor_operator", name=operator)
    key = f"actor_{actor.replace('-', '_')}"
    return Message(key) if key in REFUSALS else Message(UNTRANSLATED, text=actor)


def flag_message(flag: Flag, event: Event | None = None) -> Message:
    """A flag as the catalogue's `flag_*` says it: the judges it is about, the difference
    against the limit, every value; with `event`, its criterion by name."""
    shown = ", ".join(f"{j} {plain(v)}" for j, v in flag.values.items())
    params: dict[str, object] = {"contestant": flag.contestant, "diff": plain(flag.difference),
                                 "limit": plain(flag.threshold), "values": shown}
    if flag.rule == "outlier":
        params["judge"] = flag.judges[0]
    else:
        values = flag.values
        low, high = (", ".join(j for j in flag.judges if values.get(j) == end)
                     for end in (min(values.values()), max(values.values())))
        params.update(low=low, high=high)
        if flag.rule == "criterion_spread":
            params["criterion"] = _Names(event, {}).criterion(flag.criterion)
    return Message(f"flag_{flag.rule}", **params)
