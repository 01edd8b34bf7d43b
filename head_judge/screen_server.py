"""The audience's screen over plain HTTP (docs/venue-guide.md, "The big screen"): the pages of
`head_judge/screen_assets/` and their fonts (`screen_fonts`), the state they show and its
pushes, on a port of its own.

Read-only by construction: the only routes are GETs (HEAD too), any other method is 405, any
other path 404, and the only data it ever sends is `screen_state(head)` (the revealed and the
published, nothing else), besides the package's own files. It runs on the master's event loop
beside the judges' `MasterServer`, so it never makes a judge wait for long: the state is
computed once per change of `public_version` (polled every `poll_seconds`, since `head-judge
reveal` may write the ledger from another process), encoded once, and the same bytes are
written to every viewer; a viewer holds at most one unsent state (a newer one replaces it), a
viewer that does not take a write within `write_timeout` seconds is dropped, and beyond
`max_connections` open connections a new one is answered 503 and closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from aiohttp import web

from sync.event import Text
from sync.phrases import Phrase

from .actions import HeadJudge
from .master import MasterError
from .screen_fonts import font_file
from .screen_state import public_version, screen_state

__all__ = [
    "DEFAULT_SCREEN_PORT",
    "PAGES",
    "SCREEN_WORDS",
    "ScreenServer",
    "ScreenUnavailable",
    "ScreenWords",
    "screen_urls",
]

log = logging.getLogger("head_judge")

DEFAULT_SCREEN_PORT: Final = 8766
PAGES: Final = ("screen", "overlay", "results")
"""The pages, each `/NAME` from `screen_assets/NAME.html`."""
ASSETS: Final = Path(__file__).with_name("screen_assets")

POLL_SECONDS: Final = 0.1
PING_SECONDS: Final = 10.0
WRITE_TIMEOUT: Final = 10.0
MAX_CONNECTIONS: Final = 600
RETRY_MS: Final = 1000
"""Told to every EventSource: reconnect one second after losing the master."""

CONTENT_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
    ".ttf": "font/ttf",
}
"""What is served and as what (fixed here, not guessed: Windows' registry maps some of these
differently)."""
_FILE_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+")

SECURITY_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # nothing from anywhere but this port: no CDN, no internet, even by mistake
    "Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'",
}
NO_STORE: Final = {"Cache-Control": "no-store"}
ALLOWED_METHODS: Final = ("GET", "HEAD")

_REFUSED_CONNECTION: Final = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 5\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")


SCREEN_WORDS: Final[dict[str, Text]] = {
    "screen_urls": Text("观众大屏幕 {screen}  直播叠加层 {overlay}  成绩公布 {results}",
                        "big screen {screen}  livestream overlay {overlay}  results {results}"),
    "screen_port_taken": Text(
        "观众大屏幕无法在端口 {port} 上开启（{reason}）；评委服务照常进行。"
        "可用 --screen-port 换一个端口，或用 --no-screen 关闭大屏幕",
        "the audience's screen cannot listen on port {port} ({reason}); the judges are "
        "served as usual. Choose another port with --screen-port, or turn the screen off "
        "with --no-screen"),
    "not_found": Text("没有这个页面", "no such page"),
    "method_not_allowed": Text("观众大屏幕只读，只接受 GET 和 HEAD",
                               "the audience's screen is read-only: GET and HEAD only"),
}
"""What serving the screen says on the master's terminal and log, and in its error pages."""


class ScreenWords(Phrase):
    """One sentence of `SCREEN_WORDS`."""

    catalogue = SCREEN_WORDS


class ScreenUnavailable(MasterError):
    """The screen's port cannot be bound; `phrase` says so in both languages."""

    def __init__(self, phrase: ScreenWords) -> None:
        super().__init__(f"{phrase.render('zh')}\n{phrase}")
        self.phrase = phrase


def screen_urls(address: str, port: int) -> dict[str, str]:
    """The pages' addresses on `address:port`, by page name."""
    host = f"[{address}]" if ":" in address else address
    return {page: f"http://{host}:{port}/{page}" for page in PAGES}


def _plain(status: int, phrase: ScreenWords, headers: dict[str, str] | None = None
           ) -> web.Response:
    text = f"{status} {phrase.render('zh')} / {phrase}\n"
    return web.Response(status=status, text=text, headers={**(headers or {}), **NO_STORE})


