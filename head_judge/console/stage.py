"""Who is on stage: the console's one action the headless core does not have yet.

`announce_on_stage` records an `on_stage` ledger entry (actor, time, `{"contestant": ID}` or
`null` for nobody) inside `master.write()`, the way `head_judge.actions` records its entries;
the master's projections turn it into an `on_stage` notice for every terminal
(docs/protocol.md reserves that kind for the console), and the server pokes them live.

The master's projections refuse an entry kind without a handler, and any other process that
replays the ledger (`audit verify`, `rebuild`) would refuse it as well, so the entry is only
written when the projector knows the kind (`records_on_stage`). Until then the console marks
the contestant on its own screen only and says so.
"""

from __future__ import annotations

import sqlite3

from ..actions import ActionRefused, HeadJudge
from ..master import Master

ON_STAGE: str = "on_stage"
"""Ledger entry kind and notice kind (docs/protocol.md)."""


def records_on_stage(master: Master) -> bool:
    """Whether this master's projections can hold an `on_stage` entry."""
    projector = master.ledger.projector
    kinds: frozenset[str] = getattr(projector, "kinds", frozenset())
    return ON_STAGE in kinds


def announce_on_stage(head: HeadJudge, contestant: str | None) -> int:
    """Record that `contestant` (None: nobody) is on stage; every terminal is told. Returns the
    ledger entry. ActionRefused for an unknown contestant or a master that cannot record it."""
    if not records_on_stage(head.master):
        raise ActionRefused("this master cannot record who is on stage yet (its projections "
                            "have no `on_stage` entry kind)")
    at = head.timestamp()
    with head.master.write():
        if contestant is not None:
            head.contestant(contestant)
        entry = head.record(ON_STAGE, {"contestant": contestant}, at)
    return entry.seq


def last_on_stage(master: Master) -> str | None:
    """Who the ledger last recorded on stage (None: nobody, or never recorded)."""
    try:
        row = master.ledger.conn.execute(
            "SELECT json_extract(payload, '$.contestant') FROM ledger WHERE kind = ? "
            "ORDER BY seq DESC LIMIT 1", (ON_STAGE,)).fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row is not None and row[0] is not None else None
