"""Fixtures of the chaos suite (the livestream final and its file) and the hooks that write
each test's results file (tests/chaos/common.py `record_results`) once it has finished."""

from __future__ import annotations

import time
from collections.abc import Generator
from pathlib import Path

import pytest

from sync.event import Event
from sync.event_file import load_event

from . import common

_STARTED = pytest.StashKey[float]()


@pytest.fixture
def event_path(fixtures_dir: Path) -> Path:
    return fixtures_dir / "livestream-final" / "event.toml"


@pytest.fixture
def event(event_path: Path) -> Event:
    return load_event(event_path)


def pytest_runtest_setup(item: pytest.Item) -> None:
    common.begin_test()
    item.stash[_STARTED] = time.time()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    # the call's outcome, or set-up's when the test never ran (skipped, broken fixture)
    if report.when == "call" or (report.when == "setup" and not report.passed):
        started = item.stash.get(_STARTED, time.time())
        reason, outcome = "", str(report.outcome)
        if hasattr(report, "wasxfail"):  # an expected failure: a known defect, named
            outcome, reason = ("xfailed" if report.skipped else "xpassed"), report.wasxfail
        elif report.skipped and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2])
        elif report.failed:
            reason = report.longreprtext.strip().splitlines()[-1][:500] \
                if report.longreprtext else ""
        common.record_results(item.nodeid, outcome, started, time.time() - started, reason)
