"""The closing minute (issue 25): from the last sheet in to a locked, published, printed and
verified final, in the commands the head judge types.

    .venv/bin/python -m bench.closing [--contestants 100] [--judges 7] [--tracks 4]
        [--old-laptop]

Setup (untimed, never confined): a generated final (`bench.generated`, the livestream rubric,
discrepancy rules on, `--contestants` spread over `--tracks` tracks, every judge on every
panel) in a temporary home; the master's server (`MasterServer`, TLS, as `head-judge serve`
runs it) on loopback; one terminal store and sync client per judge (`TerminalStore` +
`SyncClient`, enrolled with the master's one-time codes) that signs a sheet for every
contestant and pushes them all. Within a ranking every contestant's total differs, and every
judge gives a contestant the same total (half a point moved between two criteria, judge by
judge): no flag is raised and no tie waits for a decision, so nothing but the closing is left
to do. The server is then stopped: the last sheet has just arrived.

Timed, each a process of the venv's `head-judge` entry point (its start-up counted, as it is
for the head judge), one after the other:

- `lock_ready`: `head-judge --home H lock-ready` (every contestant locked, one entry);
- `publish`: `head-judge --home H publish --track T` for every ranking that has contestants;
- `print`: `head-judge --home H print --sheet all --out DIR` (the whole pack, one PDF a sheet);
- `audit`: `head-judge --home H audit verify`;
- `verify`: `head-judge --home H verify DIR/*.pdf` (every printed PDF in one command, its
  pages read against the record's print, as the notary's stack of paper is checked).

Each step must exit 0 and say it did it (every contestant locked, every ranking published,
the sheets printed, `OK`, every sheet `MATCHES`); otherwise a `problem:` line and exit 1.
Printed: each step's time and share of the total, the total (target < 60 s on the old-laptop
profile), the sheets printed and the codes verified.

`--old-laptop`: this process is confined to one CPU at half speed right before the timed
steps (the commands it starts inherit it) and released after; key lines carry `old_laptop_`.
"""
# ruff: noqa: E402  (imports follow the sys.path fix below)

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# packages it uses.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import tempfile
import time
from decimal import Decimal

from bench import old_laptop
from bench.generated import write_event
from bench.sync import machine
from sync.client import SyncClient
from sync.clock import utc_now
from sync.event import Event
from sync.event_file import load_event
from sync.store import TerminalStore

TARGET_S = 60.0
"""Issue 25: the closing minute on the venue's oldest laptop."""
HALF = Decimal("0.5")
STEPS = ("lock_ready", "publish", "print", "audit", "verify")

SCORING = """[scoring]
aggregate = "trimmed_mean"
[[scoring.components]]
id = "panel"
name = { zh = "评分", en = "Panel" }
source = "panel"
max = 100
weight = 1
[discrepancy]
criterion_spread = 5
total_spread = 20
outlier = 12
[awards]
basis = "count"
[[awards.tiers]]
id = "first"
name = { zh = "一等奖", en = "First" }
count = 3
[[awards.tiers]]
id = "second"
name = { zh = "二等奖", en = "Second" }
count = 5
[[awards.tiers]]
id = "merit"
name = { zh = "优秀奖", en = "Merit" }
rest = true"""


class Problem(Exception):
    """A step did not do what it should; the message says what."""


# --- the final, untimed -------------------------------------------------------------------------


def values(event: Event, judge_index: int, place: int) -> dict[str, Decimal]:
    """The sheet of the judge (`judge_index`, from 0) for the contestant `place`-th in its
    ranking (from 0): a total of 95 - place/2 points (distinct within the ranking), spread over
    the criteria in proportion, half a point moved from one criterion to another by each judge
    in turn (same total: no flag)."""
    criteria = event.criteria
    total = Decimal(95) - HALF * place
    out = {c.id: min(c.max, (c.max * total / 100 / HALF).to_integral_value() * HALF)
           for c in criteria}
    i = 0
    while (gap := total - sum(out.values())) != 0:  # rounding: bring it back to the total
        c = criteria[i % len(criteria)]
        step = HALF if gap > 0 else -HALF
        if HALF <= out[c.id] + step <= c.max - HALF:
            out[c.id] += step
        i += 1
    up, down = criteria[judge_index % len(criteria)], criteria[(judge_index + 3) % len(criteria)]
    if out[up.id] + HALF <= up.max and out[down.id] - HALF >= 0 and up != down:
        out[up.id] += HALF
        out[down.id] -= HALF
    return out


def places(event: Event) -> dict[str, int]:
    """Each contestant's place in its ranking, by running order."""
    seen: dict[tuple[str, str], int] = {}
    out = {}
    for c in sorted(event.contestants, key=lambda c: (c.order, c.id)):
        scope = (c.track, c.group)
        out[c.id] = seen.get(scope, 0)
        seen[scope] = out[c.id] + 1
    return out


async def _send_sheets(home: Path, judges_dir: Path, event: Event) -> int:
    """Serve the master, enrol a terminal per judge, push every sheet; the sheets accepted."""
    from head_judge.master import Master
    from head_judge.server import MasterServer

    master = Master.open(home, event, now=utc_now())
    server = MasterServer(master, checkpoint_interval=None)
    try:
        port = await server.start("127.0.0.1", 0)
        codes = {i.judge.id: i.code.encode() for i in master.issue_codes(None, now=utc_now())}
        order = places(event)

        async def judge(index: int, judge_id: str) -> int:
            store = TerminalStore.open(judges_dir / judge_id)
            client = SyncClient(store, device_name=f"bench {judge_id}")
            try:
                await client.enrol(codes[judge_id], "127.0.0.1", port)
                for c in sorted(event.contestants, key=lambda c: (c.order, c.id)):
                    store.submit_sheet(c.id, values(event, index, order[c.id]), now=utc_now())
                accepted = 0
                while (summary := await client.push_once()).sent:
                    if summary.rejected or summary.problems:
                        raise Problem(f"{judge_id}'s sheets refused: {summary.problems}")
                    accepted += summary.accepted
                return accepted
            finally:
                await client.close()
                store.close()

        counts = await asyncio.gather(*(judge(i, j.id) for i, j in enumerate(event.judges)))
    finally:
        await server.close()
        master.close()
    return sum(counts)


