"""A small final and simulated judges for the console's tests, the tmux look and the bench:
each judge is a real terminal store (`sync.store.TerminalStore`, in a folder of its own) and
a real sync client (`sync.client.SyncClient`) talking to the master over TLS."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sync.client import SyncClient
from sync.event import Event
from sync.store import Notice, StoredRecord, TerminalStore

FAST = {"backoff_initial": 0.05, "backoff_max": 0.3, "offline_after": 1.0,
        "poll_interval": 0.2, "connect_timeout": 2.0, "request_timeout": 10.0}

SMALL_FINAL = """\
schema = 1

[event]
id = "small-final"
name = { zh = "小型决赛", en = "Small final" }
round = { zh = "决赛", en = "Final" }
date = 2025-05-17
venue = { zh = "一号厅", en = "Hall 1" }
organiser = { zh = "主办方", en = "Organiser" }
languages = ["zh", "en"]
notary = true

[[rubric.criteria]]
id = "pitch"
name = { zh = "产品推介", en = "Product pitch" }
max = 60
step = 0.5
[[rubric.criteria]]
id = "defence"
name = { zh = "答辩", en = "Defence" }
max = 40
step = 0.5

[scoring]
aggregate = "mean"
decimals = 2

[[scoring.components]]
id = "panel"
name = { zh = "评委评分", en = "Panel score" }
source = "panel"
max = 100
weight = 0.6
[[scoring.components]]
id = "data"
name = { zh = "平台数据", en = "Platform data" }
source = "import"
max = 100
weight = 0.4

[discrepancy]
criterion_spread = 10
total_spread = 15

[awards]
basis = "count"
[[awards.tiers]]
id = "first"
name = { zh = "一等奖", en = "First prize" }
count = 1
[[awards.tiers]]
id = "merit"
name = { zh = "优秀奖", en = "Merit" }
rest = true

[[tracks]]
id = "main"
name = { zh = "主赛道", en = "Main track" }

[[judges]]
id = "J1"
name = { zh = "周立", en = "Zhou Li" }
affiliation = "商业大学"
[[judges]]
id = "J2"
name = { zh = "林雪", en = "Lin Xue" }
affiliation = "电商协会"
[[judges]]
id = "J3"
name = { zh = "高宇", en = "Gao Yu" }
affiliation = "职业学院"

[[contestants.list]]
id = "C1"
name = "钱华"
organisation = "南岗区"
track = "main"
order = 1
[[contestants.list]]
id = "C2"
name = "武浩"
organisation = "松北区"
track = "main"
order = 2
[[contestants.list]]
id = "C3"
name = "卢兰"
organisation = "职业学院"
track = "main"
order = 3
"""


def write_small_final(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "event.toml"
    path.write_text(SMALL_FINAL, encoding="utf-8")
    return path


def snap(value: float, step: Decimal, top: Decimal) -> Decimal:
    steps = round(Decimal(str(value)) / step)
    return min(max(Decimal(steps) * step, Decimal(0)), top)


def values_for(event: Event, judge: str, contestant: str, *, seed: int = 7,
               off: float = 0.0) -> dict[str, Decimal]:
    """Plausible values, the same every run: a quality per contestant, a judge's leaning,
    a little noise; `off` shifts this judge's values (a fraction of each maximum)."""
    quality = random.Random(f"{seed}:{contestant}").uniform(0.55, 0.9)
    leaning = random.Random(f"{seed}:{judge}").uniform(-0.04, 0.04)
    noise = random.Random(f"{seed}:{judge}:{contestant}")
    return {c.id: snap(float(c.max) * (quality + leaning + off + noise.uniform(-0.03, 0.03)),
                       c.step, c.max)
            for c in event.criteria}


@dataclass
class SimJudge:
    """One judge's laptop: a terminal store and a sync client."""

    judge: str
    store: TerminalStore
    client: SyncClient
    notices: list[Notice] = field(default_factory=list)

    @classmethod
    def open(cls, home: Path, judge: str, clock: Callable[[], dt.datetime] | None = None,
             **options: object) -> SimJudge:
        store = TerminalStore.open(home)
        notices: list[Notice] = []
        client = SyncClient(store, device_name=f"laptop {judge}",
                            on_notice=notices.append, **{**FAST, **options})  # type: ignore[arg-type]
        return cls(judge, store, client, notices)

    async def enrol(self, code: str, port: int, host: str = "127.0.0.1") -> None:
        await self.client.enrol(code, host, port)

    def submit(self, contestant: str, values: dict[str, Decimal], reason: str | None = None,
               now: dt.datetime | None = None) -> StoredRecord:
        return self.store.submit_sheet(contestant, values, reason=reason,
                                       now=now or dt.datetime.now(dt.UTC))

    async def push(self) -> None:
        await self.client.push_once()

    async def pull(self) -> list[Notice]:
        await self.client.pull_once()
        return self.store.notices()

    def review_requests(self) -> list[Notice]:
        return [n for n in self.store.notices() if n.kind == "review_request"]

    async def close(self) -> None:
        await self.client.close()
        self.store.close()
