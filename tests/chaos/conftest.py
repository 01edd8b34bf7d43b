"""Fixtures of the chaos suite: the livestream final and its file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync.event import Event
from sync.event_file import load_event


@pytest.fixture
def event_path(fixtures_dir: Path) -> Path:
    return fixtures_dir / "livestream-final" / "event.toml"


@pytest.fixture
def event(event_path: Path) -> Event:
    return load_event(event_path)
