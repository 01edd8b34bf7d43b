"""Scenario 8: online guessing of an enrolment code over real TLS. Wrong guesses for a seat
are counted; the seat locks after 10 and then even the right code is refused. The code's
secret is 80 bits, so with 10 tries per seat the chance of a lucky guess is 10 / 2^80."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from head_judge.master import ENROL_FAILURE_LIMIT
from sync.codes import SECRET_SIZE, EnrolmentCode
from sync.event import Event
from tests.head_judge.test_master import NOW, Terminal
from tests.head_judge.test_server import serving

from .common import figure

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def test_enrolment_guessing_locks_the_seat_after_ten(tmp_path: Path,
                                                           event: Event) -> None:
    async with serving(tmp_path / "m", event) as served:
        [(_, code)] = served.master.issue_codes(["J2"], now=NOW)
        answers = []
        for _ in range(ENROL_FAILURE_LIMIT + 5):
            guess = EnrolmentCode(code.fingerprint, "J2", os.urandom(SECRET_SIZE))
            status, answer = await served.post("/v1/enrol",
                                               Terminal("J2", event.id).enrol_request(guess))
            answers.append((status, answer["error"]))
        status, answer = await served.post("/v1/enrol",
                                           Terminal("J2", event.id).enrol_request(code))
        right_after = answer.get("error")
        devices = served.master.devices_of("J2")
    locked_at = next(i + 1 for i, (_s, e) in enumerate(answers) if e == "seat_locked")
    bits = SECRET_SIZE * 8
    probability = ENROL_FAILURE_LIMIT / 2**bits
    figure("s08_bruteforce", guesses=len(answers), locked_after=locked_at, secret_bits=bits,
           tries_per_seat=ENROL_FAILURE_LIMIT, p_lucky_guess=f"{probability:.3g}",
           right_code_after_lock=right_after)
    assert [e for _s, e in answers[:locked_at - 1]] == ["bad_code"] * (locked_at - 1)
    assert locked_at == 10 and all(e == "seat_locked" for _s, e in answers[locked_at - 1:])
    assert right_after == "seat_locked" and devices == [] and bits == 80
