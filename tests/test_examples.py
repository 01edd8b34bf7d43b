"""The repository stands alone (issue 28): the example finals and the test data are inside it,
and the tests read them there unless FINALS_FIXTURES says otherwise."""

from __future__ import annotations

import json
import os

from tests.conftest import FIXTURES, REPO, TEST_DATA

FINALS = ("livestream-final", "roadshow-final", "roadshow-awards")


def test_the_example_finals_and_test_data_are_in_the_repository() -> None:
    if "FINALS_FIXTURES" not in os.environ:
        assert FIXTURES == REPO / "examples"
    for final in FINALS:
        folder = REPO / "examples" / final
        assert (folder / "event.toml").is_file() and (folder / "contestants.csv").is_file()
        document = json.loads((folder / "expected-results.json").read_text(encoding="utf-8"))
        assert document["scopes"], final
    assert (TEST_DATA / "registration" / "jiangsu-entry-forms.xlsx").stat().st_size > 0
