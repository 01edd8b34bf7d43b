"""The Overview under a stream of sheets (issue 25): a sheet that lands is drawn in the matrix
before the live scores (a whole tabulation, long in a big final) are computed again, and the
scores follow it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from head_judge.console.screens.overview import OverviewScreen
from sync.event_file import load_event

from .conftest import serving_console, until
from .sim import SimJudge, values_for, write_small_final


async def test_a_landed_sheet_is_drawn_before_the_scores_are_computed_again(
        tmp_path: Path) -> None:
    event_file = write_small_final(tmp_path / "event")
    event = load_event(event_file)
    async with serving_console(tmp_path / "master", event_file) as (app, pilot):
        assert isinstance(app.screen, OverviewScreen)
        screen = app.screen
        [issued] = app.master.issue_codes(["J1"], now=dt.datetime.now(dt.UTC))
        judge = SimJudge.open(tmp_path / "J1", "J1")
        try:
            assert app.port is not None
            await judge.enrol(issued.code.encode(), app.port)
            await until(pilot, lambda: app.ledger_size() == len(app.cache.entries),
                        what="the enrolment read")
            await pilot.pause(0.6)  # the scores are due again by now
            order: list[str] = []
            compute = app.head.current_results

            def counted():  # type: ignore[no-untyped-def]
                order.append("scores")
                return compute()

            app.head.current_results = counted  # type: ignore[method-assign]
            app.matrix_probe = lambda seqs, _at: order.append("sheet")
            judge.submit("C1", values_for(event, "J1", "C1"))
            await judge.push()
            await until(pilot, lambda: "sheet" in order and "scores" in order,
                        what="the sheet drawn and the scores computed")
            assert order.index("sheet") < order.index("scores")
            await until(pilot, lambda: not screen._results_queued, what="the scores shown")
            row = next(r for r in screen.query_one("#matrix").matrix.rows  # type: ignore[attr-defined]
                       if r.contestant.id == "C1")
            assert row.cells["J1"].seq  # the sheet, and the scores computed with it
            assert screen._results_seen >= row.cells["J1"].seq
        finally:
            await judge.close()
