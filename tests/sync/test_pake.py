"""`sync.pake`: the SPAKE2 enrolment exchange and its key confirmations, both sides run here
for real (the `spake2` package)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.pake import CONFIRM_SIZE, MasterExchange, PakeError, TerminalExchange, transcript_hash

PASSWORD = b"3482719561"
FINGERPRINT = bytes(range(32))
DEVICE_KEY = bytes(range(32, 64))
NAME = "Dell 笔记本"
ANSWER = {"judge": "J3", "device": "0123456789abcdef", "event_digest": "ab" * 32,
          "master_key": "bWFzdGVyIGtleQ=="}


def exchange(terminal_password: bytes = PASSWORD, master_password: bytes = PASSWORD, *,
             seat: int = 3, master_seat: int | None = None
             ) -> tuple[TerminalExchange, MasterExchange, bytes]:
    """A start and the terminal's confirmation; the master has not checked it yet."""
    terminal = TerminalExchange(seat, terminal_password)
    master = MasterExchange(seat if master_seat is None else master_seat, master_password,
                            terminal.a)
    confirm = terminal.confirm(master.b, FINGERPRINT, DEVICE_KEY, NAME)
    return terminal, master, confirm


def test_both_sides_agree() -> None:
    terminal, master, confirm = exchange()
    assert len(terminal.a) == len(master.b) == 33 and len(confirm) == CONFIRM_SIZE
    assert master.check_terminal(confirm, FINGERPRINT, DEVICE_KEY, NAME)
    answer_confirm = master.confirm(ANSWER)
    assert len(answer_confirm) == CONFIRM_SIZE
    terminal.check_master(answer_confirm, dict(ANSWER))  # does not raise


def test_each_exchange_is_fresh() -> None:
    first, second = exchange(), exchange()
    assert first[0].a != second[0].a and first[1].b != second[1].b
    assert first[2] != second[2]


def test_a_wrong_password_fails_both_ways() -> None:
    terminal, master, confirm = exchange(b"3482719562")
    assert not master.check_terminal(confirm, FINGERPRINT, DEVICE_KEY, NAME)
    # Had the master answered anyway, the terminal would not trust its answer.
    with pytest.raises(PakeError):
        terminal.check_master(master.confirm(ANSWER), ANSWER)


def test_another_seat_number_fails() -> None:
    _terminal, master, confirm = exchange(master_seat=4)
    assert not master.check_terminal(confirm, FINGERPRINT, DEVICE_KEY, NAME)


@pytest.mark.parametrize(("fingerprint", "device_key", "name"), [
    (b"x" * 32, DEVICE_KEY, NAME),  # a relay: the terminal saw another TLS key
    (FINGERPRINT, bytes(32), NAME),  # a device key swapped on the way
    (FINGERPRINT, DEVICE_KEY, "another laptop"),
])
def test_the_confirmation_binds_the_master_and_the_device(fingerprint: bytes,
                                                          device_key: bytes,
                                                          name: str) -> None:
    _terminal, master, confirm = exchange()
    assert not master.check_terminal(confirm, fingerprint, device_key, name)


@pytest.mark.parametrize("field", sorted(ANSWER))
def test_an_altered_answer_fails(field: str) -> None:
    terminal, master, confirm = exchange()
    assert master.check_terminal(confirm, FINGERPRINT, DEVICE_KEY, NAME)
    answer_confirm = master.confirm(ANSWER)
    with pytest.raises(PakeError, match="did not prove"):
        terminal.check_master(answer_confirm, {**ANSWER, field: "changed"})
    with pytest.raises(PakeError):
        terminal.check_master(answer_confirm, {k: v for k, v in ANSWER.items() if k != field})
    with pytest.raises(PakeError):
        terminal.check_master(bytes(CONFIRM_SIZE), ANSWER)


def test_the_masters_confirmation_is_not_the_terminals() -> None:
    """Reflecting the terminal's own confirmation back does not pass as the master's."""
    terminal, master, confirm = exchange()
    assert master.check_terminal(confirm, FINGERPRINT, DEVICE_KEY, NAME)
    with pytest.raises(PakeError):
        terminal.check_master(confirm, {})


@pytest.mark.parametrize("garbage", [
    b"", b"A", os.urandom(33), b"A" + b"\xff" * 32, b"B" + b"\xff" * 32, b"\x00" * 33,
    b"A" * 100])
def test_garbage_spake2_messages_are_pake_errors(garbage: bytes) -> None:
    with pytest.raises(PakeError):
        MasterExchange(3, PASSWORD, garbage)
    with pytest.raises(PakeError):
        TerminalExchange(3, PASSWORD).confirm(garbage, FINGERPRINT, DEVICE_KEY, NAME)


def test_a_reflected_message_is_refused() -> None:
    """Each side refuses its own kind of message: the terminal's `a` sent back as `b`."""
    terminal = TerminalExchange(3, PASSWORD)
    with pytest.raises(PakeError):
        terminal.confirm(terminal.a, FINGERPRINT, DEVICE_KEY, NAME)
    master = MasterExchange(3, PASSWORD, TerminalExchange(3, PASSWORD).a)
    with pytest.raises(PakeError):
        MasterExchange(3, PASSWORD, master.b)


def test_steps_out_of_order_are_pake_errors() -> None:
    with pytest.raises(PakeError, match="confirm first"):
        TerminalExchange(3, PASSWORD).check_master(bytes(32), ANSWER)
    _terminal, master, _confirm = exchange()
    with pytest.raises(PakeError, match="check the terminal"):
        master.confirm(ANSWER)


def test_the_transcript_covers_each_part() -> None:
    parts = (3, b"a" * 33, b"b" * 33, FINGERPRINT, DEVICE_KEY, NAME)
    base = transcript_hash(*parts)
    changed = [(4, *parts[1:]), (3, b"c" * 33, *parts[2:]), (*parts[:2], b"c" * 33, *parts[3:]),
               (*parts[:3], b"y" * 32, *parts[4:]), (*parts[:4], bytes(32), NAME),
               (*parts[:5], NAME + " ")]
    assert len({base, *(transcript_hash(*c) for c in changed)}) == 1 + len(changed)


digits = st.text(alphabet="0123456789", min_size=10, max_size=11)


@settings(max_examples=25, deadline=None)
@given(terminal_password=digits, master_password=digits)
def test_the_master_accepts_exactly_the_right_password(terminal_password: str,
                                                       master_password: str) -> None:
    """Whatever the two codes: the confirmation checks iff they are the same, and then the
    master's confirmation checks at the terminal."""
    terminal, master, confirm = exchange(terminal_password.encode(), master_password.encode())
    same = terminal_password == master_password
    assert master.check_terminal(confirm, FINGERPRINT, DEVICE_KEY, NAME) is same
    if same:
        terminal.check_master(master.confirm(ANSWER), ANSWER)
    else:
        with pytest.raises(PakeError):
            terminal.check_master(master.confirm(ANSWER), ANSWER)


@settings(max_examples=25, deadline=None)
@given(password=digits, name=st.text(max_size=20), fingerprint=st.binary(min_size=32,
                                                                          max_size=32))
def test_right_password_and_the_same_view_always_agree(password: str, name: str,
                                                       fingerprint: bytes) -> None:
    terminal = TerminalExchange(7, password.encode())
    master = MasterExchange(7, password.encode(), terminal.a)
    confirm = terminal.confirm(master.b, fingerprint, DEVICE_KEY, name)
    assert master.check_terminal(confirm, fingerprint, DEVICE_KEY, name)
    terminal.check_master(master.confirm({"judge": name}), {"judge": name})
