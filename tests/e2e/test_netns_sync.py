"""Two hosts on a LAN made of network namespaces (198.18.0.0/24): the terminal finds the
master by mDNS alone, enrols, and its sheets reach the master exactly once through a cut
link and a master killed with SIGKILL and restarted.

Real processes (`head-judge serve`, `judge-terminal`), real TLS, real mDNS, real SQLite.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import netns

WHY = netns.unavailable()
pytestmark = pytest.mark.skipif(WHY is not None, reason=f"network namespaces: {WHY}")

BIN = Path(sys.executable).parent
VALUES = ["appearance=8", "expression=12", "pitch=16", "highlights=12", "timing=8",
          "adaptability=12"]


def head_judge(*args: str | Path) -> list[str]:
    return [str(BIN / "head-judge"), *map(str, args)]


def judge_terminal(*args: str | Path) -> list[str]:
    return [str(BIN / "judge-terminal"), *map(str, args)]


def start_master(host: netns.Host, home: Path, event: Path, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(host.cmd(head_judge("--home", home, "serve", event, "--port", 8765)),
                            stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while "listening on" not in log.read_text(encoding="utf-8", errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"master did not start:\n{log.read_text()}")
        time.sleep(0.1)
    return proc


def sheets_on_master(home: Path) -> list[tuple[str, str, int]]:
    """(judge, contestant, revision) of every sheet entry in the master's ledger."""
    import json

    with sqlite3.connect(home / "master.db") as db:
        rows = db.execute("SELECT payload FROM ledger WHERE kind = 'sheet_received'").fetchall()
    found = []
    for (payload,) in rows:
        body = json.loads(json.loads(payload)["body"])
        found.append((body["judge"], body["contestant"], body["revision"]))
    return found


