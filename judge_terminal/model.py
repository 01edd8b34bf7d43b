"""What the screens show, read from the terminal store (no Textual, no I/O of its own).

`Board` replays the head judge's notices (locks, on stage, review requests, withdrawals);
`queue_rows` gives each contestant of the running order its status; `check_value` and
`sheet_total` check a typed value against the rubric as it is typed (the store checks the
whole sheet again when it is submitted); `check_code` checks an enrolment code's digits while
they are typed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sync.codes import CODE_LENGTHS, RANDOM_DIGITS, EnrolmentCode, TypedCodeError
from sync.event import Contestant, Criterion, Event
from sync.records import RecordError, plain_value
from sync.store import Draft, Notice, StoredRecord, TerminalStore

Status = Literal["to_score", "draft", "correction", "waiting", "synced", "review", "rejected",
                 "locked", "recused", "excused"]

WHOLE_FINAL = "*"
"""`Board.excused` key of a seat excused for the whole final."""


@dataclass(frozen=True)
class ReviewRequest:
    """A head judge's `review_request` notice, as this terminal holds it."""

    id: int
    contestant: str
    note: str
    flag: int | None
    sheet: str | None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Board:
    """The head judge's notices replayed in order: who is locked (and why), who is on stage,
    which review requests were made and closed, which sheets were withdrawn, for which
    contestants this judge's seat is excused (`WHOLE_FINAL`: all of them)."""

    locks: dict[str, str] = field(default_factory=dict)
    on_stage: str | None = None
    reviews: dict[int, ReviewRequest] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)
    withdrawn: dict[str, str] = field(default_factory=dict)
    excused: dict[str, str] = field(default_factory=dict)

    def excused_reason(self, contestant: str) -> str | None:
        """The head judge's reason when this judge's seat is excused for the contestant."""
        return self.excused.get(contestant, self.excused.get(WHOLE_FINAL))

    def _excusal(self, kind: str, payload: Mapping[str, Any]) -> None:
        listed = payload.get("contestants")
        named = [c for c in listed if isinstance(c, str)] if isinstance(listed, list) else None
        if kind == "excused":
            for key in named if named is not None else [WHOLE_FINAL]:
                self.excused[key] = str(payload.get("reason") or "")
        elif named is None:
            self.excused.clear()
        else:
            for key in named:
                self.excused.pop(key, None)

    @classmethod
    def from_notices(cls, notices: Sequence[Notice], judge: str | None) -> Board:
        board = cls()
        for notice in notices:
            if notice.judge is not None and notice.judge != judge:
                continue
            p = notice.payload
            who = p.get("contestant")
            if notice.kind == "lock" and isinstance(who, str):
                board.locks[who] = str(p.get("reason") or "")
            elif notice.kind == "unlock" and isinstance(who, str):
                board.locks.pop(who, None)
            elif notice.kind == "on_stage":
                board.on_stage = who if isinstance(who, str) else None
            elif notice.kind == "review_request" and isinstance(who, str):
                review = p.get("review")
                rid = review if isinstance(review, int) else notice.id
                flag = p.get("flag")
                sheet = p.get("sheet")
                board.reviews[rid] = ReviewRequest(
                    rid, who, str(p.get("note") or ""), flag if isinstance(flag, int) else None,
                    sheet if isinstance(sheet, str) else None, dict(p))
            elif notice.kind == "review_closed" and isinstance(p.get("review"), int):
                board.closed.add(p["review"])
            elif notice.kind == "withdrawn" and isinstance(who, str):
                board.withdrawn[who] = str(p.get("reason") or "")
            elif notice.kind in ("excused", "restored"):
                board._excusal(notice.kind, p)
        return board


@dataclass(frozen=True)
class Sheets:
    """One contestant's records on this terminal."""

    current: StoredRecord | None
    """The judge's latest sheet the master has not rejected (what counts)."""
    rejected: StoredRecord | None
    """The newest sheet, if the master rejected it and nothing newer was saved."""
    confirmed: frozenset[int]
    """Review ids answered "confirm as is" (and not rejected)."""
    waiting: bool
    """Something of this contestant is still in the outbox."""


def sheets_by_contestant(records: Sequence[StoredRecord]) -> dict[str, Sheets]:
    mine: dict[str, list[StoredRecord]] = {}
    for record in records:
        if record.replaced_by is None:
            mine.setdefault(record.contestant, []).append(record)
    out: dict[str, Sheets] = {}
    for contestant, found in mine.items():
        sheets = [r for r in found if not r.is_confirmation]
        good = [r for r in sheets if r.rejected_code is None]
        current = max(good, key=lambda r: (r.revision, r.seq)) if good else None
        newest = max(sheets, key=lambda r: r.seq) if sheets else None
        rejected = newest if newest is not None and newest.rejected_code is not None else None
        confirmed = frozenset(r.confirmation.review for r in found
                              if r.is_confirmation and r.rejected_code is None)
        out[contestant] = Sheets(current, rejected, confirmed, any(r.in_outbox for r in found))
    return out


