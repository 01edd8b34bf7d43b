"""Luhn-checked base32 groups and enrolment codes: round trips, and typos that are caught."""

from __future__ import annotations

import hashlib
import os
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sync.codes import (
    ALPHABET,
    BLOCK,
    CHARS_PER_GROUP,
    EnrolmentCode,
    TypedCodeError,
    decode_groups,
    encode_groups,
    issue_code,
    luhn32,
    normalise_typed,
    secret_digest,
)

GROUP = CHARS_PER_GROUP + 1
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

fingerprints = st.binary(min_size=32, max_size=32)
secrets = st.binary(min_size=10, max_size=10)
seats = st.text(
    alphabet=string.ascii_letters + string.digits + string.punctuation, min_size=1, max_size=16
)
codes = st.builds(EnrolmentCode, fingerprint=fingerprints, seat=seats, secret=secrets)


def luhn_valid(checked: str) -> bool:
    """Independent check: from the right, check char undoubled, then alternate doubling."""
    total = 0
    for i, ch in enumerate(reversed(checked)):
        v = VALUE[ch] * (2 if i % 2 else 1)
        total += v // 32 + v % 32
    return total % 32 == 0


def plain(code_text: str) -> str:
    return code_text.replace("-", "")


# --- the check character ----------------------------------------------------------------------


def test_luhn32_known_values() -> None:
    assert luhn32("") == "A"
    assert luhn32("B") == "6"  # 1 doubled is 2; 32 - 2 = 30 -> '6'
    assert luhn32("7") == "B"  # 31 doubled is 62 -> 1 + 30 = 31; 32 - 31 = 1 -> 'B'
    assert luhn32("BA") == "7"  # 'A' doubled is 0, 'B' undoubled is 1; 32 - 1 = 31 -> '7'


@given(st.text(alphabet=ALPHABET, max_size=40))
def test_luhn32_makes_the_standard_luhn_sum_zero(chars: str) -> None:
    assert luhn_valid(chars + luhn32(chars))


def test_luhn32_rejects_non_base32() -> None:
    with pytest.raises(ValueError):
        luhn32("AB0")


def test_the_one_adjacent_swap_luhn_mod_32_misses_is_a_with_7() -> None:
    # Documented limit of Luhn mod N: swapping the values 0 and N-1 keeps the sum.
    assert luhn32("QQA7QQ") == luhn32("QQ7AQQ")
    undetected = [
        (a, b)
        for a in ALPHABET
        for b in ALPHABET
        if a < b and luhn32(f"X{a}{b}Y") == luhn32(f"X{b}{a}Y")
    ]
    assert undetected == [("7", "A")]


# --- groups -----------------------------------------------------------------------------------


@given(st.binary(min_size=1, max_size=80))
def test_groups_round_trip_with_known_length(data: bytes) -> None:
    text = encode_groups(data)
    assert decode_groups(text, len(data)) == data


@given(st.binary(min_size=1, max_size=80))
def test_groups_round_trip_without_length_keeps_zero_padding(data: bytes) -> None:
    decoded = decode_groups(encode_groups(data))
    assert decoded.startswith(data)
    assert set(decoded[len(data) :]) <= {0}


@given(st.binary(min_size=1, max_size=80))
def test_display_form_is_blocks_of_7_of_checked_groups(data: bytes) -> None:
    text = encode_groups(data)
    blocks = text.split("-")
    assert all(len(b) == BLOCK for b in blocks)
    assert len(plain(text)) % GROUP == 0
    assert set(plain(text)) <= set(ALPHABET)
    chars = plain(text)
    assert all(luhn_valid(chars[i : i + GROUP]) for i in range(0, len(chars), GROUP))


def test_nonzero_padding_bits_are_refused() -> None:
    # 32 bytes use 51.2 characters; the 52nd carries 1 bit and 4 zero bits.
    chars = plain(encode_groups(bytes(32)))
    data = chars[-GROUP:-1]
    forged_group = data[:-1] + "B" + luhn32(data[:-1] + "B")  # sets one padding bit
    forged = chars[:-GROUP] + forged_group
    with pytest.raises(TypedCodeError, match="padding"):
        decode_groups(forged, 32)


def test_wrong_length_names_the_short_block() -> None:
    text = encode_groups(bytes(range(32)))
    blocks = text.split("-")
    blocks[5] = blocks[5][:-1]
    with pytest.raises(TypedCodeError, match=r"expected 56 characters, got 55; block 6") as err:
        decode_groups("-".join(blocks), 32)
    assert err.value.group is None


@pytest.mark.parametrize("bad", ["9", "@", "É", "\uff21", "_"])
def test_characters_outside_the_alphabet_are_refused(bad: str) -> None:
    chars = plain(encode_groups(bytes(32)))
    text = chars[:20] + bad + chars[21:]
    with pytest.raises(TypedCodeError, match="not used in these codes") as err:
        decode_groups(text, 32)
    assert err.value.group == 2


def test_normalise_typed() -> None:
    assert normalise_typed(" ab0-18 c\tD\n") == "ABOIBCD"


# --- enrolment codes --------------------------------------------------------------------------


@given(codes)
def test_enrolment_code_round_trip(code: EnrolmentCode) -> None:
    text = code.encode()
    assert EnrolmentCode.parse(text) == code
    assert EnrolmentCode.parse(plain(text)) == code


@given(codes, st.data())
def test_every_single_substitution_is_caught_and_located(
    code: EnrolmentCode, data: st.DataObject
) -> None:
    chars = plain(code.encode())
    pos = data.draw(st.integers(0, len(chars) - 1), label="position")
    new = data.draw(st.sampled_from([c for c in ALPHABET if c != chars[pos]]), label="char")
    with pytest.raises(TypedCodeError) as err:
        EnrolmentCode.parse(chars[:pos] + new + chars[pos + 1 :])
    assert err.value.group == pos // GROUP + 1


