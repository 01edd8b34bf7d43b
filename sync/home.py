"""A data folder (`--home`) of the head judge's master or of a judge's terminal: private to
this user, and held by one serving process at a time.

Privacy (POSIX only; on Windows the folder's ACLs decide and chmod only toggles read-only):
folders are mode 0700 and files 0600, set explicitly rather than left to the umask. A
SQLite database is created 0600 before SQLite first opens it, so its `-wal` and `-shm` files,
which SQLite creates with the database's own mode, are 0600 from the start;
`private_sqlite` also mends the modes of files an older version left readable to others.

`HomeLock` is an OS lock on a file in the folder (flock on POSIX, msvcrt.locking on
Windows): it is released when its process ends, however it ends, so a crash or `kill -9`
leaves no stale lock. The file records the holder's command, PID and, once it listens, its
port, for the message a second process gets (`HomeInUse`). Only the processes that serve or
sync take it; commands that write through a short SQLite transaction do not need it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

__all__ = ["HomeInUse", "HomeLock", "private_file", "private_folder", "private_sqlite"]

_POSIX = os.name == "posix"
_WINDOWS_LOCK_AT = 1 << 20
"""Windows locks a byte range, which the other process then cannot read: lock one byte far
past the record, so that the record stays readable."""


def private_folder(path: Path | str) -> Path:
    """Create `path` (and its parents) if missing, and make it mode 0700."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if _POSIX:
        with contextlib.suppress(PermissionError):  # someone else's folder: leave it be
            os.chmod(folder, 0o700)
    return folder


def private_file(path: Path | str) -> Path:
    """Create `path` empty if it is missing, and make it mode 0600 (its content is kept)."""
    file = Path(path)
    os.close(os.open(file, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600))
    if _POSIX:
        os.chmod(file, 0o600)
    return file


def private_sqlite(db: Path | str) -> None:
    """Make SQLite database `db` and whichever of its -wal, -shm and -journal files exist
    mode 0600. Before the first `sqlite3.connect` this creates `db` (an empty file is an empty
    database), so SQLite gives the files it makes later the same mode."""
    private_file(db)
    if not _POSIX:
        return
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.chmod(f"{db}{suffix}", 0o600)


class HomeInUse(Exception):
    """Another live process holds the lock of this home; the message names it."""

    def __init__(self, home: Path, holder: dict[str, Any], what: str) -> None:
        command = str(holder.get("command") or what)
        details = [f"PID {holder['pid']}"] if isinstance(holder.get("pid"), int) else []
        if isinstance(holder.get("port"), int):
            details.append(f"port {holder['port']}")
        said = f" ({', '.join(details)})" if details else ""
        super().__init__(f"another {command}{said} is using {home}; stop it first or use "
                         "another --home")
        self.home = home
        self.pid: int | None = holder.get("pid") if isinstance(holder.get("pid"), int) else None
        self.port: int | None = (holder.get("port") if isinstance(holder.get("port"), int)
                                 else None)


class HomeLock:
    """The lock of one home, held until `release` or the end of the process."""

    def __init__(self, path: Path, fd: int, command: str) -> None:
        self.path = path
        self._fd: int | None = fd
        self.command = command
        self.port: int | None = None

    @classmethod
    def acquire(cls, home: Path | str, name: str, command: str) -> HomeLock:
        """Take the lock file `name` in `home` (created private if missing) for `command`
        (e.g. "head-judge serve"); HomeInUse if another process holds it."""
        folder = private_folder(home)
        path = folder / name
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        try:
            if _POSIX:
                os.chmod(path, 0o600)
            if not _try_lock(fd):
                raise HomeInUse(folder, _read_holder(fd), command)
        except BaseException:
            os.close(fd)
            raise
        lock = cls(path, fd, command)
        lock._write()
        return lock

    def listening(self, port: int) -> None:
        """Record the port the holder listens on, for the message others get."""
        self.port = port
        self._write()

    def _write(self) -> None:
        if self._fd is None:
            return
        record = {"command": self.command, "pid": os.getpid(), "port": self.port}
        data = json.dumps(record).encode() + b"\n"
        os.lseek(self._fd, 0, os.SEEK_SET)
        os.write(self._fd, data)
        os.ftruncate(self._fd, len(data))

    def release(self) -> None:
        """Clear the record and let go of the lock (also done by the end of the process)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            if not _POSIX:
                import msvcrt

                os.lseek(fd, _WINDOWS_LOCK_AT, os.SEEK_SET)
                with contextlib.suppress(OSError):
                    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        finally:
            os.close(fd)  # on POSIX this releases the flock

    def __enter__(self) -> HomeLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    if _POSIX:
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import msvcrt

    os.lseek(fd, _WINDOWS_LOCK_AT, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
    except OSError:
        return False
    return True


def _read_holder(fd: int) -> dict[str, Any]:
    """The holder's record; it may be a moment from being written, so look a few times."""
    for _ in range(20):
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        with contextlib.suppress(ValueError):
            record = json.loads(data)
            if isinstance(record, dict) and isinstance(record.get("pid"), int):
                return record
        time.sleep(0.025)
    return {}
