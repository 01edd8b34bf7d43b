"""The documented way for an outsider to read a master file (docs/data-model.md): the
sqlite-utils command line, on a real `master.db`, sees every table with its rows and every
ledger entry as the kiosk recorded it, and reading changes nothing."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from head_judge.master import DB_FILE

from .test_actions import Final, fixture_final
from .test_master import table_counts


def sqlite_utils(*args: str) -> object:
    done = subprocess.run([sys.executable, "-m", "sqlite_utils", *args],
                          capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def test_sqlite_utils_reads_every_table_and_the_whole_ledger(final: Final, fixtures_dir: Path,
                                                              tmp_path: Path) -> None:
    fixture_final(final, fixtures_dir)
    final.head.lock_ready("all in")
    entries = list(final.master.ledger.entries())
    db = tmp_path / "copy-of-master.db"  # what an outsider is handed
    with sqlite3.connect(final.master.home / DB_FILE) as live, sqlite3.connect(db) as copy:
        live.backup(copy)
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    tables = sqlite_utils("tables", str(db), "--counts")
    assert {t["table"]: t["count"] for t in tables} == table_counts(db)
    assert {"ledger", "sheets", "flags", "locks"} <= {t["table"] for t in tables}

    rows = sqlite_utils("rows", str(db), "ledger")
    assert isinstance(rows, list)
    assert [(r["seq"], r["kind"], r["actor"], r["hash"]) for r in rows] == \
        [(e.seq, e.kind, e.actor, e.hash) for e in entries]
    assert [json.loads(r["payload"]) for r in rows] == [dict(e.payload) for e in entries]

    locked = sqlite_utils("query", str(db), "select count(*) as n from ledger "
                                            "where kind = 'contestants_locked'")
    assert locked == [{"n": 1}]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
