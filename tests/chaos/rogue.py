"""A rogue master for scenario 5, run as a process of its own (inside a network namespace):
its own key, a TLS listener that records everything it receives, and an mDNS advertisement
with the real master's service name and TXT, made by the real code (sync.discovery
`advertise`). Three ways to behave (`--mode`):

- `silent`: records every application byte it receives and never answers
  (tests/sync/test_client_pin.py `RecordingTLSServer`);
- `spake`: answers like a master (`/v1/hello`, and both halves of an enrolment with its own
  SPAKE2, run with a guess since it does not know the code, and a made-up enrolment answer
  with its own confirmation); refuses a push or pull after reading it;
- `relay`: answers `/v1/hello` and forwards each enrolment request to the real master
  (`--relay HOST:PORT`) over a TLS connection of its own, relaying the answers back: a
  man in the middle with the real master's code exchange.

    python -m tests.chaos.rogue --home DIR --event EVENT.toml --name NAME --host ADDR \
        --port PORT --counts FILE [--mode silent|spake|relay] [--relay HOST:PORT]

Rewrites FILE (JSON: accepted, handshakes, bytes_received, advertised_as, mode, requests: each
request's method, path, body size and body text, as received) as requests come and go, and
once more when stopped by SIGTERM; in `silent` mode the raw bytes go to FILE with the suffix
`.bytes`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import json
import os
import signal
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import typedefs as web_types
from aiohttp import web

from sync.codes import EnrolmentCode
from sync.discovery import advertise
from sync.event import Event
from sync.event_file import load_event
from sync.identity import (
    MasterIdentity,
    client_ssl_context,
    ensure_master_identity,
    generate_signing_key,
    public_key_bytes,
)
from sync.pake import MasterExchange, PakeError
from sync.records import device_id_of
from sync.snapshot import event_snapshot, snapshot_digest
from tests.sync.test_client_pin import NOW, RecordingTLSServer

MODES = ("silent", "spake", "relay")


class ListeningRecorder(RecordingTLSServer):
    """RecordingTLSServer bound to a given address and port instead of loopback."""

    def __init__(self, identity: MasterIdentity, host: str, port: int) -> None:
        super().__init__(identity)
        self.host, self.bind_port = host, port

    async def __aenter__(self) -> ListeningRecorder:
        self._server = await asyncio.start_server(self._handle, self.host, self.bind_port)
        return self


class AnsweringRogue:
    """The `spake` and `relay` rogues: an aiohttp app over TLS with the rogue's own key."""

    def __init__(self, identity: MasterIdentity, event: Event, mode: str,
                 relay: tuple[str, int] | None) -> None:
        self.identity, self.event, self.mode, self.relay = identity, event, mode, relay
        self.requests: list[dict[str, Any]] = []
        self.exchanges: dict[str, MasterExchange] = {}
        self.relay_answers: list[dict[str, Any]] = []
        self.peers: set[object] = set()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def start(self, host: str, port: int) -> None:
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/v1/hello", self._hello)
        app.router.add_post("/v1/enrol/start", self._start)
        app.router.add_post("/v1/enrol/finish", self._finish)
        app.router.add_route("*", "/{tail:.*}", self._refuse)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port,
                           ssl_context=self.identity.server_ssl_context(), reuse_address=True)
        await site.start()
        if self.mode == "relay":  # a TLS client of its own, with no pin (it is the rogue)
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=client_ssl_context()))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @web.middleware
    async def _record(self, request: web.Request, handler: web_types.Handler
                      ) -> web.StreamResponse:
        body = await request.read()
        self.peers.add(request.transport.get_extra_info("peername") if request.transport
                       else None)
        self.requests.append({"method": request.method, "path": request.path,
                              "size": len(body), "body": body.decode("utf-8", "replace")})
        return await handler(request)

    async def _hello(self, _request: web.Request) -> web.Response:
        return web.json_response({"event": self.event.id, "protocol": 1,
                                  "name": {"zh": self.event.name.zh, "en": self.event.name.en},
                                  "server_time": dt.datetime.now(dt.UTC).isoformat()})

    async def _refuse(self, _request: web.Request) -> web.Response:
        return web.json_response({"error": "unknown_device", "reason": "not enrolled here"},
                                 status=403)

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None and self.relay is not None
        host, port = self.relay
        async with self._session.post(f"https://{host}:{port}{request.path}",
                                      data=await request.read(),
                                      headers={"Content-Type": "application/json"}) as answer:
            body = await answer.read()
            self.relay_answers.append({"path": request.path, "status": answer.status,
                                       "body": body.decode("utf-8", "replace")})
            return web.Response(body=body, status=answer.status,
                                content_type="application/json")

    async def _start(self, request: web.Request) -> web.Response:
        if self.mode == "relay":
            return await self._forward(request)
        body = await request.json()
        guess = EnrolmentCode(body["seat"], f"{int.from_bytes(os.urandom(4), 'big') % 10**8:08d}")
        try:
            exchange = MasterExchange(body["seat"], guess.password,
                                      base64.b64decode(body["pake"]))
        except PakeError:
            return web.json_response({"error": "bad_request", "reason": "no"}, status=400)
        session = os.urandom(16).hex()
        self.exchanges[session] = exchange
        return web.json_response({"session": session,
                                  "pake": base64.b64encode(exchange.b).decode()})

    async def _finish(self, request: web.Request) -> web.Response:
        if self.mode == "relay":
            return await self._forward(request)
        body = await request.json()
        exchange = self.exchanges.pop(body["session"])
        key = base64.b64decode(body["device_key"])
        # it cannot tell whether the terminal knew the code; it answers as if it had
        exchange.check_terminal(base64.b64decode(body["confirm"]), self.identity.fingerprint,
                                key, body["device_name"])
        answer: dict[str, Any] = {
            "device": device_id_of(key), "judge": self.event.judges[exchange.seat - 1].id,
            "event": event_snapshot(self.event), "event_digest": snapshot_digest(self.event),
            "master_key": base64.b64encode(public_key_bytes(generate_signing_key())).decode(),
            "server_time": dt.datetime.now(dt.UTC).isoformat()}
        binding = {k: answer[k] for k in ("judge", "device", "event_digest", "master_key")}
        answer["confirm"] = base64.b64encode(exchange.confirm(binding)).decode()
        return web.json_response(answer)


