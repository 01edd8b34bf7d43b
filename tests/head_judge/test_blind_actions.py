"""The head judge's acts of blind judging: the draw (seeded or imported), the reveal of
identities, publishing held back until it, and what the master sends each terminal while
identities are hidden; `head-judge draw` and `head-judge reveal-identities`."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from head_judge.blind import blind_event, blind_state
from head_judge.blind_actions import DrawRow, make_draw, reveal_identities
from head_judge.cli import main
from judge_terminal.words import contestant_name
from sync.event import Event
from sync.snapshot import event_snapshot, snapshot_digest

from .test_actions import Final, close_everything, fixture_final
from .test_master import Terminal

SEED = "2020-09-26 公证处 8841"


@pytest.fixture
def blind(tmp_path: Path, event: Event) -> Iterator[Final]:
    opened = Final(tmp_path / "blind", dataclasses.replace(event, blind=True))
    yield opened
    opened.close()


def draws(final: Final) -> dict[str, str]:
    return dict(blind_state(final.master.ledger.conn, final.event).draws)


def independent_draw(seed: str, ids: list[str]) -> dict[str, str]:
    """docs/blind.md's steps, written again from the text (not from head_judge.blind)."""
    keyed = sorted((hashlib.sha256(seed.encode("utf-8") + b"\n" + i.encode("utf-8"))
                    .hexdigest(), i) for i in set(ids))
    width = max(2, len(str(len(keyed))))
    return {i: str(n).zfill(width) for n, (_key, i) in enumerate(keyed, start=1)}


def test_the_seeded_draw_is_reproduced_from_the_documented_steps(blind: Final) -> None:
    entry = make_draw(blind.head, seed=f"  {SEED} ")
    (made,) = [e for e in blind.master.ledger.entries(entry - 1)]
    assert made.kind == "draw_made" and made.actor == "head-judge"
    ids = [c.id for c in blind.event.contestants]
    assert made.payload == {"method": "seed", "seed": SEED,
                            "draws": independent_draw(SEED, ids)}
    assert draws(blind) == independent_draw(SEED, ids)
    assert draws(blind) != independent_draw(SEED + " ", ids)  # the seed as recorded counts
    assert sorted(draws(blind).values()) == [f"{n:02d}" for n in range(1, 19)]


def test_a_redraw_before_scoring_replaces_the_draw_and_none_after(blind: Final) -> None:
    make_draw(blind.head, seed="first")
    make_draw(blind.head, rows=[(c.id, str(n)) for n, c in enumerate(blind.event.contestants,
                                                                      start=1)],
              file_name="draw.csv", digest="ab")
    assert draws(blind)["L01"] == "1" and draws(blind)["L18"] == "18"
    assert blind.send("J1", "L01")["status"] == "accepted"
    blind.refused(lambda: make_draw(blind.head, seed="again"), "already been received")


@pytest.mark.parametrize(("rows", "match"), [
    ([], "no rows"),
    ([("L01", "1"), ("L02", "01")], r"line 3: draw number 01 is repeated \(also on line 2"),
    ([("L99", "1")], "line 2: there is no contestant 'L99'"),
    ([("L01", " ")], "line 2: L01 has no draw number"),
    ([("L01", "1"), ("L01", "2")], r"line 3: L01 is given twice \(also on line 2\)"),
    ([("L01", "1 2")], "line 2: L01's draw number '1 2' is too long or has spaces"),
    ([("L01", "1")], "contestants without a draw number: L02, L03"),
])
def test_an_import_that_is_not_one_number_each_is_refused(
        blind: Final, rows: list[tuple[str, str]], match: str) -> None:
    others = [(c.id, str(n + 10)) for n, c in enumerate(blind.event.contestants)
              if c.id not in {r[0] for r in rows} and rows and "without" not in match]
    given = [DrawRow(c, d, line) for line, (c, d) in enumerate([*rows, *others], start=2)]
    blind.refused(lambda: make_draw(blind.head, rows=given, file_name="d.csv"), match)
    assert draws(blind) == {}


def test_a_draw_is_refused_when_it_cannot_be_made(blind: Final, final: Final) -> None:
    final.refused(lambda: make_draw(final.head, seed=SEED), "not blind")
    final.refused(lambda: reveal_identities(final.head, "done"), "not blind")
    blind.refused(lambda: make_draw(blind.head), "either a seed")
    blind.refused(lambda: make_draw(blind.head, seed=SEED, rows=[("L01", "1")]),
                  "either a seed")
    blind.refused(lambda: make_draw(blind.head, seed="  "), "the seed is required")
    blind.refused(lambda: reveal_identities(blind.head, "done"), "no draw has been made")
    make_draw(blind.head, seed=SEED)
    blind.refused(lambda: reveal_identities(blind.head, " "), "a reason for revealing")
    seq = reveal_identities(blind.head, "评分结束")
    state = blind_state(blind.master.ledger.conn, blind.event)
    assert (state.hidden, state.revealed_seq, state.revealed_reason) == (False, seq, "评分结束")
    blind.refused(lambda: reveal_identities(blind.head, "again"), f"revealed at ledger entry "
                  f"{seq}")
    blind.refused(lambda: make_draw(blind.head, seed="x"), "revealed")


