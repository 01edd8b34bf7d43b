"""Sheet codes and QR payloads: proof that a printed sheet is what the ledger held.

A **checkpoint** is a `SignedRecord` made by the master's Ed25519 key over the canonical body
`{"v":1,"kind":"checkpoint","event":ID,"size":N,"root":HEX,"at":ISO}` (ledger size, Merkle
root, time). A sheet's **digest** is the SHA-256 of the canonical JSON of what it prints
(`printouts.content`). Its **sheet code** is the first 8 bytes of
`sha256(canonical({"checkpoint": CHECKPOINT_HASH, "kind": KIND, "sheet": DIGEST}))` as one
Luhn-checked group of `sync.codes` (`ABCDEFG-HIJKLMN`): short enough to type, a typo caught.

The **QR payload** is `FKS1:` + unpadded upper-case base32 (all of it in the QR alphanumeric
mode) of these bytes:

    1   format version (1)
    1   sheet kind, an index into SHEET_KINDS
    32  sheet digest
    8   the binding hash the sheet code shows
    64  the master's Ed25519 signature over the checkpoint body
    32  checkpoint root
    8   checkpoint size, unsigned big-endian
    1+n checkpoint time (`at`), length then UTF-8
    1+n event id, length then UTF-8

The checkpoint body is rebuilt from its fields (`checkpoint_body`, canonical JSON has exactly
one encoding), so the payload carries the signed checkpoint in ~190 bytes: a version 10 QR
code instead of a version 17 one from JSON, easier to scan off paper and faster to draw.
`verify_qr_payload` checks it offline with the master's public key alone.

Pure: no I/O, no clock. Refuses (with a reason, never a traceback) malformed payloads,
checkpoints of another shape, a signature by another key, and a code that does not match.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.canonical import CanonicalError, canonical_bytes, parse_canonical, sha256_hex
from sync.codes import decode_groups, encode_groups
from sync.records import SignedRecord, sign_body

__all__ = [
    "CHECKPOINT_FIELDS",
    "CODE_BYTES",
    "QR_PREFIX",
    "QR_VERSION",
    "SHEET_KINDS",
    "Checkpoint",
    "CheckpointError",
    "QrVerdict",
    "checkpoint_body",
    "code_and_payload",
    "compute_sheet_code",
    "parse_checkpoint",
    "parse_sheet_code",
    "qr_payload",
    "sheet_digest",
    "sign_checkpoint",
    "verify_qr_payload",
]

CODE_BYTES = 8
"""Bytes of the binding hash a sheet code shows: 64 bits, exactly one checked group of 13."""
QR_PREFIX = "FKS1:"
QR_VERSION = 1
SHEET_KINDS = ("judge", "contestant", "results", "discrepancy", "appeal", "enrolment",
               "inventory", "form")
"""Every kind of sheet; a QR payload names one by its index, so only ever append."""
CHECKPOINT_FIELDS = frozenset({"v", "kind", "event", "size", "root", "at"})
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_MAX_QR = 1024


class CheckpointError(ValueError):
    """A checkpoint record that is not of the checkpoint's shape; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Checkpoint:
    """A parsed checkpoint and the signed record it came from."""

    event: str
    size: int
    root: str
    at: str
    record: SignedRecord

    @property
    def hash(self) -> str:
        """SHA-256 (hex) of the checkpoint's canonical body: what a sheet code binds."""
        return self.record.hash


def checkpoint_body(event: str, size: int, root: str, at: str) -> dict[str, object]:
    """The body a master signs for a checkpoint of `size` ledger entries with Merkle `root`."""
    return {"v": 1, "kind": "checkpoint", "event": event, "size": size, "root": root, "at": at}


def sign_checkpoint(
    key: Ed25519PrivateKey, *, event: str, size: int, root: str, at: str
) -> SignedRecord:
    """Sign a checkpoint body with the master's key (the ledger decides when)."""
    record = sign_body(key, checkpoint_body(event, size, root, at))
    parse_checkpoint(record)  # refuse to sign what no verifier would accept
    return record


