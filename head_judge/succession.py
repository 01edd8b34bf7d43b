"""The standby master's mirror (issue 26): the mirror request and answer, and the check of
mirrored entries before they are stored (the succession record is `sync.succession`).

A standby enrols on the standby seat (`enrolment.STANDBY`) with a one-time code, as a judge's
terminal does; its device key is the Ed25519 key it will sign receipts with once promoted.
It then asks for the ledger after what it holds (`mirror` records, signed with that key). On
its first request (and when its address changes) the master appends a `succession` entry
holding a record it signs with its own key: the standby's signing key, TLS fingerprint,
addresses and port. Terminals keep that record and accept that key, and no other, as the
master's successor.

`mirror_entries` appends each mirrored entry to the standby's own ledger, which computes the
hash itself: an entry whose recomputed hash differs from the master's, that does not follow
the standby's last entry, or a checkpoint whose signature is not the master's is refused,
and the transaction (the whole batch) is rolled back. Nothing here reads a clock or the
network.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sync.canonical import CanonicalError, parse_canonical
from sync.identity import verify
from sync.records import RecordError

from .checkpoints import CHECKPOINT_KIND, checkpoint_record
from .ledger import Entry, Ledger

__all__ = [
    "MIRROR_BATCH",
    "MIRROR_FIELDS",
    "MirrorError",
    "Mirrored",
    "mirror_entries",
    "successor_address",
]

MIRROR_FIELDS: Final = frozenset({"v", "kind", "device", "after", "port", "addresses",
                                  "fingerprint", "device_time"})
MIRROR_BATCH: Final = 500
"""Entries in one mirror answer at most (a catch-up after a long gap takes several)."""


class MirrorError(Exception):
    """A mirrored entry is not the master's: nothing of its batch was stored."""


def successor_address(payload: Mapping[str, Any]) -> str:
    """Where a `succession` entry's standby will serve: its addresses and port, as text."""
    body = json.loads(payload["record"]["body"])
    return " ".join(f"{address}:{body['port']}" for address in body["addresses"])


@dataclass(frozen=True)
class Mirrored:
    entries: int
    last_seq: int
    last_at: str | None


def mirror_entries(ledger: Ledger, wires: Sequence[object], master_key: bytes) -> Mirrored:
    """Append the master's entries `wires` (in order, following the standby's last one) to
    `ledger` in one transaction, each checked against the hash the master gave; checkpoints
    must verify with `master_key`. MirrorError, with nothing stored, otherwise."""
    last: Entry | None = None
    with ledger.transaction():
        for wire in wires:
            expected = ledger.next_seq()
            seq, kind, actor, at, payload, prev, digest = _fields(wire)
            if seq != expected:
                raise MirrorError(f"entry {seq} does not follow entry {expected - 1}")
            entry = ledger.append(kind, actor, payload, at)
            if entry.prev != prev or entry.hash != digest:
                raise MirrorError(f"entry {seq} ({kind}) does not hash to what the head "
                                  "judge's master says: it is not the master's ledger")
            if kind == CHECKPOINT_KIND:
                _check_checkpoint(entry, master_key)
            last = entry
    if last is None:
        return Mirrored(0, ledger.next_seq() - 1, None)
    return Mirrored(len(wires), last.seq, last.at)


def _fields(wire: object) -> tuple[int, str, str, str, Mapping[str, Any], str, str]:
    if not isinstance(wire, dict):
        raise MirrorError("a mirrored entry is not an object")
    try:
        seq, kind, actor, at = wire["seq"], wire["kind"], wire["actor"], wire["at"]
        payload_text, prev, digest = wire["payload"], wire["prev"], wire["hash"]
        if type(seq) is not int or not all(isinstance(x, str) for x in (
                kind, actor, at, payload_text, prev, digest)):
            raise TypeError
        payload = parse_canonical(payload_text.encode("utf-8"))
        if not isinstance(payload, dict):
            raise TypeError
    except (KeyError, TypeError, UnicodeEncodeError, CanonicalError):
        raise MirrorError("a mirrored entry is not one (seq, kind, actor, at, canonical "
                          "payload, prev, hash)") from None
    return seq, kind, actor, at, payload, prev, digest


def _check_checkpoint(entry: Entry, master_key: bytes) -> None:
    try:
        record = checkpoint_record(entry)
    except RecordError as exc:
        raise MirrorError(f"checkpoint at entry {entry.seq}: {exc.reason}") from None
    if not verify(master_key, record.signature, record.body):
        raise MirrorError(f"checkpoint at entry {entry.seq} is not signed by the head judge's "
                          "key")
