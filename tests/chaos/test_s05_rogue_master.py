"""Scenario 5: a rogue master on the LAN, with its own key.

In process (`s05_rogue_master`): a rogue at the address a terminal would be sent to by a
spoofed advertisement, and the enrolled master's address answering with a changed key. The
terminal completes no request: application bytes the rogue receives = 0, and the changed key
is refused (PinMismatch) with nothing written on either side.

On a LAN of network namespaces (real processes), the rogue (tests/chaos/rogue.py) advertises
over mDNS the real master's service name and TXT with the real code (sync.discovery
`advertise`):

- `s05_rogue_master_mdns`: a rogue that never answers. The terminal hears two head judges,
  so its enrolment tries neither (each try costs the code a guess) and lists them with their
  master fingerprints; the judge enrols with the one on the card (the rogue gets at most the
  listing's hello), saves sheets, and then its head judge's laptop leaves; the
  `judge-terminal sync` process finds only the rogue by mDNS, reports the mismatch and sends
  it nothing; when the head judge's laptop comes back at another address, the terminal finds
  it by mDNS and delivers every sheet there.
- `s05_rogue_master_spake`: the judge types the right code into a rogue that answers both
  halves of the enrolment with its own SPAKE2 but does not know the code. The enrolment fails
  (NotTheMaster: it could not prove it knows the code), the terminal stores nothing, the rogue
  gets no sheet, and the code still enrols the terminal with the real master afterwards.
- `s05_rogue_master_relay`: a rogue that relays the terminal's start and finish to the real
  master over a TLS connection of its own. The terminal's confirmation covers the rogue's TLS
  key, so the real master counts a wrong try (`enrol_failed`, cause `wrong`), enrols no
  device, and the terminal stores nothing.

Skipped, with the reason, where namespaces cannot be made.
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
from sync.codes import EnrolmentCode
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
from .common import REPO, figure, issue_code, ledger_rows, stop, wait_until

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
            rogue = start_rogue(rogue_host, tmp_path, event_path, name, counts, "silent")

            # the terminal hears both, with the same service name and TXT
            listed = subprocess.run(judge_host.cmd(judge_terminal("browse")), cwd=REPO,
                                    capture_output=True, text=True, timeout=60, check=False)
            heard = {line.split()[0]: line.split(None, 1)[1]
                     for line in listed.stdout.splitlines() if line.strip()}
            real_txt = heard.get(f"{master_host.address}:8765", "").split(f" {name} @")[0]
            rogue_txt = heard.get(f"{rogue_host.address}:8765", "").split(f" {name} @")[0]
            assert real_txt and real_txt == rogue_txt, listed.stdout + listed.stderr

            # enrolment with mDNS: two head judges heard, so none is tried (each try would
            # cost the code a guess): both are listed with what could be read of them, and
            # the judge gives the one whose master fingerprint is on the card
            code = issue_code(home, "J1")
            fingerprint = subprocess.run(common.head_judge("--home", home, "fingerprint"),
                                         capture_output=True, text=True, check=True,
                                         timeout=60).stdout.strip()
            several = subprocess.run(judge_host.cmd(judge_terminal(
                "--home", judge, "enrol", code)),
                capture_output=True, text=True, timeout=90, check=False)
            assert several.returncode == 2, several.stdout + several.stderr
            assert "2 head judges heard" in several.stderr
            listing = several.stdout.split(f"{rogue_host.address}:8765")
            assert len(listing) == 2 and fingerprint in several.stdout, several.stdout
            assert stored_enrolment(judge) is None
            enrolled = subprocess.run(judge_host.cmd(judge_terminal(
                "--home", judge, "enrol", code, "--master", f"{master_host.address}:8765")),
                capture_output=True, text=True, timeout=60, check=False)
            assert enrolled.returncode == 0, enrolled.stdout + enrolled.stderr
            assert f"head judge at {master_host.address}:8765" in enrolled.stdout
            assert fingerprint in enrolled.stdout
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
    raw = counts.with_suffix(".bytes").read_bytes()
    requests = re.findall(rb"^([A-Z]+) (\S+) HTTP/1\.1\r$", raw, re.MULTILINE)
    sheet_requests = [r for r in requests if r != (b"GET", b"/v1/hello")]
    delivered = sheets_on_master(home)
    status = terminal_status(judge)
    figure("s05_rogue_master_mdns", rogue_advertised_same_name_and_txt=True,
           rogue_connections=received["accepted"], rogue_handshakes=received["handshakes"],
           rogue_bytes_received=received["bytes_received"],
           rogue_hellos=len(requests) - len(sheet_requests),
           rogue_other_requests=len(sheet_requests),
           mismatch_reported_s=f"{reported_after:.1f}",
           found_moved_master_s=f"{found_after:.1f}",
           sheets_delivered=len(delivered), duplicates=len(delivered) - len(set(delivered)))
    # at most the hello that lists it (what any visitor may ask): no enrolment, no sheet,
    # no pull, no digit of the code
    assert received["handshakes"] >= 1 and sheet_requests == [] and len(requests) <= 1
    assert len(raw) < 1000 and EnrolmentCode.parse(code).password not in raw
    assert sorted(c for _j, c, _r in delivered) == list(sheets)
    assert f"head judge {moved_host.address}:8765" in status and "waiting to be sent 0" in status


def terminal_status(judge: Path) -> str:
    return subprocess.run(judge_terminal("--home", judge, "status"), capture_output=True,
                          text=True, check=True, timeout=60).stdout


def start_rogue(host: netns.Host, tmp_path: Path, event_path: Path, name: str, counts: Path,
                mode: str, relay: str | None = None) -> subprocess.Popen[bytes]:
    """tests/chaos/rogue.py in `host`'s namespace on port 8765, advertising `name`."""
    rogue = subprocess.Popen(host.cmd([
        sys.executable, "-m", "tests.chaos.rogue", "--home", str(tmp_path / "rogue"),
        "--event", str(event_path), "--name", name, "--host", host.address, "--port", "8765",
        "--counts", str(counts), "--mode", mode, *(["--relay", relay] if relay else [])]),
        cwd=REPO, stdout=(tmp_path / f"rogue-{mode}.log").open("ab"), stderr=subprocess.STDOUT)
    try:
        wait_until(counts.exists, 30, "the rogue to listen and advertise")
    except AssertionError:
        stop(rogue)
        raise AssertionError((tmp_path / f"rogue-{mode}.log").read_text(errors="replace")
                             ) from None
    return rogue


