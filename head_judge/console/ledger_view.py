"""The ledger as the console reads it: entries kept in memory as they are appended, one line
per entry in the chosen language, the Audit screen's filters, and a contestant's signed
revisions (the Contestant screen). Reads only; entries come from `Ledger.entries`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sync.entry_kinds import ENTRY_KINDS
from sync.event import Event
from sync.zones import offset_text, with_offset

from ..entry_lines import PaperTypings, actor_said, entry_line, signed_body
from ..ledger import Entry
from ..master import Master
from ..paper_history import paper_revisions
from ..projections import FlagRow
from ..scoring import plain
from .words import say

KINDS: tuple[str, ...] = tuple(ENTRY_KINDS)
"""Every kind of entry, in ledger order (the Audit screen's filter)."""


@dataclass(frozen=True)
class Revision:
    """One revision of a judge's sheet, as the ledger holds it: signed by the judge's laptop,
    or (`form` set) a paper sheet two operators typed alike from that form."""

    seq: int
    at: str
    judge: str
    contestant: str
    revision: int
    values: Mapping[str, Decimal]
    reason: str | None
    comment: str
    form: str = ""
    operators: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum(self.values.values(), Decimal(0))


class LedgerCache:
    """Every entry of the master's ledger, read once and extended as the ledger grows."""

    def __init__(self, master: Master) -> None:
        self.master = master
        self.entries: list[Entry] = []
        self._bodies: dict[int, dict[str, Any]] = {}
        self.device_judge: dict[str, str] = {}
        self.typings = PaperTypings()

    def update(self) -> int:
        """Read the entries appended since the last call; how many there were."""
        fresh = list(self.master.ledger.entries(since=len(self.entries)))
        for entry in fresh:
            if entry.kind == "device_enrolled":
                self.device_judge[str(entry.payload["device"])] = str(entry.payload["judge"])
        self.typings.read(fresh)
        self.entries.extend(fresh)
        return len(fresh)

    def body(self, entry: Entry) -> dict[str, Any] | None:
        """The judge's signed body inside a `sheet_received` / `review_confirmed` / alarm."""
        if entry.seq in self._bodies:
            return self._bodies[entry.seq]
        body = signed_body(entry)
        if body is not None:
            self._bodies[entry.seq] = body
        return body

    def at(self, seq: int) -> str:
        if 1 <= seq <= len(self.entries):
            return self.entries[seq - 1].at
        return ""

    # --- what an entry is about ---------------------------------------------------------------

    def contestants_of(self, entry: Entry) -> set[str]:
        p = entry.payload
        found: set[str] = set()
        body = self.body(entry)
        if body is not None and isinstance(body.get("contestant"), str):
            found.add(body["contestant"])
        if isinstance(p.get("contestant"), str):
            found.add(p["contestant"])
        listed = p.get("contestants")
        if isinstance(listed, list):
            found.update(str(c) for c in listed)
        if entry.kind == "components_imported" and isinstance(p.get("values"), dict):
            found.update(p["values"])
        if entry.kind == "sheet_printed" and isinstance(p.get("contestants"), list):
            found.update(str(c) for c in p["contestants"])
        if entry.kind == "appeal_decided" and isinstance(p.get("moved"), list):
            found.update(str(c) for c in p["moved"])  # whom the decision moved
        if entry.kind == "results_published":
            document = p.get("document", {})
            for scope in document.get("scopes", []):
                found.update(str(r["contestant"]) for r in scope.get("ranking", []))
        return found

    def judges_of(self, entry: Entry) -> set[str]:
        p = entry.payload
        found: set[str] = set()
        body = self.body(entry)
        if body is not None and isinstance(body.get("judge"), str):
            found.add(body["judge"])
        for key in ("judge", "seat"):
            if isinstance(p.get(key), str):
                found.add(p[key])
        if isinstance(p.get("judges"), list):
            found.update(str(j) for j in p["judges"])
        if entry.kind == "codes_issued":
            found.update(str(c["seat"]) for c in p.get("codes", []))
        correction = p.get("correction")
        if entry.kind == "appeal_decided" and isinstance(correction, dict):
            found.update(str(c["judge"]) for c in correction.get("set", []))
            found.update(str(j) for j in correction.get("withdraw", []))
        device = p.get("device")
        if isinstance(device, str) and device in self.device_judge:
            found.add(self.device_judge[device])
        if entry.actor.startswith("device:"):
            owner = self.device_judge.get(entry.actor.removeprefix("device:"))
            if owner:
                found.add(owner)
        return found

    def revisions(self, contestant: str) -> list[Revision]:
        """Every revision of every judge's sheet for `contestant`, signed or agreed on
        paper, in ledger order."""
        out: list[Revision] = []
        paper = {r.ledger_seq: r for r in paper_revisions(
            e for e in self.entries if e.kind == "paper_entered"
            and e.payload.get("contestant") == contestant)}
        for entry in self.entries:
            if entry.seq in paper:
                r = paper[entry.seq]
                out.append(Revision(entry.seq, entry.at, r.judge, contestant, r.revision,
                                    r.values, None, "", r.form, r.operators))
                continue
            if entry.kind != "sheet_received":
                continue
            body = self.body(entry)
            if body is None or body.get("contestant") != contestant:
                continue
            out.append(Revision(entry.seq, entry.at, str(body["judge"]), contestant,
                                int(body["revision"]),
                                {k: Decimal(v) for k, v in body["values"].items()},
                                body.get("reason"), str(body.get("comment") or "")))
        return out

    # --- filtering ----------------------------------------------------------------------------

    def matching(self, *, contestant: str = "", judge: str = "", kind: str = "",
                 since: dt.datetime | None = None, until: dt.datetime | None = None,
                 lang: str = "en") -> list[Entry]:
        """Entries about `contestant` and `judge` (ids, case-insensitive), whose kind contains
        `kind` (its id or its name in `lang`), at or after `since` and before `until`."""
        contestant, judge, kind = contestant.strip(), judge.strip(), kind.strip().lower()
        out = []
        for entry in self.entries:
            if kind and kind != entry.kind and kind not in kind_name(entry.kind,
                                                                     lang).lower():
                continue
            if contestant and contestant.upper() not in {c.upper() for c in
                                                         self.contestants_of(entry)}:
                continue
            if judge and judge.upper() not in {j.upper() for j in self.judges_of(entry)}:
                continue
            if since is not None or until is not None:
                moment = parse_iso(entry.at)
                if moment is None or (since is not None and moment < since) \
                        or (until is not None and moment >= until):
                    continue
            out.append(entry)
        return out

    # --- one line per entry -------------------------------------------------------------------

    def describe(self, entry: Entry, lang: str, *, about: str | None = None) -> str:
        """What the entry records, one line in `lang` (`entry_lines.entry_line`); `about`:
        what it meant for that contestant (their Contestant screen)."""
        return entry_line(entry, event=self.master.event, about=about, typings=self.typings,
                          body=self.body(entry)).render(lang)


def rule_text(event: Event, rule: str, criterion: str | None, lang: str) -> str:
    """`单项极差 产品推介` / `criterion spread Product pitch`."""
    found = event.criterion(criterion) if criterion else None
    name = found.name.get(lang) if found else (criterion or "")
    return say(f"rule_{rule}", lang) + (f" {name}" if name else "")


def judges_text(judges: Sequence[str], lang: str) -> str:
    """The judges a flag is about, as its `judges` hold them: the one far from the panel's
    median (outlier), or those at both ends of a spread."""
    return say("list_sep", lang).join(judges)


def flag_text(event: Event, flag: FlagRow, lang: str) -> str:
    """A flag in `lang`: contestant, rule, the judges it is about, the difference against the
    limit, the values."""
    values = ", ".join(f"{j} {plain(v)}" for j, v in flag.compared.items())
    return say("flag_line", lang, contestant=flag.contestant,
               rule=rule_text(event, flag.rule, flag.criterion, lang),
               judges=judges_text(flag.judges, lang),
               diff=plain(flag.difference), limit=plain(flag.threshold), values=values)


def actor_name(cache: LedgerCache, actor: str, lang: str) -> str:
    """Who made an entry: the head judge, the master, or the judge whose device signed it."""
    return actor_said(actor, cache.device_judge).render(lang)


def kind_name(kind: str, lang: str) -> str:
    return ENTRY_KINDS.say(kind, lang)


def parse_iso(text: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def parse_clock_time(text: str, today: dt.datetime) -> dt.datetime | None:
    """`HH:MM` (on `today`'s date, in its time zone) or `YYYY-MM-DD HH:MM`; None if neither."""
    text = text.strip()
    for fmt in ("%H:%M", "%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt.startswith("%H"):
            parsed = parsed.replace(year=today.year, month=today.month, day=today.day)
        return parsed.replace(tzinfo=today.tzinfo)
    return None


def local_time(iso: str | None, tz: dt.tzinfo | None, fmt: str = "%H:%M:%S", *,
               offset: bool = False) -> str:
    """A recorded time in `tz` as `fmt` shows it; with `offset`, followed by its offset
    (`14:05:31 +08:00`). Text that is not a time, as given."""
    moment = parse_iso(iso) if iso else None
    if moment is None:
        return iso or ""
    local = moment.astimezone(tz)
    return with_offset(local, fmt) if offset else local.strftime(fmt)


def time_column(isos: Sequence[str | None], tz: dt.tzinfo | None, fmt: str
                ) -> tuple[str, list[str]]:
    """A table column of recorded times in `tz`: the offset they all share, for the
    column's header (`+08:00`; "" when they differ or none is a time), and the cells,
    without the offset when the header has it, each with its own when they differ (a final
    across a daylight-saving change). Narrow columns, and the offset still on screen."""
    offsets = {offset_text(m.astimezone(tz)) for i in isos if i
               for m in [parse_iso(i)] if m is not None}
    shared = next(iter(offsets)) if len(offsets) == 1 else ""
    return shared, [local_time(i, tz, fmt, offset=not shared) for i in isos]


def time_header(label: str, offset: str) -> str:
    """A time column's header with the offset its cells share: `时间 +08:00`."""
    return f"{label} {offset}" if offset else label


def entries_text(cache: LedgerCache, entries: Sequence[Entry], lang: str) -> list[str]:
    return [f"{e.seq} {kind_name(e.kind, lang)} {cache.describe(e, lang)}" for e in entries]