def parse_checkpoint(record: SignedRecord) -> Checkpoint:
    """The fields of a checkpoint record; CheckpointError unless it has exactly that shape.

    Does not check the signature: that needs the master's key (`SignedRecord.verify`).
    """
    try:
        obj = parse_canonical(record.body)
    except CanonicalError as exc:
        raise CheckpointError(f"checkpoint body is not canonical JSON: {exc.reason}") from None
    return _checkpoint_from(obj, record)


def _checkpoint_from(obj: object, record: SignedRecord) -> Checkpoint:
    if not isinstance(obj, dict) or set(obj) != CHECKPOINT_FIELDS:
        raise CheckpointError(
            "a checkpoint body has exactly the fields " + ", ".join(sorted(CHECKPOINT_FIELDS))
        )
    if obj["v"] != 1 or obj["kind"] != "checkpoint":
        raise CheckpointError("not a version 1 checkpoint")
    size, root, event, at = obj["size"], obj["root"], obj["event"], obj["at"]
    if type(size) is not int or not 0 <= size < 2**63:
        raise CheckpointError("checkpoint `size` must be a whole number from 0")
    if not isinstance(root, str) or not _HEX64.match(root):
        raise CheckpointError("checkpoint `root` must be 64 lower-case hex digits")
    if not isinstance(event, str) or not event or len(event) > 64:
        raise CheckpointError("checkpoint `event` must be an event id")
    if not isinstance(at, str) or not at or len(at) > 64:
        raise CheckpointError("checkpoint `at` must be a time")
    return Checkpoint(event, size, root, at, record)


def sheet_digest(content: Mapping[str, object]) -> str:
    """Hex SHA-256 of the canonical JSON of a sheet's printed content."""
    return sha256_hex(canonical_bytes(content))


def compute_sheet_code(kind: str, digest: str, checkpoint_hash: str) -> str:
    """The typable code binding a sheet (its kind and digest) to the checkpoint it was
    printed at."""
    return encode_groups(_binding(kind, digest, checkpoint_hash))


def _binding(kind: str, digest: str, checkpoint_hash: str) -> bytes:
    if kind not in SHEET_KINDS:
        raise ValueError(f"sheet kind {kind!r} is not one of {', '.join(SHEET_KINDS)}")
    for name, value in (("digest", digest), ("checkpoint hash", checkpoint_hash)):
        if not _HEX64.match(value):
            raise ValueError(f"{name} must be 64 lower-case hex digits")
    binding = canonical_bytes({"checkpoint": checkpoint_hash, "kind": kind, "sheet": digest})
    return hashlib.sha256(binding).digest()[:CODE_BYTES]


def parse_sheet_code(text: str) -> str:
    """A typed sheet code in its display form; TypedCodeError says where a typo is."""
    return encode_groups(decode_groups(text, CODE_BYTES))


def qr_payload(kind: str, digest: str, checkpoint: SignedRecord) -> str:
    """The self-contained text a sheet's QR code holds."""
    return code_and_payload(kind, digest, parse_checkpoint(checkpoint))[1]


def code_and_payload(kind: str, digest: str, checkpoint: Checkpoint) -> tuple[str, str]:
    """`compute_sheet_code` and `qr_payload` at once, for an already parsed checkpoint."""
    binding = _binding(kind, digest, checkpoint.hash)
    data = b"".join([
        bytes([QR_VERSION, SHEET_KINDS.index(kind)]), bytes.fromhex(digest), binding,
        checkpoint.record.signature, bytes.fromhex(checkpoint.root),
        checkpoint.size.to_bytes(8, "big"), _short(checkpoint.at), _short(checkpoint.event),
    ])
    payload = QR_PREFIX + base64.b32encode(data).decode("ascii").rstrip("=")
    return encode_groups(binding), payload


