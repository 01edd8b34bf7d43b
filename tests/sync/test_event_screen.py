"""`[screen] judge_names`: whether the audience's screen names the judges (issue 23)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sync.event_file import load_event
from sync.problems import InputProblems
from sync.snapshot import event_from_snapshot, event_snapshot, snapshot_digest


def event_with(tmp_path: Path, fixtures_dir: Path, extra: str) -> Path:
    folder = tmp_path / "final"
    shutil.copytree(fixtures_dir / "livestream-final", folder)
    path = folder / "event.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + extra, encoding="utf-8")
    return path


def test_judge_names_are_off_unless_the_event_says_so(tmp_path: Path,
                                                      fixtures_dir: Path) -> None:
    plain = load_event(fixtures_dir / "livestream-final" / "event.toml")
    assert plain.screen_judge_names is False
    assert "screen_judge_names" not in event_snapshot(plain)  # digests of old events stay
    off = load_event(event_with(tmp_path / "off", fixtures_dir,
                                "[screen]\njudge_names = false\n"))
    assert snapshot_digest(off) == snapshot_digest(plain)
    on = load_event(event_with(tmp_path / "on", fixtures_dir, "[screen]\njudge_names = true\n"))
    assert on.screen_judge_names is True
    assert snapshot_digest(on) != snapshot_digest(plain)
    assert event_from_snapshot(event_snapshot(on)).screen_judge_names is True


@pytest.mark.parametrize(("extra", "where", "said"), [
    ('[screen]\njudge_names = "yes"\n', "screen.judge_names", "true or false"),
    ('[screen]\nnames = true\n', "screen.names", "unknown key"),
])
def test_a_wrong_screen_key_names_itself(tmp_path: Path, fixtures_dir: Path, extra: str,
                                         where: str, said: str) -> None:
    with pytest.raises(InputProblems) as raised:
        load_event(event_with(tmp_path, fixtures_dir, extra))
    assert any(p.where == where and said in p.message for p in raised.value.problems), \
        [str(p) for p in raised.value.problems]
