"""Tabulate a generated final of 2,000 contestants x 9 judges; compare with merely parsing
the same sheets CSV, measured in the same run.

    .venv/bin/python -m bench.tabulate [--contestants 2000] [--judges 9] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import tempfile
import time
from pathlib import Path

from bench import old_laptop
from bench.generated import CRITERIA, contestant_id, write_event
from head_judge.paper import read_component, read_sheets
from head_judge.scoring import tabulate
from sync.event_file import load_event

SCORING = """[scoring]
aggregate = "trimmed_mean"
[[scoring.components]]
id = "quality"
name = { zh = "质量", en = "Quality" }
source = "panel"
max = 100
weight = 0.30
[[scoring.components]]
id = "data"
name = { zh = "数据", en = "Data" }
source = "import"
max = 100
weight = 0.70
[scoring.tiebreak]
order = ["component:data", "criterion:integrity"]"""

AWARDS = """[awards]
basis = "percent"
[[awards.tiers]]
id = "first"
name = { zh = "一等奖", en = "First" }
percent = 10
[[awards.tiers]]
id = "second"
name = { zh = "二等奖", en = "Second" }
percent = 20
[[awards.tiers]]
id = "merit"
name = { zh = "优秀奖", en = "Merit" }
rest = true
[advancement]
top = 20
per_organisation_cap = 3"""


def generate(folder: Path, contestants: int, judges: int, seed: int = 7) -> None:
    write_event(folder, event_id="bench", judges=judges, contestants=contestants,
                scoring=SCORING, extra=AWARDS, seed=seed)
    rng = random.Random(seed)
    with open(folder / "sheets.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["judge", "contestant"] + [c for c, _ in CRITERIA])
        for i in range(1, contestants + 1):
            for j in range(1, judges + 1):
                w.writerow([f"J{j}", contestant_id(i)] +
                           [rng.randrange(2 * m + 1) / 2 for _, m in CRITERIA])
    with open(folder / "data.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["contestant", "value"])
        for i in range(1, contestants + 1):
            w.writerow([contestant_id(i), f"{rng.randrange(10001) / 100:.2f}"])


def best_of(repeat: int, fn: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contestants", type=int, default=2000)
    parser.add_argument("--judges", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=3)
    old_laptop.add_argument(parser, "this process (the head judge's laptop)")
    args = parser.parse_args()
    laptop = old_laptop.open_or_exit(args.old_laptop)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.contestants, args.judges)
        if laptop is not None:
            laptop.confine(os.getpid())

        def parse_only() -> None:
            with open(folder / "sheets.csv", newline="", encoding="utf-8") as f:
                for _ in csv.reader(f):
                    pass

        def full() -> None:
            event = load_event(folder / "event.toml")
            sheets = read_sheets(event, folder / "sheets.csv")
            data = read_component(event, "data", folder / "data.csv")
            tabulate(event, sheets, {"data": data})

        try:
            baseline = best_of(args.repeat, parse_only)
            tabulated = best_of(args.repeat, full)
        finally:
            if laptop is not None:
                laptop.__exit__(None, None, None)
    rows = args.contestants * args.judges
    print(f"final: {args.contestants} contestants x {args.judges} judges = {rows} sheets")
    print(f"baseline  csv.reader over sheets.csv : {baseline * 1000:8.1f} ms")
    print(f"tabulate  load+validate+score+rank   : {tabulated * 1000:8.1f} ms")
    print(f"ratio tabulate / parse               : {tabulated / baseline:8.1f}x")
    print(f"{old_laptop.key('parse_ms', laptop)}: {baseline * 1000:.1f}")
    print(f"{old_laptop.key('tabulate_s', laptop)}: {tabulated:.3f} (no target)")
    print(f"{old_laptop.key('tabulate_over_parse', laptop)}: {tabulated / baseline:.1f}x")


if __name__ == "__main__":
    main()
