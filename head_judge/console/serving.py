"""The master's server and mDNS advertisement, run on the console's own event loop.

The same pieces `head_judge.server.run_master` puts together (`MasterServer` over the console's
`Master`, `discovery.advertise` on `lan_addresses`), so that the console's actions and the
terminals' requests share one `Master`: a review request the console records pokes the
judge's live channel at once. `on_answer` is called after every answered push or enrolment
(the ledger has committed by then): the console reads the ledger again without polling.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from sync import discovery
from sync.clock import Clock

from ..actions import HeadJudge
from ..master import Master
from ..screen_server import ScreenServer, ScreenWords, open_screen, screen_urls
from ..server import (
    DEFAULT_CHECKPOINT_INTERVAL,
    DEFAULT_PORT,
    OFFICIAL_INTERVAL,
    MasterServer,
    lan_addresses,
)

log = logging.getLogger("head_judge")

_CHANGING = frozenset({"/v1/push", "/v1/enrol"})


@dataclass(frozen=True)
class ServeOptions:
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    advertise: bool = True
    checkpoint_interval: float | None = DEFAULT_CHECKPOINT_INTERVAL
    on_listening: Callable[[int], None] | None = None
    """Told the bound port (`head-judge serve` records it in the home's lock)."""
    screen_port: int | None = None
    """The audience's screen's port (0: any free port; None: no screen, the default here:
    `head-judge serve` asks for `DEFAULT_SCREEN_PORT` unless --no-screen)."""
    official_interval: float = OFFICIAL_INTERVAL
    """Seconds between two looks for rankings whose appeal window closed (tests: less)."""


class Serving:
    """`MasterServer` + mDNS for one `Master`; `start` binds (MasterError if it cannot)."""

    def __init__(self, master: Master, options: ServeOptions,
                 on_answer: Callable[[], None] | None = None,
                 clock: Clock | None = None) -> None:
        self.master = master
        self.options = options
        self.on_answer = on_answer
        self.server = MasterServer(master, checkpoint_interval=options.checkpoint_interval,
                                   official_interval=options.official_interval,
                                   **({"clock": clock} if clock is not None else {}))
        self.server.app.on_response_prepare.append(self._answered)
        self.port: int | None = None
        self.advertised: str | None = None
        self._advertisement: discovery.Advertisement | None = None
        self.screen: ScreenServer | None = None
        """The audience's screen, when it is served (its port could be taken)."""
        self.screen_problem: ScreenWords | None = None
        """Why the screen is not served although it was asked for."""

    async def _answered(self, request: web.Request, _response: web.StreamResponse) -> None:
        if request.path in _CHANGING and self.on_answer is not None:
            self.on_answer()

    @property
    def addresses(self) -> list[str]:
        return lan_addresses(self.options.host)

    async def start(self) -> int:
        event = self.master.event
        self.port = await self.server.start(self.options.host, self.options.port)
        if self.options.on_listening is not None:
            self.options.on_listening(self.port)
        log.info("head judge for %s (%s)", event.id, event.name.both(event.languages))
        log.info("fingerprint %s", self.master.identity.fingerprint_text)
        log.info("listening on https://%s:%d", self.options.host, self.port)
        if self.options.advertise:
            try:
                self._advertisement = await discovery.advertise(
                    event.id, f"head judge {event.id}", self.port, self.addresses)
                self.advertised = self._advertisement.name
                log.info("advertised on the LAN as %r", self.advertised)
            except Exception as exc:  # mDNS is a convenience; terminals can use --master
                log.warning("mDNS advertising failed (%s); terminals can connect with "
                            "--master HOST:%d", exc, self.port)
        if self.options.screen_port is not None:
            opened = await open_screen(HeadJudge(self.master), self.options.host,
                                       self.options.screen_port, self.addresses)
            if isinstance(opened, ScreenServer):
                self.screen = opened
            else:
                self.screen_problem = opened.phrase
        return self.port

    @property
    def screen_url(self) -> str | None:
        """The big screen's address on this machine's first LAN address, while served."""
        if self.screen is None or self.screen.port is None:
            return None
        return screen_urls(self.addresses[0], self.screen.port)["screen"]

    def is_live(self, judge: str, device: str) -> bool:
        """Whether `device` of `judge` has its live channel open now."""
        return any(c.device.id == device for c in self.server.live.get(judge, ()))

    async def close(self) -> None:
        if self._advertisement is not None:
            await self._advertisement.close()
            self._advertisement = None
        if self.screen is not None:
            await self.screen.close()
            self.screen = None
        await self.server.close()
        log.info("stopped")
