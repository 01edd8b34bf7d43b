"""Generate docs/reliability.md and docs/performance.md from a real run.

Runs the chaos suite (tests/chaos, short versions; `--long` for the long ones) with pytest and
collects each test's results file (tests/chaos/common.py: figures, mode, outcome, duration,
command), falling back to the `FIGURE <scenario>: name=value ...` lines on stdout; runs each
bench in bench/ and keeps its output verbatim. The long versions take long, so they are not
rerun here: the latest recorded long run of each scenario (`make chaos`, or one scenario with
`CHAOS_LONG=1 .venv/bin/pytest -s -v tests/chaos/test_sNN_....py`, both of which write
build/chaos-results/<scenario>.long.json) is reported next to the short run, with its own date,
commit, duration and command. Both documents say when, on what machine (cores from
os.cpu_count, memory from /proc/meminfo) and with which exact command.

    .venv/bin/python tools/report.py [--long] [--skip-bench] [--skip-chaos]
        [--out DIR] [--results DIR] [--tests PATH ...]

`--out` writes the two documents elsewhere (e.g. a temporary directory); `--tests` runs only
some scenarios (the others are reported as not run). These two documents are generated: never
edit them by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
RESULTS = REPO / "build" / "chaos-results"  # tests/chaos/common.py DEFAULT_RESULTS
FIGURE = re.compile(r"FIGURE (\S+): (.*)$")
OUTCOME = re.compile(r"^(PASSED|FAILED|SKIPPED|XFAIL|XPASS|ERROR)(?: \[\d+\])? "
                     r"(tests/chaos/[^:\s]+\.py)(.*)$")
sys.path.insert(0, str(REPO))
from bench.old_laptop import BENCHES, OldLaptop, Unavailable  # noqa: E402

BENCH_TIMEOUT = 900

SCENARIOS = {
    "s01_terminal_kill": "1. `kill -9` of a judge terminal at a random moment during 1,000 "
    "submissions, repeated (short 3 trials, long 20); then drained to a real master over TLS. "
    "Criterion: sheets reported saved and lost = 0, duplicates = 0, integrity_check ok.",
    "s02_master_kill": "2. `kill -9` of a real `head-judge serve` process while simulated "
    "judge processes (one per seat of a generated final, 18 contestants each) push; restarted "
    "on the same port (short 2 trials x 3 terminals, long 20 x 10). Criterion: receipted "
    "sheets lost = 0, duplicates = 0, audit OK after the restart.",
    "s03_partition": "3. Hosts in network namespaces (198.18.0.0/24): the master and terminal "
    "hosts (short 2, long 5); the terminals' links are cut (short 3 s, long 30 s) while the "
    "judges keep scoring, then healed. Criterion: lost = 0, duplicates = 0; figure: time to "
    "converge after the heal.",
    "s04_ack_lost": "4. The acknowledgement is lost after the commit: tools/faultproxy.py "
    "forwards the push, swallows the answer and cuts the connection. Criterion: the retry is "
    "a duplicate; exactly one ledger entry.",
    "s05_rogue_master": "5. A rogue master with its own key: in process, at the address a "
    "spoofed advertisement would give, and the enrolled master's address answering with a "
    "changed key; and on a LAN of network namespaces, advertised over mDNS with the real "
    "master's service name and TXT: while the terminal enrols (two heard: none tried, both "
    "listed with their master fingerprints) and, enrolled, loses its head judge and looks for "
    "it by mDNS (mdns); answering the right code with its own SPAKE2 (spake); relaying the "
    "enrolment to the real master over its own TLS connection (relay). Criterion: the enrolled "
    "terminal sends the rogue no application byte; the mismatch reported; the changed key "
    "refused, rows written = 0; the sheets delivered to the real master once it is back at "
    "another address; the rogue that does not know the code gets no enrolment and no sheet; "
    "the relay fails key confirmation (the real master counts a wrong try, enrols no device).",
    "s06_fuzz": "6. Malformed, oversized, truncated, wrong-type and deeply nested requests on "
    "every endpoint and the live channel of a real master process (short 2,000, long 100,000), "
    "plus malformed mDNS packets to its zeroconf listener. Criterion: crashes = 0, 5xx = 0, "
    "rows written = 0, a real judge's push during the run accepted.",
    "s07_replays": "7. Captured pushes replayed to the same and another final, equivocation, "
    "forged signatures, a revoked device. Criterion: rows written = 0, equivocation alarm "
    "recorded.",
    "s08_bruteforce": "8. Online guessing of an enrolment code through the real server's "
    "SPAKE2 exchange (start, finish with a wrong key confirmation). Criterion: the seat locks "
    "after 10 wrong confirmations; 8 random digits and one guess per exchange, so a lucky "
    "guess has probability at most 10/10^8 = 1e-07.",
    "s09_tamper": "9. Random edits of the master's SQLite file (short 200, long 1,000). "
    "Criterion: detected = 100%.",
    "s10_clock_skew": "10. A terminal's clock at +2 h, -2 h and jumping between them. "
    "Criterion: the master's sheets and results identical to an unskewed run; the offset "
    "shown to the terminal and the head judge.",
    "s11_load": "11. Load on a real master process serving a generated final of 60 judges x "
    "200 contestants: one terminal per seat scoring in stage order and revising a third of "
    "its sheets, every 2 s (10x real speed), each pushed at once (short 12 s; long 10 "
    "minutes). Figures: p50/p99 submit-to-receipt, master CPU and memory over time; "
    "criterion: no sheet lost or duplicated, the master's memory (median over the last tenth "
    "of the run against the median over 20-30% of it) growing by no more than twice the data "
    "written meanwhile plus 32 MiB.",
}


@dataclass
class Result:
    """One scenario's outcome and figures in one mode (a results file, or stdout)."""

    scenario: str
    mode: str
    outcome: str = "not run"
    figures: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    duration_s: float | None = None
    started: str = ""
    command: str = ""
    commit: str = ""
    machine: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path) -> Result | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(scenario=str(data["scenario"]), mode=str(data["mode"]),
                       outcome=str(data.get("outcome", "unknown")),
                       figures={str(k): str(v) for k, v in data.get("figures", {}).items()},
                       reason=str(data.get("reason", "")),
                       duration_s=data.get("duration_s"), started=str(data.get("started", "")),
                       command=str(data.get("command", "")), commit=str(data.get("commit", "")),
                       machine=str(data.get("machine", "")),
                       details=dict(data.get("details") or {}))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def shown_figures(self) -> str:
        if self.figures:
            return " ".join(f"{k}={v}" for k, v in self.figures.items()).replace("|", "/")
        return self.reason.replace("|", "/") or "no figure printed"


