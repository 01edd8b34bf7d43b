"""On stage: recorded in the ledger and sent to every terminal when the master's projections
hold the `on_stage` kind; marked on the console only (and said so) until they do."""

from __future__ import annotations

import sqlite3

import pytest

from head_judge.actions import ActionRefused, HeadJudge
from head_judge.console.stage import ON_STAGE, announce_on_stage, last_on_stage, records_on_stage
from head_judge.ledger import Entry
from head_judge.master import Master
from head_judge.projections import MasterProjections, add_notice

from .conftest import world_app


class StageProjections(MasterProjections):
    """The master's projections with the handler the console needs (for this test only)."""

    def __init__(self) -> None:
        super().__init__()
        self._handlers[ON_STAGE] = self._on_stage

    def _on_stage(self, conn: sqlite3.Connection, entry: Entry) -> None:
        add_notice(conn, entry, ON_STAGE, None, {"contestant": entry.payload["contestant"]})


def test_refused_while_the_projections_cannot_hold_it(world: Master) -> None:
    assert not records_on_stage(world)
    size = len(world.ledger)
    with pytest.raises(ActionRefused, match="cannot record who is on stage"):
        announce_on_stage(HeadJudge(world), "L01")
    assert len(world.ledger) == size


def test_recorded_and_noticed_for_every_terminal(world: Master) -> None:
    world.ledger.projector = StageProjections()
    head = HeadJudge(world)
    assert records_on_stage(world)
    with pytest.raises(ActionRefused, match="no contestant"):
        announce_on_stage(head, "L99")
    seq = announce_on_stage(head, "L07")
    entry = next(iter(world.ledger.entries(since=seq - 1)))
    assert (entry.kind, entry.actor, dict(entry.payload)) == (ON_STAGE, "head-judge",
                                                              {"contestant": "L07"})
    notices, _cursor = world.notices_since("J1", 0)
    assert notices[-1].kind == ON_STAGE and notices[-1].payload == {"contestant": "L07"}
    assert notices[-1].judge is None  # everyone
    assert last_on_stage(world) == "L07"


async def test_console_marks_locally_and_says_so(world: Master) -> None:
    app = world_app(world)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("1", "s")
        assert app.on_stage == "L01" and app.stage_local
        assert any("console only" in n.message for n in app._notifications)