def stored_enrolment(judge: Path) -> object:
    """The terminal's stored enrolment, None without one (read from outside)."""
    if not (judge / "terminal.db").exists():
        return None
    with TerminalStore.open(judge) as store:
        return store.enrolment()


def enrol_kinds(home: Path) -> list[tuple[str, str]]:
    """(kind, cause or judge) of the enrolment entries of a master's ledger."""
    found = []
    for _seq, kind, _actor, payload in ledger_rows(home):
        if kind in ("enrol_failed", "device_enrolled", "seat_locked", "device_confirmed"):
            data = json.loads(payload)
            found.append((kind, str(data.get("cause", data.get("judge", "")))))
    return found


@pytest.mark.skipif(WHY is not None, reason=f"network namespaces: {WHY}")
def test_the_right_code_typed_into_a_rogue_enrols_nothing_and_sends_it_no_sheet(
    tmp_path: Path, event: Event, event_path: Path
) -> None:
    """The rogue advertises over mDNS (the real master does not: the judge hears only the
    rogue) and runs the enrolment with its own SPAKE2; the judge types the right code."""
    home, judge = tmp_path / "master", tmp_path / "judge"
    counts = tmp_path / "rogue-counts.json"
    with netns.Lan() as lan:
        master_host, judge_host, rogue_host = (lan.add_host() for _ in range(3))
        log = tmp_path / "master.log"
        master = common.start_master(home, event_path, 8765, log, host=master_host.address,
                                     prefix=master_host.cmd([]))
        rogue: subprocess.Popen[bytes] | None = None
        try:
            code = issue_code(home, "J1")
            rogue = start_rogue(rogue_host, tmp_path, event_path, "head judge", counts,
                                "spake")
            listed = subprocess.run(judge_host.cmd(judge_terminal("browse")), cwd=REPO,
                                    capture_output=True, text=True, timeout=60, check=False)
            assert f"{rogue_host.address}:8765" in listed.stdout, listed.stdout + listed.stderr
            assert master_host.address not in listed.stdout

            started = time.monotonic()
            refused = subprocess.run(judge_host.cmd(judge_terminal(
                "--home", judge, "enrol", code)), capture_output=True, text=True, timeout=90,
                check=False)
            refused_s = time.monotonic() - started
            after_rogue = stored_enrolment(judge)
            nothing_to_send = subprocess.run(judge_host.cmd(judge_terminal(
                "--home", judge, "sync", "--once")), capture_output=True, text=True,
                timeout=60, check=False)
            master_entries = enrol_kinds(home)

            # the code was not spent: the real master still enrols the terminal with it
            enrolled = subprocess.run(judge_host.cmd(judge_terminal(
                "--home", judge, "enrol", code, "--master", f"{master_host.address}:8765")),
                capture_output=True, text=True, timeout=60, check=False)
        finally:
            for proc in (rogue, master):
                if proc is not None:
                    stop(proc)
    received = json.loads(counts.read_text())
    paths = [r["path"] for r in received["requests"]]
    sent = "".join(r["body"] for r in received["requests"])
    figure("s05_rogue_master_spake", rogue_requests=len(paths),
           rogue_paths=",".join(paths) or "none", rogue_sheet_requests=sum(
               p not in ("/v1/hello", "/v1/enrol/start", "/v1/enrol/finish") for p in paths),
           terminal_exit=refused.returncode, refused_s=f"{refused_s:.1f}",
           stored_enrolment=after_rogue is not None,
           real_master_entries=len(master_entries),
           enrolled_with_real_master_after=enrolled.returncode == 0)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert refused.stderr.startswith("错误：这台电脑无法证明绑定码是它发的"), refused.stderr
    assert "\nerror: This computer could not prove it issued your code: it is not the head " \
        "judge's master" in refused.stderr, refused.stderr
    assert refused.stderr.count("\n") == 2 and "Traceback" not in refused.stderr
    assert after_rogue is None  # nothing stored, the rogue's key not pinned
    assert nothing_to_send.returncode == 2 and "not enrolled" in nothing_to_send.stderr
    assert master_entries == []  # nothing of it reached the real master
    # the rogue had the enrolment's two halves and nothing else: no sheet, no digit
    assert set(paths) <= {"/v1/hello", "/v1/enrol/start", "/v1/enrol/finish"}
    assert paths.count("/v1/enrol/finish") == 1
    assert EnrolmentCode.parse(code).password.decode() not in sent
    assert enrolled.returncode == 0, enrolled.stdout + enrolled.stderr
    assert f"head judge at {master_host.address}:8765" in enrolled.stdout


