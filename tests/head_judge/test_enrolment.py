"""Enrolment with short codes (`head_judge.enrolment`, `Master.enrol_start/enrol_finish`):
where a code's digits are kept, what counts as a guess, the SPAKE2 sessions' life, and what
a terminal checks of the master's answer. Real master homes in tmp_path, real SPAKE2 (both
halves in-process, as `SyncClient.enrol` runs them)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from head_judge.enrolment import (
    CODES_FOLDER,
    EXCHANGE_TTL,
    MAX_WAITING,
    Exchanges,
    IssuedCode,
    WaitingExchange,
)
from head_judge.master import Master, Rejection
from sync.canonical import canonical_bytes
from sync.event import Event, Judge, Text
from sync.identity import generate_signing_key, public_key_bytes
from sync.pake import MasterExchange, PakeError, TerminalExchange

from .test_master import NOW, Terminal, failures, table_counts, wrong_code

LATER = NOW + dt.timedelta(seconds=30)


@pytest.fixture
def master(tmp_path: Path, event: Event) -> Iterator[Master]:
    opened = Master.open(tmp_path / "home", event, now=NOW)
    yield opened
    opened.close()


def codes_folder(master: Master) -> Path:
    return master.home / "identity" / CODES_FOLDER


def started(master: Master, code: Any, at: dt.datetime = NOW
            ) -> tuple[TerminalExchange, dict[str, str]]:
    exchange = TerminalExchange(code.seat, code.password)
    return exchange, master.enrol_start(
        {"protocol": 1, "seat": code.seat, "pake": base64.b64encode(exchange.a).decode()}, at)


def finish_request(master: Master, exchange: TerminalExchange, start: dict[str, str],
                   terminal: Terminal, name: str = "laptop") -> dict[str, Any]:
    key = public_key_bytes(terminal.key)
    confirm = exchange.confirm(base64.b64decode(start["pake"]), master.identity.fingerprint,
                               key, name)
    return {"protocol": 1, "session": start["session"],
            "device_key": base64.b64encode(key).decode(), "device_name": name,
            "confirm": base64.b64encode(confirm).decode()}


def binding(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: answer[k] for k in ("judge", "device", "event_digest", "master_key")}


# --- where the digits are kept ----------------------------------------------------------------

def _leaks(issued: IssuedCode) -> list[bytes]:
    """Every form of a code's digits (or of a hash of them) that must not be in master.db."""
    texts = {issued.code.password.decode(), issued.code.encode(),
             issued.code.encode().replace("-", " ")}
    return sorted({t.encode() for t in texts}
                  | {hashlib.sha256(t.encode()).hexdigest().encode() for t in texts}
                  | {hashlib.sha256(t.encode()).hexdigest().upper().encode() for t in texts})


def _files_outside_the_code_book(home: Path) -> dict[Path, bytes]:
    book = home / "identity" / CODES_FOLDER
    return {p: p.read_bytes() for p in home.rglob("*") if p.is_file() and book not in p.parents}


def test_the_digits_are_only_in_the_code_book(tmp_path: Path, event: Event) -> None:
    """A code's digits, or their SHA-256 (eight digits are searched in a second), are nowhere
    in master.db, its WAL or the ledger's payloads; only in identity/codes/<id>, mode 0600.
    Seats 10 and 11 of a larger panel have 11-digit codes."""
    more = tuple(Judge(f"J{n}", Text(f"评委{n}", f"Judge {n}")) for n in range(6, 12))
    big = dataclasses.replace(event, judges=event.judges + more)
    home = tmp_path / "home"
    master = Master.open(home, big, now=NOW)
    codes = master.issue_codes(now=NOW)
    assert {len(c.code.password) for c in codes} == {10, 11}
    assert [c.code.seat for c in codes] == list(range(1, 12))
    Terminal("J1", big.id).enrol(master, codes[0].code, NOW)
    with pytest.raises(Rejection, match="bad_code"):
        Terminal("J11", big.id).enrol(master, wrong_code(codes[10].code), NOW)
    with pytest.raises(Rejection, match="bad_code"):  # used, from another laptop
        Terminal("J1", big.id).enrol(master, codes[0].code, NOW)
    master.issue_codes(["J10"], now=LATER)  # a second issue: J10's first code replaced

    payloads = b"\n".join(canonical_bytes(e.payload) for e in master.ledger.entries())
    assert len(payloads) > 1000

    def assert_no_leak() -> None:
        files = _files_outside_the_code_book(home)
        assert home / "master.db" in files
        for issued in codes:
            for leak in _leaks(issued):
                assert leak not in payloads, (issued.judge.id, leak)
                for path, data in files.items():
                    assert leak not in data, (issued.judge.id, leak, path)

    assert_no_leak()  # while open: the WAL holds the newest pages
    book = codes_folder(master)
    kept = sorted(p.name for p in book.iterdir())
    replaced = codes[9].code_id  # J10's first code, forgotten when its second was issued
    assert kept == sorted({c.code_id for c in codes} - {replaced}
                          | {master.seat("J10").code_id or ""})
    for issued in codes[:9] + codes[10:]:
        path = book / issued.code_id
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert issued.code.password in path.read_bytes()
        assert issued.code_id in master.ledger.conn.execute(
            "SELECT group_concat(payload) FROM ledger").fetchone()[0]
    master.close()
    assert_no_leak()  # the WAL checkpointed into master.db