@dataclass
class ChaosRun:
    long: bool
    command: str
    seconds: float
    exit_code: int
    results: dict[str, Result]


def machine() -> str:
    sys.path.insert(0, str(REPO))
    from tests.chaos.common import machine as chaos_machine

    return chaos_machine()


def load_results(folder: Path, mode: str) -> dict[str, Result]:
    """The results files of `mode` in `folder`, by scenario."""
    found: dict[str, Result] = {}
    for path in sorted(folder.glob(f"*.{mode}.json")) if folder.is_dir() else []:
        result = Result.from_file(path)
        if result is not None and result.mode == mode:
            found[result.scenario] = result
    return found


def run_chaos(long: bool, tests: list[str], results_dir: Path) -> ChaosRun:
    """Run the suite (or `tests`) with each test's results file written to `results_dir`."""
    argv = [sys.executable, "-m", "pytest", "-s", "-rA", "-p", "no:cacheprovider",
            "-o", "addopts=", "-v", *tests]
    env = dict(os.environ, CHAOS_LONG="1" if long else "0", CHAOS_RESULTS=str(results_dir))
    start = time.monotonic()
    done = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=6 * 3600 if long else 1800, check=False)
    seconds = time.monotonic() - start
    mode = "long" if long else "short"
    results = load_results(results_dir, mode)
    # without results files (an old conftest, a crash), fall back to what pytest printed
    for line in done.stdout.splitlines():
        if (m := FIGURE.search(line.strip())) and m.group(1) not in results:
            pairs = dict(p.split("=", 1) for p in m.group(2).split() if "=" in p)
            pairs.pop("mode", None)
            results[m.group(1)] = Result(m.group(1), mode, "passed?", pairs)
        if m := OUTCOME.match(line.strip()):
            scenario = Path(m.group(2)).stem.removeprefix("test_")
            if not of_scenario(scenario, results):
                results[scenario] = Result(scenario, mode, m.group(1).lower(),
                                           reason=m.group(3).strip())
    shown = " ".join(shlex.quote(t) for t in tests)
    command = ("CHAOS_LONG=1 " if long else "") + f".venv/bin/pytest -s -v {shown}"
    return ChaosRun(long, command, seconds, done.returncode, results)


