"""The audience's screen server over real HTTP on loopback: its routes and refusals, its
pushes (a state at connect, a new one within half a second of a reveal written by another
connection), viewers that misbehave without slowing the judges' server, and the leak test: a
whole final run through the master while every byte the screen port sends is recorded, with
no figure of an unrevealed contestant or an unpublished ranking in it."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import logging
import re
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from click.testing import CliRunner

from head_judge import screen_server
from head_judge.actions import HeadJudge
from head_judge.cli import main
from head_judge.master import Master
from head_judge.reveal import reveal
from head_judge.screen_fonts import FONT_NAMES
from head_judge.screen_server import (
    PAGES,
    SCREEN_WORDS,
    ScreenServer,
    ScreenUnavailable,
    ScreenWords,
    screen_urls,
)
from head_judge.screen_state import public_version, screen_state
from head_judge.server import MasterServer, run_master
from sync.event import Event
from sync.event_file import load_event
from sync.phrases import fields

from .test_actions import Final
from .test_master import NOW

D = Decimal
FAST = {"poll_seconds": 0.05}


@dataclass
class Screen:
    server: ScreenServer
    session: aiohttp.ClientSession
    received: bytearray = field(default_factory=bytearray)
    """Every byte this test was sent by the screen port (bodies and SSE streams)."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    async def get(self, path: str, method: str = "GET", **kwargs: Any
                  ) -> tuple[aiohttp.ClientResponse, bytes]:
        async with self.session.request(method, self.base + path, allow_redirects=False,
                                        **kwargs) as response:
            body = await response.read()
        self.received += body
        return response, body


@asynccontextmanager
async def screen_of(head: HeadJudge, **options: Any) -> AsyncIterator[Screen]:
    server = ScreenServer(head, **{**FAST, **options})
    await server.start("127.0.0.1", 0)
    session = aiohttp.ClientSession()
    try:
        yield Screen(server, session)
    finally:
        await session.close()
        await server.close()


@pytest.fixture
def assets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of pages and assets standing in for the package's, with a secret beside it."""
    folder = tmp_path / "screen_assets"
    folder.mkdir()
    for page in PAGES:
        (folder / f"{page}.html").write_text(f"<!doctype html><title>{page}</title>",
                                             encoding="utf-8")
    (folder / "screen.js").write_text("console.log(1)", encoding="utf-8")
    (folder / "screen.css").write_text("body{}", encoding="utf-8")
    (folder / "notes.txt").write_text("not served: no type", encoding="utf-8")
    (folder / ".hidden.js").write_text("SECRET-HIDDEN", encoding="utf-8")
    (tmp_path / "secret.js").write_text("SECRET-OUTSIDE", encoding="utf-8")
    (tmp_path / "secret.html").write_text("SECRET-OUTSIDE", encoding="utf-8")
    monkeypatch.setattr(screen_server, "ASSETS", folder)
    return folder


class SSE:
    """One `/events` stream, read in the background: its bytes and the states it carried."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.raw = bytearray()
        self.states: list[dict[str, Any]] = []
        self.arrived: list[float] = []
        self.headers: Any = None
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def __aenter__(self) -> SSE:
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self._ready.wait(), 5)
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self.screen.received += self.raw

    async def _read(self) -> None:
        async with self.screen.session.get(self.screen.base + "/events") as response:
            self.headers = response.headers
            buffer = b""
            while True:
                chunk = await response.content.readany()
                if not chunk:
                    return
                self.raw += chunk
                buffer += chunk
                while b"\n\n" in buffer:
                    frame, buffer = buffer.split(b"\n\n", 1)
                    lines = frame.split(b"\n")
                    if b"event: state" in lines:
                        data = next(line for line in lines if line.startswith(b"data: "))
                        self.states.append(json.loads(data[len(b"data: "):]))
                        self.arrived.append(time.monotonic())
                        self._ready.set()

    async def version(self, version: int, within: float = 0.5) -> dict[str, Any]:
        """The first state of at least `version`, which must arrive within `within` s."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for state in self.states:
                if state["version"] >= version:
                    return state
            await asyncio.sleep(0.01)
        raise AssertionError(f"no state of version {version} within {within} s; "
                             f"got {[s['version'] for s in self.states]}")


