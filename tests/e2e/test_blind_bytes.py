"""A blind final over real TLS: every byte a judge's terminal receives, after decryption, is
captured while it enrols, pushes sheets, gets notices (pulled and poked over the live
channel) and pulls; none of it names a contestant, a member, an organisation or an
instructor, nor a judge's affiliation, until the head judge reveals identities. After
`reveal-identities` they all arrive (so the capture does see what crosses)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import ssl
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from head_judge.actions import HeadJudge
from head_judge.blind import blind_event, seeded_draw
from head_judge.blind_actions import make_draw, reveal_identities
from sync.client import SyncClient
from sync.event import Event
from sync.event_file import load_event
from sync.snapshot import event_snapshot
from sync.store import StoreError, TerminalStore
from tests.e2e.test_sync_e2e import wait_for
from tests.masters import now, start_master

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


class Capture:
    """Every plaintext byte the client side of a TLS connection reads in this process (the
    master runs in the same process: its own reads are server-side and left out)."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def take(self) -> bytes:
        return b"".join(self.chunks)


@pytest.fixture
def capture(monkeypatch: pytest.MonkeyPatch) -> Iterator[Capture]:
    seen = Capture()
    original = ssl.SSLObject.read

    def read(self: ssl.SSLObject, size: int = 1024, buffer: Any = None) -> Any:
        got = original(self, size, buffer)
        if not self.server_side:
            seen.chunks.append(bytes(buffer[:got]) if buffer is not None else bytes(got))
        return got

    monkeypatch.setattr(ssl.SSLObject, "read", read)
    yield seen


def secrets(event: Event) -> set[str]:
    """Who the contestants are and where the judges come from: each name, member (each one
    of a team too), organisation and instructor, each judge's affiliation; less any that is
    also part of what a judge may see (J3's affiliation `Independent` is in the track name
    `Independent site`)."""
    found: set[str] = set()
    for c in event.contestants:
        found |= {c.name, c.members, c.organisation, c.instructor}
        found |= set(c.members.split("、"))
    found |= {j.affiliation for j in event.judges}
    hidden = blind_event(event, seeded_draw("", [c.id for c in event.contestants]), "J1")
    public = json.dumps(event_snapshot(hidden), ensure_ascii=False)
    return {s.strip() for s in found if s.strip() and s.strip() not in public}


def forms(secret: str) -> list[bytes]:
    """How a text can cross: UTF-8, or escaped in JSON (`\\u6d77`, either case)."""
    escaped = json.dumps(secret)[1:-1]
    return list(dict.fromkeys([secret.encode("utf-8"), escaped.encode("ascii"),
                               escaped.upper().replace("\\U", "\\u").encode("ascii")]))


def leaked(data: bytes, event: Event) -> list[str]:
    return sorted(s for s in secrets(event) if any(f in data for f in forms(s)))


def values(event: Event, minus: int = 0) -> dict[str, Decimal]:
    return {c.id: c.max - c.step * minus for c in event.criteria}


async def test_nothing_identifies_a_contestant_on_the_wire_until_the_reveal(
        tmp_path: Path, fixtures_dir: Path, capture: Capture) -> None:
    event = dataclasses.replace(load_event(fixtures_dir / "roadshow-final" / "event.toml"),
                                blind=True)
    judge = "J4"  # 青岛大学: recused from that university's teams (and a declared conflict)
    recused = [c.id for c in event.contestants
               if event.is_recused(event.judge(judge), c)]  # type: ignore[arg-type]
    assert recused[0] == "V02" and len(recused) > 1
    assert len(secrets(event)) > 60
    running = await start_master(tmp_path / "master", event)
    head = HeadJudge(running.master)
    try:
        with TerminalStore.open(tmp_path / "judge") as store:
            client = SyncClient(store)
            await client.enrol(running.code(judge), "127.0.0.1", running.port)
            assert store.event().contestants == ()  # no draw yet: nobody to score

            make_draw(head, seed="2025-09-20 公证处 8841")
            await client.pull_once()
            seen = store.event()
            draw = dict(running.master.ledger.conn.execute("SELECT contestant, draw FROM draws"))
            assert {c.id: c.name for c in seen.contestants} == draw
            assert not client.state.event_changed  # the view it holds is the one it should
            me = seen.judge(judge)
            assert me is not None
            assert [c.id for c in seen.contestants if seen.is_recused(me, c)] == recused
            with pytest.raises(StoreError, match="recused"):
                store.submit_sheet("V02", values(event), now=now())

            scored = [c.id for c in event.contestants if c.id not in recused][:4]
            for cid in scored:
                store.submit_sheet(cid, values(event), now=now())
            summary = await client.push_once()
            assert (summary.accepted, summary.rejected) == (4, 0)
            head.request_review(judge, "请复核", contestant=scored[0])
            head.lock(scored[1], reason="checked", force=True)

            stop = asyncio.Event()  # the live channel: pokes, and the pulls they bring
            arrived: list[str] = []
            live = SyncClient(store, on_notice=lambda n: arrived.append(n.kind))
            task = asyncio.create_task(live.run(stop))
            try:
                await wait_for(lambda: bool(running.server.live.get(judge)))
                head.announce_on_stage(scored[2])
                await wait_for(lambda: "on_stage" in arrived)
                store.submit_sheet(scored[0], values(event, 1), reason="复核后修改", now=now())
                live.wake()
                await wait_for(lambda: store.outbox_size() == 0)
            finally:
                stop.set()
                await task
                await live.close()
            await client.pull_once()

            before = capture.take()
            assert len(before) > 20_000 and b"V01" in before  # it did see the final
            assert leaked(before, event) == []

            reveal_identities(head, "评分与复核已全部完成")
            await client.pull_once()
            await client.close()
            after = capture.take()[len(before):]
            assert leaked(after, event) == sorted(secrets(event))
            assert store.event().contestant("V01") == event.contestant("V01")
            assert not client.state.event_changed
    finally:
        await running.stop()