def of_scenario(key: str, results: dict[str, Result]) -> list[Result]:
    """The results of scenario `key` (s05_rogue_master: also s05_rogue_master_mdns...)."""
    number = key.split("_", 1)[0] + "_"
    return [r for k, r in sorted(results.items()) if k.startswith(number)]


def named(key: str, result: Result, text: str) -> str:
    """`text`, after the part of the result's name that the scenario's lacks (`mdns: `)."""
    extra = result.scenario.removeprefix(key).strip("_")
    return f"{extra}: {text}" if extra else text


def when(result: Result) -> str:
    stamp = result.started.replace("T", " ").replace("+00:00", " UTC")
    return stamp + (f", commit {result.commit}" if result.commit else "")


def reliability(run: ChaosRun | None, long_results: dict[str, Result], results_dir: Path,
                stamp: str, here: str) -> str:
    lines = [
        "# Reliability figures",
        "",
        "Generated by `make report` (tools/report.py) — do not edit by hand.",
        "",
        f"- Date: {stamp}",
        f"- Machine: {here}",
    ]
    if run is not None:
        lines += [f"- {'Long' if run.long else 'Short'} versions run now: `{run.command}` — "
                  f"{run.seconds:.0f} s, pytest exit code {run.exit_code}"]
    if run is None or run.long:
        lines += ["- Short versions: not run"]
    lines += [
        f"- Long versions: `make chaos` (`CHAOS_LONG=1 .venv/bin/pytest -s -v tests/chaos`) "
        f"or one scenario at a time; the latest long run of each, from "
        f"`{results_dir.relative_to(REPO) if results_dir.is_relative_to(REPO) else results_dir}`"
        f", with its own date and command below",
        "",
        "| Scenario | Short (this run) | Long (latest recorded) |",
        "|---|---|---|",
    ]
    short = run.results if run is not None and not run.long else {}
    for key in SCENARIOS:
        short_found = of_scenario(key, short)
        long_found = of_scenario(key, long_results)
        lines.append(f"| {key} | "
                     + ("; ".join(named(key, r, r.outcome) for r in short_found) or "not run")
                     + " | " + ("; ".join(named(key, r, f"{r.outcome}, {r.started[:10]}")
                                          for r in long_found) or "not recorded") + " |")
    lines += ["", "## Scenarios", ""]
    for key, text in SCENARIOS.items():
        lines += [f"### {key}", "", text, "",
                  "| Version | Result | Figures | Time | When | Command |",
                  "|---|---|---|---|---|---|"]
        rows = [("short", r) for r in of_scenario(key, short)] + \
            [("long", r) for r in of_scenario(key, long_results)]
        for mode, r in rows:
            took = f"{r.duration_s:.0f} s" if r.duration_s is not None else ""
            lines.append(f"| {mode} ({r.scenario}) | {r.outcome} | {r.shown_figures()} | "
                         f"{took} | {when(r)} | `{r.command}` |")
        if not any(mode == "long" for mode, _r in rows):
            lines.append("| long | not recorded | | | | `CHAOS_LONG=1 .venv/bin/pytest -s -v "
                         f"tests/chaos/test_{key}.py` |")
        elsewhere = {r.machine for _m, r in rows if r.machine and r.machine != here}
        lines += [""] + [f"Run on another machine: {m}." for m in sorted(elsewhere)]
        lines += [""] if elsewhere else []
    return "\n".join(lines).rstrip() + "\n"


