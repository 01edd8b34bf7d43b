"""Scenario 6: a fuzzer against a real `head-judge serve` process over TLS: random bytes,
random JSON, deeply nested JSON, truncated and wrong-typed versions of valid requests,
oversized bodies, garbage records from an enrolled device, unknown paths and methods, garbage
live-channel hellos, all across every endpoint; plus malformed mDNS packets sent to the
master's zeroconf listener. Crashes = 0, 5xx = 0, rows written = 0, and a real judge's push
during the run succeeds. Short: 2,000 requests; long: 100,000."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import random
import socket
import struct
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from head_judge.server import MAX_BODY_BYTES
from sync.client import SyncClient
from sync.codes import EnrolmentCode
from sync.event import Event
from sync.identity import public_key_bytes
from sync.pake import TerminalExchange
from sync.store import TerminalStore
from tests.e2e.test_sync_e2e import sheet
from tests.head_judge.test_master import Terminal, good_values
from tests.masters import now

from .common import figure, free_port, issue_code, ledger_rows, pick, start_master, stop

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
ENDPOINTS = ("/v1/enrol/start", "/v1/enrol/finish", "/v1/push", "/v1/pull")


def random_json(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.randint(-(2**70), 2**70)
    if kind == 3:
        return rng.choice([0.5, -1e308, float("nan"), float("inf")])
    if kind in (4, 5):
        return "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(12)))
    if kind in (6, 7):
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {str(random_json(rng, 3)): random_json(rng, depth + 1) for _ in range(rng.randrange(4))}


def wrong_shape(rng: random.Random, template: dict[str, Any]) -> dict[str, Any]:
    changed = dict(template)
    how = rng.randrange(3)
    key = rng.choice(sorted(changed))
    if how == 0:
        value = random_json(rng)
        while type(value) is type(changed[key]):
            value = random_json(rng)
        changed[key] = value
    elif how == 1:
        changed[f"x{rng.randrange(10**6)}"] = random_json(rng)
    else:
        del changed[key]
    return changed


def body_for(rng: random.Random, templates: dict[str, dict[str, Any]], device: str
             ) -> tuple[str, str, bytes]:
    """(method, path, body) of one malformed request."""
    path = rng.choice(ENDPOINTS)
    kind = rng.randrange(100)
    if kind < 20:
        return "POST", path, os.urandom(rng.randrange(400))
    if kind < 40:
        return "POST", path, json.dumps(random_json(rng)).encode()
    if kind < 50:
        depth = rng.randrange(5, 20_000)
        opener, closer = rng.choice([("[", "]"), ('{"a":', "}"), ('[{"b":', "}]")])
        return "POST", path, (opener * depth + "0" + closer * depth).encode()
    if kind < 65:
        whole = json.dumps(templates[path]).encode()
        return "POST", path, whole[:rng.randrange(len(whole))]
    if kind < 85:
        return "POST", path, json.dumps(wrong_shape(rng, templates[path])).encode()
    if kind < 90 and path == "/v1/enrol/start":
        # well formed but for the SPAKE2 message: 33 random bytes, rarely a point on the curve
        return "POST", path, json.dumps(
            dict(templates[path], pake=base64.b64encode(os.urandom(33)).decode())).encode()
    if kind < 90 and path == "/v1/enrol/finish":
        # well formed, for a session the master never started (or one a start just made)
        return "POST", path, json.dumps(dict(
            templates[path], session=os.urandom(16).hex(),
            confirm=base64.b64encode(os.urandom(32)).decode())).encode()
    if kind < 95:
        records = [{"body": json.dumps(random_json(rng)), "sig": base64.b64encode(
            os.urandom(64)).decode()} if rng.random() < 0.7 else random_json(rng)
            for _ in range(rng.randrange(1, 5))]
        return "POST", "/v1/push", json.dumps({"device": device, "records": records}).encode()
    if kind < 99:
        method = rng.choice(["GET", "PUT", "DELETE", "PATCH", "POST"])
        return method, rng.choice(["/", "/v1", "/v1/hello", "/v2/push", "/v1/push/x",
                                   "/%00", "/v1/../v1/push"]), os.urandom(rng.randrange(50))
    return "POST", path, b'{"device": "' + b"a" * (MAX_BODY_BYTES + 1) + b'", "records": []}'


def mdns_garbage(rng: random.Random) -> bytes:
    if rng.random() < 0.5:
        return os.urandom(rng.randrange(1, 600))
    header = struct.pack("!6H", rng.randrange(65536), rng.choice([0, 0x8400, 0xFFFF]),
                         *(rng.randrange(0, 300) for _ in range(4)))
    labels = b"".join(bytes([n]) + os.urandom(n) for n in
                      (rng.randrange(0, 70) for _ in range(rng.randrange(6))))
    return header + labels + os.urandom(rng.randrange(200))


def send_mdns(rng: random.Random, count: int) -> int:
    """Malformed packets to 127.0.0.1:5353 and 224.0.0.251:5353 (loopback); the number sent."""
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)
        with contextlib.suppress(OSError):
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
        for i in range(count):
            target = ("224.0.0.251", 5353) if i % 2 else ("127.0.0.1", 5353)
            try:
                s.sendto(mdns_garbage(rng), target)
                sent += 1
            except OSError:
                continue
    return sent


async def live_garbage(session: aiohttp.ClientSession, base: str, rng: random.Random) -> bool:
    """A garbage hello on the live channel; True if the master answered as it should."""
    try:
        async with session.ws_connect(f"{base}/v1/live") as ws:
            first = await ws.receive_json(timeout=5)
            if rng.random() < 0.5:
                await ws.send_bytes(os.urandom(rng.randrange(100)))
            else:
                await ws.send_str(json.dumps(random_json(rng)))
            for _ in range(3):
                reply = await ws.receive(timeout=5)
                if reply.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    return bool(first.get("type") == "challenge")
        return False
    except (aiohttp.ClientError, TimeoutError):
        return False


async def test_fuzzing_every_endpoint_and_mdns(tmp_path: Path, event: Event,
                                               event_path: Path) -> None:
    total = int(pick(2000, 100_000))
    mdns_count = int(pick(500, 20_000))
    home, port = tmp_path / "master", free_port()
    master = start_master(home, event_path, port, tmp_path / "master.log", mdns=True)
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    statuses: dict[int, int] = {}
    bad_answers = 0
    live_ok = live_tried = 0
    try:
        base = f"https://127.0.0.1:{port}"
        with TerminalStore.open(tmp_path / "judge") as store:
            async with SyncClient(store) as client:
                await client.enrol(issue_code(home, "J1"), "127.0.0.1", port)
                device = store.device_id
                fake = Terminal("J2", event.id)
                # J2 has a code, so well-formed starts reach the SPAKE2 exchange (which
                # writes nothing); finishes name sessions the master never started
                guess = EnrolmentCode(2, "12345678")
                issue_code(home, "J2")
                device_key = base64.b64encode(public_key_bytes(fake.key)).decode()
                templates = {"/v1/enrol/start": {
                                 "protocol": 1, "seat": guess.seat, "pake": base64.b64encode(
                                     TerminalExchange(guess.seat, guess.password).a).decode()},
                             "/v1/enrol/finish": {
                                 "protocol": 1, "session": os.urandom(16).hex(),
                                 "device_key": device_key, "device_name": "fuzz",
                                 "confirm": base64.b64encode(os.urandom(32)).decode()},
                             "/v1/push": fake.push(fake.sheet("L01", good_values(event))),
                             "/v1/pull": fake.pull()}
                before = len(ledger_rows(home))
                sem = asyncio.Semaphore(8)
                connector = aiohttp.TCPConnector(ssl=False, limit=8)
                async with aiohttp.ClientSession(connector=connector) as session:
                    async def one(i: int) -> None:
                        nonlocal bad_answers, live_ok, live_tried
                        async with sem:
                            if i % 200 == 199:
                                live_tried += 1
                                live_ok += await live_garbage(session, base, rng)
                                return
                            method, path, body = body_for(rng, templates, device)
                            try:
                                async with session.request(
                                        method, base + path, data=body,
                                        timeout=aiohttp.ClientTimeout(total=30)) as response:
                                    raw = await response.read()
                                    status = response.status
                            except (aiohttp.ClientError, TimeoutError):
                                status = 0  # the server hung up (a 413 mid-upload)
                                raw = b""
                            statuses[status] = statuses.get(status, 0) + 1
                            if 400 <= status < 500:
                                answer = json.loads(raw)
                                bad_answers += set(answer) != {"error", "reason"}

                    real_push = None
                    for chunk in range(0, total, 500):
                        await asyncio.gather(*(one(i) for i in
                                               range(chunk, min(chunk + 500, total))))
                        if real_push is None and chunk >= total // 2:
                            record = store.submit_sheet("L01", sheet(event), now=now())
                            summary = await client.push_once()
                            real_push = (summary.accepted == 1, record.hash)
                        if chunk == 0:  # mDNS garbage while the requests go on
                            sent_mdns = await asyncio.to_thread(send_mdns, rng, mdns_count)
                    hello = await client.hello("127.0.0.1", port)
        alive = master.poll() is None
        after = ledger_rows(home)
    finally:
        stop(master)
    mine = {f"device:{device}"}
    written = sum(1 for _s, _k, actor, _p in after[before:] if actor not in mine)
    fives = sum(n for s, n in statuses.items() if s >= 500)
    log = (tmp_path / "master.log").read_text(errors="replace")
    figure("s06_fuzz", requests=total, live_garbage=live_tried, mdns_packets=sent_mdns,
           crashes=int(not alive), status_5xx=fives, rows_written=written,
           real_push_ok=bool(real_push and real_push[0]),
           statuses=",".join(f"{k}:{v}" for k, v in sorted(statuses.items())), seed=seed)
    assert alive and hello is not None
    assert fives == 0 and bad_answers == 0 and "bug while answering" not in log
    assert statuses.get(200, 0) + sum(v for k, v in statuses.items() if 400 <= k < 500) \
        + statuses.get(0, 0) == total - live_tried
    assert written == 0 and real_push is not None and real_push[0]
    assert live_ok == live_tried
