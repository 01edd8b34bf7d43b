"""The master's side of enrolment, below `Master`: issuing short codes, keeping their
passwords out of the ledger, and the SPAKE2 exchanges in flight.

A code's digits are the password of a SPAKE2 exchange (`sync.pake`), so the master must keep
them; a hash would not do, since eight digits are searched in a second. They are kept in
`home/identity/codes/<code id>` (one file per code, mode 0600, like the keys beside them),
never in the ledger, which is exported, checkpointed to the terminals and printed from. The
ledger records each code's random id, seat and expiry (`codes_issued`); a file is removed
once its code has expired.

An exchange started (`/v1/enrol/start`) waits in memory for its finish for
`EXCHANGE_TTL`; a seat has at most one waiting (a new start replaces it), and at most
`MAX_WAITING` wait in all. Nothing here writes the ledger or reads a clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sync.codes import SEAT_NUMBER_MAX, EnrolmentCode, issue_code
from sync.event import Event, Judge, Text
from sync.home import private_folder
from sync.identity import write_private_file
from sync.pake import MasterExchange

__all__ = [
    "CODES_FOLDER",
    "EXCHANGE_TTL",
    "MAX_WAITING",
    "STANDBY",
    "STANDBY_JUDGE",
    "STANDBY_SEAT",
    "CodeBook",
    "Exchanges",
    "IssuedCode",
    "WaitingExchange",
    "new_codes",
    "seat_judge",
    "seat_number",
]

CODES_FOLDER: Final = "codes"
EXCHANGE_TTL: Final = dt.timedelta(minutes=2)
MAX_WAITING: Final = 64

STANDBY: Final = "standby"
"""The seat of the standby master (issue 26): the spare laptop at the head judge's desk that
mirrors the ledger, enrolled with a one-time code like a judge's."""
STANDBY_SEAT: Final = SEAT_NUMBER_MAX
"""Its seat number in codes: the last one, which a panel of fewer judges never uses."""
STANDBY_JUDGE: Final = Judge(STANDBY, Text("备用主控机", "standby master"))


def seat_number(event: Event, judge: str) -> int | None:
    """The judge's seat number on the panel: its place in the event's list of judges
    (`STANDBY_SEAT` for the standby's seat, when the panel leaves it free)."""
    for number, panel_judge in enumerate(event.judges, start=1):
        if panel_judge.id == judge:
            return number
    if judge == STANDBY and len(event.judges) < STANDBY_SEAT:
        return STANDBY_SEAT
    return None


def seat_judge(event: Event, number: int) -> Judge | None:
    """Who seat `number` is: a judge of the panel, the standby, or nobody."""
    if 1 <= number <= len(event.judges):
        return event.judges[number - 1]
    if number == STANDBY_SEAT and len(event.judges) < STANDBY_SEAT:
        return STANDBY_JUDGE
    return None


@dataclass(frozen=True)
class IssuedCode:
    judge: Judge
    code: EnrolmentCode
    code_id: str


class CodeBook:
    """The passwords of issued codes, one file each under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, code_id: str) -> Path:
        if not code_id.isalnum():
            raise ValueError(f"not a code id: {code_id!r}")
        return self.folder / code_id

    def keep(self, issued: IssuedCode, expires: str) -> None:
        private_folder(self.folder)  # 0700 whatever the umask, like identity/ around it
        data = json.dumps({"judge": issued.judge.id, "seat": issued.code.seat,
                           "password": issued.code.password.decode("ascii"),
                           "expires": expires}).encode()
        write_private_file(self._path(issued.code_id), data)

    def password(self, code_id: str) -> bytes | None:
        """The password of code `code_id`, None when it is not kept (expired, or unknown)."""
        try:
            kept = json.loads(self._path(code_id).read_bytes())
            return str(kept["password"]).encode("ascii")
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def forget(self, code_id: str) -> None:
        """Remove a code that can no longer enrol (replaced by a new one); an id that names
        no code (a rebuilt master's recovered devices record none) is ignored."""
        if code_id.isalnum():
            with contextlib.suppress(FileNotFoundError):
                self._path(code_id).unlink()

    def forget_expired(self, now: dt.datetime) -> None:
        """Remove the files of codes that expired before `now`."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            try:
                expires = dt.datetime.fromisoformat(
                    str(json.loads(path.read_bytes())["expires"]).replace("Z", "+00:00"))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # not ours, or being written: leave it
            if expires <= now:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


def new_codes(event: Event, judges: Sequence[Judge], book: CodeBook, *, now: dt.datetime,
              expires: str, rng: Callable[[int], bytes] = os.urandom
              ) -> tuple[list[IssuedCode], dict[str, Any]]:
    """Codes for `judges`, their passwords kept in `book`, and the payload of the
    `codes_issued` entry that records them (ids, seats and expiry; no digit of a code).
    ValueError names a judge who cannot have one."""
    issued: list[IssuedCode] = []
    for judge in judges:
        number = seat_number(event, judge.id)
        if number is None or number > SEAT_NUMBER_MAX:
            raise ValueError(f"judge {judge.id!r} has no seat number of 1-{SEAT_NUMBER_MAX} "
                             "on the panel")
        issued.append(IssuedCode(judge, issue_code(number, rng), rng(16).hex()))
    book.forget_expired(now)
    for one in issued:
        book.keep(one, expires)
    payload = {"codes": [{"seat": one.judge.id, "number": one.code.seat,
                          "code_id": one.code_id, "expires": expires} for one in issued]}
    return issued, payload


@dataclass
class WaitingExchange:
    """A started exchange: its seat, the code it was run with, and when it lapses."""

    judge: str
    code_id: str
    exchange: MasterExchange
    lapses: dt.datetime


class Exchanges:
    """Exchanges started and not yet finished, by session id (in memory)."""

    def __init__(self) -> None:
        self._waiting: dict[str, WaitingExchange] = {}

    def add(self, session: str, waiting: WaitingExchange, now: dt.datetime) -> None:
        self._drop(lambda w: w.lapses <= now or w.judge == waiting.judge)
        if len(self._waiting) >= MAX_WAITING:
            oldest = min(self._waiting, key=lambda s: self._waiting[s].lapses)
            del self._waiting[oldest]
        self._waiting[session] = waiting

    def take(self, session: str, now: dt.datetime) -> WaitingExchange | None:
        """The waiting exchange (removed: a session finishes once), None if unknown or
        lapsed."""
        waiting = self._waiting.pop(session, None)
        if waiting is None or waiting.lapses <= now:
            return None
        return waiting

    def _drop(self, which: Callable[[WaitingExchange], bool]) -> None:
        for session in [s for s, w in self._waiting.items() if which(w)]:
            del self._waiting[session]
