"""Driving Textual apps in tests: shared by the judge terminal's and the console's tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def until(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10.0,
                what: str = "condition") -> float:
    """Let the app run until `condition` holds; the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"{what} not met within {timeout} s")
        await pilot.pause(0.02)
    return time.monotonic() - start
