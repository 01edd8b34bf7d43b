"""`head-judge serve`, `enrol-codes`, `reopen-seat` and `fingerprint`: real homes, a real
server process stopped with Ctrl-C, and bad input answered with one line and exit 2."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from head_judge.cli import main
from head_judge.master import DB_FILE, Master, Rejection
from sync.codes import EnrolmentCode
from sync.event_file import load_event
from sync.identity import ensure_master_identity

from .test_master import NOW, Terminal, table_counts
from .test_server import PinCheckingConnector, serving


@pytest.fixture
def event_file(fixtures_dir: Path) -> Path:
    return fixtures_dir / "livestream-final" / "event.toml"


def run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_fingerprint_is_the_masters(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "fingerprint")
    assert code == 0
    assert re.fullmatch(r"([A-Z2-7]{7}-){7}[A-Z2-7]{7}\n", out)
    assert out.strip() == ensure_master_identity(tmp_path).fingerprint_text


def test_enrol_codes_for_the_whole_panel(tmp_path: Path, event_file: Path) -> None:
    code, out, _ = run(tmp_path, "enrol-codes", "--event", str(event_file))
    assert code == 0, out
    lines = out.splitlines()
    fingerprint = ensure_master_identity(tmp_path).fingerprint_text
    assert lines[0] == f"head judge fingerprint: {fingerprint}"
    rows = [line.split("\t") for line in lines[2:]]
    assert [r[0] for r in rows] == ["J1", "J2", "J3", "J4", "J5"]
    assert rows[0][1] == "周立群"
    codes = [EnrolmentCode.parse(r[2]) for r in rows]
    assert [c.seat for c in codes] == ["J1", "J2", "J3", "J4", "J5"]
    # The printed codes work (the master keeps running from the same home).
    master = Master.open(tmp_path, now=NOW)
    answer = master.enrol(Terminal("J3", master.event.id).enrol_request(codes[2]), NOW)
    assert answer["judge"] == "J3"
    master.close()

    code, out, _ = run(tmp_path, "enrol-codes", "--judge", "J2")  # event already recorded
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()[2:]] == ["J2"]


def test_enrol_codes_refuse_bad_input_and_write_nothing(tmp_path: Path,
                                                        event_file: Path) -> None:
    home = tmp_path / "home"
    code, _, err = run(home, "enrol-codes")
    assert code == 2 and "no event has been loaded" in err and len(err.splitlines()) == 1
    code, _, err = run(home, "enrol-codes", "--event", str(event_file), "--judge", "J9")
    assert code == 2 and err.startswith("error: unknown judge(s) J9")
    assert not home.exists()
    code, _, err = run(home, "enrol-codes", "--event", str(tmp_path / "missing.toml"))
    assert code == 2 and not home.exists()

    assert run(home, "enrol-codes", "--event", str(event_file), "--judge", "J1")[0] == 0
    counts = table_counts(home / "master.db")
    for args in (["--judge", "J9"], ["--ttl-hours", "0"], ["--ttl-hours", "x"]):
        code, _, err = run(home, "enrol-codes", *args)
        assert code == 2, err
    changed = tmp_path / "changed.toml"
    changed.write_text(event_file.read_text(encoding="utf-8").replace(
        'venue = { zh = "林达世界欢乐城"', 'venue = { zh = "新场馆"'), encoding="utf-8")
    (tmp_path / "contestants.csv").write_bytes(
        (event_file.parent / "contestants.csv").read_bytes())
    code, _, err = run(home, "enrol-codes", "--event", str(changed))
    assert code == 2 and "differs" in err
    assert table_counts(home / "master.db") == counts


def test_reopen_seat(tmp_path: Path, event_file: Path) -> None:
    master = Master.open(tmp_path, load_event(event_file), now=NOW)
    [(_, card)] = master.issue_codes(["J4"], now=NOW)
    wrong = dataclasses.replace(card, secret=bytes(10))
    for _ in range(10):
        with pytest.raises(Rejection):
            master.enrol(Terminal("J4", master.event.id).enrol_request(wrong), NOW)
    master.close()

    assert run(tmp_path, "reopen-seat", "J4")[0] == 2  # --reason is required
    code, _, err = run(tmp_path, "reopen-seat", "J9", "--reason", "x")
    assert code == 2 and "unknown judge" in err
    code, out, _ = run(tmp_path, "reopen-seat", "J4", "--reason", "judge mistyped")
    assert code == 0 and out == "J4 reopened (10 failed attempt(s) cleared)\n"
    code, out, _ = run(tmp_path, "reopen-seat", "J4", "--reason", "again")
    assert code == 0 and "nothing to do" in out
    master = Master.open(tmp_path, now=NOW)  # the card's code works again
    assert master.enrol(Terminal("J4", master.event.id).enrol_request(card), NOW)["judge"] == "J4"
    [reopened] = [e for e in master.ledger.entries() if e.kind == "seat_reopened"]
    assert reopened.payload == {"seat": "J4", "reason": "judge mistyped", "failures": 10}
    master.close()


def _serve(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from head_judge.cli import main; main()", "--home", str(home),
         "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_serve_runs_until_ctrl_c(tmp_path: Path, event_file: Path) -> None:
    process = _serve(tmp_path, str(event_file), "--host", "127.0.0.1", "--port", "0",
                     "--no-mdns")
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "listening on" in line:
                break
        output = "".join(lines)
        fingerprint = ensure_master_identity(tmp_path).fingerprint_text
        assert f"fingerprint {fingerprint}" in output
        port = int(re.search(r"https://127\.0\.0\.1:(\d+)", output).group(1))  # type: ignore[union-attr]

        async def hello() -> dict[str, object]:
            connector = PinCheckingConnector(ensure_master_identity(tmp_path).fingerprint)
            async with aiohttp.ClientSession(connector=connector) as session, \
                    session.get(f"https://127.0.0.1:{port}/v1/hello") as response:
                return await response.json()  # type: ignore[no-any-return]

        assert asyncio.run(hello())["event"] == "hrb-live-2020-final"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


def test_serve_signs_checkpoints_at_the_interval_asked_for(tmp_path: Path,
                                                          event_file: Path) -> None:
    process = _serve(tmp_path, str(event_file), "--host", "127.0.0.1", "--port", "0",
                     "--no-mdns", "--checkpoint-minutes", "0.01")  # every 0.6 s

    def checkpoints() -> int:
        try:
            db = sqlite3.connect(f"file:{tmp_path / DB_FILE}?mode=ro", uri=True)
        except sqlite3.OperationalError:  # not created yet
            return 0
        try:
            return int(db.execute("SELECT count(*) FROM ledger WHERE kind = 'checkpoint'"
                                  ).fetchone()[0])
        except sqlite3.OperationalError:  # no ledger table yet
            return 0
        finally:
            db.close()

    try:
        deadline = time.monotonic() + 60
        while checkpoints() == 0 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert checkpoints() == 1  # signed once the interval passed; none since (no new entry)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "signed checkpoint of" in out


def test_serve_refuses_a_checkpoint_interval_out_of_range(tmp_path: Path,
                                                         event_file: Path) -> None:
    for minutes in ("0", "-5", "soon", "1441"):
        process = _serve(tmp_path / "home", str(event_file), "--port", "0", "--no-mdns",
                         "--checkpoint-minutes", minutes)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 2, (out, err)
        assert "--checkpoint-minutes" in err and "Traceback" not in err
        assert not (tmp_path / "home").exists()  # nothing started


def test_serve_refuses_another_final_and_bad_files(tmp_path: Path, event_file: Path) -> None:
    other = tmp_path / "other.toml"
    other.write_text(event_file.read_text(encoding="utf-8").replace(
        'id = "hrb-live-2020-final"', 'id = "another-final"'), encoding="utf-8")
    (tmp_path / "contestants.csv").write_bytes(
        (event_file.parent / "contestants.csv").read_bytes())
    Master.open(tmp_path / "home", load_event(event_file), now=NOW).close()
    for args, message in (([str(other)], "holds the final"),
                          ([str(tmp_path / "missing.toml")], "missing.toml")):
        process = _serve(tmp_path / "home", *args, "--port", "0", "--no-mdns")
        out, err = process.communicate(timeout=30)
        assert process.returncode == 2, (out, err)
        assert message in err and err.startswith("error: ") and "Traceback" not in err


async def test_codes_issued_while_the_master_serves_work_at_once(tmp_path: Path,
                                                                 event_file: Path) -> None:
    """`enrol-codes` writes through its own connection; the serving master keeps no stale
    copy of seats, so the code works right away."""
    async with serving(tmp_path, load_event(event_file)) as served:
        code, out, _ = run(tmp_path, "enrol-codes", "--judge", "J5")
        assert code == 0
        card = EnrolmentCode.parse(out.splitlines()[-1].split("\t")[2])
        status, answer = await served.post(
            "/v1/enrol", Terminal("J5", served.master.event.id).enrol_request(card))
        assert (status, answer["judge"]) == (200, "J5")
        assert served.master.ledger.verify_chain() == []
