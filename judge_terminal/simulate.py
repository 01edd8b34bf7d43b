"""A simulated judge: one process that does what a judge's laptop does, through the same
store and client, for the demo, the chaos suite and benchmarks.

It finds the head judge by mDNS (or takes --master), enrols with its one-time code, scores
the contestants it is given in running order with a pause between sheets, keeps the outbox
drained, and answers review requests with the revision it was told to make (or confirms
its sheet as is). It runs until SIGTERM, or until everything is sent when --exit-when-done.

    python -m judge_terminal.simulate --home DIR --code CODE --sheets sheets.csv --judge J1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import signal
import sys
from decimal import Decimal
from pathlib import Path

from sync.client import CodeTypo, MasterRefused, MasterUnreachable, SyncClient, SyncError
from sync.clock import utc_now
from sync.discovery import FoundMaster, browse
from sync.records import sheet_from_body
from sync.store import Notice, TerminalStore


def read_sheets(path: Path, judge: str) -> dict[str, dict[str, Decimal]]:
    """This judge's sheets from a `judge,contestant,<criteria...>` CSV."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["contestant"]: {k: Decimal(v) for k, v in row.items()
                                    if k not in ("judge", "contestant")}
                for row in csv.DictReader(f) if row["judge"] == judge}


async def simulate(args: argparse.Namespace) -> int:
    store = TerminalStore.open(args.home)
    sheets = read_sheets(args.sheets, args.judge)
    only = [c for c in args.only.split(",") if c] if args.only else list(sheets)
    revisions = {}
    for spec in args.revise:
        contestant, _, delta = spec.partition("+")
        revisions[contestant] = Decimal(delta or "0")
    answered: set[int] = set()

    def on_notice(notice: Notice) -> None:
        if notice.kind != "review_request" or notice.id in answered:
            return
        answered.add(notice.id)
        contestant = str(notice.payload.get("contestant"))
        current = store.current_sheet(contestant)
        if current is None:
            return
        if contestant in revisions:
            event = store.event()
            assert event is not None
            values = sheet_from_body(current.record.parsed()).values
            raised = {c.id: min(values[c.id] + revisions[contestant], c.max)
                      for c in event.criteria}
            store.submit_sheet(contestant, raised, reason="misread my notes on review",
                               now=utc_now())
            print(f"{args.judge}: revised {contestant} after a review request", flush=True)
        else:
            store.confirm_review(int(notice.payload["review"]), now=utc_now())
            print(f"{args.judge}: confirmed {contestant} as is", flush=True)
        client.wake()

    async def discover_masters() -> list[FoundMaster]:
        return await browse(timeout=args.browse_seconds, interfaces=args.interfaces,
                            event_id=args.event or None)

    client = SyncClient(store, on_notice=on_notice, discover=discover_masters,
                        poll_interval=0.2, backoff_max=1.0, device_name=f"demo {args.judge}")
    deadline = asyncio.get_running_loop().time() + args.enrol_seconds
    while store.enrolment() is None:
        # A judge whose Wi-Fi is down just tries again; a refused code is final.
        if args.master:
            host, _, port = args.master.rpartition(":")
            candidates = [(host, int(port))]
        else:
            candidates = [(f.host, f.port) for f in await discover_masters()]
        try:
            await client.enrol_any(args.code, candidates)
        except (MasterUnreachable, SyncError) as exc:
            final = isinstance(exc, CodeTypo | MasterRefused)
            if final or asyncio.get_running_loop().time() > deadline:
                print(f"{args.judge}: cannot enrol: {exc}", file=sys.stderr, flush=True)
                return 1
            await asyncio.sleep(0.5)
            continue
        print(f"{args.judge}: enrolled", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runner = asyncio.ensure_future(client.run(stop))
    try:
        for contestant in only:
            if stop.is_set():
                break
            if contestant in sheets and store.current_sheet(contestant) is None:
                store.submit_sheet(contestant, sheets[contestant], now=utc_now())
                print(f"{args.judge}: saved {contestant}", flush=True)
                client.wake()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), args.pace)
        print(f"{args.judge}: scored {len(only)}", flush=True)
        while not stop.is_set():
            if args.exit_when_done and store.outbox_size() == 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.2)
    finally:
        stop.set()
        await runner
        await client.close()
        store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A simulated judge's laptop.")
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--code", required=True)
    parser.add_argument("--judge", required=True)
    parser.add_argument("--sheets", type=Path, required=True)
    parser.add_argument("--event", default="", help="only masters advertising this event")
    parser.add_argument("--master", default="", help="HOST:PORT instead of mDNS")
    parser.add_argument("--only", default="", help="comma-separated contestants to score")
    parser.add_argument("--revise", action="append", default=[],
                        help="CONTESTANT+DELTA: on a review request, add DELTA to each value")
    parser.add_argument("--pace", type=float, default=0.05, help="seconds between sheets")
    parser.add_argument("--browse-seconds", type=float, default=1.5)
    parser.add_argument("--interfaces", nargs="*", default=["127.0.0.1"])
    parser.add_argument("--exit-when-done", action="store_true")
    parser.add_argument("--enrol-seconds", type=float, default=60.0,
                        help="keep trying to reach the head judge this long")
    return asyncio.run(simulate(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
