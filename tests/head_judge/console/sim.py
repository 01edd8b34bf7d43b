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
from tests.events import BASE, DELETE, Mutation, mutate, write_event

FAST = {"backoff_initial": 0.05, "backoff_max": 0.3, "offline_after": 1.0,
        "poll_interval": 0.2, "connect_timeout": 2.0, "request_timeout": 10.0}

SMALL_FINAL: Mutation = {
    # the shared test event (tests/events.py) as three judges score three contestants, with
    # the platform data imported, half points throughout, no tie-break chain and a criterion
    # spread rule; J3 sits out C3, of their own organisation
    ("event", "id"): "small-final",
    ("event", "name"): {"zh": "小型决赛", "en": "Small final"},
    ("event", "notary"): True,
    ("rubric", "criteria", 1, "step"): Decimal("0.5"),
    ("scoring", "components", 1, "id"): "data",
    ("scoring", "components", 1, "name"): {"zh": "平台数据", "en": "Platform data"},
    ("scoring", "tiebreak"): DELETE,
    ("discrepancy", "criterion_spread"): 10,
    ("judges", 2, "affiliation"): "职业学院",
    ("contestants", "list"): [
        {"id": f"C{n}", "name": name, "organisation": organisation, "track": "main", "order": n}
        for n, (name, organisation) in enumerate(
            [("钱华", "南岗区"), ("武浩", "松北区"), ("卢兰", "职业学院")], start=1)],
}


def write_small_final(folder: Path) -> Path:
    return write_event(folder, mutate(BASE, SMALL_FINAL))


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
