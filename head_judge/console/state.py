"""What the Overview shows, read from the master's projections at one moment: the matrix of
contestants (running order) by judges, each judge's progress and each terminal's connection.

Pure reads through `HeadJudge` and `Master`; nothing here writes or knows Textual.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal

from sync.event import Contestant, Event, Judge

from ..actions import HeadJudge
from ..blind import blind_state
from ..master import StandbyStatus
from ..projections import CurrentSheet, FlagRow
from ..scoring import Results, Standing, plain
from .words import say

CellState = Literal["waiting", "scored", "recused", "withdrawn"]
RevealState = Literal["", "shown", "changed"]
"""A contestant's reveal (亮分) as the head judge sees it: not revealed, revealed with the
figures the record holds now, or revealed before a change (a sheet, a value, a component:
to be revealed again)."""


@dataclass(frozen=True)
class Cell:
    """One judge's state for one contestant. `seq` is the ledger entry of the sheet shown."""

    state: CellState
    total: Decimal | None = None
    revision: int = 0
    flagged: bool = False
    review: bool = False
    overridden: bool = False
    seq: int = 0
    paper: bool = False
    """The sheet shown is a paper sheet two operators typed in alike."""


@dataclass(frozen=True)
class MatrixRow:
    contestant: Contestant
    cells: dict[str, Cell]
    open_flags: int
    locked: bool
    standing: Standing | None
    revealed: RevealState = ""


@dataclass(frozen=True)
class Progress:
    judge: Judge
    done: int
    expected: int
    paper: int = 0
    """How many of the `done` sheets are paper sheets (the judge scores on paper)."""


@dataclass(frozen=True)
class Terminal:
    """A judge seat's terminal as the master last heard from it."""

    judge: Judge
    device: str | None
    device_name: str
    online: bool
    last_seen: str | None
    outbox: int | None
    offset: dt.timedelta | None
    """The terminal's clock minus the master's, when it last reported its time."""


@dataclass(frozen=True)
class IssuedCode:
    """An enrolment code issued in this session, as shown on the Enrolment screen."""

    judge: str
    code: str
    expires: str
    code_id: str | None = None
    """The code's id in the ledger: shown only while it is still the seat's unused code."""


@dataclass(frozen=True)
class Matrix:
    judges: tuple[Judge, ...]
    rows: tuple[MatrixRow, ...]
    progress: tuple[Progress, ...]


def shown_event(head: HeadJudge) -> Event:
    """The event as the console shows it: in a blind final every contestant's draw number
    (抽签号) before the name, `[07] 沈秀`, before and after the reveal alike (the head
    judge sees both); otherwise the event itself."""
    event = head.event
    state = blind_state(head.master.ledger.conn, event)
    if not state.blind:
        return event
    return replace(event, contestants=tuple(
        replace(c, name=say("draw_name", "zh", draw=draw, name=c.name)
                if (draw := state.draw(c.id)) else say("draw_name_none", "zh", name=c.name))
        for c in event.contestants))


STANDBY_SILENT_SECONDS = 5
"""A standby that asks every half second and has not asked for this long is shown silent."""


def standby_lag(status: StandbyStatus | None, size: int, now: dt.datetime
                ) -> tuple[str, dict[str, int]] | None:
    """The console's words for the standby's mirror (key and fields), or None without a
    standby: silent for how long, or entries behind the ledger's `size` and for how long
    (since its last request), or in sync."""
    if status is None:
        return None
    seconds = max(0, int((now - dt.datetime.fromisoformat(status.last_seen)).total_seconds()))
    if seconds >= STANDBY_SILENT_SECONDS:
        return "standby_silent", {"s": seconds}
    behind = max(0, size - status.mirrored)
    if behind:
        return "standby_behind", {"n": behind, "s": seconds}
    return "standby_synced", {}


def blind_mark(head: HeadJudge) -> str | None:
    """The words key of the console's blind mark: `blind_hidden`, `blind_revealed`, or None
    for a final that is not blind."""
    state = blind_state(head.master.ledger.conn, head.event)
    return None if not state.blind else "blind_hidden" if state.hidden else "blind_revealed"


