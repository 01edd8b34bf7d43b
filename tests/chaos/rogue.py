"""A rogue master for scenario 5, run as a process of its own (inside a network namespace):
its own key, a TLS listener that records every application byte it receives and never
answers (tests/sync/test_client_pin.py `RecordingTLSServer`), and an mDNS advertisement with
the real master's service name and TXT, made by the real code (sync.discovery `advertise`).

    python -m tests.chaos.rogue --home DIR --event-id ID --name NAME --host ADDR --port PORT \
        --counts FILE

Rewrites FILE (JSON: accepted, handshakes, bytes_received, advertised_as) as connections come
and go, and once more when stopped by SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
from pathlib import Path

from sync.discovery import advertise
from sync.identity import MasterIdentity, ensure_master_identity
from tests.sync.test_client_pin import NOW, RecordingTLSServer


class ListeningRecorder(RecordingTLSServer):
    """RecordingTLSServer bound to a given address and port instead of loopback."""

    def __init__(self, identity: MasterIdentity, host: str, port: int) -> None:
        super().__init__(identity)
        self.host, self.bind_port = host, port

    async def __aenter__(self) -> ListeningRecorder:
        self._server = await asyncio.start_server(self._handle, self.host, self.bind_port)
        return self


def write_counts(path: Path, server: RecordingTLSServer, advertised_as: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"accepted": server.accepted, "handshakes": server.handshakes,
                               "bytes_received": len(server.received),
                               "advertised_as": advertised_as}), encoding="utf-8")
    tmp.replace(path)


async def run(args: argparse.Namespace) -> None:
    identity = ensure_master_identity(Path(args.home), now=NOW)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with ListeningRecorder(identity, args.host, args.port) as server:
        advertisement = await advertise(args.event_id, args.name, args.port, [args.host])
        try:
            print(f"rogue listening on {args.host}:{args.port}, advertised as "
                  f"{advertisement.name!r}", flush=True)
            while not stop.is_set():
                write_counts(Path(args.counts), server, advertisement.name)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.2)
        finally:
            await advertisement.close()
        write_counts(Path(args.counts), server, advertisement.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, help="where the rogue's own key is kept")
    parser.add_argument("--event-id", required=True)
    parser.add_argument("--name", required=True, help="the instance name to advertise")
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--counts", required=True, help="JSON file of what it received")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
