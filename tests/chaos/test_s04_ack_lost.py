"""Scenario 4: the acknowledgement is lost after the commit. A terminal pushes through
tools/faultproxy.py, which forwards the request to the real master and then swallows the
answer and cuts the connection; the master has committed the sheet, the terminal has no
receipt. The terminal's retry is answered `duplicate` with the same receipt: exactly one
ledger entry."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from sync.client import MasterUnreachable, SyncClient
from sync.event import Event
from sync.store import TerminalStore
from tests.e2e.test_sync_e2e import sheet
from tests.masters import now, start_master
from tools.faultproxy import FaultProxy

from .common import figure

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def test_a_lost_acknowledgement_is_retried_as_a_duplicate(tmp_path: Path,
                                                                event: Event) -> None:
    running = await start_master(tmp_path / "master", event)
    proxy = FaultProxy("127.0.0.1", running.port, settle=0.3)
    await proxy.start()
    try:
        with TerminalStore.open(tmp_path / "judge") as store:
            async with SyncClient(store, request_timeout=5, connect_timeout=2) as client:
                await client.enrol(running.code(), "127.0.0.1", proxy.port)
                record = store.submit_sheet("L01", sheet(event), now=now())
                proxy.cut_next_response()
                with pytest.raises(MasterUnreachable):
                    await asyncio.wait_for(client.push_once(), 20)
                committed = running.held().count(record.hash)
                receipt_before = store.receipt(record.hash)
                outbox_before = store.outbox_size()
                summary = await asyncio.wait_for(client.push_once(), 20)
                receipt_after = store.receipt(record.hash)
        entries = running.held().count(record.hash)
    finally:
        await proxy.close()
        await running.stop()
    figure("s04_ack_lost", cuts=proxy.stats.cuts, swallowed_bytes=proxy.stats.swallowed,
           committed_before_retry=committed, retry_status="duplicate" if summary.duplicate
           else "accepted" if summary.accepted else "other", ledger_entries=entries)
    assert proxy.stats.cuts == 1 and proxy.stats.swallowed > 0
    assert committed == 1 and receipt_before is None and outbox_before == 1
    assert (summary.duplicate, summary.accepted, summary.rejected) == (1, 0, 0)
    assert receipt_after is not None
    assert entries == 1
