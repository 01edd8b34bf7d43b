"""The panel report (`j` on Results): read-only, confidential, in Chinese and in English, on
the deterministic livestream final of `world.py` under a fixed clock."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from head_judge.master import Master

from .conftest import world_app


async def open_panel(pilot: Pilot[Any]) -> None:
    await pilot.press("6", "j")
    await pilot.pause()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_panel_dialog(snap_compare: Any, world: Master, lang: str) -> None:
    before = len(world.ledger)
    assert snap_compare(world_app(world, lang), terminal_size=(120, 36), run_before=open_panel)
    assert len(world.ledger) == before  # it informs: nothing written