def test_publishing_waits_for_the_reveal(blind: Final, fixtures_dir: Path) -> None:
    make_draw(blind.head, seed=SEED)
    fixture_final(blind, fixtures_dir)
    close_everything(blind)
    assert [b.id for b in blind.head.publish_blockers(("live", None))] == [
        "blocker_identities_hidden"]
    blind.refused(lambda: blind.head.publish(("live", None)), "identities are still hidden")
    reveal_identities(blind.head, "评分结束")
    assert blind.head.publish_blockers(("live", None)) == []
    assert blind.head.publish(("live", None)).version == 1


def test_a_terminal_gets_its_own_blind_view_and_the_full_event_after_the_reveal(
        blind: Final) -> None:
    master, event = blind.master, blind.event
    late = Terminal("J2", event.id)  # a laptop enrolled before the draw: no contestants
    answer = late.enrol(master, master.issue_codes(["J2"], now=blind.clock())[0].code,
                        blind.clock())
    assert answer["event"]["contestants"] == []
    assert answer["event_digest"] == snapshot_digest(blind_event(event, {}, "J2"))
    blind.terminals["J2"] = late
    assert blind.send("J1", "L01")["code"] == "unknown_contestant"  # nobody drawn yet

    make_draw(blind.head, seed=SEED)
    drawn = draws(blind)
    for judge in ("J2", "J4"):
        view = blind_event(event, drawn, judge)
        pulled = master.pull(blind.terminals[judge].pull(), blind.clock())
        assert pulled["event_digest"] == snapshot_digest(view) != master.event_digest
        changes = [n for n in pulled["notices"] if n["kind"] == "event_changed"]
        assert changes and all(n["payload"] == {"event_digest": snapshot_digest(view),
                                                "event": event_snapshot(view)}
                               for n in changes)
        text = json.dumps(pulled, ensure_ascii=False)
        assert "钱华" not in text and "南岗区总工会" not in text and "哈尔滨商业大学" not in text
    # J4 (哈尔滨职业技术学院) is told which draw numbers it must not score, and the master
    # refuses them as it always did
    j4 = blind_event(event, drawn, "J4")
    assert [c.id for c in j4.contestants if c.recuse] == ["L04", "L11", "L18"]
    assert blind.send("J4", "L04")["code"] == "recused"
    assert blind.send("J2", "L07")["code"] == "recused"  # L07 declared J2

    reveal_identities(blind.head, "评分结束")
    pulled = master.pull(blind.terminals["J2"].pull(), blind.clock())
    assert pulled["event_digest"] == master.event_digest
    assert pulled["notices"][-1]["payload"] == {"event_digest": master.event_digest,
                                                "event": event_snapshot(event)}


# --- the commands ---------------------------------------------------------------------------


def run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_draw_command_prints_the_draw_and_refuses_bad_files(blind: Final,
                                                                tmp_path: Path) -> None:
    home = blind.master.home
    blind.close()
    code, out, err = run(home, "draw", "--seed", SEED)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("已按种子 ") and lines[1].startswith("draw from the seed ")
    assert lines[2].split() == ["抽签号", "draw", "选手", "contestant"]
    expected = independent_draw(SEED, [c.id for c in blind.event.contestants])
    assert [line.split() for line in lines[3:]] == sorted(
        [[d, c] for c, d in expected.items()])

    bad = tmp_path / "bad.csv"
    bad.write_bytes("选手,抽签号\nL01,7\nL02,07\nL99,3\n".encode("gb18030"))
    before = bad.read_bytes()
    code, out, err = run(home, "draw", "--import", str(bad))
    assert code == 2 and out == ""
    assert "错误：第 3 行：抽签号 07 重复（另见第 2 行，L01）" in err
    assert "error: line 4: there is no contestant 'L99'" in err
    assert "error: contestants without a draw number: L03" in err
    assert err.rstrip().endswith("the draw was not recorded")
    assert bad.read_bytes() == before
    code, _out, err = run(home, "draw", "--import", str(tmp_path / "none.csv"))
    assert code == 2 and "none.csv" in err
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("contestant,number\nL01,1\n", encoding="utf-8")
    code, _out, err = run(home, "draw", "--import", str(wrong))
    assert code == 2 and "missing column(s) draw" in err

    good = tmp_path / "draw.csv"
    good.write_bytes(("contestant,draw\n" + "".join(
        f"{c.id},{n:02d}\n" for n, c in enumerate(blind.event.contestants, start=1))
                      ).encode("gb18030"))
    code, out, err = run(home, "draw", "--import", str(good))
    assert code == 0, err
    assert hashlib.sha256(good.read_bytes()).hexdigest() in out
    assert out.splitlines()[-1].split() == ["18", "L18"]

    code, _out, err = run(home, "reveal-identities")
    assert code == 2 and "错误：请填写解密原因" in err
    code, out, err = run(home, "reveal-identities", "--reason", "评分结束")
    assert code == 0 and "identities revealed" in out
    code, _out, err = run(home, "draw", "--seed", "x")
    assert code == 2 and "错误：选手身份已于账本第" in err


def test_the_judge_terminal_names_a_hidden_contestant_by_draw_number(event: Event) -> None:
    blind_final = dataclasses.replace(event, blind=True)
    view = blind_event(blind_final, independent_draw(SEED, [c.id for c in event.contestants]),
                       "J1")
    first = view.contestants[0]
    assert contestant_name(view, first, "zh") == f"抽签号 {first.name}"
    assert contestant_name(view, first, "en") == f"Draw {first.name}"
    revealed = blind_final.contestants[0]
    assert contestant_name(blind_final, revealed, "zh") == revealed.name == "钱华"