def write_counts(path: Path, advertised_as: str, mode: str, *,
                 recorder: RecordingTLSServer | None = None,
                 rogue: AnsweringRogue | None = None) -> None:
    data: dict[str, Any] = {"advertised_as": advertised_as, "mode": mode}
    if recorder is not None:
        data |= {"accepted": recorder.accepted, "handshakes": recorder.handshakes,
                 "bytes_received": len(recorder.received), "requests": []}
        raw = path.with_suffix(".bytes")
        raw.write_bytes(bytes(recorder.received))
    if rogue is not None:
        data |= {"accepted": len(rogue.peers), "handshakes": len(rogue.peers),  # by peer
                 "bytes_received": sum(r["size"] for r in rogue.requests),
                 "requests": rogue.requests, "relay_answers": rogue.relay_answers}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(path)


async def run(args: argparse.Namespace) -> None:
    identity = ensure_master_identity(Path(args.home), now=NOW)
    event = load_event(Path(args.event))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    counts = Path(args.counts)
    recorder: RecordingTLSServer | None = None
    rogue: AnsweringRogue | None = None
    async with contextlib.AsyncExitStack() as stack:
        if args.mode == "silent":
            recorder = await stack.enter_async_context(
                ListeningRecorder(identity, args.host, args.port))
        else:
            relay = None
            if args.relay:
                host, _sep, port = args.relay.rpartition(":")
                relay = (host, int(port))
            rogue = AnsweringRogue(identity, event, args.mode, relay)
            await rogue.start(args.host, args.port)
            stack.push_async_callback(rogue.close)
        advertisement = await advertise(event.id, args.name, args.port, [args.host])
        try:
            print(f"rogue ({args.mode}) listening on {args.host}:{args.port}, advertised as "
                  f"{advertisement.name!r}", flush=True)
            while not stop.is_set():
                write_counts(counts, advertisement.name, args.mode, recorder=recorder,
                             rogue=rogue)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.2)
        finally:
            await advertisement.close()
        write_counts(counts, advertisement.name, args.mode, recorder=recorder, rogue=rogue)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--home", required=True, help="where the rogue's own key is kept")
    parser.add_argument("--event", required=True, help="the final's event file (its id, name "
                        "and panel, as anyone at the venue may know them)")
    parser.add_argument("--name", required=True, help="the instance name to advertise")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--counts", required=True, help="JSON file of what it received")
    parser.add_argument("--mode", choices=MODES, default="silent")
    parser.add_argument("--relay", help="HOST:PORT of the real master (relay mode)")
    args = parser.parse_args()
    if args.mode == "relay" and not args.relay:
        parser.error("--mode relay needs --relay HOST:PORT")
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
