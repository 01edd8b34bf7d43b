"""From "appeal filed" to "version 2 printed" (issue 27), in the commands the head judge
types, against the way it was done before in the same run.

    .venv/bin/python -m bench.appeal [--contestants 100] [--judges 7] [--tracks 4]
        [--old-laptop]

Setup (untimed): the closing bench's final (`bench.closing.build`, every sheet in through a
real server and terminals, no flag) with `[appeals]` committee of three and a 30-minute
window; closed as `bench.closing` closes it (lock-ready, publish each ranking, print the
whole pack). The home is then copied twice, so both ways start from the same record.

Timed, each a process of the venv's `head-judge` (start-up counted), for the last
contestant of the first ranking, two judges' first criterion lowered half a point:

- now: `appeal file`, `appeal dossier`, three `appeal vote` (the committee's), `appeal
  preview --set … --set …`, `appeal decide ID upheld --set … --set …` (applies the correction
  in the same act), `publish` (its reason: the upheld appeal), `print --outdated --reprint`
  (only the sheets version 2 made out of date);
- before (the nine commands of the issue, two overrides here): `appeal file`, `appeal
  dossier`, `appeal preview`, `appeal decide ID upheld` (as a procedure appeal: today a
  calculation appeal cannot be upheld without its correction), `unlock`, `override` twice,
  `lock`, `publish --reason`, `print --sheet all` (the whole pack again: nothing said which
  sheets were out of date).

Each command must exit 0; version 2 must be published either way with the same ranking.
Printed: commands and seconds of each way and their ratio (`appeal_seconds_over_before`).
"""
# ruff: noqa: E402  (imports follow the sys.path fix below)

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import argparse
import asyncio
import json
import os
import shutil
import tempfile
from decimal import Decimal

from bench import closing, old_laptop
from bench.generated import write_event
from bench.sync import machine
from sync.clock import utc_now
from sync.event import Event
from sync.event_file import load_event

APPEALS = """[appeals]
committee = ["张伟", "李娜", "王磊"]
window_minutes = 30"""
COMMITTEE = ("张伟", "李娜", "王磊")
HALF = Decimal("0.5")


def build(folder: Path, contestants: int, judges: int, tracks: int) -> tuple[Event, Path]:
    """The closing bench's final with a committee, closed, published and printed."""
    event_file = write_event(folder, event_id="bench-appeal", judges=judges,
                             contestants=contestants, scoring=closing.SCORING, extra=APPEALS,
                             tracks=tracks)
    event = load_event(event_file)
    home = folder / "master"
    sent = asyncio.run(closing._send_sheets(home, folder / "judges", event))
    if sent != contestants * judges:
        raise closing.Problem(f"{sent} sheets accepted of {contestants * judges}")
    closing.close_final(event, home, folder / "pack")
    return event, home


def corrections(event: Event, home: Path) -> tuple[str, str, list[tuple[str, str, str]]]:
    """The contestant appealed for (last of the first ranking), its ranking's `--track`, and
    two judges' first criterion lowered half a point (one judge alone would be trimmed)."""
    from head_judge.actions import HeadJudge
    from head_judge.master import Master

    first = min((c.track, c.group) for c in event.contestants)
    contestant = max((c for c in event.contestants if (c.track, c.group) == first),
                     key=lambda c: (c.order, c.id))
    criterion = event.criteria[0].id
    master = Master.open(home, now=utc_now())
    try:
        sheets = {s.judge: s for s in HeadJudge(master).sheets(contestant.id)}
    finally:
        master.close()
    changes = [(j.id, criterion, str(sheets[j.id].values[criterion] - HALF))
               for j in event.judges[:2]]
    return contestant.id, first[0], changes


