"""tests/data/screen_state.json (the state the browser tests and the pages' development use)
has exactly the shape `screen_state` gives: every key path of the real state after reveals
and a publication, none other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from head_judge.reveal import reveal
from head_judge.screen_state import screen_state

from .test_actions import Final, close_everything, fixture_final

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "screen_state.json"


def paths(value: Any, at: str = "") -> set[str]:
    """Every key path in `value`, lists as `[]` (the union over their items)."""
    found = {at}
    if isinstance(value, dict):
        for key, item in value.items():
            found |= paths(item, f"{at}.{key}")
    elif isinstance(value, list):
        for item in value:
            found |= paths(item, f"{at}[]")
    return found


def test_the_fixture_state_has_the_shape_of_the_real_one(final: Final,
                                                         fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    for contestant in ("L08", "L05"):
        for flag in final.head.flags("open", contestant):
            final.head.accept_flag(flag.id, "genuine difference")
        reveal(final.head, contestant)
    final.head.announce_on_stage("L09")
    seen = paths(screen_state(final.head))
    close_everything(final)
    final.head.publish(("live", None))
    seen |= paths(screen_state(final.head))
    assert paths(json.loads(FIXTURE.read_text(encoding="utf-8"))) == seen
