"""Finding the head judge's master on the venue LAN with mDNS / DNS-SD (zeroconf).

The master advertises `_judgekiosk._tcp.local.` with TXT `event`, `proto` and `port`
(`advertise`); terminals list what they hear (`browse`). What this finds is only a hint of
where to connect: anyone on the venue Wi-Fi can advertise the same name and TXT, so nothing
here is trusted. Trust comes from the fingerprint pinned at enrolment, checked in the TLS
handshake (`sync.client`). This module never opens a connection to what it finds.

`interfaces` (addresses, or `zeroconf.InterfaceChoice`) restricts the sockets zeroconf uses,
so tests can run on loopback or inside a network namespace.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from zeroconf import DNSQuestionType, InterfaceChoice, IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

__all__ = [
    "PROTOCOL",
    "SERVICE_TYPE",
    "Advertisement",
    "FoundMaster",
    "Interfaces",
    "NoNetwork",
    "advertise",
    "browse",
]

SERVICE_TYPE = "_judgekiosk._tcp.local."
PROTOCOL = 1
MAX_INSTANCE_BYTES = 63
"""DNS-SD instance names are at most 63 bytes of UTF-8."""

Interfaces = Sequence[str] | InterfaceChoice


class NoNetwork(Exception):
    """mDNS cannot run here: no interface has an address to listen on (no network connection,
    or only IPv6 where IPv4 is needed). `detail` is zeroconf's own words."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"no network connection to look for head judges on ({detail})")
        self.detail = detail


def _zeroconf(interfaces: Interfaces) -> AsyncZeroconf:
    """An AsyncZeroconf on `interfaces`; NoNetwork when there is nothing to listen on.

    zeroconf raises a bare RuntimeError for that ("No interfaces to listen on", or no adapter
    for a given address); its other RuntimeErrors are for options not used here (`apple_p2p`,
    no running event loop)."""
    try:
        return AsyncZeroconf(interfaces=interfaces, ip_version=_interfaces_version(interfaces))
    except RuntimeError as exc:
        raise NoNetwork(str(exc)) from exc


@dataclass(frozen=True)
class FoundMaster:
    """A master heard on the LAN: where it says it is. Not trusted."""

    host: str
    port: int
    event_id: str
    proto: int
    name: str
    addresses: tuple[str, ...] = ()


class Advertisement:
    """A running advertisement; `await close()` withdraws it (sends goodbyes)."""

    def __init__(self, aiozc: AsyncZeroconf, info: AsyncServiceInfo) -> None:
        self._aiozc = aiozc
        self.info = info
        self._closed = False

    @property
    def name(self) -> str:
        """The instance name actually registered (zeroconf renames it on a conflict)."""
        return _instance(self.info.name)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):  # best effort goodbye; always release sockets
            await self._aiozc.async_unregister_service(self.info)
        await self._aiozc.async_close()

    async def __aenter__(self) -> Advertisement:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()


def _safe_instance(name: str, suffix: str = "") -> str:
    """`name` without dots or control characters, cut so that with `suffix` it fits in 63
    bytes of UTF-8."""
    cleaned = "".join(ch for ch in name.replace(".", " ") if ch.isprintable()).strip()
    cleaned = cleaned or "head judge"
    room = MAX_INSTANCE_BYTES - len(suffix.encode("utf-8"))
    data = cleaned.encode("utf-8")[:room]
    return data.decode("utf-8", errors="ignore").strip() + suffix


def _instance(service_name: str) -> str:
    suffix = "." + SERVICE_TYPE
    return service_name[: -len(suffix)] if service_name.endswith(suffix) else service_name


def _ip_version(addresses: Sequence[str]) -> IPVersion:
    versions = {ipaddress.ip_address(a.split("%")[0]).version for a in addresses}
    if versions == {4}:
        return IPVersion.V4Only
    if versions == {6}:
        return IPVersion.V6Only
    return IPVersion.All


