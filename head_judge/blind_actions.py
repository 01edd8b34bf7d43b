"""The head judge's acts of blind judging (加密/解密): the draw and the reveal of identities.

`make_draw` records who has which draw number (抽签号) in one `draw_made` entry: drawn from
a seed read out in front of the notary (`head_judge.blind.seeded_draw`, docs/blind.md) or
imported from the organiser's physical draw. A new draw replaces the old one until the first
sheet arrives; after that, and after the reveal, the draw stands. `reveal_identities` (解密)
records `identities_revealed` with the head judge's reason; from then on terminals get the
full event and results may be published. Every refusal is an `ActionRefused` and writes
nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from .actions import ActionRefused, HeadJudge
from .blind import DRAW_MADE, IDENTITIES_REVEALED, BlindState, blind_state, seeded_draw
from .refusals import Message

__all__ = ["MAX_DRAW", "DrawRow", "check_draw", "make_draw", "normal_draw",
           "reveal_identities"]

MAX_DRAW: Final = 16
"""Longest draw number accepted, in characters (a number or a station label such as A07)."""


class DrawRow(NamedTuple):
    """One contestant's draw number as imported; `line` is where a file has it (for the
    refusals), None when it came from elsewhere."""

    contestant: str
    draw: str
    line: int | None = None


def normal_draw(text: str) -> str:
    """A draw number as recorded: NFKC (full-width ０７ is 07), spaces around removed."""
    return unicodedata.normalize("NFKC", text).strip()


def _same_number(draw: str) -> str:
    """What two draw numbers are compared by: 7 and 07 are the same number, A7 and a7 too."""
    return str(int(draw)) if draw.isascii() and draw.isdigit() else draw.casefold()


def check_draw(head: HeadJudge, rows: Iterable[DrawRow | tuple[str, str]]
               ) -> dict[str, str]:
    """The imported draw as contestant id -> draw number when every contestant of the final
    has exactly one number and no number is given twice; else `ActionRefused("draw_bad")`
    listing every problem (by line when the rows have lines)."""
    problems: list[Message] = []
    draws: dict[str, str] = {}
    contestant_line: dict[str, int | None] = {}
    number_line: dict[str, tuple[int | None, str]] = {}

    def problem(line: int | None, said: Message) -> None:
        problems.append(said if line is None else Message("draw_at_line", line=line,
                                                          problem=said))

    given = [DrawRow(*r) for r in rows]
    if not given:
        raise ActionRefused("draw_bad", problems=[Message("draw_empty")])
    for row in given:
        cid, draw = row.contestant.strip(), normal_draw(row.draw)
        if head.event.contestant(cid) is None:
            problem(row.line, Message("draw_unknown_contestant", contestant=repr(cid)))
            continue
        if cid in contestant_line:
            problem(row.line, Message("draw_contestant_twice", contestant=cid,
                                      line=contestant_line[cid] or "?"))
            continue
        contestant_line[cid] = row.line
        if not draw:
            problem(row.line, Message("draw_empty_number", contestant=cid))
            continue
        if len(draw) > MAX_DRAW or not all(ch.isprintable() and not ch.isspace()
                                           for ch in draw):
            problem(row.line, Message("draw_bad_number", contestant=cid, draw=repr(draw),
                                      max=MAX_DRAW))
            continue
        key = _same_number(draw)
        if key in number_line:
            line, other = number_line[key]
            problem(row.line, Message("draw_number_twice", draw=draw, line=line or "?",
                                      contestant=other))
            continue
        number_line[key] = (row.line, cid)
        draws[cid] = draw
    missing = [c.id for c in head.event.contestants if c.id not in contestant_line]
    if missing:
        problems.append(Message("draw_missing", contestants=missing))
    if problems:
        raise ActionRefused("draw_bad", problems=problems)
    return draws


def _may_draw(head: HeadJudge) -> BlindState:
    """The blind state, when a draw may be made now; refused otherwise."""
    state = blind_state(head.master.ledger.conn, head.event)
    if not state.blind:
        raise ActionRefused("not_blind")
    if state.revealed_seq is not None:
        raise ActionRefused("identities_already_revealed", entry=state.revealed_seq)
    conn = head.master.ledger.conn
    if conn.execute("SELECT 1 FROM sheets LIMIT 1").fetchone() is not None \
            or conn.execute("SELECT 1 FROM paper_entries LIMIT 1").fetchone() is not None:
        raise ActionRefused("draw_after_sheets")
    return state


def make_draw(head: HeadJudge, *, seed: str | None = None,
              rows: Sequence[DrawRow | tuple[str, str]] | None = None,
              file_name: str | None = None, digest: str | None = None) -> int:
    """Record the draw (`draw_made`): from `seed` (every contestant of the final, the
    documented algorithm) or from imported `rows` (from `file_name`, whose SHA-256 is
    `digest`). Returns the entry's seq. Refused when the final is not blind, identities are
    revealed, a sheet has arrived, or the import is not one number per contestant."""
    at = head.timestamp()
    with head.master.write():
        _may_draw(head)
        if (seed is None) == (rows is None):
            raise ActionRefused("draw_seed_or_import")
        if seed is not None:
            text = head.required_text(seed, "what_seed")
            payload: dict[str, object] = {
                "method": "seed", "seed": text,
                "draws": seeded_draw(text, [c.id for c in head.event.contestants])}
        else:
            assert rows is not None
            payload = {"method": "import", "file": file_name or "",
                       "digest": digest or "", "draws": check_draw(head, rows)}
        entry = head.record(DRAW_MADE, payload, at)
    return entry.seq


def reveal_identities(head: HeadJudge, reason: str) -> int:
    """Reveal who is behind each draw number (解密): `identities_revealed` with the head
    judge's reason. Returns the entry's seq. Refused when the final is not blind, before a
    draw, a second time, or without a reason."""
    at = head.timestamp()
    with head.master.write():
        state = blind_state(head.master.ledger.conn, head.event)
        if not state.blind:
            raise ActionRefused("not_blind")
        if state.revealed_seq is not None:
            raise ActionRefused("identities_already_revealed", entry=state.revealed_seq)
        if not state.draws:
            raise ActionRefused("no_draw_yet")
        text = head.required_text(reason, "what_reveal_reason")
        entry = head.record(IDENTITIES_REVEALED, {"reason": text}, at)
    return entry.seq
