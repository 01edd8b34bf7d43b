"""RFC 9162 Merkle tree: roots, inclusion and consistency proofs."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)


def leaves(n: int) -> list[bytes]:
    return [leaf_hash(f"entry {i}".encode()) for i in range(n)]


def reference_root(hashes: list[bytes]) -> bytes:
    """MTH exactly as RFC 9162 §2.1.1 writes it, recursively."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(reference_root(hashes[:k]), reference_root(hashes[k:]))


def test_known_small_trees() -> None:
    a, b, c = leaves(3)
    assert root([]) == EMPTY_ROOT
    assert root([a]) == a
    assert root([a, b]) == node_hash(a, b)
    assert root([a, b, c]) == node_hash(node_hash(a, b), c)
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()  # leaf and node prefixes differ


@given(st.integers(min_value=0, max_value=200))
def test_root_matches_the_rfc_definition(n: int) -> None:
    assert root(leaves(n)) == reference_root(leaves(n))


@settings(max_examples=60)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_every_inclusion_proof_verifies_and_a_wrong_one_does_not(n: int, data: st.DataObject
                                                                  ) -> None:
    hashes = leaves(n)
    top = root(hashes)
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    proof = inclusion_proof(index, hashes)
    assert verify_inclusion(index, n, hashes[index], proof, top)
    assert not verify_inclusion(index, n, leaf_hash(b"forged"), proof, top)
    if n > 1:
        assert not verify_inclusion((index + 1) % n, n, hashes[index], proof, top)
    if proof:
        broken = list(proof)
        broken[data.draw(st.integers(min_value=0, max_value=len(proof) - 1))] = b"\x00" * 32
        assert not verify_inclusion(index, n, hashes[index], broken, top)


@settings(max_examples=80)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_consistency_between_every_prefix(n: int, data: st.DataObject) -> None:
    hashes = leaves(n)
    m = data.draw(st.integers(min_value=1, max_value=n))
    proof = consistency_proof(m, hashes)
    assert verify_consistency(m, n, root(hashes[:m]), root(hashes), proof)
    # A rewritten history (one early entry changed) is not consistent with the old root.
    rewritten = list(hashes)
    rewritten[data.draw(st.integers(min_value=0, max_value=m - 1))] = leaf_hash(b"rewritten")
    assert not verify_consistency(m, n, root(hashes[:m]), root(rewritten),
                                  consistency_proof(m, rewritten))
    if proof:
        assert not verify_consistency(m, n, root(hashes[:m]), root(hashes), proof[:-1])
