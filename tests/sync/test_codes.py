"""Luhn-checked base32 groups and enrolment codes: round trips, and typos that are caught."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sync.codes import (
    ALPHABET,
    BLOCK,
    CHARS_PER_GROUP,
    CODE_LENGTHS,
    SEAT_NUMBER_MAX,
    EnrolmentCode,
    TypedCodeError,
    damm,
    decode_groups,
    encode_groups,
    issue_code,
    luhn32,
    normalise_typed,
)

GROUP = CHARS_PER_GROUP + 1
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


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

codes = st.builds(EnrolmentCode, seat=st.integers(1, SEAT_NUMBER_MAX),
                  digits=st.text(alphabet=string.digits, min_size=8, max_size=8))


def digits_of(code: EnrolmentCode) -> str:
    return plain(code.encode())


def test_damm_known_values() -> None:
    assert damm("572") == "4"  # the worked example of Damm's paper and Wikipedia
    assert damm("5724") == "0"
    assert damm("") == "0"


def test_the_display_form_is_seat_four_and_five_digits() -> None:
    code = EnrolmentCode(3, "48271956")
    assert code.encode() == f"3-4827-1956{damm('348271956')}"
    assert code.password == digits_of(code).encode("ascii")
    assert len(digits_of(EnrolmentCode(12, "00000000"))) == CODE_LENGTHS[1] == 11
    assert len(digits_of(code)) == CODE_LENGTHS[0] == 10


@given(codes)
def test_enrolment_code_round_trip(code: EnrolmentCode) -> None:
    text = code.encode()
    assert EnrolmentCode.parse(text) == code
    assert EnrolmentCode.parse(plain(text)) == code
    assert len(plain(text)) <= 12  # at most 12 characters typed, separators not counted


@given(codes, st.data())
def test_every_single_digit_error_is_caught_offline(code: EnrolmentCode, data: st.DataObject
                                                    ) -> None:
    chars = digits_of(code)
    pos = data.draw(st.integers(0, len(chars) - 1), label="position")
    new = data.draw(st.sampled_from([c for c in string.digits if c != chars[pos]]), label="new")
    with pytest.raises(TypedCodeError):
        EnrolmentCode.parse(chars[:pos] + new + chars[pos + 1:])


@given(codes, st.data())
def test_every_adjacent_transposition_is_caught_offline(code: EnrolmentCode,
                                                        data: st.DataObject) -> None:
    chars = digits_of(code)
    pos = data.draw(st.integers(0, len(chars) - 2), label="position")
    assume(chars[pos] != chars[pos + 1])
    with pytest.raises(TypedCodeError):
        EnrolmentCode.parse(chars[:pos] + chars[pos + 1] + chars[pos] + chars[pos + 2:])


def test_every_single_error_and_transposition_exhaustively() -> None:
    """Damm's guarantee, over every code shape: each position, each wrong digit, each swap."""
    for code in (EnrolmentCode(3, "48271956"), EnrolmentCode(47, "09909009")):
        chars = digits_of(code)
        for pos, old in enumerate(chars):
            for new in string.digits.replace(old, ""):
                with pytest.raises(TypedCodeError):
                    EnrolmentCode.parse(chars[:pos] + new + chars[pos + 1:])
            if pos + 1 < len(chars) and chars[pos] != chars[pos + 1]:
                with pytest.raises(TypedCodeError):
                    EnrolmentCode.parse(chars[:pos] + chars[pos + 1] + old + chars[pos + 2:])


def test_luhn_would_miss_09_to_90_and_damm_does_not() -> None:
    code = EnrolmentCode(5, "12090345")
    chars = digits_of(code)
    swapped = chars.replace("09", "90", 1)
    assert luhn10(swapped) == luhn10(chars)  # why the issue asks for Damm or Verhoeff
    with pytest.raises(TypedCodeError) as err:
        EnrolmentCode.parse(swapped)
    assert err.value.kind == "check"


def luhn10(digits: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        v = int(ch) * (2 if i % 2 else 1)
        total += v // 10 + v % 10
    return total % 10


@given(codes)
def test_spaces_dashes_and_full_width_digits_are_accepted(code: EnrolmentCode) -> None:
    text = code.encode()
    full_width = text.translate({ord(d): 0xFF10 + int(d) for d in string.digits})
    assert EnrolmentCode.parse(full_width.replace("-", "－")) == code
    assert EnrolmentCode.parse("  " + text.replace("-", " ") + "\n") == code
    assert EnrolmentCode.parse(text.replace("-", "—")) == code


@pytest.mark.parametrize(("typed", "kind"), [
    ("3-4827-1956a", "bad_char"), ("3-4827-I9561", "bad_char"), ("3-4827-195", "length"),
    ("3-4827-19561-12", "length"), ("", "length"), ("03-4827-19561", "seat"),
])
def test_what_is_wrong_is_named(typed: str, kind: str) -> None:
    with pytest.raises(TypedCodeError) as err:
        EnrolmentCode.parse(typed)
    assert err.value.kind == kind


def test_a_bad_character_is_located() -> None:
    with pytest.raises(TypedCodeError) as err:
        EnrolmentCode.parse("3-48x7-19561")
    assert (err.value.char, err.value.position) == ("x", 4)


@pytest.mark.parametrize(("seat", "digits"), [
    (0, "12345678"), (100, "12345678"), (3, "1234567"), (3, "123456789"), (3, "1234567x"),
    (3, "１２３４５６７８"), (True, "12345678"),
])
def test_enrolment_code_validates_its_fields(seat: int, digits: str) -> None:
    with pytest.raises(ValueError):
        EnrolmentCode(seat, digits)


def test_issue_code_takes_randomness_from_rng_without_bias() -> None:
    draws = iter([(42 * 10**8).to_bytes(4, "big"), (123).to_bytes(4, "big")])
    code = issue_code(7, rng=lambda n: next(draws))
    assert code == EnrolmentCode(7, "00000123")  # the first draw is above the last whole


def test_repr_hides_the_digits() -> None:
    code = EnrolmentCode(3, "48271956")
    assert "4827" not in repr(code) and "48271956" not in str(code)