def review_is_open(review: ReviewRequest, board: Board, sheets: Sheets | None) -> bool:
    """Open until the head judge closes it or the judge answers: a confirmation of it, or a
    newer sheet than the one it asked about."""
    if review.id in board.closed:
        return False
    if sheets is None:
        return True
    if review.id in sheets.confirmed:
        return False
    current = sheets.current
    return current is None or review.sheet is None or current.hash == review.sheet


@dataclass(frozen=True)
class QueueRow:
    contestant: Contestant
    status: Status
    on_stage: bool
    total: Decimal | None
    reviews: tuple[ReviewRequest, ...]


@dataclass(frozen=True)
class Queue:
    rows: tuple[QueueRow, ...]
    board: Board
    sheets: Mapping[str, Sheets]

    def row(self, contestant: str) -> QueueRow | None:
        return next((r for r in self.rows if r.contestant.id == contestant), None)

    @property
    def open_reviews(self) -> list[ReviewRequest]:
        return [review for row in self.rows for review in row.reviews]


def contestant_status(contestant: Contestant, event: Event, judge: str, board: Board,
                      sheets: Sheets | None, draft: Draft | None,
                      reviews: Sequence[ReviewRequest]) -> Status:
    judge_ = event.judge(judge)
    if judge_ is not None and event.is_recused(judge_, contestant):
        return "recused"
    if board.excused_reason(contestant.id) is not None:
        return "excused"
    if contestant.id in board.locks:
        return "locked"
    if reviews:
        return "review"
    if sheets is not None and sheets.rejected is not None:
        return "rejected"
    current = sheets.current if sheets is not None else None
    if current is not None:
        if draft is not None:
            return "correction"
        return "waiting" if sheets is not None and sheets.waiting else "synced"
    return "draft" if draft is not None else "to_score"


def build_queue(store: TerminalStore) -> Queue:
    """Every contestant in running order with this judge's status for them."""
    enrolment = store.require_enrolment()
    event = store.event()
    board = Board.from_notices(store.notices(), enrolment.judge)
    sheets = sheets_by_contestant(store.sheets())
    drafts = store.drafts()
    rows: list[QueueRow] = []
    for contestant in sorted(event.contestants, key=lambda c: (c.order, c.id)):
        mine = sheets.get(contestant.id)
        reviews = tuple(r for r in board.reviews.values()
                        if r.contestant == contestant.id and review_is_open(r, board, mine))
        draft = drafts.get(contestant.id)
        status = contestant_status(contestant, event, enrolment.judge, board, mine, draft,
                                   reviews)
        total = mine.current.sheet.total if mine is not None and mine.current else None
        rows.append(QueueRow(contestant, status, board.on_stage == contestant.id, total,
                             reviews))
    return Queue(tuple(rows), board, sheets)


# --- typed values ---------------------------------------------------------------------------

FieldState = Literal["empty", "ok", "bad"]
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", re.ASCII)
_DECIMAL_MARKS = ".,，。．"
"""A decimal point as a judge may type it: ASCII or full-width full stop, or a comma."""
_TYPED = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)},
                        **dict.fromkeys(_DECIMAL_MARKS, ".")})
"""Full-width digits (a Chinese input method) as ASCII, every decimal mark as '.'. Nothing
else is mapped: a character outside these is refused, never dropped or read as a digit."""


@dataclass(frozen=True)
class FieldCheck:
    state: FieldState
    value: Decimal | None = None
    problem: str | None = None
    """A `words` key: chk_bad_char, chk_not_number, chk_range, chk_step, chk_digits."""
    char: str = ""
    """The first character that cannot be part of a number, as typed (`chk_bad_char`)."""


_NARROW = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)},
                         "．": ".", "。": ".", "，": ","})


def narrow(text: str) -> str:
    """`text` with full-width digits and stops as their ASCII twins, one for one (what a
    score field shows: a full-width value is twice as wide, and scrolled in a narrow field
    `１３．５` would look like `３．５`)."""
    return text.translate(_NARROW)


def clean_typed(text: str) -> str:
    """What a judge typed, as a number: spaces around it dropped, full-width digits as ASCII,
    a decimal comma or full stop (full-width too) as '.'."""
    return text.strip().translate(_TYPED)


def check_value(criterion: Criterion, text: str) -> FieldCheck:
    """Check a value as it is typed: `ok` only when the text is exactly a number in the
    rubric; a character that cannot be part of a number makes it `bad` (`chk_bad_char`,
    naming the character), so no slip (`1O` for 10, `x1e1`) is read as another number."""
    typed = clean_typed(text)
    if not typed:
        return FieldCheck("empty")
    negative = typed.startswith("-") and _NUMBER.fullmatch(typed[1:]) is not None
    for ch in typed[1:] if negative else typed:
        if not ("0" <= ch <= "9" or ch == "."):
            shown_char = next(c for c in text.strip() if c.translate(_TYPED) == ch)
            return FieldCheck("bad", problem="chk_bad_char", char=shown_char)
    if negative:
        return FieldCheck("bad", problem="chk_range")
    if not _NUMBER.fullmatch(typed):
        return FieldCheck("bad", problem="chk_not_number")
    try:
        value = Decimal(typed)
        if value < 0 or value > criterion.max:
            return FieldCheck("bad", problem="chk_range")
        if value % criterion.step != 0:
            return FieldCheck("bad", problem="chk_step")
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
        return FieldCheck("bad", problem="chk_not_number")
    try:
        plain_value(value)
    except RecordError:
        return FieldCheck("bad", problem="chk_digits")
    return FieldCheck("ok", value)


