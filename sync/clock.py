"""The clock, one way: a `Clock` is a function that gives an aware datetime. Whatever records
a moment takes a Clock (or the moment itself) as an argument, so a test can set the time;
`utc_now` and `local_now` are the real ones. Pure logic never calls either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """Now, in UTC: what the ledger and the stores record."""
    return dt.datetime.now(dt.UTC)


def local_now() -> dt.datetime:
    """Now, in this machine's zone: what a screen shows beside its own clock."""
    return dt.datetime.now().astimezone()
