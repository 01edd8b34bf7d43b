"""Enrolment benchmark: the round trip of a judge terminal's enrolment against a real
`head-judge serve` process over TLS on loopback, with a pinned `GET /v1/hello` on a fresh
connection measured in the same run as the baseline.

    .venv/bin/python -m bench.enrol [--terminals 200] [--judges 50] [--warmup 5] [--dir DIR]
                                    [--laptop-dir DIR]

Setup: a generated final with a panel of `--judges` seats, served by `head-judge serve
--headless --no-mdns` (a process of its own, its home on disk in a temporary folder of
`--dir`). `--terminals` fresh terminals enrol one after another, each with a `TerminalStore`
of its own (a new device key; made before its timing starts, its home in memory as in
bench/sync.py: `--laptop-dir`, /dev/shm where it exists) and a `SyncClient` that opens a new
TLS connection for the enrolment, as a judge's laptop does once per final. Codes come from
`head-judge enrol-codes` (a process of its own, as the head judge runs it, untimed), one for
every seat before each round of `--judges` enrolments: a panel has at most 99 seats, so from
the second round on each enrolment replaces the seat's earlier device (the master revokes
it in the same transaction, as for a spare laptop). `--warmup` more enrolments and hellos come
first, untimed.

Timed: `SyncClient.enrol(code, host, port)` from the call to its return: the typed code
checked, the TLS handshake, the exchange with the master (since the short codes: SPAKE2 in two
requests, `/v1/enrol/start` and `/v1/enrol/finish`, each side's confirmation checked), the
master's ledger commit and the terminal's. Baseline: `SyncClient.hello(host, port, pin)`, a
pinned `GET /v1/hello` on a fresh TLS connection; each enrolment is preceded by one, so both
see the machine in the same state. Also printed: the terminal's own SPAKE2 work for one
enrolment (`sync.pake.TerminalExchange`: its message, the shared key, both confirmations),
timed in this process alone. Nothing is asserted; there is no target (the judge spends some
20 s typing the code).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench import generated, old_laptop
from bench.generated import write_event
from bench.sync import SCORING, machine, percentile
from sync.client import SyncClient
from sync.clock import utc_now
from sync.identity import ensure_master_identity
from sync.store import TerminalStore

REPO = Path(generated.__file__).resolve().parents[1]  # the tree whose code runs
HEAD_JUDGE = [sys.executable, "-c", "from head_judge.cli import main; main()"]


def default_laptop_dir() -> str | None:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def head_judge(home: Path, *args: str | Path) -> list[str]:
    return [*HEAD_JUDGE, "--home", str(home), *map(str, args)]


def environment() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))


@contextlib.contextmanager
def serving(home: Path, event: Path, log: Path,
            laptop: old_laptop.OldLaptop | None = None) -> Iterator[int]:
    """`head-judge serve --headless` on a free loopback port (on the old laptop if given);
    yields the port."""
    with log.open("ab") as out:
        proc = subprocess.Popen(
            head_judge(home, "serve", event, "--headless", "--no-mdns", "--host", "127.0.0.1",
                       "--port", "0"), cwd=REPO, env=environment(), stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=None if laptop is None else lambda: laptop.confine(os.getpid()))
    try:
        deadline = time.monotonic() + 60
        while "listening on" not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the master did not start:\n{log.read_text()}")
            time.sleep(0.05)
        line = next(x for x in log.read_text(errors="replace").splitlines()
                    if "listening on" in x)
        yield int(line.rsplit(":", 1)[1].split()[0].strip("/"))
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(15)


def issue_codes(home: Path) -> list[str]:
    """A fresh code for every seat, in panel order (`enrol-codes`; the code is each line's
    last tab-separated field)."""
    out = subprocess.run(head_judge(home, "enrol-codes"), cwd=REPO, env=environment(),
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return [line.split("\t")[-1].split()[0] for line in out.splitlines()
            if line.startswith("J") and "\t" in line]


def terminal_pake_ms(repeat: int = 20) -> float | None:
    """The terminal's SPAKE2 work for one enrolment (median of `repeat`; the master's half is
    run between the timed parts), None before SPAKE2."""
    try:
        from sync.pake import MasterExchange, TerminalExchange
    except ImportError:
        return None
    password, answer = b"34827195680", {"judge": "J3"}
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        terminal = TerminalExchange(3, password)
        t1 = time.perf_counter()
        master = MasterExchange(3, password, terminal.a)
        t2 = time.perf_counter()
        confirm = terminal.confirm(master.b, bytes(32), bytes(32), "bench")
        t3 = time.perf_counter()
        master.check_terminal(confirm, bytes(32), bytes(32), "bench")
        proof = master.confirm(answer)
        t4 = time.perf_counter()
        terminal.check_master(proof, answer)
        t5 = time.perf_counter()
        times.append(((t1 - t0) + (t3 - t2) + (t5 - t4)) * 1000)
    return percentile(times, 50)


async def enrol_all(args: argparse.Namespace, home: Path, port: int, laptops: Path
                    ) -> tuple[list[float], list[float], int]:
    """(enrol ms, hello ms, problems): the timed ones only."""
    pin = ensure_master_identity(home, now=utc_now()).fingerprint
    enrols: list[float] = []
    hellos: list[float] = []
    problems = 0
    total = args.warmup + args.terminals
    done = 0
    while done < total:
        codes = issue_codes(home)
        for code in codes[: total - done]:
            timed = done >= args.warmup
            store = TerminalStore.open(laptops / f"t{done}")
            try:
                async with SyncClient(store, device_name=f"bench {done}") as client:
                    start = time.perf_counter()
                    await client.hello("127.0.0.1", port, pin)
                    hello = time.perf_counter() - start
                    start = time.perf_counter()
                    try:
                        await client.enrol(code, "127.0.0.1", port)
                    except Exception as exc:  # a bench reports, it does not stop
                        problems += 1
                        print(f"problem: terminal {done}: {exc}", file=sys.stderr)
                    enrol = time.perf_counter() - start
            finally:
                store.close()
                shutil.rmtree(laptops / f"t{done}", ignore_errors=True)
            if timed:
                enrols.append(enrol * 1000)
                hellos.append(hello * 1000)
            done += 1
    return enrols, hellos, problems


def enrolled_devices(home: Path) -> int:
    db = sqlite3.connect(f"file:{home / 'master.db'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT payload FROM ledger WHERE kind = 'device_enrolled'")
        return len({json.loads(p)["device"] for (p,) in rows})
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--terminals", type=int, default=200, help="timed enrolments")
    parser.add_argument("--judges", type=int, default=50,
                        help="seats on the panel (1-99): codes are issued a round at a time")
    parser.add_argument("--warmup", type=int, default=5, help="untimed enrolments first")
    parser.add_argument("--dir", default=None, help="where the master's home goes (default: "
                        "the system's temporary folder)")
    parser.add_argument("--laptop-dir", default=default_laptop_dir(),
                        help="where the terminals' homes go (default /dev/shm where it "
                             "exists, else as --dir)")
    old_laptop.add_argument(parser, "the master's process (`head-judge serve`)")
    args = parser.parse_args()
    if not 1 <= args.judges <= 99 or args.terminals < 1 or args.warmup < 0:
        parser.error("--judges is 1-99, --terminals at least 1, --warmup not negative")
    with tempfile.TemporaryDirectory(prefix="bench-enrol-", dir=args.dir) as tmp, \
            tempfile.TemporaryDirectory(prefix="bench-enrol-laptops-",
                                        dir=args.laptop_dir or args.dir) as laptop_tmp:
        folder, laptops = Path(tmp), Path(laptop_tmp)
        event = write_event(folder, event_id="bench-enrol", judges=args.judges,
                            contestants=20, scoring=SCORING)
        home = folder / "master"
        print(f"machine: {machine()}")
        rounds = -(-(args.warmup + args.terminals) // args.judges)
        print(f"setup: {args.terminals} terminals enrolled one after another ({args.warmup} "
              f"untimed first), each a fresh store, device key and TLS connection, against "
              f"`head-judge serve --headless` on 127.0.0.1 (code from {REPO}); a panel of "
              f"{args.judges} seats, codes issued by `enrol-codes` before each of {rounds} "
              f"rounds (untimed); the master's home in {folder}, the terminals' in {laptops}")
        sys.stdout.flush()
        log = folder / "master.log"
        subprocess.run(head_judge(home, "enrol-codes", "--event", event), cwd=REPO,
                       env=environment(), capture_output=True, check=True, timeout=120)
        laptop = old_laptop.open_or_exit(args.old_laptop)
        try:
            with serving(home, event, log, laptop) as port:
                enrols, hellos, problems = asyncio.run(enrol_all(args, home, port, laptops))
        finally:
            if laptop is not None:
                laptop.__exit__(None, None, None)
        devices = enrolled_devices(home)
    e50, e99 = percentile(enrols, 50), percentile(enrols, 99)
    h50, h99 = percentile(hellos, 50), percentile(hellos, 99)
    key = lambda name: old_laptop.key(name, laptop)  # noqa: E731
    print(f"{key('enrol_p50_ms')}: {e50:.1f}")
    print(f"{key('enrol_p99_ms')}: {e99:.1f}")
    print(f"{key('hello_p50_ms')}: {h50:.1f} (baseline: pinned GET /v1/hello on a fresh "
          "connection, one before each enrolment)")
    print(f"{key('hello_p99_ms')}: {h99:.1f}")
    print(f"{key('enrol_p50_over_hello_p50')}: {e50 / h50:.2f}x (no target)")
    print(f"{key('enrol_p99_over_hello_p99')}: {e99 / h99:.2f}x (no target)")
    pake = terminal_pake_ms()
    if pake is not None:
        print(f"terminal_spake2_ms: {pake:.1f} (the terminal's SPAKE2 work in one enrolment, "
              "p50, in this process alone)")
    print(f"enrolled_devices: {devices} of {args.warmup + args.terminals}"
          + (f"; problems {problems}" if problems else ""))


if __name__ == "__main__":
    main()
