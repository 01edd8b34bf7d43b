"""Codes people type: Luhn-checked base32 groups, and the judges' short enrolment codes.

A checked base32 code (the master fingerprint, sheet codes) is base32 (RFC 4648 alphabet, no
padding) cut into groups of 13 characters, each followed by a Luhn mod 32 check character,
shown in blocks of 7 joined by '-' (the shape of Syncthing device IDs). Parsing accepts lower
case, spaces and dashes anywhere, and the confusables 0->O, 1->I, 8->B; it names the group a
typo is in. Every single wrong character is caught, and every swap of two neighbouring
different characters except 'A'<->'7' inside one group.

An enrolment code (docs/security.md) is digits only, 10 or 11 of them: the seat's number, eight
one-time random digits and a Damm check digit (`3-4827-19561`). It carries no fingerprint: it
is the password of a SPAKE2 exchange (`sync.pake`), so a short code is safe.
This module does no I/O; randomness is passed in.
"""

from __future__ import annotations

import base64
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

__all__ = [
    "ALPHABET",
    "BLOCK",
    "CHARS_PER_GROUP",
    "CODE_LENGTHS",
    "FINGERPRINT_SIZE",
    "RANDOM_DIGITS",
    "SEAT_NUMBER_MAX",
    "EnrolmentCode",
    "TypedCodeError",
    "damm",
    "decode_groups",
    "encode_groups",
    "issue_code",
    "luhn32",
    "normalise_code",
    "normalise_typed",
]

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CHARS_PER_GROUP = 13
"""Data characters per check character."""
BLOCK = 7
"""Characters per dash-separated block in the display form (two blocks per checked group)."""

FINGERPRINT_SIZE = 32

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_TYPED = str.maketrans(
    {"0": "O", "1": "I", "8": "B"} | {chr(c): chr(c - 32) for c in range(ord("a"), ord("z") + 1)}
)
_SEPARATORS = re.compile(r"[\s\-]+")


class TypedCodeError(ValueError):
    """A typed code that does not parse. `group` is the 1-based checked group at fault, if
    known; for an enrolment code, `kind` names the fault and `char`, `position` and `typed`
    give its details (for a message in the reader's language)."""

    def __init__(self, message: str, group: int | None = None, *, kind: str = "",
                 char: str = "", position: int = 0, typed: int = 0) -> None:
        super().__init__(message)
        self.group = group
        self.kind = kind
        self.char = char
        self.position = position
        self.typed = typed


def luhn32(chars: str) -> str:
    """The Luhn mod 32 check character for base32 `chars` (standard Luhn mod N).

    Going right to left from the last character, every other value is doubled, starting with
    the last; a doubled value d becomes d // 32 + d % 32; the check value makes the sum,
    with the check character itself counted undoubled, a multiple of 32.
    """
    total = 0
    factor = 2
    for ch in reversed(chars):
        try:
            addend = factor * _VALUE[ch]
        except KeyError:
            raise ValueError(f"{ch!r} is not a base32 character") from None
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[(32 - total % 32) % 32]


def encode_groups(data: bytes) -> str:
    """`data` as checked base32 groups in display form, e.g. `ABCDEFG-HIJKLMN-...`.

    The base32 text is padded with 'A' (zero) to a whole number of groups.
    """
    if not data:
        raise ValueError("nothing to encode")
    chars = base64.b32encode(data).decode("ascii").rstrip("=")
    chars += "A" * (-len(chars) % CHARS_PER_GROUP)
    checked = "".join(
        chunk + luhn32(chunk)
        for chunk in (chars[i : i + CHARS_PER_GROUP] for i in range(0, len(chars), CHARS_PER_GROUP))
    )
    return "-".join(checked[i : i + BLOCK] for i in range(0, len(checked), BLOCK))


def normalise_typed(text: str) -> str:
    """Upper case, separators removed, confusables fixed: what the check characters cover."""
    return _SEPARATORS.sub("", text).translate(_TYPED)