@pytest.mark.skipif(WHY is not None, reason=f"network namespaces: {WHY}")
def test_a_relaying_rogue_fails_key_confirmation_at_the_real_master(
    tmp_path: Path, event: Event, event_path: Path
) -> None:
    """The rogue relays the enrolment to the real master over its own TLS connection: the
    SPAKE2 messages are the real master's, but the terminal's confirmation covers the key of
    the TLS connection it saw, the rogue's."""
    home, judge = tmp_path / "master", tmp_path / "judge"
    counts = tmp_path / "rogue-counts.json"
    with netns.Lan() as lan:
        master_host, judge_host, rogue_host = (lan.add_host() for _ in range(3))
        log = tmp_path / "master.log"
        master = common.start_master(home, event_path, 8765, log, host=master_host.address,
                                     prefix=master_host.cmd([]))
        rogue: subprocess.Popen[bytes] | None = None
        try:
            code = issue_code(home, "J1")
            rogue = start_rogue(rogue_host, tmp_path, event_path, "head judge", counts,
                                "relay", relay=f"{master_host.address}:8765")
            refused = subprocess.run(judge_host.cmd(judge_terminal(
                "--home", judge, "enrol", code, "--master", f"{rogue_host.address}:8765")),
                capture_output=True, text=True, timeout=60, check=False)
            after = stored_enrolment(judge)
            entries = enrol_kinds(home)
            devices = [row for row in ledger_rows(home) if row[1] == "device_enrolled"]
        finally:
            for proc in (rogue, master):
                if proc is not None:
                    stop(proc)
    received = json.loads(counts.read_text())
    relayed = [(a["path"], a["status"], json.loads(a["body"]).get("error", "answered"))
               for a in received["relay_answers"]]
    figure("s05_rogue_master_relay",
           relayed=",".join(f"{p.rsplit('/', 1)[-1]}:{st}:{e}" for p, st, e in relayed),
           real_master_entries=",".join(f"{k}:{c}" for k, c in entries) or "none",
           terminal_exit=refused.returncode, stored_enrolment=after is not None,
           devices_enrolled=len(devices))
    # the real master answered the start and refused the finish: a wrong try, counted
    assert relayed == [("/v1/enrol/start", 200, "answered"),
                       ("/v1/enrol/finish", 403, "bad_code")], relayed
    assert entries == [("enrol_failed", "wrong")]
    assert devices == [] and after is None
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "error: The code was refused: wrong, used or expired, or this master is not the " \
        "final on your card" in refused.stderr, refused.stderr
    assert refused.stderr.startswith("错误：绑定码被拒绝"), refused.stderr
