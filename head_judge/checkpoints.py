"""Signed checkpoints over the ledger: (size, Merkle root, time) signed by the master's
Ed25519 key, so a printed sheet, an exported log or a terminal's copy can later prove the
history it saw was never rewritten (sync.merkle, RFC 9162).

A checkpoint is itself a ledger entry (`checkpoint`) covering every entry before it. The
leaf for an entry is its canonical encoding, the very bytes its hash is taken over.
`verify_checkpoints` is pure and needs only the entries and the master's public key.

Copies of checkpoints kept elsewhere (the terminals' stores, the `checkpoint` notices, a
notary's printout) are checked with `verify_checkpoint_copy`: the ledger must still hold at
least the entries a copy covers (fewer means its tail was cut off) with the same Merkle root.
`consistency_proof_between` proves that a later tree extends an earlier one (RFC 9162 §2.1.4),
so whoever kept an old checkpoint can check a new one without seeing the entries. These
functions are pure; they refuse (return problems for) anything not signed by the master key
they are given, but cannot tell a rewrite made with that key itself from the truth unless a
copy made before the rewrite is held somewhere else.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.merkle import consistency_proof, leaf_hash, root, verify_consistency
from sync.records import RecordError, SignedRecord, sign_body

from .ledger import Entry, Ledger, entry_bytes
from .refusals import Message

CHECKPOINT_KIND = "checkpoint"
DEFAULT_CHECKPOINT_INTERVAL = 300.0
"""Seconds between the periodic signed checkpoints while serving."""
PROMOTED_KIND = "promoted"
"""The entry with which a standby master took over (issue 26): from it on, the successor's
key signs receipts and checkpoints."""


@dataclass(frozen=True)
class MasterKeys:
    """The master's public signing key over the ledger: one key, or, after a standby took
    over (`promoted` entries), the key in force from each entry on (`spans`: (first entry,
    key), in order)."""

    spans: tuple[tuple[int, bytes], ...]

    @classmethod
    def of(cls, keys: bytes | MasterKeys) -> MasterKeys:
        return keys if isinstance(keys, MasterKeys) else cls(((1, bytes(keys)),))

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], current: bytes) -> MasterKeys:
        """The keys of a ledger whose master now signs with `current`: the predecessor's
        until the first `promoted` entry, then each successor's."""
        spans: list[tuple[int, bytes]] = []
        for entry in entries:
            if entry.kind != PROMOTED_KIND:
                continue
            try:
                before = base64.b64decode(str(entry.payload["predecessor_key"]), validate=True)
                after = base64.b64decode(str(entry.payload["successor_key"]), validate=True)
            except (KeyError, ValueError, binascii.Error):
                continue  # `promotion_problems` names it
            if not spans:
                spans.append((1, before))
            spans.append((entry.seq, after))
        return cls(tuple(spans)) if spans else cls(((1, current),))

    def at(self, seq: int) -> bytes:
        """The key that signed what was appended as entry `seq` (its receipt, or the
        checkpoint it is)."""
        found = self.spans[0][1]
        for first, key in self.spans:
            if first <= seq:
                found = key
        return found

    def over(self, size: int) -> bytes:
        """The key that signed a checkpoint over the first `size` entries."""
        return self.at(size + 1)


def leaves(entries: Sequence[Entry]) -> list[bytes]:
    return [leaf_hash(entry_bytes(e)) for e in entries]


def checkpoint_body(event_id: str, hashes: Sequence[bytes], at: str) -> dict[str, Any]:
    """What a checkpoint over entries with these leaf hashes signs."""
    return {"v": 1, "kind": "checkpoint", "event": event_id, "size": len(hashes),
            "root": root(hashes).hex(), "at": at}


def append_checkpoint(ledger: Ledger, key: Ed25519PrivateKey, event_id: str, at: str,
                      reason: str) -> Entry:
    """Sign the current ledger and append the checkpoint. Only inside a ledger transaction."""
    record = sign_body(key, checkpoint_body(event_id, ledger.leaves(), at))
    return ledger.append(CHECKPOINT_KIND, "master",
                         {"reason": reason, "checkpoint": record.to_wire()}, at)


def checkpoint_record(entry: Entry) -> SignedRecord:
    return SignedRecord.from_wire(entry.payload.get("checkpoint"))


