"""Sheet codes, checkpoints and QR payloads, without rendering anything."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from printouts import (
    CheckpointError,
    compute_sheet_code,
    parse_checkpoint,
    parse_sheet_code,
    sheet_digest,
    sign_checkpoint,
    verify_qr_payload,
)
from printouts.sheet_code import QR_PREFIX, SHEET_KINDS, checkpoint_body, qr_payload
from sync.canonical import canonical_bytes
from sync.codes import ALPHABET, TypedCodeError, encode_groups
from sync.records import SignedRecord, sign_body

from .sample import MASTER_KEY, MASTER_PUBLIC

ROOT = hashlib.sha256(b"root").hexdigest()
AT = "2020-09-26T16:30:00+08:00"
CONTENT = {"v": 1, "kind": "judge", "scores": {"J3": {"L05": {"values": {"pitch": "16"}}}}}


def checkpoint(size: int = 412, key: Ed25519PrivateKey = MASTER_KEY) -> SignedRecord:
    return sign_checkpoint(key, event="hrb-live-2020-final", size=size, root=ROOT, at=AT)


def test_checkpoint_is_the_signed_canonical_body() -> None:
    record = checkpoint()
    assert record.body == canonical_bytes(checkpoint_body("hrb-live-2020-final", 412, ROOT, AT))
    assert record.body.startswith(b'{"at":"2020-09-26T16:30:00+08:00","event":')
    assert record.verify(MASTER_PUBLIC)
    parsed = parse_checkpoint(record)
    assert (parsed.event, parsed.size, parsed.root, parsed.at) == (
        "hrb-live-2020-final", 412, ROOT, AT)
    assert parsed.hash == hashlib.sha256(record.body).hexdigest()


@pytest.mark.parametrize("body, reason", [
    ({"v": 1, "kind": "checkpoint", "event": "e", "size": 1, "root": ROOT}, "exactly the fields"),
    ({"v": 1, "kind": "receipt", "event": "e", "size": 1, "root": ROOT, "at": AT}, "version 1"),
    ({"v": 1, "kind": "checkpoint", "event": "e", "size": -1, "root": ROOT, "at": AT}, "size"),
    ({"v": 1, "kind": "checkpoint", "event": "e", "size": 1, "root": "AB" * 32, "at": AT}, "root"),
    ({"v": 1, "kind": "checkpoint", "event": "", "size": 1, "root": ROOT, "at": AT}, "event"),
])
def test_checkpoint_of_another_shape_is_refused(body: dict[str, object], reason: str) -> None:
    with pytest.raises(CheckpointError, match=reason):
        parse_checkpoint(sign_body(MASTER_KEY, body))


def test_a_non_canonical_checkpoint_body_is_refused() -> None:
    with pytest.raises(CheckpointError, match="canonical"):
        parse_checkpoint(SignedRecord(b'{"v": 1}', bytes(64)))


def test_sheet_code_is_one_checked_group_bound_to_digest_and_checkpoint() -> None:
    digest = sheet_digest(CONTENT)
    cp = parse_checkpoint(checkpoint())
    code = compute_sheet_code("judge", digest, cp.hash)
    assert re.fullmatch(r"[A-Z2-7]{7}-[A-Z2-7]{7}", code)
    assert code == compute_sheet_code("judge", digest, cp.hash)
    assert code != compute_sheet_code("judge", sheet_digest({**CONTENT, "v": 2}), cp.hash)
    assert code != compute_sheet_code("judge", digest, parse_checkpoint(checkpoint(413)).hash)
    assert parse_sheet_code(code.lower().replace("-", " ")) == code


def test_every_single_typo_in_a_sheet_code_is_caught() -> None:
    code = compute_sheet_code("judge", sheet_digest(CONTENT), parse_checkpoint(checkpoint()).hash)
    plain = code.replace("-", "")
    for i, right in enumerate(plain):
        for wrong in ALPHABET:
            if wrong == right:
                continue
            with pytest.raises(TypedCodeError):
                parse_sheet_code(plain[:i] + wrong + plain[i + 1 :])


def test_sheet_code_refuses_what_is_not_a_digest_or_a_kind() -> None:
    with pytest.raises(ValueError):
        compute_sheet_code("judge", "xyz", ROOT)
    with pytest.raises(ValueError):
        compute_sheet_code("poster", ROOT, ROOT)


def test_qr_payload_verifies_offline_with_the_master_key_only() -> None:
    digest = sheet_digest(CONTENT)
    text = qr_payload("judge", digest, checkpoint())
    assert re.fullmatch(r"FKS1:[A-Z2-7]+", text)
    verdict = verify_qr_payload(text, MASTER_PUBLIC)
    assert verdict.ok, verdict.reason
    assert (verdict.kind, verdict.digest) == ("judge", digest)
    assert verdict.code == compute_sheet_code("judge", digest, parse_checkpoint(checkpoint()).hash)
    assert verdict.matches(CONTENT) and not verdict.matches({**CONTENT, "kind": "x"})


def test_qr_payload_signed_by_another_key_fails() -> None:
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    text = qr_payload("judge", sheet_digest(CONTENT), checkpoint(key=other))
    verdict = verify_qr_payload(text, MASTER_PUBLIC)
    assert not verdict.ok and "not signed" in verdict.reason
    assert not verdict.matches(CONTENT)


def _bytes(text: str) -> bytearray:
    body = text[len(QR_PREFIX):]
    return bytearray(base64.b32decode(body + "=" * (-len(body) % 8)))


def _text(data: bytes | bytearray) -> str:
    return QR_PREFIX + base64.b32encode(bytes(data)).decode().rstrip("=")


def test_payload_layout_is_the_documented_one() -> None:
    digest = sheet_digest(CONTENT)
    record = checkpoint()
    data = _bytes(qr_payload("results", digest, record))
    assert data[0] == 1 and data[1] == SHEET_KINDS.index("results") == 2
    assert data[2:34].hex() == digest
    assert encode_groups(bytes(data[34:42])) == compute_sheet_code("results", digest, record.hash)
    assert bytes(data[42:106]) == record.signature
    assert data[106:138].hex() == ROOT and int.from_bytes(data[138:146], "big") == 412
    assert data[147:147 + data[146]].decode() == AT
    assert len(qr_payload("results", digest, record)) < 320, "a version 10 QR code at most"


@pytest.mark.parametrize("where, value, reason", [
    (slice(0, 1), b"\x02", "version 1"),
    (slice(1, 2), b"\x09", "unknown sheet kind"),
    (slice(2, 3), b"\x00", "does not match"),  # another digest, same code
    (slice(34, 35), b"\x00", "does not match"),  # another code
    (slice(42, 43), b"\x00", "not signed"),  # the signature
    (slice(106, 107), b"\x00", "not signed"),  # the root
    (slice(145, 146), b"\x07", "not signed"),  # the size
])
def test_an_altered_payload_fails_with_a_reason(where: slice, value: bytes, reason: str) -> None:
    data = _bytes(qr_payload("judge", sheet_digest(CONTENT), checkpoint()))
    assert data[where] != value
    data[where] = value
    verdict = verify_qr_payload(_text(data), MASTER_PUBLIC)
    assert not verdict.ok and reason in verdict.reason, verdict.reason


def test_a_cut_or_padded_payload_fails() -> None:
    data = _bytes(qr_payload("judge", sheet_digest(CONTENT), checkpoint()))
    for broken in (data[:-1], data + b"\x00", data[:100]):
        verdict = verify_qr_payload(_text(broken), MASTER_PUBLIC)
        assert not verdict.ok and verdict.reason


def test_every_single_character_change_is_refused() -> None:
    text = qr_payload("judge", sheet_digest(CONTENT), checkpoint())
    good = verify_qr_payload(text, MASTER_PUBLIC)
    for i in range(len(QR_PREFIX), len(text)):
        wrong = "B" if text[i] != "B" else "C"
        verdict = verify_qr_payload(text[:i] + wrong + text[i + 1 :], MASTER_PUBLIC)
        assert not verdict.ok, (i, verdict)
    assert good.ok


@given(st.text(max_size=300))
def test_verify_never_raises(text: str) -> None:
    verdict = verify_qr_payload(text, MASTER_PUBLIC)
    assert not verdict.ok and verdict.reason


@given(st.text(alphabet=ALPHABET, max_size=400))
def test_verify_never_raises_on_base32(body: str) -> None:
    assert not verify_qr_payload(QR_PREFIX + body, MASTER_PUBLIC).ok