class Steps:
    """The commands of one way, each timed as `closing.timed` runs it, in order."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.taken: list[tuple[str, float]] = []

    def __call__(self, name: str, *args: str) -> str:
        took, said = closing.timed(self.home, *args)
        self.taken.append((name, took))
        return said


def _sets(changes: list[tuple[str, str, str]]) -> list[str]:
    return [a for j, c, v in changes for a in ("--set", f"{j}:{c}={v}")]


def now_way(home: Path, contestant: str, track: str, changes: list[tuple[str, str, str]],
            out: Path) -> list[tuple[str, float]]:
    step, sets = Steps(home), _sets(changes)
    filed = step("file", "appeal", "file", contestant, "--ground", "分数登记错误 misrecorded",
                 "--filed-by", "教练 coach").split()[1]
    step("dossier", "appeal", "dossier", filed)
    for member in COMMITTEE:
        step("vote", "appeal", "vote", filed, member, "upheld")
    step("preview", "appeal", "preview", filed, *sets)
    step("decide", "appeal", "decide", filed, "upheld", "--reason", "纸质评分表为准", *sets)
    step("publish", "publish", "--track", track)
    step("print", "print", "--outdated", "--reprint", "--out", str(out))
    return step.taken


def before_way(home: Path, contestant: str, track: str,
               changes: list[tuple[str, str, str]], out: Path) -> list[tuple[str, float]]:
    step, sets = Steps(home), _sets(changes)
    filed = step("file", "appeal", "file", contestant, "--ground", "分数登记错误 misrecorded",
                 "--filed-by", "教练 coach", "--category", "procedure").split()[1]
    step("dossier", "appeal", "dossier", filed)
    step("preview", "appeal", "preview", filed, *sets)
    step("decide", "appeal", "decide", filed, "upheld", "--reason", "纸质评分表为准",
         "--committee", COMMITTEE[0])
    step("unlock", "unlock", contestant, "--reason", f"appeal {filed}")
    for judge, criterion, value in changes:
        step("override", "override", judge, contestant, criterion, value, "--reason",
             f"appeal {filed}")
    step("lock", "lock", contestant)
    step("publish", "publish", "--track", track, "--reason", f"appeal {filed}")
    step("print", "print", "--sheet", "all", "--out", str(out))
    return step.taken


def published(home: Path, track: str) -> list[object]:
    _, said = closing.timed(home, "results", "--published", "--track", track, "--json")
    document = json.loads(said)
    return [document["publications"][0]["version"], document["scopes"]]


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
        with tempfile.TemporaryDirectory(prefix="bench-appeal-") as tmp:
            folder = Path(tmp)
            try:
                event, home = build(folder, args.contestants, args.judges, args.tracks)
                contestant, track, changes = corrections(event, home)
                homes = {way: folder / f"home-{way}" for way in ("now", "before")}
                for copy in homes.values():
                    shutil.copytree(home, copy)
                print(f"machine: {machine()}")
                print(f"final: {args.contestants} contestants x {args.judges} judges, "
                      f"published and printed; appeal for {contestant}: "
                      + ", ".join(f"{j} {c} -> {v}" for j, c, v in changes))
                if laptop is not None:
                    laptop.confine(os.getpid())
                try:
                    before = before_way(homes["before"], contestant, track, changes,
                                        folder / "pack-before")
                    now = now_way(homes["now"], contestant, track, changes,
                                  folder / "pack-now")
                finally:
                    if laptop is not None:
                        laptop.release(os.getpid())
                results = {way: published(h, track) for way, h in homes.items()}
                if results["now"] != results["before"] or results["now"][0] != 2:
                    raise closing.Problem("the two ways did not publish the same version 2")
                reprinted = len(list((folder / "pack-now").glob("*.pdf")))
                whole = len(list((folder / "pack-before").glob("*.pdf")))
            except closing.Problem as exc:
                print(f"problem: {exc}")
                return 1
    finally:
        if laptop is not None:
            laptop.__exit__(None, None, None)
    for way, steps in (("before", before), ("now", now)):
        print(f"{way}: " + ", ".join(f"{name} {took:.2f}" for name, took in steps))
    votes = sum(1 for name, _ in now if name == "vote")
    now_s, before_s = sum(t for _, t in now), sum(t for _, t in before)
    print(f"{key('appeal_commands')}: {len(now) - votes} + {votes} committee votes "
          f"(before: {len(before)})")
    print(f"{key('appeal_seconds')}: {now_s:.1f}")
    print(f"{key('appeal_seconds_before')}: {before_s:.1f}")
    print(f"{key('appeal_seconds_over_before')}: {now_s / before_s:.2f}x")
    print(f"sheets_printed: {reprinted} out of date reprinted (before: the whole pack, {whole})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
