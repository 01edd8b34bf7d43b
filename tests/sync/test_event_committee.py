"""`[appeals]`: the appeals committee's members by name (issue 21) and the rules of appeal
(issue 27)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from sync.event import AppealRules
from sync.event_file import load_event
from sync.problems import InputProblems
from sync.snapshot import snapshot_digest


def event_with(tmp_path: Path, fixtures_dir: Path, extra: str) -> Path:
    folder = tmp_path / "final"
    shutil.copytree(fixtures_dir / "livestream-final", folder)
    path = folder / "event.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return path


def test_the_committee_is_read_by_name(tmp_path: Path, fixtures_dir: Path) -> None:
    plain = load_event(fixtures_dir / "livestream-final" / "event.toml")
    assert plain.committee is None
    event = load_event(event_with(tmp_path, fixtures_dir,
                                  '[appeals]\ncommittee = ["张伟", " 李娜 "]\n'))
    assert event.committee == ("张伟", "李娜")
    assert snapshot_digest(event) != snapshot_digest(plain)


@pytest.mark.parametrize(("extra", "where", "said"), [
    ('[appeals]\ncommittee = []\n', "appeals.committee", "empty"),
    ('[appeals]\ncommittee = ["张伟", "张伟"]\n', "appeals.committee[1]", "listed twice"),
    ('[appeals]\ncommittee = ["张伟", " "]\n', "appeals.committee[1]", "empty"),
    ('[appeals]\ncommittee = "张伟"\n', "appeals.committee", "expected a list"),
    ('[appeals]\nmembers = ["张伟"]\n', "appeals.members", "unknown key"),
])
def test_a_wrong_committee_names_its_key(tmp_path: Path, fixtures_dir: Path, extra: str,
                                         where: str, said: str) -> None:
    with pytest.raises(InputProblems) as raised:
        load_event(event_with(tmp_path, fixtures_dir, extra))
    assert any(p.where == where and said in p.message for p in raised.value.problems), \
        [str(p) for p in raised.value.problems]


def test_the_rules_of_appeal_are_read_and_travel_in_the_digest(tmp_path: Path,
                                                                fixtures_dir: Path) -> None:
    """Issue 27: the appeal window, quorum, majority and whether judgement may be appealed;
    a file that sets none of them keeps its digest."""
    only = load_event(event_with(tmp_path, fixtures_dir, '[appeals]\ncommittee = ["张伟"]\n'))
    assert only.appeal_rules == AppealRules()
    event = load_event(event_with(
        tmp_path / "b", fixtures_dir,
        '[appeals]\ncommittee = ["张伟", "李娜", "王磊"]\nwindow_minutes = 30\nquorum = 3\n'
        'majority = "two_thirds"\nallow_judgement = true\n'))
    assert event.appeal_rules == AppealRules(window_minutes=30, quorum=3,
                                             majority="two_thirds", allow_judgement=True)
    assert snapshot_digest(event) != snapshot_digest(
        dataclasses.replace(event, appeal_rules=AppealRules()))
    assert snapshot_digest(only) == snapshot_digest(
        dataclasses.replace(only, appeal_rules=AppealRules()))


@pytest.mark.parametrize(("extra", "where", "said"), [
    ('[appeals]\nwindow_minutes = 0\n', "appeals.window_minutes", "at least 1"),
    ('[appeals]\nwindow_minutes = "half an hour"\n', "appeals.window_minutes",
     "whole number"),
    ('[appeals]\nquorum = 2\n', "appeals.quorum", "needs the committee"),
    ('[appeals]\ncommittee = ["张伟", "李娜"]\nquorum = 3\n', "appeals.quorum", "1 to 2"),
    ('[appeals]\nmajority = "most"\n', "appeals.majority", '"simple" or "two_thirds"'),
    ('[appeals]\nallow_judgement = "yes"\n', "appeals.allow_judgement", "true or false"),
])
def test_wrong_rules_of_appeal_name_their_key(tmp_path: Path, fixtures_dir: Path, extra: str,
                                              where: str, said: str) -> None:
    with pytest.raises(InputProblems) as raised:
        load_event(event_with(tmp_path, fixtures_dir, extra))
    assert any(p.where == where and said in p.message for p in raised.value.problems), \
        [str(p) for p in raised.value.problems]
