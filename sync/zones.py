"""The event's time zone (`[event] timezone`, docs/event-file.md): every time shown or printed is in
it, with its offset. Times recorded (the ledger, signed sheets) stay UTC; only what people
read is converted, at the edge.

`event_zone` names the zone; None means the laptop's own, which `astimezone(None)` gives."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .event import Event

__all__ = ["event_zone", "in_zone", "is_zone_name", "offset_text", "recorded_moment", "shown_iso",
           "with_offset", "zone_names", "zone_of"]


def is_zone_name(name: str) -> bool:
    """Whether `name` is an IANA time zone this machine knows (`Asia/Shanghai`, `UTC`)."""
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def zone_names() -> frozenset[str]:
    """Every IANA name this machine knows (reads the zone database: for error hints only)."""
    return frozenset(available_timezones())


def event_zone(event: Event | None) -> dt.tzinfo | None:
    """The zone the event names, or None: the laptop's own."""
    if event is None or event.timezone is None:
        return None
    return ZoneInfo(event.timezone)


def zone_of(event: Event | None, fallback: dt.tzinfo | None) -> dt.tzinfo | None:
    """The event's zone, or `fallback` (e.g. the tzinfo of the laptop's clock) without one."""
    return event_zone(event) or fallback


def in_zone(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """`moment` (aware) in `zone`; with no zone, as it is."""
    return moment.astimezone(zone) if zone is not None else moment


def offset_text(moment: dt.datetime) -> str:
    """`+08:00` for an aware `moment`; "" for a naive one."""
    offset = moment.strftime("%z")
    return f"{offset[:3]}:{offset[3:5]}" if offset else ""


def with_offset(moment: dt.datetime, fmt: str = "%H:%M:%S") -> str:
    """`10:31:05 +08:00`: `moment` as `fmt` shows it, then its offset."""
    return " ".join(filter(None, (moment.strftime(fmt), offset_text(moment))))


def recorded_moment(iso: str) -> dt.datetime | None:
    """A recorded ISO time (`2020-09-26T02:31:05.000Z`) as an aware datetime; None for a time
    without a zone or text that is not a time."""
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def shown_iso(iso: str, zone: dt.tzinfo | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A recorded ISO time as people read it, in `zone` (None: the laptop's own) with its
    offset: `2020-09-26 10:31:05 +08:00`. A time without a zone, or text that is not a time,
    is shown as given."""
    moment = recorded_moment(iso)
    return iso if moment is None else with_offset(moment.astimezone(zone), fmt)
