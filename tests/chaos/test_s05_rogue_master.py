"""Scenario 5: a rogue master with its own key (at the address a terminal would be sent to by
a spoofed advertisement), and the enrolled master's address answering with a changed key.
The terminal completes no request: application bytes the rogue receives = 0, and the changed
key is refused (PinMismatch) with nothing written on either side."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from sync.client import PinMismatch, SyncClient
from sync.event import Event
from sync.identity import ensure_master_identity
from sync.store import TerminalStore
from tests.e2e.test_sync_e2e import now, sheet, start_master
from tests.sync.test_client_pin import NOW, RecordingTLSServer
from tests.sync.test_store import enrol_store

from .common import figure

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


async def test_rogue_master_gets_zero_bytes_and_a_changed_key_is_refused(
    tmp_path: Path, event: Event
) -> None:
    real = ensure_master_identity(tmp_path / "real-id", now=NOW)
    rogue = ensure_master_identity(tmp_path / "rogue-id", now=NOW)
    refused = 0
    async with RecordingTLSServer(rogue) as server:
        with TerminalStore.open(tmp_path / "t") as store:
            enrol_store(store, event, pin=real.fingerprint, port=server.port)
            for cid in ("L01", "L02", "L03"):
                store.submit_sheet(cid, sheet(event), now=now())
            async with SyncClient(store) as client:
                for attempt in (client.push_once, client.pull_once,
                                lambda: client.hello("127.0.0.1", server.port)):
                    with pytest.raises(PinMismatch):
                        await asyncio.wait_for(attempt(), 20)
                    refused += 1
            outbox = store.outbox_size()
    rogue_bytes = len(server.received)

    # the enrolled master's address now answers with another key (a replaced laptop)
    running = await start_master(tmp_path / "master", event)
    port = running.port
    with TerminalStore.open(tmp_path / "judge") as store:
        async with SyncClient(store) as client:
            await client.enrol(running.code(), "127.0.0.1", port)
            await running.stop()
            other = await start_master(tmp_path / "other", event, port)
            try:
                store.submit_sheet("L02", sheet(event), now=now())
                with pytest.raises(PinMismatch):
                    await asyncio.wait_for(client.push_once(), 20)
                changed_key_refused = True
                written = len(other.held())
            finally:
                await other.stop()
    figure("s05_rogue_master", rogue_handshakes=server.handshakes,
           rogue_bytes_received=rogue_bytes, requests_refused=refused,
           changed_key_refused=changed_key_refused, rows_written=written)
    assert server.handshakes >= 3 and rogue_bytes == 0 and refused == 3 and outbox == 3
    assert written == 0
