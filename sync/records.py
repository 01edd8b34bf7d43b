"""Signed records: a judge's score sheet, a judge's confirmation, the master's receipt.

A record is the canonical JSON of its body (docs/canonical-encoding.md) and an Ed25519
signature over exactly those bytes. Verification always runs on the bytes as received,
before anything is parsed. Bodies are checked strictly: unknown fields, wrong types, and
over-long strings are refused with a reason, so nothing malformed reaches the ledger.

Pure: no I/O; times and ids are arguments. Values are kept as the plain strings a judge
typed (`8`, `8.5`): one spelling per number, so equal sheets hash equally.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .canonical import CanonicalError, canonical_bytes, parse_canonical, sha256_hex
from .identity import public_key_bytes, sign, verify
from .problems import Said

RECORD_VERSION = 1
MAX_RECORD_BYTES = 16 * 1024
MAX_ID = 64
MAX_COMMENT = 2000
MAX_REASON = 500
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_VALUE = re.compile(r"^(0|[1-9]\d{0,5})(\.\d{0,5}[1-9])?$")


class RecordError(ValueError):
    """A record that is not acceptable; `reason` is shown to the judge or logged."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_WIRE = {"body": "`body`", "sig": "`sig`"}
"""A wire record's two fields, as its problems name them."""


def _fields_wrong(obj: Mapping[str, Any], fields: frozenset[str] | set[str],
                  record: Said) -> RecordError:
    unknown, missing = sorted(set(obj) - fields), sorted(fields - set(obj))
    return RecordError(Said("rec_fields_wrong", record=record, problems=[
        *([Said("rec_unknown_fields", fields=", ".join(unknown))] if unknown else []),
        *([Said("rec_missing_fields", fields=", ".join(missing))] if missing else [])]))


def device_id_of(public_key: bytes) -> str:
    """A device's id: the first 16 hex digits of SHA-256 of its Ed25519 public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def plain_value(value: Decimal) -> str:
    """The one spelling of a score value in a record: `8`, `8.5`, never `8.0` or `8.50`."""
    if not value.is_finite() or value < 0:
        raise RecordError(Said("rec_not_score", value=value))
    text = format(value.normalize(), "f")
    if not _VALUE.match(text):
        raise RecordError(Said("rec_not_score", value=value))
    return text


@dataclass(frozen=True)
class SignedRecord:
    """Canonical body bytes and the signature over them."""

    body: bytes
    signature: bytes

    @property
    def hash(self) -> str:
        return sha256_hex(self.body)

    def to_wire(self) -> dict[str, str]:
        return {"body": self.body.decode("utf-8"),
                "sig": base64.b64encode(self.signature).decode("ascii")}

    @classmethod
    def from_wire(cls, obj: object) -> SignedRecord:
        if not isinstance(obj, dict) or set(obj) != {"body", "sig"}:
            raise RecordError(Said("rec_not_pair", **_WIRE))
        body, sig = obj["body"], obj["sig"]
        if not isinstance(body, str) or not isinstance(sig, str):
            raise RecordError(Said("rec_not_strings", **_WIRE))
        if len(body) > MAX_RECORD_BYTES:
            raise RecordError(Said("rec_too_large", n=MAX_RECORD_BYTES))
        try:
            signature = base64.b64decode(sig, validate=True)
            raw = body.encode("utf-8")
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise RecordError(Said("rec_bad_encoding", **_WIRE)) from None
        if len(signature) != 64:
            raise RecordError(Said("rec_bad_signature", sig="`sig`", algorithm="Ed25519"))
        return cls(raw, signature)

    def verify(self, public_key: bytes) -> bool:
        return verify(public_key, self.signature, self.body)

    def parsed(self) -> dict[str, Any]:
        """The body as an object; RecordError unless it is canonical JSON of an object."""
        try:
            obj = parse_canonical(self.body)
        except CanonicalError as exc:
            raise RecordError(Said("rec_not_canonical", reason=exc.reason)) from None
        if not isinstance(obj, dict):
            raise RecordError(Said("rec_not_object"))
        return obj


def sign_body(key: Ed25519PrivateKey, body: Mapping[str, object]) -> SignedRecord:
    data = canonical_bytes(body)
    return SignedRecord(data, sign(key, data))


# --- sheets -----------------------------------------------------------------------------------

SHEET_FIELDS = frozenset({
    "v", "kind", "event", "judge", "device", "seq", "prev", "contestant", "values", "comment",
    "revision", "supersedes", "reason", "device_time",
})


@dataclass(frozen=True)
class Sheet:
    """A judge's score sheet for one contestant: one revision, never edited."""

    event: str
    judge: str
    device: str
    seq: int
    prev: str | None
    contestant: str
    values: Mapping[str, Decimal]
    comment: str
    revision: int
    supersedes: str | None
    reason: str | None
    device_time: str

    def body(self) -> dict[str, object]:
        return {
            "v": RECORD_VERSION, "kind": "sheet", "event": self.event, "judge": self.judge,
            "device": self.device, "seq": self.seq, "prev": self.prev,
            "contestant": self.contestant,
            "values": {k: plain_value(v) for k, v in self.values.items()},
            "comment": self.comment, "revision": self.revision, "supersedes": self.supersedes,
            "reason": self.reason, "device_time": self.device_time,
        }

    @property
    def total(self) -> Decimal:
        return sum(self.values.values(), Decimal(0))


