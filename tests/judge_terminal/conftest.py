"""A real master (tests/masters.py: head_judge.server over TLS on loopback, in-process) for
the Pilot tests, and helpers to drive the app."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from sync.client import SyncClient
from sync.store import TerminalStore
from tests.masters import Running, event, running
from tests.pilots import until

FAST = {"backoff_initial": 0.05, "backoff_max": 0.3, "offline_after": 1.0,
        "poll_interval": 0.2, "connect_timeout": 1.0, "request_timeout": 5.0}
"""SyncClient options so reconnecting takes a fraction of a second in tests."""

__all__ = ["FAST", "Running", "burst", "chars", "enrolled_store", "event", "running", "until"]


async def enrolled_store(home: Path, running: Running, judge: str = "J1") -> TerminalStore:
    """A terminal store enrolled with `running` (the way the CLI's `enrol` does it)."""
    store = TerminalStore.open(home)
    async with SyncClient(store) as client:
        await client.enrol(running.code(judge), "127.0.0.1", running.port)
    return store


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """Send keys as one burst, the way a fast typist or a code scanner does (Pilot.press
    waits for the app to go idle after every key), then let the app catch up. Single
    characters are typed; longer names are keys (`enter`, `f2`)."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        names = [key] if len(key) > 1 else [_character_to_key(key) if not key.isalnum() else key]
        for name in names:
            char = key if len(key) == 1 else None
            event = events.Key(name, char)
            event.set_sender(app)
            driver.send_message(event)
    await pilot.pause()


def chars(text: str) -> list[str]:
    return list(text)