@web.middleware
async def _guard(request: web.Request,
                 handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                 ) -> web.StreamResponse:
    """Only GET and HEAD, anywhere (nothing here writes); unknown paths 404; the security
    headers on every answer."""
    if request.method not in ALLOWED_METHODS:
        response: web.StreamResponse = _plain(
            405, ScreenWords("method_not_allowed"), {"Allow": ", ".join(ALLOWED_METHODS)})
    else:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            if exc.status == 405:
                response = _plain(405, ScreenWords("method_not_allowed"),
                                  {"Allow": ", ".join(ALLOWED_METHODS)})
            elif exc.status >= 400:
                response = _plain(404 if exc.status == 404 else exc.status,
                                  ScreenWords("not_found"))
            else:
                raise
    if not response.prepared:
        response.headers.update(SECURITY_HEADERS)
    return response


@dataclass(eq=False)
class _Viewer:
    """One open `/events` stream: the newest state not yet written to it (only the newest
    matters: each state is whole), and who wakes its writer."""

    pending: bytes | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False

    def offer(self, frame: bytes) -> None:
        self.pending = frame
        self.wake.set()

    def close(self) -> None:
        self.closed = True
        self.wake.set()


class _CappedSite(web.SockSite):
    """aiohttp's `SockSite`, except that beyond `cap` open connections a new one is answered
    503 at once and closed: viewers cannot take every file descriptor of the process that
    serves the judges."""

    def __init__(self, runner: web.BaseRunner, sock: socket.socket, cap: int) -> None:
        super().__init__(runner, sock)
        self._cap = cap

    async def start(self) -> None:
        await super(web.SockSite, self).start()  # BaseSite: registers the site
        loop = asyncio.get_running_loop()
        server = self._runner.server
        assert server is not None
        cap = self._cap

        def protocol() -> asyncio.BaseProtocol:
            if len(server.connections) >= cap:
                return _Refuse()
            return server()

        self._server = await loop.create_server(protocol, sock=self._sock,
                                                backlog=self._backlog)


