"""`head-judge serve`, `enrol-codes`, `reopen-seat` and `fingerprint`: real homes, a real
server process stopped with Ctrl-C, and bad input answered with one line and exit 2."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import stat
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

from .test_master import NOW, Terminal, table_counts, wrong_code
from .test_server import PinCheckingConnector, enrol_exchange, serving


@pytest.fixture
def event_file(fixtures_dir: Path) -> Path:
    return fixtures_dir / "livestream-final" / "event.toml"


def run(home: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_fingerprint_is_the_masters(tmp_path: Path) -> None:
    fingerprint = ensure_master_identity(tmp_path).fingerprint_text
    code, out, _ = run(tmp_path, "fingerprint")
    assert code == 0
    assert re.fullmatch(r"([A-Z2-7]{7}-){7}[A-Z2-7]{7}\n", out)
    assert out.strip() == fingerprint


READ_ONLY = (["fingerprint"], ["flags"], ["reviews"], ["results"], ["results", "--published"],
             ["appeal", "list"], ["appeal", "dossier", "1"], ["verify", "ABCD-EFGH"],
             ["audit", "verify"], ["audit", "prove", "--from", "1"], ["checkpoint"],
             ["accept-flag", "1", "--note", "x"])


@pytest.mark.parametrize("made", [False, True], ids=["missing", "empty"])
def test_a_mistyped_home_is_no_master_and_nothing_is_created(tmp_path: Path,
                                                              made: bool) -> None:
    """A wrong --home must not look like a (rogue) master: no keys, no master.db."""
    home = tmp_path / "typo"
    if made:
        home.mkdir(mode=0o755)
        before = stat.S_IMODE(home.stat().st_mode)
    for args in (*READ_ONLY, ["export", "--xlsx", str(tmp_path / "out.xlsx")],
                 ["print", "--out", str(tmp_path / "pdf")]):
        code, out, err = run(home, *args)
        assert (code, out) == (2, ""), args
        zh, en = err.splitlines()  # Chinese first, then English: one line each
        assert zh.startswith("错误：") and "没有主控机" in zh and str(home) in zh, (args, err)
        assert en.startswith("error: ") and "no head judge master" in en, (args, err)
        assert str(home) in en, (args, err)
    if made:
        assert list(home.iterdir()) == [] and stat.S_IMODE(home.stat().st_mode) == before
    else:
        assert not home.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (["typo"] if made else [])
    _, _, err = run(home, "fingerprint")
    assert err == (f"错误：{home} 中没有主控机（没有 identity/ 文件夹）；请检查 --home，"
                   "或用 `head-judge serve EVENT.toml` 启动主控机\n"
                   f"error: no head judge master in {home} (no identity/ folder); check "
                   "--home, or start one with `head-judge serve EVENT.toml`\n")


def test_enrol_codes_for_the_whole_panel(tmp_path: Path, event_file: Path) -> None:
    code, out, _ = run(tmp_path, "enrol-codes", "--event", str(event_file))
    assert code == 0, out
    lines = out.splitlines()
    fingerprint = ensure_master_identity(tmp_path).fingerprint_text
    assert lines[:2] == [f"主控指纹：{fingerprint}", f"head judge fingerprint: {fingerprint}"]
    assert lines[4] == "评委 judge\t席位 seat\t姓名 name\t绑定码 code"
    rows = [line.split("\t") for line in lines[5:]]
    assert [r[0] for r in rows] == ["J1", "J2", "J3", "J4", "J5"]
    assert rows[0][1:3] == ["1", "周立群"]
    codes = [EnrolmentCode.parse(r[3]) for r in rows]
    assert [c.seat for c in codes] == [1, 2, 3, 4, 5]
    assert [r[1] for r in rows] == [str(n) for n in range(1, 6)]
    # The printed codes work (the master keeps running from the same home).
    master = Master.open(tmp_path, now=NOW)
    answer = Terminal("J3", master.event.id).enrol(master, codes[2], NOW)
    assert answer["judge"] == "J3"
    master.close()

    code, out, _ = run(tmp_path, "enrol-codes", "--judge", "J2")  # event already recorded
    assert code == 0 and [line.split("\t")[0] for line in out.splitlines()[5:]] == ["J2"]


def test_enrol_codes_refuse_bad_input_and_write_nothing(tmp_path: Path,
                                                        event_file: Path) -> None:
    home = tmp_path / "home"
    code, _, err = run(home, "enrol-codes")
    assert code == 2 and "no event has been loaded" in err and len(err.splitlines()) == 2
    assert err.startswith("错误：") and "这里还没有加载赛事" in err
    code, _, err = run(home, "enrol-codes", "--event", str(event_file), "--judge", "J9")
    assert code == 2 and err.splitlines() == ["错误：评委组中没有 J9；评委组为 J1, J2, J3, J4, J5",
                                              "error: unknown judge(s) J9; the panel is J1, J2, "
                                              "J3, J4, J5"]
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
    [issued] = master.issue_codes(["J4"], now=NOW)
    card, wrong = issued.code, wrong_code(issued.code)
    for _ in range(10):
        with pytest.raises(Rejection):
            Terminal("J4", master.event.id).enrol(master, wrong, NOW)
    assert master.seat("J4").locked
    master.close()

    assert run(tmp_path, "reopen-seat", "J4")[0] == 2  # --reason is required
    code, _, err = run(tmp_path, "reopen-seat", "J9", "--reason", "x")
    assert code == 2 and "unknown judge" in err
    code, out, _ = run(tmp_path, "reopen-seat", "J4", "--reason", "judge mistyped")
    assert code == 0 and out == ("J4 已重新开放（清除 10 次失败的绑定）\n"
                                  "J4 reopened (10 failed attempt(s) cleared)\n")
    code, out, _ = run(tmp_path, "reopen-seat", "J4", "--reason", "again")
    assert code == 0 and "无需操作" in out and "nothing to do" in out
    master = Master.open(tmp_path, now=NOW)  # the card's code works again
    assert Terminal("J4", master.event.id).enrol(master, card, NOW)["judge"] == "J4"
    [reopened] = [e for e in master.ledger.entries() if e.kind == "seat_reopened"]
    assert reopened.payload == {"seat": "J4", "reason": "judge mistyped", "failures": 10}
    master.close()


def _serve(home: Path, *args: str, umask: int = -1) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", "from head_judge.cli import main; main()", "--home", str(home),
         "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        umask=umask)


def _listening(process: subprocess.Popen[str]) -> int:
    """Wait for a serving process to listen; its port."""
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "listening on" in line:
            return int(re.search(r":(\d+)$", line.strip()).group(1))  # type: ignore[union-attr]
    raise AssertionError(f"did not listen: {''.join(lines)}{process.communicate()[1]}")


def _stop(process: subprocess.Popen[str], how: int = signal.SIGINT) -> tuple[str, str]:
    if process.poll() is None:
        process.send_signal(how)
    try:
        return process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_one_master_per_home(tmp_path: Path, event_file: Path) -> None:
    """A second `serve` on the same home is refused, naming the first; commands that write
    through SQLite still work beside it; the lock dies with its process, even by SIGKILL."""
    home = tmp_path / "home"
    serve_args = (str(event_file), "--host", "127.0.0.1", "--port", "0", "--no-mdns")
    first = _serve(home, *serve_args)
    try:
        port = _listening(first)
        second = _serve(home, *serve_args)
        out, err = second.communicate(timeout=30)
        assert second.returncode == 2, (out, err)
        assert err == (f"error: another head-judge serve (PID {first.pid}, port {port}) is "
                       f"using {home}; stop it first or use another --home\n")
        assert "listening" not in out
        code, out, err = run(home, "checkpoint", "--reason", "while serving")
        assert code == 0, err
        assert first.poll() is None  # the first still serves
    finally:
        _stop(first, signal.SIGKILL)
    third = _serve(home, *serve_args)
    try:
        _listening(third)
    finally:
        _, err = _stop(third)
    assert third.returncode == 0, err


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_masters_home_and_database_are_private(tmp_path: Path, event_file: Path) -> None:
    """0700 and 0600 whatever the umask: the ledger names judges, devices and scores."""
    home = tmp_path / "home"
    process = _serve(home, str(event_file), "--host", "127.0.0.1", "--port", "0", "--no-mdns",
                     umask=0)
    try:
        _listening(process)
        code, _, err = run(home, "checkpoint", "--reason", "write something")
        assert code == 0, err
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in home.iterdir()}
        assert {DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", "serve.lock"} <= set(modes)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert modes.pop("identity") == 0o700
        assert modes == dict.fromkeys(modes, 0o600), modes
    finally:
        _, err = _stop(process)
    assert process.returncode == 0, err
    # An older home left readable to others is mended when the master opens it again.
    for path in (home, home / DB_FILE):
        path.chmod(0o755 if path.is_dir() else 0o644)
    run(home, "flags")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / DB_FILE).stat().st_mode) == 0o600


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
        assert message in err and "\nerror: " in f"\n{err}" and "Traceback" not in err
        assert err.startswith(("error: ", "错误："))


async def test_codes_issued_while_the_master_serves_work_at_once(tmp_path: Path,
                                                                 event_file: Path) -> None:
    """`enrol-codes` writes through its own connection; the serving master keeps no stale
    copy of seats, so the code works right away."""
    async with serving(tmp_path, load_event(event_file)) as served:
        code, out, _ = run(tmp_path, "enrol-codes", "--judge", "J5")
        assert code == 0
        card = EnrolmentCode.parse(out.splitlines()[-1].split("\t")[3])
        status, answer = await enrol_exchange(served, Terminal("J5", served.master.event.id),
                                              card)
        assert (status, answer["judge"]) == (200, "J5")
        assert served.master.ledger.verify_chain() == []


def test_enrol_codes_expire_in_the_events_time_zone(tmp_path: Path, event_file: Path) -> None:
    """`timezone = "Asia/Shanghai"`: the expiry is printed in Shanghai time with its offset,
    whatever the zone of the machine running the command."""
    folder = tmp_path / "event"
    folder.mkdir()
    for source in event_file.parent.iterdir():
        (folder / source.name).write_bytes(source.read_bytes())
    text = event_file.read_text(encoding="utf-8")
    (folder / "event.toml").write_text(
        text.replace("notary = true", 'notary = true\ntimezone = "Asia/Shanghai"', 1),
        encoding="utf-8")
    code, out, _ = run(tmp_path / "home", "enrol-codes", "--event", str(folder / "event.toml"))
    assert code == 0, out
    when = r"\d{4}-\d\d-\d\d \d\d:\d\d \+08:00"
    assert re.fullmatch(f"绑定码在 {when} 失效，每个只能用一次", out.splitlines()[2])
    assert re.fullmatch(f"codes expire at {when}; each works once", out.splitlines()[3])


def test_a_ledger_altered_on_disk_is_refused_in_both_languages(tmp_path: Path,
                                                             event_file: Path) -> None:
    """An entry changed behind the master's back: `serve` and `print` refuse to go on with
    it, say which entry and what finds the rest, Chinese first, and exit 2 (no traceback)."""
    home = tmp_path / "home"
    Master.open(home, load_event(event_file), now=NOW).close()
    assert run(home, "enrol-codes")[0] == 0  # a second entry, to alter
    with sqlite3.connect(home / DB_FILE) as conn:
        conn.execute("DROP TRIGGER ledger_no_update")
        conn.execute("UPDATE ledger SET payload = replace(payload, '\"J1\"', '\"J9\"') "
                     "WHERE seq = 2")
    conn.close()
    process = _serve(home, str(event_file), "--port", "0", "--no-mdns", "--screen-port", "0")
    _out, err = process.communicate(timeout=30)
    code, _, printed = run(home, "print", "--out", str(tmp_path / "out"))
    for code_, said in ((process.returncode, err), (code, printed)):
        assert code_ == 2 and "Traceback" not in said
        zh, en = said.strip().splitlines()[-2:]
        assert zh == ("错误：账本第 2 条：内容与其哈希不符：账本被改动过，主控机不在上面继续；"
                      "请运行 `head-judge audit verify` 查看全部问题")
        assert en.startswith("error: entry 2: content does not match its hash")
