"""Every agreed revision of every paper sheet, read from the ledger's `paper_entered` entries.

The projections keep only a paper sheet's current revision (`paper_sheets`); the appeal
dossier, the Excel export, the printed sheets and the console's revision list show every
revision, as they do for a laptop's signed sheets. A round of entries makes a revision the
moment two operators' entries agree on every criterion (`double_entry.settle`), exactly as
the projections settle it, so a revision's `hash` is the hash `current_sheets` reports.

Pure: reads the entries it is given, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .double_entry import Entry as Typing
from .double_entry import settle
from .ledger import Entry
from .projections import paper_sheet_hash
from .scoring import plain

__all__ = ["OPERATOR_ACTOR", "PaperRevision", "operator_of", "paper_revisions",
           "typing_numbers"]

OPERATOR_ACTOR = "operator:"
"""The prefix of an operator's ledger actor (`operator:王芳`)."""


def operator_of(actor: str) -> str | None:
    """The operator's name in an actor (`operator:王芳` → `王芳`), None for anyone else."""
    return actor.removeprefix(OPERATOR_ACTOR) if actor.startswith(OPERATOR_ACTOR) else None


@dataclass(frozen=True)
class PaperRevision:
    """Revision `revision` of a judge's paper sheet for a contestant: the values two
    operators agreed on, the form they typed it from, the operators whose entries agreed
    (sorted) and those entries; `ledger_seq` and `at` are of the entry that completed it."""

    judge: str
    contestant: str
    revision: int
    values: Mapping[str, Decimal]
    form: str
    operators: tuple[str, ...]
    entries: tuple[int, ...]
    ledger_seq: int
    at: str
    hash: str

    @property
    def total(self) -> Decimal:
        return sum(self.values.values(), Decimal(0))


def paper_revisions(entries: Iterable[Entry]) -> list[PaperRevision]:
    """Every agreed paper revision, in the order the ledger agreed them."""
    rounds: dict[tuple[str, str, int], list[tuple[Entry, Typing]]] = {}
    done: set[tuple[str, str, int]] = set()
    out: list[PaperRevision] = []
    for entry in entries:
        if entry.kind != "paper_entered":
            continue
        p = entry.payload
        key = (str(p["judge"]), str(p["contestant"]), int(p["round"]))
        if key in done:
            continue
        typed = rounds.setdefault(key, [])
        typed.append((entry, Typing(entry.seq, str(p["operator"]),
                                    {c: Decimal(v) for c, v in p["values"].items()})))
        settlement = settle([t for _, t in typed])
        if not settlement.complete:
            continue
        done.add(key)
        used = settlement.entries
        values = {c: settlement.agreed[c] for c in settlement.criteria}
        judge, contestant, revision = key
        out.append(PaperRevision(
            judge, contestant, revision, values, str(typed[0][0].payload["form"]),
            tuple(sorted({t.operator for _, t in typed if t.seq in used})), used, entry.seq,
            entry.at, paper_sheet_hash(judge, contestant, revision,
                                       {c: plain(v) for c, v in values.items()}, used)))
    return out


def typing_numbers(entries: Iterable[Entry]) -> dict[int, int]:
    """Which typing of its round each `paper_entered` entry is (1, 2, 3…), by ledger
    position."""
    seen: dict[tuple[object, object, object], int] = {}
    out: dict[int, int] = {}
    for entry in entries:
        if entry.kind == "paper_entered":
            p = entry.payload
            key = (p.get("judge"), p.get("contestant"), p.get("round"))
            seen[key] = out[entry.seq] = seen.get(key, 0) + 1
    return out
