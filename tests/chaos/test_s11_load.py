"""Scenario 11: load on a real master process (`head-judge serve`) serving a generated final
(bench/generated.py `write_event` with bench/sync.py's scoring): 60 judges x 200 contestants.

Terminals (in this process, each its own store, device key and TLS client, one per seat) score
the final in stage order and revise some sheets, at 10x real speed: a real judge saves a sheet
about every 20 s, so every 2 s here, and a third of the saves are revisions (with a reason) of
a recent contestant. Each save is pushed at once. Figures: p50/p99 submit-to-receipt (sign,
store, push, receipt stored), also as a ratio to the same measured first, in the same run, on
the idle master (one terminal, 10 sheets); the master's CPU and resident memory over time from
/proc, and the data it holds. Criteria: every receipted sheet is in the ledger, all sheets
arrive exactly once, and the master's memory grows no more than the data itself (see
`memory_bound`).

A standby master (`head-judge standby`, another process) mirrors the master all along; the
figures add its lag (an entry's commit on the master to its arrival on the standby, p50/p99).

Short (CI): all 60 seats for 12 s (about 360 sheets at the full rate of the long version).
Long (`CHAOS_LONG=1`): 60 terminals x 200 contestants for 10 minutes (about 18,000 sheets).
`CHAOS_LOAD_SECONDS` sets another duration (the figures say which).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bench.generated import contestant_id, write_event
from bench.sync import SCORING, sheet_values
from sync.client import SyncClient
from sync.event_file import load_event
from sync.store import TerminalStore
from tests.masters import now

from .common import (
    details,
    figure,
    free_port,
    head_judge,
    held_sheets,
    issue_codes,
    ledger_rows,
    pick,
    start_master,
    stop,
)
from .test_s12_standby_failover import LagWatch, pct

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
TICKS = os.sysconf("SC_CLK_TCK")
JUDGES, CONTESTANTS = 60, 200
INTERVAL = 2.0  # seconds between one judge's saves: 20 s in a real final, at 10x
REVISE = 1 / 3  # share of saves that revise an earlier sheet
WARM_UP = (0.2, 0.3)  # memory's baseline: the median over this stretch of the run
END = (0.9, 1.0)  # and its final level: the median over this one (a passing peak is no growth)
SLICES = 10  # points in the CPU and memory timelines
BASELINE = 10  # sheets saved by one terminal on the idle master first


def proc_sample(pid: int) -> tuple[float, int, int]:
    """(CPU seconds so far, resident KiB, of which anonymous KiB: the heap rather than mapped
    files) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    status = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return cpu, int(status["VmRSS"].split()[0]), int(status["RssAnon"].split()[0])


def data_kib(home: Path) -> int:
    """The master's data on disk: its SQLite database with the write-ahead log."""
    return sum(p.stat().st_size for p in home.glob("master.db*")) // 1024


def memory_bound(data_growth_kib: int) -> int:
    """The largest growth in resident memory allowed, from its level after the warm-up to its
    level at the end of the run (medians over WARM_UP and END), for `data_growth_kib` of data
    written meanwhile: the data twice over (the
    projections in memory are Python objects, larger than their SQLite rows) plus 32 MiB
    for allocator and SQLite page-cache noise. A leak of a few KiB per request exceeds it
    over the long run's ~18,000 requests."""
    return 2 * data_growth_kib + 32 * 1024


def values_for(contestant: int, judge: int, revision: int) -> dict[str, Decimal]:
    """bench/sync.py's realistic values; a revision moves them by a little noise."""
    return sheet_values(contestant, judge + 1000 * revision)


def timeline(samples: list[tuple[float, float, int]], seconds: float
             ) -> tuple[list[float], list[float]]:
    """Per slice of the run: master CPU in % of one core, and resident MiB at its end."""
    cpu_pct, rss_mib = [], []
    width = seconds / SLICES
    for k in range(SLICES):
        inside = [s for s in samples if k * width <= s[0] <= (k + 1) * width + 1e-9]
        if len(inside) < 2:
            continue
        (t0, c0, _), (t1, c1, r1) = inside[0], inside[-1]
        cpu_pct.append(round(100 * (c1 - c0) / max(t1 - t0, 1e-9), 1))
        rss_mib.append(round(r1 / 1024, 1))
    return cpu_pct, rss_mib