def test_expired_code_files_are_removed_at_the_next_issue(master: Master) -> None:
    [short] = master.issue_codes(["J1"], now=NOW, ttl=dt.timedelta(minutes=1))
    [long] = master.issue_codes(["J2"], now=NOW, ttl=dt.timedelta(hours=1))
    book = codes_folder(master)
    assert {p.name for p in book.iterdir()} == {short.code_id, long.code_id}
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:  # expired: refused at the start, not counted
        started(master, short.code, NOW + dt.timedelta(minutes=1))
    assert (refused.value.code, refused.value.http_status) == ("bad_code", 403)
    assert "expired" in refused.value.reason
    assert table_counts(master.ledger.path) == counts
    assert short.code_id in {p.name for p in book.iterdir()}  # nothing is removed by a start
    [third] = master.issue_codes(["J3"], now=NOW + dt.timedelta(minutes=2))
    assert {p.name for p in book.iterdir()} == {long.code_id, third.code_id}
    assert master.codes.password(short.code_id) is None
    assert master.codes.password(long.code_id) == long.code.password


def test_a_replaced_or_used_code_is_forgotten_when_its_seat_gets_a_new_one(master: Master
                                                                           ) -> None:
    [first] = master.issue_codes(["J1"], now=NOW)
    [second] = master.issue_codes(["J1"], now=NOW)
    assert master.codes.password(first.code_id) is None
    assert master.codes.password(second.code_id) == second.code.password
    Terminal("J1", master.event.id).enrol(master, second.code)
    assert master.codes.password(second.code_id) is not None  # a lost answer's retry needs it
    [third] = master.issue_codes(["J1"], now=NOW)
    assert {p.name for p in codes_folder(master).iterdir()} == {third.code_id}


def test_the_code_book_folder_is_private(master: Master) -> None:
    old = os.umask(0)
    try:
        master.issue_codes(["J1"], now=NOW)
    finally:
        os.umask(old)
    folder = codes_folder(master)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}


# --- what counts as a guess -------------------------------------------------------------------

def test_an_abandoned_start_is_not_counted_and_writes_nothing(master: Master) -> None:
    [issued] = master.issue_codes(["J1"], now=NOW)
    counts = table_counts(master.ledger.path)
    for code in (issued.code, wrong_code(issued.code), issued.code):
        _exchange, start = started(master, code)
        assert len(start["session"]) == 32 and len(base64.b64decode(start["pake"])) == 33
    assert table_counts(master.ledger.path) == counts
    assert master.seat("J1").failures == 0 and failures(master) == []
    assert Terminal("J1", master.event.id).enrol(master, issued.code, NOW)["judge"] == "J1"


def test_a_wrong_confirmation_is_counted(master: Master) -> None:
    [issued] = master.issue_codes(["J2"], now=NOW)
    terminal = Terminal("J2", master.event.id)
    exchange, start = started(master, issued.code)
    request = finish_request(master, exchange, start, terminal)
    request["confirm"] = base64.b64encode(bytes(32)).decode()
    with pytest.raises(Rejection) as refused:
        master.enrol_finish(request, NOW)
    assert (refused.value.code, refused.value.http_status) == ("bad_code", 403)
    assert failures(master) == [("J2", "wrong")] and master.seat("J2").failures == 1
    entry = list(master.ledger.entries())[-1]
    assert (entry.kind, entry.actor, entry.payload["device"]) == (
        "enrol_failed", "unauthenticated", terminal.device)


