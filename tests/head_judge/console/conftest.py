"""The console under test: a deterministic world for snapshots and screen tests, and the real
thing (the console with the master's server on its loop, over TLS on loopback) for the
flows with simulated judges."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Static

from head_judge.console.app import ConsoleApp
from head_judge.console.serving import ServeOptions
from head_judge.master import Master
from sync.event_file import load_event
from tests.pilots import until

from .world import NOW, build, fixed_clock, reopen

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture(scope="session")
def world_home(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("world") / "home"
    build(home, fixtures_dir).close()
    return home


@pytest.fixture
def world(world_home: Path, tmp_path: Path) -> Iterator[Master]:
    """A copy of the deterministic world, opened."""
    home = tmp_path / "home"
    shutil.copytree(world_home, home)
    master = reopen(home)
    yield master
    master.close()


def world_app(master: Master, lang: str = "en", **options: Any) -> ConsoleApp:
    return ConsoleApp(master, clock=fixed_clock, lang=lang, prints=Path("prints"), **options)


@asynccontextmanager
async def serving_console(home: Path, event_file: Path, *, lang: str = "en",
                          size: tuple[int, int] = (120, 36)
                          ) -> AsyncIterator[tuple[ConsoleApp, Pilot[int]]]:
    """The console as `head-judge serve` runs it: the server on the app's loop, real TLS on
    loopback (no mDNS, no periodic checkpoints)."""
    master = Master.open(home, load_event(event_file), now=utc_now())
    app = ConsoleApp(master, serve=ServeOptions("127.0.0.1", 0, advertise=False,
                                                checkpoint_interval=None),
                     lang=lang, prints=home / "prints", event_folder=event_file.parent)
    try:
        async with app.run_test(size=size) as pilot:
            await until(pilot, lambda: app.port is not None, what="the server")
            yield app, pilot
    finally:
        master.close()


def shown(widget: Widget) -> str:
    """What a Static or a DataTable shows, as plain text (a table: one line per row)."""
    if isinstance(widget, DataTable):
        rows = []
        for row_key in widget.rows:
            cells = widget.get_row(row_key)
            rows.append("  ".join(c.plain if isinstance(c, Text) else str(c) for c in cells))
        return "\n".join(rows)
    if isinstance(widget, Static):
        rendered = widget.render()
        return getattr(rendered, "plain", str(rendered))
    raise TypeError(f"cannot read {widget!r}")


def screen_text(app: ConsoleApp, selector: str) -> str:
    return shown(app.screen.query_one(selector))


def kinds(master: Master) -> list[str]:
    return [e.kind for e in master.ledger.entries()]


def entries(master: Master, kind: str) -> list[dict[str, Any]]:
    return [dict(e.payload) for e in master.ledger.entries() if e.kind == kind]


__all__ = ["NOW", "entries", "kinds", "screen_text", "serving_console", "shown", "until",
           "world_app"]
