"""The enrolment exchange's cryptography: SPAKE2 with the enrolment code as the password, and
key confirmation bound to the master's TLS key and the terminal's new device key.

SPAKE2 is the `spake2` package (magic-wormhole's), Ed25519 group. Inside one TLS connection:

    terminal (A)                                          master (B)
    start   {seat, pake: a}                   ->
                                              <-          {session, pake: b}
    finish  {session, device_key, device_name,
             confirm: HMAC(k_terminal, transcript)}  ->   checks it (a wrong one is a wrong try)
                                              <-          {judge, device, event, master_key, ...,
                                                           confirm: HMAC(k_master, transcript,
                                                                         answer)}

`transcript` is the SHA-256 of the canonical JSON of the seat number, both SPAKE2 messages,
the master's fingerprint (the SHA-256 of its TLS certificate's public key: as the terminal saw
it in the handshake, as the master knows its own) and the device's public key and name. A
rogue master, or one relaying to the real master, sees the terminal's confirmation only after
it has committed to one password guess with `b`; the real master checks the confirmation
against its own fingerprint, so a relay fails there; and the terminal trusts the master's
answer (its signing key, the event) only once the master's confirmation checks. Whoever does
not know the code learns nothing from `a` or `b` that tests a guess offline.

Pure: no I/O, no clock; the SPAKE2 randomness is the package's own (os.urandom).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Final

from spake2 import SPAKE2_A, SPAKE2_B

from .canonical import canonical_bytes

__all__ = [
    "CONFIRM_SIZE",
    "MasterExchange",
    "PakeError",
    "TerminalExchange",
    "transcript_hash",
]

CONFIRM_SIZE: Final = 32
_ID_TERMINAL: Final = b"finals-kiosk judge terminal"
_ID_MASTER: Final = b"finals-kiosk head judge"
_INFO_TERMINAL: Final = b"finals-kiosk enrol v1 terminal confirmation"
_INFO_MASTER: Final = b"finals-kiosk enrol v1 master confirmation"


class PakeError(Exception):
    """A SPAKE2 message that is not one, or a confirmation that does not check."""


def transcript_hash(seat: int, a: bytes, b: bytes, fingerprint: bytes, device_key: bytes,
                    device_name: str) -> bytes:
    """What both confirmations cover: the exchange and who it was between."""
    return hashlib.sha256(canonical_bytes({
        "v": 1, "seat": seat, "a": a.hex(), "b": b.hex(), "master": fingerprint.hex(),
        "device_key": device_key.hex(), "device_name": device_name})).digest()


def _expand(key: bytes, info: bytes) -> bytes:
    """HKDF-Expand (RFC 5869) with SHA-256 for one 32-byte block: SPAKE2's key is already
    uniform, so no extract step."""
    return hmac.new(key, info + b"\x01", hashlib.sha256).digest()


def _mac(key: bytes, info: bytes, transcript: bytes, answer: Mapping[str, object] | None
         ) -> bytes:
    data = transcript if answer is None else transcript + canonical_bytes(dict(answer))
    return hmac.new(_expand(key, info), data, hashlib.sha256).digest()


def _finish(side: SPAKE2_A | SPAKE2_B, message: bytes) -> bytes:
    try:
        return bytes(side.finish(message))
    except Exception:  # OffSides, ReflectionThwarted, a point not on the curve...
        raise PakeError("not a SPAKE2 message from the other side") from None


class TerminalExchange:
    """The terminal's side: `a` to send, then `confirm` with the master's `b`, then
    `check_master` on the answer."""

    def __init__(self, seat: int, password: bytes) -> None:
        self.seat = seat
        self._side = SPAKE2_A(password, idA=_ID_TERMINAL, idB=_ID_MASTER)
        self.a: bytes = self._side.start()
        self._key: bytes | None = None
        self._transcript = b""

    def confirm(self, b: bytes, fingerprint: bytes, device_key: bytes, device_name: str
                ) -> bytes:
        """The terminal's confirmation, for the master whose TLS fingerprint we saw."""
        self._key = _finish(self._side, b)
        self._transcript = transcript_hash(self.seat, self.a, b, fingerprint, device_key,
                                           device_name)
        return _mac(self._key, _INFO_TERMINAL, self._transcript, None)

    def check_master(self, confirm: bytes, answer: Mapping[str, object]) -> None:
        """Raise PakeError unless the master proved it knows the code, for this transcript
        and this `answer` (judge, device, event digest, master key)."""
        if self._key is None:
            raise PakeError("confirm first")
        expected = _mac(self._key, _INFO_MASTER, self._transcript, answer)
        if not hmac.compare_digest(expected, confirm):
            raise PakeError("the head judge did not prove it knows the code")


class MasterExchange:
    """The master's side for one start: `b` to answer; `check_terminal` on the finish;
    `confirm` for the answer."""

    def __init__(self, seat: int, password: bytes, a: bytes) -> None:
        self.seat = seat
        self.a = a
        side = SPAKE2_B(password, idA=_ID_TERMINAL, idB=_ID_MASTER)
        self.b: bytes = side.start()
        self._key = _finish(side, a)
        self._transcript = b""

    def check_terminal(self, confirm: bytes, fingerprint: bytes, device_key: bytes,
                       device_name: str) -> bool:
        """Whether the terminal knew the code and saw our own TLS key (not a relay's)."""
        self._transcript = transcript_hash(self.seat, self.a, self.b, fingerprint, device_key,
                                           device_name)
        expected = _mac(self._key, _INFO_TERMINAL, self._transcript, None)
        return hmac.compare_digest(expected, confirm)

    def confirm(self, answer: Mapping[str, object]) -> bytes:
        """Our confirmation of `answer`; only after `check_terminal` returned True."""
        if not self._transcript:
            raise PakeError("check the terminal's confirmation first")
        return _mac(self._key, _INFO_MASTER, self._transcript, answer)