def verify_checkpoints(entries: Sequence[Entry], master_key: bytes | MasterKeys,
                       hashes: Sequence[bytes] | None = None) -> list[Message]:
    """Every checkpoint entry must carry a valid master signature (of the key in force at
    it) over the size and Merkle root of exactly the entries before it. `hashes`: the
    entries' leaf hashes, if known."""
    keys = MasterKeys.of(master_key)
    problems: list[Message] = []
    hashes = leaves(entries) if hashes is None else hashes
    for index, entry in enumerate(entries):
        if entry.kind != CHECKPOINT_KIND:
            continue

        def at(text: Message, seq: int = entry.seq) -> Message:
            return Message("au_checkpoint_at", seq=seq, text=text)

        try:
            record = checkpoint_record(entry)
            body = record.parsed()
        except RecordError as exc:
            problems.append(at(Message("au_cp_unreadable", reason=exc.reason)))
            continue
        if not record.verify(keys.at(entry.seq)):
            problems.append(at(Message("au_cp_not_signed")))
        size = body.get("size")
        if size != index:
            problems.append(at(Message("au_cp_covers", size=size, index=index)))
            continue
        if body.get("root") != root(hashes[:index]).hex():
            problems.append(at(Message("au_cp_root")))
    return problems


# --- copies kept elsewhere, and proofs for them ------------------------------------------------

_CHECKPOINT_FIELDS = frozenset({"v", "kind", "event", "size", "root", "at"})
_ROOT = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CheckpointView:
    """The fields of a signed checkpoint body."""

    event: str
    size: int
    root: str
    at: str


def read_checkpoint(record: SignedRecord) -> CheckpointView:
    """The fields of a checkpoint record; RecordError unless it has exactly that shape
    (the signature is not checked here)."""
    body = record.parsed()
    if set(body) != _CHECKPOINT_FIELDS or body["v"] != 1 or body["kind"] != "checkpoint":
        raise RecordError(Message("cp_not_one", version=1))
    size, root_hex = body["size"], body["root"]
    if type(size) is not int or size < 0:
        raise RecordError(Message("cp_size", field="`size`"))
    if not isinstance(root_hex, str) or not _ROOT.match(root_hex):
        raise RecordError(Message("cp_root", field="`root`"))
    if not isinstance(body["event"], str) or not isinstance(body["at"], str):
        raise RecordError(Message("cp_text", event="`event`", at="`at`"))
    return CheckpointView(body["event"], size, root_hex, body["at"])


def verify_checkpoint_copy(hashes: Sequence[bytes], record: SignedRecord,
                           master_key: bytes | MasterKeys, where: str) -> list[Message]:
    """Problems of a checkpoint kept outside the ledger (`where` names the copy) against the
    ledger whose leaf hashes are `hashes`: not signed by `master_key`, covering more entries
    than the ledger holds (its tail was cut off), or a root the ledger no longer gives."""
    def at(text: Message) -> list[Message]:
        return [Message("au_where", where=where, text=text)]

    try:
        view = read_checkpoint(record)
    except RecordError as exc:
        return at(Message("au_copy_unreadable", reason=exc.reason))
    if not record.verify(MasterKeys.of(master_key).over(view.size)):
        return at(Message("au_copy_not_signed", size=view.size))
    if view.size > len(hashes):
        return at(Message("au_copy_cut", size=view.size, held=len(hashes)))
    if root(hashes[:view.size]).hex() != view.root:
        return at(Message("au_copy_root", size=view.size))
    return []


@dataclass(frozen=True)
class ConsistencyProof:
    """RFC 9162 PROOF(size_a, D[size_b]) with the two roots it links."""

    size_a: int
    size_b: int
    root_a: bytes
    root_b: bytes
    path: tuple[bytes, ...]

    def verify(self) -> bool:
        return verify_consistency(self.size_a, self.size_b, self.root_a, self.root_b,
                                  list(self.path))

    def to_json(self) -> dict[str, Any]:
        return {"from": {"size": self.size_a, "root": self.root_a.hex()},
                "to": {"size": self.size_b, "root": self.root_b.hex()},
                "proof": [p.hex() for p in self.path]}


def consistency_proof_between(entries: Sequence[Entry], size_a: int,
                              size_b: int | None = None) -> ConsistencyProof:
    """Proof that the ledger's first `size_a` entries are a prefix of its first `size_b`
    (default: all of them). ValueError unless 0 < size_a <= size_b <= len(entries)."""
    size_b = len(entries) if size_b is None else size_b
    if not 0 < size_a <= size_b <= len(entries):
        raise ValueError(Message("prove_out_of_range", a=size_a, b=size_b, n=len(entries),
                                 rule=f"0 < from <= to <= {len(entries)}"))
    hashes = leaves(entries[:size_b])
    return ConsistencyProof(size_a, size_b, root(hashes[:size_a]), root(hashes),
                            tuple(consistency_proof(size_a, hashes)))


def checkpoint_records(entries: Sequence[Entry]) -> list[tuple[Entry, SignedRecord]]:
    """Every readable checkpoint in the ledger with the entry that holds it, in order."""
    found: list[tuple[Entry, SignedRecord]] = []
    for entry in entries:
        if entry.kind == CHECKPOINT_KIND:
            try:
                found.append((entry, checkpoint_record(entry)))
            except RecordError:
                continue
    return found
