"""The panel report of a generated final of 300 contestants x 15 judges (every leave-one-out
recomputation), timed against one plain tabulation of the same final in the same run.

    .venv/bin/python -m bench.panel_report [--contestants 300] [--judges 15] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench import old_laptop
from bench.tabulate import best_of, generate
from head_judge.panel import panel_report
from head_judge.paper import read_component, read_sheets
from head_judge.scoring import tabulate
from sync.event_file import load_event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contestants", type=int, default=300)
    parser.add_argument("--judges", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3)
    old_laptop.add_argument(parser, "this process (the head judge's laptop)")
    args = parser.parse_args()
    laptop = old_laptop.open_or_exit(args.old_laptop)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.contestants, args.judges)
        event = load_event(folder / "event.toml")
        sheets = read_sheets(event, folder / "sheets.csv")
        imported = {"data": read_component(event, "data", folder / "data.csv")}
    if laptop is not None:
        laptop.confine(os.getpid())
    try:
        plain = best_of(args.repeat, lambda: tabulate(event, sheets, imported))
        report = panel_report(event, sheets, imported)
        full = best_of(args.repeat, lambda: panel_report(event, sheets, imported))
    finally:
        if laptop is not None:
            laptop.__exit__(None, None, None)
    key = lambda name: old_laptop.key(name, laptop)  # noqa: E731
    print(f"final: {args.contestants} contestants x {args.judges} judges = {len(sheets)} sheets")
    print(f"{key('tabulate_s')}: {plain:.3f}")
    print(f"{key('panel_report_s')}: {full:.3f}")
    print(f"{key('panel_report_over_tabulate')}: {full / plain:.1f}x "
          f"({args.judges} leave-one-out recomputations + 1)")
    print(f"judge_profiles: {len(report.judges)}")
    print(f"fragile_results: {len(report.fragile)}")


if __name__ == "__main__":
    main()
