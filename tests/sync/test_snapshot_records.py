"""Event snapshots round-trip; signed sheets verify on their bytes and refuse bad shapes."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from sync.event_file import load_event
from sync.identity import generate_signing_key, public_key_bytes
from sync.records import (
    RecordError,
    Sheet,
    SignedRecord,
    device_id_of,
    plain_value,
    sheet_from_body,
    sign_sheet,
)
from sync.snapshot import SnapshotError, event_from_snapshot, event_snapshot, snapshot_digest


@pytest.mark.parametrize("final", ["livestream-final", "roadshow-final"])
def test_snapshot_round_trips_through_json(fixtures_dir: Path, final: str) -> None:
    event = load_event(fixtures_dir / final / "event.toml")
    wire = json.dumps(event_snapshot(event), ensure_ascii=False)
    assert event_from_snapshot(json.loads(wire)) == event
    assert snapshot_digest(event_from_snapshot(json.loads(wire))) == snapshot_digest(event)


@pytest.mark.parametrize("damage", [
    lambda s: s.pop("criteria"),
    lambda s: s.update(surprise=1),
    lambda s: s.update(notary="yes"),
    lambda s: s["criteria"][0].update(max=7.5),
    lambda s: s["scoring"].update(aggregate="mode"),
])
def test_damaged_snapshot_is_refused(fixtures_dir: Path, damage: object) -> None:
    snap = event_snapshot(load_event(fixtures_dir / "livestream-final" / "event.toml"))
    damage(snap)  # type: ignore[operator]
    with pytest.raises(SnapshotError):
        event_from_snapshot(snap)


def make_sheet(key: object, **changes: object) -> Sheet:
    fields: dict[str, object] = dict(
        event="e", judge="J1", device=device_id_of(public_key_bytes(key)),  # type: ignore[arg-type]
        seq=1, prev=None, contestant="L01", values={"a": D("8.50"), "b": D("10")},
        comment="好", revision=1, supersedes=None, reason=None,
        device_time="2025-09-20T10:00:00+08:00")
    fields.update(changes)
    return Sheet(**fields)  # type: ignore[arg-type]


def test_signed_sheet_round_trip() -> None:
    key = generate_signing_key()
    record = sign_sheet(key, make_sheet(key))
    wire = json.loads(json.dumps(record.to_wire()))
    again = SignedRecord.from_wire(wire)
    assert again == record and again.verify(public_key_bytes(key))
    sheet = sheet_from_body(again.parsed())
    assert sheet.values == {"a": D("8.5"), "b": D("10")}
    assert b'"values":{"a":"8.5","b":"10"}' in record.body  # one spelling per number


def test_tampered_body_fails_verification() -> None:
    key = generate_signing_key()
    record = sign_sheet(key, make_sheet(key))
    forged = SignedRecord(record.body.replace(b'"8.5"', b'"9.5"'), record.signature)
    assert not forged.verify(public_key_bytes(key))
    assert not record.verify(public_key_bytes(generate_signing_key()))


def test_sheet_for_another_device_is_refused() -> None:
    key = generate_signing_key()
    with pytest.raises(RecordError, match="another device"):
        sign_sheet(key, make_sheet(key, device="0" * 16))


@pytest.mark.parametrize(("change", "message"), [
    ({"extra": 1}, "unknown extra"),
    ({"seq": 0}, "`seq`"),
    ({"seq": "1"}, "`seq`"),
    ({"values": {"a": "8.50"}}, "plain number"),
    ({"values": {"a": 8}}, "plain number"),
    ({"values": {}}, "1-64 criteria"),
    ({"revision": 2}, "supersedes"),
    ({"judge": "J 1"}, "not allowed"),
    ({"comment": "x" * 5000}, "at most 2000"),
])
def test_bad_sheet_bodies(change: dict[str, object], message: str) -> None:
    key = generate_signing_key()
    body = make_sheet(key).body()
    body.update(change)
    with pytest.raises(RecordError, match=message):
        sheet_from_body(body)


@pytest.mark.parametrize("wire", [
    None, [], {"body": "{}"}, {"body": 1, "sig": "x"}, {"body": "{}", "sig": "not base64!"},
    {"body": "{}", "sig": "AAAA"}, {"body": "x" * 20000, "sig": "A" * 88},
])
def test_bad_wire_records(wire: object) -> None:
    with pytest.raises(RecordError):
        SignedRecord.from_wire(wire)


@pytest.mark.parametrize(("value", "text"), [
    (D("8"), "8"), (D("8.0"), "8"), (D("8.50"), "8.5"), (D("100"), "100"), (D("0"), "0"),
    (D("0.25"), "0.25"),
])
def test_plain_value(value: D, text: str) -> None:
    assert plain_value(value) == text