def sign_sheet(key: Ed25519PrivateKey, sheet: Sheet) -> SignedRecord:
    if sheet.device != device_id_of(public_key_bytes(key)):
        raise RecordError(Said("rec_other_device", record=Said("rec_sheet")))
    return sign_body(key, sheet.body())


def _text(obj: Mapping[str, Any], name: str, limit: int, *, pattern: re.Pattern[str] | None = None,
          optional: bool = False) -> str | None:
    value = obj.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise RecordError(Said("rec_text_field", field=f"`{name}`", limit=limit))
    if pattern is not None and not pattern.match(value):
        raise RecordError(Said("rec_bad_characters", field=f"`{name}`"))
    return value


def _count(obj: Mapping[str, Any], name: str) -> int:
    value = obj.get(name)
    if type(value) is not int or not 1 <= value <= 2**53:
        raise RecordError(Said("rec_count_field", field=f"`{name}`"))
    return value


def sheet_from_body(obj: Mapping[str, Any]) -> Sheet:
    """A `Sheet` from a parsed body, refusing anything not exactly of the sheet's shape."""
    if set(obj) != SHEET_FIELDS:
        raise _fields_wrong(obj, SHEET_FIELDS, Said("rec_sheet"))
    if obj["v"] != RECORD_VERSION or obj["kind"] != "sheet":
        raise RecordError(Said("rec_not_version", version=RECORD_VERSION, record=Said("rec_sheet")))
    values = obj["values"]
    if not isinstance(values, dict) or not values or len(values) > 64:
        raise RecordError(Said("rec_values", values="`values`"))
    parsed: dict[str, Decimal] = {}
    for criterion, value in values.items():
        if not _ID.match(criterion) or not isinstance(value, str) or not _VALUE.match(value):
            raise RecordError(Said("rec_plain_value", criterion=repr(criterion)))
        parsed[criterion] = Decimal(value)
    revision = _count(obj, "revision")
    supersedes = _text(obj, "supersedes", 64, pattern=_HASH, optional=True)
    reason = _text(obj, "reason", MAX_REASON, optional=True)
    if (revision == 1) != (supersedes is None) or (revision > 1 and not reason):
        raise RecordError(Said("rec_revision"))
    return Sheet(
        event=_text(obj, "event", MAX_ID, pattern=_ID) or "",
        judge=_text(obj, "judge", MAX_ID, pattern=_ID) or "",
        device=_text(obj, "device", MAX_ID, pattern=_ID) or "",
        seq=_count(obj, "seq"),
        prev=_text(obj, "prev", 64, pattern=_HASH, optional=True),
        contestant=_text(obj, "contestant", MAX_ID, pattern=_ID) or "",
        values=parsed,
        comment=_text(obj, "comment", MAX_COMMENT) or "",
        revision=revision, supersedes=supersedes, reason=reason,
        device_time=_text(obj, "device_time", 64) or "",
    )


# --- confirmations ----------------------------------------------------------------------------

CONFIRMATION_FIELDS = frozenset({
    "v", "kind", "event", "judge", "device", "seq", "prev", "contestant", "sheet", "review",
    "comment", "device_time",
})


