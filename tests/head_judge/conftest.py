"""Fixtures of the head judge's tests: the livestream fixture's event, and a final on it with
every judge's terminal enrolled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.event import Event

from .test_actions import Final
from .test_master import fixture_event


@pytest.fixture
def event(fixtures_dir: Path) -> Event:
    return fixture_event(fixtures_dir)


@pytest.fixture
def final(tmp_path: Path, event: Event) -> Iterator[Final]:
    opened = Final(tmp_path / "home", event)
    yield opened
    opened.close()
