"""`[appeals] committee`: the appeals committee's members by name (issue 21)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