def decode_groups(text: str, length: int | None = None) -> bytes:
    """Check and decode a typed code made by `encode_groups`.

    With `length`, exactly that many bytes are expected and returned, and the text must be the
    one `encode_groups` makes for them. Without it, every whole byte the groups hold is
    returned, zero padding included: the caller's format must say where its data ends and
    should compare `encode_groups` of what it parsed with the input.
    """
    chars = normalise_typed(text)
    for i, ch in enumerate(chars):
        if ch not in _VALUE:
            raise TypedCodeError(
                f"{ch!r} (character {i + 1}) is not used in these codes; they use A-Z and 2-7",
                group=i // (CHARS_PER_GROUP + 1) + 1,
            )
    size = CHARS_PER_GROUP + 1
    if length is not None:
        want = -(-length * 8 // 5)
        want = -(-want // CHARS_PER_GROUP) * size
        if len(chars) != want:
            raise TypedCodeError(_length_message(text, len(chars), want), group=None)
    elif not chars or len(chars) % size:
        raise TypedCodeError(
            f"a code is a whole number of {size // BLOCK} blocks of {BLOCK} characters; "
            f"got {len(chars)} characters" + _short_block_hint(text),
            group=None,
        )
    data_chars = []
    for n, start in enumerate(range(0, len(chars), size), start=1):
        chunk, check = chars[start : start + CHARS_PER_GROUP], chars[start + CHARS_PER_GROUP]
        if luhn32(chunk) != check:
            first = (n - 1) * (size // BLOCK) + 1
            raise TypedCodeError(
                f"typo in blocks {first}-{first + 1} (characters {start + 1}-{start + size}): "
                "the check character does not match",
                group=n,
            )
        data_chars.append(chunk)
    joined = "".join(data_chars)
    padded = joined + "A" * (-len(joined) % 8)
    decoded = base64.b32decode(padded)[: len(joined) * 5 // 8]
    if length is None:
        return decoded
    result = decoded[:length]
    if len(result) != length or encode_groups(result).replace("-", "") != chars:
        raise TypedCodeError("not a code of this kind: padding characters are not zero")
    return result


def _length_message(text: str, got: int, want: int) -> str:
    return f"expected {want} characters, got {got}" + _short_block_hint(text)


def _short_block_hint(text: str) -> str:
    """Name the first dash-separated block that is not 7 characters long, if blocks were typed."""
    blocks = [b for b in _SEPARATORS.split(text.strip()) if b]
    if len(blocks) < 2:
        return ""
    for i, block in enumerate(blocks, start=1):
        if len(block) != BLOCK:
            return f"; block {i} ({block!r}) has {len(block)}"
    return ""


# --- enrolment codes --------------------------------------------------------------------------

_DAMM: Final = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
"""Damm's totally anti-symmetric quasigroup of order 10: its check digit catches every
single-digit error and every swap of two neighbouring digits."""

RANDOM_DIGITS: Final = 8
SEAT_NUMBER_MAX: Final = 99
CODE_LENGTHS: Final = (1 + RANDOM_DIGITS + 1, 2 + RANDOM_DIGITS + 1)
"""Digits typed for a seat of one digit and of two."""
_CODE_SEPARATORS: Final = re.compile(r"[\s\-‐‑‒–—―_.]+")


def damm(digits: str) -> str:
    """The Damm check digit of a string of ASCII digits."""
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][ord(ch) - 48]
    return str(interim)


def normalise_code(text: str) -> str:
    """What the check digit covers: full-width digits made ASCII (NFKC), spaces and dashes
    removed."""
    return _CODE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class EnrolmentCode:
    """What a judge types once per final to enrol a terminal: the seat's number on the panel
    (1-99), eight one-time random digits and a Damm check digit, shown `3-4827-19561`.

    The whole string of digits is the password of the SPAKE2 exchange (`sync.pake`); it never
    leaves the terminal and the master keeps it outside the ledger. `repr` hides it."""

    seat: int
    digits: str = field(repr=False)

    def __post_init__(self) -> None:
        if type(self.seat) is not int or not 1 <= self.seat <= SEAT_NUMBER_MAX:
            raise ValueError(f"a seat number is 1-{SEAT_NUMBER_MAX}, got {self.seat!r}")
        if not (isinstance(self.digits, str) and len(self.digits) == RANDOM_DIGITS
                and self.digits.isascii() and self.digits.isdigit()):
            raise ValueError(f"an enrolment code has {RANDOM_DIGITS} random digits")

    @property
    def check(self) -> str:
        return damm(f"{self.seat}{self.digits}")

    @property
    def password(self) -> bytes:
        """Every digit of the code, check digit included, as ASCII."""
        return f"{self.seat}{self.digits}{self.check}".encode("ascii")

    def encode(self) -> str:
        """The display form, e.g. `3-4827-19561`."""
        return f"{self.seat}-{self.digits[:4]}-{self.digits[4:]}{self.check}"

    @classmethod
    def parse(cls, text: str) -> EnrolmentCode:
        """Check a typed code offline. TypedCodeError's `kind` says what is wrong:
        `bad_char` (not a digit: `char`, `position`), `length` (`typed` digits), `seat`
        (a two-digit seat starting with 0) or `check` (a typo somewhere)."""
        chars = normalise_code(text)
        for i, ch in enumerate(chars):
            if not ("0" <= ch <= "9"):
                raise TypedCodeError(f"{ch!r} (character {i + 1}) is not a digit; enrolment "
                                     "codes are digits only", kind="bad_char", char=ch,
                                     position=i + 1)
        if len(chars) not in CODE_LENGTHS:
            raise TypedCodeError(f"an enrolment code has {CODE_LENGTHS[0]} or "
                                 f"{CODE_LENGTHS[1]} digits; got {len(chars)}", kind="length",
                                 typed=len(chars))
        seat_text = chars[:len(chars) - RANDOM_DIGITS - 1]
        if seat_text.startswith("0"):
            raise TypedCodeError("an enrolment code never starts with 0", kind="seat")
        if damm(chars) != "0":
            raise TypedCodeError("typo: the check digit does not match; compare each digit "
                                 "with the card", kind="check")
        return cls(int(seat_text), chars[len(seat_text):-1])


def issue_code(seat: int, rng: Callable[[int], bytes] = os.urandom) -> EnrolmentCode:
    """A new enrolment code for seat number `seat`, its digits uniform from `rng`."""
    while True:  # rejection sampling: 42 * 10^8 is the largest multiple of 10^8 below 2^32
        value = int.from_bytes(rng(4), "big")
        if value < 42 * 10**RANDOM_DIGITS:
            return EnrolmentCode(seat, f"{value % 10**RANDOM_DIGITS:0{RANDOM_DIGITS}d}")
