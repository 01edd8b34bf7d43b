"""A judge's first afternoon in a real terminal, driven only by keys: `head-judge serve` runs
the master; `judge-terminal app` runs in tmux at 80x24; send-keys enrols with the code from
`head-judge enrol-codes` (its digits, as a judge types them from the card: `ENROL_KEYS`
keystrokes with Enter) and scores three contestants; capture-pane reads the screen and checks
the master fingerprint shown after enrolling is the one on the card, each sheet says saved
and, in the end, that all three are synced. Half a fourth
sheet is typed before the app is killed with SIGKILL; restarted, it shows that draft.

    .venv/bin/python -m tests.judge_terminal.tmux_run [--lang zh|en] [--show]

(`make tui-script`). Exits non-zero, with the last screen, if a step does not show up.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
FIXTURES = Path(os.environ.get("FINALS_FIXTURES", REPO / "examples"))
EVENT = FIXTURES / "livestream-final" / "event.toml"
SHEETS = {"L01": ["9", "12.5", "18", "13.5", "8", "13", "14"],
          "L02": ["8.5", "13", "17", "12", "9", "12.5", "13"],
          "L03": ["10", "14.5", "19.5", "14", "9.5", "14", "15"]}
HALF_TYPED = ("L04", ["9.5", "11", "17.5"])
"""Typed, then the app is killed (SIGKILL) before submitting: the draft must come back."""
WORDS = {
    "zh": {"code": "输入卡片上的绑定码", "seat": "绑定码无误：席位 1", "queue": "选手队列",
           "sheet": "评分项", "confirm": "提交前请核对", "saved": "已保存", "synced": "+ 已同步",
           "outbox0": "待发送 0", "online": "在线", "restored": "已恢复草稿"},
    "en": {"code": "Type the enrolment code", "seat": "No typo: seat 1", "queue": "Queue",
           "sheet": "Criterion", "confirm": "Check before saving", "saved": "Saved",
           "synced": "+ synced", "outbox0": "0 to send", "online": "online",
           "restored": "Draft restored"},
}


ENROL_KEYS: list[int] = []
"""Keystrokes the last run typed to enrol: the code's digits and Enter."""


class StepFailed(AssertionError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Tmux:
    session: str
    screens: list[str] = field(default_factory=list)

    def run(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True,
                              text=True).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def kill_app(self) -> None:
        """SIGKILL the process in the pane (and its children): a pulled power cord."""
        pane = int(self.run("display-message", "-p", "-t", self.session, "#{pane_pid}"))
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pane)],
                                  capture_output=True, text=True).stdout.split()
        for pid in [pane, *map(int, children)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 15.0, step: str = "") -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen()
            if text in shown:
                self.screens.append(shown)
                return shown
            if time.monotonic() > deadline:
                raise StepFailed(f"{step or text!r}: {text!r} not on screen after {timeout:g} s;"
                                 f" the screen:\n{shown}")
            time.sleep(0.1)


