"""The console with the audience's screen: its address on the top line, and a warning in the
console's language (the judges still served) when its port is taken."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import aiohttp

from head_judge.console.app import ConsoleApp
from head_judge.console.serving import ServeOptions
from head_judge.console.widgets.title_bar import TitleBar
from head_judge.master import Master
from sync.event_file import load_event
from tests.pilots import until

from .conftest import shown


async def run(tmp_path: Path, fixtures_dir: Path, screen_port: int, lang: str
              ) -> tuple[str, str, int | None]:
    """The top line, the notifications and the screen's port of a serving console."""
    event = load_event(fixtures_dir / "livestream-final" / "event.toml")
    master = Master.open(tmp_path / "home", event, now=dt.datetime.now(dt.UTC))
    app = ConsoleApp(master, serve=ServeOptions("127.0.0.1", 0, advertise=False,
                                                checkpoint_interval=None,
                                                screen_port=screen_port), lang=lang)
    try:
        async with app.run_test(size=(160, 36)) as pilot:
            await until(pilot, lambda: app.port is not None, what="the server")
            await pilot.pause(0.1)
            assert app.serving is not None
            screen = app.serving.screen
            if screen is not None:
                async with aiohttp.ClientSession() as session, session.get(
                        f"http://127.0.0.1:{screen.port}/state") as response:
                    assert response.status == 200
            notes = " ".join(str(n.message) for n in app._notifications)
            return (shown(app.screen.query_one(TitleBar)), notes,
                    screen.port if screen is not None else None)
    finally:
        master.close()


async def test_the_top_line_shows_the_screen(tmp_path: Path, fixtures_dir: Path) -> None:
    top, notes, port = await run(tmp_path, fixtures_dir, 0, "zh")
    assert port is not None and f"大屏幕 :{port}/screen" in top
    assert "大屏幕无法" not in notes


async def test_a_taken_screen_port_is_a_warning(tmp_path: Path, fixtures_dir: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        busy = taken.getsockname()[1]
        top, notes, port = await run(tmp_path, fixtures_dir, busy, "zh")
    assert port is None and "大屏幕 :" not in top and "服务中" in top
    assert f"观众大屏幕无法在端口 {busy} 上开启" in notes
