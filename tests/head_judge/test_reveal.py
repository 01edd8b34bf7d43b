"""The reveal (亮分) and the public screen state: what the hall may see, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from head_judge.actions import ActionRefused
from head_judge.master import DB_FILE
from head_judge.reveal import reveal
from head_judge.screen_state import public_version, screen_state

from .test_actions import Final, close_everything, fixture_final
from .test_master import table_counts


def _expected(fixtures_dir: Path) -> dict[str, dict[str, object]]:
    document = json.loads((fixtures_dir / "livestream-final" / "expected-results.json")
                          .read_text(encoding="utf-8"))
    return {s["contestant"]: s for s in document["scopes"][0]["ranking"]}


def test_a_reveal_shows_the_judges_totals_the_struck_ones_and_the_final(
        final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    expected = _expected(fixtures_dir)["L08"]
    before = public_version(final.master.ledger.conn)
    for flag in final.head.flags("open", "L08"):
        final.head.accept_flag(flag.id, "genuine difference")
    reveal(final.head, "L08")
    state = screen_state(final.head)
    assert state["version"] > before
    shown = state["reveal"]
    assert shown["contestant"] == "L08" and shown["final"] == expected["final"]
    assert {f"J{j['seat']}": j["total"] for j in shown["judges"]} == expected["judges"]
    assert sorted(f"J{j['seat']}" for j in shown["judges"] if j["dropped"]) == \
        sorted(expected["dropped"])
    assert [j["label"]["zh"] for j in shown["judges"]] == ["评委1", "评委2", "评委3", "评委4",
                                                           "评委5"]
    assert {c["id"]: c["value"] for c in shown["components"]} == expected["components"]
    (board,) = state["leaderboards"]
    assert board["provisional"] and [r["contestant"] for r in board["rows"]] == ["L08"]


def test_a_contestant_with_a_missing_sheet_or_an_open_flag_is_not_revealed(
        final: Final, fixtures_dir: Path) -> None:
    final.score("L01", {})
    final.send("J1", "L02")
    before = table_counts(final.master.home / DB_FILE)
    with pytest.raises(ActionRefused) as caught:
        reveal(final.head, "L02")
    assert caught.value.message.id == "cannot_reveal"
    assert "尚缺" in caught.value.message.render("zh")
    assert table_counts(final.master.home / DB_FILE) == before


def test_nothing_unrevealed_or_unpublished_is_in_the_state(final: Final,
                                                          fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    expected = _expected(fixtures_dir)
    state = json.dumps(screen_state(final.head), ensure_ascii=False)
    for contestant, standing in expected.items():
        assert f'"{standing["final"]}"' not in state, contestant
    for flag in final.head.flags("open", "L05"):
        final.head.accept_flag(flag.id, "genuine difference")
    reveal(final.head, "L05")
    state = json.dumps(screen_state(final.head), ensure_ascii=False)
    assert f'"{expected["L05"]["final"]}"' in state
    others = [s for c, s in expected.items() if c != "L05"
              and s["final"] != expected["L05"]["final"]]
    assert not [s["contestant"] for s in others if f'"{s["final"]}"' in state]
    for word in ("comment", "criterion", "flag", "sheet"):
        assert f'"{word}' not in state


def test_publishing_replaces_the_provisional_board_and_a_new_version_says_so(
        final: Final, fixtures_dir: Path) -> None:
    fixture_final(final, fixtures_dir)
    close_everything(final)
    final.head.publish(("live", None))
    state = screen_state(final.head)
    (board,) = state["leaderboards"]
    assert not board["provisional"] and board["version"] == 1 and not board["republished"]
    first = board["rows"][0]
    assert first["contestant"] == "L08" and first["prize"] == {"zh": "一等奖",
                                                               "en": first["prize"]["en"]}


def test_judges_are_named_on_the_screen_only_when_the_event_says_so(
        tmp_path: Path, fixtures_dir: Path) -> None:
    import dataclasses

    from sync.event_file import load_event
    event = load_event(fixtures_dir / "livestream-final" / "event.toml")
    for named in (False, True):
        final = Final(tmp_path / f"home-{named}",
                      dataclasses.replace(event, screen_judge_names=named))
        try:
            final.score("L01")
            reveal(final.head, "L01")
            judges = screen_state(final.head)["reveal"]["judges"]
            names = [j["name"] for j in judges]
            if named:
                assert names[0] == {"zh": event.judges[0].name.get("zh"),
                                    "en": event.judges[0].name.get("en")}
            else:
                assert names == [None] * len(judges)
        finally:
            final.close()
