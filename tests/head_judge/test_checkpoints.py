"""Signed checkpoints: a valid one verifies; a changed history or a foreign key does not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from head_judge.checkpoints import append_checkpoint, verify_checkpoints
from head_judge.ledger import Ledger
from sync.identity import generate_signing_key, public_key_bytes


def test_checkpoints_cover_the_entries_before_them(tmp_path: Path) -> None:
    key = generate_signing_key()
    ledger = Ledger(tmp_path / "l.db")
    with ledger.transaction():
        for i in range(5):
            ledger.append("note", "head", {"i": i}, f"2025-09-20T10:00:0{i}Z")
        append_checkpoint(ledger, key, "e", "2025-09-20T10:01:00Z", "test")
        ledger.append("note", "head", {"i": 5}, "2025-09-20T10:02:00Z")
        append_checkpoint(ledger, key, "e", "2025-09-20T10:03:00Z", "test")
    entries = list(ledger.entries())
    assert verify_checkpoints(entries, public_key_bytes(key)) == []
    assert verify_checkpoints(entries, public_key_bytes(generate_signing_key())) == [
        "checkpoint at entry 6: not signed by this master's key",
        "checkpoint at entry 8: not signed by this master's key"]
    changed = list(entries)
    changed[2] = dataclasses.replace(changed[2], payload={"i": 99})
    problems = verify_checkpoints(changed, public_key_bytes(key))
    assert len(problems) == 2 and all("Merkle root differs" in p for p in problems)
    dropped = entries[:3] + entries[4:]
    assert any("precede it" in p for p in verify_checkpoints(dropped, public_key_bytes(key)))
