"""A damaged master.db is named, in both languages, by every command that reads it, and is
never recreated over (issue 26, part 3): a truncated file used to end in a sqlite3
traceback, a zero-byte one was silently made into a new, empty master."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from head_judge.master import DB_FILE, PROMOTE, REBUILD

HEAD_JUDGE = Path(sys.executable).parent / "head-judge"
COMMANDS = (["results"], ["results", "--published"], ["verify", "ABCD-EFGH"],
            ["appeal", "list"], ["export", "--xlsx", "out.xlsx"], ["flags"], ["lock-ready"],
            ["publish", "--track", "livestream"], ["panel-report"])


def head_judge(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(HEAD_JUDGE), "--home", str(home), *args], capture_output=True,
                          text=True, timeout=120, cwd=home.parent)


@pytest.fixture(scope="module")
def master_home(tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("damaged") / "home"
    made = head_judge(home, "enrol-codes", "--event",
                      str(fixtures_dir / "livestream-final" / "event.toml"))
    assert made.returncode == 0, made.stderr
    assert not (home / f"{DB_FILE}-wal").exists()  # checkpointed into master.db on close
    return home


def damage(home: Path, how: str) -> bytes:
    """Damage master.db in place; return what it now holds."""
    path = home / DB_FILE
    if how == "truncated":
        os.truncate(path, path.stat().st_size // 2)
    elif how == "empty":
        os.truncate(path, 0)
    else:
        path.write_bytes(b"not a database at all\n" * 10)
    return path.read_bytes()


@pytest.mark.parametrize("how", ["truncated", "empty", "garbage"])
def test_every_command_names_the_damaged_file_and_writes_nothing(
        master_home: Path, tmp_path: Path, how: str) -> None:
    home = tmp_path / "home"
    subprocess.run(["cp", "-a", str(master_home), str(home)], check=True)
    damaged = damage(home, how)
    before = sorted(p.name for p in home.iterdir())
    for command in COMMANDS:
        done = head_judge(home, *command)
        lines = done.stderr.splitlines()
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr and len(lines) == 2, (command, done.stderr)
        assert lines[0].startswith("错误：") and f"{DB_FILE} 已损坏" in lines[0]
        assert REBUILD in lines[0] and PROMOTE in lines[0]
        assert lines[1].startswith("error: ") and f"{DB_FILE} is damaged" in lines[1]
        assert REBUILD in lines[1]
    served = head_judge(home, "serve", str(home.parent / "nowhere.toml"), "--headless",
                        "--no-mdns")
    assert served.returncode == 2
    assert hashlib.sha256((home / DB_FILE).read_bytes()).digest() == \
        hashlib.sha256(damaged).digest()  # not recreated, not "repaired"
    assert sorted(p.name for p in home.iterdir()) == before
    assert not (home / "out.xlsx").exists()


def test_a_zero_byte_master_is_not_recreated_by_serve(master_home: Path, tmp_path: Path,
                                                     fixtures_dir: Path) -> None:
    home = tmp_path / "home"
    subprocess.run(["cp", "-a", str(master_home), str(home)], check=True)
    damage(home, "empty")
    done = head_judge(home, "enrol-codes", "--event",
                      str(fixtures_dir / "livestream-final" / "event.toml"))
    assert done.returncode == 2 and "the file is empty: 0 bytes" in done.stderr
    assert "文件为空，0 字节" in done.stderr
    assert (home / DB_FILE).stat().st_size == 0