def flagged_judges(flag: FlagRow) -> tuple[str, ...]:
    """The judges a flag points at: the one far from the others (outlier), or those at both
    ends of the spread."""
    return flag.judges[:1] if flag.rule == "outlier" else flag.judges


def running_order(contestants: tuple[Contestant, ...]) -> list[Contestant]:
    return sorted(contestants, key=lambda c: (c.order, c.id))


def standings(results: Results) -> dict[str, Standing]:
    return {s.contestant: s for scope in results.scopes for s in scope.ranking}


def read_reveals(head: HeadJudge) -> dict[str, dict[str, Any]]:
    """Each revealed contestant's figures as last shown to the hall (`reveals`)."""
    rows = head.master.ledger.conn.execute("SELECT contestant, figures FROM reveals")
    return {contestant: json.loads(figures) for contestant, figures in rows}


def reveal_state(totals: Mapping[str, Decimal], standing: Standing | None,
                 figures: Mapping[str, Any] | None, *, ranked: bool = True) -> RevealState:
    """Whether the figures shown still hold: the same judges' totals counted (`totals`: of
    the sheets that count now) and, when the live results are known (`ranked`), the same
    final score."""
    if figures is None:
        return ""
    shown = {j["judge"]: j["total"] for j in figures["judges"]}
    now = {judge: plain(total) for judge, total in totals.items()}
    final = str(standing.final) if standing is not None else None
    same = shown == now and (not ranked or final == figures["final"])
    return "shown" if same else "changed"


def counted_totals(cells: Mapping[str, Cell]) -> dict[str, Decimal]:
    """The totals of the sheets that count (neither waiting, recused nor withdrawn)."""
    return {judge: cell.total for judge, cell in cells.items()
            if cell.state == "scored" and cell.total is not None}


def read_matrix(head: HeadJudge, results: Results | None = None, *,
                previous: Matrix | None = None, touched: Collection[str] | None = None
                ) -> Matrix:
    """The matrix from one read transaction (`results`: the live results, if wanted).

    With `previous` and `touched`, only the rows of the `touched` contestants are read again
    (every change to a row is a ledger entry naming its contestant); the others are kept."""
    event = head.event
    if previous is not None and touched is not None:
        return _update_matrix(head, results, previous, touched)
    with head.master.ledger.snapshot():
        sheets = {(s.judge, s.contestant): s for s in head.sheets()}
        withdrawn = {(w.judge, w.contestant) for w in head.withdrawals()}
        withdrawn |= {(e.judge, c.id) for e in head.excusals() for c in event.contestants
                      if e.covers(c.id)}  # an excused seat: × as a withdrawn sheet
        reviews = {(r.judge, r.contestant) for r in head.reviews("open")}
        flagged: set[tuple[str, str]] = set()
        open_flags: dict[str, int] = {}
        for flag in head.flags("open"):
            open_flags[flag.contestant] = open_flags.get(flag.contestant, 0) + 1
            flagged.update((judge, flag.contestant) for judge in flagged_judges(flag))
        locks = head.locks()
        reveals = read_reveals(head)
    placed = standings(results) if results is not None else {}
    rows = [_row(event, contestant, sheets, withdrawn, reviews, flagged, open_flags, locks,
                 placed, reveals, results is not None)
            for contestant in running_order(event.contestants)]
    return Matrix(event.judges, tuple(rows), _progress(event.judges, rows))


