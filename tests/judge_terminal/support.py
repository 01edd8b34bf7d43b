"""Deterministic judge-terminal data for tests, snapshots, the tmux run and the benchmark:
a fixed clock, stores enrolled with a made-up master key (so receipts can be signed here), a
scenario that puts every queue status on screen, and a final of any size.

    python -m tests.judge_terminal.support HOME [--judge J2] [--contestants N]

makes an enrolled home with the scenario, to look at with `judge-terminal --home HOME`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sync.codes import EnrolmentCode
from sync.event import Contestant, Event
from sync.event_file import load_event
from sync.identity import generate_signing_key, public_key_bytes
from sync.records import Receipt, sign_body
from sync.snapshot import event_snapshot, snapshot_digest
from sync.store import Notice, StoredRecord, TerminalStore

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "examples"
CST = dt.timezone(dt.timedelta(hours=8))
FIXED = dt.datetime(2025, 5, 17, 14, 5, 0, tzinfo=CST)
PIN = bytes(range(32))
MASTER = generate_signing_key(lambda n: b"\x07" * n)
MASTER_KEY = public_key_bytes(MASTER)


def fixed_clock() -> dt.datetime:
    return FIXED


def seeded(seed: int) -> Callable[[int], bytes]:
    return random.Random(seed).randbytes


def livestream(fixtures: Path = FIXTURES) -> Event:
    return load_event(fixtures / "livestream-final" / "event.toml")


def big_event(event: Event, contestants: int) -> Event:
    """`event` with `contestants` generated contestants in running order."""
    orgs = sorted({c.organisation for c in event.contestants})
    people = tuple(
        Contestant(id=f"C{i:03d}", name=f"选手{i:03d}", organisation=orgs[i % len(orgs)],
                   track=event.tracks[0].id, order=i)
        for i in range(1, contestants + 1))
    return dataclasses.replace(event, contestants=people)


def code_for(seat: int = 1, digits: str = "48271956") -> str:
    """A well-formed enrolment code for seat number `seat` (no master issued it)."""
    return EnrolmentCode(seat, digits).encode()


def open_store(home: Path, *, seed: int = 1) -> TerminalStore:
    return TerminalStore.open(home, clock=fixed_clock, rng=seeded(seed))


def enrol(store: TerminalStore, event: Event, judge: str = "J1", *, host: str = "127.0.0.1",
          port: int = 9) -> None:
    """Enrol `store` as if a master with `PIN` and `MASTER_KEY` had answered."""
    store.save_enrolment(pin=PIN, host=host, port=port, master_key=MASTER_KEY, judge=judge,
                         device=store.device_id, snapshot=event_snapshot(event),
                         event_digest=snapshot_digest(event), now=FIXED)


def receipt(store: TerminalStore, record: StoredRecord, ledger: int = 7) -> None:
    enrolment = store.require_enrolment()
    body = Receipt(enrolment.event_id, enrolment.device, record.seq, record.hash, ledger,
                   FIXED.isoformat(timespec="milliseconds")).body()
    store.mark_receipted(sign_body(MASTER, body), now=FIXED)


def marks(event: Event, minus: int = 0) -> dict[str, Decimal]:
    return {c.id: c.max - c.step * (minus + i % 3) for i, c in enumerate(event.criteria)}


def notices(store: TerminalStore, *items: Notice) -> None:
    cursor = max([store.cursor(), *(n.id for n in items)])
    store.save_pull(cursor, list(items), [], None, now=FIXED)


def scenario(store: TerminalStore, event: Event) -> None:
    """Every status once (for judge J2 of the livestream final): L01 synced, L02 review
    requested, L03 submitted and waiting, L04 draft, L05 on stage, L06 locked, L07 recused,
    L08 rejected; the rest to score."""
    at = FIXED
    first = store.submit_sheet("L01", marks(event), now=at)
    receipt(store, first)
    second = store.submit_sheet("L02", marks(event, 2), comment="节奏稍慢", now=at)
    receipt(store, second, 8)
    store.submit_sheet("L03", marks(event, 1), now=at)
    store.save_draft("L04", {"appearance": "9", "expression": "12.5"}, "", now=at)
    rejected = store.submit_sheet("L08", marks(event, 3), now=at)
    store.mark_rejected(rejected.hash, "locked", "the head judge has locked L08: 复核完成",
                        now=at)
    judge = store.require_enrolment().judge
    notices(store,
            Notice(3, "lock", None, {"contestant": "L06", "reason": "复核完成"}),
            Notice(4, "on_stage", None, {"contestant": "L05"}),
            Notice(5, "review_request", judge, {
                "review": 41, "contestant": "L02", "flag": 40, "note": "请核对产品推介分",
                "sheet": second.hash, "rule": "criterion_spread", "criterion": "pitch",
                "difference": "6", "threshold": "4"}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("--judge", default="J2")
    parser.add_argument("--contestants", type=int, default=0)
    parser.add_argument("--empty", action="store_true", help="enrolled, nothing scored")
    args = parser.parse_args()
    event = livestream()
    if args.contestants:
        event = big_event(event, args.contestants)
    with open_store(args.home) as store:
        enrol(store, event, args.judge)
        if not args.empty and not args.contestants:
            scenario(store, event)
    print(f"enrolled {args.home} as {args.judge}; code for a fresh J1: {code_for()}")


if __name__ == "__main__":
    main()
