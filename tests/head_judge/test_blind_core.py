"""The pure core of blind judging: the seeded draw and the event a judge's terminal sees
while identities are hidden."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from head_judge.blind import blind_event, draw_width, seeded_draw
from sync.event_file import load_event
from sync.snapshot import event_snapshot

ids = st.lists(st.text(alphabet="ABCLSV0123456789", min_size=1, max_size=4), min_size=1,
               max_size=120, unique=True)


@given(st.text(max_size=30), ids)
def test_a_draw_numbers_every_contestant_once(seed: str, contestants: list[str]) -> None:
    draw = seeded_draw(seed, contestants)
    width = draw_width(len(contestants))
    assert sorted(draw) == sorted(contestants)
    assert sorted(draw.values()) == [str(n).zfill(width) for n in range(1, len(contestants) + 1)]
    assert seeded_draw(seed, reversed(contestants)) == draw  # the list's order does not count


def test_another_seed_draws_differently() -> None:
    contestants = [f"C{i:02d}" for i in range(1, 21)]
    assert seeded_draw("2025-09-20 公证处", contestants) != seeded_draw("2025-09-21", contestants)
    assert draw_width(9) == 2 and draw_width(100) == 3


def test_a_judge_sees_draw_numbers_and_their_own_recusals_only(fixtures_dir: Path) -> None:
    event = load_event(fixtures_dir / "roadshow-final" / "event.toml")
    draw = seeded_draw("seed", [c.id for c in event.contestants])
    for judge in event.judges:
        seen = blind_event(event, draw, judge.id)
        text = json.dumps(event_snapshot(seen), ensure_ascii=False)
        for c in event.contestants:
            for secret in (c.name, c.members, c.organisation, c.instructor):
                assert not secret or secret not in text, (judge.id, secret)
        assert {j.affiliation for j in seen.judges} == {""}
        for c in seen.contestants:
            original = event.contestant(c.id)
            assert original is not None
            assert c.name == draw[c.id]
            assert seen.is_recused(judge, c) == event.is_recused(judge, original)
            assert set(c.recuse) <= {judge.id}  # nothing about other judges' recusals
