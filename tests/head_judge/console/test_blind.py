"""A blind final (加密/解密) on the console: the title bar says identities are hidden (then
revealed), and every list of contestants shows the draw number beside the name (`[07] 钱华`):
the head judge sees both. Snapshots at 120x36 of the Overview, before and after the reveal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from head_judge.actions import HeadJudge
from head_judge.blind_actions import make_draw, reveal_identities
from head_judge.console.state import blind_mark, shown_event
from head_judge.master import Master
from sync.event_file import load_event
from sync.identity import ensure_master_identity

from .conftest import world_app
from .world import NOW, START, fixed_clock, seeded

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def blind_world(tmp_path: Path, fixtures_dir: Path) -> Iterator[Master]:
    """The livestream final, blind, drawn from a seed, nobody scored yet."""
    event = replace(load_event(fixtures_dir / "livestream-final" / "event.toml"), blind=True)
    home = tmp_path / "home"
    ensure_master_identity(home, now=START, rng=seeded("master identity"))
    master = Master.open(home, event, now=START)
    make_draw(HeadJudge(master, clock=fixed_clock), seed="公证处 2020-09-26")
    yield master
    master.close()


def test_contestants_show_draw_number_and_name(blind_world: Master) -> None:
    head = HeadJudge(blind_world, clock=fixed_clock)
    draws = dict(blind_world.ledger.conn.execute("SELECT contestant, draw FROM draws"))
    shown = shown_event(head).contestant("L01")
    assert shown is not None and shown.name == f"[{draws['L01']}] 钱华"
    assert shown.organisation == "南岗区总工会"  # the console shows identities
    assert blind_mark(head) == "blind_hidden"
    reveal_identities(head, "评分已全部锁定")
    assert blind_mark(head) == "blind_revealed"
    assert shown_event(head).contestant("L01") == shown  # both, before and after alike


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_of_a_blind_final(snap_compare: Any, blind_world: Master, lang: str) -> None:
    async def overview(pilot: Any) -> None:
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(world_app(blind_world, lang), terminal_size=(120, 36),
                        run_before=overview)


def test_overview_after_the_reveal(snap_compare: Any, blind_world: Master) -> None:
    reveal_identities(HeadJudge(blind_world, clock=lambda: NOW), "评分已全部锁定")

    async def overview(pilot: Any) -> None:
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(world_app(blind_world, "zh"), terminal_size=(120, 36),
                        run_before=overview)
