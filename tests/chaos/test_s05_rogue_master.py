"""Scenario 5: a rogue master on the LAN, with its own key.

In process (`s05_rogue_master`): a rogue at the address a terminal would be sent to by a
spoofed advertisement, and the enrolled master's address answering with a changed key. The
terminal completes no request: application bytes the rogue receives = 0, and the changed key
is refused (PinMismatch) with nothing written on either side.

On a LAN of network namespaces (`s05_rogue_master_mdns`, real processes): the rogue
(tests/chaos/rogue.py) advertises over mDNS the real master's service name and TXT with the
real code (sync.discovery `advertise`). A terminal enrols by mDNS alone, saves sheets, and
then its head judge's laptop leaves; the `judge-terminal sync` process finds only the rogue by
mDNS, reports the mismatch and sends it nothing; when the head judge's laptop comes back at
another address, the terminal finds it by mDNS and delivers every sheet there. Skipped, with
the reason, where namespaces cannot be made.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sync.client import PinMismatch, SyncClient
from sync.event import Event
from sync.identity import ensure_master_identity
from sync.store import TerminalStore
from tests.e2e import netns
from tests.e2e.test_netns_sync import VALUES, judge_terminal, sheets_on_master
from tests.e2e.test_sync_e2e import sheet
from tests.masters import now, start_master
from tests.sync.test_client_pin import NOW, RecordingTLSServer
from tests.sync.test_store import enrol_store

from . import common
from .common import REPO, figure, issue_code, stop, wait_until

WHY = netns.unavailable()

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


@pytest.mark.skipif(WHY is not None, reason=f"network namespaces: {WHY}")
def test_a_rogue_advertised_by_mdns_gets_zero_sheet_bytes(tmp_path: Path, event: Event,
                                                           event_path: Path) -> None:
    sheets = ("L01", "L02", "L03")
    home, judge = tmp_path / "master", tmp_path / "judge"
    counts = tmp_path / "rogue-counts.json"
    with netns.Lan() as lan:
        master_host, judge_host, rogue_host, moved_host = (lan.add_host() for _ in range(4))
        log = tmp_path / "master.log"
        master = common.start_master(home, event_path, 8765, log, host=master_host.address,
                                     prefix=master_host.cmd([]), mdns=True)
        rogue: subprocess.Popen[bytes] | None = None
        syncing: subprocess.Popen[bytes] | None = None
        try:
            wait_until(lambda: "advertised on the LAN as" in log.read_text(errors="replace"),
                       20, "the master's mDNS advertisement")
            advertised = re.search(r"advertised on the LAN as '(.*) @[^ ']*'",
                                   log.read_text(errors="replace"))
            assert advertised, log.read_text(errors="replace")
            name = advertised.group(1)  # the real master's name, before its address
            rogue = subprocess.Popen(rogue_host.cmd([
                sys.executable, "-m", "tests.chaos.rogue", "--home", str(tmp_path / "rogue"),
                "--event-id", event.id, "--name", name, "--host", rogue_host.address,
                "--port", "8765", "--counts", str(counts)]), cwd=REPO,
                stdout=(tmp_path / "rogue.log").open("ab"), stderr=subprocess.STDOUT)
            wait_until(counts.exists, 30, "the rogue to listen and advertise")

            # the terminal hears both, with the same service name and TXT
            listed = subprocess.run(judge_host.cmd(judge_terminal("browse")), cwd=REPO,
                                    capture_output=True, text=True, timeout=60, check=False)
            heard = {line.split()[0]: line.split(None, 1)[1]
                     for line in listed.stdout.splitlines() if line.strip()}
            real_txt = heard.get(f"{master_host.address}:8765", "").split(f" {name} @")[0]
            rogue_txt = heard.get(f"{rogue_host.address}:8765", "").split(f" {name} @")[0]
            assert real_txt and real_txt == rogue_txt, listed.stdout + listed.stderr

            # enrolment by mDNS alone, the rogue advertising all along
            enrolled = subprocess.run(judge_host.cmd(judge_terminal(
                "--home", judge, "enrol", issue_code(home, "J1"))),
                capture_output=True, text=True, timeout=60, check=False)
            assert enrolled.returncode == 0, enrolled.stdout + enrolled.stderr
            assert f"head judge at {master_host.address}:8765" in enrolled.stdout
            for contestant in sheets:
                args = [a for v in [*VALUES, "integrity=12"] for a in ("--value", v)]
                subprocess.run(judge_terminal("--home", judge, "submit", contestant, *args),
                               capture_output=True, check=True, timeout=60)

            # the head judge's laptop leaves; only the rogue answers to the name now
            stop(master)
            left = time.monotonic()
            out = tmp_path / "sync.out"
            syncing = subprocess.Popen(judge_host.cmd(judge_terminal("--home", judge, "sync")),
                                       stdout=out.open("ab"), stderr=subprocess.STDOUT)
            mismatch = f"{rogue_host.address}:8765: this is not the head judge you enrolled with"
            wait_until(lambda: mismatch in out.read_text(errors="replace"), 60,
                       "the terminal to report the rogue's mismatch")
            reported_after = time.monotonic() - left
            assert sheets_on_master(home) == []

            # back at another address: found by mDNS, every sheet delivered there
            master = common.start_master(home, event_path, 8765, log,
                                         host=moved_host.address, prefix=moved_host.cmd([]),
                                         mdns=True)
            back = time.monotonic()
            wait_until(lambda: len(sheets_on_master(home)) == len(sheets), 90,
                       "the sheets at the head judge's new address")
            found_after = time.monotonic() - back
            # the master has them; the terminal has their receipts once it has stored them
            wait_until(lambda: "waiting to be sent 0" in terminal_status(judge), 60,
                       "the terminal to store the receipts", step=0.5)
        finally:
            for proc in (syncing, rogue, master):
                if proc is not None:
                    stop(proc)
    received = json.loads(counts.read_text())
    delivered = sheets_on_master(home)
    status = terminal_status(judge)
    figure("s05_rogue_master_mdns", rogue_advertised_same_name_and_txt=True,
           rogue_connections=received["accepted"], rogue_handshakes=received["handshakes"],
           rogue_bytes_received=received["bytes_received"],
           mismatch_reported_s=f"{reported_after:.1f}",
           found_moved_master_s=f"{found_after:.1f}",
           sheets_delivered=len(delivered), duplicates=len(delivered) - len(set(delivered)))
    assert received["handshakes"] >= 1 and received["bytes_received"] == 0
    assert sorted(c for _j, c, _r in delivered) == list(sheets)
    assert f"head judge {moved_host.address}:8765" in status and "waiting to be sent 0" in status


def terminal_status(judge: Path) -> str:
    return subprocess.run(judge_terminal("--home", judge, "status"), capture_output=True,
                          text=True, check=True, timeout=60).stdout
