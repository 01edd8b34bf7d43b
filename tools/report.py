"""Generate docs/reliability.md and docs/performance.md from a real run.

Runs the chaos suite (tests/chaos, short versions; `--long` for the long ones) with pytest -s
and collects every `FIGURE <scenario>: name=value ...` line and each test's outcome; runs each
script in bench/ and keeps its output verbatim. Both documents say when, on what machine
(cores from os.cpu_count, memory from /proc/meminfo) and with which exact command.

    .venv/bin/python tools/report.py [--long] [--skip-bench]

These two documents are generated: never edit them by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
FIGURE = re.compile(r"FIGURE (\S+): (.*)$")
OUTCOME = re.compile(r"^(PASSED|FAILED|SKIPPED|XFAIL|XPASS|ERROR)(?: \[\d+\])? "
                     r"(tests/chaos/[^:\s]+\.py)(.*)$")
BENCHES = [  # (script, arguments): small enough to finish in minutes on a laptop
    ("bench/tabulate.py", []),
    ("bench/sync.py", ["--terminals", "10", "--ingest-per-terminal", "50", "--queued", "500"]),
    ("bench/printouts.py", ["--contestants", "30", "--repeat", "1"]),
    ("bench/terminal.py", []),
]
BENCH_TIMEOUT = 900

SCENARIOS = {
    "s01_terminal_kill": "1. `kill -9` of a judge terminal at a random moment during 1,000 "
    "submissions, repeated (short 3 trials, long 20); then drained to a real master over TLS. "
    "Criterion: sheets reported saved and lost = 0, duplicates = 0, integrity_check ok.",
    "s02_master_kill": "2. `kill -9` of a real `head-judge serve` process while simulated "
    "judge processes push; restarted on the same port (short 2 trials x 3 terminals, long "
    "20 x 5, the fixture's whole panel). Criterion: receipted sheets lost = 0, duplicates = 0, "
    "audit OK after the restart.",
    "s03_partition": "3. Hosts in network namespaces (198.18.0.0/24): the master and terminal "
    "hosts (short 2, long 5); the terminals' links are cut (short 3 s, long 30 s) while the "
    "judges keep scoring, then healed. Criterion: lost = 0, duplicates = 0; figure: time to "
    "converge after the heal.",
    "s04_ack_lost": "4. The acknowledgement is lost after the commit: tools/faultproxy.py "
    "forwards the push, swallows the answer and cuts the connection. Criterion: the retry is "
    "a duplicate; exactly one ledger entry.",
    "s05_rogue_master": "5. A rogue master with its own key, and the enrolled master's address "
    "answering with a changed key. Criterion: application bytes received by the rogue = 0; the "
    "changed key is refused, rows written = 0.",
    "s06_fuzz": "6. Malformed, oversized, truncated, wrong-type and deeply nested requests on "
    "every endpoint and the live channel of a real master process (short 2,000, long 100,000), "
    "plus malformed mDNS packets to its zeroconf listener. Criterion: crashes = 0, 5xx = 0, "
    "rows written = 0, a real judge's push during the run accepted.",
    "s07_replays": "7. Captured pushes replayed to the same and another final, equivocation, "
    "forged signatures, a revoked device. Criterion: rows written = 0, equivocation alarm "
    "recorded.",
    "s08_bruteforce": "8. Online guessing of an enrolment code. Criterion: the seat locks "
    "after 10 wrong codes; 80-bit secret, so a lucky guess has probability 10/2^80.",
    "s09_tamper": "9. Random edits of the master's SQLite file (short 200, long 1,000). "
    "Criterion: detected = 100%.",
    "s10_clock_skew": "10. A terminal's clock at +2 h, -2 h and jumping between them. "
    "Criterion: the master's sheets and results identical to an unskewed run; the offset "
    "shown to the terminal and the head judge.",
    "s11_load": "11. Load: terminals submitting and revising against a real master process "
    "(short 10 terminals for 10 s; long 60 terminals x 200 contestants for 10 minutes). "
    "Figures: p50/p99 submit-to-receipt, master CPU and memory; criterion: no sheet lost and "
    "memory growth bounded.",
}


def machine() -> str:
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return (f"{os.cpu_count()} cores, {mem} memory, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def run_chaos(long: bool) -> tuple[str, dict[str, str], dict[str, str], float, int]:
    """(command, figures by scenario, outcome by scenario, seconds, exit code)."""
    argv = [sys.executable, "-m", "pytest", "-s", "-rA", "-p", "no:cacheprovider",
            "-o", "addopts=", "-v", "tests/chaos"]
    env = dict(os.environ, CHAOS_LONG="1" if long else "0")
    start = time.monotonic()
    done = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=6 * 3600 if long else 1800, check=False)
    seconds = time.monotonic() - start
    figures: dict[str, str] = {}
    outcomes: dict[str, str] = {}
    for line in done.stdout.splitlines():
        if m := FIGURE.search(line.strip()):
            figures[m.group(1)] = m.group(2)
        if m := OUTCOME.match(line.strip()):
            scenario = Path(m.group(2)).stem.removeprefix("test_")
            outcomes[scenario] = m.group(1) + (m.group(3) if m.group(1) == "SKIPPED" else "")
    command = ("CHAOS_LONG=1 " if long else "") + "python -m pytest -s -v tests/chaos"
    return command, figures, outcomes, seconds, done.returncode


def outcome_for(key: str, outcomes: dict[str, str]) -> str:
    number = key.split("_", 1)[0]
    found = [v for k, v in outcomes.items() if k.startswith(number + "_")]
    return ", ".join(found) if found else "not run"


def reliability(long: bool) -> str:
    command, figures, outcomes, seconds, code = run_chaos(long)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Reliability figures",
        "",
        "Generated by `make report` (tools/report.py) — do not edit by hand.",
        "",
        f"- Date: {stamp}",
        f"- Machine: {machine()}",
        f"- Command: `{command}` ({'long' if long else 'short'} versions; "
        f"`make chaos` runs the long ones)",
        f"- Suite time: {seconds:.0f} s, pytest exit code {code}",
        "",
        "| Scenario | Result | Figure |",
        "|---|---|---|",
    ]
    for key in SCENARIOS:
        lines.append(f"| {key} | {outcome_for(key, outcomes)} | "
                     f"{figures.get(key, 'no figure printed').replace('|', '/')} |")
    lines += ["", "## What each scenario does", ""]
    lines += [f"- **{key}** — {text}" for key, text in SCENARIOS.items()]
    return "\n".join(lines) + "\n"


def performance(skip: bool) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["# Performance figures", "",
             "Generated by `make report` (tools/report.py) — do not edit by hand. Each bench "
             "prints its figures as ratios against a baseline it measures in the same run; "
             "the output is kept verbatim.", "",
             f"- Date: {stamp}", f"- Machine: {machine()}", ""]
    for script, args in BENCHES:
        command = " ".join(["python -m", script.removesuffix(".py").replace("/", "."), *args])
        lines += [f"## {script}", "", f"Command: `{command}`", ""]
        if skip or not (REPO / script).exists():
            lines += ["(not run)", ""]
            continue
        start = time.monotonic()
        try:
            module = script.removesuffix(".py").replace("/", ".")
            done = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO, text=True,
                                  capture_output=True, timeout=BENCH_TIMEOUT, check=False)
            output = done.stdout + (f"\n[stderr]\n{done.stderr}" if done.returncode else "")
            status = f"exit code {done.returncode}"
        except subprocess.TimeoutExpired:
            output, status = "", f"timed out after {BENCH_TIMEOUT} s"
        lines += [f"{status}, {time.monotonic() - start:.0f} s", "", "```",
                  output.rstrip(), "```", ""]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="the long chaos versions")
    parser.add_argument("--skip-bench", action="store_true")
    args = parser.parse_args()
    DOCS.mkdir(exist_ok=True)
    (DOCS / "reliability.md").write_text(reliability(args.long), encoding="utf-8")
    (DOCS / "performance.md").write_text(performance(args.skip_bench), encoding="utf-8")
    print(f"wrote {DOCS / 'reliability.md'} and {DOCS / 'performance.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