async def advertise(
    event_id: str,
    instance_name: str,
    port: int,
    addresses: list[str],
    interfaces: Interfaces = InterfaceChoice.All,
) -> Advertisement:
    """Announce a master for `event_id` listening on `addresses`:`port`.

    `addresses` are the IP addresses put in the A/AAAA records (at least one). The instance
    name is cleaned (no dots) and gets ` @ADDRESS:PORT` appended (dots as dashes), within
    63 bytes; if another service already has it, zeroconf picks `name-2` and so on (see
    `Advertisement.name`).
    """
    if not addresses:
        raise ValueError("advertise needs at least one address")
    if not 0 < port < 65536:
        raise ValueError(f"port {port} is not a TCP port")
    for address in addresses:
        ipaddress.ip_address(address.split("%")[0])  # ValueError for a host name
    # where it listens is part of the name, so two masters with the same name (two finals in
    # one hall, a restarted laptop) stay two entries even if zeroconf's renaming misses it
    instance = _safe_instance(instance_name, f" @{addresses[0].replace('.', '-')}:{port}")
    tag = hashlib.sha256(f"{instance}|{port}|{','.join(addresses)}".encode()).hexdigest()[:10]
    info = AsyncServiceInfo(
        SERVICE_TYPE,
        f"{instance}.{SERVICE_TYPE}",
        port=port,
        properties={"event": event_id, "proto": str(PROTOCOL), "port": str(port)},
        server=f"judgekiosk-{tag}.local.",
        parsed_addresses=list(addresses),
    )
    aiozc = _zeroconf(interfaces)
    try:
        await (await aiozc.async_register_service(info, allow_name_change=True))
    except BaseException:
        await aiozc.async_close()
        raise
    return Advertisement(aiozc, info)


def _interfaces_version(interfaces: Interfaces) -> IPVersion | None:
    if isinstance(interfaces, InterfaceChoice):
        return None
    try:
        return _ip_version([i for i in interfaces if isinstance(i, str)])
    except ValueError:
        return None


def _found(info: AsyncServiceInfo) -> FoundMaster | None:
    props = {
        (k.decode("utf-8", "replace") if isinstance(k, bytes) else str(k)):
            (v.decode("utf-8", "replace") if isinstance(v, bytes) else "")
        for k, v in info.properties.items()
    }
    addresses = tuple(info.parsed_scoped_addresses())
    if not addresses or not info.port:
        return None
    try:
        proto = int(props.get("proto", "0"))
    except ValueError:
        proto = 0
    ipv4 = [a for a in addresses if ":" not in a]
    return FoundMaster(
        host=(ipv4 or list(addresses))[0],
        port=int(info.port),
        event_id=props.get("event", ""),
        proto=proto,
        name=_instance(info.name),
        addresses=addresses,
    )


async def browse(
    timeout: float = 3.0,
    *,
    interfaces: Interfaces = InterfaceChoice.All,
    event_id: str | None = None,
) -> list[FoundMaster]:
    """Listen for `timeout` seconds and return every master heard, sorted by name.

    With `event_id`, only masters advertising that event. Entries whose address or port could
    not be resolved within the time are left out. Raises NoNetwork when this machine has no
    interface to listen on (no IPv4 address with the default `interfaces`).
    """
    aiozc = _zeroconf(interfaces)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    lookups: dict[str, asyncio.Task[FoundMaster | None]] = {}

    async def resolve(name: str) -> FoundMaster | None:
        info = AsyncServiceInfo(SERVICE_TYPE, name)
        wait_ms = max(100, int((deadline - loop.time()) * 1000))
        if not await info.async_request(aiozc.zeroconf, wait_ms,
                                        question_type=DNSQuestionType.QM):
            return None
        return _found(info)

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is ServiceStateChange.Removed:
            task = lookups.pop(name, None)
            if task is not None:
                task.cancel()
        elif name not in lookups or state_change is ServiceStateChange.Updated:
            lookups[name] = loop.create_task(resolve(name))

    # multicast answers only (QM): every listener on the host hears them, where a unicast
    # answer to port 5353 reaches just one of the sockets sharing it
    browser = AsyncServiceBrowser(aiozc.zeroconf, SERVICE_TYPE, handlers=[on_change],
                                  question_type=DNSQuestionType.QM)
    try:
        await asyncio.sleep(max(0.0, deadline - loop.time()))
        pending = [t for t in lookups.values() if not t.done()]
        if pending:  # a lookup started late gets a short grace to finish
            await asyncio.wait(pending, timeout=0.5)
    finally:
        await browser.async_cancel()
        for task in lookups.values():
            task.cancel()
        await aiozc.async_close()
    found: list[FoundMaster] = []
    for task in lookups.values():
        if task.cancelled() or not task.done() or task.exception() is not None:
            continue
        master = task.result()
        if master is not None and (event_id is None or master.event_id == event_id):
            found.append(master)
    return sorted(found, key=lambda m: (m.name, m.host, m.port))
