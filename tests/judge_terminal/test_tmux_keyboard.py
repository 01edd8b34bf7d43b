"""The scripted tmux run (`tmux_run`, also `make tui-script`): enrol (the short code's
digits and Enter) and score three contestants with the keyboard only in a real terminal at
80x24 against `head-judge serve`; the card's master fingerprint is shown after enrolling;
every sheet says saved and all three end synced; a half-typed sheet survives SIGKILL."""

from __future__ import annotations

import shutil

import pytest

from .tmux_run import ENROL_KEYS, HALF_TYPED, WORDS, run

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (apt-get install -y tmux)")


def test_three_contestants_scored_with_the_keyboard_only_in_tmux() -> None:
    words = WORDS["zh"]
    screens = run("zh")
    assert ENROL_KEYS == [11]  # ten digits for seat 1, then Enter (the old code: 84 and Enter)
    assert len([s for s in screens if words["saved"] in s]) == 3
    restored = [s for s in screens if words["restored"] in s][-1]
    assert all(f" {value} " in restored for value in HALF_TYPED[1])
    last = screens[-1]
    assert last.count(words["synced"]) == 3 and words["outbox0"] in last
    assert "~ 草稿" in last  # the half-typed sheet is still a draft, not lost