def test_a_relayed_exchange_fails_and_is_counted(master: Master) -> None:
    """A rogue master relaying to the real one shows the terminal its own TLS key: the
    terminal's confirmation covers that fingerprint, so the real master refuses it."""
    [issued] = master.issue_codes(["J1"], now=NOW)
    terminal = Terminal("J1", master.event.id)
    with pytest.raises(Rejection) as refused:
        terminal.enrol(master, issued.code, NOW, fingerprint=b"x" * 32)
    assert refused.value.code == "bad_code"
    assert failures(master) == [("J1", "wrong")] and master.device(terminal.device) is None
    assert master.seat("J1").code_id == issued.code_id  # the code is still good
    assert terminal.enrol(master, issued.code, NOW)["device"] == terminal.device


def test_the_terminal_refuses_an_altered_answer(master: Master) -> None:
    """The master's confirmation covers the judge, the device, the event digest and the
    master key: a relay cannot swap any of them."""
    [issued] = master.issue_codes(["J3"], now=NOW)
    terminal = Terminal("J3", master.event.id)
    exchange, start = started(master, issued.code)
    answer = master.enrol_finish(finish_request(master, exchange, start, terminal), NOW)
    confirm = base64.b64decode(answer["confirm"])
    exchange.check_master(confirm, binding(answer))  # as sent: it checks
    other_key = base64.b64encode(public_key_bytes(generate_signing_key())).decode()
    for field, value in (("judge", "J1"), ("device", "0123456789abcdef"),
                         ("event_digest", "0" * 64), ("master_key", other_key)):
        with pytest.raises(PakeError):
            exchange.check_master(confirm, {**binding(answer), field: value})
    with pytest.raises(PakeError):
        exchange.check_master(bytes([confirm[0] ^ 1]) + confirm[1:], binding(answer))


# --- sessions ---------------------------------------------------------------------------------

def test_an_unknown_or_lapsed_session_is_stale_and_not_counted(master: Master) -> None:
    [issued] = master.issue_codes(["J1"], now=NOW)
    terminal = Terminal("J1", master.event.id)
    exchange, start = started(master, issued.code)
    request = finish_request(master, exchange, start, terminal)
    counts = table_counts(master.ledger.path)
    for session, at in (("ab" * 16, NOW), (start["session"], NOW + EXCHANGE_TTL)):
        with pytest.raises(Rejection) as refused:
            master.enrol_finish({**request, "session": session}, at)
        assert (refused.value.code, refused.value.http_status) == ("stale_session", 409)
    assert table_counts(master.ledger.path) == counts and master.seat("J1").failures == 0
    assert terminal.enrol(master, issued.code, NOW)["judge"] == "J1"


def test_a_session_finishes_once(master: Master) -> None:
    [issued] = master.issue_codes(["J1"], now=NOW)
    terminal = Terminal("J1", master.event.id)
    exchange, start = started(master, issued.code)
    request = finish_request(master, exchange, start, terminal)
    assert master.enrol_finish(request, NOW)["device"] == terminal.device
    entries = len(master.ledger)
    with pytest.raises(Rejection) as refused:
        master.enrol_finish(request, NOW)
    assert (refused.value.code, refused.value.http_status) == ("stale_session", 409)
    assert len(master.ledger) == entries
    # A wrong finish also uses the session up: its right retry is stale, not a second guess.
    [again] = master.issue_codes(["J2"], now=NOW)
    other = Terminal("J2", master.event.id)
    exchange, start = started(master, again.code)
    request = finish_request(master, exchange, start, other)
    with pytest.raises(Rejection, match="bad_code"):
        master.enrol_finish({**request, "confirm": base64.b64encode(bytes(32)).decode()}, NOW)
    with pytest.raises(Rejection, match="stale_session"):
        master.enrol_finish(request, NOW)
    assert master.seat("J2").failures == 1


def test_a_new_start_for_the_seat_replaces_the_waiting_one(master: Master) -> None:
    j1, j2 = master.issue_codes(["J1", "J2"], now=NOW)
    first = started(master, j1.code)
    other_seat = started(master, j2.code)
    second = started(master, j1.code)
    terminal = Terminal("J1", master.event.id)
    with pytest.raises(Rejection) as refused:
        master.enrol_finish(finish_request(master, *first, terminal), NOW)
    assert refused.value.code == "stale_session"
    assert master.enrol_finish(finish_request(master, *second, terminal), NOW)["judge"] == "J1"
    j2_terminal = Terminal("J2", master.event.id)
    assert master.enrol_finish(finish_request(master, *other_seat, j2_terminal),
                               NOW)["judge"] == "J2"
    assert failures(master) == []


