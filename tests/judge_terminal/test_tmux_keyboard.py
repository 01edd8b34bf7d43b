"""The scripted tmux run (`tmux_run`): enrol and score three contestants with the keyboard
only in a real terminal at 80x24, against `head-judge serve`; every sheet says saved and all
three end synced."""

from __future__ import annotations

import shutil

import pytest

from .tmux_run import WORDS, run

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (apt-get install -y tmux)")


def test_three_contestants_scored_with_the_keyboard_only_in_tmux() -> None:
    screens = run("zh")
    saved = [s for s in screens if WORDS["zh"]["saved"] in s]
    assert len(saved) == 3
    last = screens[-1]
    assert last.count(WORDS["zh"]["synced"]) == 3 and WORDS["zh"]["outbox0"] in last
    assert all(len(line) <= 80 for line in last.splitlines())