def _short(text: str) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) > 255:
        raise ValueError("checkpoint field too long for a QR payload")
    return bytes([len(raw)]) + raw


@dataclass(frozen=True)
class QrVerdict:
    """What a scanned QR says and whether it holds up. `ok` false: `reason` says why."""

    ok: bool
    reason: str
    kind: str = ""
    digest: str = ""
    code: str = ""
    checkpoint: Checkpoint | None = None

    def matches(self, content: Mapping[str, object]) -> bool:
        """True when the QR verified and `content` is exactly what was printed."""
        return self.ok and sheet_digest(content) == self.digest


def verify_qr_payload(text: str, master_public_key: bytes | Callable[[int], bytes]
                      ) -> QrVerdict:
    """Check a QR payload with only the master's public key (or, for a record that changed
    masters, the key that signed a checkpoint of a given size): the checkpoint signature,
    the shape of everything, and that the code is the one the digest and checkpoint make."""
    try:
        kind, digest, binding, record = _decode_payload(text)
        checkpoint = parse_checkpoint(record)
    except (CheckpointError, _PayloadError) as exc:
        return QrVerdict(False, str(exc))
    code = encode_groups(binding)
    key = (master_public_key(checkpoint.size) if callable(master_public_key)
           else master_public_key)
    if not record.verify(key):
        return QrVerdict(False, "the checkpoint is not signed by this head judge's key",
                         kind, digest, code, checkpoint)
    expected = compute_sheet_code(kind, digest, checkpoint.hash)
    if code != expected:
        return QrVerdict(False, f"the code {code} does not match the digest and checkpoint "
                         f"(expected {expected})", kind, digest, code, checkpoint)
    return QrVerdict(True, f"signed checkpoint at ledger size {checkpoint.size}",
                     kind, digest, code, checkpoint)


class _PayloadError(ValueError):
    pass


_FIXED = 2 + 32 + CODE_BYTES + 64 + 32 + 8


def _decode_payload(text: str) -> tuple[str, str, bytes, SignedRecord]:
    """(kind, digest, binding hash, checkpoint record) from a payload, or _PayloadError."""
    text = text.strip()
    if not text.startswith(QR_PREFIX):
        raise _PayloadError(f"not a sheet QR code (it does not start with {QR_PREFIX})")
    body = text[len(QR_PREFIX):]
    if len(body) > _MAX_QR:
        raise _PayloadError("QR payload too long")
    try:
        data = base64.b32decode(body + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        raise _PayloadError("QR payload unreadable: not base32") from None
    if len(data) < _FIXED + 2 or data[0] != QR_VERSION:
        raise _PayloadError(f"QR payload is not a version {QR_VERSION} sheet payload")
    if data[1] >= len(SHEET_KINDS):
        raise _PayloadError("QR payload names an unknown sheet kind")
    kind, digest = SHEET_KINDS[data[1]], data[2:34].hex()
    binding, signature = data[34 : 34 + CODE_BYTES], data[42:106]
    root, size = data[106:138].hex(), int.from_bytes(data[138:146], "big")
    at, rest = _take_short(data[_FIXED:])
    event, rest = _take_short(rest)
    if rest or base64.b32encode(data).decode().rstrip("=") != body:
        raise _PayloadError("QR payload has bytes after its end")
    try:
        record = SignedRecord(canonical_bytes(checkpoint_body(event, size, root, at)), signature)
    except ValueError as exc:
        raise _PayloadError(f"QR payload checkpoint unreadable: {exc}") from None
    return kind, digest, binding, record


def _take_short(data: bytes) -> tuple[str, bytes]:
    if not data or len(data) < 1 + data[0]:
        raise _PayloadError("QR payload is cut short")
    try:
        return data[1 : 1 + data[0]].decode("utf-8"), data[1 + data[0] :]
    except UnicodeDecodeError:
        raise _PayloadError("QR payload text is not UTF-8") from None
