"""A fault-injecting TCP proxy of our own: forwards bytes between a terminal and the master,
and on request loses an answer after the request has reached the master.

The bytes are TLS, so the proxy cannot read HTTP; it reads TLS record headers instead. Once
`cut_next_response()` is armed, the next client record of application data at least
`request_min_bytes` long (a request; TLS 1.3's Finished is shorter) is forwarded to the master,
and from then on everything the master sends back on that connection is swallowed. When the
master has been quiet for `settle` seconds after its answer (or `max_wait` passed), both sides
are closed: the master committed and answered, the terminal never heard.

    python tools/faultproxy.py --listen 127.0.0.1:9000 --upstream 127.0.0.1:8765 --cut-first

Only loopback or 198.18.0.0/15 addresses are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import time
from dataclasses import dataclass, field

APPLICATION_DATA = 23
_ALLOWED = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("198.18.0.0/15"))


def check_address(host: str) -> str:
    """`host` if it is a loopback or benchmarking-range IPv4 address, else ValueError."""
    address = ipaddress.ip_address(host)
    if not any(address in net for net in _ALLOWED):
        raise ValueError(f"{host} is outside 127.0.0.0/8 and 198.18.0.0/15")
    return host


@dataclass
class ProxyStats:
    connections: int = 0
    cuts: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    swallowed: int = 0
    cut_events: list[float] = field(default_factory=list)


class FaultProxy:
    """An asyncio TCP proxy from `listen` to `upstream` with an armable response cut."""

    def __init__(self, upstream_host: str, upstream_port: int, *, listen_host: str = "127.0.0.1",
                 listen_port: int = 0, request_min_bytes: int = 200, settle: float = 0.3,
                 max_wait: float = 10.0) -> None:
        self.upstream = (check_address(upstream_host), upstream_port)
        self.listen = (check_address(listen_host), listen_port)
        self.request_min_bytes = request_min_bytes
        self.settle = settle
        self.max_wait = max_wait
        self.stats = ProxyStats()
        self._armed = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    def cut_next_response(self, times: int = 1) -> None:
        """Lose the answer to the next `times` requests (each after it reached the master)."""
        self._armed += times

    def disarm(self) -> None:
        self._armed = 0

    async def start(self) -> int:
        self._server = await asyncio.start_server(self._handle, *self.listen)
        return self.port

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def __aenter__(self) -> FaultProxy:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter
                      ) -> None:
        self.stats.connections += 1
        try:
            up_r, up_w = await asyncio.wait_for(asyncio.open_connection(*self.upstream), 10)
        except (OSError, TimeoutError):
            client_w.close()
            return
        cut = asyncio.Event()  # set once this connection's request carries the armed fault
        down_done = asyncio.Event()
        last_down = [0.0]

        async def upward() -> None:
            buffer = bytearray()
            try:
                while data := await client_r.read(65536):
                    buffer += data
                    while len(buffer) >= 5:  # whole TLS records only
                        length = int.from_bytes(buffer[3:5], "big")
                        if len(buffer) < 5 + length:
                            break
                        record, buffer[:] = bytes(buffer[:5 + length]), buffer[5 + length:]
                        if (self._armed > 0 and not cut.is_set()
                                and record[0] == APPLICATION_DATA
                                and length >= self.request_min_bytes):
                            self._armed -= 1
                            cut.set()
                        up_w.write(record)
                        self.stats.bytes_up += len(record)
                    await up_w.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                with contextlib.suppress(Exception):
                    up_w.write_eof()

        async def downward() -> None:
            try:
                while data := await up_r.read(65536):
                    if cut.is_set():
                        self.stats.swallowed += len(data)
                        last_down[0] = time.monotonic()
                        continue
                    client_w.write(data)
                    self.stats.bytes_down += len(data)
                    await client_w.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                down_done.set()

        async def cutter() -> None:
            await cut.wait()
            started = time.monotonic()
            while time.monotonic() - started < self.max_wait and not down_done.is_set():
                quiet = last_down[0] and time.monotonic() - last_down[0] >= self.settle
                if quiet:
                    break
                await asyncio.sleep(0.02)
            self.stats.cuts += 1
            self.stats.cut_events.append(time.monotonic())
            for writer in (client_w, up_w):
                with contextlib.suppress(Exception):
                    writer.transport.abort()

        tasks = [asyncio.create_task(c) for c in (upward(), downward(), cutter())]
        self._tasks.update(tasks)
        try:
            await asyncio.wait(tasks[:2], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self._tasks.difference_update(tasks)
            for writer in (client_w, up_w):
                with contextlib.suppress(Exception):
                    writer.close()


def _split(spec: str) -> tuple[str, int]:
    host, _, port = spec.rpartition(":")
    return host, int(port)


async def _main(args: argparse.Namespace) -> None:
    up_host, up_port = _split(args.upstream)
    host, port = _split(args.listen)
    proxy = FaultProxy(up_host, up_port, listen_host=host, listen_port=port)
    if args.cut_first:
        proxy.cut_next_response(args.cut_first)
    async with proxy:
        print(f"proxy {host}:{proxy.port} -> {up_host}:{up_port}", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--cut-first", type=int, default=0,
                        help="lose the answers to the first N requests")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