def scored_final(final: Final, *contestants: str) -> None:
    for cid in contestants:
        final.score(cid)


# --- routes -----------------------------------------------------------------------------------


async def test_pages_assets_state_and_headers(final: Final, assets: Path) -> None:
    async with screen_of(final.head) as screen:
        for page in PAGES:
            response, body = await screen.get(f"/{page}")
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert body == (assets / f"{page}.html").read_bytes()
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        response, _ = await screen.get("/screen?animate=0")
        assert response.status == 200
        response, body = await screen.get("/assets/screen.js")
        assert (response.status, response.headers["Content-Type"], body) == (
            200, "text/javascript; charset=utf-8", b"console.log(1)")
        response, _ = await screen.get("/assets/screen.css")
        assert response.headers["Content-Type"] == "text/css; charset=utf-8"
        response, _ = await screen.get("/")
        assert (response.status, response.headers["Location"]) == (302, "/screen")
        response, body = await screen.get("/state")
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"
        assert json.loads(body) == json.loads(json.dumps(screen_state(final.head)))
        response, body = await screen.get("/state", "HEAD")
        assert (response.status, body) == (200, b"")
        response, body = await screen.get("/events", "HEAD")
        assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"
        assert body == b""


async def test_fonts_are_the_pages_faces_only(final: Final) -> None:
    async with screen_of(final.head) as screen:
        assert "fk-han-s.ttf" in FONT_NAMES
        response, body = await screen.get("/assets/fonts/fk-han-s.ttf")
        assert (response.status, response.headers["Content-Type"]) == (200, "font/ttf")
        assert body[:4] in (b"\0\1\0\0", b"true", b"OTTO")
        response, body = await screen.get("/assets/fonts/wqy-microhei.ttf", "HEAD")
        assert (response.status, response.headers["Content-Type"], body) == (
            200, "font/ttf", b"")
        for name in ("wqy-microhei.ttc", "LICENSE", "nope.ttf", "..%2FLICENSE"):
            response, _ = await screen.get(f"/assets/fonts/{name}")
            assert response.status == 404, name


async def test_unknown_paths_404(final: Final, assets: Path) -> None:
    async with screen_of(final.head) as screen:
        for path in ("/nope", "/screen.html", "/assets/", "/assets/nope.js",
                     "/assets/notes.txt", "/assets/.hidden.js", "/state/x", "/events/",
                     "/v1/hello", "/v1/push", "/assets/fonts/"):
            response, body = await screen.get(path)
            assert response.status == 404, path
            assert "没有这个页面" in body.decode() and "no such page" in body.decode()
            assert b"SECRET" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
async def test_every_other_method_405_and_writes_nothing(final: Final, assets: Path,
                                                         method: str) -> None:
    before = final.counts()
    async with screen_of(final.head) as screen:
        for path in ("/state", "/events", "/screen", "/", "/nope", "/v1/push",
                     "/assets/screen.js"):
            response, body = await screen.get(path, method, data=b'{"records": []}')
            assert response.status == 405, path
            assert response.headers["Allow"] == "GET, HEAD"
            assert "只读" in body.decode()
    assert final.counts() == before