def load_section(run: ChaosRun | None, long_results: dict[str, Result]) -> list[str]:
    """Scenario 11's load figures (short from this run, long as recorded) for performance."""
    lines = ["## Load: chaos scenario 11 (tests/chaos/test_s11_load.py)", "",
             SCENARIOS["s11_load"].split(". ", 1)[1], ""]
    short = run.results if run is not None and not run.long else {}
    found = [("short (this run)", r) for r in of_scenario("s11_", short)]
    found += [("long (latest recorded)", r) for r in of_scenario("s11_", long_results)]
    if not found:
        return [*lines, "(not run)", ""]
    names = {"p50_ms": "p50 submit-to-receipt (ms)", "p99_ms": "p99 submit-to-receipt (ms)",
             "max_ms": "slowest submit-to-receipt (ms)",
             "slowest_at_s": "when the three slowest were saved (s into the run)",
             "idle_p50_ms": "baseline: p50 on the idle master (ms)",
             "p50_vs_idle": "p50 against the baseline", "p99_vs_idle": "p99 against the baseline",
             "saves": "sheets saved", "saves_per_s": "sheets per second",
             "master_cpu_s": "master CPU (s)",
             "master_cpu_pct_timeline": "master CPU over time (% of a core, tenths of the run)",
             "master_rss_mib_timeline": "master memory over time (MiB, tenths of the run)",
             "rss_peak_mib": "master memory peak (MiB)",
             "rss_growth_after_warmup_kib": "memory growth after warm-up (KiB)",
             "rss_growth_bound_kib": "allowed growth (KiB)",
             "data_growth_after_warmup_kib": "data written after warm-up (KiB)"}
    lines += ["| Figure | " + " | ".join(label for label, _r in found) + " |",
              "|---|" + "---|" * len(found)]
    for key, label in names.items():
        lines.append(f"| {label} | " + " | ".join(r.figures.get(key, "") for _l, r in found)
                     + " |")
    lines += ["| result, time | " + " | ".join(
        f"{r.outcome}, {r.duration_s or 0:.0f} s" for _l, r in found) + " |", ""]
    lines += [f"- {label}: `{r.command}` ({when(r)})" for label, r in found]
    return [*lines, ""]


def performance(skip: bool, run: ChaosRun | None, long_results: dict[str, Result],
                stamp: str, here: str) -> str:
    lines = ["# Performance figures", "",
             "Generated by `make report` (tools/report.py) — do not edit by hand. Each bench "
             "prints its figures as ratios against a baseline it measures in the same run; "
             "the output is kept verbatim.", "",
             f"- Date: {stamp}", f"- Machine: {here}", ""]
    lines += [f"- The oldest laptop (issue 25): {old_laptop_profile()}. Each bench runs twice, "
              "as usual and with `--old-laptop`, which confines the process under test (the "
              "master, the console or the terminal) to it; its figures are the "
              "`old_laptop_` lines.", ""]
    lines += load_section(run, long_results)
    for module, args in BENCHES:
        lines += [f"## {module.replace('.', '/')}.py {' '.join(args)}".rstrip(), ""]
        for flags in ([], ["--old-laptop"]):
            command = " ".join([".venv/bin/python -m", module, *args, *flags])
            lines += [f"Command: `{command}`", ""]
            if skip:
                lines += ["(not run)", ""]
                continue
            start = time.monotonic()
            try:
                done = subprocess.run([sys.executable, "-m", module, *args, *flags], cwd=REPO,
                                      text=True, capture_output=True, timeout=BENCH_TIMEOUT,
                                      check=False)
                output = done.stdout + (f"\n[stderr]\n{done.stderr}" if done.returncode
                                        else "")
                status = f"exit code {done.returncode}"
            except subprocess.TimeoutExpired:
                output, status = "", f"timed out after {BENCH_TIMEOUT} s"
            lines += [f"{status}, {time.monotonic() - start:.0f} s", "", "```",
                      output.rstrip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def old_laptop_profile() -> str:
    try:
        with OldLaptop() as laptop:
            return laptop.describe()
    except Unavailable as exc:
        return f"unavailable on this machine ({exc}): the `--old-laptop` runs print no figures"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--long", action="store_true",
                        help="run the long chaos versions (hours), recording them in --results")
    parser.add_argument("--skip-bench", action="store_true", help="do not run bench/")
    parser.add_argument("--skip-chaos", action="store_true",
                        help="do not run the chaos suite (recorded long results still shown)")
    parser.add_argument("--out", type=Path, default=DOCS, help="where to write the documents")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="the recorded long results (default build/chaos-results)")
    parser.add_argument("--tests", nargs="+", default=["tests/chaos"],
                        help="run only these test files (default the whole suite)")
    args = parser.parse_args(argv)
    here = machine()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    run = None
    if not args.skip_chaos:
        if args.long:
            run = run_chaos(True, args.tests, args.results)
        else:
            with tempfile.TemporaryDirectory(prefix="chaos-short-") as tmp:
                run = run_chaos(False, args.tests, Path(tmp))
    long_results = load_results(args.results, "long")  # with those just run, if --long
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "reliability.md").write_text(
        reliability(run, long_results, args.results.resolve(), stamp, here), encoding="utf-8")
    (args.out / "performance.md").write_text(
        performance(args.skip_bench, run, long_results, stamp, here), encoding="utf-8")
    print(f"wrote {args.out / 'reliability.md'} and {args.out / 'performance.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
