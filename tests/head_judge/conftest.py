"""Fixtures of the head judge's tests: the livestream fixture's event, a final on it with
every judge's terminal enrolled, and `running` (a master serving it over TLS)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.event import Event
from tests.masters import running  # noqa: F401 (a fixture)

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
