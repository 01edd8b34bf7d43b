"""Scenario 9: random edits of a realistic master's SQLite file (ledger cells, deleted,
forged and swapped ledger rows, projection cells, deletes and inserts, the tail cut before
the last checkpoint), each on a fresh copy; `audit` must find every one. Reuses the
machinery of tests/head_judge/test_tamper.py; 200 edits short, 1,000 long."""

from __future__ import annotations

import random
from pathlib import Path

from head_judge.audit import audit
from sync.event import Event
from tests.head_judge.test_audit import build_master, tampering
from tests.head_judge.test_tamper import EDIT_KINDS, pristine_of, restore

from .common import figure, pick


def test_random_edits_are_all_detected(tmp_path: Path, event: Event) -> None:
    edits = int(pick(200, 1000))
    pristine = pristine_of(build_master(tmp_path / "home", event))
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    kinds, weights = [k[0] for k in EDIT_KINDS], [k[2] for k in EDIT_KINDS]
    edit_of = {k[0]: k[1] for k in EDIT_KINDS}
    made = detected = attempts = 0
    missed: list[str] = []
    while made < edits and attempts < edits * 20:
        attempts += 1
        kind = rng.choices(kinds, weights)[0]
        restore(pristine)
        with tampering(pristine.db) as conn:
            what = edit_of[kind](rng, conn, pristine)
        if what is None:
            continue
        made += 1
        if audit(pristine.home).ok:
            missed.append(f"{kind}: {what}")
        else:
            detected += 1
    restore(pristine)
    figure("s09_tamper", edits=made, detected=detected,
           detected_pct=f"{100 * detected / max(made, 1):.1f}", seed=seed)
    assert made == edits and missed == [], missed[:10]
