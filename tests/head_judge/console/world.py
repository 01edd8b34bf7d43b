"""A deterministic final for the console's snapshots: the livestream fixture half-way through,
built through the master's own request handlers (`Master.enrol`, `Master.push`) and the head
judge's actions with fixed keys and a stepping clock, so every byte on screen is the same on
every run: fingerprint, device ids, ledger times, flags, results."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from head_judge.actions import HeadJudge
from head_judge.appeals import file_appeal
from head_judge.master import DeviceStatus, Master, iso
from head_judge.paper import read_sheets
from sync.event_file import load_event
from sync.identity import ensure_master_identity, public_key_bytes
from sync.records import Sheet, device_id_of, sign_sheet
from tests.masters import enrol_in_process

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2020, 9, 26, 9, 0, tzinfo=TZ)
NOW = dt.datetime(2020, 9, 26, 10, 30, tzinfo=TZ)
"""The console's fixed clock in the snapshots."""


def seeded(seed: str) -> Callable[[int], bytes]:
    rng = random.Random(seed)
    return lambda n: bytes(rng.getrandbits(8) for _ in range(n))


class Clock:
    """A clock that moves one minute each time it is read."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.moment = start

    def __call__(self) -> dt.datetime:
        self.moment += dt.timedelta(minutes=1)
        return self.moment


@dataclass
class Laptop:
    judge: str
    key: Ed25519PrivateKey
    seq: int = 0
    prev: str | None = None
    current: dict[str, tuple[str, int]] = field(default_factory=dict)

    @classmethod
    def for_judge(cls, judge: str) -> Laptop:
        seed = hashlib.sha256(f"laptop {judge}".encode()).digest()
        return cls(judge, Ed25519PrivateKey.from_private_bytes(seed))

    @property
    def device(self) -> str:
        return device_id_of(public_key_bytes(self.key))

    def enrol(self, master: Master, clock: Clock) -> None:
        (issued,) = master.issue_codes([self.judge], now=clock(),
                                       rng=seeded(f"code {self.judge}"))
        enrol_in_process(master, issued.code, self.key, at=clock(),
                         name=f"laptop {self.judge}")

    def sheet(self, master: Master, contestant: str, values: dict[str, Decimal],
              clock: Clock, reason: str | None = None) -> None:
        held = self.current.get(contestant)
        now = clock()
        self.seq += 1
        sheet = Sheet(event=master.event.id, judge=self.judge, device=self.device,
                      seq=self.seq, prev=self.prev, contestant=contestant, values=values,
                      comment="", revision=held[1] + 1 if held else 1,
                      supersedes=held[0] if held else None, reason=reason,
                      device_time=iso(now))
        record = sign_sheet(self.key, sheet)
        answer = master.push({"device": self.device, "records": [record.to_wire()]}, now)
        assert answer["results"][0]["status"] == "accepted", answer
        self.prev = record.hash
        self.current[contestant] = (record.hash, sheet.revision)


def build(home: Path, fixtures: Path) -> Master:
    """The livestream final at 10:30: L01-L12 scored (J3 far off on L05, one revision), the
    platform data imported, L01-L03 locked, a review open, a flag accepted, an override, an
    appeal filed, terminals last heard from at fixed times."""
    folder = fixtures / "livestream-final"
    event = load_event(folder / "event.toml")
    clock = Clock()
    ensure_master_identity(home, now=START, rng=seeded("master identity"))
    master = Master.open(home, event, now=clock())
    laptops = {j.id: Laptop.for_judge(j.id) for j in event.judges}
    for laptop in laptops.values():
        laptop.enrol(master, clock)
    scored = [f"L{n:02d}" for n in range(1, 13)]
    for sheet in read_sheets(event, folder / "sheets.csv"):
        if sheet.contestant in scored:
            laptops[sheet.judge].sheet(master, sheet.contestant, dict(sheet.values), clock)
    head = HeadJudge(master, clock=clock)
    first = {s.judge: s for s in head.sheets("L06")}["J2"]
    laptops["J2"].sheet(master, "L06", {**first.values, "pitch": Decimal("17")}, clock,
                        reason="typed 16 for 17")
    head.import_components("data", folder / "data.csv")
    for contestant in ("L01", "L02", "L03"):
        head.lock(contestant, force=bool(head.lock_blockers(contestant)),
                  reason="checked with the panel")
    open_flags = head.flags("open")
    if open_flags:
        flag = open_flags[0]
        head.request_review(flag.judges[0], "please check this value", flag=flag.id)
    head.override_value("J4", "L08", "integrity", "9", "J4 misread the integrity box")
    # (after the override: the flag it raises on L08 is the one open flag without a review)
    others = [f for f in head.flags("open") if not head.reviews("open", f.contestant)]
    if others:
        head.accept_flag(others[0].id, "the judge confirmed it on paper")
    file_appeal(head, "L02", "the pitch score does not reflect the demonstration",
                "L02 本人")
    return master


def reopen(home: Path) -> Master:
    """The master in `home` with its terminals last heard from at fixed times (the master
    keeps that in memory only)."""
    master = Master.open(home, now=NOW)
    for index, judge in enumerate(master.event.judges):
        seen = NOW - dt.timedelta(seconds=5 + 40 * index)
        master.online[Laptop.for_judge(judge.id).device] = DeviceStatus(
            iso(seen), index % 3, iso(seen + dt.timedelta(seconds=2 if index != 3 else 95)))
    return master


def fixed_clock() -> dt.datetime:
    return NOW


def entries_of(master: Master, kind: str) -> Iterator[dict[str, Any]]:
    for entry in master.ledger.entries():
        if entry.kind == kind:
            yield dict(entry.payload)