@contextlib.contextmanager
def master(home: Path, port: int) -> Iterator[tuple[str, str]]:
    """Serve the livestream final on loopback; the code for seat J1 and the master
    fingerprint, as the enrolment card prints them."""
    issued = subprocess.run([str(BIN / "head-judge"), "--home", str(home), "enrol-codes",
                             "--judge", "J1", "--event", str(EVENT)],
                            check=True, capture_output=True, text=True).stdout
    code = re.search(r"^J1\t.*\t(\S+)$", issued, re.M)
    fingerprint = re.search(r"fingerprint: (\S+)$", issued, re.M)
    if code is None or fingerprint is None:
        raise StepFailed(f"no code or fingerprint in:\n{issued}")
    serve = [str(BIN / "head-judge"), "--home", str(home), "serve", str(EVENT), "--host",
             "127.0.0.1", "--port", str(port), "--no-mdns"]
    usage = subprocess.run([*serve[:4], "--help"], capture_output=True, text=True).stdout
    if "--headless" in usage:  # the server alone, without the head judge's console
        serve.append("--headless")
    log = (home / "serve.log").open("w")
    server = subprocess.Popen(serve, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise StepFailed(f"head-judge serve did not start: "
                                 f"{(home / 'serve.log').read_text()}")
            time.sleep(0.1)
        yield code.group(1), fingerprint.group(1)
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(10)
        if server.poll() is None:
            server.kill()
        log.close()


def run(lang: str = "zh", width: int = 80, height: int = 24) -> list[str]:
    """The whole run; the screens it checked, in order."""
    words = WORDS[lang]
    folder = Path(tempfile.mkdtemp(prefix="judge-tmux-"))
    session = f"judge-{os.getpid()}"
    tmux = Tmux(session)
    port = free_port()
    try:
        with master(folder / "master", port) as (code, fingerprint):
            command = (f"{BIN / 'judge-terminal'} --home {folder / 'judge'} app --master "
                       f"127.0.0.1:{port} --lang {lang} --no-discover")
            tmux.run("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
                     "-e", "TMUX_RUN=1", command)
            tmux.run("set-option", "-t", session, "remain-on-exit", "on")
            tmux.wait_for(words["code"], step="the enrolment screen")
            digits = code.replace("-", "")  # the dashes on the card are optional
            tmux.keys(digits, literal=True)
            tmux.wait_for(words["seat"], step="the code checked")
            tmux.keys("Enter")
            ENROL_KEYS[:] = [len(digits) + 1]
            shown = tmux.wait_for(words["queue"], step="the queue after enrolling")
            if fingerprint not in shown:
                raise StepFailed(f"the card's master fingerprint {fingerprint} is not on the "
                                 f"queue after enrolling:\n{shown}")
            tmux.wait_for(words["online"], step="online")
            for contestant, values in SHEETS.items():
                order = str(int(contestant[1:]))
                tmux.keys(order, "Enter")  # type the running number, open it
                tmux.wait_for(words["sheet"], step=f"{contestant}'s sheet")
                for value in values:
                    tmux.keys(value, literal=True)
                    tmux.keys("Enter")
                tmux.keys("Enter")  # Enter on the comment submits
                tmux.wait_for(words["confirm"], step=f"{contestant}'s confirmation")
                tmux.keys("Enter")
                tmux.wait_for(words["saved"], step=f"{contestant} saved")
                tmux.keys("Escape")
                tmux.wait_for(words["queue"], step="back on the queue")
            # half a sheet typed, then the laptop dies: only the field being typed may be lost
            contestant, values = HALF_TYPED
            tmux.keys(str(int(contestant[1:])), "Enter")
            tmux.wait_for(words["sheet"], step=f"{contestant}'s sheet")
            for value in values:
                tmux.keys(value, literal=True)
                tmux.keys("Enter")
            time.sleep(0.3)
            tmux.kill_app()
            tmux.run("respawn-pane", "-k", "-t", session, command)
            tmux.wait_for(words["queue"], step="the queue after the restart")
            tmux.keys(str(int(contestant[1:])), "Enter")
            tmux.wait_for(words["sheet"], step=f"{contestant}'s sheet after the restart")
            shown = tmux.wait_for(words["restored"], step="the draft restored after SIGKILL")
            if f"  {contestant}  " not in shown:
                raise StepFailed(f"not {contestant}'s sheet:\n{shown}")
            for value in values:
                if f" {value} " not in shown:
                    raise StepFailed(f"{value} was typed before the kill but is not on the "
                                     f"restored sheet:\n{shown}")
            tmux.keys("Escape")
            tmux.wait_for(words["queue"], step="back on the queue")
            deadline = time.monotonic() + 15
            while True:
                shown = tmux.screen()
                if shown.count(words["synced"]) >= 3 and words["outbox0"] in shown:
                    tmux.screens.append(shown)
                    break
                if time.monotonic() > deadline:
                    raise StepFailed(f"not all three synced; the screen:\n{shown}")
                time.sleep(0.1)
            tmux.keys("C-q")
            time.sleep(0.5)
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            tmux.run("kill-session", "-t", session)
        shutil.rmtree(folder, ignore_errors=True)
    return tmux.screens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=["zh", "en"], default="zh")
    parser.add_argument("--show", action="store_true", help="print every screen checked")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed (apt-get install -y tmux)", file=sys.stderr)
        return 2
    try:
        screens = run(args.lang)
    except StepFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    for screen in screens if args.show else screens[-1:]:
        print(screen)
    print(f"OK: enrolled ({ENROL_KEYS[0]} keystrokes: the code's digits and Enter), scored "
          f"three contestants with the keyboard only, all synced; a half-typed sheet survived "
          f"SIGKILL ({len(screens)} screens checked)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
