"""What the Overview reads (pure reads of the master) and how a matrix cell is written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from head_judge.actions import HeadJudge
from head_judge.console.ledger_view import LedgerCache, parse_clock_time
from head_judge.console.state import Cell, ago_text, read_matrix, read_terminals
from head_judge.console.widgets.matrix_table import cell_text, total_width
from head_judge.master import Master
from sync.i18n import offset_text

from .world import NOW, Laptop


def test_the_matrix_of_the_world(world: Master) -> None:
    head = HeadJudge(world)
    matrix = read_matrix(head, head.current_results())
    rows = {r.contestant.id: r for r in matrix.rows}
    assert [r.contestant.order for r in matrix.rows] == sorted(r.contestant.order
                                                             for r in matrix.rows)
    assert rows["L04"].cells["J4"].state == "recused"  # same organisation as J4
    assert rows["L13"].cells["J1"].state == "waiting"
    assert rows["L06"].cells["J2"].revision == 2
    assert rows["L08"].cells["J4"].overridden
    assert rows["L01"].locked and not rows["L04"].locked
    reviewed = [(c, j) for c, r in rows.items() for j, cell in r.cells.items() if cell.review]
    assert len(reviewed) == 1
    flagged = {c for c, r in rows.items() if any(cell.flagged for cell in r.cells.values())}
    assert flagged == {f.contestant for f in head.flags("open")}
    assert all(rows[c].open_flags for c in flagged)
    progress = {p.judge.id: (p.done, p.expected) for p in matrix.progress}
    assert progress["J1"] == (12, 18) and progress["J4"] == (10, 15)
    assert rows["L01"].standing is not None and rows["L13"].standing is None


def test_terminals_from_what_they_reported(world: Master) -> None:
    live = {Laptop.for_judge("J2").device}
    terminals = read_terminals(HeadJudge(world), lambda _j, d: d in live)
    assert [t.online for t in terminals] == [False, True, False, False, False]
    j4 = terminals[3]
    assert j4.offset == dt.timedelta(seconds=95) and j4.outbox == 0
    assert j4.last_seen is not None and j4.device_name == "laptop J4"


def test_cells_are_marked_in_text_not_colour() -> None:
    assert cell_text(Cell("scored", Decimal("87.5")), 5).plain == "   87.5 "
    assert cell_text(Cell("scored", Decimal("87.5"), flagged=True), 5).plain == "  !87.5 "
    assert cell_text(Cell("scored", Decimal("87.5"), review=True), 5).plain == "   87.5?"
    assert cell_text(Cell("scored", Decimal("9"), overridden=True), 5).plain == "      9*"
    assert cell_text(Cell("waiting"), 5).plain.strip() == "·"
    assert cell_text(Cell("recused"), 5).plain.strip() == "—"
    assert cell_text(Cell("withdrawn"), 5).plain.strip() == "×"


def test_small_helpers(world: Master) -> None:
    assert total_width(world.event) == 5  # "100", or "99.5"
    assert offset_text(dt.timedelta(seconds=-125)) == "-2m05s"
    assert offset_text(dt.timedelta(hours=1, minutes=10)) == "+1h10m"
    assert offset_text(dt.timedelta(seconds=7199.6)) == "+2h00m"  # to the nearest second
    assert ago_text(5) == "5s" and ago_text(3700) == "1h01m"
    assert parse_clock_time("09:05", NOW) == NOW.replace(hour=9, minute=5)
    assert parse_clock_time("soon", NOW) is None
    cache = LedgerCache(world)
    assert cache.update() == len(world.ledger) and cache.update() == 0
    assert {"J1", "J2", "J3", "J4", "J5"} <= set(cache.device_judge.values())
