"""Sheet codes and QR payloads: proof that a printed sheet is what the ledger held.

A **checkpoint** is a `SignedRecord` made by the master's Ed25519 key over the canonical body
`{"v":1,"kind":"checkpoint","event":ID,"size":N,"root":HEX,"at":ISO}` (ledger size, Merkle
root, time). A sheet's **digest** is the SHA-256 of the canonical JSON of what it prints
(`printouts.content`). Its **sheet code** is the first 8 bytes of
`sha256(canonical({"checkpoint": CHECKPOINT_HASH, "sheet": DIGEST}))` as one Luhn-checked
group of `sync.codes` (`ABCDEFG-HIJKLMN`): short enough to type, and a typo is caught.

The **QR payload** is `FKS1:` + unpadded base32 of the canonical JSON
`{"v":1,"kind":KIND,"digest":HEX,"code":CODE,"checkpoint":BODY,"sig":BASE64URL}`, where BODY is
the checkpoint body as an object: its canonical bytes are what the master signed. Upper-case
base32 keeps the whole text in the QR alphanumeric mode. `verify_qr_payload` checks it offline
with the master's public key alone.

Pure: no I/O, no clock. Refuses (with a reason, never a traceback) malformed payloads,
checkpoints of another shape, a signature by another key, and a code that does not match.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.canonical import CanonicalError, canonical_bytes, parse_canonical, sha256_hex
from sync.codes import TypedCodeError, decode_groups, encode_groups
from sync.records import SignedRecord, sign_body

__all__ = [
    "CHECKPOINT_FIELDS",
    "CODE_BYTES",
    "QR_PREFIX",
    "Checkpoint",
    "CheckpointError",
    "QrVerdict",
    "checkpoint_body",
    "parse_checkpoint",
    "parse_sheet_code",
    "qr_payload",
    "sheet_code",
    "sheet_digest",
    "sign_checkpoint",
    "verify_qr_payload",
]

CODE_BYTES = 8
"""Bytes of the binding hash a sheet code shows: 64 bits, exactly one checked group of 13."""
QR_PREFIX = "FKS1:"
CHECKPOINT_FIELDS = frozenset({"v", "kind", "event", "size", "root", "at"})
_QR_FIELDS = frozenset({"v", "kind", "digest", "code", "checkpoint", "sig"})
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_KIND = re.compile(r"^[a-z_]{1,32}$")
_MAX_QR = 4096


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
    if type(size) is not int or size < 0:
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


def sheet_code(digest: str, checkpoint_hash: str) -> str:
    """The typable code binding a sheet digest to the checkpoint it was printed at."""
    for name, value in (("digest", digest), ("checkpoint hash", checkpoint_hash)):
        if not _HEX64.match(value):
            raise ValueError(f"{name} must be 64 lower-case hex digits")
    binding = canonical_bytes({"checkpoint": checkpoint_hash, "sheet": digest})
    return encode_groups(hashlib.sha256(binding).digest()[:CODE_BYTES])


def parse_sheet_code(text: str) -> str:
    """A typed sheet code in its display form; TypedCodeError says where a typo is."""
    return encode_groups(decode_groups(text, CODE_BYTES))


def qr_payload(kind: str, digest: str, checkpoint: SignedRecord) -> str:
    """The self-contained text a sheet's QR code holds."""
    parsed = parse_checkpoint(checkpoint)
    if not _KIND.match(kind):
        raise ValueError(f"sheet kind {kind!r} is not a short lower-case word")
    obj = {
        "v": 1,
        "kind": kind,
        "digest": digest,
        "code": sheet_code(digest, parsed.hash),
        "checkpoint": parse_canonical(checkpoint.body),
        "sig": base64.urlsafe_b64encode(checkpoint.signature).decode("ascii").rstrip("="),
    }
    return QR_PREFIX + base64.b32encode(canonical_bytes(obj)).decode("ascii").rstrip("=")


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


def verify_qr_payload(text: str, master_public_key: bytes) -> QrVerdict:
    """Check a QR payload with only the master's public key: the checkpoint signature, the
    shape of everything, and that the code is the one the digest and checkpoint make."""
    try:
        obj = _decode_payload(text)
        record = SignedRecord(canonical_bytes(obj["checkpoint"]), _unb64url(obj["sig"]))
        checkpoint = _checkpoint_from(parse_canonical(record.body), record)
    except (CheckpointError, _PayloadError) as exc:
        return QrVerdict(False, str(exc))
    kind, digest, code = obj["kind"], obj["digest"], obj["code"]
    if not record.verify(master_public_key):
        return QrVerdict(False, "the checkpoint is not signed by this head judge's key",
                         kind, digest, code, checkpoint)
    expected = sheet_code(digest, checkpoint.hash)
    if code != expected:
        return QrVerdict(False, f"the code {code} does not match the digest and checkpoint "
                         f"(expected {expected})", kind, digest, code, checkpoint)
    return QrVerdict(True, f"signed checkpoint at ledger size {checkpoint.size}",
                     kind, digest, code, checkpoint)


class _PayloadError(ValueError):
    pass


def _decode_payload(text: str) -> dict[str, Any]:
    text = text.strip()
    if not text.startswith(QR_PREFIX):
        raise _PayloadError(f"not a sheet QR code (it does not start with {QR_PREFIX})")
    body = text[len(QR_PREFIX):]
    if len(body) > _MAX_QR:
        raise _PayloadError("QR payload too long")
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
        obj = parse_canonical(raw)
    except (binascii.Error, ValueError) as exc:
        reason = exc.reason if isinstance(exc, CanonicalError) else "not base32"
        raise _PayloadError(f"QR payload unreadable: {reason}") from None
    if not isinstance(obj, dict) or set(obj) != _QR_FIELDS or obj["v"] != 1:
        raise _PayloadError("QR payload is not a version 1 sheet payload")
    if not isinstance(obj["kind"], str) or not _KIND.match(obj["kind"]):
        raise _PayloadError("QR payload `kind` is not a sheet kind")
    if not isinstance(obj["digest"], str) or not _HEX64.match(obj["digest"]):
        raise _PayloadError("QR payload `digest` is not 64 hex digits")
    if not isinstance(obj["code"], str) or not isinstance(obj["sig"], str):
        raise _PayloadError("QR payload `code` and `sig` must be strings")
    try:
        if parse_sheet_code(obj["code"]) != obj["code"]:
            raise _PayloadError("QR payload `code` is not in display form")
    except TypedCodeError as exc:
        raise _PayloadError(f"QR payload `code` is not a sheet code: {exc}") from None
    return obj


def _unb64url(text: str) -> bytes:
    try:
        sig = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise _PayloadError("QR payload `sig` is not base64url") from None
    if len(sig) != 64 or base64.urlsafe_b64encode(sig).decode().rstrip("=") != text:
        raise _PayloadError("QR payload `sig` is not an Ed25519 signature")
    return sig
