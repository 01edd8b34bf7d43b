"""Codes people type: Luhn-checked base32 groups, and the judges' enrolment codes.

A typed code is base32 (RFC 4648 alphabet, no padding) cut into groups of 13 characters, each
followed by a Luhn mod 32 check character, shown in blocks of 7 joined by '-' (the shape of
Syncthing device IDs). Parsing accepts lower case, spaces and dashes anywhere, and the
confusables 0->O, 1->I, 8->B; it names the group a typo is in. Every single wrong character is
caught, and every swap of two neighbouring different characters except 'A'<->'7' inside one
group. The master fingerprint (`sync.identity`) uses the same groups.

An enrolment code (DESIGN.md §5) carries the master's full 32-byte fingerprint (the pin), the
judge's seat id and an 80-bit one-time secret. The master stores only `secret_digest(secret)`.
This module does no I/O; randomness is passed in.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "ALPHABET",
    "BLOCK",
    "CHARS_PER_GROUP",
    "CODE_VERSION",
    "FINGERPRINT_SIZE",
    "SEAT_MAX",
    "SECRET_SIZE",
    "EnrolmentCode",
    "TypedCodeError",
    "decode_groups",
    "encode_groups",
    "issue_code",
    "luhn32",
    "normalise_typed",
    "secret_digest",
]

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CHARS_PER_GROUP = 13
"""Data characters per check character."""
BLOCK = 7
"""Characters per dash-separated block in the display form (two blocks per checked group)."""

FINGERPRINT_SIZE = 32
SECRET_SIZE = 10
SEAT_MAX = 16
CODE_VERSION = 1

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_TYPED = str.maketrans(
    {"0": "O", "1": "I", "8": "B"} | {chr(c): chr(c - 32) for c in range(ord("a"), ord("z") + 1)}
)
_SEPARATORS = re.compile(r"[\s\-]+")
_SEAT = re.compile(rf"[!-~]{{1,{SEAT_MAX}}}")


class TypedCodeError(ValueError):
    """A typed code that does not parse. `group` is the 1-based checked group at fault, if known."""

    def __init__(self, message: str, group: int | None = None) -> None:
        super().__init__(message)
        self.group = group


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


@dataclass(frozen=True)
class EnrolmentCode:
    """What a judge types (or scans) once per event to enrol a terminal with the master.

    Payload: version byte, 32-byte master fingerprint, 10-byte secret, seat length byte,
    seat (printable ASCII, 1-16 chars), as checked base32 groups. A seat of 1-4 characters
    gives 84 characters (12 blocks of 7), 5-12 give 98, 13-16 give 112.
    The secret never appears in `repr`.
    """

    fingerprint: bytes
    seat: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.fingerprint, bytes) or len(self.fingerprint) != FINGERPRINT_SIZE:
            raise ValueError(f"fingerprint must be {FINGERPRINT_SIZE} bytes")
        if not isinstance(self.secret, bytes) or len(self.secret) != SECRET_SIZE:
            raise ValueError(f"secret must be {SECRET_SIZE} bytes")
        if not isinstance(self.seat, str) or not _SEAT.fullmatch(self.seat):
            raise ValueError(
                f"seat must be 1-{SEAT_MAX} printable ASCII characters without spaces, "
                f"got {self.seat!r}"
            )

    def payload(self) -> bytes:
        seat = self.seat.encode("ascii")
        return bytes([CODE_VERSION]) + self.fingerprint + self.secret + bytes([len(seat)]) + seat

    def encode(self) -> str:
        return encode_groups(self.payload())

    @classmethod
    def parse(cls, text: str) -> EnrolmentCode:
        """Parse a typed code; TypedCodeError says which group holds a typo."""
        data = decode_groups(text)
        if data[0] != CODE_VERSION:
            raise TypedCodeError(
                "this is not an enrolment code from this version of the head-judge software"
            )
        head = 1 + FINGERPRINT_SIZE + SECRET_SIZE
        if len(data) <= head:
            raise TypedCodeError("code too short for an enrolment code")
        seat_len = data[head]
        seat_bytes = data[head + 1 : head + 1 + seat_len]
        try:
            code = cls(
                fingerprint=data[1 : 1 + FINGERPRINT_SIZE],
                secret=data[1 + FINGERPRINT_SIZE : head],
                seat=seat_bytes.decode("ascii") if len(seat_bytes) == seat_len else "",
            )
        except (ValueError, UnicodeDecodeError):
            raise TypedCodeError("not a valid enrolment code (bad seat)") from None
        if code.encode().replace("-", "") != normalise_typed(text):
            raise TypedCodeError("not a valid enrolment code (wrong length or padding)")
        return code


def issue_code(
    fingerprint: bytes, seat: str, rng: Callable[[int], bytes] = os.urandom
) -> EnrolmentCode:
    """A new enrolment code for `seat` pinning `fingerprint`, with a fresh secret from `rng`."""
    return EnrolmentCode(fingerprint=fingerprint, seat=seat, secret=rng(SECRET_SIZE))


def secret_digest(secret: bytes) -> str:
    """Hex SHA-256 of an enrolment secret: all the master keeps of it."""
    return hashlib.sha256(secret).hexdigest()