def build(folder: Path, contestants: int, judges: int, tracks: int) -> tuple[Event, Path]:
    event_file = write_event(folder, event_id="bench-closing", judges=judges,
                             contestants=contestants, scoring=SCORING, tracks=tracks)
    event = load_event(event_file)
    home = folder / "master"
    sent = asyncio.run(_send_sheets(home, folder / "judges", event))
    if sent != contestants * judges:
        raise Problem(f"{sent} sheets accepted of {contestants * judges}")
    return event, home


# --- the closing, timed ---------------------------------------------------------------------------


def head_judge() -> str:
    """The venv's `head-judge` entry point (beside this Python), as the head judge runs it."""
    beside = Path(sys.executable).parent / "head-judge"
    found = str(beside) if beside.exists() else shutil.which("head-judge")
    if found is None:
        raise Problem("no head-judge entry point beside this Python or on PATH")
    return found


def timed(home: Path, *args: str) -> tuple[float, str]:
    """Run `head-judge --home HOME ARGS`; its wall time and standard output. Problem unless it
    exits 0."""
    command = [head_judge(), "--home", str(home), *args]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
        raise Problem(f"`head-judge {' '.join(args[:3])}` exited {done.returncode}: "
                      + " / ".join(said))
    return took, done.stdout


def close_final(event: Event, home: Path, out: Path) -> tuple[dict[str, float], int, int]:
    """Each step's seconds, the sheets printed and the sheets verified as matching."""
    seconds: dict[str, float] = {}
    seconds["lock_ready"], said = timed(home, "lock-ready", "--reason", "bench: closing")
    # the command reads back its entry: `24 contestants locked C1, C2 locked together …`
    locked = re.search(r"^\d+ contestants locked (.+?) locked together", said, re.MULTILINE)
    count = len(locked[1].split(", ")) if locked else 0
    if count != len(event.contestants):
        raise Problem(f"lock-ready locked {count or 'nobody'} of "
                      f"{len(event.contestants)}: {said.strip()[:200]}")
    scopes = sorted({(c.track, c.group) for c in event.contestants})
    seconds["publish"] = 0.0
    for track, group in scopes:
        took, said = timed(home, "publish", "--track", track,
                           *(["--group", group] if group else []))
        seconds["publish"] += took
        if not re.search(r"version \d+ published", said):
            raise Problem(f"publish --track {track} said: {said.strip()[:200]}")
    seconds["print"], said = timed(home, "print", "--sheet", "all", "--out", str(out))
    printed = re.search(r"^printed (\d+) sheet\(s\)", said, re.MULTILINE)
    files = sorted(out.glob("*.pdf"))
    if printed is None or int(printed[1]) != len(files) or not files:
        raise Problem(f"print: {said.strip()[:200]} ({len(files)} PDFs in {out})")
    seconds["audit"], said = timed(home, "audit", "verify")
    if not re.search(r"\bOK\b", said):
        raise Problem(f"audit verify said: {said.strip()[:200]}")
    seconds["verify"], said = timed(home, "verify", *map(str, files))
    matched = sum(1 for line in said.splitlines() if line.startswith("MATCHES"))  # the English line
    if matched != len(files):
        raise Problem(f"verify: {matched} of {len(files)} printed sheets match the record")
    return seconds, len(files), matched


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contestants", type=int, default=100)
    parser.add_argument("--judges", type=int, default=7)
    parser.add_argument("--tracks", type=int, default=4)
    old_laptop.add_argument(parser, "the head judge's commands (this process and its children)")
    args = parser.parse_args()
    laptop = old_laptop.open_or_exit(args.old_laptop)
    key = lambda name: old_laptop.key(name, laptop)  # noqa: E731
    try:
        with tempfile.TemporaryDirectory(prefix="bench-closing-") as tmp:
            folder = Path(tmp)
            try:
                event, home = build(folder, args.contestants, args.judges, args.tracks)
                rankings = len({(c.track, c.group) for c in event.contestants})
                print(f"machine: {machine()}")
                print(f"final: {args.contestants} contestants x {args.judges} judges = "
                      f"{args.contestants * args.judges} sheets in {rankings} ranking(s), "
                      "every sheet in, no flag open")
                if laptop is not None:
                    laptop.confine(os.getpid())
                try:
                    seconds, printed, matched = close_final(event, home, folder / "pack")
                finally:
                    if laptop is not None:
                        laptop.release(os.getpid())
            except Problem as exc:
                print(f"problem: {exc}")
                return 1
    finally:
        if laptop is not None:
            laptop.__exit__(None, None, None)
    total = sum(seconds.values())
    for step in STEPS:
        print(f"{key(f'closing_{step}_s')}: {seconds[step]:.2f} "
              f"({100 * seconds[step] / total:.0f}%)")
    print(f"{key('closing_total_s')}: {total:.1f} (target < {TARGET_S:.0f} s on the old-laptop "
          f"profile) {old_laptop.verdict(total < TARGET_S)}")
    print(f"printed_sheets: {printed}")
    print(f"verified_codes: {matched} of {printed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