class _Refuse(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(_REFUSED_CONNECTION)
        transport.close()


class ScreenServer:
    """The screen's aiohttp application over one head judge's master. `start` binds (a
    MasterError, in both languages, if it cannot); `close` stops."""

    def __init__(self, head: HeadJudge, *, poll_seconds: float = POLL_SECONDS,
                 ping_seconds: float = PING_SECONDS, write_timeout: float = WRITE_TIMEOUT,
                 max_connections: int = MAX_CONNECTIONS) -> None:
        self.head = head
        self.poll_seconds = poll_seconds
        self.ping_seconds = ping_seconds
        self.write_timeout = write_timeout
        self.max_connections = max_connections
        self.viewers: set[_Viewer] = set()
        self.version: int | None = None
        """The `public_version` the state below was computed at."""
        self.state_json: bytes = b""
        self.frame: bytes = b""
        self.computed = 0
        """How many times the state was computed (once per change, however many viewers)."""
        self._failed_at: int | None = None
        self._poller: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._socket: socket.socket | None = None
        self.port: int | None = None
        self.app = web.Application(middlewares=[_guard])
        self.app.router.add_get("/", self._root)
        for page in PAGES:
            self.app.router.add_get(f"/{page}", self._page)
        self.app.router.add_get("/state", self._state)
        self.app.router.add_get("/events", self._events)
        self.app.router.add_get("/assets/fonts/{name}", self._font)
        self.app.router.add_get("/assets/{name}", self._asset)

    # --- running ------------------------------------------------------------------------------

    async def start(self, host: str, port: int) -> int:
        """Listen on `host:port` (0: any free port); the port bound. ScreenUnavailable if
        it cannot."""
        try:
            family = socket.AF_INET6 if ":" in host else socket.AF_INET
            sock = socket.create_server((host, port), family=family, backlog=128)
        except OSError as exc:
            raise ScreenUnavailable(ScreenWords(
                "screen_port_taken", port=port, reason=exc.strerror or str(exc))) from None
        self._socket = sock
        self.refresh()
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0,
                                     keepalive_timeout=30.0, handle_signals=False)
        await self._runner.setup()
        site = _CappedSite(self._runner, sock, self.max_connections)
        await site.start()
        self._poller = asyncio.create_task(self._poll())
        self.port = int(sock.getsockname()[1])
        return self.port

    async def close(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        for viewer in list(self.viewers):
            viewer.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                self.refresh()
            except Exception:  # a bug: keep the last state, keep serving the judges
                log.exception("the audience's screen could not read the ledger")

    def refresh(self) -> None:
        """Compute the state again if `public_version` moved, and offer it to every viewer.
        A state that fails to compute (a bug) is logged once per version and the last good
        one stays."""
        version = public_version(self.head.master.ledger.conn)
        if version == self.version or version == self._failed_at:
            return
        try:
            state = screen_state(self.head)
        except Exception:
            self._failed_at = version
            log.exception("the audience's screen could not compute its state at %s", version)
            return
        self.computed += 1
        self.version = version
        self.state_json = json.dumps(state, ensure_ascii=False, separators=(",", ":"),
                                     sort_keys=True).encode("utf-8")
        self.frame = b"event: state\ndata: " + self.state_json + b"\n\n"
        for viewer in self.viewers:
            viewer.offer(self.frame)

    # --- handlers -----------------------------------------------------------------------------

    async def _root(self, _request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/screen")

    async def _page(self, request: web.Request) -> web.StreamResponse:
        return self._file(ASSETS / f"{request.path.strip('/')}.html", "no-cache")

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        return self._file(_inside(ASSETS, request.match_info["name"], _FILE_NAME), "no-cache")

    async def _font(self, request: web.Request) -> web.StreamResponse:
        data = font_file(request.match_info["name"])  # None for any name but the pages' faces
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data, headers={"Content-Type": CONTENT_TYPES[".ttf"],
                                                "Cache-Control": "public, max-age=86400"})

    def _file(self, path: Path | None, cache: str) -> web.StreamResponse:
        if path is None or path.suffix not in CONTENT_TYPES or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Content-Type": CONTENT_TYPES[path.suffix],
                                               "Cache-Control": cache})

    async def _state(self, _request: web.Request) -> web.StreamResponse:
        self.refresh()
        return web.Response(body=self.state_json, content_type="application/json",
                            charset="utf-8", headers=NO_STORE)

    async def _events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={
            "Content-Type": "text/event-stream; charset=utf-8", **NO_STORE,
            "X-Accel-Buffering": "no", **SECURITY_HEADERS})
        await response.prepare(request)
        if request.method == "HEAD":
            return response
        self.refresh()
        viewer = _Viewer()
        self.viewers.add(viewer)
        viewer.offer(f"retry: {RETRY_MS}\n\n".encode() + self.frame)
        try:
            while not viewer.closed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(viewer.wake.wait(), self.ping_seconds)
                viewer.wake.clear()
                if viewer.closed:
                    break
                frame, viewer.pending = viewer.pending or b": ping\n\n", None
                try:
                    await asyncio.wait_for(response.write(frame), self.write_timeout)
                except TimeoutError:  # not reading: drop it, its browser reconnects
                    if request.transport is not None:
                        request.transport.abort()
                    break
                except (ConnectionError, RuntimeError):  # gone
                    break
        finally:
            self.viewers.discard(viewer)
        return response


def _inside(folder: Path, name: str, allowed: re.Pattern[str]) -> Path | None:
    """`folder/name` if `name` is a plain file name (no separator, no `..`, no hidden file)
    and the file it names is really inside `folder`; None otherwise."""
    if not allowed.fullmatch(name):
        return None
    path = (folder / name).resolve()
    return path if path.parent == folder.resolve() else None


async def open_screen(head: HeadJudge, host: str, port: int, addresses: list[str]
                      ) -> ScreenServer | ScreenUnavailable:
    """Start the screen beside the judges' server and log its pages' addresses on
    `addresses`, one line per language of the event; if its port cannot be bound, log why
    in both languages and return it: the judges are served all the same."""
    screen = ScreenServer(head)
    try:
        bound = await screen.start(host, port)
    except ScreenUnavailable as exc:
        log.warning("%s", exc)
        await screen.close()
        return exc
    for address in addresses:
        urls = ScreenWords("screen_urls", **screen_urls(address, bound))
        for lang in head.event.languages:
            log.info("%s", urls.render(lang))
    return screen
