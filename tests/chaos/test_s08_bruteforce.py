"""Scenario 8: online guessing of an enrolment code over real TLS, through the real server's
two-step SPAKE2 exchange (`/v1/enrol/start`, `/v1/enrol/finish`). Each guess is a complete,
well-formed exchange with a random code for the seat; its key confirmation fails and counts as
a wrong try. The seat locks after 10 and then even the right code is refused. A code has 8
random digits (the seat number and the check digit are known to a guesser), and SPAKE2 lets
each exchange test one guess only, so the chance of a lucky guess is at most 10 / 10^8."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest

from head_judge.master import ENROL_FAILURE_LIMIT, Master
from sync.codes import RANDOM_DIGITS, EnrolmentCode
from sync.event import Event
from sync.identity import generate_signing_key, public_key_bytes
from sync.pake import TerminalExchange
from tests.head_judge.test_master import NOW
from tests.head_judge.test_server import Served, serving

from .common import details, figure

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def try_code(served: Served, code: EnrolmentCode) -> tuple[int, str]:
    """One whole enrolment with `code`, as a terminal runs it over the pinned connection:
    (HTTP status, error code or "enrolled") of the step that ended it."""
    exchange = TerminalExchange(code.seat, code.password)
    status, started = await served.post("/v1/enrol/start", {
        "protocol": 1, "seat": code.seat, "pake": b64(exchange.a)})
    if status != 200:
        return status, started["error"]
    device_key = public_key_bytes(generate_signing_key())
    confirm = exchange.confirm(base64.b64decode(started["pake"]),
                               served.master.identity.fingerprint, device_key, "guesser")
    status, answer = await served.post("/v1/enrol/finish", {
        "protocol": 1, "session": started["session"], "device_key": b64(device_key),
        "device_name": "guesser", "confirm": b64(confirm)})
    return status, answer["error"] if status != 200 else "enrolled"


def causes(master: Master, judge: str) -> list[str]:
    rows = master.ledger.conn.execute(
        "SELECT kind, payload FROM ledger WHERE kind IN ('enrol_failed', 'seat_locked') "
        "ORDER BY seq").fetchall()
    found: list[str] = []
    for kind, payload in rows:
        data: dict[str, Any] = json.loads(payload)
        if data["seat"] == judge:
            found.append(data["cause"] if kind == "enrol_failed" else kind)
    return found


async def test_enrolment_guessing_locks_the_seat_after_ten(tmp_path: Path,
                                                           event: Event) -> None:
    async with serving(tmp_path / "m", event) as served:
        [issued] = served.master.issue_codes(["J2"], now=NOW)
        right = issued.code
        answers = []
        for _ in range(ENROL_FAILURE_LIMIT + 5):
            digits = right.digits
            while digits == right.digits:
                digits = f"{int.from_bytes(os.urandom(8), 'big') % 10**RANDOM_DIGITS:08d}"
            answers.append(await try_code(served, EnrolmentCode(right.seat, digits)))
        right_after = await try_code(served, right)
        devices = served.master.devices_of("J2")
        seat = served.master.seat("J2")
        recorded = causes(served.master, "J2")
    locked_at = next(i + 1 for i, (_s, e) in enumerate(answers) if e == "seat_locked")
    code_space = 10**RANDOM_DIGITS
    chance = ENROL_FAILURE_LIMIT / code_space
    print(f"lucky_guess_chance: {chance:.0e} ({ENROL_FAILURE_LIMIT} tries / "
          f"10^{RANDOM_DIGITS} codes)", flush=True)
    figure("s08_bruteforce", guesses=len(answers), locked_after=locked_at,
           random_digits=RANDOM_DIGITS, tries_per_seat=ENROL_FAILURE_LIMIT,
           lucky_guess_chance=f"{chance:.0e}",
           lucky_guess_basis=f"{ENROL_FAILURE_LIMIT}_tries/10^{RANDOM_DIGITS}_codes",
           wrong_tries_recorded=recorded.count("wrong"),
           right_code_after_lock=right_after[1])
    details("s08_bruteforce", answers=[f"{s} {e}" for s, e in answers], ledger=recorded)
    # each guess was a whole exchange whose confirmation failed: counted, 403 bad_code
    assert answers[:locked_at - 1] == [(403, "bad_code")] * (locked_at - 1)
    assert locked_at == ENROL_FAILURE_LIMIT == 10
    assert answers[locked_at - 1:] == [(403, "seat_locked")] * (len(answers) - locked_at + 1)
    assert recorded == ["wrong"] * 10 + ["seat_locked"]  # starts after the lock: no entry
    assert seat.locked and seat.failures == 10
    assert right_after == (403, "seat_locked") and devices == []
    assert chance <= 1e-7
