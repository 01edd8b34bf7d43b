"""`head-judge serve EVENT.toml` in console mode: open the master, run the console with the
server and mDNS on its event loop, log to `HOME/serve.log` (the screen belongs to the console),
close the master. Returns the exit code."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from sync.clock import utc_now
from sync.event_file import load_event
from sync.home import private_file

from ..master import Master
from ..refusals import Message
from ..server import freeze_heap, lock_home
from .app import ConsoleApp
from .serving import ServeOptions

LOG_FILE = "serve.log"


def _log_to(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    private_file(path)  # the log names judges and devices: this user's only
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging.getLogger("aiohttp").setLevel(logging.WARNING)


def run_console(home: Path, event_path: Path, options: ServeOptions,
                lang: str | None = None) -> tuple[int, Message | None]:
    """Serve the final in `event_path` from `home` under the console until it quits: the exit
    code and, when serving failed, why. InputProblems / MasterError before anything shows."""
    event = load_event(event_path)
    lock = lock_home(home)  # one master per home: MasterError if another serves from it
    try:
        master = Master.open(home, event, now=utc_now())
    except BaseException:
        lock.release()
        raise
    freeze_heap()
    try:
        _log_to(Path(home) / LOG_FILE)
        app = ConsoleApp(master, serve=dataclasses.replace(options, on_listening=lock.listening),
                         lang=lang, event_folder=Path(event_path).resolve().parent)
        code = app.run()
        return (code if isinstance(code, int) else 0), app.serve_error
    finally:
        master.close()
        lock.release()