@dataclass(frozen=True)
class SheetCheck:
    checks: Mapping[str, FieldCheck]
    total: Decimal

    @property
    def missing(self) -> list[str]:
        return [k for k, c in self.checks.items() if c.state == "empty"]

    @property
    def bad(self) -> list[str]:
        return [k for k, c in self.checks.items() if c.state == "bad"]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.bad

    def values(self) -> dict[str, Decimal]:
        return {k: c.value for k, c in self.checks.items() if c.value is not None}


def check_sheet(event: Event, texts: Mapping[str, str]) -> SheetCheck:
    checks = {c.id: check_value(c, texts.get(c.id, "")) for c in event.criteria}
    total = sum((c.value for c in checks.values() if c.value is not None), Decimal(0))
    return SheetCheck(checks, total)


def shown(value: Decimal) -> str:
    """A score as a judge writes it: `8`, `8.5`."""
    text = format(value.normalize(), "f")
    return text


# --- enrolment codes as they are typed ------------------------------------------------------

CodeState = Literal["empty", "typing", "bad_char", "zero_start", "too_long", "maybe_more",
                    "typo", "ok"]
SHORT, LONG = CODE_LENGTHS
_SEPARATOR = re.compile(r"[\s\-‐‑‒–—―_.]")
"""What `sync.codes.normalise_code` drops, one character at a time."""


@dataclass(frozen=True)
class CodeCheck:
    """An enrolment code as typed so far. States:

    `empty`; `typing` (fewer digits than a code has); `bad_char` (`char`, typed as the
    `position`-th character, is not a digit); `zero_start` (codes never start with 0);
    `too_long` (more than 11 digits, or more than the seat the judge typed before a dash
    allows); `maybe_more` (10 digits whose check digit does not match: a typo in a code of
    10, or a code of 11 still being typed); `typo` (a whole code whose check digit does not
    match); `ok` (`code` parsed, exactly as `EnrolmentCode.parse` reads it)."""

    state: CodeState
    digits: str
    """The digits typed (full-width made ASCII), without spaces or dashes."""
    seat_digits: int = 1
    """How many leading digits are the seat: as the judge typed them before a dash, else
    2 for an 11-digit code, else 1 (panels of up to 9 judges: the common case)."""
    char: str = ""
    position: int = 0
    """1-based place of `char` in the text as typed (`bad_char`)."""
    code: EnrolmentCode | None = None

    @property
    def groups(self) -> list[str]:
        """The digits grouped as the card prints them (`3-4827-19561`): seat, four digits,
        five; anything beyond a whole code as a fourth group."""
        seat, digits = self.seat_digits, self.digits
        cuts = [0, seat, seat + 4, seat + RANDOM_DIGITS + 1, len(digits)]
        return [digits[a:b] for a, b in itertools.pairwise(cuts) if digits[a:b]]

    @property
    def display(self) -> str:
        return "-".join(self.groups)


def _typed_seat(text: str) -> int | None:
    """The seat's length if the judge typed a dash or space right after its 1 or 2 digits."""
    match = re.match(r"\s*(\d{1,2})[\s\-‐‑‒–—―_.]", unicodedata.normalize("NFKC", text))
    return len(match.group(1)) if match else None


def check_code(text: str) -> CodeCheck:
    """Check an enrolment code while it is typed (see `CodeCheck` for the states). Nothing
    here is more lenient than `EnrolmentCode.parse`: `ok` only for what it accepts."""
    digits = ""
    for index, ch in enumerate(text, start=1):
        plain = unicodedata.normalize("NFKC", ch)
        if _SEPARATOR.fullmatch(plain) or not plain:
            continue
        if not (plain.isascii() and plain.isdigit()):
            return CodeCheck("bad_char", digits, char=ch, position=index)
        digits += plain
    typed_seat = _typed_seat(text)
    seat = typed_seat or (2 if len(digits) == LONG else 1)
    if not digits:
        return CodeCheck("empty", digits)
    if digits[0] == "0":
        return CodeCheck("zero_start", digits, seat)
    want = SHORT - 1 + typed_seat if typed_seat else None
    if len(digits) > (want or LONG):
        return CodeCheck("too_long", digits, seat)
    if len(digits) < (want or SHORT):
        return CodeCheck("typing", digits, seat)
    try:
        code = EnrolmentCode.parse(digits)
    except TypedCodeError:
        if len(digits) == SHORT and want is None:
            return CodeCheck("maybe_more", digits, seat)
        return CodeCheck("typo", digits, seat)
    return CodeCheck("ok", digits, seat, code=code)
