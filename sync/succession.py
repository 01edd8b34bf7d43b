"""The succession record (issue 26): the master names its successor, the standby master,
in a record it signs with its own key; a terminal keeps the latest one and accepts that
successor's key, and no other, when the master is gone. Pure: no I/O, no clock."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from .records import RecordError, SignedRecord

__all__ = ["SUCCESSION_KIND", "Succession", "read_succession", "succession_body"]

SUCCESSION_KIND: Final = "succession"


@dataclass(frozen=True)
class Succession:
    """A succession record, read: the successor's keys and where it will serve."""

    event: str
    key: bytes
    fingerprint: bytes
    addresses: tuple[str, ...]
    port: int
    at: str


def succession_body(*, event: str, key: bytes, fingerprint: bytes,
                    addresses: Sequence[str], port: int, at: str) -> dict[str, Any]:
    """The body the master signs to name its successor."""
    return {"v": 1, "kind": SUCCESSION_KIND, "event": event,
            "key": base64.b64encode(key).decode("ascii"),
            "fingerprint": base64.b64encode(fingerprint).decode("ascii"),
            "addresses": list(addresses), "port": port, "at": at}


def read_succession(record: SignedRecord, master_key: bytes) -> Succession:
    """The succession `record` says, if `master_key` signed it; RecordError otherwise."""
    if not record.verify(master_key):
        raise RecordError("the succession record is not signed by the head judge's key")
    body = record.parsed()
    try:
        key = base64.b64decode(str(body["key"]), validate=True)
        fingerprint = base64.b64decode(str(body["fingerprint"]), validate=True)
        addresses = tuple(str(a) for a in body["addresses"])
        port = body["port"]
        if body.get("kind") != SUCCESSION_KIND or len(key) != 32 or len(fingerprint) != 32 \
                or type(port) is not int or not 0 < port < 65536:
            raise ValueError
        return Succession(str(body["event"]), key, fingerprint, addresses, port,
                          str(body["at"]))
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise RecordError("the succession record is not one") from None
