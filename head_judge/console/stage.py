"""Who is on stage, as the ledger last recorded it (`HeadJudge.announce_on_stage` records
it; the projections turn it into an `on_stage` notice for every terminal)."""

from __future__ import annotations

import sqlite3

from ..master import Master

ON_STAGE: str = "on_stage"
"""Ledger entry kind and notice kind (docs/protocol.md)."""


def last_on_stage(master: Master) -> str | None:
    """Who the ledger last recorded on stage (None: nobody, or never recorded)."""
    try:
        row = master.ledger.conn.execute(
            "SELECT json_extract(payload, '$.contestant') FROM ledger WHERE kind = ? "
            "ORDER BY seq DESC LIMIT 1", (ON_STAGE,)).fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row is not None and row[0] is not None else None
