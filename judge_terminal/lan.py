"""Head judges on the venue LAN, for the first-run list: who advertises (mDNS), the
fingerprint of each one's TLS key, and the event it runs.

Nothing found here is trusted: the list only helps the judge pick, and the enrolment code's
pinned fingerprint decides (`sync.client` checks it before sending anything). To read a
master's fingerprint this opens a TLS connection, reads the certificate from the handshake
and closes it without sending a byte; the event name then comes from `GET /v1/hello` pinned
to that fingerprint.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sync.client import (
    MasterRefused,
    MasterUnreachable,
    NotTheMaster,
    PinMismatch,
    SyncClient,
    SyncError,
)
from sync.discovery import FoundMaster, NoNetwork, browse
from sync.event import Text
from sync.identity import client_ssl_context, fingerprint_of_cert_der


@dataclass(frozen=True)
class SeenMaster:
    """A master heard on the LAN (or given with --master), with what could be read of it."""

    host: str
    port: int
    label: str
    event_id: str = ""
    event_name: Text | None = None
    fingerprint: bytes | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


async def read_fingerprint(host: str, port: int, timeout: float = 3.0) -> bytes | None:
    """The SPKI fingerprint of the TLS certificate `host:port` presents, or None."""
    try:
        _reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=client_ssl_context(),
                                    server_hostname=host), timeout)
    except (OSError, TimeoutError, ValueError):
        return None
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        return fingerprint_of_cert_der(der) if der else None
    except ValueError:
        return None
    finally:
        writer.transport.abort()


async def describe(client: SyncClient, host: str, port: int, label: str = "",
                   event_id: str = "") -> SeenMaster:
    fingerprint = await read_fingerprint(host, port)
    name: Text | None = None
    if fingerprint is not None:
        with contextlib.suppress(SyncError):
            hello = await client.hello(host, port, fingerprint)
            raw = hello.get("name")
            if isinstance(raw, dict):
                name = Text(str(raw.get("zh") or ""), str(raw.get("en") or ""))
            event_id = str(hello.get("event") or event_id)
    return SeenMaster(host, port, label or f"{host}:{port}", event_id, name, fingerprint)


def _usable(found: FoundMaster) -> list[str]:
    return [h for h in (found.addresses or (found.host,)) if "%" not in h]


async def find_masters(client: SyncClient, timeout: float = 3.0, *,
                       on_no_network: Callable[[NoNetwork], None] | None = None
                       ) -> list[SeenMaster]:
    """Masters heard on the LAN within `timeout` seconds, each described. An empty list
    when this laptop has no network to listen on; `on_no_network` is then told why."""
    try:
        found = await browse(timeout)
    except NoNetwork as exc:
        if on_no_network is not None:
            on_no_network(exc)
        return []
    return await describe_all(client, [(h, m.port, m.name, m.event_id)
                                       for m in found for h in _usable(m)[:1]])


async def describe_all(client: SyncClient,
                       where: Sequence[tuple[str, int, str, str]]) -> list[SeenMaster]:
    return list(await asyncio.gather(*(describe(client, *w) for w in where)))


REFUSALS = {"bad_code": "enrol_bad_code", "seat_locked": "enrol_seat_locked",
            "unknown_seat": "enrol_unknown_seat", "stale_session": "enrol_stale"}
"""The words for a master's refusal of an enrolment, by the code it answers with."""


def enrol_problem(exc: SyncError, seat: int) -> tuple[str, dict[str, object]]:
    """Why an enrolment with one master failed, as the terminal's words say it: the id and
    its fields (the app's enrolment screen and `judge-terminal enrol`)."""
    if isinstance(exc, NotTheMaster):
        return "enrol_not_master", {}
    if isinstance(exc, MasterRefused) and exc.code in REFUSALS:
        return REFUSALS[exc.code], {"seat": seat}
    if isinstance(exc, PinMismatch):
        return "enrol_pin", {}
    if isinstance(exc, MasterUnreachable):
        return "enrol_unreachable", {"reason": exc.reason}
    return "enrol_failed", {"reason": exc.reason}