def test_a_code_issued_between_start_and_finish_makes_the_session_stale(
        master: Master) -> None:
    [old] = master.issue_codes(["J1"], now=NOW)
    terminal = Terminal("J1", master.event.id)
    exchange, start = started(master, old.code)
    [new] = master.issue_codes(["J1"], now=NOW)
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:
        master.enrol_finish(finish_request(master, exchange, start, terminal), NOW)
    assert (refused.value.code, refused.value.http_status) == ("stale_session", 409)
    assert table_counts(master.ledger.path) == counts
    assert terminal.enrol(master, new.code, NOW)["judge"] == "J1"


def test_a_code_that_expires_between_start_and_finish_does_not_enrol(master: Master) -> None:
    """The expiry printed on the card holds even for an exchange started a second before."""
    [issued] = master.issue_codes(["J1"], now=NOW, ttl=dt.timedelta(minutes=1))
    terminal = Terminal("J1", master.event.id)
    expiry = NOW + dt.timedelta(minutes=1)
    exchange, start = started(master, issued.code, expiry - dt.timedelta(seconds=1))
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:
        master.enrol_finish(finish_request(master, exchange, start, terminal), expiry)
    assert (refused.value.code, refused.value.http_status) == ("bad_code", 403)
    assert "expired" in refused.value.reason
    assert table_counts(master.ledger.path) == counts  # the code was right: not a guess
    assert master.device(terminal.device) is None
    exchange, start = started(master, wrong_code(issued.code), expiry - dt.timedelta(seconds=1))
    with pytest.raises(Rejection, match="bad_code"):  # a wrong one is still a wrong try
        master.enrol_finish(finish_request(master, exchange, start, terminal), expiry)
    assert failures(master) == [("J1", "wrong")]


def test_a_code_used_between_start_and_finish_is_used(master: Master) -> None:
    """Two laptops start with the same code; the second to finish finds it used."""
    [issued] = master.issue_codes(["J4"], now=NOW)
    first, second = Terminal("J4", master.event.id), Terminal("J4", master.event.id)
    one = finish_request(master, *started(master, issued.code), first)
    # (a new start for the seat replaces the waiting one, so the second starts after the
    # first's finish: the code is used by then)
    assert master.enrol_finish(one, NOW)["device"] == first.device
    with pytest.raises(Rejection) as refused:
        second.enrol(master, issued.code, NOW)
    assert refused.value.code == "bad_code" and "already used" in refused.value.reason
    assert failures(master) == [("J4", "used")] and master.device(second.device) is None


def test_a_start_for_a_seat_with_no_code_is_refused(master: Master) -> None:
    code = wrong_code(master.issue_codes(["J1"], now=NOW)[0].code)
    code = dataclasses.replace(code, seat=5)  # J5 has no code
    counts = table_counts(master.ledger.path)
    with pytest.raises(Rejection) as refused:
        started(master, code)
    assert (refused.value.code, refused.value.http_status) == ("bad_code", 403)
    assert "no enrolment code is waiting for seat 5 (J5)" in refused.value.reason
    with pytest.raises(Rejection) as refused:
        started(master, dataclasses.replace(code, seat=6))  # the panel has 5 seats
    assert (refused.value.code, refused.value.http_status) == ("unknown_seat", 404)
    assert table_counts(master.ledger.path) == counts


def test_waiting_exchanges_are_bounded() -> None:
    exchange = MasterExchange(1, b"1234567890", TerminalExchange(1, b"1234567890").a)
    waiting = Exchanges()
    for n in range(MAX_WAITING):
        lapses = NOW + EXCHANGE_TTL + dt.timedelta(seconds=n)
        waiting.add(f"s{n}", WaitingExchange(f"J{n}", "c", exchange, lapses), NOW)
    waiting.add("new", WaitingExchange("Jnew", "c", exchange, NOW + EXCHANGE_TTL), NOW)
    assert waiting.take("s0", NOW) is None  # the one lapsing soonest made room
    assert waiting.take("s1", NOW) is not None and waiting.take("new", NOW) is not None
    assert waiting.take("s2", NOW + EXCHANGE_TTL + dt.timedelta(seconds=2)) is None  # lapsed
