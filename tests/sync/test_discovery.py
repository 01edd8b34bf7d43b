"""mDNS advertise and browse with real zeroconf sockets on loopback."""

from __future__ import annotations

import pytest

from sync import discovery
from sync.discovery import SERVICE_TYPE, NoNetwork, advertise, browse

LOOPBACK = ["127.0.0.1"]


async def test_browse_finds_an_advertised_master() -> None:
    adv = await advertise("hrb-live-2020-final", "总裁判长 head judge", 8765, ["127.0.0.1"],
                          interfaces=LOOPBACK)
    try:
        assert adv.info.type == SERVICE_TYPE
        found = await browse(1.5, interfaces=LOOPBACK)
    finally:
        await adv.close()
    mine = [m for m in found if m.port == 8765]
    assert len(mine) == 1
    master = mine[0]
    assert (master.host, master.event_id, master.proto) == ("127.0.0.1", "hrb-live-2020-final", 1)
    assert master.name == "总裁判长 head judge @127-0-0-1:8765" == adv.name
    assert master.addresses == ("127.0.0.1",)
    txt = {k.decode(): v.decode() for k, v in adv.info.properties.items() if v is not None}
    assert txt == {"event": "hrb-live-2020-final", "proto": "1", "port": "8765"}


async def test_same_name_twice_both_are_listed_and_event_filter_works() -> None:
    first = await advertise("ev-a", "head judge", 9001, ["127.0.0.1"], interfaces=LOOPBACK)
    second = await advertise("ev-b", "head judge", 9002, ["127.0.0.1"], interfaces=LOOPBACK)
    try:
        assert first.name != second.name
        everything = await browse(1.5, interfaces=LOOPBACK)
        # a responder answers the same question at most once a second (RFC 6762 §6), so a
        # second browse right after the first hears it only on the browser's re-query
        only_b = await browse(2.5, interfaces=LOOPBACK, event_id="ev-b")
    finally:
        await first.close()
        await second.close()
    assert {9001, 9002} <= {m.port for m in everything}
    assert [m.port for m in only_b] == [9002]


async def test_a_closed_advertisement_is_gone() -> None:
    adv = await advertise("ev-gone", "gone", 9003, ["127.0.0.1"], interfaces=LOOPBACK)
    await adv.close()
    await adv.close()  # twice is harmless
    assert [m for m in await browse(1.0, interfaces=LOOPBACK) if m.event_id == "ev-gone"] == []


async def test_long_names_are_cut_and_dots_removed() -> None:
    adv = await advertise("ev-long", "决赛." * 30, 9004, ["127.0.0.1"], interfaces=LOOPBACK)
    try:
        assert len(adv.name.encode()) <= 63 and adv.name.endswith(" @127-0-0-1:9004")
        assert "." not in adv.name
    finally:
        await adv.close()


@pytest.mark.parametrize(
    ("port", "addresses", "message"),
    [(0, ["127.0.0.1"], "not a TCP port"), (80, [], "at least one address"),
     (80, ["head-judge.local"], "does not appear to be an IPv4 or IPv6 address")],
)
async def test_advertise_refuses_bad_arguments(port: int, addresses: list[str],
                                               message: str) -> None:
    with pytest.raises(ValueError, match=message):
        await advertise("ev", "x", port, addresses, interfaces=LOOPBACK)


def _no_interfaces(*_args: object, **_kwargs: object) -> None:
    # what zeroconf raises on a laptop with no IPv4 address (Wi-Fi off, cable out)
    raise RuntimeError("No interfaces to listen on, check that any interfaces have IP version "
                       "IPVersion.V4Only")


async def test_no_network_is_its_own_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "AsyncZeroconf", _no_interfaces)
    with pytest.raises(NoNetwork, match="No interfaces to listen on") as raised:
        await browse(0.5)
    assert isinstance(raised.value.__cause__, RuntimeError)
    with pytest.raises(NoNetwork):
        await advertise("ev", "x", 8765, ["127.0.0.1"])