async def raw_request(port: int, target: str) -> bytes:
    """`GET target` sent as it is (no client normalises the dots), the whole answer."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    return answer


@pytest.mark.parametrize("target", [
    "/assets/../secret.js", "/assets/%2e%2e/secret.js", "/assets/..%2fsecret.js",
    "/assets/..%2Fsecret.js", "/assets/%2E%2E%2Fsecret.js", "/assets/..\\secret.js",
    "/assets/..%5csecret.js", "/assets/fonts/../../secret.js",
    "/assets/fonts/..%2f..%2fsecret.js", "/assets/./../secret.js", "/../secret.html",
    "/%2e%2e/secret.html", "/assets//etc/passwd", "/assets/%2Fetc%2Fpasswd",
    "/assets/fonts/%2E%2E%2F%2E%2E%2Fscreen_server.py", "/assets/..%2f..%2fscreen_server.py",
    "/assets/.hidden.js", "/assets/%2ehidden.js", "/assets/screen.js%00.html",
    "/assets/fonts/..%2fLICENSE", "//etc/passwd", "/assets/~/secret.js",
])
async def test_no_path_traversal(tmp_path: Path, event: Event, assets: Path, target: str
                                 ) -> None:
    master = Master.open(tmp_path / "home", event, now=NOW)
    async with screen_of(HeadJudge(master)) as screen:
        assert screen.server.port is not None
        answer = await raw_request(screen.server.port, target)
    master.close()
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 404), (target, answer[:200])
    for secret in (b"SECRET", b"root:", b"import ", b"Copyright"):
        assert secret not in answer, target


# --- pushes -----------------------------------------------------------------------------------


async def test_sse_state_at_connect_then_within_half_a_second_of_another_writer(
        final: Final, tmp_path: Path) -> None:
    """Another connection to the ledger (as `head-judge reveal` from the CLI is) writes; the
    viewers hear of it within half a second, and the state is computed once for all."""
    scored_final(final, "L01", "L02")
    other = Master.open(tmp_path / "home", final.event, now=NOW)
    try:
        elsewhere = HeadJudge(other)
        async with screen_of(final.head) as screen, SSE(screen) as first, SSE(screen) as second:
            assert first.headers["Content-Type"] == "text/event-stream; charset=utf-8"
            assert first.headers["Cache-Control"] == "no-store"
            assert first.raw.startswith(b"retry: 1000\n\nevent: state\ndata: {")
            assert first.states[0]["reveal"] is None
            computed = screen.server.computed
            for act in (lambda: elsewhere.announce_on_stage("L02"),
                        lambda: reveal(elsewhere, "L01")):
                act()
                written = time.monotonic()
                version = public_version(other.ledger.conn)
                for viewer in (first, second):
                    state = await viewer.version(version, within=0.5)
                    assert viewer.arrived[viewer.states.index(state)] - written < 0.5
            assert state["on_stage"]["contestant"] == "L02"
            assert state["reveal"]["contestant"] == "L01"
            assert screen.server.computed == computed + 2  # once per change, not per viewer
    finally:
        other.close()


async def test_results_published_reaches_viewers(final: Final, tmp_path: Path) -> None:
    everyone = [c.id for c in final.event.contestants]
    scored_final(final, *everyone)
    data = tmp_path / "data.csv"
    data.write_text("contestant,value\n" + "".join(f"{cid},{60 + n}.25\n"
                                                    for n, cid in enumerate(everyone)))
    final.head.import_components("data", data)
    for cid in everyone:
        with contextlib.suppress(Exception):
            final.head.accept_flags(cid, "经核实 checked")
        final.head.lock(cid)
    async with screen_of(final.head) as screen, SSE(screen) as viewer:
        final.head.publish(("live", None))
        state = await viewer.version(public_version(final.master.ledger.conn))
        assert state["published"][0]["version"] == 1
        assert state["leaderboards"][0]["provisional"] is False


async def test_ping_every_interval(final: Final) -> None:
    async with screen_of(final.head, ping_seconds=0.1) as screen, SSE(screen) as viewer:
        await asyncio.sleep(0.35)
        assert viewer.raw.count(b"\n: ping\n\n") >= 2


async def test_a_viewer_that_never_reads_is_dropped(final: Final) -> None:
    async with screen_of(final.head, write_timeout=0.3) as screen:
        assert screen.server.port is not None
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", screen.server.port))
        sock.sendall(b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            for _ in range(100):
                if screen.server.viewers:
                    break
                await asyncio.sleep(0.02)
            (viewer,) = screen.server.viewers
            big = b"event: state\ndata: " + b"x" * 4_000_000 + b"\n\n"
            deadline = time.monotonic() + 10
            while screen.server.viewers and time.monotonic() < deadline:
                viewer.offer(big)  # more than the kernel's buffers take: its write stalls
                await asyncio.sleep(0.1)
            assert not screen.server.viewers
        finally:
            sock.close()


async def test_connections_beyond_the_cap_get_503(final: Final) -> None:
    async with screen_of(final.head, max_connections=2) as screen:
        assert screen.server.port is not None
        held = [socket.create_connection(("127.0.0.1", screen.server.port)) for _ in range(2)]
        try:
            await asyncio.sleep(0.1)
            answer = await raw_request(screen.server.port, "/state")
            assert answer.startswith(b"HTTP/1.1 503")
        finally:
            for sock in held:
                sock.close()
        await asyncio.sleep(0.1)
        assert (await raw_request(screen.server.port, "/state")).startswith(b"HTTP/1.1 200")


async def test_misbehaving_viewers_do_not_stop_the_judges_server(final: Final) -> None:
    judges = MasterServer(final.master, checkpoint_interval=None)
    judges_port = await judges.start("127.0.0.1", 0)
    connector = aiohttp.TCPConnector(ssl=False)
    try:
        async with screen_of(final.head, write_timeout=0.5) as screen, \
                aiohttp.ClientSession(connector=connector) as client:
            assert screen.server.port is not None
            port = screen.server.port
            bad: list[socket.socket] = []
            for request in (b"GET /events HTTP/1.1\r\nHost: x\r\n\r\n",  # never reads
                            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" * 50,  # TLS
                            b"GARBAGE \xff\xfe\r\n\r\n" * 100,
                            b"GET /state HTTP/1.1\r\nHost: x\r\nX-Slow: ",  # half a request
                            b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\n\r\n"):
                for _ in range(20):
                    sock = socket.socket()
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                    sock.connect(("127.0.0.1", port))
                    sock.setblocking(False)
                    with contextlib.suppress(BlockingIOError, ConnectionError):
                        sock.sendall(request)
                    bad.append(sock)
            try:
                for cid in ("L01", "L02", "L03"):
                    final.head.announce_on_stage(cid)
                    started = time.monotonic()
                    async with client.get(f"https://127.0.0.1:{judges_port}/v1/hello") as r:
                        assert r.status == 200
                    assert time.monotonic() - started < 0.5
                    await asyncio.sleep(0.15)
                response, body = await screen.get("/state")  # and the screen still answers
                assert response.status == 200 and json.loads(body)["on_stage"]
            finally:
                for sock in bad:
                    sock.close()
    finally:
        await judges.close()


# --- starting it ------------------------------------------------------------------------------


async def test_a_taken_port_is_said_in_both_languages(final: Final) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        server = ScreenServer(final.head)
        with pytest.raises(ScreenUnavailable) as refused:
            await server.start("127.0.0.1", port)
        await server.close()
    text = str(refused.value)
    assert f"观众大屏幕无法在端口 {port} 上开启" in text
    assert f"cannot listen on port {port}" in text and "--no-screen" in text


def event_file(fixtures_dir: Path) -> Path:
    return fixtures_dir / "livestream-final" / "event.toml"


async def test_serving_prints_the_urls_and_survives_a_taken_screen_port(
        tmp_path: Path, fixtures_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="head_judge")
    with socket.create_server(("127.0.0.1", 0)) as taken:
        busy = taken.getsockname()[1]
        for screen_port, home in ((0, "a"), (busy, "b")):
            stop, bound = asyncio.Event(), asyncio.Future[int]()
            task = asyncio.create_task(run_master(
                tmp_path / home, event_file(fixtures_dir), "127.0.0.1", 0, advertise=False,
                stop=stop, on_listening=bound.set_result, checkpoint_interval=None,
                screen_port=screen_port))
            port = await asyncio.wait_for(bound, 10)
            await asyncio.sleep(0.2)
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False)) as s, \
                    s.get(f"https://127.0.0.1:{port}/v1/hello") as response:
                assert response.status == 200  # the judges are served either way
            if screen_port == 0:
                found = re.search(r"观众大屏幕 http://127\.0\.0\.1:(\d+)/screen", caplog.text)
                assert found is not None, caplog.text
                urls = screen_urls("127.0.0.1", int(found[1]))
                assert f"直播叠加层 {urls['overlay']}" in caplog.text
                assert (f"big screen {urls['screen']}  livestream overlay {urls['overlay']}"
                        f"  results {urls['results']}") in caplog.text
                async with aiohttp.ClientSession() as s, s.get(
                        urls["screen"].replace("/screen", "/state")) as response:
                    assert response.status == 200
            else:
                assert f"观众大屏幕无法在端口 {busy} 上开启" in caplog.text
                assert f"cannot listen on port {busy}" in caplog.text
            stop.set()
            await asyncio.wait_for(task, 10)


def test_serve_options(tmp_path: Path, fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch
                       ) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["serve", "--help"])
    assert "--screen-port" in shown.output and "--no-screen" in shown.output
    assert f"[default: {screen_server.DEFAULT_SCREEN_PORT};" in shown.output
    asked: list[int | None] = []

    async def fake_run_master(*_: object, screen_port: int | None = None, **__: object
                              ) -> None:
        asked.append(screen_port)

    monkeypatch.setattr("head_judge.server.run_master", fake_run_master)
    for options, expected in (([], 8766), (["--screen-port", "0"], 0),
                              (["--screen-port", "9000", "--no-screen"], None)):
        ran = runner.invoke(main, ["--home", str(tmp_path), "serve", "--headless",
                                   str(event_file(fixtures_dir)), *options])
        assert ran.exit_code == 0, ran.output
        assert asked.pop() == expected
    wrong = runner.invoke(main, ["--home", str(tmp_path), "serve", "x.toml",
                                 "--screen-port", "70000"])
    assert wrong.exit_code == 2 and "70000" in wrong.output
    assert not (tmp_path / "ledger.sqlite").exists()


def test_every_word_in_both_languages() -> None:
    for key, text in SCREEN_WORDS.items():
        assert text.zh and text.en and text.zh != text.en, key
        assert fields(text.zh) == fields(text.en), key
    urls = ScreenWords("screen_urls", **screen_urls("::1", 8766))
    assert "http://[::1]:8766/overlay" in urls.render("zh")


# --- the leak test ----------------------------------------------------------------------------


@dataclass
class Recorder:
    """Everything the screen port sends, gathered at each step of a final."""

    screen: Screen
    static: list[str]
    json_bytes: bytearray = field(default_factory=bytearray)
    """/state bodies and the SSE stream: the documents made from the record."""

    async def step(self, viewer: SSE) -> None:
        version = public_version(self.screen.server.head.master.ledger.conn)
        await viewer.version(version, within=1.0)
        _, body = await self.screen.get("/state")
        assert json.loads(body)["version"] == version
        self.json_bytes += body + b"\n"
        for path in ("/", "/screen", "/overlay", "/results", "/screen?animate=0",
                     *self.static):
            await self.screen.get(path)


def read_sheets_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


async def test_nothing_unrevealed_or_unpublished_leaks(tmp_path: Path, fixtures_dir: Path
                                                       ) -> None:
    """The roadshow final (three rankings): sheets with comments pushed, flags raised and
    accepted, the stage component imported, some contestants revealed (one again after the
    import), the international ranking published, the rest left as they are; every byte the
    screen port sent all along is searched for what must not be in it."""
    folder = fixtures_dir / "roadshow-final"
    event: Event = load_event(folder / "event.toml")
    final = Final(tmp_path / "home", event)
    head = final.head
    sheets = read_sheets_csv(folder / "sheets.csv")
    criteria = [c.id for c in event.criteria]
    hashes: dict[str, list[str]] = {}

    def send(cid: str) -> None:
        for row in sheets:
            if row["contestant"] != cid:
                continue
            judge = row["judge"]
            terminal = final.terminals[judge]
            record = terminal.sheet(cid, {k: D(row[k]) for k in criteria}, commit=False,
                                    comment=f"评语{judge}{cid}秘密 comment-{judge}-{cid}")
            assert final.push(judge, record)["status"] == "accepted"
            body = record.parsed()
            terminal.seq, terminal.prev = body["seq"], record.hash
            terminal.current[cid] = (body["revision"], record.hash)
            hashes.setdefault(cid, []).append(record.hash)

    def settle(cid: str) -> None:
        if head.flags(status="open", contestant=cid):
            head.accept_flags(cid, "经核实无误 checked with the panel")

    static = [f"/assets/{p.name}" for p in sorted(screen_server.ASSETS.glob("*"))
              if p.suffix in (".js", ".css", ".svg", ".html")]
    revealed: set[str] = set()
    try:
        async with screen_of(head) as screen, SSE(screen) as viewer:
            record = Recorder(screen, static)
            await record.step(viewer)
            for font in FONT_NAMES:  # binary and static: served, not searched
                response, _ = await screen.get(f"/assets/fonts/{font}", "HEAD")
                assert response.status == 200
            video = [c.id for c in event.contestants if c.track == "video"]
            intl = [c.id for c in event.contestants if c.track == "intl"]
            site = [c.id for c in event.contestants if c.track == "site"]
            for cid in video + intl:
                head.announce_on_stage(cid)
                await record.step(viewer)
                send(cid)
                await record.step(viewer)
            for cid in ["V01", "V02", "V03", "I01", "I02"]:
                settle(cid)
                reveal(head, cid)
                revealed.add(cid)
                await record.step(viewer)
            head.import_components("stage", folder / "stage.csv")
            await record.step(viewer)
            for cid in ["V01", "V04"]:  # V01 again, now with its final score
                settle(cid)
                reveal(head, cid)
                revealed.add(cid)
                await record.step(viewer)
            for cid in intl:
                settle(cid)
                head.lock(cid)
            head.publish(("intl", None))
            await record.step(viewer)
            for cid in site:
                head.announce_on_stage(cid)
                send(cid)
                await record.step(viewer)
            head.announce_on_stage(None)
            await record.step(viewer)
        everything = bytes(screen.received)
        documents = bytes(record.json_bytes) + bytes(viewer.raw)
        # the figures, computed from the record as the head judge's side holds them
        document = head.current_results().to_document()
        flags = head.flags()
    finally:
        final.close()
    rows = {row["contestant"]: row for scope in document["scopes"] for row in scope["ranking"]}
    published = {c.id for c in event.contestants if c.track == "intl"}
    allowed: set[str] = set()
    forbidden: dict[str, set[str]] = {}
    for cid, row in rows.items():
        figures = {*row["judges"].values(), *(v for v in row["components"].values() if v)}
        if row["final"]:
            figures.add(row["final"])
        if cid in revealed:
            allowed |= figures
        else:
            forbidden[cid] = figures
            if cid in published:
                allowed.add(row["final"])
    stage = {r["contestant"]: r["value"] for r in read_sheets_csv(folder / "stage.csv")}
    for cid, value in stage.items():
        if cid not in revealed:
            forbidden.setdefault(cid, set()).add(value)

    leaks = []
    for cid, figures in forbidden.items():
        for figure in figures - allowed:
            quoted = f'"{figure}"'.encode()
            if quoted in documents or ("." in figure and len(figure) >= 5
                                       and figure.encode() in everything):
                leaks.append((cid, figure))
    assert not leaks, leaks
    assert len([f for figs in forbidden.values() for f in figs - allowed]) > 50  # a real test

    # no sheet, comment, criterion or flag of anyone, revealed or not
    for needle in ["评语", "comment-", "秘密",  # criteria as JSON strings: names of components
                   *(f'"{c.id}"' for c in event.criteria),  # may contain them ("defence")
                   *(f'"{c.name.zh}"' for c in event.criteria),
                   *(f'"{c.name.en}"' for c in event.criteria),
                   "criterion_spread", "total_spread", "outlier", "flag",
                   *(h for hs in hashes.values() for h in hs),
                   *(final.terminals[j.id].device for j in event.judges)]:
        assert needle.encode() not in everything, needle
    assert {f.contestant for f in flags} - revealed  # flags of the unrevealed were raised

    # and structurally: a contestant's figures appear only where they may
    for line in documents.split(b"\n"):
        if not line.startswith((b"{", b"data: {")):
            continue
        state = json.loads(line.removeprefix(b"data: "))
        if state["reveal"] is not None:
            assert state["reveal"]["contestant"] in revealed
        for board in state["leaderboards"]:
            for row in board["rows"]:
                assert row["contestant"] in revealed or (
                    not board["provisional"] and row["contestant"] in published)
                if row["contestant"] not in revealed:
                    assert "panel" not in row or row["panel"] is None
        for board in state["published"]:
            assert board["track"] == "intl"


def identity_words(event: Event) -> set[str]:
    """Every name, member, organisation and instructor of the final's contestants."""
    words: set[str] = set()
    for c in event.contestants:
        words |= {c.name, c.organisation, c.instructor,
                  *(m for m in re.split(r"[、,，;；/ ]+", c.members))}
    return {w for w in words if w}


