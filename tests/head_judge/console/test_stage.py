"""On stage: recorded in the ledger by the head judge and sent to every terminal."""

from __future__ import annotations

import pytest

from head_judge.actions import ON_STAGE, ActionRefused, HeadJudge
from head_judge.master import Master

from .conftest import world_app


def test_recorded_and_noticed_for_every_terminal(world: Master) -> None:
    head = HeadJudge(world)
    size = len(world.ledger)
    with pytest.raises(ActionRefused, match="no contestant"):
        head.announce_on_stage("L99")
    assert len(world.ledger) == size  # refused: nothing written
    seq = head.announce_on_stage("L07")
    entry = next(iter(world.ledger.entries(since=seq - 1)))
    assert (entry.kind, entry.actor, dict(entry.payload)) == (ON_STAGE, "head-judge",
                                                              {"contestant": "L07"})
    notices, _cursor = world.notices_since("J1", 0)
    assert notices[-1].kind == ON_STAGE and notices[-1].payload == {"contestant": "L07"}
    assert notices[-1].judge is None  # everyone
    assert head.last_on_stage() == "L07"
    head.announce_on_stage(None)
    assert head.last_on_stage() is None


async def test_console_key_puts_a_contestant_on_stage(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "s")
        await pilot.pause()
        assert app.on_stage == "L01"
        assert app.head.last_on_stage() == "L01"