async def test_load_submit_to_receipt(tmp_path: Path) -> None:
    terminals = JUDGES
    seconds = float(os.environ.get("CHAOS_LOAD_SECONDS") or pick(12, 600))
    sample_every = float(pick(0.5, 2.0))
    event_path = write_event(tmp_path, event_id="chaos-load", judges=JUDGES,
                             contestants=CONTESTANTS, scoring=SCORING)
    event = load_event(event_path)
    home, port = tmp_path / "master", free_port()
    master = start_master(home, event_path, port, tmp_path / "master.log")
    # a standby mirrors the master all along (issue 26): its lag under this load
    spare = tmp_path / "spare"
    standby_code = subprocess.run(head_judge("--home", home, "enrol-codes", "--standby"),
                                  capture_output=True, text=True, check=True
                                  ).stdout.splitlines()[-1].split("\t")[3]
    standby = subprocess.Popen(head_judge("--home", spare, "standby", "--master",
                                          f"127.0.0.1:{port}", "--port", str(free_port()),
                                          "--no-mdns", standby_code),
                               stdout=(tmp_path / "standby.log").open("ab"),
                               stderr=subprocess.STDOUT)
    watch = LagWatch(spare)
    latencies: list[float] = []
    slowest: list[tuple[float, float]] = []  # (latency, seconds into the run)
    idle: list[float] = []  # the baseline's submit-to-receipt
    samples: list[tuple[float, float, int]] = []  # (seconds, master CPU s, master RSS KiB)
    disk: list[tuple[float, int, int]] = []  # (seconds, data KiB, master anonymous KiB)
    saved: list[str] = []
    receipted: set[str] = set()
    revisions = [0]
    try:
        codes = issue_codes(home)
        deadline = time.monotonic() + 30
        while not any(k == "succession" for _s, k, _a, _p in ledger_rows(home)):
            assert time.monotonic() < deadline, "the standby was never named"
            await asyncio.sleep(0.05)
        watch.start()
        stores = [TerminalStore.open(tmp_path / f"t{i}") for i in range(terminals)]
        clients = [SyncClient(store) for store in stores]
        for i, client in enumerate(clients):
            await client.enrol(codes[event.judges[i].id], "127.0.0.1", port)
        # the baseline, in the same run: one terminal saving on an otherwise idle master
        for index in range(1, BASELINE + 1):
            began = time.monotonic()
            record = stores[0].submit_sheet(contestant_id(index), values_for(index, 1, 0),
                                            now=now())
            await clients[0].push_once()
            assert stores[0].receipt(record.hash) is not None
            idle.append(time.monotonic() - began)
            saved.append(record.hash)
            receipted.add(record.hash)
        own_cpu0 = time.process_time()
        start = time.monotonic()
        cpu0, _rss, _anon = proc_sample(master.pid)

        async def sampler() -> None:
            while time.monotonic() - start < seconds + INTERVAL:
                cpu, rss, anon = proc_sample(master.pid)
                at = time.monotonic() - start
                samples.append((at, cpu - cpu0, rss))
                disk.append((at, data_kib(home), anon))
                await asyncio.sleep(sample_every)

        async def terminal(i: int) -> None:
            rng = random.Random(i)
            store, client = stores[i], clients[i]
            judge = i + 1
            scored = BASELINE if i == 0 else 0
            await asyncio.sleep(rng.uniform(0, INTERVAL))
            while time.monotonic() - start < seconds:
                began = time.monotonic()
                if scored and (scored == CONTESTANTS or rng.random() < REVISE):
                    index = rng.randint(max(1, scored - 10), scored)  # a recent one
                    cid = contestant_id(index)
                    current = store.current_sheet(cid)
                    revision = current.revision if current else 0
                    record = store.submit_sheet(cid, values_for(index, judge, revision),
                                                reason="recount", now=now())
                    revisions[0] += 1
                else:
                    scored += 1
                    record = store.submit_sheet(contestant_id(scored),
                                                values_for(scored, judge, 0), now=now())
                saved.append(record.hash)
                await asyncio.wait_for(client.push_once(), 60)
                if store.receipt(record.hash) is not None:
                    latencies.append(time.monotonic() - began)
                    slowest.append((latencies[-1], began - start))
                    receipted.add(record.hash)
                await asyncio.sleep(max(0.0, INTERVAL - (time.monotonic() - began)))

        await asyncio.gather(sampler(), *(terminal(i) for i in range(terminals)))
        own_cpu = time.process_time() - own_cpu0
        for client in clients:  # anything a slow answer left behind
            await asyncio.wait_for(client.drain(), 120)
        outboxes = sum(store.outbox_size() for store in stores)
        for client, store in zip(clients, stores, strict=True):
            await client.close()
            store.close()
        held = held_sheets(home)
        log = (tmp_path / "master.log").read_text(errors="replace")
    finally:
        watch.done.set()
        stop(standby)
        stop(master)
    latencies.sort()
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    idle_p50 = statistics.median(idle)

    def level(stretch: tuple[float, float], column: int, series: list[Any]) -> int:
        inside = [row[column] for row in series
                  if stretch[0] * seconds <= row[0] <= stretch[1] * seconds + INTERVAL]
        return int(statistics.median(inside))

    growth = level(END, 2, samples) - level(WARM_UP, 2, samples)
    heap_growth = level(END, 2, disk) - level(WARM_UP, 2, disk)
    data_growth = level(END, 1, disk) - level(WARM_UP, 1, disk)
    bound = memory_bound(data_growth)
    slowest.sort(reverse=True)
    cpu_pct, rss_mib = timeline(samples, seconds)
    lost = len(receipted - set(held))
    duplicates = len(held) - len(set(held))
    figure("s11_load", judges=JUDGES, contestants=CONTESTANTS, terminals=terminals,
           seconds=round(seconds), saves=len(saved) - BASELINE, revisions=revisions[0],
           saves_per_s=f"{(len(saved) - BASELINE) / seconds:.1f}", receipted=len(latencies),
           p50_ms=f"{p50 * 1000:.1f}", p99_ms=f"{p99 * 1000:.1f}",
           max_ms=f"{(latencies[-1] if latencies else 0) * 1000:.0f}",
           slowest_at_s="/".join(f"{at:.0f}" for _l, at in slowest[:3]),
           idle_p50_ms=f"{idle_p50 * 1000:.1f}", p50_vs_idle=f"{p50 / idle_p50:.2f}x",
           p99_vs_idle=f"{p99 / idle_p50:.2f}x",
           mirror_lag_p50_ms=f"{pct(watch.lags, 50) * 1000:.0f}",
           mirror_lag_p99_ms=f"{pct(watch.lags, 99) * 1000:.0f}",
           mirrored=len(watch.lags),
           master_cpu_s=f"{samples[-1][1]:.1f}",
           master_cpu_pct_timeline="/".join(map(str, cpu_pct)),
           master_rss_mib_timeline="/".join(map(str, rss_mib)),
           rss_peak_mib=f"{max(r for _t, _c, r in samples) / 1024:.1f}",
           rss_growth_after_warmup_kib=growth, rss_growth_bound_kib=bound,
           heap_growth_after_warmup_kib=heap_growth,
           data_kib=disk[-1][1], data_growth_after_warmup_kib=data_growth,
           load_process_cpu_s=f"{own_cpu:.1f}", lost=lost, duplicates=duplicates)
    details("s11_load", latency_ms={"p50": round(p50 * 1000, 1), "p90": round(
        latencies[int(len(latencies) * 0.9)] * 1000, 1), "p99": round(p99 * 1000, 1)},
        slowest=[{"ms": round(ms * 1000, 1), "at_s": round(at, 1)} for ms, at in slowest[:20]],
        samples=[{"t": round(t, 1), "cpu_s": round(c, 2), "rss_kib": r, "anon_kib": a,
                  "data_kib": d} for (t, c, r), (_t, d, a) in zip(samples, disk, strict=True)])
    assert "bug while answering" not in log and "Traceback" not in log
    assert latencies and lost == 0 and duplicates == 0 and outboxes == 0
    assert set(held) == set(saved)  # every save arrived, exactly once
    assert growth <= bound, f"master memory grew {growth} KiB, more than its data allows"