async def test_a_blind_final_shows_draw_numbers_until_identities_are_revealed(
        tmp_path: Path, fixtures_dir: Path) -> None:
    """A blind final (the roadshow's): drawn, contestants on stage, scored and revealed (亮分):
    every byte the screen port sends carries draw numbers and no name, member, organisation
    or instructor; after `reveal-identities` (解密) the names are there."""
    from dataclasses import replace as with_

    from head_judge.blind_actions import make_draw, reveal_identities

    event = with_(load_event(fixtures_dir / "roadshow-final" / "event.toml"), blind=True)
    final = Final(tmp_path / "home", event)
    head = final.head
    secret = identity_words(event)
    try:
        make_draw(head, seed="公证处 2024-07-01")
        draws = dict(head.master.ledger.conn.execute("SELECT contestant, draw FROM draws"))
        async with screen_of(head) as screen, SSE(screen) as viewer:
            record = Recorder(screen, [])
            await record.step(viewer)
            for cid in ["V01", "V02"]:
                head.announce_on_stage(cid)
                final.score(cid)
                if head.flags(status="open", contestant=cid):
                    head.accept_flags(cid, "经核实无误 checked")
                reveal(head, cid)
                await record.step(viewer)
            hidden = bytes(screen.received) + bytes(record.json_bytes) + bytes(viewer.raw)
            state = json.loads(record.json_bytes.splitlines()[-1])
            reveal_identities(head, "评分已全部锁定 all scores locked")
            await record.step(viewer)
            after = json.loads(record.json_bytes.splitlines()[-1])
    finally:
        final.close()
    text = hidden.decode("utf-8", "replace")
    found = sorted(w for w in secret if w in text or json.dumps(w)[1:-1] in text)
    assert not found, found
    assert state["reveal"]["name"] == f"抽签号 {draws['V02']} Draw {draws['V02']}"
    assert state["on_stage"]["organisation"] == ""
    assert after["reveal"]["name"] == "海风2队"
    assert after["reveal"]["organisation"] == "青岛大学"