def test_every_single_substitution_in_one_code_exhaustively() -> None:
    code = issue_code(hashlib.sha256(b"master").digest(), "J3", rng=lambda n: bytes(range(n)))
    chars = plain(code.encode())
    for pos, old in enumerate(chars):
        for new in ALPHABET:
            if new == old:
                continue
            with pytest.raises(TypedCodeError) as err:
                EnrolmentCode.parse(chars[:pos] + new + chars[pos + 1 :])
            assert err.value.group == pos // GROUP + 1


@given(codes, st.data())
def test_adjacent_transpositions_are_caught_except_a_with_7(
    code: EnrolmentCode, data: st.DataObject
) -> None:
    """Guaranteed: a swap of two neighbouring different characters is caught, unless they are
    'A' and '7' inside the same checked group (the one pair Luhn mod 32 cannot see). A swap
    across two groups changes one character in each, so it is always caught."""
    chars = plain(code.encode())
    pos = data.draw(st.integers(0, len(chars) - 2), label="position")
    a, b = chars[pos], chars[pos + 1]
    assume(a != b)
    same_group = pos // GROUP == (pos + 1) // GROUP
    swapped = chars[:pos] + b + a + chars[pos + 2 :]
    if same_group and {a, b} == {"A", "7"}:
        return
    with pytest.raises(TypedCodeError):
        EnrolmentCode.parse(swapped)


def test_all_adjacent_transpositions_in_one_code_exhaustively() -> None:
    code = issue_code(hashlib.sha256(b"other").digest(), "judge-07", rng=os.urandom)
    chars = plain(code.encode())
    for pos in range(len(chars) - 1):
        a, b = chars[pos], chars[pos + 1]
        if a == b or ({a, b} == {"A", "7"} and pos // GROUP == (pos + 1) // GROUP):
            continue
        with pytest.raises(TypedCodeError):
            EnrolmentCode.parse(chars[:pos] + b + a + chars[pos + 2 :])


@given(codes)
def test_confusables_lower_case_and_spacing_are_accepted(code: EnrolmentCode) -> None:
    text = code.encode()
    typed = text.replace("O", "0").replace("I", "1").replace("B", "8").lower().replace("-", " ")
    assert EnrolmentCode.parse(typed) == code
    assert EnrolmentCode.parse("  " + plain(text) + "\n") == code
    assert EnrolmentCode.parse(" - ".join(text.split("-"))) == code


def test_code_length_depends_on_the_seat_length() -> None:
    fp = bytes(32)
    lengths = {
        seat_len: len(plain(issue_code(fp, "J" * seat_len).encode())) for seat_len in range(1, 17)
    }
    assert {lengths[n] for n in range(1, 5)} == {84}
    assert {lengths[n] for n in range(5, 13)} == {98}
    assert {lengths[n] for n in range(13, 17)} == {112}


def test_a_fingerprint_code_is_not_an_enrolment_code() -> None:
    with pytest.raises(TypedCodeError):
        EnrolmentCode.parse(encode_groups(bytes(range(32))))


def test_unknown_version_is_refused() -> None:
    code = issue_code(bytes(32), "J1", rng=lambda n: b"\x01" * n)
    payload = b"\x02" + code.payload()[1:]
    with pytest.raises(TypedCodeError, match="not an enrolment code"):
        EnrolmentCode.parse(encode_groups(payload))


@pytest.mark.parametrize(
    "tail", [b"\x00", b"\x05J1", b"\x02J\xff", b"\x02 x", b"\x11" + b"J" * 17, b"\x02J1\x01"]
)
def test_bad_seat_payloads_are_refused(tail: bytes) -> None:
    payload = b"\x01" + bytes(32) + bytes(10) + tail
    with pytest.raises(TypedCodeError):
        EnrolmentCode.parse(encode_groups(payload))


@pytest.mark.parametrize(
    ("fingerprint", "seat", "secret"),
    [
        (bytes(31), "J1", bytes(10)),
        (bytes(33), "J1", bytes(10)),
        (bytes(32), "J1", bytes(9)),
        (bytes(32), "", bytes(10)),
        (bytes(32), "J" * 17, bytes(10)),
        (bytes(32), "J 1", bytes(10)),
        (bytes(32), "评委1", bytes(10)),
        ("00" * 32, "J1", bytes(10)),
    ],
)
def test_enrolment_code_validates_its_fields(fingerprint: bytes, seat: str, secret: bytes) -> None:
    with pytest.raises(ValueError):
        EnrolmentCode(fingerprint=fingerprint, seat=seat, secret=secret)


def test_issue_code_takes_randomness_from_rng() -> None:
    asked: list[int] = []

    def rng(n: int) -> bytes:
        asked.append(n)
        return b"\xab" * n

    code = issue_code(bytes(32), "J2", rng=rng)
    assert code.secret == b"\xab" * 10
    assert asked == [10]
    assert issue_code(bytes(32), "J2").secret != issue_code(bytes(32), "J2").secret


def test_secret_digest_and_repr_hide_the_secret() -> None:
    code = issue_code(bytes(32), "J2", rng=lambda n: b"\x07" * n)
    assert secret_digest(code.secret) == hashlib.sha256(b"\x07" * 10).hexdigest()
    assert len(secret_digest(code.secret)) == 64
    assert "secret" not in repr(code) and "\\x07" not in repr(code)
