"""Signed checkpoints over the ledger: (size, Merkle root, time) signed by the master's
Ed25519 key, so a printed sheet, an exported log or a terminal's copy can later prove the
history it saw was never rewritten (sync.merkle, RFC 9162).

A checkpoint is itself a ledger entry (`checkpoint`) covering every entry before it. The
leaf for an entry is its canonical encoding, the very bytes its hash is taken over.
`verify_checkpoints` is pure and needs only the entries and the master's public key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.canonical import canonical_bytes
from sync.merkle import leaf_hash, root
from sync.records import RecordError, SignedRecord, sign_body

from .ledger import Entry, Ledger

CHECKPOINT_KIND = "checkpoint"


def entry_bytes(entry: Entry) -> bytes:
    """The canonical encoding of an entry: what its hash and its Merkle leaf are taken over."""
    return canonical_bytes({"seq": entry.seq, "kind": entry.kind, "actor": entry.actor,
                            "at": entry.at, "payload": dict(entry.payload), "prev": entry.prev})


def leaves(entries: Sequence[Entry]) -> list[bytes]:
    return [leaf_hash(entry_bytes(e)) for e in entries]


def checkpoint_body(event_id: str, entries: Sequence[Entry], at: str) -> dict[str, Any]:
    return {"v": 1, "kind": "checkpoint", "event": event_id, "size": len(entries),
            "root": root(leaves(entries)).hex(), "at": at}


def append_checkpoint(ledger: Ledger, key: Ed25519PrivateKey, event_id: str, at: str,
                      reason: str) -> Entry:
    """Sign the current ledger and append the checkpoint. Only inside a ledger transaction."""
    entries = list(ledger.entries())
    record = sign_body(key, checkpoint_body(event_id, entries, at))
    return ledger.append(CHECKPOINT_KIND, "master",
                         {"reason": reason, "checkpoint": record.to_wire()}, at)


def checkpoint_record(entry: Entry) -> SignedRecord:
    return SignedRecord.from_wire(entry.payload.get("checkpoint"))


def verify_checkpoints(entries: Sequence[Entry], master_key: bytes) -> list[str]:
    """Every checkpoint entry must carry a valid master signature over the size and Merkle
    root of exactly the entries before it."""
    problems: list[str] = []
    hashes = leaves(entries)
    for index, entry in enumerate(entries):
        if entry.kind != CHECKPOINT_KIND:
            continue
        where = f"checkpoint at entry {entry.seq}"
        try:
            record = checkpoint_record(entry)
            body = record.parsed()
        except RecordError as exc:
            problems.append(f"{where}: unreadable ({exc.reason})")
            continue
        if not record.verify(master_key):
            problems.append(f"{where}: not signed by this master's key")
        size = body.get("size")
        if size != index:
            problems.append(f"{where}: covers {size} entries but {index} precede it")
            continue
        if body.get("root") != root(hashes[:index]).hex():
            problems.append(f"{where}: Merkle root differs from the entries it covers "
                            "(history before it was changed)")
    return problems