def _row(event: Event, contestant: Contestant, sheets: Mapping[tuple[str, str], CurrentSheet],
         withdrawn: Collection[tuple[str, str]], reviews: Collection[tuple[str, str]],
         flagged: Collection[tuple[str, str]], open_flags: Mapping[str, int],
         locks: Collection[str], placed: Mapping[str, Standing],
         reveals: Mapping[str, Mapping[str, Any]], ranked: bool) -> MatrixRow:
    cells: dict[str, Cell] = {}
    for judge in event.judges:
        key = (judge.id, contestant.id)
        sheet = sheets.get(key)
        if event.is_recused(judge, contestant):
            cells[judge.id] = Cell("recused")
        elif key in withdrawn:
            cells[judge.id] = Cell("withdrawn", seq=sheet.ledger_seq if sheet else 0)
        elif sheet is None:
            cells[judge.id] = Cell("waiting")
        else:
            cells[judge.id] = Cell(
                "scored", sum(sheet.values.values(), Decimal(0)), sheet.revision,
                key in flagged, key in reviews, bool(sheet.overridden), sheet.ledger_seq,
                sheet.paper is not None)
    standing = placed.get(contestant.id)
    return MatrixRow(contestant, cells, open_flags.get(contestant.id, 0),
                     contestant.id in locks, standing,
                     reveal_state(counted_totals(cells), standing, reveals.get(contestant.id),
                                  ranked=ranked))


def _progress(judges: tuple[Judge, ...], rows: Iterable[MatrixRow]) -> tuple[Progress, ...]:
    done = {j.id: 0 for j in judges}
    expected = {j.id: 0 for j in judges}
    paper = {j.id: 0 for j in judges}
    for row in rows:
        for judge, cell in row.cells.items():
            if cell.state in ("scored", "waiting"):
                expected[judge] += 1
            if cell.state == "scored":
                done[judge] += 1
                paper[judge] += cell.paper
    return tuple(Progress(j, done[j.id], expected[j.id], paper[j.id]) for j in judges)


def _update_matrix(head: HeadJudge, results: Results | None, previous: Matrix,
                   touched: Collection[str]) -> Matrix:
    event = head.event
    with head.master.ledger.snapshot():
        sheets = {(s.judge, s.contestant): s for c in touched for s in head.sheets(c)}
        withdrawn = {(w.judge, w.contestant) for c in touched for w in head.withdrawals(c)}
        withdrawn |= {(e.judge, c) for e in head.excusals() for c in touched if e.covers(c)}
        reviews = {(r.judge, r.contestant) for r in head.reviews("open")}
        flagged: set[tuple[str, str]] = set()
        open_flags: dict[str, int] = {}
        for flag in head.flags("open"):
            open_flags[flag.contestant] = open_flags.get(flag.contestant, 0) + 1
            flagged.update((judge, flag.contestant) for judge in flagged_judges(flag))
        locks = head.locks()
        reveals = read_reveals(head)
    placed = standings(results) if results is not None else {}
    ranked = results is not None
    rows = [_row(event, row.contestant, sheets, withdrawn, reviews, flagged, open_flags,
                 locks, placed, reveals, ranked) if row.contestant.id in touched
            else row if row.standing is placed.get(row.contestant.id)
            else replace(row, standing=(found := placed.get(row.contestant.id)),
                         revealed=reveal_state(counted_totals(row.cells), found,
                                               reveals.get(row.contestant.id), ranked=ranked))
            for row in previous.rows]
    return Matrix(previous.judges, tuple(rows), _progress(previous.judges, rows))


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def read_terminals(head: HeadJudge, is_live: Callable[[str, str], bool]) -> list[Terminal]:
    """Every seat's active terminal: whether its live channel is up (`is_live(judge,
    device)`), when it was last seen, its outbox backlog and clock offset (`Master.online`)."""
    master = head.master
    terminals: list[Terminal] = []
    for judge in head.event.judges:
        active = [d for d in master.devices_of(judge.id) if not d.revoked]
        if not active:
            terminals.append(Terminal(judge, None, "", False, None, None, None))
            continue
        device = active[-1]
        status = master.online.get(device.id)
        offset = None
        if status is not None:
            seen, told = _parse_time(status.last_seen), _parse_time(status.device_time)
            if seen is not None and told is not None:
                offset = told - seen
        terminals.append(Terminal(
            judge, device.id, device.name, is_live(judge.id, device.id),
            status.last_seen if status else None, status.outbox if status else None, offset))
    return terminals


def ago_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