@dataclass(frozen=True)
class Confirmation:
    """A judge's signed answer to a review request: the sheet `sheet` stands as it is.

    It takes its place in the device's record chain (`seq`, `prev`) like a sheet, so it is
    pushed, receipted and replayed the same way. `review` is the id of the head judge's review
    request (the id its notice carries); `sheet` the hash of the judge's current sheet.
    """

    event: str
    judge: str
    device: str
    seq: int
    prev: str | None
    contestant: str
    sheet: str
    review: int
    comment: str
    device_time: str

    def body(self) -> dict[str, object]:
        return {
            "v": RECORD_VERSION, "kind": "confirmation", "event": self.event,
            "judge": self.judge, "device": self.device, "seq": self.seq, "prev": self.prev,
            "contestant": self.contestant, "sheet": self.sheet, "review": self.review,
            "comment": self.comment, "device_time": self.device_time,
        }


def sign_confirmation(key: Ed25519PrivateKey, confirmation: Confirmation) -> SignedRecord:
    if confirmation.device != device_id_of(public_key_bytes(key)):
        raise RecordError(Said("rec_other_device", record=Said("rec_confirmation")))
    return sign_body(key, confirmation.body())


def confirmation_from_body(obj: Mapping[str, Any]) -> Confirmation:
    """A `Confirmation` from a parsed body, refusing anything not exactly of its shape."""
    if set(obj) != CONFIRMATION_FIELDS:
        raise _fields_wrong(obj, CONFIRMATION_FIELDS, Said("rec_confirmation"))
    if obj["v"] != RECORD_VERSION or obj["kind"] != "confirmation":
        raise RecordError(Said("rec_not_version", version=RECORD_VERSION,
                               record=Said("rec_confirmation")))
    return Confirmation(
        event=_text(obj, "event", MAX_ID, pattern=_ID) or "",
        judge=_text(obj, "judge", MAX_ID, pattern=_ID) or "",
        device=_text(obj, "device", MAX_ID, pattern=_ID) or "",
        seq=_count(obj, "seq"),
        prev=_text(obj, "prev", 64, pattern=_HASH, optional=True),
        contestant=_text(obj, "contestant", MAX_ID, pattern=_ID) or "",
        sheet=_text(obj, "sheet", 64, pattern=_HASH) or "",
        review=_count(obj, "review"),
        comment=_text(obj, "comment", MAX_REASON) or "",
        device_time=_text(obj, "device_time", 64) or "",
    )


def judge_record_from_body(obj: Mapping[str, Any]) -> Sheet | Confirmation:
    """A judge's signed record of either kind, by its `kind` field."""
    kind = obj.get("kind")
    if kind == "confirmation":
        return confirmation_from_body(obj)
    if kind == "sheet" or kind is None:
        return sheet_from_body(obj)
    raise RecordError(Said("rec_kind", kind="`kind`", sheet="`sheet`",
                            confirmation="`confirmation`"))


# --- receipts ---------------------------------------------------------------------------------

RECEIPT_FIELDS = frozenset({"v", "kind", "event", "device", "seq", "record", "ledger", "at"})


@dataclass(frozen=True)
class Receipt:
    """The master's countersignature: it holds `record` at ledger position `ledger`."""

    event: str
    device: str
    seq: int
    record: str
    ledger: int
    at: str

    def body(self) -> dict[str, object]:
        return {"v": RECORD_VERSION, "kind": "receipt", "event": self.event,
                "device": self.device, "seq": self.seq, "record": self.record,
                "ledger": self.ledger, "at": self.at}


def receipt_from_record(record: SignedRecord, master_key: bytes) -> Receipt:
    """Check the master's signature and shape of a receipt."""
    if not record.verify(master_key):
        raise RecordError(Said("rec_receipt_signer"))
    obj = record.parsed()
    if set(obj) != RECEIPT_FIELDS or obj["kind"] != "receipt":
        raise RecordError(Said("rec_not_receipt"))
    return Receipt(
        event=_text(obj, "event", MAX_ID, pattern=_ID) or "",
        device=_text(obj, "device", MAX_ID, pattern=_ID) or "",
        seq=_count(obj, "seq"),
        record=_text(obj, "record", 64, pattern=_HASH) or "",
        ledger=_count(obj, "ledger"),
        at=_text(obj, "at", 64) or "",
    )