def wait_for(predicate: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def lan() -> Iterator[netns.Lan]:
    with netns.Lan() as network:
        yield network


def test_discovered_by_mdns_alone_and_exactly_once_through_faults(
    lan: netns.Lan, tmp_path: Path, fixtures_dir: Path
) -> None:
    event = fixtures_dir / "livestream-final" / "event.toml"
    master_host, judge_host = lan.add_host(), lan.add_host()
    home, terminal = tmp_path / "master", tmp_path / "terminal"
    log = tmp_path / "master.log"
    master = start_master(master_host, home, event, log)
    try:
        codes = subprocess.run(head_judge("--home", home, "enrol-codes", "--judge", "J1"),
                               capture_output=True, text=True, check=True).stdout
        code = codes.strip().splitlines()[-1].split("\t")[-1]

        # No --master: the terminal has only mDNS to find the head judge by.
        enrolled = subprocess.run(judge_host.cmd(judge_terminal("--home", terminal, "enrol",
                                                                code)),
                                  capture_output=True, text=True, timeout=60, check=False)
        assert enrolled.returncode == 0, enrolled.stdout + enrolled.stderr
        assert "enrolled as J1" in enrolled.stdout
        assert master_host.address in enrolled.stdout

        def submit(contestant: str, integrity: str, reason: str | None = None) -> None:
            args = ["--home", terminal, "submit", contestant,
                    *[a for v in [*VALUES, f"integrity={integrity}"] for a in ("--value", v)]]
            if reason:
                args += ["--reason", reason]
            done = subprocess.run(judge_terminal(*args), capture_output=True, text=True,
                                  check=False)
            assert done.returncode == 0 and "saved" in done.stdout, done.stderr

        syncing = subprocess.Popen(judge_host.cmd(judge_terminal("--home", terminal, "sync")),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            contestants = [f"L{i:02d}" for i in range(1, 19)]
            for c in contestants[:6]:
                submit(c, "12")
            wait_for(lambda: len(sheets_on_master(home)) == 6, 30, "the first six sheets")

            lan.set_link(judge_host, up=False)  # the Wi-Fi drops; the judge keeps scoring
            for c in contestants[6:12]:
                submit(c, "12")
            time.sleep(2)
            assert len(sheets_on_master(home)) == 6
            lan.set_link(judge_host, up=True)
            wait_for(lambda: len(sheets_on_master(home)) == 12, 60, "sheets after the link healed")

            for c in contestants[12:]:
                submit(c, "12")
            master.kill()  # SIGKILL while the terminal may be pushing
            master.wait()
            for c in contestants[:6]:
                submit(c, "12.5", reason="misread my notes")
            master = start_master(master_host, home, event, log)
            wait_for(lambda: len(sheets_on_master(home)) == 24, 60, "every sheet after restart")
            time.sleep(1)  # a late duplicate would land now
        finally:
            syncing.terminate()
            syncing.wait(timeout=10)

        received = sheets_on_master(home)
        assert len(received) == len(set(received)) == 24  # exactly once
        assert set(received) == {("J1", c, 1) for c in contestants} | {
            ("J1", c, 2) for c in contestants[:6]}
        status = subprocess.run(judge_terminal("--home", terminal, "status"),
                                capture_output=True, text=True, check=True).stdout
        assert "waiting to be sent 0" in status
    finally:
        master.kill()
        master.wait()


def test_a_rogue_master_on_the_lan_gets_nothing(lan: netns.Lan, tmp_path: Path,
                                                fixtures_dir: Path) -> None:
    """Same service name, same TXT, its own key and no code for the seat: it refuses the
    enrolment (its ledger records nothing) and gets no sheet; the judge then picks the head
    judge's address (every master answered costs the code a guess, so the terminal does not
    go on to the next one by itself)."""
    event = fixtures_dir / "livestream-final" / "event.toml"
    master_host, judge_host, rogue_host = lan.add_host(), lan.add_host(), lan.add_host()
    homes = {name: tmp_path / name for name in ("master", "rogue", "judge")}
    code = subprocess.run(head_judge("--home", homes["master"], "enrol-codes", "--event", event,
                                     "--judge", "J1"),
                          capture_output=True, text=True, check=True
                          ).stdout.strip().splitlines()[-1].split("\t")[-1]
    servers = [start_master(master_host, homes["master"], event, tmp_path / "master.log"),
               start_master(rogue_host, homes["rogue"], event, tmp_path / "rogue.log")]
    try:
        listed = subprocess.run(judge_host.cmd(judge_terminal("--home", homes["judge"],
                                                              "browse")),
                                capture_output=True, text=True, timeout=60, check=False)
        assert f"{master_host.address}:8765" in listed.stdout, listed.stdout + listed.stderr
        assert f"{rogue_host.address}:8765" in listed.stdout

        refused = subprocess.run(judge_host.cmd(judge_terminal(
            "--home", homes["judge"], "enrol", code, "--master", f"{rogue_host.address}:8765")),
            capture_output=True, text=True, timeout=60, check=False)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        # the other master has no code for seat 1: refused, said as the app says it
        assert refused.stderr.startswith("错误：绑定码被拒绝："), refused.stderr
        assert "\nerror: The code was refused: wrong, used or expired" in refused.stderr

        enrolled = subprocess.run(judge_host.cmd(judge_terminal(
            "--home", homes["judge"], "enrol", code, "--master", f"{master_host.address}:8765")),
            capture_output=True, text=True, timeout=60, check=False)
        assert enrolled.returncode == 0, enrolled.stderr
        assert f"head judge at {master_host.address}:8765" in enrolled.stdout
        for contestant in ("L01", "L02"):
            args = [a for v in [*VALUES, "integrity=12"] for a in ("--value", v)]
            subprocess.run(judge_terminal("--home", homes["judge"], "submit", contestant, *args),
                           capture_output=True, check=True)
        synced = subprocess.run(judge_host.cmd(judge_terminal("--home", homes["judge"], "sync",
                                                              "--once")),
                                capture_output=True, text=True, timeout=60, check=False)
        assert synced.stdout.splitlines()[1].startswith("sent 2: 2 accepted"), \
            synced.stdout + synced.stderr
    finally:
        for server in servers:
            server.kill()
            server.wait()
    assert len(sheets_on_master(homes["master"])) == 2
    with sqlite3.connect(homes["rogue"] / "master.db") as db:
        kinds = {k for (k,) in db.execute("SELECT kind FROM ledger")}
    assert not kinds & {"device_enrolled", "enrol_failed", "sheet_received"}


@pytest.mark.netns
def test_no_network_at_all_is_one_line_and_exit_2(tmp_path: Path, fixtures_dir: Path) -> None:
    """Wi-Fi off: looking for the head judge says so in one line, no zeroconf traceback."""
    event = fixtures_dir / "livestream-final" / "event.toml"
    code = subprocess.run(head_judge("--home", tmp_path / "master", "enrol-codes", "--event",
                                     event, "--judge", "J1"),
                          capture_output=True, text=True, check=True
                          ).stdout.strip().splitlines()[-1].split("\t")[-1]
    with netns.offline_host() as laptop:
        for args, instead in ((["browse"], "(or enrol with --master HOST:PORT)"),
                              (["enrol", code], "or give --master HOST:PORT")):
            done = subprocess.run(laptop.cmd(judge_terminal("--home", tmp_path / "judge", *args)),
                                  capture_output=True, text=True, timeout=60, check=False)
            assert (done.returncode, done.stdout) == (2, ""), done.stderr
            assert done.stderr.count("\n") == 2 and "Traceback" not in done.stderr
            zh, en = done.stderr.splitlines()  # Chinese, then English
            assert zh.startswith("错误：无法查找总裁判长的主控机：本机没有网络连接"), zh
            assert en.startswith("error: cannot look for the head judge: this laptop "
                                 "has no network connection (no IPv4 address)")
            assert en.endswith(instead), done.stderr
